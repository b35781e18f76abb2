#include "benchmarks/pipeline_benchmarks.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "benchmarks/ffmpeg_reference.h"
#include "rl/agents/agent.h"
#include "rl/canvas/canvas.h"
#include "rl/core/file_util.h"
#include "rl/core/frame.h"
#include "rl/core/status_macros.h"
#include "rl/envs/env.h"
#include "rl/record/recorder.h"
#include "rl/render/render_backend.h"
#include "rl/render/renderer.h"

namespace rl {
namespace {

constexpr int kFps = 50;  // CartPole's.

struct Codec {
  std::string name;
  std::string recorder;
  // The recorder's own settings (RecorderOptions::encoder_options).
  std::string encoder_options;
  std::string extension;
  // The same settings for the `ffmpeg` tool, as our recorders use them
  // (rl/record/mp4/mp4_recorder.cc, rl/record/webm/webm_recorder.cc).
  std::vector<std::string> ffmpeg_args;
};

std::vector<Codec> Codecs() {
  const std::string gop = absl::StrCat(kFps);
  auto x264 = [&](const std::string& preset) {
    return Codec{"x264_" + preset,
                 "mp4",
                 "preset=" + preset,
                 "mp4",
                 {"-c:v",
                  "libx264",
                  "-preset",
                  preset,
                  "-tune",
                  "zerolatency",
                  "-crf",
                  "23",
                  "-g",
                  gop,
                  "-bf",
                  "0",
                  "-profile:v",
                  "high",
                  "-pix_fmt",
                  "yuv420p",
                  "-colorspace",
                  "bt709",
                  "-color_primaries",
                  "bt709",
                  "-color_trc",
                  "bt709",
                  "-movflags",
                  "frag_keyframe+empty_moov+default_base_moof"}};
  };
  return {x264("medium"), x264("ultrafast"),
          Codec{"vp9_speed8",
                "webm",
                "speed=8",
                "webm",
                {"-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used",
                 "8", "-row-mt", "1", "-crf", "32", "-b:v", "0", "-g", gop,
                 "-lag-in-frames", "0", "-pix_fmt", "yuv420p"}}};
}

struct Size {
  int width;
  int height;
  // Per measured video: enough (several seconds of video) that ffmpeg's own
  // start-up, which the references pay once per video, weighs little.
  int frames;
};

const Size kSizes[] = {{600, 400, 1000}, {84, 84, 3000}};

std::string TempDir() {
  const char* tmp = std::getenv("TEST_TMPDIR");
  std::string dir = absl::StrCat(tmp != nullptr ? tmp : "/tmp",
                                 "/rl-pipeline-benchmark-", getpid());
  // A benchmark without its scratch directory fails at its first file,
  // naming it; nothing to add here.
  MakeDirectories(dir, "benchmark scratch directory").IgnoreError();
  return dir;
}

int64_t FileSize(const std::string& path) {
  struct stat info;
  return stat(path.c_str(), &info) == 0 ? info.st_size : 0;
}

// CartPole played by the random agent (seed 0), reset when an episode ends:
// the same sequence of canvases for every measurement.
class FrameSource {
 public:
  static absl::StatusOr<FrameSource> Create() {
    FrameSource source;
    RL_ASSIGN_OR_RETURN(source.env_, Envs().Create("CartPole-v1"));
    AgentContext context{source.env_->observation_space(),
                         source.env_->action_space(), 0};
    RL_ASSIGN_OR_RETURN(source.agent_, Agents().Create("random", context));
    source.observation_ = source.env_->Reset(0);
    return source;
  }

  // Steps once (resetting after an episode) and draws the state.
  absl::Status Next(Canvas* canvas) {
    if (env_->episode_over()) observation_ = env_->Reset();
    RL_RETURN_IF_ERROR(env_->Step(agent_->Act(observation_), &result_));
    observation_ = result_.observation;
    env_->Draw(canvas);
    return absl::OkStatus();
  }

 private:
  std::unique_ptr<Env> env_;
  std::unique_ptr<Agent> agent_;
  Observation observation_;
  StepResult result_;
};

absl::StatusOr<std::unique_ptr<Renderer>> MakeRenderer(
    const std::string& backend_name, const Size& size, PixelFormat format) {
  RL_ASSIGN_OR_RETURN(std::unique_ptr<RenderBackend> backend,
                      RenderBackends().Create(backend_name));
  RendererOptions options;
  options.width = size.width;
  options.height = size.height;
  options.format = format;
  return Renderer::Create(std::move(backend), options);
}

void Report(benchmark::State& state, int frames, const std::string& path) {
  state.counters["fps"] =
      benchmark::Counter(frames, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["bytes_per_frame"] =
      static_cast<double>(FileSize(path)) / frames;
}

void Fail(benchmark::State& state, const absl::Status& status) {
  state.SkipWithError(std::string(status.message()).c_str());
}

void BM_Pipeline(benchmark::State& state, std::string backend, Codec codec,
                 Size size) {
  const std::string path =
      absl::StrCat(TempDir(), "/pipeline.", codec.extension);
  auto renderer = MakeRenderer(backend, size, PixelFormat::kYuv420p);
  if (!renderer.ok()) return Fail(state, renderer.status());
  for (auto _ : state) {
    state.PauseTiming();
    auto source = FrameSource::Create();
    if (!source.ok()) return Fail(state, source.status());
    Canvas canvas(1, 1);
    Frame frame;
    // Recorders create their file exclusively: the last iteration's goes.
    std::remove(path.c_str());
    state.ResumeTiming();
    // Opening the encoder is timed, as ffmpeg's start is for the references.
    RecorderOptions options;
    options.path = path;
    options.width = size.width;
    options.height = size.height;
    options.fps = kFps;
    options.encoder_options = codec.encoder_options;
    auto recorder = Recorders().Create(codec.recorder, options);
    if (!recorder.ok()) return Fail(state, recorder.status());
    for (int i = 0; i < size.frames; ++i) {
      absl::Status status = source->Next(&canvas);
      if (status.ok()) status = (*renderer)->Render(canvas, &frame);
      if (status.ok()) status = (*recorder)->WriteFrame(frame);
      if (!status.ok()) return Fail(state, status);
    }
    if (absl::Status status = (*recorder)->Close(); !status.ok()) {
      return Fail(state, status);
    }
  }
  Report(state, size.frames, path);
}

void BM_SeedMethod(benchmark::State& state, std::string backend, Codec codec,
                   Size size) {
  const std::string path = absl::StrCat(TempDir(), "/seed.", codec.extension);
  auto renderer = MakeRenderer(backend, size, PixelFormat::kRgb24);
  if (!renderer.ok()) return Fail(state, renderer.status());
  const FfmpegEncode encode{size.width, size.height, kFps, codec.ffmpeg_args};
  for (auto _ : state) {
    state.PauseTiming();
    auto source = FrameSource::Create();
    if (!source.ok()) return Fail(state, source.status());
    Canvas canvas(1, 1);
    Frame frame;
    state.ResumeTiming();
    auto pipe = SeedMethod::Start(encode, path);
    if (!pipe.ok()) return Fail(state, pipe.status());
    for (int i = 0; i < size.frames; ++i) {
      absl::Status status = source->Next(&canvas);
      if (status.ok()) status = (*renderer)->Render(canvas, &frame);
      if (status.ok()) status = pipe->Write(frame);
      if (!status.ok()) return Fail(state, status);
    }
    if (absl::Status status = pipe->Finish(); !status.ok()) {
      return Fail(state, status);
    }
  }
  Report(state, size.frames, path);
}

void BM_EncoderLimit(benchmark::State& state, std::string backend, Codec codec,
                     Size size) {
  const std::string dir = TempDir();
  const std::string raw = absl::StrCat(dir, "/frames.rgb");
  const std::string path = absl::StrCat(dir, "/limit.", codec.extension);
  {
    // The same frames, rendered before the clock starts.
    auto renderer = MakeRenderer(backend, size, PixelFormat::kRgb24);
    auto source = FrameSource::Create();
    if (!renderer.ok() || !source.ok()) {
      return Fail(state, !renderer.ok() ? renderer.status() : source.status());
    }
    std::vector<Frame> frames(size.frames);
    Canvas canvas(1, 1);
    for (Frame& frame : frames) {
      absl::Status status = source->Next(&canvas);
      if (status.ok()) status = (*renderer)->Render(canvas, &frame);
      if (!status.ok()) return Fail(state, status);
    }
    if (absl::Status status = WriteRawFrames(frames, raw); !status.ok()) {
      return Fail(state, status);
    }
  }
  const FfmpegEncode encode{size.width, size.height, kFps, codec.ffmpeg_args};
  for (auto _ : state) {
    if (absl::Status status = EncodeFromFile(encode, raw, path); !status.ok()) {
      return Fail(state, status);
    }
  }
  std::remove(raw.c_str());
  Report(state, size.frames, path);
}

// The pipeline of BM_Pipeline, untimed, for `frames` frames.
absl::Status RunPipeline(const std::string& backend, const Codec& codec,
                         const Size& size, int frames,
                         const std::string& path) {
  RL_ASSIGN_OR_RETURN(std::unique_ptr<Renderer> renderer,
                      MakeRenderer(backend, size, PixelFormat::kYuv420p));
  RL_ASSIGN_OR_RETURN(FrameSource source, FrameSource::Create());
  RecorderOptions options;
  options.path = path;
  options.width = size.width;
  options.height = size.height;
  options.fps = kFps;
  options.encoder_options = codec.encoder_options;
  RL_ASSIGN_OR_RETURN(std::unique_ptr<Recorder> recorder,
                      Recorders().Create(codec.recorder, options));
  Canvas canvas(1, 1);
  Frame frame;
  for (int i = 0; i < frames; ++i) {
    RL_RETURN_IF_ERROR(source.Next(&canvas));
    RL_RETURN_IF_ERROR(renderer->Render(canvas, &frame));
    RL_RETURN_IF_ERROR(recorder->WriteFrame(frame));
  }
  return recorder->Close();
}

}  // namespace

absl::StatusOr<int64_t> PipelinePeakRssKib(int frames) {
  const Codec codec = Codecs()[1];  // x264_ultrafast.
  const Size size{600, 400, frames};
  const std::string path = absl::StrCat(TempDir(), "/memory.mp4");
  int fds[2];
  if (pipe(fds) != 0) return absl::InternalError("pipe() failed");
  const pid_t child = fork();
  if (child < 0) return absl::InternalError("fork() failed");
  if (child == 0) {
    close(fds[0]);
    int64_t peak = -1;
    if (RunPipeline("llvmpipe", codec, size, frames, path).ok()) {
      struct rusage usage;
      getrusage(RUSAGE_SELF, &usage);
      peak = usage.ru_maxrss;  // KiB on Linux.
    }
    (void)!write(fds[1], &peak, sizeof(peak));
    _exit(0);
  }
  close(fds[1]);
  int64_t peak = -1;
  const bool got = read(fds[0], &peak, sizeof(peak)) == sizeof(peak);
  close(fds[0]);
  waitpid(child, nullptr, 0);
  std::remove(path.c_str());
  if (!got || peak < 0) {
    return absl::InternalError(absl::StrCat(
        "the pipeline of ", frames, " frames failed in the child process"));
  }
  return peak;
}

std::vector<std::string> RegisterPipelineBenchmarks() {
  if (absl::StatusOr<std::string> ffmpeg = FindFfmpeg(); !ffmpeg.ok()) {
    std::cerr << "pipeline benchmarks left out: " << ffmpeg.status().message()
              << "\n";
    return {};
  }
  std::vector<std::string> backends;
  // Every backend built in that auto could pick (not auto itself).
  for (const std::string& name : RenderBackends().AutoOrder()) {
    auto backend = RenderBackends().Create(name);
    if (!backend.ok()) {
      std::cerr << "pipeline benchmarks: render backend '" << name
                << "' left out: " << backend.status().message() << "\n";
      continue;
    }
    backends.push_back(name);
  }
  for (const std::string& backend : backends) {
    for (const Codec& codec : Codecs()) {
      for (const Size& size : kSizes) {
        const std::string suffix = absl::StrCat(backend, "/", codec.name, "/",
                                                size.width, "x", size.height);
        for (auto [kind, function] :
             {std::pair{"Pipeline/", &BM_Pipeline},
              std::pair{"SeedMethod/", &BM_SeedMethod},
              std::pair{"EncoderLimit/", &BM_EncoderLimit}}) {
          benchmark::RegisterBenchmark((kind + suffix).c_str(), function,
                                       backend, codec, size)
              ->UseRealTime()
              ->Unit(benchmark::kMillisecond)
              ->MeasureProcessCPUTime();
        }
      }
    }
  }
  return backends;
}

}  // namespace rl
