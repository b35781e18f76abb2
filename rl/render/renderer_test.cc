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
#include "rl/render/font.h"
#include "rl/render/image_io.h"
#include "rl/render/render_backend.h"
#include "rl/render/yuv.h"

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

constexpr Antialiasing kAnalytic = Antialiasing::kAnalytic;
constexpr Antialiasing kMsaa = Antialiasing::kMsaa;
constexpr Antialiasing kNoAa = Antialiasing::kNone;

absl::StatusOr<std::unique_ptr<Renderer>> MakeRenderer(
    int width, int height, Antialiasing antialiasing = kAnalytic,
    int msaa_samples = 4) {
  absl::StatusOr<std::unique_ptr<RenderBackend>> backend =
      RenderBackends().Create("llvmpipe");
  if (!backend.ok()) return backend.status();
  RendererOptions options;
  options.width = width;
  options.height = height;
  options.antialiasing = antialiasing;
  options.msaa_samples = msaa_samples;
  return Renderer::Create(*std::move(backend), options);
}

// A renderer on llvmpipe with `options`.
absl::StatusOr<std::unique_ptr<Renderer>> MakeRendererWith(
    const RendererOptions& options) {
  absl::StatusOr<std::unique_ptr<RenderBackend>> backend =
      RenderBackends().Create("llvmpipe");
  if (!backend.ok()) return backend.status();
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
  void RenderOnce(const Canvas& canvas, int width, int height,
                  Antialiasing antialiasing, int msaa_samples = 4) {
    absl::StatusOr<std::unique_ptr<Renderer>> renderer =
        MakeRenderer(width, height, antialiasing, msaa_samples);
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
  RenderOnce(canvas, 600, 400, kAnalytic);
  EXPECT_EQ(CountPixels(frame_, ToRgb(kBackground)), 600 * 400);
}

TEST_F(RendererTest, RectangleLandsOnItsPixels) {
  Canvas canvas(600, 400, kWhite);
  canvas.FillPolygon(Rect(100, 50, 300, 150), kRed);
  RenderOnce(canvas, 600, 400, kAnalytic);
  ExpectRect(100, 50, 300, 150, kRed, kWhite, /*slack=*/1);
}

TEST_F(RendererTest, RectangleIsExactWithoutAntialiasing) {
  Canvas canvas(600, 400, kWhite);
  canvas.FillPolygon(Rect(100, 50, 300, 150), kRed);
  RenderOnce(canvas, 600, 400, kNoAa);
  ExpectRect(100, 50, 300, 150, kRed, kWhite, /*slack=*/0);
}

TEST_F(RendererTest, TopOfTheCanvasIsRowZero) {
  Canvas canvas(600, 400, kWhite);
  canvas.FillPolygon(Rect(0, 0, 40, 20), kRed);         // Top left.
  canvas.FillPolygon(Rect(560, 380, 600, 400), kBlue);  // Bottom right.
  RenderOnce(canvas, 600, 400, kAnalytic);
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
  RenderOnce(canvas, 300, 200, kAnalytic);
  ExpectRect(50, 25, 150, 75, kRed, kWhite, 1);
}

TEST_F(RendererTest, NonUniformStretch) {
  Canvas canvas(100, 100, kWhite);
  canvas.FillPolygon(Rect(10, 20, 50, 60), kRed);
  RenderOnce(canvas, 300, 50, kNoAa);
  ExpectRect(30, 10, 150, 30, kRed, kWhite, 0);
}

TEST(LetterboxRectTest, CentresTheLargestUniformScaleOnEvenOffsets) {
  const PixelRect wide = LetterboxRect(600, 400, 1280, 720);
  EXPECT_EQ(wide.x, 100);
  EXPECT_EQ(wide.y, 0);
  EXPECT_EQ(wide.width, 1080);
  EXPECT_EQ(wide.height, 720);
  const PixelRect tall = LetterboxRect(600, 400, 600, 600);
  EXPECT_EQ(tall.x, 0);
  EXPECT_EQ(tall.y, 100);
  EXPECT_EQ(tall.width, 600);
  EXPECT_EQ(tall.height, 400);
  const PixelRect same = LetterboxRect(600, 400, 300, 200);
  EXPECT_EQ(same.x, 0);
  EXPECT_EQ(same.y, 0);
  EXPECT_EQ(same.width, 300);
  EXPECT_EQ(same.height, 200);
  const PixelRect odd = LetterboxRect(100, 100, 203, 100);  // 51.5 bars.
  EXPECT_EQ(odd.x, 50);
  EXPECT_EQ(odd.width, 100);
  const PixelRect tiny = LetterboxRect(1000, 1, 1, 1);
  EXPECT_EQ(tiny.width, 1);
  EXPECT_EQ(tiny.height, 1);
}

// A square canvas in a 3:1 frame: black bars of a third each side, the
// canvas unscaled in the middle, and a rectangle that reaches past the
// canvas' right and top edges clipped there, not drawn into the bars.
TEST_F(RendererTest, LetterboxCentresTheCanvasBetweenBarsAndClipsIt) {
  Canvas canvas(100, 100, kWhite);
  canvas.FillPolygon(Rect(50, -20, 150, 50), kRed);
  for (Antialiasing antialiasing : {kAnalytic, kMsaa, kNoAa}) {
    for (Fit fit : {Fit::kLetterbox, Fit::kStretch}) {
      SCOPED_TRACE(absl::StrCat("antialiasing ", static_cast<int>(antialiasing),
                                " fit ", static_cast<int>(fit)));
      RendererOptions options;
      options.width = 300;
      options.height = 100;
      options.antialiasing = antialiasing;
      options.fit = fit;
      auto renderer = MakeRendererWith(options);
      ASSERT_TRUE(renderer.ok()) << renderer.status();
      // Twice: the bars' clear and the scissor do not leak into the next
      // frame.
      for (int i = 0; i < 2; ++i) {
        ASSERT_TRUE((*renderer)->Render(canvas, &frame_).ok());
      }
      if (fit == Fit::kStretch) {
        ExpectRect(150, 0, 300, 50, kRed, kWhite, /*slack=*/1);
        continue;
      }
      EXPECT_THAT((*renderer)->Describe(), HasSubstr("letterboxed"));
      int wrong = 0;
      for (int y = 0; y < 100; ++y) {
        for (int x = 0; x < 300; ++x) {
          const bool bar = x < 100 || x >= 200;
          const bool red = x >= 150 && x < 200 && y < 50;
          const Rgb want = bar   ? Rgb{0, 0, 0}
                           : red ? ToRgb(kRed)
                                 : Rgb{255, 255, 255};
          const bool edge = (x >= 149 && x <= 150) || (y >= 49 && y <= 50);
          if (!edge && !(frame_.at(x, y) == want)) ++wrong;
        }
      }
      EXPECT_EQ(wrong, 0);
    }
  }
}

TEST_F(RendererTest, LetterboxBarsInYuvAreBlackOnTheCpuAndTheGpu) {
  Canvas canvas(100, 100, kWhite);
  for (YuvConversion conversion : {YuvConversion::kCpu, YuvConversion::kGpu}) {
    SCOPED_TRACE(static_cast<int>(conversion));
    RendererOptions options;
    options.width = 100;
    options.height = 300;
    options.format = PixelFormat::kYuv420p;
    options.yuv_conversion = conversion;
    options.fit = Fit::kLetterbox;
    auto renderer = MakeRendererWith(options);
    ASSERT_TRUE(renderer.ok()) << renderer.status();
    Frame yuv;
    ASSERT_TRUE((*renderer)->Render(canvas, &yuv).ok());
    const uint8_t* luma = yuv.plane(0);
    const uint8_t* u = yuv.plane(1);
    for (int y : {0, 99, 200, 299}) {
      EXPECT_NEAR(luma[y * yuv.plane_stride(0) + 50], 16, 1)  // Black.
          << "row " << y;
      EXPECT_NEAR(u[(y / 2) * yuv.plane_stride(1) + 25], 128, 1) << "row " << y;
    }
    for (int y : {100, 150, 199}) {
      EXPECT_NEAR(luma[y * yuv.plane_stride(0) + 50], 235, 1)  // White.
          << "row " << y;
    }
  }
}

TEST_F(RendererTest, CircleIsRoundAndHasTheRightArea) {
  Canvas canvas(600, 400, kWhite);
  canvas.FillCircle({300, 200}, 50, kRed);
  RenderOnce(canvas, 600, 400, kAnalytic);
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
  RenderOnce(canvas, 600, 400, kAnalytic);
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
  RenderOnce(canvas, 600, 400, kAnalytic);
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
    RenderOnce(canvas, 600, 400, kAnalytic);
    EXPECT_NEAR(CoveredArea(frame_, kWhite, kRed), want, 0.01 * want)
        << "reversed " << reversed;
    EXPECT_EQ(frame_.at(300, 200), ToRgb(kRed));
    EXPECT_EQ(frame_.at(300, 200 - 140), ToRgb(kRed));  // Top point.
    // Between the top two points, outside the inner radius.
    EXPECT_EQ(frame_.at(300 + 50, 200 - 100), ToRgb(kWhite));
  }
}

TEST_F(RendererTest, ThinLinesStayVisible) {
  for (Antialiasing msaa : {kNoAa, kAnalytic, kMsaa}) {
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
            << "column " << x << " antialiasing " << static_cast<int>(msaa)
            << " scale 1/" << scale_down;
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
  RenderOnce(canvas, 600, 400, kNoAa);
  ExpectRect(100, 195, 500, 205, kRed, kWhite, 0);
  // Scaled: 10 canvas pixels are 5 frame pixels at half size.
  RenderOnce(canvas, 300, 200, kNoAa);
  ExpectRect(50, 97, 250, 102, kRed, kWhite, 1);
}

TEST_F(RendererTest, AntialiasingMakesIntermediateColors) {
  Canvas canvas(600, 400, kWhite);
  canvas.FillPolygon({{0, 0}, {600, 0}, {0, 400}}, kBlack);  // Diagonal edge.
  auto intermediate = [this] {
    return 600 * 400 - CountPixels(frame_, ToRgb(kWhite)) -
           CountPixels(frame_, ToRgb(kBlack));
  };
  RenderOnce(canvas, 600, 400, kAnalytic);
  EXPECT_GT(intermediate(), 300);  // About one per column along the edge.
  RenderOnce(canvas, 600, 400, kNoAa);
  EXPECT_EQ(intermediate(), 0);
  RenderOnce(canvas, 600, 400, kNoAa);
  EXPECT_EQ(intermediate(), 0);
}

TEST_F(RendererTest, MsaaBeyondTheMaximumIsClamped) {
  Canvas canvas(600, 400, kWhite);
  canvas.FillPolygon({{0, 0}, {600, 0}, {0, 400}}, kBlack);
  RenderOnce(canvas, 600, 400, kMsaa, 64);
  EXPECT_GT(600 * 400 - CountPixels(frame_, ToRgb(kWhite)) -
                CountPixels(frame_, ToRgb(kBlack)),
            300);
}

TEST_F(RendererTest, AlphaBlendsOverWhatIsBelow) {
  Canvas canvas(100, 100, kWhite);
  canvas.FillPolygon(Rect(0, 0, 100, 50), kBlue);
  canvas.FillPolygon(Rect(0, 0, 100, 100), Color{255, 0, 0, 128});
  RenderOnce(canvas, 100, 100, kAnalytic);
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
  RenderOnce(canvas, 100, 100, kAnalytic);
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
  RenderOnce(canvas, 100, 100, kAnalytic);
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
  RenderOnce(canvas, 600, 400, kAnalytic);
  EXPECT_EQ(frame_.at(200, 150), ToRgb(kWhite));  // Inside the U.
  EXPECT_EQ(frame_.at(125, 150), ToRgb(kRed));
  EXPECT_EQ(frame_.at(275, 150), ToRgb(kRed));
  EXPECT_EQ(frame_.at(200, 275), ToRgb(kRed));
  EXPECT_NEAR(CoveredArea(frame_, kWhite, kRed), 200 * 200 - 100 * 150, 50);
}

TEST_F(RendererTest, OddAndTinySizes) {
  for (Antialiasing antialiasing : {kAnalytic, kMsaa, kNoAa}) {
    for (auto [width, height] :
         {std::pair{1, 1}, std::pair{3, 5}, std::pair{601, 401},
          std::pair{1, 400}, std::pair{600, 1}, std::pair{2, 2}}) {
      SCOPED_TRACE(absl::StrCat(width, "x", height, " antialiasing ",
                                static_cast<int>(antialiasing)));
      Canvas canvas(600, 400, kBlue);
      canvas.FillPolygon(Rect(0, 0, 300, 400), kRed);  // Left half.
      RenderOnce(canvas, width, height, antialiasing);
      if (width > 1) {
        EXPECT_EQ(frame_.at(0, 0), ToRgb(kRed));
        EXPECT_EQ(frame_.at(0, height - 1), ToRgb(kRed));
        EXPECT_EQ(frame_.at(width - 1, 0), ToRgb(kBlue));
        EXPECT_EQ(frame_.at(width - 1, height - 1), ToRgb(kBlue));
      } else if (antialiasing == kMsaa) {
        // One column spans the whole canvas: half red, half blue.
        EXPECT_NEAR(frame_.at(0, 0).r, 128, 2);
        EXPECT_EQ(frame_.at(0, 0).g, 0);
        EXPECT_NEAR(frame_.at(0, 0).b, 128, 2);
      } else if (antialiasing == kAnalytic) {
        // The half-pixel-wide rectangle's fringe is an approximation of
        // its coverage (0.375 instead of 0.5): close, and a blend.
        EXPECT_NEAR(frame_.at(0, 0).r, 128, 40);
        EXPECT_EQ(frame_.at(0, 0).g, 0);
        EXPECT_EQ(frame_.at(0, 0).r + frame_.at(0, 0).b, 255);
      }
      EXPECT_EQ(frame_.size_bytes(), static_cast<size_t>(width) * height * 3);
    }
  }
}

TEST_F(RendererTest, BadSizesAreInvalidArguments) {
  for (auto [width, height] :
       {std::pair{0, 10}, std::pair{10, 0}, std::pair{-1, 10},
        std::pair{10, -1}, std::pair{9000, 10}, std::pair{10, 9000},
        std::pair{8193, 8193}}) {
    absl::StatusOr<std::unique_ptr<Renderer>> renderer =
        MakeRenderer(width, height);
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
  absl::StatusOr<std::unique_ptr<Renderer>> renderer = MakeRenderer(8, 8);
  ASSERT_TRUE(renderer.ok()) << renderer.status();
  EXPECT_EQ((*renderer)->Render(Canvas(8, 8), nullptr).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(RendererTest, ReportsItsSizeAndBackend) {
  absl::StatusOr<std::unique_ptr<Renderer>> renderer = MakeRenderer(320, 240);
  ASSERT_TRUE(renderer.ok()) << renderer.status();
  EXPECT_EQ((*renderer)->width(), 320);
  EXPECT_EQ((*renderer)->height(), 240);
  EXPECT_EQ((*renderer)->backend().name(), "llvmpipe");
}

TEST_F(RendererTest, ReusedFrameIsResizedAndOverwritten) {
  absl::StatusOr<std::unique_ptr<Renderer>> renderer = MakeRenderer(60, 40);
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
  absl::StatusOr<std::unique_ptr<Renderer>> first = MakeRenderer(300, 200);
  absl::StatusOr<std::unique_ptr<Renderer>> second =
      MakeRenderer(300, 200, kNoAa);
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
  absl::StatusOr<std::unique_ptr<Renderer>> handed = MakeRenderer(300, 200);
  ASSERT_TRUE(handed.ok()) << handed.status();
  std::string errors[2];
  std::thread threads[2];
  threads[0] = std::thread([&errors] {
    absl::StatusOr<std::unique_ptr<Renderer>> renderer = MakeRenderer(300, 200);
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
        MakeRenderer(64, 48, i % 2 == 0 ? kAnalytic : kMsaa);
    ASSERT_TRUE(renderer.ok()) << "renderer " << i << ": " << renderer.status();
    Canvas canvas(64, 48, kWhite);
    canvas.FillPolygon(Rect(i % 32, 10, i % 32 + 20, 30), kRed);
    ASSERT_TRUE((*renderer)->Render(canvas, &frame_).ok());
    ASSERT_EQ(frame_.at(i % 32 + 10, 20), ToRgb(kRed)) << "renderer " << i;
    ASSERT_EQ(frame_.at((i % 32 + 40) % 64, 20), ToRgb(kWhite))
        << "renderer " << i;
  }
}

// A busy canvas: every kind of shape, partly transparent, and text.
Canvas BusyCanvas(int i) {
  Canvas canvas(600, 400, Color{240, 240, 250, 255});
  const float x = 300 + 7 * (i % 20) - 70;
  canvas.DrawLine({0, 300}, {600, 300}, 1, kBlack);
  canvas.FillPolygon(Rect(x - 25, 285, x + 25, 315), kBlack);
  canvas.FillPolygon({{x - 5, 292}, {x + 5, 292}, {x + 15, 170}, {x + 5, 168}},
                     Color{202, 152, 101, 255});
  canvas.FillCircle({x, 292.5}, 5, Color{129, 132, 203, 255});
  canvas.FillCircle({100, 100}, 60, Color{255, 0, 0, 128});
  canvas.DrawText({20, 20}, 20, Color{0, 90, 0, 255}, "step 42");
  return canvas;
}

Frame ReferenceYuv(const Frame& rgb) {
  std::vector<uint8_t> rgba(static_cast<size_t>(rgb.width()) * rgb.height() *
                            4);
  for (int y = 0; y < rgb.height(); ++y) {
    for (int x = 0; x < rgb.width(); ++x) {
      const Rgb c = rgb.at(x, y);
      uint8_t* p = &rgba[(static_cast<size_t>(y) * rgb.width() + x) * 4];
      p[0] = c.r;
      p[1] = c.g;
      p[2] = c.b;
      p[3] = 255;
    }
  }
  Frame yuv(rgb.width(), rgb.height(), PixelFormat::kYuv420p);
  RgbaToYuv420p(rgba.data(), rgb.width(), rgb.height(), &yuv);
  return yuv;
}

// Largest difference of any byte, and how many differ at all.
std::pair<int, int> Compare(const Frame& a, const Frame& b) {
  int largest = 0;
  int differing = 0;
  for (size_t i = 0; i < std::min(a.size_bytes(), b.size_bytes()); ++i) {
    const int d = std::abs(a.data()[i] - b.data()[i]);
    largest = std::max(largest, d);
    differing += d != 0;
  }
  return {largest, differing};
}

absl::StatusOr<std::unique_ptr<Renderer>> MakeYuvRenderer(
    int width, int height, YuvConversion conversion,
    Antialiasing antialiasing = kAnalytic,
    Readback readback = Readback::kAuto) {
  absl::StatusOr<std::unique_ptr<RenderBackend>> backend =
      RenderBackends().Create("llvmpipe");
  if (!backend.ok()) return backend.status();
  RendererOptions options;
  options.width = width;
  options.height = height;
  options.format = PixelFormat::kYuv420p;
  options.yuv_conversion = conversion;
  options.antialiasing = antialiasing;
  options.readback = readback;
  return Renderer::Create(*std::move(backend), options);
}

TEST_F(RendererTest, YuvOnTheCpuIsTheConvertedRgbFrame) {
  for (auto [width, height] : {std::pair{600, 400}, std::pair{601, 401},
                               std::pair{3, 5}, std::pair{1, 1}}) {
    SCOPED_TRACE(absl::StrCat(width, "x", height));
    RenderOnce(BusyCanvas(3), width, height, kAnalytic);
    const Frame want = ReferenceYuv(frame_);
    auto renderer = MakeYuvRenderer(width, height, YuvConversion::kCpu);
    ASSERT_TRUE(renderer.ok()) << renderer.status();
    Frame yuv;
    ASSERT_TRUE((*renderer)->Render(BusyCanvas(3), &yuv).ok());
    ASSERT_EQ(yuv.format(), PixelFormat::kYuv420p);
    ASSERT_EQ(yuv.size_bytes(), want.size_bytes());
    EXPECT_EQ(Compare(yuv, want).first, 0);
  }
}

TEST_F(RendererTest, YuvOnTheGpuMatchesTheCpuWithinRounding) {
  for (Antialiasing antialiasing : {kAnalytic, kMsaa, kNoAa}) {
    for (auto [width, height] :
         {std::pair{600, 400}, std::pair{601, 401}, std::pair{84, 84},
          std::pair{3, 5}, std::pair{1, 1}}) {
      SCOPED_TRACE(absl::StrCat(width, "x", height, " antialiasing ",
                                static_cast<int>(antialiasing)));
      RenderOnce(BusyCanvas(5), width, height, antialiasing);
      const Frame want = ReferenceYuv(frame_);
      auto renderer =
          MakeYuvRenderer(width, height, YuvConversion::kGpu, antialiasing);
      ASSERT_TRUE(renderer.ok()) << renderer.status();
      EXPECT_THAT((*renderer)->Describe(), HasSubstr("YUV on the GPU"));
      Frame yuv;
      ASSERT_TRUE((*renderer)->Render(BusyCanvas(5), &yuv).ok());
      ASSERT_EQ(yuv.size_bytes(), want.size_bytes());
      // Blending happens in YUV instead of RGB, and chroma is rounded per
      // pixel before averaging: a few levels at antialiased edges.
      const auto [largest, differing] = Compare(yuv, want);
      EXPECT_LE(largest, 4);
      EXPECT_LE(differing, static_cast<int>(want.size_bytes() / 10 + 8));
      // Flat areas are exact: the background's Y, U, V.
      EXPECT_NEAR(yuv.plane(0)[width * height - 1],
                  want.plane(0)[width * height - 1], 1);
    }
  }
}

TEST_F(RendererTest, SubmitAndRetrieveKeepOrder) {
  for (Readback readback : {Readback::kPixelBuffers, Readback::kDirect}) {
    for (PixelFormat format : {PixelFormat::kRgb24, PixelFormat::kYuv420p}) {
      for (YuvConversion conversion :
           {YuvConversion::kGpu, YuvConversion::kCpu}) {
        SCOPED_TRACE(absl::StrCat("readback ", static_cast<int>(readback),
                                  " format ", static_cast<int>(format),
                                  " conversion ",
                                  static_cast<int>(conversion)));
        auto backend = RenderBackends().Create("llvmpipe");
        ASSERT_TRUE(backend.ok()) << backend.status();
        RendererOptions options;
        options.width = 300;
        options.height = 200;
        options.format = format;
        options.yuv_conversion = conversion;
        options.readback = readback;
        options.frames_in_flight = 3;
        auto renderer = Renderer::Create(*std::move(backend), options);
        ASSERT_TRUE(renderer.ok()) << renderer.status();
        Renderer& r = **renderer;
        // What each canvas looks like, rendered synchronously.
        std::vector<Frame> want(5);
        for (int i = 0; i < 5; ++i) {
          ASSERT_TRUE(r.Render(BusyCanvas(i), &want[i]).ok());
        }
        Frame got;
        EXPECT_EQ(r.Retrieve(&got).code(),
                  absl::StatusCode::kFailedPrecondition);
        for (int i = 0; i < 3; ++i) ASSERT_TRUE(r.Submit(BusyCanvas(i)).ok());
        EXPECT_EQ(r.pending(), 3);
        EXPECT_EQ(r.Submit(BusyCanvas(3)).code(),
                  absl::StatusCode::kFailedPrecondition);
        EXPECT_EQ(r.Render(BusyCanvas(3), &got).code(),
                  absl::StatusCode::kFailedPrecondition);
        for (int i = 0; i < 5; ++i) {
          ASSERT_TRUE(r.Retrieve(&got).ok()) << i;
          EXPECT_EQ(got.format(), format);
          EXPECT_EQ(Compare(got, want[i]), std::make_pair(0, 0)) << i;
          if (i + 3 < 5) {
            ASSERT_TRUE(r.Submit(BusyCanvas(i + 3)).ok());
          }
        }
        EXPECT_EQ(r.pending(), 0);
      }
    }
  }
}

TEST_F(RendererTest, FramesInFlightIsChecked) {
  auto backend = RenderBackends().Create("llvmpipe");
  ASSERT_TRUE(backend.ok()) << backend.status();
  RendererOptions options;
  options.frames_in_flight = 0;
  auto renderer = Renderer::Create(*std::move(backend), options);
  EXPECT_EQ(renderer.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(renderer.status().message(), HasSubstr("frames_in_flight"));
}

TEST_F(RendererTest, AutoChoicesForASoftwareRasterizer) {
  auto renderer = MakeYuvRenderer(64, 64, YuvConversion::kAuto);
  ASSERT_TRUE(renderer.ok()) << renderer.status();
  EXPECT_EQ((*renderer)->options().yuv_conversion, YuvConversion::kCpu);
  EXPECT_EQ((*renderer)->options().readback, Readback::kDirect);
  EXPECT_EQ((*renderer)->Describe(),
            "64x64 yuv420p, analytic antialiasing, YUV on the CPU, direct "
            "readback");
}

TEST_F(RendererTest, TextDrawsTheFontsGlyphs) {
  // Each font pixel 4x4 frame pixels: "A" in a 24x40 cell at (8, 8).
  Canvas canvas(100, 60, kWhite);
  canvas.DrawText({8, 8}, 40, kBlack, "A");
  for (Antialiasing antialiasing : {kAnalytic, kNoAa, kMsaa}) {
    RenderOnce(canvas, 100, 60, antialiasing);
    int wrong = 0;
    for (int fy = 0; fy < font::kCellHeight; ++fy) {
      for (int fx = 0; fx < font::kCellWidth; ++fx) {
        // The middle of each font pixel.
        const Rgb got = frame_.at(8 + 4 * fx + 2, 8 + 4 * fy + 2);
        const Rgb want = font::Ink('A', fx, fy) ? ToRgb(kBlack) : ToRgb(kWhite);
        wrong += !(got == want);
      }
    }
    EXPECT_EQ(wrong, 0) << static_cast<int>(antialiasing);
    // Nothing outside the cell.
    EXPECT_EQ(frame_.at(50, 30), ToRgb(kWhite));
    EXPECT_EQ(frame_.at(4, 30), ToRgb(kWhite));
  }
}

TEST_F(RendererTest, TextIsSmoothAtFractionalScales) {
  Canvas canvas(100, 60, kWhite);
  canvas.DrawText({3.3f, 5.7f}, 13.7f, kBlack, "Hello, world!");
  RenderOnce(canvas, 100, 60, kAnalytic);
  const int intermediate = 100 * 60 - CountPixels(frame_, ToRgb(kWhite)) -
                           CountPixels(frame_, ToRgb(kBlack));
  EXPECT_GT(intermediate, 50);
  EXPECT_GT(CountPixels(frame_, ToRgb(kBlack)), 20);
  // Non-ASCII draws as '?', not nothing.
  Canvas odd(100, 60, kWhite);
  odd.DrawText({10, 10}, 20, kBlack, "\xff");
  RenderOnce(odd, 100, 60, kNoAa);
  EXPECT_GT(CountPixels(frame_, ToRgb(kBlack)), 10);
}

}  // namespace
}  // namespace rl
