#include "rl/canvas/canvas.h"

#include <algorithm>
#include <variant>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rl {
namespace {

constexpr Color kRed{255, 0, 0, 255};
constexpr Color kBlue{0, 0, 255, 255};

TEST(CanvasTest, FillRectIsAPolygonClockwiseFromTopLeft) {
  Canvas canvas(100, 50);
  canvas.FillRect(10, 20, 30, 5, kRed);
  ASSERT_EQ(canvas.shapes().size(), 1u);
  const auto& rect = std::get<PolygonShape>(canvas.shapes()[0]);
  ASSERT_EQ(rect.points.size(), 4u);
  EXPECT_FLOAT_EQ(rect.points[0].x, 10);
  EXPECT_FLOAT_EQ(rect.points[0].y, 20);
  EXPECT_FLOAT_EQ(rect.points[2].x, 40);
  EXPECT_FLOAT_EQ(rect.points[2].y, 25);
  EXPECT_EQ(rect.color, kRed);
}

TEST(CanvasTest, DrawCanvasScalesAndOffsetsEveryShape) {
  Canvas source(200, 100, kBlue);
  source.FillPolygon({{10, 10}, {50, 10}, {30, 40}}, kRed);
  source.FillCircle({100, 50}, 20, kRed);
  source.DrawLine({0, 90}, {200, 90}, 2, kBlack);
  source.DrawText({5, 5}, 16, kWhite, "SCORE 10");

  Canvas grid(400, 200, kBlack);
  grid.DrawCanvas(source, {200, 100}, 0.5f);
  ASSERT_EQ(grid.shapes().size(), 5u);

  const auto& background = std::get<PolygonShape>(grid.shapes()[0]);
  EXPECT_EQ(background.color, kBlue);
  EXPECT_FLOAT_EQ(background.points[0].x, 200);
  EXPECT_FLOAT_EQ(background.points[0].y, 100);
  EXPECT_FLOAT_EQ(background.points[2].x, 300);
  EXPECT_FLOAT_EQ(background.points[2].y, 150);

  const auto& triangle = std::get<PolygonShape>(grid.shapes()[1]);
  ASSERT_EQ(triangle.points.size(), 3u);
  EXPECT_FLOAT_EQ(triangle.points[2].x, 215);
  EXPECT_FLOAT_EQ(triangle.points[2].y, 120);

  const auto& circle = std::get<CircleShape>(grid.shapes()[2]);
  EXPECT_FLOAT_EQ(circle.center.x, 250);
  EXPECT_FLOAT_EQ(circle.center.y, 125);
  EXPECT_FLOAT_EQ(circle.radius, 10);

  const auto& line = std::get<LineShape>(grid.shapes()[3]);
  EXPECT_FLOAT_EQ(line.from.x, 200);
  EXPECT_FLOAT_EQ(line.to.x, 300);
  EXPECT_FLOAT_EQ(line.to.y, 145);
  EXPECT_FLOAT_EQ(line.width, 1);

  const auto& text = std::get<TextShape>(grid.shapes()[4]);
  EXPECT_FLOAT_EQ(text.top_left.x, 202.5f);
  EXPECT_FLOAT_EQ(text.top_left.y, 102.5f);
  EXPECT_FLOAT_EQ(text.height, 8);
  EXPECT_EQ(text.text, "SCORE 10");
  EXPECT_EQ(text.color, kWhite);
}

TEST(CanvasTest, DrawCanvasClipsPolygonsToTheSourceBounds) {
  Canvas source(100, 100);
  // A square half outside the right edge.
  source.FillRect(80, 10, 40, 20, kRed);
  Canvas out(200, 200);
  out.DrawCanvas(source, {0, 0}, 1);
  ASSERT_EQ(out.shapes().size(), 2u);
  const auto& clipped = std::get<PolygonShape>(out.shapes()[1]);
  float max_x = 0;
  for (const Point& p : clipped.points) max_x = std::max(max_x, p.x);
  EXPECT_FLOAT_EQ(max_x, 100);
  EXPECT_EQ(clipped.points.size(), 4u);
}

TEST(CanvasTest, DrawCanvasDropsWhatIsEntirelyOutside) {
  Canvas source(100, 100);
  source.FillRect(150, 10, 10, 10, kRed);
  source.FillCircle({-30, 50}, 10, kRed);
  source.DrawLine({-10, -10}, {-5, -20}, 1, kRed);
  source.DrawText({120, 5}, 10, kRed, "gone");
  Canvas out(100, 100);
  out.DrawCanvas(source, {0, 0}, 1);
  EXPECT_EQ(out.shapes().size(), 1u);  // Only the background.
}

TEST(CanvasTest, DrawCanvasTurnsABorderCircleIntoAClippedPolygon) {
  Canvas source(100, 100);
  source.FillCircle({100, 50}, 10, kRed);  // Half of it is outside.
  Canvas out(100, 100);
  out.DrawCanvas(source, {0, 0}, 2);
  ASSERT_EQ(out.shapes().size(), 2u);
  const auto& half = std::get<PolygonShape>(out.shapes()[1]);
  float min_x = 1e9f, max_x = -1e9f;
  for (const Point& p : half.points) {
    min_x = std::min(min_x, p.x);
    max_x = std::max(max_x, p.x);
    EXPECT_LE(p.y, 2 * 60.0f + 1e-3f);
    EXPECT_GE(p.y, 2 * 40.0f - 1e-3f);
  }
  EXPECT_NEAR(min_x, 2 * 90.0f, 1e-3);
  EXPECT_FLOAT_EQ(max_x, 200);
}

TEST(CanvasTest, DrawCanvasClipsLinesAlongTheirCentre) {
  Canvas source(100, 100);
  source.DrawLine({-50, 50}, {50, 50}, 3, kRed);
  Canvas out(100, 100);
  out.DrawCanvas(source, {10, 0}, 1);
  const auto& line = std::get<LineShape>(out.shapes()[1]);
  EXPECT_FLOAT_EQ(line.from.x, 10);
  EXPECT_FLOAT_EQ(line.to.x, 60);
  EXPECT_FLOAT_EQ(line.width, 3);
}

TEST(CanvasTest, DrawCanvasIntoItselfCopiesFirst) {
  Canvas canvas(100, 100, kBlue);
  canvas.FillCircle({50, 50}, 10, kRed);
  canvas.DrawCanvas(canvas, {0, 0}, 0.5f);
  ASSERT_EQ(canvas.shapes().size(), 3u);
  EXPECT_FLOAT_EQ(std::get<CircleShape>(canvas.shapes()[2]).radius, 5);
}

}  // namespace
}  // namespace rl
