// Encoding speed of each recorder: frames per second (items_per_second) and
// bytes written per frame (bytes_per_frame), per recorder, frame size and
// settings, in two set-ups:
//
//   BM_Encode/<setting>/<W>x<H>        frames already in memory (rendered
//                                      CartPole frames, RGB), encoded on the
//                                      caller's thread (queue_frames = 0).
//   BM_RenderAndEncode/<setting>/<W>x<H>/<format>
//                                      what a run does: the llvmpipe
//                                      renderer draws each frame (RGB or
//                                      YUV 4:2:0) on this thread while the
//                                      AsyncRecorder's thread encodes the
//                                      previous ones (queue of 4).
//
// An iteration is a batch of 10 frames followed by Flush(), so the time
// includes encoding every frame of the batch; a first batch warms up,
// untimed. Settings: x264 "medium" (the
// default) and "ultrafast" for mp4, libvpx real-time speed 8 (the default)
// for webm; each at its default quality (crf 23 / 32).
//
//   bazel run //rl/record:recorder_benchmark
//   bazel run //rl/record:recorder_benchmark -- --benchmark_min_time=0.01
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
#include "rl/record/async_recorder.h"
#include "rl/record/recorder.h"
#include "rl/render/render_backend.h"
#include "rl/render/renderer.h"

namespace rl {
namespace {

constexpr int kBatch = 10;
constexpr int kDistinctFrames = 20;

struct Setting {
  const char* name;
  const char* recorder;
  const char* encoder_options;  // The recorder's own settings.
};
constexpr Setting kSettings[] = {
    {"mp4_medium", "mp4", "preset=medium"},
    {"mp4_ultrafast", "mp4", "preset=ultrafast"},
    {"webm_speed8", "webm", "speed=8"},
};
constexpr std::pair<int, int> kSizes[] = {{84, 84}, {600, 400}, {1280, 720}};

// A CartPole-like scene at Gymnasium's 600x400 layout, moving with `step`.
Canvas Scene(int step) {
  Canvas canvas(600, 400, kWhite);
  const float x = 300 + 120 * ((step % 40) / 20.0f - 1);
  const float tip = 60 * ((step % 30) / 15.0f - 1);
  canvas.DrawLine({0, 300}, {600, 300}, 1, kBlack);
  canvas.FillPolygon(
      {{x - 25, 285}, {x + 25, 285}, {x + 25, 315}, {x - 25, 315}}, kBlack);
  canvas.FillPolygon(
      {{x - 5, 292}, {x + 5, 292}, {x + 5 + tip, 170}, {x - 5 + tip, 170}},
      Color{202, 152, 101});
  canvas.FillCircle({x, 292.5f}, 5, Color{129, 132, 203});
  return canvas;
}

absl::StatusOr<std::unique_ptr<Renderer>> MakeRenderer(int width, int height,
                                                       PixelFormat format) {
  auto backend = RenderBackends().Create("llvmpipe");
  if (!backend.ok()) return backend.status();
  RendererOptions options;
  options.width = width;
  options.height = height;
  options.format = format;
  return Renderer::Create(*std::move(backend), options);
}

RecorderOptions Options(const Setting& setting, int width, int height,
                        int queue_frames) {
  RecorderOptions options;
  options.path = absl::StrCat("/tmp/rl_recorder_benchmark_", setting.name, "_",
                              width, "x", height, ".", setting.recorder);
  options.width = width;
  options.height = height;
  options.fps = 50;
  options.encoder_options = setting.encoder_options;
  options.queue_frames = queue_frames;
  return options;
}

long FileSize(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return 0;
  std::fseek(file, 0, SEEK_END);
  const long size = std::ftell(file);
  std::fclose(file);
  return size;
}

// Closes `recorder` (after the timed loop), reports bytes per frame and
// removes the file.
void Finish(benchmark::State& state, Recorder& recorder) {
  const absl::Status closed = recorder.Close();
  if (!closed.ok()) state.SkipWithError(std::string(closed.message()).c_str());
  const int64_t frames = recorder.frames_written();  // With the warm-up.
  state.counters["bytes_per_frame"] =
      frames > 0 ? static_cast<double>(FileSize(recorder.path())) / frames : 0;
  std::remove(recorder.path().c_str());
  state.SetItemsProcessed(state.iterations() * kBatch);
}

void BM_Encode(benchmark::State& state, Setting setting, int width,
               int height) {
  // Realistic content: rendered frames, made before timing starts.
  auto renderer = MakeRenderer(width, height, PixelFormat::kRgb24);
  if (!renderer.ok()) {
    state.SkipWithError(std::string(renderer.status().message()).c_str());
    return;
  }
  std::vector<Frame> frames(kDistinctFrames);
  for (int i = 0; i < kDistinctFrames; ++i) {
    if (!(*renderer)->Render(Scene(i), &frames[i]).ok()) {
      state.SkipWithError("rendering failed");
      return;
    }
  }
  auto recorder =
      Recorders().Create(setting.recorder, Options(setting, width, height, 0));
  if (!recorder.ok()) {
    state.SkipWithError(std::string(recorder.status().message()).c_str());
    return;
  }
  // Warm up (the first frames allocate, and start encoder threads).
  int next = 0;
  for (int i = 0; i < kBatch; ++i) {
    if (!(*recorder)->WriteFrame(frames[next++ % kDistinctFrames]).ok()) {
      state.SkipWithError("encoding failed");
      return;
    }
  }
  for (auto _ : state) {
    for (int i = 0; i < kBatch; ++i) {
      const absl::Status status =
          (*recorder)->WriteFrame(frames[next++ % kDistinctFrames]);
      if (!status.ok()) {
        state.SkipWithError(std::string(status.message()).c_str());
        return;
      }
    }
  }
  Finish(state, **recorder);
}

void BM_RenderAndEncode(benchmark::State& state, Setting setting, int width,
                        int height, PixelFormat format) {
  auto renderer = MakeRenderer(width, height, format);
  if (!renderer.ok()) {
    state.SkipWithError(std::string(renderer.status().message()).c_str());
    return;
  }
  // Behind the encoder thread explicitly, to Flush() at each batch's end.
  const RecorderOptions options = Options(setting, width, height, 0);
  auto sync = Recorders().Create(setting.recorder, options);
  if (!sync.ok()) {
    state.SkipWithError(std::string(sync.status().message()).c_str());
    return;
  }
  RecorderOptions queued = options;
  queued.queue_frames = 4;
  AsyncRecorder recorder(*std::move(sync), queued);
  Frame frame;
  int step = 0;
  // Warm up (the first frames allocate, and start encoder threads).
  for (int i = 0; i < kBatch; ++i) {
    if (!(*renderer)->Render(Scene(step++), &frame).ok() ||
        !recorder.WriteFrame(frame).ok()) {
      state.SkipWithError("warming up failed");
      return;
    }
  }
  if (!recorder.Flush().ok()) {
    state.SkipWithError("warming up failed");
    return;
  }
  for (auto _ : state) {
    for (int i = 0; i < kBatch; ++i) {
      absl::Status status = (*renderer)->Render(Scene(step++), &frame);
      if (status.ok()) status = recorder.WriteFrame(frame);
      if (!status.ok()) {
        state.SkipWithError(std::string(status.message()).c_str());
        return;
      }
    }
    const absl::Status flushed = recorder.Flush();
    if (!flushed.ok()) {
      state.SkipWithError(std::string(flushed.message()).c_str());
      return;
    }
  }
  Finish(state, recorder);
}

const bool kRegistered = [] {
  for (const Setting& setting : kSettings) {
    for (const auto& [width, height] : kSizes) {
      benchmark::RegisterBenchmark(
          absl::StrCat("BM_Encode/", setting.name, "/", width, "x", height)
              .c_str(),
          BM_Encode, setting, width, height)
          ->Unit(benchmark::kMillisecond)
          ->UseRealTime();
    }
  }
  for (const Setting& setting : kSettings) {
    for (const auto& [width, height] : kSizes) {
      for (PixelFormat format : {PixelFormat::kRgb24, PixelFormat::kYuv420p}) {
        benchmark::RegisterBenchmark(
            absl::StrCat("BM_RenderAndEncode/", setting.name, "/", width, "x",
                         height, "/",
                         format == PixelFormat::kRgb24 ? "rgb" : "yuv")
                .c_str(),
            BM_RenderAndEncode, setting, width, height, format)
            ->Unit(benchmark::kMillisecond)
            ->UseRealTime();
      }
    }
  }
  return true;
}();

}  // namespace
}  // namespace rl
