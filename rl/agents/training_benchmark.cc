// Training speed: env steps per second of each agent learning on CartPole-v1
// (and PPO on Pendulum-v1 for continuous actions, Q-learning on
// FrozenLake-v1), with its tuned defaults, no rendering and no recording.
// Each iteration trains 256 more env steps on one trainer that was warmed up
// past the agent's first update, so the numbers include learning.
//
//   bazel run //rl/agents:training_benchmark
//   bazel run //rl/agents:training_benchmark -- --benchmark_min_time=0.01
#include <memory>
#include <string>

#include "benchmark/benchmark.h"
#include "rl/agents/trainer.h"

namespace rl {
namespace {

constexpr int64_t kStepsPerIteration = 256;

void BM_Train(benchmark::State& state, const std::string& agent,
              const std::string& env, int64_t warmup) {
  TrainerOptions options;
  options.env_id = env;
  options.agent = agent;
  options.seed = 1;
  auto trainer = Trainer::Create(options);
  if (!trainer.ok()) {
    state.SkipWithError(std::string(trainer.status().message()).c_str());
    return;
  }
  absl::Status status = (*trainer)->Run(warmup);
  if (!status.ok()) {
    state.SkipWithError(std::string(status.message()).c_str());
    return;
  }
  int64_t steps = 0;
  for (auto _ : state) {
    const int64_t before = (*trainer)->steps();
    status = (*trainer)->Run(before + kStepsPerIteration);
    if (!status.ok()) {
      state.SkipWithError(std::string(status.message()).c_str());
      return;
    }
    steps += (*trainer)->steps() - before;
  }
  state.SetItemsProcessed(steps);
  state.counters["steps_per_s"] = benchmark::Counter(
      static_cast<double>(steps), benchmark::Counter::kIsRate);
}

// Warm-ups pass the first update: DQN's learning_starts (1000), one PPO
// rollout (8 x 32 on CartPole, 4 x 1024 on Pendulum).
BENCHMARK_CAPTURE(BM_Train, random_CartPole, "random", "CartPole-v1", 0)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Train, dqn_CartPole, "dqn", "CartPole-v1", 1000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Train, ppo_CartPole, "ppo", "CartPole-v1", 256)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Train, ppo_Pendulum, "ppo", "Pendulum-v1", 4096)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Train, q_learning_FrozenLake, "q_learning",
                  "FrozenLake-v1", 0)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace rl
