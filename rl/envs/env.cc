#include "rl/envs/env.h"

#include <cmath>

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

double Normal(std::mt19937_64& rng, double mean, double stddev) {
  // u1 in (0, 1] keeps the logarithm finite.
  const double u1 = 1.0 - UniformReal(rng, 0.0, 1.0);
  const double u2 = UniformReal(rng, 0.0, 1.0);
  return mean +
         stddev * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

int64_t UniformInt(std::mt19937_64& rng, int64_t n) {
  // Rejection sampling: draws above the largest multiple of n are redrawn,
  // so every residue is equally likely.
  const uint64_t range = static_cast<uint64_t>(n);
  const uint64_t limit = UINT64_MAX - UINT64_MAX % range;
  uint64_t draw = rng();
  while (draw >= limit) draw = rng();
  return static_cast<int64_t>(draw % range);
}

int Categorical(std::mt19937_64& rng, const double* probabilities, int n) {
  const double draw = UniformReal(rng, 0.0, 1.0);
  double cumulative = 0;
  for (int i = 0; i < n; ++i) {
    cumulative += probabilities[i];
    if (cumulative > draw) return i;
  }
  // Rounding left the total just under the draw: NumPy's argmax of an
  // all-false array is 0, but the last outcome is the one that was due.
  return n - 1;
}

Observation Env::Reset(std::optional<uint64_t> seed) {
  Observation observation;
  Reset(seed, &observation);
  return observation;
}

void Env::Reset(std::optional<uint64_t> seed, Observation* observation) {
  if (seed.has_value()) rng_.seed(*seed);
  ResetState(rng_, observation);
  elapsed_steps_ = 0;
  started_ = true;
  episode_over_ = false;
}

absl::Status Env::CheckStep(const Action& action) const {
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
    return absl::OkStatus();
  }
  if (action.continuous.size() != space.low.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat(spec_.id, ": action has ", action.continuous.size(),
                     " values, the action space ", space.ToString(), " wants ",
                     space.low.size()));
  }
  for (size_t i = 0; i < action.continuous.size(); ++i) {
    if (!std::isfinite(action.continuous[i])) {
      return absl::InvalidArgumentError(absl::StrCat(
          spec_.id, ": action value ", i, " is ", action.continuous[i],
          "; actions must be finite numbers"));
    }
  }
  return CheckBoxAction(action);
}

absl::Status Env::Step(const Action& action, StepResult* result) {
  // The common case costs two branches; the message is built only on error.
  const bool discrete_ok = spec_.action_space.kind == Space::Kind::kDiscrete &&
                           action.discrete >= 0 &&
                           action.discrete < spec_.action_space.n;
  if (!started_ || episode_over_ || !discrete_ok) {
    absl::Status status = CheckStep(action);
    if (!status.ok()) return status;
  }
  result->reward = 0;
  result->terminated = false;
  StepState(action, result);
  ++elapsed_steps_;
  // As Gymnasium's TimeLimit: truncated at the limit even if the same step
  // also terminated.
  result->truncated =
      spec_.max_episode_steps > 0 && elapsed_steps_ >= spec_.max_episode_steps;
  episode_over_ = result->terminated || result->truncated;
  return absl::OkStatus();
}

}  // namespace rl
