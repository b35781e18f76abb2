// MujocoRenderer on real contexts (llvmpipe and glx here; egl's refusal
// path without a GPU): pixels of the humanoid that Debian ships, and of a
// small model whose layout fixes the picture's orientation.
#include "rl/render/mujoco/mujoco_renderer.h"

#include <mujoco/mujoco.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/canvas/canvas.h"
#include "rl/core/frame.h"
#include "rl/render/image_io.h"
#include "rl/render/mujoco/mujoco_scene.h"
#include "rl/render/overlay.h"
#include "rl/render/render_backend.h"
#include "rl/render/yuv.h"

namespace rl {
namespace {

using ::testing::HasSubstr;

constexpr char kHumanoid[] = "/usr/share/mujoco/model/humanoid/humanoid.xml";

absl::StatusOr<std::unique_ptr<RenderBackend>> CompatibilityBackend(
    const std::string& name) {
  RenderBackendOptions options;
  options.gl_profile = GlProfile::kCompatibility;
  options.log = [](absl::string_view) {};
  return RenderBackends().Create(name, options);
}

int Difference(const Frame& a, const Frame& b, int x, int y) {
  const Rgb p = a.at(x, y);
  const Rgb q = b.at(x, y);
  return std::abs(p.r - q.r) + std::abs(p.g - q.g) + std::abs(p.b - q.b);
}

bool SameBytes(const Frame& a, const Frame& b) {
  return a.width() == b.width() && a.height() == b.height() &&
         a.format() == b.format() && a.size_bytes() == b.size_bytes() &&
         std::equal(a.data(), a.data() + a.size_bytes(), b.data());
}

int DistinctColours(const Frame& frame) {
  std::set<std::tuple<int, int, int>> colours;
  for (int y = 0; y < frame.height(); ++y) {
    for (int x = 0; x < frame.width(); ++x) {
      const Rgb p = frame.at(x, y);
      colours.emplace(p.r, p.g, p.b);
    }
  }
  return static_cast<int>(colours.size());
}

class MujocoRendererTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (!RenderBackends().Contains(GetParam())) {
      GTEST_SKIP() << "render backend " << GetParam()
                   << " is not built into this test (a --config=no_"
                   << GetParam() << " build)";
    }
    absl::StatusOr<MjModelPtr> model = LoadMjcfFile(kHumanoid);
    ASSERT_TRUE(model.ok()) << model.status();
    model_ = *std::move(model);
    absl::StatusOr<MjDataPtr> data = MakeMujocoData(model_.get());
    ASSERT_TRUE(data.ok()) << data.status();
    data_ = *std::move(data);
    MujocoSceneOptions options;
    options.camera.track_body = 1;  // The torso, as Gymnasium's Humanoid.
    options.camera.distance = 4;
    absl::StatusOr<std::unique_ptr<MujocoScene>> scene =
        MujocoScene::Create(model_.get(), options);
    ASSERT_TRUE(scene.ok()) << scene.status();
    scene_ = *std::move(scene);
    mj_forward(model_.get(), data_.get());
    scene_->SnapCameraToTarget(data_.get());
    scene_->Update(data_.get());
  }

  // Writes `frame` as a PNG among the test's outputs, for a look.
  void Save(const Frame& frame, const std::string& name) const {
    const char* dir = std::getenv("TEST_UNDECLARED_OUTPUTS_DIR");
    if (dir == nullptr) return;
    WritePng(frame, std::string(dir) + "/" + GetParam() + "-" + name + ".png")
        .IgnoreError();
  }

  std::unique_ptr<MujocoRenderer> NewRenderer(MujocoRendererOptions options,
                                              const mjModel* model = nullptr) {
    absl::StatusOr<std::unique_ptr<RenderBackend>> backend =
        CompatibilityBackend(GetParam());
    EXPECT_TRUE(backend.ok()) << backend.status();
    if (!backend.ok()) return nullptr;
    absl::StatusOr<std::unique_ptr<MujocoRenderer>> renderer =
        MujocoRenderer::Create(*std::move(backend),
                               model ? model : model_.get(), options);
    EXPECT_TRUE(renderer.ok()) << renderer.status();
    return renderer.ok() ? *std::move(renderer) : nullptr;
  }

  static MujocoRendererOptions Size(int width, int height) {
    MujocoRendererOptions options;
    options.width = width;
    options.height = height;
    return options;
  }

  MjModelPtr model_;
  MjDataPtr data_;
  std::unique_ptr<MujocoScene> scene_;
};

TEST_P(MujocoRendererTest, TrackingCameraPutsTheHumanoidAtTheCentre) {
  std::unique_ptr<MujocoRenderer> renderer = NewRenderer(Size(160, 160));
  ASSERT_NE(renderer, nullptr);
  Frame frame;
  ASSERT_TRUE(renderer->Render(scene_->scene(), &frame).ok());
  ASSERT_EQ(frame.width(), 160);
  ASSERT_EQ(frame.height(), 160);
  Save(frame, "humanoid");
  EXPECT_GT(DistinctColours(frame), 50);

  // The background alone: the same scene without the geoms of bodies other
  // than the world (the floor stays).
  mjvScene* scene = scene_->scene();
  int kept = 0;
  for (int i = 0; i < scene->ngeom; ++i) {
    const mjvGeom& geom = scene->geoms[i];
    if (geom.objtype == mjOBJ_GEOM && model_->geom_bodyid[geom.objid] != 0) {
      continue;
    }
    scene->geoms[kept++] = geom;
  }
  ASSERT_LT(kept, scene->ngeom);
  scene->ngeom = kept;
  Frame background;
  ASSERT_TRUE(renderer->Render(scene, &background).ok());
  Save(background, "background");

  // The humanoid is seen from its side, a few pixels wide at this size.
  int changed = 0;
  int total = 0;
  for (int y = 76; y < 84; ++y) {
    for (int x = 78; x < 82; ++x) {
      changed += Difference(frame, background, x, y) > 15;
      ++total;
    }
  }
  EXPECT_GT(changed, total / 2) << "the centre shows background";
  // The corners are background.
  for (auto [x, y] : {std::pair{0, 0}, std::pair{159, 0}, std::pair{0, 159},
                      std::pair{159, 159}}) {
    EXPECT_EQ(Difference(frame, background, x, y), 0) << x << "," << y;
  }
}

TEST_P(MujocoRendererTest, SameStateSameFrameDifferentStateDifferentFrame) {
  std::unique_ptr<MujocoRenderer> renderer = NewRenderer(Size(96, 96));
  ASSERT_NE(renderer, nullptr);
  Frame first;
  Frame second;
  ASSERT_TRUE(renderer->Render(scene_->scene(), &first).ok());
  ASSERT_TRUE(renderer->Render(scene_->scene(), &second).ok());
  EXPECT_TRUE(SameBytes(first, second));
  // A second renderer of the same backend draws the same.
  std::unique_ptr<MujocoRenderer> other = NewRenderer(Size(96, 96));
  ASSERT_NE(other, nullptr);
  Frame third;
  ASSERT_TRUE(other->Render(scene_->scene(), &third).ok());
  EXPECT_TRUE(SameBytes(first, third));

  // Unactuated, the humanoid falls.
  for (int i = 0; i < 200; ++i) mj_step(model_.get(), data_.get());
  scene_->Update(data_.get());
  Frame later;
  ASSERT_TRUE(renderer->Render(scene_->scene(), &later).ok());
  EXPECT_FALSE(SameBytes(first, later));
}

// Red above, blue below, green to the right of the centre, seen by the
// model's own camera: the frame's rows must come top first, columns left
// first.
TEST_P(MujocoRendererTest, OrientationTopRowFirst) {
  const char* dir = std::getenv("TEST_TMPDIR");
  const std::string path = std::string(dir ? dir : "/tmp") + "/orientation.xml";
  std::ofstream(path) << R"xml(
<mujoco>
  <worldbody>
    <light pos="0 -3 3" dir="0 1 -1"/>
    <camera name="front" pos="0 -4 0" xyaxes="1 0 0 0 0 1"/>
    <geom type="sphere" size=".35" pos="0 0 .8" rgba="1 0 0 1"/>
    <geom type="sphere" size=".35" pos="0 0 -.8" rgba="0 0 1 1"/>
    <geom type="sphere" size=".35" pos=".8 0 0" rgba="0 1 0 1"/>
  </worldbody>
</mujoco>)xml";
  absl::StatusOr<MjModelPtr> model = LoadMjcfFile(path);
  ASSERT_TRUE(model.ok()) << model.status();
  absl::StatusOr<MjDataPtr> data = MakeMujocoData(model->get());
  ASSERT_TRUE(data.ok()) << data.status();
  MujocoSceneOptions scene_options;
  scene_options.camera.fixed_camera = 0;
  absl::StatusOr<std::unique_ptr<MujocoScene>> scene =
      MujocoScene::Create(model->get(), scene_options);
  ASSERT_TRUE(scene.ok()) << scene.status();
  mj_forward(model->get(), data->get());
  (*scene)->Update(data->get());
  std::unique_ptr<MujocoRenderer> renderer =
      NewRenderer(Size(101, 81), model->get());
  ASSERT_NE(renderer, nullptr);
  Frame frame;
  ASSERT_TRUE(renderer->Render((*scene)->scene(), &frame).ok());
  // Centroid of the pixels where one channel dominates.
  auto centroid = [&frame](int channel) {
    double sx = 0, sy = 0, n = 0;
    for (int y = 0; y < frame.height(); ++y) {
      for (int x = 0; x < frame.width(); ++x) {
        const Rgb p = frame.at(x, y);
        const int c[3] = {p.r, p.g, p.b};
        if (c[channel] > 60 && c[channel] > 2 * c[(channel + 1) % 3] &&
            c[channel] > 2 * c[(channel + 2) % 3]) {
          sx += x;
          sy += y;
          ++n;
        }
      }
    }
    return std::tuple{n, sx / std::max(n, 1.0), sy / std::max(n, 1.0)};
  };
  const auto [red_n, red_x, red_y] = centroid(0);
  const auto [green_n, green_x, green_y] = centroid(1);
  const auto [blue_n, blue_x, blue_y] = centroid(2);
  ASSERT_GT(red_n, 20);
  ASSERT_GT(green_n, 20);
  ASSERT_GT(blue_n, 20);
  EXPECT_LT(red_y, 40.0);
  EXPECT_GT(blue_y, 40.0);
  EXPECT_GT(green_x, 50.0);
  EXPECT_NEAR(red_x, 50.0, 3.0);
}

TEST_P(MujocoRendererTest, YuvIsTheConversionOfRgb) {
  for (auto [width, height] : {std::pair{96, 64}, std::pair{161, 101}}) {
    MujocoRendererOptions options = Size(width, height);
    std::unique_ptr<MujocoRenderer> rgb_renderer = NewRenderer(options);
    options.format = PixelFormat::kYuv420p;
    std::unique_ptr<MujocoRenderer> yuv_renderer = NewRenderer(options);
    ASSERT_NE(rgb_renderer, nullptr);
    ASSERT_NE(yuv_renderer, nullptr);
    Frame rgb;
    Frame yuv;
    ASSERT_TRUE(rgb_renderer->Render(scene_->scene(), &rgb).ok());
    ASSERT_TRUE(yuv_renderer->Render(scene_->scene(), &yuv).ok());
    ASSERT_EQ(yuv.format(), PixelFormat::kYuv420p);
    std::vector<uint8_t> rgba(static_cast<size_t>(width) * height * 4, 255);
    for (size_t i = 0; i < static_cast<size_t>(width) * height; ++i) {
      std::copy_n(rgb.data() + 3 * i, 3, rgba.data() + 4 * i);
    }
    Frame expected(width, height, PixelFormat::kYuv420p);
    RgbaToYuv420p(rgba.data(), width, height, &expected);
    EXPECT_TRUE(SameBytes(expected, yuv)) << width << "x" << height;
  }
}

TEST_P(MujocoRendererTest, OddSizes) {
  for (auto [width, height] :
       {std::pair{161, 101}, std::pair{1, 1}, std::pair{7, 3}}) {
    std::unique_ptr<MujocoRenderer> renderer = NewRenderer(Size(width, height));
    ASSERT_NE(renderer, nullptr);
    Frame frame;
    ASSERT_TRUE(renderer->Render(scene_->scene(), &frame).ok());
    EXPECT_EQ(frame.width(), width);
    EXPECT_EQ(frame.height(), height);
    if (width > 100) {
      EXPECT_GT(DistinctColours(frame), 50);
    }
  }
}

TEST_P(MujocoRendererTest, VisualOptionsChangeThePicture) {
  MujocoRendererOptions plain = Size(96, 96);
  std::unique_ptr<MujocoRenderer> renderer = NewRenderer(plain);
  ASSERT_NE(renderer, nullptr);
  Frame reference;
  ASSERT_TRUE(renderer->Render(scene_->scene(), &reference).ok());
  MujocoRendererOptions shadows = plain;
  shadows.shadows = true;
  MujocoRendererOptions reflections = plain;
  reflections.reflections = true;
  MujocoRendererOptions no_skybox = plain;
  no_skybox.skybox = false;
  MujocoRendererOptions msaa = plain;
  msaa.multisamples = 4;
  for (const MujocoRendererOptions& options :
       {shadows, reflections, no_skybox, msaa}) {
    std::unique_ptr<MujocoRenderer> other = NewRenderer(options);
    ASSERT_NE(other, nullptr);
    Frame frame;
    ASSERT_TRUE(other->Render(scene_->scene(), &frame).ok());
    EXPECT_FALSE(SameBytes(reference, frame)) << other->Describe();
  }
}

// A canvas drawn over the scene: its shapes land where the canvas says
// (scaled to the frame, top row first), the rest of the picture is the
// scene's, and the next frame without an overlay is as if there had been
// none (MuJoCo's GL state is left as it was).
TEST_P(MujocoRendererTest, OverlayGoesOverTheSceneAndLeavesNoTrace) {
  std::unique_ptr<MujocoRenderer> renderer = NewRenderer(Size(160, 120));
  ASSERT_NE(renderer, nullptr);
  Frame plain;
  ASSERT_TRUE(renderer->Render(scene_->scene(), &plain).ok());

  // A canvas twice the frame's size: scaled by 1/2.
  Canvas overlay(320, 240);
  overlay.FillRect(0, 0, 80, 40, Color{255, 255, 255, 255});
  Frame with_box;
  ASSERT_TRUE(renderer->Render(scene_->scene(), overlay, &with_box).ok());
  Save(with_box, "overlay-box");
  for (int y = 2; y < 18; ++y) {
    for (int x = 2; x < 38; ++x) {
      ASSERT_EQ(with_box.at(x, y), (Rgb{255, 255, 255})) << x << "," << y;
    }
  }
  for (int y = 22; y < 120; ++y) {
    for (int x = 0; x < 160; ++x) {
      ASSERT_EQ(with_box.at(x, y), plain.at(x, y)) << x << "," << y;
    }
  }

  Frame after;
  ASSERT_TRUE(renderer->Render(scene_->scene(), &after).ok());
  EXPECT_TRUE(SameBytes(plain, after));

  // The project's overlay text, as on 2D frames.
  Canvas text(160, 120);
  OverlayInfo info;
  info.env_id = "Humanoid";
  info.episode = 3;
  info.step = 42;
  info.episode_return = 12.5;
  DrawOverlay(info, OverlayOptions(), &text);
  Frame with_text;
  ASSERT_TRUE(renderer->Render(scene_->scene(), text, &with_text).ok());
  Save(with_text, "overlay-text");
  int changed = 0;
  for (int y = 0; y < 20; ++y) {
    for (int x = 0; x < 60; ++x)
      changed += !(with_text.at(x, y) == plain.at(x, y));
  }
  EXPECT_GT(changed, 100);
  EXPECT_EQ(with_text.at(159, 119), plain.at(159, 119));

  // With multisampling the overlay goes over the resolved picture.
  MujocoRendererOptions msaa = Size(160, 120);
  msaa.multisamples = 4;
  std::unique_ptr<MujocoRenderer> msaa_renderer = NewRenderer(msaa);
  ASSERT_NE(msaa_renderer, nullptr);
  Frame msaa_box;
  ASSERT_TRUE(msaa_renderer->Render(scene_->scene(), overlay, &msaa_box).ok());
  EXPECT_EQ(msaa_box.at(10, 10), (Rgb{255, 255, 255}));
}

// Two humanoids, at different states, side by side with gaps between, as a
// vector env's video shows them: each tile is what a renderer of the tile's
// size draws, the gaps are the background colour.
TEST_P(MujocoRendererTest, TilesShowEachSceneInItsRectangle) {
  absl::StatusOr<MjDataPtr> later_data = MakeMujocoData(model_.get());
  ASSERT_TRUE(later_data.ok()) << later_data.status();
  for (int i = 0; i < 200; ++i) mj_step(model_.get(), later_data->get());
  MujocoSceneOptions options;
  options.camera.track_body = 1;
  options.camera.distance = 4;
  absl::StatusOr<std::unique_ptr<MujocoScene>> later =
      MujocoScene::Create(model_.get(), options);
  ASSERT_TRUE(later.ok()) << later.status();
  (*later)->SnapCameraToTarget(later_data->get());
  (*later)->Update(later_data->get());

  constexpr int kGap = 4;
  constexpr int kTileWidth = 80;
  constexpr int kTileHeight = 60;
  const int width = 3 * kGap + 2 * kTileWidth;
  const int height = 2 * kGap + kTileHeight;
  std::unique_ptr<MujocoRenderer> renderer = NewRenderer(Size(width, height));
  ASSERT_NE(renderer, nullptr);
  const MujocoTile tiles[] = {
      {scene_->scene(), kGap, kGap, kTileWidth, kTileHeight},
      {(*later)->scene(), 2 * kGap + kTileWidth, kGap, kTileWidth,
       kTileHeight}};
  const Color gap{48, 48, 48, 255};
  Canvas labels(width, height);
  labels.FillRect(kGap, kGap + kTileHeight - 10, 10, 10, kWhite);
  Frame grid;
  ASSERT_TRUE(renderer->RenderTiles(tiles, gap, &labels, &grid).ok());
  Save(grid, "tiles");
  ASSERT_EQ(grid.width(), width);
  ASSERT_EQ(grid.height(), height);
  for (auto [x, y] : {std::pair{1, 30}, std::pair{kGap + kTileWidth + 1, 30},
                      std::pair{width - 1, 30}, std::pair{50, 1},
                      std::pair{50, height - 1}}) {
    EXPECT_EQ(grid.at(x, y), (Rgb{48, 48, 48})) << x << "," << y;
  }
  EXPECT_EQ(grid.at(kGap + 5, kGap + kTileHeight - 5), (Rgb{255, 255, 255}));

  std::unique_ptr<MujocoRenderer> single =
      NewRenderer(Size(kTileWidth, kTileHeight));
  ASSERT_NE(single, nullptr);
  for (int i = 0; i < 2; ++i) {
    Frame alone;
    ASSERT_TRUE(single->Render(tiles[i].scene, &alone).ok());
    int different = 0;
    for (int y = 0; y < kTileHeight - 12; ++y) {
      for (int x = 0; x < kTileWidth; ++x) {
        different +=
            !(alone.at(x, y) == grid.at(tiles[i].x + x, tiles[i].y + y));
      }
    }
    // Drawn at another offset, an edge may cover a pixel more or less.
    EXPECT_LE(different, kTileWidth * kTileHeight / 200) << "tile " << i;
  }

  // A tile outside the frame is refused.
  const MujocoTile outside[] = {{scene_->scene(), width - 10, 0, 20, 20}};
  EXPECT_EQ(renderer->RenderTiles(outside, gap, nullptr, &grid).code(),
            absl::StatusCode::kInvalidArgument);
}

// Created on one thread, used on another, destroyed on a third: each call
// takes the context and leaves none current.
TEST_P(MujocoRendererTest, MovesBetweenThreads) {
  std::unique_ptr<MujocoRenderer> renderer = NewRenderer(Size(64, 48));
  ASSERT_NE(renderer, nullptr);
  Frame here;
  ASSERT_TRUE(renderer->Render(scene_->scene(), &here).ok());
  Frame there;
  absl::Status status;
  std::thread([&] {
    status = renderer->Render(scene_->scene(), &there);
  }).join();
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_TRUE(SameBytes(here, there));
  std::thread([&] { renderer.reset(); }).join();
}

TEST_P(MujocoRendererTest, RefusesACoreProfileBackend) {
  RenderBackendOptions options;
  options.log = [](absl::string_view) {};
  absl::StatusOr<std::unique_ptr<RenderBackend>> backend =
      RenderBackends().Create(GetParam(), options);
  ASSERT_TRUE(backend.ok()) << backend.status();
  absl::StatusOr<std::unique_ptr<MujocoRenderer>> renderer =
      MujocoRenderer::Create(*std::move(backend), model_.get(), Size(64, 64));
  ASSERT_FALSE(renderer.ok());
  EXPECT_EQ(renderer.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(renderer.status().message(),
              HasSubstr("GlProfile::kCompatibility"));
}

TEST_P(MujocoRendererTest, RefusesBadOptions) {
  for (MujocoRendererOptions options :
       {Size(0, 10), Size(10, 9000), MujocoRendererOptions{}}) {
    if (options.width == 480) options.multisamples = -1;
    absl::StatusOr<std::unique_ptr<RenderBackend>> backend =
        CompatibilityBackend(GetParam());
    ASSERT_TRUE(backend.ok()) << backend.status();
    absl::StatusOr<std::unique_ptr<MujocoRenderer>> renderer =
        MujocoRenderer::Create(*std::move(backend), model_.get(), options);
    ASSERT_FALSE(renderer.ok());
    EXPECT_EQ(renderer.status().code(), absl::StatusCode::kInvalidArgument);
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, MujocoRendererTest,
                         ::testing::Values("llvmpipe", "glx"),
                         [](const auto& info) { return info.param; });

// No GPU here: egl refuses a compatibility context as it refuses a core one,
// naming the CPU backend. On a machine with a GPU the test says so and skips.
TEST(MujocoRendererEglTest, RefusesWithoutAGpu) {
  if (!RenderBackends().Contains("egl")) {
    GTEST_SKIP() << "render backend egl is not built into this test";
  }
  absl::StatusOr<std::unique_ptr<RenderBackend>> backend =
      CompatibilityBackend("egl");
  if (backend.ok()) {
    GTEST_SKIP() << "this machine has a GPU EGL device ("
                 << (*backend)->gl_renderer()
                 << "): the refusal path cannot be tested here";
  }
  EXPECT_EQ(backend.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(backend.status().message(), HasSubstr("llvmpipe"));
}

}  // namespace
}  // namespace rl

namespace rl {
namespace {

TEST(SceneOptionsTest, ParsesTheLookAndRefusesWhatItDoesNotKnow) {
  MujocoRendererOptions options;
  ASSERT_TRUE(ParseSceneOptions("", &options).ok());
  EXPECT_EQ(FormatSceneOptions(options),
            "shadows=false,reflections=false,skybox=true,multisamples=0,"
            "shadow_size=1024");
  ASSERT_TRUE(ParseSceneOptions(
                  "shadows=true, reflections=1,skybox=false,multisamples=4,"
                  "shadow_size=0",
                  &options)
                  .ok());
  EXPECT_TRUE(options.shadows);
  EXPECT_TRUE(options.reflections);
  EXPECT_FALSE(options.skybox);
  EXPECT_EQ(options.multisamples, 4);
  EXPECT_EQ(options.shadow_size, 0);
  const absl::Status unknown = ParseSceneOptions("fog=true", &options);
  EXPECT_EQ(unknown.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(unknown.message(), HasSubstr("'fog'"));
  EXPECT_THAT(unknown.message(), HasSubstr("multisamples"));
  EXPECT_FALSE(ParseSceneOptions("shadows=maybe", &options).ok());
  EXPECT_FALSE(ParseSceneOptions("multisamples=17", &options).ok());
  EXPECT_FALSE(ParseSceneOptions("shadow_size=10", &options).ok());
}

}  // namespace
}  // namespace rl
