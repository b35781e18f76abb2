// The toy-text envs read like Gymnasium's at a glance (issue 18 item 7):
// frames rendered on llvmpipe, sampled at the centres of known cells.
//  - FrozenLake: holes are light cyan water, not dark pits; ice is pale.
//  - CliffWalking: grass is green, the cliff brown.
//  - Taxi: the road is mid-grey asphalt, the walls green hedges.
#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "rl/canvas/canvas.h"
#include "rl/core/frame.h"
#include "rl/envs/env.h"
#include "rl/envs/toy_text/cliff_walking.h"
#include "rl/envs/toy_text/frozen_lake.h"
#include "rl/envs/toy_text/taxi.h"
#include "rl/render/render_backend.h"
#include "rl/render/renderer.h"

namespace rl {
namespace {

struct Rgb {
  int r, g, b;
  std::string ToString() const {
    return absl::StrCat("(", r, ",", g, ",", b, ")");
  }
};

// `env`'s picture rendered at its own size.
Frame Render(const Env& env) {
  Canvas canvas(1, 1);
  env.Draw(&canvas);
  absl::StatusOr<std::unique_ptr<RenderBackend>> backend =
      RenderBackends().Create("llvmpipe");
  EXPECT_TRUE(backend.ok()) << backend.status();
  RendererOptions options;
  options.width = canvas.width();
  options.height = canvas.height();
  absl::StatusOr<std::unique_ptr<Renderer>> renderer =
      Renderer::Create(*std::move(backend), options);
  EXPECT_TRUE(renderer.ok()) << renderer.status();
  Frame frame;
  if (renderer.ok()) {
    const absl::Status status = (*renderer)->Render(canvas, &frame);
    EXPECT_TRUE(status.ok()) << status;
  }
  return frame;
}

// The pixel at (u, v) of the cell at (row, col) of `size` pixels.
Rgb At(const Frame& frame, int row, int col, float cell_w, float cell_h,
       float u = 0.5f, float v = 0.5f) {
  const int x = static_cast<int>((col + u) * cell_w);
  const int y = static_cast<int>((row + v) * cell_h);
  const uint8_t* p =
      frame.data() + 3 * (static_cast<size_t>(y) * frame.width() + x);
  return {p[0], p[1], p[2]};
}

bool LightCyan(const Rgb& c) {
  return c.b >= 200 && c.g >= 170 && c.r <= 180 && c.r + 40 <= c.b;
}
bool Pale(const Rgb& c) {
  return std::min({c.r, c.g, c.b}) >= 190 && c.b >= c.r;
}
bool GreenDominant(const Rgb& c) { return c.g >= c.r + 30 && c.g >= c.b + 30; }
// Brown: red over green over blue, and dark-ish.
bool Brown(const Rgb& c) {
  return c.r > c.g && c.g > c.b && c.r >= c.b + 40 && c.r <= 190;
}
// Mid grey: the channels within 12 of each other, neither light nor dark.
bool MidGrey(const Rgb& c) {
  return std::max({c.r, c.g, c.b}) - std::min({c.r, c.g, c.b}) <= 12 &&
         c.g >= 90 && c.g <= 170;
}

TEST(ToyTextLooksTest, FrozenLakeHolesAreLightWaterOnPaleIce) {
  FrozenLake::Options options;
  options.map_name = "8x8";
  FrozenLake env(options);
  env.Reset(0);
  const Frame frame = Render(env);
  ASSERT_EQ(frame.width(), 512);
  const std::vector<std::string>& map = FrozenLake::Map("8x8");
  int holes = 0;
  for (int row = 0; row < 8; ++row) {
    for (int col = 0; col < 8; ++col) {
      const Rgb c = At(frame, row, col, 64, 64);
      if (map[row][col] == 'H') {
        ++holes;
        EXPECT_TRUE(LightCyan(c))
            << "hole (" << row << ", " << col << "): " << c.ToString()
            << " is not light cyan";
      } else if (map[row][col] == 'F') {
        EXPECT_TRUE(Pale(c)) << "ice (" << row << ", " << col
                             << "): " << c.ToString() << " is not pale";
      }
    }
  }
  EXPECT_EQ(holes, 10);
  // The elf fell into the hole at (1, 1) of the 4x4 lake: still water
  // around the splash.
  FrozenLake four;
  four.Reset(0);
  four.SetState(1 * 4 + 1);
  const Frame fell = Render(four);
  const Rgb water = At(fell, 1, 1, 64, 64, 0.3f, 0.7f);
  EXPECT_TRUE(LightCyan(water)) << water.ToString();
}

TEST(ToyTextLooksTest, CliffWalkingIsGreenGrassAboveABrownCliff) {
  CliffWalking env;
  env.Reset(0);
  const Frame frame = Render(env);
  ASSERT_EQ(frame.width(), 720);
  constexpr float kCell = CliffWalking::kCellSize;
  for (int row = 0; row < CliffWalking::kRows; ++row) {
    for (int col = 0; col < CliffWalking::kCols; ++col) {
      const int s = row * CliffWalking::kCols + col;
      // The elf stands on the stool; the cookie hides the goal's grass.
      if (s == CliffWalking::kStartState || s == CliffWalking::kGoalState) {
        continue;
      }
      const Rgb c = At(frame, row, col, kCell, kCell);
      if (CliffWalking::IsCliff(row, col)) {
        EXPECT_TRUE(Brown(c)) << "cliff (" << row << ", " << col
                              << "): " << c.ToString() << " is not brown";
        // The cliff's edge at the bottom of the grass cell above.
        const Rgb edge = At(frame, row - 1, col, kCell, kCell, 0.5f, 0.95f);
        EXPECT_TRUE(Brown(edge))
            << "edge above (" << row << ", " << col << "): " << edge.ToString();
      } else {
        EXPECT_TRUE(GreenDominant(c))
            << "grass (" << row << ", " << col << "): " << c.ToString()
            << " is not green";
      }
    }
  }
  // Two shades of grass, as a checkerboard.
  const Rgb a = At(frame, 0, 0, kCell, kCell);
  const Rgb b = At(frame, 0, 1, kCell, kCell);
  EXPECT_NE(a.g, b.g);
  EXPECT_EQ(a.g, At(frame, 1, 1, kCell, kCell).g);
}

TEST(ToyTextLooksTest, TaxiIsGreyAsphaltBetweenGreenHedges) {
  // Gymnasium's MAP, drawn one 50x50 cell per character.
  const std::vector<std::string> map = {
      "+---------+", "|R: | : :G|", "| : | : : |", "| : : : : |",
      "| | : | : |", "|Y| : |B: |", "+---------+",
  };
  Taxi env;
  env.Reset(0);
  // Taxi at (4, 2), passenger at R, destination Y.
  env.SetState(Taxi::Encode(4, 2, 0, 2));
  const Frame frame = Render(env);
  ASSERT_EQ(frame.width(), 550);
  // Map cells the stands' tints (their cell and 10 pixels of the one below),
  // the passenger, the hotel (half a cell up) and the taxi cover.
  std::set<std::pair<int, int>> covered;
  for (const auto& [row, col] :
       {std::pair(0, 0), std::pair(0, 4), std::pair(4, 0), std::pair(4, 3)}) {
    covered.insert({row + 1, 2 * col + 1});
    covered.insert({row + 2, 2 * col + 1});
  }
  covered.insert({4, 1});  // The hotel's top half, over Y's cell above.
  covered.insert({5, 5});  // The taxi.
  int walls = 0, roads = 0;
  for (int row = 0; row < 7; ++row) {
    for (int col = 0; col < 11; ++col) {
      if (covered.count({row, col})) continue;
      const Rgb c = At(frame, row, col, 50, 50);
      const char letter = map[row][col];
      if (letter == '|' || letter == '-') {
        ++walls;
        EXPECT_TRUE(GreenDominant(c))
            << "wall (" << row << ", " << col << "): " << c.ToString()
            << " is not a green hedge";
      } else {
        ++roads;
        EXPECT_TRUE(MidGrey(c))
            << "road (" << row << ", " << col << "): " << c.ToString()
            << " is not mid-grey asphalt";
      }
    }
  }
  EXPECT_GT(walls, 20);
  EXPECT_GT(roads, 20);
}

}  // namespace
}  // namespace rl
