#include "rl/envs/env.h"

#include "absl/strings/str_cat.h"

namespace rl {

EnvRegistry& Envs() {
  static auto* registry = new EnvRegistry("env");
  return *registry;
}

double UniformReal(std::mt19937_64& rng, double low, double high) {
  // 53 random bits -> [0, 1), as NumPy's random() does.
  const double unit = static_cast<double>(rng() >> 11) * 0x1.0p-53;
  return low + (high - low) * unit;
}

Observation Env::Reset(std::optional<uint64_t> seed) {
  if (seed.has_value()) rng_.seed(*seed);
  Observation observation;
  ResetState(rng_, &observation);
  elapsed_steps_ = 0;
  started_ = true;
  episode_over_ = false;
  return observation;
}

absl::Status Env::Step(const Action& action, StepResult* result) {
  if (!started_) {
    return absl::FailedPreconditionError(
        absl::StrCat(spec_.id, ": Step() called before Reset()"));
  }
  if (episode_over_) {
    return absl::FailedPreconditionError(absl::StrCat(
        spec_.id, ": Step() called on a finished episode (it ended after ",
        elapsed_steps_, " steps); call Reset() to start the next one"));
  }
  const Space& space = spec_.action_space;
  if (space.kind == Space::Kind::kDiscrete) {
    if (!space.Contains(action.discrete)) {
      return absl::InvalidArgumentError(
          absl::StrCat(spec_.id, ": action ", action.discrete,
                       " is outside the action space ", space.ToString()));
    }
  } else if (action.continuous.size() != space.low.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat(spec_.id, ": action has ", action.continuous.size(),
                     " values, the action space ", space.ToString(), " wants ",
                     space.low.size()));
  }
  StepResult next;
  next.observation.swap(result->observation);  // Reuse its buffer.
  StepState(action, &next);
  ++elapsed_steps_;
  // As Gymnasium's TimeLimit: truncated at the limit even if the same step
  // also terminated.
  next.truncated =
      spec_.max_episode_steps > 0 && elapsed_steps_ >= spec_.max_episode_steps;
  episode_over_ = next.terminated || next.truncated;
  *result = std::move(next);
  return absl::OkStatus();
}

}  // namespace rl
