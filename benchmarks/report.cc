// report: runs the pipeline benchmarks and prints one table: the pipeline's
// frames/s against the seed's method and the encoder alone, measured in the
// same run on the same frames and settings, with the machine on top. The
// full results go to a JSON file (Google Benchmark's format) for comparing
// two runs.
//
//   bazel run -c opt //benchmarks:report
//   bazel run -c opt //benchmarks:report -- --json=before.json
//   bazel run -c opt //benchmarks:report -- --benchmark_filter=600x400
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

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

// Collects fps per benchmark name while the console reporter prints.
class CollectingReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.error_occurred) {
        errors_.push_back(run.benchmark_name() + ": " + run.error_message);
        continue;
      }
      auto fps = run.counters.find("fps");
      // "Pipeline/llvmpipe/x264_medium/600x400/process_time/real_time": the
      // suffixes name how it was timed.
      const std::string name = run.benchmark_name();
      if (fps != run.counters.end()) {
        fps_[name.substr(0, name.find("/process_time"))] = fps->second;
      }
    }
  }
  const std::map<std::string, double>& fps() const { return fps_; }
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  std::map<std::string, double> fps_;
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

void PrintMachine(const std::vector<std::string>& backends) {
  std::cout << absl::StrFormat("machine: %d cores, %s\n",
                               sysconf(_SC_NPROCESSORS_ONLN), CpuModel());
  for (const std::string& name : backends) {
    auto backend = RenderBackends().Create(name);
    if (backend.ok()) {
      std::cout << absl::StrFormat("GL_RENDERER (%s): %s\n", name,
                                   (*backend)->gl_renderer());
    }
  }
}

void PrintTable(const std::map<std::string, double>& fps) {
  std::cout << absl::StrFormat("\n%-40s %10s %10s %10s %10s %10s\n",
                               "backend/codec/size", "pipeline", "seed",
                               "ffmpeg", "x limit", "x seed");
  for (const auto& [name, pipeline] : fps) {
    if (!absl::StartsWith(name, "Pipeline/")) continue;
    const std::string key = name.substr(std::string("Pipeline/").size());
    auto seed = fps.find("SeedMethod/" + key);
    auto limit = fps.find("EncoderLimit/" + key);
    auto ratio = [&](auto it) {
      return it == fps.end() || it->second <= 0
                 ? std::string("-")
                 : absl::StrFormat("%.2f", pipeline / it->second);
    };
    auto value = [&](auto it) {
      return it == fps.end() ? std::string("-")
                             : absl::StrFormat("%.0f", it->second);
    };
    std::cout << absl::StrFormat("%-40s %10.0f %10s %10s %10s %10s\n", key,
                                 pipeline, value(seed), value(limit),
                                 ratio(limit), ratio(seed));
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

}  // namespace
}  // namespace rl

int main(int argc, char** argv) {
  // --json=PATH (ours) becomes Google Benchmark's --benchmark_out.
  std::string json = "benchmark-report.json";
  std::vector<char*> args;
  std::vector<std::string> storage;
  storage.reserve(argc + 2);
  for (int i = 0; i < argc; ++i) {
    if (absl::StartsWith(argv[i], "--json=")) {
      json = std::string(argv[i]).substr(7);
    } else {
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
  auto short_video = rl::PipelinePeakRssKib(1000);
  auto long_video = rl::PipelinePeakRssKib(10000);

  const std::vector<std::string> backends = rl::RegisterPipelineBenchmarks();
  if (backends.empty()) {
    std::cerr << "error: no render backend and ffmpeg pair works here\n";
    return 1;
  }
  rl::PrintMachine(backends);
  rl::CollectingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  rl::PrintTable(reporter.fps());
  if (short_video.ok() && long_video.ok()) {
    std::cout << absl::StrFormat(
        "\npeak memory of the pipeline (llvmpipe, x264 ultrafast, 600x400): "
        "%d KiB for 1,000 frames, %d KiB for 10,000 (%+d KiB)\n",
        *short_video, *long_video, *long_video - *short_video);
  } else {
    std::cerr << "error: memory measurement: "
              << (short_video.ok() ? long_video.status() : short_video.status())
              << "\n";
  }
  std::cout << "JSON: " << json << "\n";
  if (!reporter.errors().empty() || !short_video.ok() || !long_video.ok()) {
    for (const std::string& error : reporter.errors()) {
      std::cerr << "error: " << error << "\n";
    }
    return 1;
  }
  return 0;
}
