#include "rl/render/overlay.h"

#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/canvas/canvas.h"
#include "rl/core/frame.h"
#include "rl/render/render_backend.h"
#include "rl/render/renderer.h"

namespace rl {
namespace {

using ::testing::ElementsAre;

TEST(OverlayTest, Lines) {
  OverlayInfo info;
  info.env_id = "CartPole-v1";
  info.episode = 2;
  info.step = 57;
  info.episode_return = 57;
  info.label = "random agent";
  EXPECT_THAT(OverlayLines(info),
              ElementsAre("CartPole-v1  episode 2", "step 57  return 57",
                          "random agent"));
  info.step = -1;
  info.env_id.clear();
  info.label.clear();
  info.episode_return = -3.25;
  EXPECT_THAT(OverlayLines(info), ElementsAre("episode 2", "return -3.25"));
  OverlayInfo label_only;
  label_only.show_return = false;
  label_only.label = "hello";
  EXPECT_THAT(OverlayLines(label_only), ElementsAre("hello"));
}

TEST(OverlayTest, NothingToShowDrawsNothing) {
  Canvas canvas(600, 400);
  OverlayInfo info;
  info.show_return = false;
  DrawOverlay(info, OverlayOptions(), &canvas);
  EXPECT_TRUE(canvas.shapes().empty());
}

TEST(OverlayTest, BoxThenOneTextPerLine) {
  Canvas canvas(600, 400);
  OverlayInfo info{"CartPole-v1", 0, 3, 3.0, true, "x"};
  DrawOverlay(info, OverlayOptions(), &canvas);
  ASSERT_EQ(canvas.shapes().size(), 4u);
  const auto* box = std::get_if<PolygonShape>(&canvas.shapes()[0]);
  ASSERT_NE(box, nullptr);
  EXPECT_GT(box->color.a, 0);
  EXPECT_LT(box->color.a, 255);  // Translucent.
  const auto* text = std::get_if<TextShape>(&canvas.shapes()[1]);
  ASSERT_NE(text, nullptr);
  EXPECT_EQ(text->text, "CartPole-v1  episode 0");
  EXPECT_EQ(text->height, 20);  // 400 / 20.
  // The box holds the longest line.
  EXPECT_GE(box->points[1].x, text->top_left.x + 22 * 0.6f * 20);
}

// The box's top and bottom, and the first line's top.
struct Placed {
  float top = 0;
  float bottom = 0;
  float text_top = 0;
};
Placed PlaceOverlay(const Rect& keep_clear, int canvas_height) {
  Canvas canvas(600, canvas_height);
  OverlayOptions options;
  options.keep_clear = keep_clear;
  DrawOverlay(OverlayInfo{"MazeChase-v0", 0, 3, 3.0, true, ""}, options,
              &canvas);
  const auto* box = std::get_if<PolygonShape>(&canvas.shapes()[0]);
  const auto* text = std::get_if<TextShape>(&canvas.shapes()[1]);
  if (box == nullptr || text == nullptr) return {};
  return {box->points[0].y, box->points[2].y, text->top_left.y};
}

TEST(OverlayTest, StaysOffTheRectangleToKeepClear) {
  // Nothing to keep clear, or something elsewhere: the top-left corner.
  EXPECT_EQ(PlaceOverlay(Rect(), 400).top, 0);
  EXPECT_EQ(PlaceOverlay(Rect{400, 0, 200, 40}, 400).top, 0);
  // A HUD line across the top: just below it, the text with it.
  const Placed below = PlaceOverlay(Rect{0, 0, 600, 40}, 400);
  EXPECT_GE(below.top, 40);
  EXPECT_LE(below.top, 42);
  EXPECT_GT(below.text_top, below.top);
  // No room below: the bottom.
  const Placed bottom = PlaceOverlay(Rect{0, 0, 600, 380}, 400);
  EXPECT_EQ(bottom.bottom, 400);
}

// The overlay drawn into a frame: white text on a darkened box, the rest of
// the picture untouched.
TEST(OverlayTest, Rendered) {
  auto backend = RenderBackends().Create("llvmpipe");
  ASSERT_TRUE(backend.ok()) << backend.status();
  RendererOptions options;
  auto renderer = Renderer::Create(*std::move(backend), options);
  ASSERT_TRUE(renderer.ok()) << renderer.status();
  Canvas canvas(600, 400, kWhite);
  OverlayInfo info{"CartPole-v1", 1, 10, 10.0, true, ""};
  DrawOverlay(info, OverlayOptions(), &canvas);
  Frame frame;
  ASSERT_TRUE((*renderer)->Render(canvas, &frame).ok());
  int white = 0;
  int dark = 0;
  for (int y = 0; y < 50; ++y) {
    for (int x = 0; x < 200; ++x) {
      const Rgb c = frame.at(x, y);
      white += c.r == 255 && c.g == 255 && c.b == 255;
      dark += c.r < 120 && c.r == c.g && c.g == c.b;
    }
  }
  EXPECT_GT(white, 300);  // Text pixels.
  EXPECT_GT(dark, 3000);  // The box.
  EXPECT_EQ(frame.at(599, 399), (Rgb{255, 255, 255}));
  EXPECT_EQ(frame.at(300, 200), (Rgb{255, 255, 255}));
}

}  // namespace
}  // namespace rl
