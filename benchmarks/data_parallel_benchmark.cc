// data_parallel_benchmark: how PPO training scales over MPI ranks on this
// machine, and what the numbers say about many machines.
//
// For each rank count N in --ranks it starts `mpirun -np N` on itself; the
// ranks train PPO on CartPole-v1 with the defaults table's settings, the 8
// envs of one process split as 8/N per rank (so every update sees the same
// 256 env steps and the same minibatches), rank 0 evaluating 20 greedy
// episodes every --eval_every steps until the mean reaches --target or the
// budget ends. It prints, per N: total env steps/s (training only, the
// evaluations' time taken out), steps and training seconds to the target,
// and per update the collective calls, bytes and seconds (waiting for
// slower ranks included), plus a bare allreduce of one gradient measured
// back to back. Then an estimate for 64 ranks over 10 Gb/s Ethernet, from
// those numbers and the stated network assumptions.
//
//   bazel run //benchmarks:data_parallel_benchmark
//   bazel run //benchmarks:data_parallel_benchmark -- --ranks=1,2,4
// (--benchmark_min_time=X, as CI passes to every benchmark: a short smoke
// run of 20k steps, one seed.)
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "nlohmann/json.hpp"
#include "rl/mpi/mpi_world.h"
#include "rl/pipeline/trainer.h"

ABSL_FLAG(std::string, ranks, "1,2", "Rank counts to measure.");
ABSL_FLAG(int64_t, steps, 150000, "Env step budget of each run.");
ABSL_FLAG(int64_t, eval_every, 5000, "Steps between evaluations.");
ABSL_FLAG(double, target, 475, "Mean greedy return to reach.");
ABSL_FLAG(std::string, seeds, "0,1,2,3,4,5,6,7",
          "Seeds to run for each rank count (steps to the target vary with "
          "the seed more than with the rank count).");
ABSL_FLAG(int64_t, seed, 0, "The seed of one measured run (internal).");
ABSL_FLAG(std::string, benchmark_min_time, "",
          "Set (as CI's smoke run does): a 20k-step run.");

namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// One rank of a measured run; rank 0 prints "RESULT {json}".
int Worker() {
  auto started = rl::MpiWorld::Init();
  if (!started.ok()) {
    std::cerr << started.status() << "\n";
    return 1;
  }
  rl::MpiWorld& world = **started;
  const int ranks = world.size();
  if (8 % ranks != 0) {
    if (world.rank() == 0) std::cerr << "--ranks must divide 8\n";
    return 2;
  }
  rl::TrainerOptions options;
  options.env_id = "CartPole-v1";
  options.agent = "ppo";
  options.seed = static_cast<uint64_t>(absl::GetFlag(FLAGS_seed));
  options.hyperparams = {{"n_envs", absl::StrCat(8 / ranks)}};
  options.collective = ranks > 1 ? &world : nullptr;
  auto trainer = rl::Trainer::Create(options);
  if (!trainer.ok()) {
    std::cerr << trainer.status() << "\n";
    world.Abort(1);
  }
  const int64_t budget = absl::GetFlag(FLAGS_steps);
  const int64_t every = absl::GetFlag(FLAGS_eval_every);
  double eval_seconds = 0, to_target_seconds = -1;
  int64_t to_target_steps = -1;
  const Clock::time_point start = Clock::now();
  const double comm_before = world.seconds();
  for (int64_t milestone = every;; milestone += every) {
    const int64_t until = std::min(milestone, budget);
    if (absl::Status s = (*trainer)->Run(until); !s.ok()) {
      std::cerr << "rank " << world.rank() << ": " << s << "\n";
      world.Abort(1);
    }
    long long reached = 0;
    if (world.rank() == 0) {
      const Clock::time_point eval_start = Clock::now();
      auto eval = rl::Evaluate((*trainer)->agent(), "CartPole-v1", 20,
                               /*seed=*/0, 1000);
      eval_seconds += Since(eval_start);
      if (eval.ok() && eval->mean_return >= absl::GetFlag(FLAGS_target)) {
        reached = 1;
        to_target_steps = (*trainer)->steps();
        to_target_seconds = Since(start) - eval_seconds;
      }
    }
    if (ranks > 1 && !world.MaxInts(&reached, 1).ok()) world.Abort(1);
    if (reached || (*trainer)->steps() >= budget) break;
  }
  const double train_seconds = Since(start) - eval_seconds;
  // The evaluations' waits are in the collectives' time too: take them out
  // (rank 0's evaluation seconds, which the others spent waiting).
  const double comm_seconds =
      std::max(0.0, world.seconds() - comm_before -
                        (world.rank() == 0 ? 0.0 : eval_seconds));
  const double updates = (*trainer)->agent().Stats()["updates"];
  // A bare allreduce of one gradient (and the minibatch statistics), back
  // to back, the ranks in step.
  const size_t floats = (*trainer)->agent().Parameters().size() + 5;
  std::vector<float> gradient(floats, 1.0f);
  double allreduce_us = 0;
  if (ranks > 1) {
    long long sync = 0;
    (void)world.MaxInts(&sync, 1);
    const int repeats = 200;
    const Clock::time_point t = Clock::now();
    for (int i = 0; i < repeats; ++i) {
      (void)world.SumFloats(gradient.data(), gradient.size());
    }
    allreduce_us = Since(t) / repeats * 1e6;
  }
  if (world.rank() == 0) {
    nlohmann::json result = {{"ranks", ranks},
                             {"steps", (*trainer)->steps()},
                             {"train_seconds", train_seconds},
                             {"updates", updates},
                             {"to_target_steps", to_target_steps},
                             {"to_target_seconds", to_target_seconds},
                             {"comm_calls", world.calls()},
                             {"comm_bytes", world.bytes_sent()},
                             {"comm_seconds", comm_seconds},
                             {"gradient_bytes", floats * sizeof(float)},
                             {"allreduce_us", allreduce_us}};
    std::cout << "RESULT " << result.dump() << std::endl;
  }
  return 0;
}

// Runs `mpirun -np ranks` on this binary; rank 0's result, or null.
nlohmann::json Measure(int ranks, int seed) {
  std::vector<std::string> args = {"mpirun",
                                   "-np",
                                   absl::StrCat(ranks),
                                   "--oversubscribe",
                                   "--mca",
                                   "mpi_yield_when_idle",
                                   "1",
                                   "/proc/self/exe"};
  char self[4096] = {0};
  const ssize_t length = readlink("/proc/self/exe", self, sizeof(self) - 1);
  if (length > 0) args.back().assign(self, length);
  for (const char* flag : {"steps", "eval_every", "target"}) {
    const absl::CommandLineFlag* f = absl::FindCommandLineFlag(flag);
    args.push_back(absl::StrCat("--", flag, "=", f->CurrentValue()));
  }
  args.push_back(absl::StrCat("--seed=", seed));
  std::string command;
  for (const std::string& arg : args) absl::StrAppend(&command, arg, " ");
  if (geteuid() == 0) {
    // Open MPI refuses root unless told (containers and CI run as root).
    setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 1);
    setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 1);
  }
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return nullptr;
  nlohmann::json result;
  char line[8192];
  while (fgets(line, sizeof(line), pipe) != nullptr) {
    std::string text(line);
    if (text.rfind("RESULT ", 0) == 0) {
      result = nlohmann::json::parse(text.substr(7), nullptr, false);
    } else {
      std::cerr << text;
    }
  }
  const int status = pclose(pipe);
  if (status != 0) {
    std::cerr << "mpirun -np " << ranks << " failed (status " << status
              << "); is openmpi-bin installed (tools/setup.sh)?\n";
    return nullptr;
  }
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  if (rl::LaunchedByMpi()) return Worker();
  if (!absl::GetFlag(FLAGS_benchmark_min_time).empty()) {
    absl::SetFlag(&FLAGS_steps, 20000);
    absl::SetFlag(&FLAGS_seeds, "0");
  }
  std::vector<int> counts;
  for (absl::string_view part :
       absl::StrSplit(absl::GetFlag(FLAGS_ranks), ',', absl::SkipEmpty())) {
    int n = 0;
    if (!absl::SimpleAtoi(part, &n) || n < 1 || 8 % n != 0) {
      std::cerr << "--ranks: '" << part << "' must divide 8 (1, 2, 4, 8)\n";
      return 2;
    }
    counts.push_back(n);
  }
  std::cout << absl::StrFormat(
      "PPO CartPole-v1, defaults (256 env steps an update, 20 epochs x 1 "
      "minibatch of 256), 8 envs split over the ranks, budget %d steps, "
      "target %.0f; %ld cores\n",
      absl::GetFlag(FLAGS_steps), absl::GetFlag(FLAGS_target),
      sysconf(_SC_NPROCESSORS_ONLN));
  std::vector<int> seeds;
  for (absl::string_view part :
       absl::StrSplit(absl::GetFlag(FLAGS_seeds), ',', absl::SkipEmpty())) {
    int seed = 0;
    if (!absl::SimpleAtoi(part, &seed) || seed < 0) {
      std::cerr << "--seeds: '" << part << "' is not a seed\n";
      return 2;
    }
    seeds.push_back(seed);
  }
  if (seeds.empty()) seeds.push_back(0);
  std::cout << absl::StrFormat("%-6s %-5s %10s %10s %9s %10s %12s %12s %13s\n",
                               "ranks", "seed", "steps/s", "to target",
                               "seconds", "calls/upd", "KB/upd/rank",
                               "comm ms/upd", "allreduce us");
  nlohmann::json one;
  for (int n : counts) {
    double rate_sum = 0, steps_sum = 0, seconds_sum = 0;
    int reached = 0;
    for (int seed : seeds) {
      nlohmann::json r = Measure(n, seed);
      if (r.is_null()) return 1;
      if (n == 1 && one.is_null()) one = r;
      const double updates = std::max(1.0, r["updates"].get<double>());
      const int64_t to_steps = r["to_target_steps"];
      const double rate =
          r["steps"].get<double>() / r["train_seconds"].get<double>();
      rate_sum += rate;
      if (to_steps >= 0) {
        ++reached;
        steps_sum += to_steps;
        seconds_sum += r["to_target_seconds"].get<double>();
      }
      std::cout << absl::StrFormat(
          "%-6d %-5d %10.0f %10s %9s %10.1f %12.1f %12.3f %13.1f\n", n, seed,
          rate,
          to_steps < 0 ? std::string("not reached") : absl::StrCat(to_steps),
          to_steps < 0
              ? std::string("-")
              : absl::StrFormat("%.1f", r["to_target_seconds"].get<double>()),
          r["comm_calls"].get<double>() / updates,
          r["comm_bytes"].get<double>() / updates / 1024,
          r["comm_seconds"].get<double>() / updates * 1e3,
          r["allreduce_us"].get<double>());
    }
    std::cout << absl::StrFormat(
        "%-6d %-5s %10.0f %10s %9s  (mean over %d seeds; %d reached the "
        "target)\n",
        n, "mean", rate_sum / seeds.size(),
        reached ? absl::StrFormat("%.0f", steps_sum / reached) : "-",
        reached ? absl::StrFormat("%.1f", seconds_sum / reached) : "-",
        static_cast<int>(seeds.size()), reached);
  }
  if (!one.is_null()) {
    // 64 ranks over 10 Gb/s Ethernet, Open MPI's recursive doubling for a
    // message this small: log2(64) = 6 rounds of (latency + bytes /
    // bandwidth) per allreduce, at an assumed 25 us TCP latency.
    const double updates = std::max(1.0, one["updates"].get<double>());
    const double gradient_bytes = one["gradient_bytes"];
    const double latency_s = 25e-6, bandwidth = 10e9 / 8;
    const double allreduce_s = 6 * (latency_s + gradient_bytes / bandwidth);
    const double allreduces_per_update = 20;  // n_epochs x minibatches.
    const double compute_per_update =
        one["train_seconds"].get<double>() / updates;  // One rank, 8 envs.
    // 64 ranks x 8 envs each: each update is 64 x 256 steps, taking one
    // rank's compute plus the allreduces.
    const double per_update =
        compute_per_update + allreduces_per_update * allreduce_s;
    std::cout << absl::StrFormat(
        "estimate, 64 ranks x 8 envs over 10 Gb/s (25 us latency, "
        "batch_size=256x64 so each rank's share is one process's minibatch, "
        "recursive doubling): allreduce of %.0f KB %.0f us, %.1f ms of "
        "communication per update against %.1f ms of compute per rank; "
        "%.0f env steps/s total (%.0fx one rank)\n",
        gradient_bytes / 1024, allreduce_s * 1e6,
        allreduces_per_update * allreduce_s * 1e3, compute_per_update * 1e3,
        64 * 256 / per_update, 64 * compute_per_update / per_update);
  }
  return 0;
}
