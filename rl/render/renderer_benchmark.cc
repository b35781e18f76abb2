// Frames per second of Renderer::Render on llvmpipe (items_per_second).
//   bazel run //rl/render:renderer_benchmark
#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "benchmark/benchmark.h"
#include "rl/canvas/canvas.h"
#include "rl/core/frame.h"
#include "rl/render/render_backend.h"
#include "rl/render/renderer.h"

namespace rl {
namespace {

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

void BM_Render(benchmark::State& state) {
  auto backend = RenderBackends().Create("llvmpipe");
  if (!backend.ok()) {
    state.SkipWithError(std::string(backend.status().message()).c_str());
    return;
  }
  RendererOptions options;
  options.width = state.range(0);
  options.height = state.range(1);
  options.msaa_samples = state.range(2);
  auto renderer = Renderer::Create(*std::move(backend), options);
  if (!renderer.ok()) {
    state.SkipWithError(std::string(renderer.status().message()).c_str());
    return;
  }
  Frame frame;
  int step = 0;
  for (auto _ : state) {
    const absl::Status status =
        (*renderer)->Render(TypicalCanvas(step++), &frame);
    if (!status.ok()) {
      state.SkipWithError(std::string(status.message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(frame.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Render)
    ->ArgNames({"w", "h", "msaa"})
    ->Args({600, 400, 4})
    ->Args({600, 400, 0})
    ->Args({84, 84, 4})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

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

}  // namespace
}  // namespace rl
