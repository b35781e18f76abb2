// Frames per second of the renderer (items_per_second), per backend, frame
// size and what is done per frame:
//   draw            tessellate and draw, no readback (glFinish)
//   rgb             + read back RGB (Render)
//   rgb_pbo         + read back RGB pipelined, 2 frames in flight
//                   (Submit/Retrieve through pixel buffer objects)
//   yuv_cpu         + read back RGBA, convert to YUV 4:2:0 in C++
//   yuv_gpu         + convert to YUV on the GPU, read back the planes
//   yuv_cpu_pbo     yuv_cpu pipelined through pixel buffer objects
//   *_msaa          with 4x MSAA (and a resolve blit) instead of analytic
//                   antialiasing
// Backends that cannot start here (egl without a GPU) are skipped with a
// message.
//
//   bazel run -c opt //rl/render:renderer_benchmark
//
// Measured on the 2-core VM (Mesa 22.3.6 llvmpipe, LLVM 15), -c opt,
// frames per second (real time, median of 3; other builds were running, so
// absolute numbers are pessimistic, ratios hold):
//                         84x84   600x400  1280x720
//   llvmpipe draw          6650     2080       800
//            rgb           6000     1260       370
//            rgb_pbo       5280     1240       420
//            yuv_cpu       5620      970       290
//            yuv_gpu       3160      285        93
//            yuv_cpu_pbo   4990      960       370
//            rgb_msaa      2150      125        32
//   glx      rgb           6690     1290       430
//            yuv_cpu       5990     1000       310
//            yuv_gpu       5820      520        73
// On a quieter machine llvmpipe 600x400 did draw 3930, rgb 2320, yuv_cpu
// 1430, yuv_gpu 680, rgb_msaa 395 fps.
// So, on software rasterizers: analytic antialiasing is ~10x cheaper than
// 4x MSAA (whose resolve blit is a full-frame shader pass); YUV is faster
// converted on the CPU (SSE2) than in a shader; PBO readback gains nothing
// (llvmpipe copies synchronously). The kAuto defaults follow: analytic AA,
// YUV on the CPU and direct readback for software, GPU conversion and PBOs
// for GPUs (not measurable here: no GPU).

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
#include "rl/render/render_backend.h"
#include "rl/render/renderer.h"

namespace rl {

// Roughly what a classic-control env draws: a track, a cart, a pole, a hinge.
Canvas TypicalCanvas(int step) {
  Canvas canvas(600, 400, kWhite);
  const float x = 300 + (step % 100) - 50;
  canvas.DrawLine({0, 300}, {600, 300}, 1, kBlack);
  canvas.FillPolygon(
      {{x - 25, 285}, {x + 25, 285}, {x + 25, 315}, {x - 25, 315}}, kBlack);
  canvas.FillPolygon({{x - 5, 292}, {x + 5, 292}, {x + 15, 170}, {x + 5, 168}},
                     Color{202, 152, 101});
  canvas.FillCircle({x, 292.5}, 5, Color{129, 132, 203});
  return canvas;
}

enum class Mode { kDraw, kRgb, kRgbPbo, kYuvCpu, kYuvGpu, kYuvCpuPbo };

struct Case {
  Mode mode;
  const char* name;
  Antialiasing antialiasing;
};

void Run(benchmark::State& state, const std::string& backend_name, int width,
         int height, Case c) {
  RenderBackendOptions backend_options;
  backend_options.log = [](absl::string_view) {};
  auto backend = RenderBackends().Create(backend_name, backend_options);
  if (!backend.ok()) {
    state.SkipWithError(
        absl::StrCat("skipped: ", backend.status().message()).c_str());
    return;
  }
  RendererOptions options;
  options.width = width;
  options.height = height;
  options.antialiasing = c.antialiasing;
  const bool yuv = c.mode == Mode::kYuvCpu || c.mode == Mode::kYuvGpu ||
                   c.mode == Mode::kYuvCpuPbo;
  options.format = yuv ? PixelFormat::kYuv420p : PixelFormat::kRgb24;
  options.yuv_conversion =
      c.mode == Mode::kYuvGpu ? YuvConversion::kGpu : YuvConversion::kCpu;
  const bool pipelined = c.mode == Mode::kRgbPbo || c.mode == Mode::kYuvCpuPbo;
  options.readback = pipelined ? Readback::kPixelBuffers : Readback::kDirect;
  options.frames_in_flight = 2;
  auto renderer = Renderer::Create(*std::move(backend), options);
  if (!renderer.ok()) {
    state.SkipWithError(std::string(renderer.status().message()).c_str());
    return;
  }
  Renderer& r = **renderer;
  Frame frame;
  int step = 0;
  for (auto _ : state) {
    absl::Status status;
    const Canvas canvas = TypicalCanvas(step++);
    switch (c.mode) {
      case Mode::kDraw:
        status = r.DrawOnly(canvas);
        break;
      case Mode::kRgbPbo:
      case Mode::kYuvCpuPbo:
        status = r.Submit(canvas);
        if (status.ok() && r.pending() == 2) status = r.Retrieve(&frame);
        break;
      default:
        status = r.Render(canvas, &frame);
    }
    if (!status.ok()) {
      state.SkipWithError(std::string(status.message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(frame.data());
  }
  while (r.pending() > 0) r.Retrieve(&frame).IgnoreError();
  state.SetItemsProcessed(state.iterations());
}

void RegisterAll(const std::string& backend) {
  const std::vector<Case> cases = {
      {Mode::kDraw, "draw", Antialiasing::kAnalytic},
      {Mode::kRgb, "rgb", Antialiasing::kAnalytic},
      {Mode::kRgbPbo, "rgb_pbo", Antialiasing::kAnalytic},
      {Mode::kYuvCpu, "yuv_cpu", Antialiasing::kAnalytic},
      {Mode::kYuvGpu, "yuv_gpu", Antialiasing::kAnalytic},
      {Mode::kYuvCpuPbo, "yuv_cpu_pbo", Antialiasing::kAnalytic},
      {Mode::kDraw, "draw_msaa", Antialiasing::kMsaa},
      {Mode::kRgb, "rgb_msaa", Antialiasing::kMsaa},
      {Mode::kYuvGpu, "yuv_gpu_msaa", Antialiasing::kMsaa},
  };
  {
    for (auto [width, height] :
         {std::pair{84, 84}, std::pair{600, 400}, std::pair{1280, 720}}) {
      for (const Case& c : cases) {
        benchmark::RegisterBenchmark(
            absl::StrCat("BM_Render/", backend, "/", width, "x", height, "/",
                         c.name)
                .c_str(),
            [backend, width = width, height = height,
             c](benchmark::State& state) {
              Run(state, backend, width, height, c);
            })
            ->Unit(benchmark::kMillisecond)
            ->UseRealTime();
      }
    }
  }
}

void BM_CreateRenderer(benchmark::State& state) {
  for (auto _ : state) {
    auto backend = RenderBackends().Create("llvmpipe");
    if (!backend.ok()) {
      state.SkipWithError(std::string(backend.status().message()).c_str());
      return;
    }
    auto renderer = Renderer::Create(*std::move(backend), RendererOptions());
    if (!renderer.ok()) {
      state.SkipWithError(std::string(renderer.status().message()).c_str());
      return;
    }
  }
}
BENCHMARK(BM_CreateRenderer)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace rl

int main(int argc, char** argv) {
  // Backends that cannot start here are left out with a note (a benchmark
  // that errors fails CI's smoke run); the glx backend made here stays
  // alive, so its private Xvfb is started once, not per benchmark.
  std::vector<std::unique_ptr<rl::RenderBackend>> keep;
  rl::RenderBackendOptions quiet;
  quiet.log = [](absl::string_view) {};
  // Every backend auto could pick (not auto itself, no test doubles).
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
