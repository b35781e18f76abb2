// EnvPicture + PictureRenderer on llvmpipe: a 2D env's picture is exactly
// its canvas rendered; a MuJoCo env's picture is its 3D scene, with the
// tracking camera on its body, overlays over it and N envs in a grid.
#include "rl/pipeline/env_picture.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/core/frame.h"
#include "rl/envs/env.h"
#include "rl/envs/mujoco/mujoco_env.h"
#include "rl/render/render_backend.h"
#include "rl/render/renderer.h"

namespace rl {
namespace {

using ::testing::HasSubstr;

std::unique_ptr<Env> MakeEnv(const std::string& id, uint64_t seed = 1) {
  absl::StatusOr<std::unique_ptr<Env>> env = Envs().Create(id);
  EXPECT_TRUE(env.ok()) << env.status();
  if (!env.ok()) return nullptr;
  (*env)->Reset(seed);
  return std::move(*env);
}

std::unique_ptr<PictureRenderer> MakeRenderer(int width, int height,
                                              bool scene_3d) {
  PictureRendererOptions options;
  options.width = width;
  options.height = height;
  options.format = PixelFormat::kRgb24;
  absl::StatusOr<std::unique_ptr<PictureRenderer>> renderer =
      PictureRenderer::Create(options, scene_3d);
  EXPECT_TRUE(renderer.ok()) << renderer.status();
  return renderer.ok() ? std::move(*renderer) : nullptr;
}

Frame RenderOf(PictureRenderer* renderer, const EnvPicture& picture) {
  Frame frame;
  const absl::Status status = renderer->Render(picture, &frame);
  EXPECT_TRUE(status.ok()) << status;
  return frame;
}

// Mean absolute difference per channel over a rectangle of two RGB frames.
double MeanDifference(const Frame& a, const Frame& b, int x0, int y0, int x1,
                      int y1) {
  double sum = 0;
  for (int y = y0; y < y1; ++y) {
    for (int x = 3 * x0; x < 3 * x1; ++x) {
      sum +=
          std::abs(a.data()[y * a.stride() + x] - b.data()[y * b.stride() + x]);
    }
  }
  return sum / (3.0 * (x1 - x0) * (y1 - y0));
}

const uint8_t* Pixel(const Frame& frame, int x, int y) {
  return frame.data() + y * frame.stride() + 3 * x;
}

// The mean column of the cheetah's tan pixels (red well above blue; the
// floor and the sky are grey); -1000 if there are none.
double CheetahCentreX(const Frame& frame) {
  double sum = 0;
  int count = 0;
  for (int y = 0; y < frame.height(); ++y) {
    for (int x = 0; x < frame.width(); ++x) {
      const uint8_t* p = Pixel(frame, x, y);
      if (p[0] > 90 && p[0] - p[2] > 50) {
        sum += x;
        ++count;
      }
    }
  }
  return count > 0 ? sum / count : -1000;
}

TEST(EnvPictureTest, TwoDimensionalPictureIsTheEnvsCanvas) {
  std::unique_ptr<Env> env = MakeEnv("CartPole-v1");
  ASSERT_NE(env, nullptr);
  EnvPicture picture;
  const Env* envs[] = {env.get()};
  ASSERT_TRUE(picture.Take(envs, {}, PictureOptions()).ok());
  EXPECT_FALSE(picture.has_scenes());
  EXPECT_EQ(picture.width(), 600);
  auto renderer = MakeRenderer(300, 200, /*scene_3d=*/false);
  ASSERT_NE(renderer, nullptr);
  const Frame frame = RenderOf(renderer.get(), picture);

  // The same canvas through the 2D Renderer directly: the same bytes.
  Canvas canvas(1, 1);
  env->Draw(&canvas);
  auto backend = RenderBackends().Create("llvmpipe", RenderBackendOptions());
  ASSERT_TRUE(backend.ok()) << backend.status();
  RendererOptions options;
  options.width = 300;
  options.height = 200;
  options.format = PixelFormat::kRgb24;
  auto direct = Renderer::Create(std::move(*backend), options);
  ASSERT_TRUE(direct.ok()) << direct.status();
  Frame expected;
  ASSERT_TRUE((*direct)->Render(canvas, &expected).ok());
  ASSERT_EQ(frame.size_bytes(), expected.size_bytes());
  EXPECT_EQ(0, std::memcmp(frame.data(), expected.data(), frame.size_bytes()));
}

// The bounding box of the pixels of CartPole's pole (202, 152, 101), counting
// a pixel when it is mostly pole (red well above blue; the white
// background, the black cart and the blue axle are not).
struct Box {
  int x0 = 1 << 30, y0 = 1 << 30, x1 = -1, y1 = -1;  // x1, y1 exclusive.
  int width() const { return x1 - x0; }
  int height() const { return y1 - y0; }
};
Box PoleBox(const Frame& frame) {
  Box box;
  for (int y = 0; y < frame.height(); ++y) {
    for (int x = 0; x < frame.width(); ++x) {
      const uint8_t* p = Pixel(frame, x, y);
      if (p[0] - p[2] > 60) {
        box.x0 = std::min(box.x0, x);
        box.y0 = std::min(box.y0, y);
        box.x1 = std::max(box.x1, x + 1);
        box.y1 = std::max(box.y1, y + 1);
      }
    }
  }
  return box;
}

TEST(EnvPictureTest, LetterboxKeepsTheEnvsAspectRatioBetweenBlackBars) {
  std::unique_ptr<Env> env = MakeEnv("CartPole-v1");
  ASSERT_NE(env, nullptr);
  // Tilt the pole, so its box has a width to distort.
  StepResult result;
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(env->Step(Action::Discrete(1), &result).ok());
  }
  EnvPicture picture;
  const Env* envs[] = {env.get()};
  ASSERT_TRUE(picture.Take(envs, {}, PictureOptions()).ok());
  auto native = MakeRenderer(600, 400, /*scene_3d=*/false);
  auto wide = MakeRenderer(1280, 720, /*scene_3d=*/false);  // Letterbox.
  ASSERT_NE(native, nullptr);
  ASSERT_NE(wide, nullptr);
  const Frame at_native = RenderOf(native.get(), picture);
  const Frame at_wide = RenderOf(wide.get(), picture);
  const Box n = PoleBox(at_native);
  const Box w = PoleBox(at_wide);
  ASSERT_GT(n.width(), 10);
  ASSERT_GT(n.height(), 50);
  // Scaled by 720 / 400 = 1.8 both ways: the wide frame's box, brought back
  // to the native height, is as wide as the native box within a pixel.
  EXPECT_NEAR(w.width() * n.height() / double(w.height()), n.width(), 1.0)
      << "native " << n.width() << "x" << n.height() << ", 1280x720 "
      << w.width() << "x" << w.height();
  EXPECT_NEAR(w.height(), 1.8 * n.height(), 2.0);
  // Centred: 1080x720 from x = 100; the pole's box is where the native
  // one lands.
  EXPECT_EQ(LetterboxRect(600, 400, 1280, 720).x, 100);
  EXPECT_NEAR(w.x0, 100 + 1.8 * n.x0, 2.0);
  EXPECT_NEAR(w.y0, 1.8 * n.y0, 2.0);
  // Black bars left and right, 100 pixels each, every row; the picture's
  // white background from column 100 to 1179.
  int bar_pixels_not_black = 0;
  for (int y = 0; y < 720; ++y) {
    for (int x : {0, 50, 99, 1180, 1230, 1279}) {
      const uint8_t* p = Pixel(at_wide, x, y);
      if (p[0] != 0 || p[1] != 0 || p[2] != 0) ++bar_pixels_not_black;
    }
  }
  EXPECT_EQ(bar_pixels_not_black, 0);
  for (int x : {100, 1179}) {
    const uint8_t* p = Pixel(at_wide, x, 5);
    EXPECT_EQ(p[0] + p[1] + p[2], 3 * 255) << "column " << x;
  }

  // Asked to stretch, the same frame distorts the pole past a pixel.
  PictureRendererOptions options;
  options.width = 1280;
  options.height = 720;
  options.format = PixelFormat::kRgb24;
  options.fit = Fit::kStretch;
  auto stretch = PictureRenderer::Create(options, /*scene_3d=*/false);
  ASSERT_TRUE(stretch.ok()) << stretch.status();
  const Frame stretched = RenderOf(stretch->get(), picture);
  const Box s = PoleBox(stretched);
  EXPECT_GT(s.width() * n.height() / double(s.height()) - n.width(), 2.0)
      << "stretched " << s.width() << "x" << s.height();
  const uint8_t* corner = Pixel(stretched, 0, 0);
  EXPECT_EQ(corner[0] + corner[1] + corner[2], 3 * 255);  // No bars.
}

// MazeChase's SCORE / LEVEL / LIVES line (its spec's hud, the top 40
// rows) is the same with and without the overlay, at its own size and
// scaled up; the overlay is drawn (below it).
TEST(EnvPictureTest, OverlayLeavesMazeChasesHudUntouched) {
  std::unique_ptr<Env> env = MakeEnv("MazeChase-v0");
  ASSERT_NE(env, nullptr);
  const Rect hud = env->spec().hud;
  ASSERT_EQ(hud.y, 0);
  ASSERT_EQ(hud.height, 40);
  ASSERT_EQ(hud.width, env->spec().render_width);
  const Env* envs[] = {env.get()};
  EnvPicture plain;
  ASSERT_TRUE(plain.Take(envs, {}, PictureOptions()).ok());
  EnvPicture with_overlay;
  const OverlayInfo overlay[] = {{"MazeChase-v0", 12, 345, 678.0, true, "x"}};
  ASSERT_TRUE(with_overlay.Take(envs, overlay, PictureOptions()).ok());
  for (int scale : {1, 2}) {
    SCOPED_TRACE(absl::StrCat("scale ", scale));
    const int width = scale * env->spec().render_width;
    const int height = scale * env->spec().render_height;
    auto renderer = MakeRenderer(width, height, /*scene_3d=*/false);
    ASSERT_NE(renderer, nullptr);
    const Frame a = RenderOf(renderer.get(), plain);
    const Frame b = RenderOf(renderer.get(), with_overlay);
    const int hud_rows = scale * 40;
    // The HUD has text in it, and every byte of it is the same.
    int lit = 0;
    for (int y = 0; y < hud_rows; ++y) {
      for (int x = 0; x < width; ++x) lit += Pixel(a, x, y)[0] > 128;
    }
    EXPECT_GT(lit, 100 * scale * scale);
    EXPECT_EQ(0, std::memcmp(a.data(), b.data(),
                             static_cast<size_t>(hud_rows) * a.stride()));
    EXPECT_GT(
        MeanDifference(a, b, 0, hud_rows, width / 2, hud_rows + 40 * scale),
        10.0);
  }
}

TEST(EnvPictureTest, MujocoPictureIsItsSceneAndRepeatsExactly) {
  std::unique_ptr<Env> env = MakeEnv("InvertedPendulum-v5");
  ASSERT_NE(env, nullptr);
  ASSERT_TRUE(env->spec().scene_3d);
  EnvPicture picture;
  const Env* envs[] = {env.get()};
  ASSERT_TRUE(picture.Take(envs, {}, PictureOptions()).ok());
  EXPECT_TRUE(picture.has_scenes());
  auto renderer = MakeRenderer(160, 160, /*scene_3d=*/true);
  ASSERT_NE(renderer, nullptr);
  const Frame first = RenderOf(renderer.get(), picture);
  // Not one colour: the scene is there (the centre holds the cart and
  // pole, unlike the corners).
  int distinct = 0;
  for (int x = 0; x < 160; x += 4) {
    const uint8_t* p = Pixel(first, x, 80);
    const uint8_t* q = Pixel(first, 0, 0);
    if (std::abs(p[0] - q[0]) + std::abs(p[1] - q[1]) + std::abs(p[2] - q[2]) >
        30) {
      ++distinct;
    }
  }
  EXPECT_GT(distinct, 5) << "the middle row looks like the corner";
  // The same state gives the same bytes; a later state another picture.
  ASSERT_TRUE(picture.Take(envs, {}, PictureOptions()).ok());
  const Frame again = RenderOf(renderer.get(), picture);
  EXPECT_EQ(0, std::memcmp(first.data(), again.data(), first.size_bytes()));
  StepResult result;
  for (int i = 0; i < 20 && !env->episode_over(); ++i) {
    ASSERT_TRUE(env->Step(Action::Continuous({3.0f}), &result).ok());
  }
  ASSERT_TRUE(picture.Take(envs, {}, PictureOptions()).ok());
  const Frame later = RenderOf(renderer.get(), picture);
  EXPECT_GT(MeanDifference(first, later, 0, 0, 160, 160), 0.5);
}

TEST(EnvPictureTest, TrackingCameraStaysOnTheBody) {
  std::unique_ptr<Env> env = MakeEnv("HalfCheetah-v5");
  ASSERT_NE(env, nullptr);
  auto* cheetah = dynamic_cast<MujocoEnv*>(env.get());
  ASSERT_NE(cheetah, nullptr);
  const mjModel* model = cheetah->model();
  std::vector<double> qpos(model->nq, 0.0), qvel(model->nv, 0.0);
  auto renderer = MakeRenderer(160, 120, /*scene_3d=*/true);
  ASSERT_NE(renderer, nullptr);
  const Env* envs[] = {env.get()};
  StepResult result;
  ASSERT_TRUE(
      env->Step(Action::Continuous(std::vector<float>(6, 0.0f)), &result).ok());
  ASSERT_TRUE(cheetah->SetState(qpos, qvel).ok());
  EnvPicture picture;
  ASSERT_TRUE(picture.Take(envs, {}, PictureOptions()).ok());
  const Frame at_origin = RenderOf(renderer.get(), picture);

  // 5 m and then 300 m on, mid-episode, the same picture reused (MuJoCo's
  // own tracking would lag behind): the cheetah (the only tan pixels:
  // floor and sky are grey) is where it was in the frame, on the floor.
  const double origin_x = CheetahCentreX(at_origin);
  EXPECT_NEAR(origin_x, 80, 16);
  for (double x : {5.0, 300.0}) {
    qpos[0] = x;
    ASSERT_TRUE(cheetah->SetState(qpos, qvel).ok());
    ASSERT_TRUE(picture.Take(envs, {}, PictureOptions()).ok());
    const Frame moved = RenderOf(renderer.get(), picture);
    EXPECT_NEAR(CheetahCentreX(moved), origin_x, 2) << "at x = " << x;
    // The floor goes on under it: the bottom rows are the checkered floor
    // (dark and light squares), not the background.
    int dark = 0, light = 0;
    for (int px = 0; px < 160; ++px) {
      const uint8_t* p = Pixel(moved, px, 115);
      if (p[0] < 60) ++dark;
      if (p[0] > 150) ++light;
    }
    EXPECT_GT(dark, 10) << "at x = " << x;
    EXPECT_GT(light, 10) << "at x = " << x;
  }
}

TEST(EnvPictureTest, OverlayGoesOverTheScene) {
  std::unique_ptr<Env> env = MakeEnv("InvertedPendulum-v5");
  ASSERT_NE(env, nullptr);
  auto renderer = MakeRenderer(240, 240, /*scene_3d=*/true);
  ASSERT_NE(renderer, nullptr);
  const Env* envs[] = {env.get()};
  EnvPicture picture;
  ASSERT_TRUE(picture.Take(envs, {}, PictureOptions()).ok());
  const Frame plain = RenderOf(renderer.get(), picture);
  OverlayInfo info;
  info.env_id = env->id();
  info.episode = 3;
  info.step = 17;
  info.episode_return = 17;
  const OverlayInfo overlays[] = {info};
  ASSERT_TRUE(picture.Take(envs, overlays, PictureOptions()).ok());
  const Frame with_overlay = RenderOf(renderer.get(), picture);
  // The text is at the top; the bottom half is untouched.
  EXPECT_GT(MeanDifference(plain, with_overlay, 0, 0, 240, 40), 1.0);
  EXPECT_EQ(MeanDifference(plain, with_overlay, 0, 160, 240, 240), 0.0);
}

TEST(EnvPictureTest, SeveralMujocoEnvsShareOneFrameAsAGrid) {
  std::vector<std::unique_ptr<Env>> owned;
  std::vector<const Env*> envs;
  for (int i = 0; i < 4; ++i) {
    owned.push_back(MakeEnv("InvertedPendulum-v5", /*seed=*/i));
    ASSERT_NE(owned.back(), nullptr);
    envs.push_back(owned.back().get());
  }
  PictureOptions options;
  options.tiles.columns = 2;
  options.tiles.gap = 20;
  options.tiles.labels = false;
  options.tiles.gap_color = Color{200, 30, 30, 255};
  EnvPicture picture;
  ASSERT_TRUE(picture.Take(envs, {}, options).ok());
  // 2x2 cells of 480x480 with 20-pixel gaps: 1020 x 1020 logical pixels.
  ASSERT_EQ(picture.width(), 1020);
  ASSERT_EQ(picture.height(), 1020);
  auto renderer = MakeRenderer(510, 510, /*scene_3d=*/true);
  ASSERT_NE(renderer, nullptr);
  const Frame frame = RenderOf(renderer.get(), picture);
  // The gaps (10 frame pixels) are the gap colour: the edges and the cross
  // between the cells.
  for (const auto& [x, y] : std::vector<std::pair<int, int>>{
           {3, 3}, {255, 100}, {100, 255}, {255, 255}, {506, 400}}) {
    const uint8_t* p = Pixel(frame, x, y);
    EXPECT_NEAR(p[0], 200, 2) << x << "," << y;
    EXPECT_NEAR(p[1], 30, 2) << x << "," << y;
    EXPECT_NEAR(p[2], 30, 2) << x << "," << y;
  }
  // Each cell holds a scene: its centre is not the gap colour.
  for (const auto& [x, y] : std::vector<std::pair<int, int>>{
           {130, 130}, {380, 130}, {130, 380}, {380, 380}}) {
    const uint8_t* p = Pixel(frame, x, y - 60);
    EXPECT_FALSE(std::abs(p[0] - 200) < 3 && std::abs(p[1] - 30) < 3)
        << x << "," << y;
  }
}

TEST(EnvPictureTest, RendererOfTheOtherKindRefuses) {
  std::unique_ptr<Env> env = MakeEnv("InvertedPendulum-v5");
  ASSERT_NE(env, nullptr);
  const Env* envs[] = {env.get()};
  EnvPicture picture;
  ASSERT_TRUE(picture.Take(envs, {}, PictureOptions()).ok());
  auto renderer = MakeRenderer(64, 64, /*scene_3d=*/false);
  ASSERT_NE(renderer, nullptr);
  Frame frame;
  const absl::Status status = renderer->Render(picture, &frame);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(status.message(), HasSubstr("InvertedPendulum-v5"));
}

TEST(EnvPictureTest, MixedEnvsAndOverlayCountsAreRefused) {
  std::unique_ptr<Env> a = MakeEnv("InvertedPendulum-v5");
  std::unique_ptr<Env> b = MakeEnv("CartPole-v1");
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EnvPicture picture;
  const Env* mixed[] = {a.get(), b.get()};
  EXPECT_EQ(picture.Take(mixed, {}, PictureOptions()).code(),
            absl::StatusCode::kInvalidArgument);
  const Env* one[] = {a.get()};
  const OverlayInfo two[2];
  EXPECT_EQ(picture.Take(one, two, PictureOptions()).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(picture.Take({}, {}, PictureOptions()).code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace rl
