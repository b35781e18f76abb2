// Steps per second of every env, alone and as a vector env (items_per_second
// counts env steps). Run optimized:
//   bazel run -c opt //rl/envs:env_benchmark
// Actions cycle through a fixed random table so drawing them costs nothing;
// finished episodes are reset inside the timed loop, as in training.
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "rl/envs/env.h"
#include "rl/envs/vector/vector_env.h"

namespace rl {
namespace {

constexpr int kActionTable = 4096;  // A power of two.

const char* const kEnvIds[] = {
    "CartPole-v1",
    "MountainCar-v0",
    "MountainCarContinuous-v0",
    "Pendulum-v1",
    "Acrobot-v1",
    "FrozenLake-v1",
    "FrozenLake8x8-v1",
    "CliffWalking-v1",
    "CliffWalkingSlippery-v1",
    "Taxi-v4",
    "MazeChase-v0",
    "Corridor-v0",
    // MuJoCo physics (no rendering).
    "InvertedPendulum-v5",
    "InvertedDoublePendulum-v5",
    "Reacher-v5",
    "HalfCheetah-v5",
    "Hopper-v5",
    "HumanoidDMC-v0",
};

std::vector<Action> ActionTable(const Space& space, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Action> actions;
  for (int i = 0; i < kActionTable; ++i) {
    if (space.kind == Space::Kind::kDiscrete) {
      actions.push_back(Action::Discrete(UniformInt(rng, space.n)));
    } else {
      std::vector<float> values(space.low.size());
      for (size_t j = 0; j < values.size(); ++j) {
        values[j] =
            static_cast<float>(UniformReal(rng, space.low[j], space.high[j]));
      }
      actions.push_back(Action::Continuous(std::move(values)));
    }
  }
  return actions;
}

void BM_Step(benchmark::State& state, std::string id) {
  auto env = Envs().Create(id);
  if (!env.ok()) {
    state.SkipWithError(env.status().ToString().c_str());
    return;
  }
  const std::vector<Action> actions = ActionTable((*env)->action_space(), 1);
  StepResult result;
  (*env)->Reset(0, &result.observation);
  uint64_t step = 0;
  for (auto _ : state) {
    if ((*env)->episode_over())
      (*env)->Reset(std::nullopt, &result.observation);
    const absl::Status status =
        (*env)->Step(actions[step++ & (kActionTable - 1)], &result);
    benchmark::DoNotOptimize(status.ok());
    benchmark::DoNotOptimize(result.reward);
  }
  state.SetItemsProcessed(state.iterations());
}

// Vector steps of `num_envs` copies on `threads` threads; each iteration is
// num_envs env steps.
void BM_VectorStep(benchmark::State& state, std::string id) {
  const int num_envs = static_cast<int>(state.range(0));
  VectorEnvOptions options;
  options.num_threads = static_cast<int>(state.range(1));
  auto envs = VectorEnv::Create(id, num_envs, options);
  if (!envs.ok()) {
    state.SkipWithError(envs.status().ToString().c_str());
    return;
  }
  const std::vector<Action> table =
      ActionTable((*envs)->single_spec().action_space, 2);
  std::vector<Action> actions(num_envs);
  VectorStepResult batch;
  (*envs)->Reset(0, &batch);
  uint64_t step = 0;
  for (auto _ : state) {
    for (Action& action : actions) action = table[step++ & (kActionTable - 1)];
    const absl::Status status = (*envs)->Step(actions, &batch);
    benchmark::DoNotOptimize(status.ok());
    benchmark::DoNotOptimize(batch.rewards.data());
  }
  state.SetItemsProcessed(state.iterations() * num_envs);
}

const bool kRegistered = [] {
  for (const char* id : kEnvIds) {
    benchmark::RegisterBenchmark((std::string("BM_Step/") + id).c_str(),
                                 BM_Step, std::string(id));
    benchmark::RegisterBenchmark((std::string("BM_VectorStep/") + id).c_str(),
                                 BM_VectorStep, std::string(id))
        ->ArgNames({"envs", "threads"})
        ->Args({16, 1})
        ->Args({16, 2})
        ->Args({256, 1})
        ->Args({256, 2})
        ->UseRealTime();
  }
  return true;
}();

}  // namespace
}  // namespace rl
