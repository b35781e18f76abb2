// Renderer on the llvmpipe backend, checked pixel by pixel. On failure the
// frame is written as a PPM to $TEST_UNDECLARED_OUTPUTS_DIR (bazel-testlogs/
// rl/render/renderer_test/test.outputs/outputs.zip).
#include "rl/render/renderer.h"

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/canvas/canvas.h"
#include "rl/core/frame.h"
#include "rl/render/image_io.h"
#include "rl/render/render_backend.h"

namespace rl {
namespace {

using ::testing::HasSubstr;

constexpr Color kRed{255, 0, 0, 255};
constexpr Color kGreen{0, 255, 0, 255};
constexpr Color kBlue{0, 0, 255, 255};
constexpr Color kBackground{12, 34, 56, 255};

Rgb ToRgb(Color c) { return Rgb{c.r, c.g, c.b}; }

std::string ToString(Rgb c) {
  return absl::StrCat("(", c.r, ",", c.g, ",", c.b, ")");
}

absl::StatusOr<std::unique_ptr<Renderer>> MakeRenderer(int width, int height,
                                                       int msaa_samples) {
  absl::StatusOr<std::unique_ptr<RenderBackend>> backend =
      RenderBackends().Create("llvmpipe");
  if (!backend.ok()) return backend.status();
  RendererOptions options;
  options.width = width;
  options.height = height;
  options.msaa_samples = msaa_samples;
  return Renderer::Create(*std::move(backend), options);
}

// An axis-aligned rectangle as a polygon, corners (x0, y0) and (x1, y1).
std::vector<Point> Rect(float x0, float y0, float x1, float y1) {
  return {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}};
}

// Fraction of `fg` (vs `bg`) in `c`, from the channel where they differ most.
double Coverage(Rgb c, Rgb bg, Rgb fg) {
  const int channels[3][3] = {
      {c.r, bg.r, fg.r}, {c.g, bg.g, fg.g}, {c.b, bg.b, fg.b}};
  int best = 0;
  for (int i = 1; i < 3; ++i) {
    if (std::abs(channels[i][2] - channels[i][1]) >
        std::abs(channels[best][2] - channels[best][1])) {
      best = i;
    }
  }
  return static_cast<double>(channels[best][0] - channels[best][1]) /
         (channels[best][2] - channels[best][1]);
}

// Covered area in pixels: coverage summed over the frame.
double CoveredArea(const Frame& frame, Color bg, Color fg) {
  double area = 0;
  for (int y = 0; y < frame.height(); ++y) {
    for (int x = 0; x < frame.width(); ++x) {
      area += Coverage(frame.at(x, y), ToRgb(bg), ToRgb(fg));
    }
  }
  return area;
}

int CountPixels(const Frame& frame, Rgb color) {
  int count = 0;
  for (int y = 0; y < frame.height(); ++y) {
    for (int x = 0; x < frame.width(); ++x) count += frame.at(x, y) == color;
  }
  return count;
}

class RendererTest : public ::testing::Test {
 protected:
  void TearDown() override {
    const char* dir = std::getenv("TEST_UNDECLARED_OUTPUTS_DIR");
    if (!HasFailure() || dir == nullptr || frame_.width() == 0) return;
    const ::testing::TestInfo* info =
        ::testing::UnitTest::GetInstance()->current_test_info();
    const std::string path = absl::StrCat(dir, "/", info->name(), ".ppm");
    absl::Status written = WritePpm(frame_, path);
    if (written.ok()) {
      std::printf("Wrote the last frame to %s\n", path.c_str());
    } else {
      std::printf("%s\n", std::string(written.message()).c_str());
    }
  }

  // Renders `canvas` with a new renderer into frame_.
  void RenderOnce(const Canvas& canvas, int width, int height, int msaa) {
    absl::StatusOr<std::unique_ptr<Renderer>> renderer =
        MakeRenderer(width, height, msaa);
    ASSERT_TRUE(renderer.ok()) << renderer.status();
    absl::Status rendered = (*renderer)->Render(canvas, &frame_);
    ASSERT_TRUE(rendered.ok()) << rendered;
    ASSERT_EQ(frame_.width(), width);
    ASSERT_EQ(frame_.height(), height);
  }

  // Expects `rect` (frame pixels [x0, x1) x [y0, y1)) to be `fg` inside and
  // `bg` outside, except within `slack` pixels of its edges.
  void ExpectRect(int x0, int y0, int x1, int y1, Color fg, Color bg,
                  int slack) {
    int wrong = 0;
    for (int y = 0; y < frame_.height(); ++y) {
      for (int x = 0; x < frame_.width(); ++x) {
        const bool inside = x >= x0 + slack && x < x1 - slack &&
                            y >= y0 + slack && y < y1 - slack;
        const bool outside = x < x0 - slack || x >= x1 + slack ||
                             y < y0 - slack || y >= y1 + slack;
        const Rgb got = frame_.at(x, y);
        if ((inside && !(got == ToRgb(fg))) ||
            (outside && !(got == ToRgb(bg)))) {
          if (++wrong <= 5) {
            ADD_FAILURE() << "pixel (" << x << ", " << y << ") is "
                          << ToString(got) << ", want "
                          << ToString(inside ? ToRgb(fg) : ToRgb(bg));
          }
        }
      }
    }
    EXPECT_EQ(wrong, 0);
  }

  Frame frame_;
};

TEST_F(RendererTest, BackgroundFillsTheFrame) {
  Canvas canvas(600, 400, kBackground);
  RenderOnce(canvas, 600, 400, 4);
  EXPECT_EQ(CountPixels(frame_, ToRgb(kBackground)), 600 * 400);
}

TEST_F(RendererTest, RectangleLandsOnItsPixels) {
  Canvas canvas(600, 400, kWhite);
  canvas.FillPolygon(Rect(100, 50, 300, 150), kRed);
  RenderOnce(canvas, 600, 400, 4);
  ExpectRect(100, 50, 300, 150, kRed, kWhite, /*slack=*/1);
}

TEST_F(RendererTest, RectangleIsExactWithoutAntialiasing) {
  Canvas canvas(600, 400, kWhite);
  canvas.FillPolygon(Rect(100, 50, 300, 150), kRed);
  RenderOnce(canvas, 600, 400, 0);
  ExpectRect(100, 50, 300, 150, kRed, kWhite, /*slack=*/0);
}

TEST_F(RendererTest, TopOfTheCanvasIsRowZero) {
  Canvas canvas(600, 400, kWhite);
  canvas.FillPolygon(Rect(0, 0, 40, 20), kRed);         // Top left.
  canvas.FillPolygon(Rect(560, 380, 600, 400), kBlue);  // Bottom right.
  RenderOnce(canvas, 600, 400, 4);
  EXPECT_EQ(frame_.at(0, 0), ToRgb(kRed));
  EXPECT_EQ(frame_.at(20, 10), ToRgb(kRed));
  EXPECT_EQ(frame_.at(20, 399), ToRgb(kWhite));
  EXPECT_EQ(frame_.at(599, 399), ToRgb(kBlue));
  EXPECT_EQ(frame_.at(599, 0), ToRgb(kWhite));
  EXPECT_EQ(frame_.at(38, 18), ToRgb(kRed));
  EXPECT_EQ(frame_.at(41, 10), ToRgb(kWhite));
  EXPECT_EQ(frame_.at(20, 21), ToRgb(kWhite));
}

TEST_F(RendererTest, CanvasIsStretchedToTheFrame) {
  Canvas canvas(600, 400, kWhite);
  canvas.FillPolygon(Rect(100, 50, 300, 150), kRed);
  RenderOnce(canvas, 300, 200, 4);
  ExpectRect(50, 25, 150, 75, kRed, kWhite, 1);
}

TEST_F(RendererTest, NonUniformStretch) {
  Canvas canvas(100, 100, kWhite);
  canvas.FillPolygon(Rect(10, 20, 50, 60), kRed);
  RenderOnce(canvas, 300, 50, 0);
  ExpectRect(30, 10, 150, 30, kRed, kWhite, 0);
}

TEST_F(RendererTest, CircleIsRoundAndHasTheRightArea) {
  Canvas canvas(600, 400, kWhite);
  canvas.FillCircle({300, 200}, 50, kRed);
  RenderOnce(canvas, 600, 400, 4);
  EXPECT_EQ(frame_.at(300, 200), ToRgb(kRed));
  // Just inside and just outside the radius, in all four directions.
  EXPECT_EQ(frame_.at(300 + 47, 200), ToRgb(kRed));
  EXPECT_EQ(frame_.at(300, 200 - 48), ToRgb(kRed));
  EXPECT_EQ(frame_.at(300 + 52, 200), ToRgb(kWhite));
  EXPECT_EQ(frame_.at(300 - 53, 200), ToRgb(kWhite));
  EXPECT_EQ(frame_.at(300, 200 + 52), ToRgb(kWhite));
  EXPECT_EQ(frame_.at(300, 200 - 53), ToRgb(kWhite));
  // Diagonally: 50 / sqrt(2) = 35.4.
  EXPECT_EQ(frame_.at(300 + 33, 200 + 33), ToRgb(kRed));
  EXPECT_EQ(frame_.at(300 + 37, 200 - 38), ToRgb(kWhite));
  const double area = CoveredArea(frame_, kWhite, kRed);
  EXPECT_NEAR(area, M_PI * 50 * 50, 0.05 * M_PI * 50 * 50);
  EXPECT_NEAR(area, M_PI * 50 * 50, 0.01 * M_PI * 50 * 50);  // In fact.
}

TEST_F(RendererTest, SmallCircleIsStillThere) {
  Canvas canvas(600, 400, kWhite);
  canvas.FillCircle({300.5, 200.5}, 2, kRed);
  RenderOnce(canvas, 600, 400, 4);
  EXPECT_EQ(frame_.at(300, 200), ToRgb(kRed));
  EXPECT_NEAR(CoveredArea(frame_, kWhite, kRed), M_PI * 4, 0.15 * M_PI * 4);
}

TEST_F(RendererTest, ConcaveLShapeKeepsItsNotch) {
  Canvas canvas(600, 400, kWhite);
  // An L: a bar along the top and one down the left; the notch at the
  // bottom right of its bounding box stays empty.
  canvas.FillPolygon(
      {{100, 100}, {300, 100}, {300, 150}, {150, 150}, {150, 300}, {100, 300}},
      kRed);
  RenderOnce(canvas, 600, 400, 4);
  EXPECT_EQ(frame_.at(125, 125), ToRgb(kRed));    // The corner.
  EXPECT_EQ(frame_.at(280, 125), ToRgb(kRed));    // End of the top bar.
  EXPECT_EQ(frame_.at(125, 280), ToRgb(kRed));    // End of the left bar.
  EXPECT_EQ(frame_.at(225, 225), ToRgb(kWhite));  // The notch.
  EXPECT_EQ(frame_.at(152, 152), ToRgb(kWhite));
  EXPECT_EQ(frame_.at(290, 290), ToRgb(kWhite));
  EXPECT_NEAR(CoveredArea(frame_, kWhite, kRed), 200 * 50 + 50 * 150, 50);
}

// A star with 7 points: every other vertex is reflex.
std::vector<Point> Star(float cx, float cy, float outer, float inner) {
  std::vector<Point> points;
  for (int i = 0; i < 14; ++i) {
    const double angle = i * M_PI / 7;
    const double r = i % 2 == 0 ? outer : inner;
    points.push_back({static_cast<float>(cx + r * std::sin(angle)),
                      static_cast<float>(cy - r * std::cos(angle))});
  }
  return points;
}

double ShoelaceArea(const std::vector<Point>& points) {
  double area2 = 0;
  for (size_t i = 0; i < points.size(); ++i) {
    const Point& p = points[i];
    const Point& q = points[(i + 1) % points.size()];
    area2 += static_cast<double>(p.x) * q.y - static_cast<double>(q.x) * p.y;
  }
  return std::abs(area2) / 2;
}

TEST_F(RendererTest, ConcaveStarInBothWindings) {
  const std::vector<Point> star = Star(300, 200, 150, 60);
  const double want = ShoelaceArea(star);
  for (bool reversed : {false, true}) {
    std::vector<Point> points = star;
    if (reversed) points.assign(star.rbegin(), star.rend());
    Canvas canvas(600, 400, kWhite);
    canvas.FillPolygon(points, kRed);
    RenderOnce(canvas, 600, 400, 4);
    EXPECT_NEAR(CoveredArea(frame_, kWhite, kRed), want, 0.01 * want)
        << "reversed " << reversed;
    EXPECT_EQ(frame_.at(300, 200), ToRgb(kRed));
    EXPECT_EQ(frame_.at(300, 200 - 140), ToRgb(kRed));  // Top point.
    // Between the top two points, outside the inner radius.
    EXPECT_EQ(frame_.at(300 + 50, 200 - 100), ToRgb(kWhite));
  }
}

TEST_F(RendererTest, ThinLinesStayVisible) {
  for (int msaa : {0, 4}) {
    // 1:1, and shrunk to half size (a 1-pixel line would be half a pixel).
    for (int scale_down : {1, 2}) {
      Canvas canvas(600, 400, kWhite);
      canvas.DrawLine({50, 200}, {550, 200}, 1, kBlack);  // Horizontal.
      canvas.DrawLine({100, 20}, {100, 380}, 1, kBlack);  // Vertical.
      canvas.DrawLine({200, 50}, {580, 380}, 1, kBlack);  // Diagonal.
      RenderOnce(canvas, 600 / scale_down, 400 / scale_down, msaa);
      const int w = frame_.width();
      const int h = frame_.height();
      // Every column the horizontal line crosses has some ink near it.
      for (int x = 60 / scale_down; x < 540 / scale_down; ++x) {
        double ink = 0;
        for (int y = 190 / scale_down; y < 210 / scale_down; ++y) {
          ink += Coverage(frame_.at(x, y), ToRgb(kWhite), ToRgb(kBlack));
        }
        ASSERT_GT(ink, 0.2)
            << "column " << x << " msaa " << msaa << " scale 1/" << scale_down;
      }
      for (int y = 30 / scale_down; y < 370 / scale_down; ++y) {
        double ink = 0;
        for (int x = 90 / scale_down; x < 110 / scale_down; ++x) {
          ink += Coverage(frame_.at(x, y), ToRgb(kWhite), ToRgb(kBlack));
        }
        ASSERT_GT(ink, 0.2) << "row " << y;
      }
      for (int x = 220 / scale_down; x < 560 / scale_down; ++x) {
        double ink = 0;
        for (int y = 0; y < h; ++y) {
          ink += Coverage(frame_.at(x, y), ToRgb(kWhite), ToRgb(kBlack));
        }
        ASSERT_GT(ink, 0.2) << "diagonal at column " << x;
      }
      // And no ink far from the lines.
      EXPECT_EQ(frame_.at(w - 1, 0), ToRgb(kWhite));
      EXPECT_EQ(frame_.at(w / 2, h / 4), ToRgb(kWhite));
    }
  }
}

TEST_F(RendererTest, WideLineHasItsWidth) {
  Canvas canvas(600, 400, kWhite);
  canvas.DrawLine({100, 200}, {500, 200}, 10, kRed);
  RenderOnce(canvas, 600, 400, 0);
  ExpectRect(100, 195, 500, 205, kRed, kWhite, 0);
  // Scaled: 10 canvas pixels are 5 frame pixels at half size.
  RenderOnce(canvas, 300, 200, 0);
  ExpectRect(50, 97, 250, 102, kRed, kWhite, 1);
}

TEST_F(RendererTest, AntialiasingMakesIntermediateColors) {
  Canvas canvas(600, 400, kWhite);
  canvas.FillPolygon({{0, 0}, {600, 0}, {0, 400}}, kBlack);  // Diagonal edge.
  auto intermediate = [this] {
    return 600 * 400 - CountPixels(frame_, ToRgb(kWhite)) -
           CountPixels(frame_, ToRgb(kBlack));
  };
  RenderOnce(canvas, 600, 400, 4);
  EXPECT_GT(intermediate(), 300);  // About one per column along the edge.
  RenderOnce(canvas, 600, 400, 0);
  EXPECT_EQ(intermediate(), 0);
  RenderOnce(canvas, 600, 400, 1);
  EXPECT_EQ(intermediate(), 0);
}

TEST_F(RendererTest, MsaaBeyondTheMaximumIsClamped) {
  Canvas canvas(600, 400, kWhite);
  canvas.FillPolygon({{0, 0}, {600, 0}, {0, 400}}, kBlack);
  RenderOnce(canvas, 600, 400, 64);
  EXPECT_GT(600 * 400 - CountPixels(frame_, ToRgb(kWhite)) -
                CountPixels(frame_, ToRgb(kBlack)),
            300);
}

TEST_F(RendererTest, AlphaBlendsOverWhatIsBelow) {
  Canvas canvas(100, 100, kWhite);
  canvas.FillPolygon(Rect(0, 0, 100, 50), kBlue);
  canvas.FillPolygon(Rect(0, 0, 100, 100), Color{255, 0, 0, 128});
  RenderOnce(canvas, 100, 100, 4);
  // 128/255 red over blue, and over white.
  const Rgb over_blue = frame_.at(50, 25);
  EXPECT_NEAR(over_blue.r, 128, 1);
  EXPECT_EQ(over_blue.g, 0);
  EXPECT_NEAR(over_blue.b, 127, 1);
  const Rgb over_white = frame_.at(50, 75);
  EXPECT_EQ(over_white.r, 255);
  EXPECT_NEAR(over_white.g, 127, 1);
  EXPECT_NEAR(over_white.b, 127, 1);
}

TEST_F(RendererTest, LaterShapesPaintOverEarlierOnes) {
  Canvas canvas(100, 100, kWhite);
  canvas.FillPolygon(Rect(10, 10, 60, 60), kRed);
  canvas.FillCircle({60, 60}, 20, kGreen);
  canvas.DrawLine({0, 60}, {100, 60}, 4, kBlue);
  RenderOnce(canvas, 100, 100, 4);
  EXPECT_EQ(frame_.at(20, 20), ToRgb(kRed));
  EXPECT_EQ(frame_.at(50, 50), ToRgb(kGreen));
  EXPECT_EQ(frame_.at(60, 60), ToRgb(kBlue));
  EXPECT_EQ(frame_.at(20, 60), ToRgb(kBlue));
}

TEST_F(RendererTest, DegenerateShapesDrawNothing) {
  Canvas canvas(100, 100, kWhite);
  canvas.FillPolygon({}, kRed);
  canvas.FillPolygon({{10, 10}, {50, 50}}, kRed);
  canvas.FillPolygon({{10, 10}, {50, 50}, {90, 90}}, kRed);  // Collinear.
  canvas.FillCircle({50, 50}, 0, kRed);
  canvas.FillCircle({50, 50}, -3, kRed);
  canvas.DrawLine({20, 20}, {20, 20}, 5, kRed);
  canvas.DrawLine({20, 20}, {80, 20}, 0, kRed);
  canvas.FillPolygon(Rect(10, 10, 90, 90), Color{255, 0, 0, 0});  // Clear.
  const float nan = std::nanf("");
  const float inf = INFINITY;
  canvas.FillPolygon({{10, 10}, {nan, 50}, {90, 10}}, kRed);
  canvas.FillPolygon({{10, 10}, {50, inf}, {90, 10}}, kRed);
  canvas.FillCircle({50, 50}, inf, kRed);
  canvas.FillCircle({nan, 50}, 5, kRed);
  canvas.DrawLine({20, 20}, {inf, 20}, 5, kRed);
  canvas.DrawLine({20, 20}, {80, 20}, nan, kRed);
  RenderOnce(canvas, 100, 100, 4);
  EXPECT_EQ(CountPixels(frame_, ToRgb(kWhite)), 100 * 100);
}

TEST_F(RendererTest, PolygonWithCollinearAndDuplicatePoints) {
  Canvas canvas(600, 400, kWhite);
  // A concave U with extra points along its edges and one repeated.
  canvas.FillPolygon({{100, 100},
                      {150, 100},
                      {150, 250},
                      {250, 250},
                      {250, 100},
                      {300, 100},
                      {300, 300},
                      {200, 300},
                      {200, 300},
                      {100, 300},
                      {100, 200}},
                     kRed);
  RenderOnce(canvas, 600, 400, 4);
  EXPECT_EQ(frame_.at(200, 150), ToRgb(kWhite));  // Inside the U.
  EXPECT_EQ(frame_.at(125, 150), ToRgb(kRed));
  EXPECT_EQ(frame_.at(275, 150), ToRgb(kRed));
  EXPECT_EQ(frame_.at(200, 275), ToRgb(kRed));
  EXPECT_NEAR(CoveredArea(frame_, kWhite, kRed), 200 * 200 - 100 * 150, 50);
}

TEST_F(RendererTest, OddAndTinySizes) {
  for (auto [width, height] :
       {std::pair{1, 1}, std::pair{3, 5}, std::pair{601, 401},
        std::pair{1, 400}, std::pair{600, 1}}) {
    SCOPED_TRACE(absl::StrCat(width, "x", height));
    Canvas canvas(600, 400, kBlue);
    canvas.FillPolygon(Rect(0, 0, 300, 400), kRed);  // Left half.
    RenderOnce(canvas, width, height, 4);
    if (width > 1) {
      EXPECT_EQ(frame_.at(0, 0), ToRgb(kRed));
      EXPECT_EQ(frame_.at(0, height - 1), ToRgb(kRed));
      EXPECT_EQ(frame_.at(width - 1, 0), ToRgb(kBlue));
      EXPECT_EQ(frame_.at(width - 1, height - 1), ToRgb(kBlue));
    } else {
      // One column spans the whole canvas: half red, half blue.
      EXPECT_NEAR(frame_.at(0, 0).r, 128, 2);
      EXPECT_EQ(frame_.at(0, 0).g, 0);
      EXPECT_NEAR(frame_.at(0, 0).b, 128, 2);
    }
    EXPECT_EQ(frame_.size_bytes(), static_cast<size_t>(width) * height * 3);
  }
}

TEST_F(RendererTest, BadSizesAreInvalidArguments) {
  for (auto [width, height] :
       {std::pair{0, 10}, std::pair{10, 0}, std::pair{-1, 10},
        std::pair{10, -1}, std::pair{9000, 10}, std::pair{10, 9000},
        std::pair{8193, 8193}}) {
    absl::StatusOr<std::unique_ptr<Renderer>> renderer =
        MakeRenderer(width, height, 4);
    ASSERT_FALSE(renderer.ok()) << width << "x" << height;
    EXPECT_EQ(renderer.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(renderer.status().message(),
                HasSubstr(absl::StrCat(width, "x", height)));
  }
}

TEST_F(RendererTest, NullBackendAndNullFrame) {
  absl::StatusOr<std::unique_ptr<Renderer>> no_backend =
      Renderer::Create(nullptr, RendererOptions());
  EXPECT_EQ(no_backend.status().code(), absl::StatusCode::kInvalidArgument);
  absl::StatusOr<std::unique_ptr<Renderer>> renderer = MakeRenderer(8, 8, 4);
  ASSERT_TRUE(renderer.ok()) << renderer.status();
  EXPECT_EQ((*renderer)->Render(Canvas(8, 8), nullptr).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(RendererTest, ReportsItsSizeAndBackend) {
  absl::StatusOr<std::unique_ptr<Renderer>> renderer =
      MakeRenderer(320, 240, 4);
  ASSERT_TRUE(renderer.ok()) << renderer.status();
  EXPECT_EQ((*renderer)->width(), 320);
  EXPECT_EQ((*renderer)->height(), 240);
  EXPECT_EQ((*renderer)->backend().name(), "llvmpipe");
}

TEST_F(RendererTest, ReusedFrameIsResizedAndOverwritten) {
  absl::StatusOr<std::unique_ptr<Renderer>> renderer = MakeRenderer(60, 40, 4);
  ASSERT_TRUE(renderer.ok()) << renderer.status();
  frame_ = Frame(7, 3);
  ASSERT_TRUE((*renderer)->Render(Canvas(600, 400, kRed), &frame_).ok());
  EXPECT_EQ(frame_.width(), 60);
  EXPECT_EQ(frame_.height(), 40);
  EXPECT_EQ(CountPixels(frame_, ToRgb(kRed)), 60 * 40);
  const uint8_t* data = frame_.data();
  ASSERT_TRUE((*renderer)->Render(Canvas(600, 400, kGreen), &frame_).ok());
  EXPECT_EQ(frame_.data(), data);  // Same buffer.
  EXPECT_EQ(CountPixels(frame_, ToRgb(kGreen)), 60 * 40);
}

// A canvas whose rectangle's position depends on `i`, and a check of it.
Canvas MovingRect(int i, Color color) {
  Canvas canvas(600, 400, kWhite);
  canvas.FillPolygon(Rect(10 * (i % 40), 100, 10 * (i % 40) + 100, 200), color);
  return canvas;
}

// Empty if `frame` shows MovingRect(i, color) rendered at 300x200.
std::string CheckMovingRect(const Frame& frame, int i, Color color) {
  const int x0 = 5 * (i % 40);
  const std::vector<std::pair<int, int>> inside = {
      {x0 + 2, 52}, {x0 + 47, 97}, {x0 + 25, 75}};
  const std::vector<std::pair<int, int>> outside = {
      {x0 + 25, 45}, {x0 + 25, 105}, {(x0 + 150) % 300, 75}};
  for (auto [x, y] : inside) {
    if (!(frame.at(x, y) == ToRgb(color))) {
      return absl::StrCat("frame ", i, ": (", x, ", ", y, ") is ",
                          ToString(frame.at(x, y)), ", want ",
                          ToString(ToRgb(color)));
    }
  }
  for (auto [x, y] : outside) {
    if (!(frame.at(x, y) == ToRgb(kWhite))) {
      return absl::StrCat("frame ", i, ": (", x, ", ", y, ") is ",
                          ToString(frame.at(x, y)), ", want white");
    }
  }
  return "";
}

TEST_F(RendererTest, TwoRenderersInterleaved) {
  absl::StatusOr<std::unique_ptr<Renderer>> first = MakeRenderer(300, 200, 4);
  absl::StatusOr<std::unique_ptr<Renderer>> second = MakeRenderer(300, 200, 0);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(second.ok()) << second.status();
  Frame other;
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE((*first)->Render(MovingRect(i, kRed), &frame_).ok());
    ASSERT_TRUE((*second)->Render(MovingRect(i + 7, kBlue), &other).ok());
    EXPECT_EQ(CheckMovingRect(frame_, i, kRed), "");
    EXPECT_EQ(CheckMovingRect(other, i + 7, kBlue), "");
  }
  // One goes away; the other (same EGL display) keeps working.
  first->reset();
  ASSERT_TRUE((*second)->Render(MovingRect(3, kGreen), &frame_).ok());
  EXPECT_EQ(CheckMovingRect(frame_, 3, kGreen), "");
}

TEST_F(RendererTest, RenderersInTwoThreads) {
  constexpr int kFrames = 50;
  // One renderer is made in its thread, the other here and handed over; both
  // are destroyed in the thread that rendered with them or here.
  absl::StatusOr<std::unique_ptr<Renderer>> handed = MakeRenderer(300, 200, 4);
  ASSERT_TRUE(handed.ok()) << handed.status();
  std::string errors[2];
  std::thread threads[2];
  threads[0] = std::thread([&errors] {
    absl::StatusOr<std::unique_ptr<Renderer>> renderer =
        MakeRenderer(300, 200, 4);
    if (!renderer.ok()) {
      errors[0] = std::string(renderer.status().message());
      return;
    }
    Frame frame;
    for (int i = 0; i < kFrames && errors[0].empty(); ++i) {
      absl::Status status = (*renderer)->Render(MovingRect(i, kRed), &frame);
      errors[0] = status.ok() ? CheckMovingRect(frame, i, kRed)
                              : std::string(status.message());
    }
  });
  threads[1] = std::thread([&errors, renderer = handed->get()] {
    Frame frame;
    for (int i = 0; i < kFrames && errors[1].empty(); ++i) {
      absl::Status status = renderer->Render(MovingRect(i, kBlue), &frame);
      errors[1] = status.ok() ? CheckMovingRect(frame, i, kBlue)
                              : std::string(status.message());
    }
  });
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(errors[0], "");
  EXPECT_EQ(errors[1], "");
  // Back on this thread, after the other one rendered with it.
  ASSERT_TRUE((*handed)->Render(MovingRect(5, kGreen), &frame_).ok());
  EXPECT_EQ(CheckMovingRect(frame_, 5, kGreen), "");
}

TEST_F(RendererTest, CreateAndDestroyHundredRenderers) {
  for (int i = 0; i < 100; ++i) {
    absl::StatusOr<std::unique_ptr<Renderer>> renderer =
        MakeRenderer(64, 48, i % 2 == 0 ? 4 : 0);
    ASSERT_TRUE(renderer.ok()) << "renderer " << i << ": " << renderer.status();
    Canvas canvas(64, 48, kWhite);
    canvas.FillPolygon(Rect(i % 32, 10, i % 32 + 20, 30), kRed);
    ASSERT_TRUE((*renderer)->Render(canvas, &frame_).ok());
    ASSERT_EQ(frame_.at(i % 32 + 10, 20), ToRgb(kRed)) << "renderer " << i;
    ASSERT_EQ(frame_.at((i % 32 + 40) % 64, 20), ToRgb(kWhite))
        << "renderer " << i;
  }
}

}  // namespace
}  // namespace rl
