#include "rl/envs/toy_text/sprites.h"

#include <array>
#include <cmath>
#include <initializer_list>
#include <utility>
#include <vector>

namespace rl {
namespace sprites {
namespace {

// Cell-relative coordinates: (u, v) in [0, 1] across the cell.
Point At(const Cell& c, float u, float v) {
  return {c.x + u * c.w, c.y + v * c.h};
}

// A polygon of cell-relative points.
void Polygon(Canvas* canvas, const Cell& c, std::initializer_list<Point> uv,
             Color color) {
  std::vector<Point> points;
  points.reserve(uv.size());
  for (const Point& p : uv) points.push_back(At(c, p.x, p.y));
  canvas->FillPolygon(std::move(points), color);
}

void Rect(Canvas* canvas, const Cell& c, float u0, float v0, float u1, float v1,
          Color color) {
  canvas->FillRect(c.x + u0 * c.w, c.y + v0 * c.h, (u1 - u0) * c.w,
                   (v1 - v0) * c.h, color);
}

void Ellipse(Canvas* canvas, const Cell& c, float u, float v, float ru,
             float rv, Color color) {
  constexpr int kSegments = 32;
  // The unit circle's points, once: a lake draws a few ellipses per hole.
  static const std::array<Point, kSegments> kCircle = [] {
    std::array<Point, kSegments> circle;
    for (int i = 0; i < kSegments; ++i) {
      const double a = 2 * M_PI * i / kSegments;
      circle[i] = {static_cast<float>(std::cos(a)),
                   static_cast<float>(std::sin(a))};
    }
    return circle;
  }();
  std::vector<Point> points(kSegments);
  for (int i = 0; i < kSegments; ++i) {
    points[i] = At(c, u + ru * kCircle[i].x, v + rv * kCircle[i].y);
  }
  canvas->FillPolygon(std::move(points), color);
}

void Disc(Canvas* canvas, const Cell& c, float u, float v, float r,
          Color color) {
  canvas->FillCircle(At(c, u, v), r * std::min(c.w, c.h), color);
}

constexpr Color kIceShine{238, 247, 255, 255};
constexpr Color kSnowLip{242, 249, 255, 255};
constexpr Color kHoleWall{72, 152, 206, 255};
constexpr Color kWater{140, 214, 240, 255};
constexpr Color kSkin{250, 212, 176, 255};
constexpr Color kTunic{52, 140, 66, 255};
constexpr Color kHat{196, 42, 42, 255};
constexpr Color kBoots{92, 58, 30, 255};
constexpr Color kEye{30, 30, 30, 255};
constexpr Color kWood{163, 108, 58, 255};
constexpr Color kWoodDark{110, 70, 36, 255};
constexpr Color kGrassDark{104, 166, 60, 255};
constexpr Color kGrassBlade{78, 136, 46, 255};
constexpr Color kRock{124, 84, 52, 255};
constexpr Color kRockLit{156, 110, 68, 255};
constexpr Color kRockCrack{82, 54, 34, 255};

}  // namespace

void Ice(Canvas* canvas, const Cell& c) {
  // Two glints.
  Polygon(canvas, c,
          {{0.15f, 0.35f}, {0.35f, 0.15f}, {0.39f, 0.19f}, {0.19f, 0.39f}},
          kIceShine);
  Polygon(canvas, c,
          {{0.62f, 0.82f}, {0.82f, 0.62f}, {0.85f, 0.65f}, {0.65f, 0.85f}},
          kIceShine);
}

void Hole(Canvas* canvas, const Cell& c) {
  // A white lip of snow, the hole's shaded far wall, light water filling
  // the rest, a glint on it.
  Ellipse(canvas, c, 0.5f, 0.55f, 0.42f, 0.34f, kSnowLip);
  Ellipse(canvas, c, 0.5f, 0.55f, 0.37f, 0.29f, kHoleWall);
  Ellipse(canvas, c, 0.5f, 0.61f, 0.35f, 0.22f, kWater);
  Ellipse(canvas, c, 0.62f, 0.68f, 0.1f, 0.025f, kIceShine);
}

void CrackedHole(Canvas* canvas, const Cell& c) {
  Hole(canvas, c);
  // Splash and a hat floating in the water.
  Ellipse(canvas, c, 0.5f, 0.6f, 0.2f, 0.08f, kIceShine);
  canvas->FillPolygon(
      {At(c, 0.38f, 0.58f), At(c, 0.62f, 0.58f), At(c, 0.5f, 0.36f)}, kHat);
}

void Gift(Canvas* canvas, const Cell& c) {
  constexpr Color kBox{214, 60, 60, 255};
  constexpr Color kRibbon{250, 214, 72, 255};
  Rect(canvas, c, 0.2f, 0.38f, 0.8f, 0.85f, kBox);
  Rect(canvas, c, 0.15f, 0.3f, 0.85f, 0.42f, kBox);
  Rect(canvas, c, 0.45f, 0.3f, 0.55f, 0.85f, kRibbon);
  Rect(canvas, c, 0.15f, 0.33f, 0.85f, 0.39f, kRibbon);
  canvas->FillPolygon(
      {At(c, 0.5f, 0.3f), At(c, 0.3f, 0.15f), At(c, 0.32f, 0.3f)}, kRibbon);
  canvas->FillPolygon(
      {At(c, 0.5f, 0.3f), At(c, 0.68f, 0.3f), At(c, 0.7f, 0.15f)}, kRibbon);
}

void Stool(Canvas* canvas, const Cell& c) {
  Rect(canvas, c, 0.3f, 0.5f, 0.36f, 0.85f, kWoodDark);
  Rect(canvas, c, 0.64f, 0.5f, 0.7f, 0.85f, kWoodDark);
  Rect(canvas, c, 0.47f, 0.52f, 0.53f, 0.8f, kWoodDark);
  Ellipse(canvas, c, 0.5f, 0.5f, 0.26f, 0.09f, kWood);
}

void Elf(Canvas* canvas, const Cell& c, Facing facing) {
  // Boots, tunic, head, hat; the eyes show where it looks.
  Rect(canvas, c, 0.36f, 0.82f, 0.47f, 0.92f, kBoots);
  Rect(canvas, c, 0.53f, 0.82f, 0.64f, 0.92f, kBoots);
  canvas->FillPolygon({At(c, 0.3f, 0.84f), At(c, 0.7f, 0.84f),
                       At(c, 0.62f, 0.5f), At(c, 0.38f, 0.5f)},
                      kTunic);
  Disc(canvas, c, 0.5f, 0.4f, 0.15f, kSkin);
  canvas->FillPolygon(
      {At(c, 0.33f, 0.33f), At(c, 0.67f, 0.33f), At(c, 0.5f, 0.08f)}, kHat);
  Disc(canvas, c, 0.5f, 0.08f, 0.04f, kWhite);
  switch (facing) {
    case Facing::kDown:
      Disc(canvas, c, 0.44f, 0.42f, 0.025f, kEye);
      Disc(canvas, c, 0.56f, 0.42f, 0.025f, kEye);
      break;
    case Facing::kLeft:
      Disc(canvas, c, 0.41f, 0.42f, 0.025f, kEye);
      break;
    case Facing::kRight:
      Disc(canvas, c, 0.59f, 0.42f, 0.025f, kEye);
      break;
    case Facing::kUp:  // The back of the head: hair, no eyes.
      Ellipse(canvas, c, 0.5f, 0.44f, 0.13f, 0.09f, kBoots);
      break;
  }
}

void Grass(Canvas* canvas, const Cell& c, bool darker) {
  if (darker) Rect(canvas, c, 0, 0, 1, 1, kGrassDark);
  // Two tufts of blades.
  for (const auto& [u, v] : {std::pair(0.28f, 0.74f), std::pair(0.7f, 0.34f)}) {
    canvas->FillPolygon({At(c, u - 0.08f, v), At(c, u - 0.07f, v - 0.08f),
                         At(c, u - 0.03f, v - 0.02f), At(c, u, v - 0.11f),
                         At(c, u + 0.03f, v - 0.02f),
                         At(c, u + 0.07f, v - 0.08f), At(c, u + 0.08f, v)},
                        kGrassBlade);
  }
}

void Cliff(Canvas* canvas, const Cell& c) {
  // Brown rock with a lit ledge and dark cracks.
  Rect(canvas, c, 0, 0, 1, 1, kRock);
  Polygon(canvas, c, {{0, 0.3f}, {0.45f, 0.22f}, {0.55f, 0.34f}, {0, 0.42f}},
          kRockLit);
  Polygon(canvas, c,
          {{0.15f, 0.55f}, {0.3f, 0.62f}, {0.22f, 0.95f}, {0.18f, 0.7f}},
          kRockCrack);
  Polygon(canvas, c,
          {{0.7f, 0.45f}, {0.86f, 0.5f}, {0.8f, 0.8f}, {0.74f, 0.56f}},
          kRockCrack);
}

void NearCliff(Canvas* canvas, const Cell& c, bool darker) {
  // Grass down to a jagged edge, the top of the cliff's face below it.
  Rect(canvas, c, 0, 0.8f, 1, 1, kRockLit);
  canvas->FillPolygon(
      {At(c, 0, 0.8f), At(c, 0.25f, 0.86f), At(c, 0.5f, 0.8f),
       At(c, 0.75f, 0.87f), At(c, 1, 0.8f), At(c, 1, 0.76f), At(c, 0, 0.76f)},
      darker ? kGrassDark : kGrassColor);
}

void Cookie(Canvas* canvas, const Cell& c) {
  Disc(canvas, c, 0.5f, 0.55f, 0.3f, Color{206, 150, 82, 255});
  constexpr Color kChip{92, 56, 30, 255};
  Disc(canvas, c, 0.4f, 0.45f, 0.045f, kChip);
  Disc(canvas, c, 0.6f, 0.5f, 0.045f, kChip);
  Disc(canvas, c, 0.47f, 0.68f, 0.045f, kChip);
  Disc(canvas, c, 0.64f, 0.68f, 0.035f, kChip);
}

void Median(Canvas* canvas, const Cell& c, bool vertical, bool start,
            bool end) {
  // A hedge: dark green, a lighter green crown along its middle, rounded
  // where a run starts or ends.
  constexpr Color kHedge{48, 118, 44, 255};
  constexpr Color kHedgeLit{86, 156, 62, 255};
  const float from = start ? 0.5f : 0.0f;
  const float to = end ? 0.5f : 1.0f;
  for (const auto& [half, color] :
       {std::pair(0.22f, kHedge), std::pair(0.1f, kHedgeLit)}) {
    if (vertical) {
      Rect(canvas, c, 0.5f - half, from, 0.5f + half, to, color);
    } else {
      Rect(canvas, c, from, 0.5f - half, to, 0.5f + half, color);
    }
    if (start || end) Disc(canvas, c, 0.5f, 0.5f, half, color);
  }
}

void Passenger(Canvas* canvas, const Cell& c) {
  canvas->FillPolygon({At(c, 0.36f, 0.85f), At(c, 0.64f, 0.85f),
                       At(c, 0.6f, 0.48f), At(c, 0.4f, 0.48f)},
                      Color{52, 84, 160, 255});
  Disc(canvas, c, 0.5f, 0.36f, 0.12f, kSkin);
  Rect(canvas, c, 0.38f, 0.22f, 0.62f, 0.3f, Color{84, 52, 30, 255});
}

void Hotel(Canvas* canvas, const Cell& c) {
  constexpr Color kWall{176, 84, 64, 170};
  constexpr Color kRoof{96, 52, 44, 170};
  constexpr Color kWindow{250, 232, 150, 170};
  Rect(canvas, c, 0.2f, 0.35f, 0.8f, 0.95f, kWall);
  canvas->FillPolygon(
      {At(c, 0.12f, 0.38f), At(c, 0.88f, 0.38f), At(c, 0.5f, 0.1f)}, kRoof);
  for (float u : {0.3f, 0.58f}) {
    for (float v : {0.45f, 0.65f})
      Rect(canvas, c, u, v, u + 0.12f, v + 0.1f, kWindow);
  }
}

void Taxi(Canvas* canvas, const Cell& c, Facing facing) {
  constexpr Color kYellow{246, 196, 30, 255};
  constexpr Color kGlass{70, 100, 130, 255};
  constexpr Color kTyre{40, 40, 40, 255};
  const bool sideways = facing == Facing::kLeft || facing == Facing::kRight;
  if (sideways) {
    // Side view: body, cabin, two wheels; the bonnet points where it goes.
    const bool right = facing == Facing::kRight;
    Rect(canvas, c, 0.1f, 0.45f, 0.9f, 0.75f, kYellow);
    canvas->FillPolygon(
        right ? std::vector<Point>{At(c, 0.22f, 0.45f), At(c, 0.3f, 0.25f),
                                   At(c, 0.6f, 0.25f), At(c, 0.7f, 0.45f)}
              : std::vector<Point>{At(c, 0.3f, 0.45f), At(c, 0.4f, 0.25f),
                                   At(c, 0.7f, 0.25f), At(c, 0.78f, 0.45f)},
        kYellow);
    Rect(canvas, c, right ? 0.33f : 0.43f, 0.3f, right ? 0.57f : 0.67f, 0.43f,
         kGlass);
    Disc(canvas, c, 0.28f, 0.77f, 0.09f, kTyre);
    Disc(canvas, c, 0.72f, 0.77f, 0.09f, kTyre);
  } else {
    // Front (heading south) or rear view.
    Rect(canvas, c, 0.18f, 0.3f, 0.82f, 0.8f, kYellow);
    Rect(canvas, c, 0.26f, 0.36f, 0.74f, 0.52f, kGlass);
    Rect(canvas, c, 0.2f, 0.8f, 0.32f, 0.9f, kTyre);
    Rect(canvas, c, 0.68f, 0.8f, 0.8f, 0.9f, kTyre);
    const Color lights = facing == Facing::kDown ? Color{255, 250, 220, 255}
                                                 : Color{220, 40, 40, 255};
    Disc(canvas, c, 0.28f, 0.68f, 0.05f, lights);
    Disc(canvas, c, 0.72f, 0.68f, 0.05f, lights);
  }
  Rect(canvas, c, 0.42f, 0.2f, 0.58f, 0.28f, Color{30, 30, 30, 255});  // Sign.
}

}  // namespace sprites
}  // namespace rl
