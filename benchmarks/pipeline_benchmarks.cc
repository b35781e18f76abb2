#include "benchmarks/pipeline_benchmarks.h"

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "benchmarks/ffmpeg_reference.h"
#include "benchmarks/frame_source.h"
#include "benchmarks/mujoco_record.h"
#include "rl/core/file_util.h"
#include "rl/core/frame.h"
#include "rl/core/status_macros.h"
#include "rl/record/recorder.h"
#include "rl/render/render_backend.h"

namespace rl {
namespace {

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

// `fps`: the video's rate; the keyframe interval is one second, as the
// recorders' default.
std::vector<Codec> Codecs(int fps) {
  const std::string gop = absl::StrCat(fps);
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

// Per measured video: enough frames (several seconds of video) that
// ffmpeg's own start-up, which the references pay once per video, weighs
// little. CartPole at its 50 frames/s; the MuJoCo envs at 480x480
// (Gymnasium's size) and 30 frames/s, as mujoco-record's users encode.
std::vector<Workload> Workloads2d() {
  return {{"CartPole-v1", 600, 400, 1000, 50},
          {"CartPole-v1", 84, 84, 3000, 50}};
}
// MuJoCo's look (shadows, reflections, 4x MSAA) renders at a few frames/s
// on llvmpipe: shorter videos. `short_videos`: 30 frames each (a smoke
// run).
std::vector<Workload> WorkloadsMujoco(bool short_videos) {
  const int frames = short_videos ? 30 : 300;
  Workload mujoco_look{"HumanoidDMC-v0", 480, 480, frames / 3, 30};
  mujoco_look.look = Workload::Look::kMujoco;
  return {{"HalfCheetah-v5", 480, 480, frames, 30},
          {"HumanoidDMC-v0", 480, 480, frames, 30},
          mujoco_look};
}
const char* const kMujocoCodecs[] = {"x264_medium", "vp9_speed8"};

// "llvmpipe/x264_medium/600x400" (CartPole),
// "llvmpipe/x264_medium/HumanoidDMC-v0/480x480[/mujoco_look]" (MuJoCo).
std::string Key(const std::string& backend, const Codec& codec,
                const Workload& workload) {
  const bool cartpole = workload.env_id == "CartPole-v1";
  return absl::StrCat(
      backend, "/", codec.name, "/", cartpole ? "" : workload.env_id + "/",
      workload.width, "x", workload.height,
      workload.look == Workload::Look::kMujoco ? "/mujoco_look" : "");
}

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

// CPU time of this process and of its children once waited for (the
// references' ffmpeg): what the frames cost in all, on every core. On a
// shared machine whose cores are busy, frames/s follows it more than the
// wall clock does.
class CpuMeter {
 public:
  void Start() { start_ = Now(); }
  void Stop() { seconds_ += Now() - start_; }
  // Counter `cpu_ms_per_frame`: CPU milliseconds per frame, every thread
  // and process of the measured way included.
  void Report(benchmark::State& state, int frames) const {
    state.counters["cpu_ms_per_frame"] =
        1000 * seconds_ / (static_cast<double>(frames) * state.iterations());
  }

 private:
  static double Now() {
    double seconds = 0;
    for (int who : {RUSAGE_SELF, RUSAGE_CHILDREN}) {
      struct rusage usage;
      getrusage(who, &usage);
      seconds += usage.ru_utime.tv_sec + usage.ru_stime.tv_sec +
                 1e-6 * (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec);
    }
    return seconds;
  }
  double start_ = 0;
  double seconds_ = 0;
};

void Report(benchmark::State& state, int frames, const std::string& path,
            const CpuMeter& cpu) {
  state.counters["fps"] =
      benchmark::Counter(frames, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["bytes_per_frame"] =
      static_cast<double>(FileSize(path)) / frames;
  cpu.Report(state, frames);
}

void Fail(benchmark::State& state, const absl::Status& status) {
  state.SkipWithError(std::string(status.message()).c_str());
}

void BM_Pipeline(benchmark::State& state, std::string backend, Codec codec,
                 Workload workload) {
  const std::string path =
      absl::StrCat(TempDir(), "/pipeline.", codec.extension);
  CpuMeter cpu;
  for (auto _ : state) {
    state.PauseTiming();
    // A fresh env (the same frames each video) and renderer, untimed.
    auto source =
        FrameSource::Create(workload, backend, FrameSource::Way::kPipeline);
    if (!source.ok()) return Fail(state, source.status());
    Frame frame;
    // Recorders create their file exclusively: the last iteration's goes.
    std::remove(path.c_str());
    state.ResumeTiming();
    cpu.Start();
    // Opening the encoder is timed, as ffmpeg's start is for the references.
    RecorderOptions options;
    options.path = path;
    options.width = workload.width;
    options.height = workload.height;
    options.fps = workload.fps;
    options.encoder_options = codec.encoder_options;
    auto recorder = Recorders().Create(codec.recorder, options);
    if (!recorder.ok()) return Fail(state, recorder.status());
    for (int i = 0; i < workload.frames; ++i) {
      absl::Status status = (*source)->Next(&frame);
      if (status.ok()) status = (*recorder)->WriteFrame(frame);
      if (!status.ok()) return Fail(state, status);
    }
    if (absl::Status status = (*recorder)->Close(); !status.ok()) {
      return Fail(state, status);
    }
    cpu.Stop();
  }
  Report(state, workload.frames, path, cpu);
}

void BM_SeedMethod(benchmark::State& state, std::string backend, Codec codec,
                   Workload workload) {
  const std::string path = absl::StrCat(TempDir(), "/seed.", codec.extension);
  const FfmpegEncode encode{workload.width, workload.height, workload.fps,
                            codec.ffmpeg_args};
  CpuMeter cpu;
  for (auto _ : state) {
    state.PauseTiming();
    auto source =
        FrameSource::Create(workload, backend, FrameSource::Way::kReference);
    if (!source.ok()) return Fail(state, source.status());
    Frame frame;
    state.ResumeTiming();
    cpu.Start();
    auto pipe = SeedMethod::Start(encode, path);
    if (!pipe.ok()) return Fail(state, pipe.status());
    for (int i = 0; i < workload.frames; ++i) {
      absl::Status status = (*source)->Next(&frame);
      if (status.ok()) status = pipe->Write(frame);
      if (!status.ok()) return Fail(state, status);
    }
    if (absl::Status status = pipe->Finish(); !status.ok()) {
      return Fail(state, status);
    }
    cpu.Stop();
  }
  Report(state, workload.frames, path, cpu);
}

void BM_EncoderLimit(benchmark::State& state, std::string backend, Codec codec,
                     Workload workload) {
  const std::string dir = TempDir();
  const std::string raw = absl::StrCat(dir, "/frames.rgb");
  const std::string path = absl::StrCat(dir, "/limit.", codec.extension);
  {
    // The same frames, rendered before the clock starts.
    auto source =
        FrameSource::Create(workload, backend, FrameSource::Way::kReference);
    if (!source.ok()) return Fail(state, source.status());
    std::vector<Frame> frames(workload.frames);
    for (Frame& frame : frames) {
      if (absl::Status status = (*source)->Next(&frame); !status.ok()) {
        return Fail(state, status);
      }
    }
    if (absl::Status status = WriteRawFrames(frames, raw); !status.ok()) {
      return Fail(state, status);
    }
  }
  const FfmpegEncode encode{workload.width, workload.height, workload.fps,
                            codec.ffmpeg_args};
  CpuMeter cpu;
  for (auto _ : state) {
    cpu.Start();
    if (absl::Status status = EncodeFromFile(encode, raw, path); !status.ok()) {
      return Fail(state, status);
    }
    cpu.Stop();
  }
  std::remove(raw.c_str());
  Report(state, workload.frames, path, cpu);
}

// Frames alone, no encoder (where the time goes): env step, scene update,
// render and readback, the pipeline's way (YUV) or the reference's (RGB).
void BM_Frames(benchmark::State& state, std::string backend, Workload workload,
               FrameSource::Way way) {
  auto source = FrameSource::Create(workload, backend, way);
  if (!source.ok()) return Fail(state, source.status());
  Frame frame;
  CpuMeter cpu;
  for (auto _ : state) {
    cpu.Start();
    for (int i = 0; i < workload.frames; ++i) {
      if (absl::Status status = (*source)->Next(&frame); !status.ok()) {
        return Fail(state, status);
      }
    }
    cpu.Stop();
  }
  state.counters["fps"] = benchmark::Counter(
      workload.frames, benchmark::Counter::kIsIterationInvariantRate);
  cpu.Report(state, workload.frames);
}

constexpr char kHumanoidXml[] = "/usr/share/mujoco/model/humanoid/humanoid.xml";

// MuJoCo's own recorder sample into an ffmpeg pipe (mujoco_record.h), on
// Debian's humanoid at the workload's size.
void BM_MujocoRecord(benchmark::State& state, Codec codec, Workload workload) {
  const std::string dir = TempDir();
  const std::string path =
      absl::StrCat(dir, "/mujoco-record.", codec.extension);
  auto record =
      MujocoRecord::Prepare(kHumanoidXml, workload.width, workload.height,
                            workload.fps, workload.frames, dir);
  if (!record.ok()) return Fail(state, record.status());
  CpuMeter cpu;
  for (auto _ : state) {
    cpu.Start();
    if (absl::Status status = (*record)->Run(codec.ffmpeg_args, path);
        !status.ok()) {
      return Fail(state, status);
    }
    cpu.Stop();
  }
  Report(state, workload.frames, path, cpu);
}

// The pipeline of BM_Pipeline, untimed, for `frames` frames.
absl::Status RunPipeline(const std::string& backend, const Codec& codec,
                         const Workload& workload, const std::string& path) {
  RL_ASSIGN_OR_RETURN(
      std::unique_ptr<FrameSource> source,
      FrameSource::Create(workload, backend, FrameSource::Way::kPipeline));
  RecorderOptions options;
  options.path = path;
  options.width = workload.width;
  options.height = workload.height;
  options.fps = workload.fps;
  options.encoder_options = codec.encoder_options;
  RL_ASSIGN_OR_RETURN(std::unique_ptr<Recorder> recorder,
                      Recorders().Create(codec.recorder, options));
  Frame frame;
  for (int i = 0; i < workload.frames; ++i) {
    RL_RETURN_IF_ERROR(source->Next(&frame));
    RL_RETURN_IF_ERROR(recorder->WriteFrame(frame));
  }
  return recorder->Close();
}

const Codec& FindCodec(const std::vector<Codec>& codecs,
                       const std::string& name) {
  for (const Codec& codec : codecs) {
    if (codec.name == name) return codec;
  }
  return codecs.front();
}

absl::StatusOr<int64_t> PeakRssKib(const Workload& workload,
                                   const std::string& codec_name) {
  const std::vector<Codec> codecs = Codecs(workload.fps);
  const Codec& codec = FindCodec(codecs, codec_name);
  const std::string path = absl::StrCat(TempDir(), "/memory.", codec.extension);
  int fds[2];
  if (pipe(fds) != 0) return absl::InternalError("pipe() failed");
  const pid_t child = fork();
  if (child < 0) return absl::InternalError("fork() failed");
  if (child == 0) {
    close(fds[0]);
    int64_t peak = -1;
    if (RunPipeline("llvmpipe", codec, workload, path).ok()) {
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
    return absl::InternalError(absl::StrCat("the pipeline of ", workload.frames,
                                            " frames (", workload.Describe(),
                                            ") failed in the child process"));
  }
  return peak;
}

}  // namespace

absl::StatusOr<int64_t> PipelinePeakRssKib(int frames) {
  return PeakRssKib({"CartPole-v1", 600, 400, frames, 50}, "x264_ultrafast");
}

absl::StatusOr<int64_t> MujocoPipelinePeakRssKib(int frames) {
  return PeakRssKib({"HumanoidDMC-v0", 480, 480, frames, 30}, "x264_medium");
}

std::vector<std::unique_ptr<RenderBackend>> RegisterPipelineBenchmarks(
    bool short_mujoco_videos) {
  if (absl::StatusOr<std::string> ffmpeg = FindFfmpeg(); !ffmpeg.ok()) {
    std::cerr << "pipeline benchmarks left out: " << ffmpeg.status().message()
              << "\n";
    return {};
  }
  std::vector<std::unique_ptr<RenderBackend>> live;
  // Every backend built in that auto could pick (not auto itself).
  for (const std::string& name : RenderBackends().AutoOrder()) {
    auto backend = RenderBackends().Create(name);
    if (!backend.ok()) {
      std::cerr << "pipeline benchmarks: render backend '" << name
                << "' left out: " << backend.status().message() << "\n";
      continue;
    }
    live.push_back(*std::move(backend));
  }
  std::vector<std::string> backends;
  for (const auto& backend : live) backends.push_back(backend->name());
  auto register_one = [](const std::string& backend, const Codec& codec,
                         const Workload& workload, bool encoder_limit) {
    const std::string key = Key(backend, codec, workload);
    for (auto [kind, function] :
         {std::pair{"Pipeline/", &BM_Pipeline},
          std::pair{"SeedMethod/", &BM_SeedMethod},
          std::pair{"EncoderLimit/", &BM_EncoderLimit}}) {
      if (!encoder_limit && function == &BM_EncoderLimit) continue;
      benchmark::RegisterBenchmark((kind + key).c_str(), function, backend,
                                   codec, workload)
          ->UseRealTime()
          ->Unit(benchmark::kMillisecond)
          ->MeasureProcessCPUTime();
    }
  };
  for (const std::string& backend : backends) {
    for (const Workload& workload : Workloads2d()) {
      for (const Codec& codec : Codecs(workload.fps)) {
        register_one(backend, codec, workload, /*encoder_limit=*/true);
      }
    }
    for (const Workload& workload : WorkloadsMujoco(short_mujoco_videos)) {
      const bool project_look = workload.look == Workload::Look::kProject;
      // "Frames/llvmpipe/HumanoidDMC-v0/480x480": render alone, each way.
      const std::string frames_key =
          absl::StrCat(backend, "/", workload.env_id, "/", workload.width, "x",
                       workload.height);
      for (auto [kind, way] :
           {std::pair{"Frames/", FrameSource::Way::kPipeline},
            std::pair{"MujocoFrames/", FrameSource::Way::kReference}}) {
        if (!project_look) break;
        benchmark::RegisterBenchmark((kind + frames_key).c_str(), &BM_Frames,
                                     backend, workload, way)
            ->UseRealTime()
            ->Unit(benchmark::kMillisecond)
            ->MeasureProcessCPUTime();
      }
      const std::vector<Codec> codecs = Codecs(workload.fps);
      for (const char* name : kMujocoCodecs) {
        // The encoder's limit for the project's look only: at MuJoCo's look
        // rendering dominates and the row would say nothing new.
        register_one(backend, FindCodec(codecs, name), workload, project_look);
      }
    }
  }
  // mujoco-record needs an X display: where glx works, Xvfb does.
  const bool glx =
      std::find(backends.begin(), backends.end(), "glx") != backends.end();
  if (access("/usr/bin/mujoco-record", X_OK) != 0 || !glx) {
    std::cerr << "pipeline benchmarks: MujocoRecord left out (needs "
                 "/usr/bin/mujoco-record from libmujoco-samples, and Xvfb)\n";
    return live;
  }
  Workload record{"humanoid.xml", 480, 480, short_mujoco_videos ? 10 : 100, 30};
  const std::vector<Codec> codecs = Codecs(record.fps);
  for (const char* name : kMujocoCodecs) {
    const Codec& codec = FindCodec(codecs, name);
    benchmark::RegisterBenchmark(
        absl::StrCat("MujocoRecord/glx/", codec.name, "/humanoid.xml/480x480")
            .c_str(),
        &BM_MujocoRecord, codec, record)
        ->UseRealTime()
        ->Unit(benchmark::kMillisecond)
        ->MeasureProcessCPUTime();
  }
  return live;
}

}  // namespace rl
