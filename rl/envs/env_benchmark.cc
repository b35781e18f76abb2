// Steps per second of every env, alone and as a vector env (items_per_second
// counts env steps). Run optimized:
//   bazel run -c opt //rl/envs:env_benchmark
// or one env configured by keyword arguments (gym.make(id, **kwargs), as
// train's --env_kwargs), with Google Benchmark's flags as usual:
//   bazel run -c opt //rl/envs:env_benchmark -- --env=HalfCheetah-v5
//       --env_kwargs=frame_skip=1 --benchmark_filter=BM_Step
// Actions cycle through a fixed random table so drawing them costs nothing;
// finished episodes are reset inside the timed loop, as in training.
// BM_Draw/ID and BM_Render/ID time a step plus the env's picture, for the
// envs that draw one: Draw into a Canvas only, and Draw plus rendering it to
// an RGB frame of the env's size on the "auto" backend (llvmpipe here),
// read back (items_per_second: frames per second).
#include <cstdint>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "rl/canvas/canvas.h"
#include "rl/core/frame.h"
#include "rl/envs/env.h"
#include "rl/envs/env_kwargs.h"
#include "rl/envs/env_kwargs_flag.h"
#include "rl/envs/vector/vector_env.h"
#include "rl/render/render_backend.h"
#include "rl/render/renderer.h"

ABSL_FLAG(std::string, env, "",
          "Benchmark only this env (made with --env_kwargs); empty: every "
          "env of the table.");

namespace rl {
namespace {

constexpr int kActionTable = 4096;  // A power of two.

// Envs that draw their own picture (Env::Draw).
const char* const kEnvIds[] = {
    "CartPole-v1",      "MountainCar-v0",  "MountainCarContinuous-v0",
    "Pendulum-v1",      "Acrobot-v1",      "FrozenLake-v1",
    "FrozenLake8x8-v1", "CliffWalking-v1", "CliffWalkingSlippery-v1",
    "Taxi-v4",          "MazeChase-v0",    "Corridor-v0",
};

// MuJoCo physics (no rendering: their pictures are MujocoRenderer's, timed
// by //rl/render/mujoco:mujoco_renderer_benchmark).
const char* const kPhysicsEnvIds[] = {
    "InvertedPendulum-v5", "InvertedDoublePendulum-v5",
    "Reacher-v5",          "HalfCheetah-v5",
    "Hopper-v5",           "HumanoidDMC-v0",
};

// Envs configured by keyword arguments, where they change the cost of a
// step: MuJoCo's frame_skip (physics steps per env step), a bigger lake.
std::vector<std::pair<std::string, EnvKwargs>> ConfiguredEnvs() {
  return {{"HalfCheetah-v5", {{"frame_skip", "1"}}},
          {"FrozenLake-v1", {{"is_slippery", "False"}, {"map_name", "8x8"}}}};
}

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

void BM_Step(benchmark::State& state, std::string id, EnvKwargs kwargs) {
  auto env = CreateEnv(id, kwargs);
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

// A step and the env's picture: drawn into a Canvas, and with `render`
// rendered to an RGB frame of the env's size and read back.
void DrawOrRender(benchmark::State& state, const std::string& id,
                  const EnvKwargs& kwargs, bool render) {
  auto env = CreateEnv(id, kwargs);
  if (!env.ok()) {
    state.SkipWithError(env.status().ToString().c_str());
    return;
  }
  std::unique_ptr<Renderer> renderer;
  if (render) {
    RendererOptions options;
    options.width = (*env)->spec().render_width;
    options.height = (*env)->spec().render_height;
    auto backend = RenderBackends().Create("auto");
    absl::StatusOr<std::unique_ptr<Renderer>> created =
        backend.ok()
            ? Renderer::Create(*std::move(backend), options)
            : absl::StatusOr<std::unique_ptr<Renderer>>(backend.status());
    if (!created.ok()) {
      state.SkipWithError(created.status().ToString().c_str());
      return;
    }
    renderer = *std::move(created);
  }
  const std::vector<Action> actions = ActionTable((*env)->action_space(), 1);
  StepResult result;
  (*env)->Reset(0, &result.observation);
  Canvas canvas(1, 1);
  Frame frame;
  uint64_t step = 0;
  for (auto _ : state) {
    if ((*env)->episode_over())
      (*env)->Reset(std::nullopt, &result.observation);
    absl::Status status =
        (*env)->Step(actions[step++ & (kActionTable - 1)], &result);
    (*env)->Draw(&canvas);
    if (renderer != nullptr && status.ok()) {
      status = renderer->Render(canvas, &frame);
    }
    if (!status.ok()) {
      state.SkipWithError(status.ToString().c_str());
      return;
    }
    benchmark::DoNotOptimize(canvas.shapes().data());
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_Draw(benchmark::State& state, std::string id, EnvKwargs kwargs) {
  DrawOrRender(state, id, kwargs, /*render=*/false);
}

void BM_Render(benchmark::State& state, std::string id, EnvKwargs kwargs) {
  DrawOrRender(state, id, kwargs, /*render=*/true);
}

// Vector steps of `num_envs` copies on `threads` threads; each iteration is
// num_envs env steps.
void BM_VectorStep(benchmark::State& state, std::string id, EnvKwargs kwargs) {
  const int num_envs = static_cast<int>(state.range(0));
  VectorEnvOptions options;
  options.num_threads = static_cast<int>(state.range(1));
  auto envs = VectorEnv::Create(id, kwargs, num_envs, options);
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

// BM_Step/NAME and BM_VectorStep/NAME of env `id` made with `kwargs` (and
// BM_Draw/NAME, BM_Render/NAME if `drawn`); NAME is the id, followed by the
// kwargs in parentheses if there are any.
void Register(const std::string& id, const EnvKwargs& kwargs, bool drawn) {
  const std::string name =
      kwargs.empty() ? id : absl::StrCat(id, "(", FormatEnvKwargs(kwargs), ")");
  benchmark::RegisterBenchmark(("BM_Step/" + name).c_str(), BM_Step, id,
                               kwargs);
  benchmark::RegisterBenchmark(("BM_VectorStep/" + name).c_str(), BM_VectorStep,
                               id, kwargs)
      ->ArgNames({"envs", "threads"})
      ->Args({16, 1})
      ->Args({16, 2})
      ->Args({256, 1})
      ->Args({256, 2})
      ->UseRealTime();
  if (drawn) {
    benchmark::RegisterBenchmark(("BM_Draw/" + name).c_str(), BM_Draw, id,
                                 kwargs);
    benchmark::RegisterBenchmark(("BM_Render/" + name).c_str(), BM_Render, id,
                                 kwargs)
        ->UseRealTime();
  }
}

// Whether env `id` draws its own picture (MuJoCo's envs do not).
bool Drawn(const std::string& id) {
  for (const char* physics : kPhysicsEnvIds) {
    if (id == physics) return false;
  }
  return true;
}

}  // namespace
}  // namespace rl

// Google Benchmark's flags first (it takes them out of argv), then ours.
int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  absl::ParseCommandLine(argc, argv);
  const std::string env = absl::GetFlag(FLAGS_env);
  absl::StatusOr<rl::EnvKwargsFlag> kwargs = rl::EnvKwargsFlagFromCommandLine();
  if (kwargs.ok() && !kwargs->kwargs.empty() && env.empty()) {
    kwargs = absl::InvalidArgumentError(
        absl::StrCat("--env_kwargs=", kwargs->text,
                     ": give the env they configure too (--env=ID)"));
  }
  if (kwargs.ok() && !env.empty()) {
    if (absl::Status checked = rl::CheckEnvKwargsFlag(env, *kwargs);
        !checked.ok()) {
      kwargs = checked;
    }
  }
  if (!kwargs.ok()) {
    std::cerr << "error: " << kwargs.status().message() << "\n";
    return 2;
  }
  if (!env.empty()) {
    rl::Register(env, kwargs->kwargs, rl::Drawn(env));
  } else {
    for (const char* id : rl::kEnvIds) rl::Register(id, {}, /*drawn=*/true);
    for (const char* id : rl::kPhysicsEnvIds) {
      rl::Register(id, {}, /*drawn=*/false);
    }
    for (const auto& [id, kwargs] : rl::ConfiguredEnvs()) {
      rl::Register(id, kwargs, rl::Drawn(id));
    }
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
