// Frames per second (items_per_second) of MujocoRenderer on Debian's
// humanoid, per backend, frame size and visual options: each frame is
// mj_step, MujocoScene::Update (mjv_updateScene) and Render (mjr_render,
// readback, conversion), as an env that records does it.
//
//   plain              the defaults: no shadows, no reflections, skybox
//   plain_yuv          the same, read back as YUV 4:2:0 for the encoders
//   shadows            shadow map 1024 (the default shadow_size)
//   shadows_4096       shadow map at the humanoid's own 4096
//   reflections        the floor's reflection
//   shadows_reflections  both (MuJoCo's own defaults, with shadow map 1024)
//   no_skybox          black background
//   msaa4              4x multisampling and its resolve blit
//   overlay            the defaults plus the overlay text (overlay.h) drawn
//                      over the scene
//   tiles4             four humanoids in a 2x2 grid (RenderTiles) filling
//                      the same frame, with tile labels
// Backends that cannot start here (egl without a GPU) are skipped with a
// message. Results: rl/render/mujoco/README.md.
//
//   bazel run -c opt //rl/render/mujoco:mujoco_renderer_benchmark

#include <mujoco/mujoco.h>

#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "rl/canvas/canvas.h"
#include "rl/core/frame.h"
#include "rl/render/mujoco/mujoco_renderer.h"
#include "rl/render/mujoco/mujoco_scene.h"
#include "rl/render/overlay.h"
#include "rl/render/render_backend.h"

namespace rl {
namespace {

constexpr char kHumanoid[] = "/usr/share/mujoco/model/humanoid/humanoid.xml";

enum class Mode { kScene, kOverlay, kTiles4 };

struct Case {
  const char* name;
  MujocoRendererOptions options;
  Mode mode = Mode::kScene;
};

std::vector<Case> Cases() {
  MujocoRendererOptions plain;
  MujocoRendererOptions yuv = plain;
  yuv.format = PixelFormat::kYuv420p;
  MujocoRendererOptions shadows = plain;
  shadows.shadows = true;
  MujocoRendererOptions shadows_4096 = shadows;
  shadows_4096.shadow_size = 0;  // The model's own, 4096.
  MujocoRendererOptions reflections = plain;
  reflections.reflections = true;
  MujocoRendererOptions both = shadows;
  both.reflections = true;
  MujocoRendererOptions no_skybox = plain;
  no_skybox.skybox = false;
  MujocoRendererOptions msaa = plain;
  msaa.multisamples = 4;
  return {{"plain", plain},
          {"plain_yuv", yuv},
          {"shadows", shadows},
          {"shadows_4096", shadows_4096},
          {"reflections", reflections},
          {"shadows_reflections", both},
          {"no_skybox", no_skybox},
          {"msaa4", msaa},
          {"overlay", plain, Mode::kOverlay},
          {"tiles4", plain, Mode::kTiles4}};
}

void Run(benchmark::State& state, const std::string& backend_name, int width,
         int height, MujocoRendererOptions options, Mode mode) {
  absl::StatusOr<MjModelPtr> model = LoadMjcfFile(kHumanoid);
  if (!model.ok()) {
    state.SkipWithError(std::string(model.status().message()).c_str());
    return;
  }
  absl::StatusOr<MjDataPtr> data = MakeMujocoData(model->get());
  MujocoSceneOptions scene_options;
  scene_options.camera.track_body = 1;
  scene_options.camera.distance = 4;
  absl::StatusOr<std::unique_ptr<MujocoScene>> scene =
      MujocoScene::Create(model->get(), scene_options);
  if (!data.ok() || !scene.ok()) {
    state.SkipWithError("cannot make the humanoid's data or scene");
    return;
  }
  RenderBackendOptions backend_options;
  backend_options.gl_profile = GlProfile::kCompatibility;
  backend_options.log = [](absl::string_view) {};
  auto backend = RenderBackends().Create(backend_name, backend_options);
  if (!backend.ok()) {
    state.SkipWithError(
        absl::StrCat("skipped: ", backend.status().message()).c_str());
    return;
  }
  options.width = width;
  options.height = height;
  auto renderer =
      MujocoRenderer::Create(*std::move(backend), model->get(), options);
  if (!renderer.ok()) {
    state.SkipWithError(std::string(renderer.status().message()).c_str());
    return;
  }
  mj_forward(model->get(), data->get());
  (*scene)->SnapCameraToTarget(data->get());
  // Overlay text, or the 2x2 grid's tiles (the same scene four times) and
  // their labels.
  Canvas overlay(width, height);
  std::vector<MujocoTile> tiles;
  if (mode == Mode::kOverlay) {
    OverlayInfo info;
    info.env_id = "Humanoid";
    info.episode = 3;
    info.step = 42;
    DrawOverlay(info, OverlayOptions(), &overlay);
  } else if (mode == Mode::kTiles4) {
    const int gap = 2;
    const int tile_width = (width - 3 * gap) / 2;
    const int tile_height = (height - 3 * gap) / 2;
    for (int i = 0; i < 4; ++i) {
      const int x = gap + (i % 2) * (tile_width + gap);
      const int y = gap + (i / 2) * (tile_height + gap);
      tiles.push_back({(*scene)->scene(), x, y, tile_width, tile_height});
      overlay.DrawText(
          {static_cast<float>(x + 2), static_cast<float>(y + tile_height - 12)},
          10, kWhite, std::to_string(i));
    }
  }
  Frame frame;
  int step = 0;
  for (auto _ : state) {
    // The humanoid falls, then lies still: start over every 200 frames.
    if (++step % 200 == 0) mj_resetData(model->get(), data->get());
    mj_step(model->get(), data->get());
    (*scene)->Update(data->get());
    absl::Status status;
    switch (mode) {
      case Mode::kScene:
        status = (*renderer)->Render((*scene)->scene(), &frame);
        break;
      case Mode::kOverlay:
        status = (*renderer)->Render((*scene)->scene(), overlay, &frame);
        break;
      case Mode::kTiles4:
        status = (*renderer)->RenderTiles(tiles, Color{48, 48, 48, 255},
                                          &overlay, &frame);
        break;
    }
    if (!status.ok()) {
      state.SkipWithError(std::string(status.message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(frame.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel((*renderer)->Describe());
}

void RegisterAll(const std::string& backend) {
  for (auto [width, height] : {std::pair{480, 480}, std::pair{84, 84}}) {
    for (const Case& c : Cases()) {
      benchmark::RegisterBenchmark(
          absl::StrCat("BM_MujocoRender/", backend, "/", width, "x", height,
                       "/", c.name)
              .c_str(),
          [backend, width = width, height = height, options = c.options,
           mode = c.mode](benchmark::State& state) {
            Run(state, backend, width, height, options, mode);
          })
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime();
    }
  }
}

// Making a renderer for the humanoid (mjr_makeContext: textures, meshes,
// the offscreen buffer, the shadow map, fonts) on a fresh llvmpipe context,
// and dropping it: what a video or a live view pays once.
void BM_CreateMujocoRenderer(benchmark::State& state) {
  absl::StatusOr<MjModelPtr> model = LoadMjcfFile(kHumanoid);
  if (!model.ok()) {
    state.SkipWithError(std::string(model.status().message()).c_str());
    return;
  }
  RenderBackendOptions backend_options;
  backend_options.gl_profile = GlProfile::kCompatibility;
  backend_options.log = [](absl::string_view) {};
  for (auto _ : state) {
    auto backend = RenderBackends().Create("llvmpipe", backend_options);
    if (!backend.ok()) {
      state.SkipWithError(std::string(backend.status().message()).c_str());
      return;
    }
    auto renderer = MujocoRenderer::Create(*std::move(backend), model->get(),
                                           MujocoRendererOptions());
    if (!renderer.ok()) {
      state.SkipWithError(std::string(renderer.status().message()).c_str());
      return;
    }
  }
}
BENCHMARK(BM_CreateMujocoRenderer)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace rl

int main(int argc, char** argv) {
  // Backends that cannot start here are left out with a note; the glx
  // backend made here stays alive, so its private Xvfb starts once.
  std::vector<std::unique_ptr<rl::RenderBackend>> keep;
  rl::RenderBackendOptions quiet;
  quiet.gl_profile = rl::GlProfile::kCompatibility;
  quiet.log = [](absl::string_view) {};
  for (const std::string& name : rl::RenderBackends().AutoOrder()) {
    auto backend = rl::RenderBackends().Create(name, quiet);
    if (!backend.ok()) {
      std::fprintf(stderr, "skipping the %s benchmarks: %s\n", name.c_str(),
                   std::string(backend.status().message()).c_str());
      continue;
    }
    keep.push_back(*std::move(backend));
    rl::RegisterAll(name);
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
