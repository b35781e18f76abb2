// report: runs the pipeline benchmarks and prints two tables, with the
// machine on top: CartPole's pipeline frames/s against the seed's method and
// the encoder alone, and the MuJoCo envs' (480x480) against MuJoCo's own way
// (mjr_readPixels into an ffmpeg pipe; Debian's mujoco-record too), in
// frames/s and CPU ms per frame, all measured in the same run on the same
// frames and encoder settings; then each pipeline's peak memory for a short
// and a 10x longer video. The full results go to a JSON file (Google
// Benchmark's format) for comparing two runs. Speed never fails the run;
// an error does (exit status 1).
//
//   bazel run -c opt //benchmarks:report
//   bazel run -c opt //benchmarks:report -- --json=before.json
//   bazel run -c opt //benchmarks:report -- --benchmark_filter=600x400
//   bazel run -c opt //benchmarks:report -- --memory=false  # no memory runs
//   bazel run -c opt //benchmarks:report -- --benchmark_filter=HumanoidDMC
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "benchmark/benchmark.h"
#include "benchmarks/pipeline_benchmarks.h"
#include "rl/render/render_backend.h"
#include "rl/run/cli.h"

namespace rl {
namespace {

// Collects the counters per benchmark name while the console reporter
// prints: fps and cpu_ms_per_frame; with repetitions, their medians.
class CollectingReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.error_occurred) {
        errors_.push_back(run.benchmark_name() + ": " + run.error_message);
        continue;
      }
      // Repetitions: the median (reported after the single runs) wins.
      if (run.run_type == Run::RT_Aggregate && run.aggregate_name != "median") {
        continue;
      }
      // "Pipeline/llvmpipe/x264_medium/600x400/process_time/real_time": the
      // suffixes name how it was timed.
      const std::string name = run.benchmark_name();
      const std::string key = name.substr(0, name.find("/process_time"));
      for (auto [counter, values] :
           {std::pair{"fps", &fps_}, std::pair{"cpu_ms_per_frame", &cpu_}}) {
        auto found = run.counters.find(counter);
        if (found != run.counters.end()) (*values)[key] = found->second;
      }
    }
  }
  const std::map<std::string, double>& fps() const { return fps_; }
  const std::map<std::string, double>& cpu() const { return cpu_; }
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  std::map<std::string, double> fps_;
  std::map<std::string, double> cpu_;
  std::vector<std::string> errors_;
};

std::string CpuModel() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (absl::StartsWith(line, "model name")) {
      return std::string(
          absl::StripLeadingAsciiWhitespace(line.substr(line.find(':') + 1)));
    }
  }
  return "unknown CPU";
}

void PrintMachine(const std::vector<std::unique_ptr<RenderBackend>>& backends) {
  std::cout << absl::StrFormat("machine: %d cores, %s\n",
                               sysconf(_SC_NPROCESSORS_ONLN), CpuModel());
  for (const auto& backend : backends) {
    std::cout << absl::StrFormat("GL_RENDERER (%s): %s\n", backend->name(),
                                 backend->gl_renderer());
  }
}

// MuJoCo rows name their env: BACKEND/CODEC/ENV/WxH[/mujoco_look].
bool IsMujocoKey(const std::string& key) {
  return std::count(key.begin(), key.end(), '/') >= 3;
}

// The value with `decimals` decimals, or "-".
std::string Value(const std::map<std::string, double>& values,
                  const std::string& key, int decimals = 0) {
  auto it = values.find(key);
  return it == values.end() ? std::string("-")
                            : absl::StrFormat("%.*f", decimals, it->second);
}

// a / b, or "-".
std::string Ratio(const std::map<std::string, double>& values,
                  const std::string& a, const std::string& b) {
  auto x = values.find(a);
  auto y = values.find(b);
  return x == values.end() || y == values.end() || y->second <= 0
             ? std::string("-")
             : absl::StrFormat("%.2f", x->second / y->second);
}

void PrintTable(const std::map<std::string, double>& fps) {
  std::cout << absl::StrFormat("\n%-40s %10s %10s %10s %10s %10s\n",
                               "backend/codec/size", "pipeline", "seed",
                               "ffmpeg", "x limit", "x seed");
  for (const auto& [name, pipeline] : fps) {
    if (!absl::StartsWith(name, "Pipeline/")) continue;
    const std::string key = name.substr(std::string("Pipeline/").size());
    if (IsMujocoKey(key)) continue;
    std::cout << absl::StrFormat("%-40s %10.0f %10s %10s %10s %10s\n", key,
                                 pipeline, Value(fps, "SeedMethod/" + key),
                                 Value(fps, "EncoderLimit/" + key),
                                 Ratio(fps, name, "EncoderLimit/" + key),
                                 Ratio(fps, name, "SeedMethod/" + key));
  }
  std::cout << "\nfps: frames per second, whole video including opening and "
               "closing the encoder.\n"
               "pipeline: env step -> draw -> render -> readback (YUV) -> "
               "encode -> file, in process.\n"
               "seed: the same frames as raw RGB through a pipe into ffmpeg "
               "(gym's Monitor).\n"
               "ffmpeg: the ffmpeg tool encoding the same frames from a file "
               "(the encoder's limit).\n";
}

// The MuJoCo rows: frames/s and CPU ms per frame of the pipeline and of
// MuJoCo's own way, then the frames alone, then each side's defaults.
void PrintMujocoTable(const std::map<std::string, double>& fps,
                      const std::map<std::string, double>& cpu) {
  std::cout << absl::StrFormat(
      "\n%-50s %9s %9s %8s %9s %9s %8s %9s\n", "MuJoCo: backend/codec/env/size",
      "pipeline", "mujoco", "x fps", "cpu ms", "mujoco ms", "x cpu", "ffmpeg");
  bool any = false;
  for (const auto& [name, pipeline] : fps) {
    if (!absl::StartsWith(name, "Pipeline/")) continue;
    const std::string key = name.substr(std::string("Pipeline/").size());
    if (!IsMujocoKey(key)) continue;
    any = true;
    const std::string theirs = "SeedMethod/" + key;
    std::cout << absl::StrFormat(
        "%-50s %9.0f %9s %8s %9s %9s %8s %9s\n", key, pipeline,
        Value(fps, theirs), Ratio(fps, name, theirs), Value(cpu, name, 1),
        Value(cpu, theirs, 1), Ratio(cpu, theirs, name),
        Value(fps, "EncoderLimit/" + key));
  }
  if (!any) return;
  std::cout << "\nFrames alone (env step, scene update, render, readback; no "
               "encoder): frames/s and CPU ms per frame.\n";
  for (const auto& [name, ours] : fps) {
    if (!absl::StartsWith(name, "Frames/")) continue;
    const std::string key = name.substr(std::string("Frames/").size());
    std::cout << absl::StrFormat(
        "%-50s pipeline %.0f fps %s ms, mujoco %s fps %s ms\n", key, ours,
        Value(cpu, name, 1), Value(fps, "MujocoFrames/" + key),
        Value(cpu, "MujocoFrames/" + key, 1));
  }
  std::cout << "\npipeline: env step -> UpdateScene -> MujocoRenderer "
               "(mjr_render, readback as YUV) -> recorder (encoder thread) -> "
               "file, in process.\n"
               "mujoco: MuJoCo's own way (Gymnasium, mujoco-record): the same "
               "scenes through mjr_render + mjr_readPixels (RGB), rows "
               "flipped, into an ffmpeg pipe.\n"
               "cpu ms: CPU time per frame of every thread and process of "
               "that way (ffmpeg's included); x cpu: mujoco's over ours.\n"
               "Both sides draw the same look: the project's defaults (no "
               "shadows, reflections or MSAA) or, /mujoco_look, MuJoCo's "
               "(shadows, reflections, 4x MSAA, the model's shadow map).\n";
  // Debian's mujoco-record | ffmpeg, its own look and scene (free camera,
  // no controls, depth readback), against the humanoid pipeline rows.
  for (const auto& [name, theirs] : fps) {
    if (!absl::StartsWith(name, "MujocoRecord/")) continue;
    // "MujocoRecord/glx/x264_medium/humanoid.xml/480x480".
    const std::vector<std::string> parts = absl::StrSplit(name, '/');
    if (parts.size() < 5) continue;
    const std::string ours = absl::StrCat("Pipeline/llvmpipe/", parts[2],
                                          "/HumanoidDMC-v0/", parts[4]);
    std::cout << absl::StrFormat(
        "mujoco-record | ffmpeg (Xvfb, %s, its own look): %.1f fps, %s cpu "
        "ms; pipeline (llvmpipe, project look) x%s fps, x%s cpu; pipeline "
        "(MuJoCo's look) x%s fps\n",
        parts[2], theirs, Value(cpu, name, 1), Ratio(fps, ours, name),
        Ratio(cpu, name, ours), Ratio(fps, ours + "/mujoco_look", name));
  }
  // What a user sees: each side with its own defaults.
  for (const auto& [name, pipeline] : fps) {
    if (!absl::StartsWith(name, "Pipeline/") ||
        !absl::EndsWith(name, "/mujoco_look")) {
      continue;
    }
    const std::string key = name.substr(std::string("Pipeline/").size());
    const std::string project_key =
        key.substr(0, key.size() - std::string("/mujoco_look").size());
    std::cout << absl::StrFormat(
        "defaults against defaults, %s: pipeline (project look) %s fps %s "
        "ms, MuJoCo's way (its look) %s fps %s ms: x%s fps, x%s cpu\n",
        project_key, Value(fps, "Pipeline/" + project_key),
        Value(cpu, "Pipeline/" + project_key, 1),
        Value(fps, "SeedMethod/" + key), Value(cpu, "SeedMethod/" + key, 1),
        Ratio(fps, "Pipeline/" + project_key, "SeedMethod/" + key),
        Ratio(cpu, "SeedMethod/" + key, "Pipeline/" + project_key));
  }
}

// Prints the peak memory of a short and a 10x longer video; false (and the
// error on stderr) if either failed.
bool PrintMemory(const std::string& what, int short_frames,
                 const absl::StatusOr<int64_t>& short_video,
                 const absl::StatusOr<int64_t>& long_video) {
  if (!short_video.ok() || !long_video.ok()) {
    std::cerr << "error: memory measurement (" << what << "): "
              << (short_video.ok() ? long_video.status() : short_video.status())
              << "\n";
    return false;
  }
  std::cout << absl::StrFormat(
      "\npeak memory of the pipeline (%s): %d KiB for %d frames, %d KiB "
      "for %d (%+d KiB)\n",
      what, *short_video, short_frames, *long_video, 10 * short_frames,
      *long_video - *short_video);
  return true;
}

}  // namespace
}  // namespace rl

int main(int argc, char** argv) {
  // --json=PATH (ours) becomes Google Benchmark's --benchmark_out.
  std::string json = "benchmark-report.json";
  // --memory=false (ours) skips the peak memory runs (minutes at 480x480).
  bool memory = true;
  // A smoke run (CI's --benchmark_min_time=0.01) checks that every row
  // works: MuJoCo videos of 30 frames, its memory runs 100 and 1,000.
  bool smoke = false;
  std::vector<char*> args;
  std::vector<std::string> storage;
  storage.reserve(argc + 2);
  for (int i = 0; i < argc; ++i) {
    if (absl::StartsWith(argv[i], "--json=")) {
      json = std::string(argv[i]).substr(7);
    } else if (absl::StartsWith(argv[i], "--memory=")) {
      memory = std::string(argv[i]) != "--memory=false";
    } else {
      constexpr absl::string_view kMinTime = "--benchmark_min_time=";
      if (absl::StartsWith(argv[i], kMinTime)) {
        smoke = std::atof(argv[i] + kMinTime.size()) < 0.1;
      }
      storage.emplace_back(argv[i]);
    }
  }
  json = rl::ResolveAgainstWorkingDirectory(json);
  storage.push_back("--benchmark_out=" + json);
  storage.push_back("--benchmark_out_format=json");
  for (std::string& arg : storage) args.push_back(arg.data());
  int count = static_cast<int>(args.size());
  benchmark::Initialize(&count, args.data());

  // Memory first: the children must fork before this process touches GL.
  absl::StatusOr<int64_t> short_video, long_video, short_mujoco, long_mujoco;
  const int mujoco_frames = smoke ? 100 : 1000;
  if (memory) {
    short_video = rl::PipelinePeakRssKib(1000);
    long_video = rl::PipelinePeakRssKib(10000);
    short_mujoco = rl::MujocoPipelinePeakRssKib(mujoco_frames);
    long_mujoco = rl::MujocoPipelinePeakRssKib(10 * mujoco_frames);
  }

  const std::vector<std::unique_ptr<rl::RenderBackend>> backends =
      rl::RegisterPipelineBenchmarks(/*short_mujoco_videos=*/smoke);
  if (backends.empty()) {
    std::cerr << "error: no render backend and ffmpeg pair works here\n";
    return 1;
  }
  rl::PrintMachine(backends);
  rl::CollectingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  rl::PrintTable(reporter.fps());
  rl::PrintMujocoTable(reporter.fps(), reporter.cpu());
  const bool memory_ok =
      !memory ||
      rl::PrintMemory("CartPole-v1, llvmpipe, x264 ultrafast, 600x400", 1000,
                      short_video, long_video);
  const bool mujoco_memory_ok =
      !memory ||
      rl::PrintMemory("HumanoidDMC-v0, llvmpipe, x264 medium, 480x480",
                      mujoco_frames, short_mujoco, long_mujoco);
  std::cout << "JSON: " << json << "\n";
  if (!reporter.errors().empty() || !memory_ok || !mujoco_memory_ok) {
    for (const std::string& error : reporter.errors()) {
      std::cerr << "error: " << error << "\n";
    }
    return 1;
  }
  return 0;
}
