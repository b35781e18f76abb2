// VectorEnv: N copies of an env stepped as a batch, with Gymnasium 1.x's
// autoreset semantics, optionally on a thread pool, and drawn as one tiled
// canvas.
//
// Autoreset (Gymnasium's AutoresetMode; NEXT_STEP is the default of
// gymnasium.make_vec and of SyncVectorEnv/AsyncVectorEnv since 1.0):
//   kNextStep: a sub-env whose episode ended (terminated or truncated) in
//     step t is reset in step t + 1: that call ignores its action and
//     returns the reset observation with reward 0 and both flags false. So
//     the observation returned with terminated/truncated is the episode's
//     real last one, and the next step starts the new episode.
//   kSameStep: the sub-env is reset within step t itself: step t returns
//     the reset observation, the episode's last one is in
//     final_observations (Gymnasium's info["final_obs"]), with the reward
//     and flags of the finishing step.
// Reset(seed) gives sub-env i the seed seed + i, as Gymnasium's int seed;
// autoresets reseed nothing (each sub-env's generator continues), so a run
// follows from one seed and does not depend on the thread count.
//
// Example:
//   RL_ASSIGN_OR_RETURN(auto envs, VectorEnv::Create("CartPole-v1", 8));
//   VectorStepResult batch;
//   envs->Reset(/*seed=*/42, &batch);
//   std::vector<Action> actions(8, Action::Discrete(0));
//   for (int t = 0; t < 1000; ++t) {
//     RL_RETURN_IF_ERROR(envs->Step(actions, &batch));
//     // batch.observation(i), batch.rewards[i], batch.terminated[i], ...
//   }
//   Canvas canvas(1, 1);
//   envs->Draw(&canvas);  // A 3x3 grid; render it like any env's canvas.
#ifndef RL_ENVS_VECTOR_VECTOR_ENV_H_
#define RL_ENVS_VECTOR_VECTOR_ENV_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "rl/canvas/canvas.h"
#include "rl/envs/env.h"
#include "rl/envs/env_kwargs.h"
#include "rl/envs/vector/thread_pool.h"
#include "rl/envs/vector/tiling.h"

namespace rl {

enum class AutoresetMode { kNextStep, kSameStep };

struct VectorEnvOptions {
  // Threads stepping the sub-envs, the caller included; 1 steps them in the
  // calling thread. Worth it when a step costs more than the hand-off
  // (several microseconds): big batches or expensive envs.
  int num_threads = 1;
  AutoresetMode autoreset_mode = AutoresetMode::kNextStep;
  // How Draw() lays the tiles out.
  TileOptions tiles;
};

// A batch of per-env results, in arrays indexed by sub-env (bytes, not
// vector<bool>, so threads can write neighbours).
struct VectorStepResult {
  int num_envs = 0;
  int observation_size = 0;         // Floats per sub-env observation.
  std::vector<float> observations;  // num_envs x observation_size.
  std::vector<double> rewards;
  std::vector<uint8_t> terminated;
  std::vector<uint8_t> truncated;
  // kSameStep only: where terminated[i] || truncated[i], row i holds the
  // episode's last observation (observations holds the reset one).
  std::vector<float> final_observations;

  absl::Span<const float> observation(int i) const {
    return absl::MakeConstSpan(observations)
        .subspan(static_cast<size_t>(i) * observation_size, observation_size);
  }
  absl::Span<const float> final_observation(int i) const {
    return absl::MakeConstSpan(final_observations)
        .subspan(static_cast<size_t>(i) * observation_size, observation_size);
  }
};

class VectorEnv {
 public:
  // `num_envs` (>= 1) copies of registered env `id`.
  static absl::StatusOr<std::unique_ptr<VectorEnv>> Create(
      absl::string_view id, int num_envs, const VectorEnvOptions& options = {});
  // The same, every copy made by CreateEnv(id, kwargs) (gym.make_vec's
  // kwargs): a bad key or value is CreateEnv's error, before any copy.
  static absl::StatusOr<std::unique_ptr<VectorEnv>> Create(
      absl::string_view id, const EnvKwargs& kwargs, int num_envs,
      const VectorEnvOptions& options = {});
  // Given envs, which must share observation and action spaces.
  static absl::StatusOr<std::unique_ptr<VectorEnv>> Create(
      std::vector<std::unique_ptr<Env>> envs,
      const VectorEnvOptions& options = {});

  int num_envs() const { return static_cast<int>(envs_.size()); }
  // The first sub-env's spec: spaces, time limit, render size and fps.
  const EnvSpec& single_spec() const { return envs_[0]->spec(); }
  int observation_size() const { return observation_size_; }
  const VectorEnvOptions& options() const { return options_; }
  Env& env(int i) { return *envs_[i]; }
  const Env& env(int i) const { return *envs_[i]; }
  // Return so far of each sub-env's current episode.
  double episode_return(int i) const { return returns_[i]; }
  // Episodes each sub-env has finished since the last Reset().
  int episodes_finished(int i) const { return finished_[i]; }

  // Resets every sub-env (sub-env i with seed + i, or continuing its
  // generator) and writes the observations; rewards 0, flags false.
  void Reset(std::optional<uint64_t> seed, VectorStepResult* result);

  // One step of every sub-env, autoresetting as options().autoreset_mode
  // says. Errors, before anything is stepped: FailedPrecondition before
  // Reset(); InvalidArgument if actions.size() != num_envs(), or an action
  // is not valid for the action space or its env refuses it
  // (Env::CheckBoxAction: a MuJoCo env's value outside the bounds), naming
  // the sub-env.
  absl::Status Step(absl::Span<const Action> actions, VectorStepResult* result);
  // The same for Discrete action spaces, one index per sub-env.
  absl::Status Step(absl::Span<const int64_t> actions,
                    VectorStepResult* result);

  // All sub-envs as one grid canvas (options().tiles), each tile labelled
  // with its index and current episode return.
  void Draw(Canvas* canvas) const;

 private:
  VectorEnv(std::vector<std::unique_ptr<Env>> envs,
            const VectorEnvOptions& options);
  absl::Status CheckAction(int i, const Action& action) const;
  template <typename GetAction>
  absl::Status StepAll(GetAction get_action, VectorStepResult* result);
  void StepOne(int i, const Action& action, VectorStepResult* result);
  void Prepare(VectorStepResult* result) const;

  VectorEnvOptions options_;
  std::vector<std::unique_ptr<Env>> envs_;
  int observation_size_;
  std::unique_ptr<ThreadPool> pool_;
  bool started_ = false;
  std::vector<uint8_t> autoreset_;   // Next-step mode: reset on next Step.
  std::vector<StepResult> scratch_;  // One per sub-env, reused.
  std::vector<double> returns_;
  std::vector<int> finished_;
  mutable std::vector<Canvas> tiles_;
};

}  // namespace rl

#endif  // RL_ENVS_VECTOR_VECTOR_ENV_H_
