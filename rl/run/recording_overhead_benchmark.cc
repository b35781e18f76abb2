// What recording costs a training run, as a user pays it: the whole `train`
// process's wall time with recording, divided by the same run's without
// (--record=none --record_eval=false). The runs of a workload are
// interleaved (none, default, every; none, default, every; ...) so a busy
// moment of the machine falls on all of them, and each ratio divides two
// neighbouring runs. Printed: the machine, then per workload the seconds of
// each run, the median CPU seconds (all threads: the work, steadier than
// wall time on a shared machine) and the median ratio (min-max) against the
// goal of issue 15:
//
//   default   the train binary's defaults: env 0's episodes on the
//             capped-cubic schedule and the first episode of every
//             evaluation                                        <= 1.10x
//   every     --record=every --record_every=1: every episode of env 0 <= 1.5x
//
// Every run trains the same seed, so all configurations do the same
// learning (tests/recording_identical_test checks it bit for bit).
//
//   bazel run //rl/run:recording_overhead_benchmark
//   bazel run //rl/run:recording_overhead_benchmark -- --repeats=5
//       --workloads=ppo:CartPole-v1:40000:every
// With --benchmark_min_time (CI's smoke run of every benchmark) it trains
// 4,000 steps once per configuration: it checks the runs work, not speed.
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

ABSL_FLAG(std::string, workloads,
          "ppo:CartPole-v1:60000:default+every,dqn:CartPole-v1:100000:default,"
          "ppo:InvertedPendulum-v5:100000:default",
          "AGENT:ENV:STEPS:CONFIGS,... to train; CONFIGS joined by +, of "
          "default (train's defaults: capped-cubic training videos and the "
          "first episode of every evaluation) and every (--record=every "
          "--record_every=1). Each is divided by the same workload with no "
          "recording at all (--record=none --record_eval=false).");
ABSL_FLAG(int, repeats, 3, "Interleaved rounds of every configuration.");
ABSL_FLAG(std::string, train, "rl/run/train",
          "The train binary (default: the one in this target's runfiles).");
ABSL_FLAG(std::string, extra_flags, "",
          "More train flags for the recorded configurations, space-separated "
          "(e.g. \"--preset=veryfast\").");
ABSL_FLAG(std::string, benchmark_min_time, "",
          "Given (as CI's smoke run does): 4,000 steps, one round.");

namespace {

struct Workload {
  std::string agent, env;
  int64_t steps = 0;
  std::vector<std::string> configs;  // Besides "none".
};

struct Config {
  std::string name;
  std::vector<std::string> flags;
  std::string goal;  // "" for the base.
  double goal_ratio = 0;
};

std::string ReadFirstLine(const std::string& path, const std::string& key) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0) {
      const size_t colon = line.find(':');
      if (colon == std::string::npos) return line;
      return std::string(absl::StripAsciiWhitespace(line.substr(colon + 1)));
    }
  }
  return "?";
}

// Wall seconds of one train process, or -1 (its exit status printed);
// `cpu_seconds`: the CPU time (user + system) of all its threads.
double TimeTrain(const std::vector<std::string>& args, double* cpu_seconds) {
  std::vector<char*> argv;
  for (const std::string& arg : args)
    argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null",
                                   O_WRONLY, 0);
  const auto start = std::chrono::steady_clock::now();
  pid_t pid;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) !=
      0) {
    posix_spawn_file_actions_destroy(&actions);
    std::cerr << "cannot start " << args[0] << "\n";
    return -1;
  }
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  struct rusage usage {};
  wait4(pid, &status, 0, &usage);
  *cpu_seconds = usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
                 usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::cerr << "FAILED: " << absl::StrJoin(args, " ") << " (status " << status
              << ")\n";
    return -1;
  }
  return seconds;
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const bool smoke = !absl::GetFlag(FLAGS_benchmark_min_time).empty();
  const int repeats = smoke ? 1 : std::max(1, absl::GetFlag(FLAGS_repeats));
  const std::string train = absl::GetFlag(FLAGS_train);
  if (access(train.c_str(), X_OK) != 0) {
    std::cerr << "train binary not found at " << train
              << ": run this through bazel run, or give --train=PATH\n";
    return 2;
  }

  std::vector<Workload> workloads;
  for (absl::string_view item :
       absl::StrSplit(absl::GetFlag(FLAGS_workloads), ',', absl::SkipEmpty())) {
    std::vector<std::string> parts = absl::StrSplit(item, ':');
    Workload w;
    if (parts.size() != 4 || !absl::SimpleAtoi(parts[2], &w.steps) ||
        w.steps <= 0) {
      std::cerr << "--workloads: '" << item
                << "' is not AGENT:ENV:STEPS:CONFIGS\n";
      return 2;
    }
    w.agent = parts[0];
    w.env = parts[1];
    w.configs = absl::StrSplit(parts[3], '+', absl::SkipEmpty());
    for (const std::string& name : w.configs) {
      if (name != "default" && name != "every") {
        std::cerr << "--workloads: unknown configuration '" << name << "' in '"
                  << item << "'; valid: default, every\n";
        return 2;
      }
    }
    if (smoke) w.steps = std::min<int64_t>(w.steps, 4000);
    workloads.push_back(w);
  }
  std::vector<std::string> extra =
      absl::StrSplit(absl::GetFlag(FLAGS_extra_flags), ' ', absl::SkipEmpty());
  auto make_config = [&extra](const std::string& name) {
    Config config;
    config.name = name;
    if (name == "none") {
      config.flags = {"--record=none", "--record_eval=false"};
      return config;
    }
    if (name == "default") {
      config.goal = "<= 1.10x";
      config.goal_ratio = 1.10;
    } else {
      config.flags = {"--record=every", "--record_every=1"};
      config.goal = "<= 1.5x";
      config.goal_ratio = 1.5;
    }
    for (const std::string& flag : extra) config.flags.push_back(flag);
    return config;
  };

  std::cout << "machine: " << ReadFirstLine("/proc/cpuinfo", "model name")
            << ", " << std::thread::hardware_concurrency() << " cores\n";
  std::cout << "train: " << train << (smoke ? " (smoke run)" : "") << "\n";
  if (!extra.empty())
    std::cout << "recorded runs also get: " << absl::StrJoin(extra, " ")
              << "\n";
  const std::string dir = (std::filesystem::temp_directory_path() /
                           absl::StrCat("recording_overhead_", getpid()))
                              .string();
  int failures = 0;
  for (const Workload& w : workloads) {
    std::vector<Config> configs = {make_config("none")};
    for (const std::string& name : w.configs) {
      configs.push_back(make_config(name));
    }
    // seconds[config][round], and the CPU seconds.
    std::vector<std::vector<double>> seconds(configs.size()),
        cpu(configs.size());
    for (int round = 0; round < repeats; ++round) {
      for (size_t c = 0; c < configs.size(); ++c) {
        std::vector<std::string> args = {
            train,
            absl::StrCat("--env=", w.env),
            absl::StrCat("--agent=", w.agent),
            absl::StrCat("--steps=", w.steps),
            "--seed=0",
            absl::StrCat("--run_dir=", dir, "/runs/", configs[c].name),
            "--overwrite",
            "--quiet"};
        for (const std::string& flag : configs[c].flags) args.push_back(flag);
        double cpu_seconds = 0;
        const double s = TimeTrain(args, &cpu_seconds);
        if (s < 0) {
          ++failures;
          continue;
        }
        seconds[c].push_back(s);
        cpu[c].push_back(cpu_seconds);
      }
    }
    std::cout << "\n"
              << w.agent << " " << w.env << ", " << w.steps << " steps, "
              << repeats << " rounds\n";
    std::cout << absl::StrFormat("  %-8s %-22s %-9s %-22s %s\n", "config",
                                 "seconds (each round)", "CPU s",
                                 "ratio median (min-max)", "goal");
    for (size_t c = 0; c < configs.size(); ++c) {
      std::vector<std::string> each;
      for (double s : seconds[c]) each.push_back(absl::StrFormat("%.2f", s));
      std::string ratio = "1 (base)";
      std::string verdict;
      if (c > 0 && !seconds[c].empty() &&
          seconds[c].size() == seconds[0].size()) {
        std::vector<double> ratios;
        for (size_t r = 0; r < seconds[c].size(); ++r) {
          ratios.push_back(seconds[c][r] / seconds[0][r]);
        }
        const double median = Median(ratios);
        ratio =
            absl::StrFormat("%.2fx (%.2f-%.2f)", median,
                            *std::min_element(ratios.begin(), ratios.end()),
                            *std::max_element(ratios.begin(), ratios.end()));
        verdict = absl::StrCat(
            configs[c].goal,
            smoke ? ""
                  : (median <= configs[c].goal_ratio ? "  met" : "  NOT met"));
      }
      const std::string cpu_median =
          cpu[c].empty() ? "" : absl::StrFormat("%.1f", Median(cpu[c]));
      std::cout << absl::StrFormat("  %-8s %-22s %-9s %-22s %s\n",
                                   configs[c].name, absl::StrJoin(each, " "),
                                   cpu_median, ratio, verdict);
    }
    std::cout << std::flush;
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  if (failures > 0) {
    std::cout << "ERROR OCCURRED: " << failures << " run(s) failed\n";
    return 1;
  }
  return 0;
}
