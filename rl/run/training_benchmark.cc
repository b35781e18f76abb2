// Training speed (wall clock): env steps per second of each agent learning on
// CartPole-v1 (and PPO on Pendulum-v1 for continuous actions, Q-learning on
// FrozenLake-v1, also as the 8x8 lake by env kwargs), with its tuned
// defaults, no rendering and no recording.
// Each iteration trains 256 more env steps on one trainer that was warmed up
// past the agent's first update, so the numbers include learning.
//
// BM_TrainRecorded does the same with recording on: env 0's every 10th
// episode is rendered (600x400) and encoded to mp4 through a VideoSession,
// as the train binary does (on the session's background thread: the
// learner waits only when its picture queue is full), on each render
// backend (llvmpipe, glx). The
// difference in steps_per_s to BM_Train is the overhead of recording. A
// backend this machine lacks reports available=0 instead of failing.
//
//   bazel run //rl/run:training_benchmark
//   bazel run //rl/run:training_benchmark -- --benchmark_min_time=0.01
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "rl/envs/env_kwargs.h"
#include "rl/pipeline/trainer.h"
#include "rl/pipeline/video_session.h"
#include "rl/render/render_backend.h"

namespace rl {
namespace {

constexpr int64_t kStepsPerIteration = 256;

// The timed part: kStepsPerIteration more steps per iteration. Returns the
// steps taken, or -1 after reporting an error to `state`.
int64_t TimeTraining(benchmark::State& state, Trainer& trainer) {
  int64_t steps = 0;
  for (auto _ : state) {
    const int64_t before = trainer.steps();
    absl::Status status = trainer.Run(before + kStepsPerIteration);
    if (!status.ok()) {
      state.SkipWithError(std::string(status.message()).c_str());
      return -1;
    }
    steps += trainer.steps() - before;
  }
  return steps;
}

// `env` made with `env_kwargs` ("key=value,...", gym.make's kwargs).
void BM_TrainEnv(benchmark::State& state, const std::string& agent,
                 const std::string& env, const std::string& env_kwargs,
                 int64_t warmup) {
  TrainerOptions options;
  options.env_id = env;
  absl::StatusOr<EnvKwargs> kwargs = ParseEnvKwargs(env_kwargs);
  if (!kwargs.ok()) {
    state.SkipWithError(std::string(kwargs.status().message()).c_str());
    return;
  }
  options.env_kwargs = *std::move(kwargs);
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
  const int64_t steps = TimeTraining(state, **trainer);
  if (steps < 0) return;
  state.SetItemsProcessed(steps);
  state.counters["steps_per_s"] = benchmark::Counter(
      static_cast<double>(steps), benchmark::Counter::kIsRate);
}

void BM_Train(benchmark::State& state, const std::string& agent,
              const std::string& env, int64_t warmup) {
  BM_TrainEnv(state, agent, env, "", warmup);
}

void BM_TrainRecorded(benchmark::State& state, const std::string& agent,
                      const std::string& env, int64_t warmup,
                      const std::string& backend) {
  TrainerOptions options;
  options.env_id = env;
  options.agent = agent;
  options.seed = 1;
  auto trainer = Trainer::Create(options);
  if (!trainer.ok()) {
    state.SkipWithError(std::string(trainer.status().message()).c_str());
    return;
  }
  const char* tmp = std::getenv("TEST_TMPDIR");
  VideoSessionOptions video;
  video.render_backend = backend;
  video.recorder = "mp4";
  video.video_dir = absl::StrCat(tmp != nullptr ? tmp : "/tmp",
                                 "/training_benchmark_", agent, "_", backend);
  video.record.mode = RecordMode::kEveryEpisodes;
  video.record.every = 10;
  video.background = true;  // As train records: off the learner's thread.
  // Each run starts with an empty directory (names would collide otherwise,
  // and recorders never replace a file).
  std::error_code ignored;
  std::filesystem::remove_all(video.video_dir, ignored);
  auto session =
      VideoSession::Create(video, (*trainer)->env(0).spec(), nullptr);
  if (!session.ok() || !(*session)->Prepare().ok()) {
    state.SkipWithError(session.ok()
                            ? "cannot prepare the video directory"
                            : std::string(session.status().message()).c_str());
    return;
  }
  (*trainer)->AddObserver(session->get());
  // Warm up past the first update and the first video (which opens the
  // renderer; a missing backend shows here).
  absl::Status status = (*trainer)->Run(std::max<int64_t>(warmup, 512));
  if (!status.ok()) {
    for (auto _ : state) {
    }
    state.counters["available"] = 0;
    return;
  }
  const int64_t steps = TimeTraining(state, **trainer);
  if (steps < 0) return;
  status = (*session)->Finish("run ended");
  if (!status.ok()) {
    state.SkipWithError(std::string(status.message()).c_str());
    return;
  }
  state.SetItemsProcessed(steps);
  state.counters["available"] = 1;
  state.counters["videos"] = static_cast<double>((*session)->videos().size());
  state.counters["steps_per_s"] = benchmark::Counter(
      static_cast<double>(steps), benchmark::Counter::kIsRate);
}

BENCHMARK_CAPTURE(BM_TrainRecorded, ppo_CartPole_llvmpipe, "ppo", "CartPole-v1",
                  256, "llvmpipe")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_TrainRecorded, ppo_CartPole_glx, "ppo", "CartPole-v1", 256,
                  "glx")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_TrainRecorded, dqn_CartPole_llvmpipe, "dqn", "CartPole-v1",
                  1000, "llvmpipe")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_TrainRecorded, dqn_CartPole_glx, "dqn", "CartPole-v1",
                  1000, "glx")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Warm-ups pass the first update: DQN's learning_starts (1000), one PPO
// rollout (8 x 32 on CartPole, 4 x 1024 on Pendulum).
BENCHMARK_CAPTURE(BM_Train, random_CartPole, "random", "CartPole-v1", 0)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Train, dqn_CartPole, "dqn", "CartPole-v1", 1000)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Train, ppo_CartPole, "ppo", "CartPole-v1", 256)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Train, ppo_Pendulum, "ppo", "Pendulum-v1", 4096)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_Train, q_learning_FrozenLake, "q_learning",
                  "FrozenLake-v1", 0)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
// An env configured by keyword arguments (--env_kwargs in train).
BENCHMARK_CAPTURE(BM_TrainEnv, q_learning_FrozenLake_8x8_not_slippery,
                  "q_learning", "FrozenLake-v1",
                  "is_slippery=False,map_name=8x8", 0)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace rl
