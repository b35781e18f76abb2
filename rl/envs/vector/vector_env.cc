#include "rl/envs/vector/vector_env.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace rl {

absl::StatusOr<std::unique_ptr<VectorEnv>> VectorEnv::Create(
    absl::string_view id, int num_envs, const VectorEnvOptions& options) {
  return Create(id, EnvKwargs(), num_envs, options);
}

absl::StatusOr<std::unique_ptr<VectorEnv>> VectorEnv::Create(
    absl::string_view id, const EnvKwargs& kwargs, int num_envs,
    const VectorEnvOptions& options) {
  if (num_envs < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("a vector env needs at least 1 env, got ", num_envs));
  }
  std::vector<std::unique_ptr<Env>> envs;
  for (int i = 0; i < num_envs; ++i) {
    absl::StatusOr<std::unique_ptr<Env>> env =
        CreateEnv(std::string(id), kwargs);
    if (!env.ok()) return env.status();
    envs.push_back(*std::move(env));
  }
  return Create(std::move(envs), options);
}

absl::StatusOr<std::unique_ptr<VectorEnv>> VectorEnv::Create(
    std::vector<std::unique_ptr<Env>> envs, const VectorEnvOptions& options) {
  if (envs.empty()) {
    return absl::InvalidArgumentError("a vector env needs at least 1 env");
  }
  if (options.num_threads < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "num_threads must be >= 1 (1 steps in the calling thread), got ",
        options.num_threads));
  }
  const EnvSpec& first = envs[0]->spec();
  for (size_t i = 1; i < envs.size(); ++i) {
    const EnvSpec& spec = envs[i]->spec();
    if (spec.observation_space.kind != first.observation_space.kind ||
        spec.observation_space.flat_size() !=
            first.observation_space.flat_size() ||
        spec.observation_space.n != first.observation_space.n ||
        spec.action_space.kind != first.action_space.kind ||
        spec.action_space.flat_size() != first.action_space.flat_size() ||
        spec.action_space.n != first.action_space.n) {
      return absl::InvalidArgumentError(
          absl::StrCat("env ", i, " (", spec.id, ") has spaces ",
                       spec.observation_space.ToString(), " / ",
                       spec.action_space.ToString(), ", env 0 (", first.id,
                       ") has ", first.observation_space.ToString(), " / ",
                       first.action_space.ToString(),
                       "; a vector env batches envs with equal spaces"));
    }
  }
  return std::unique_ptr<VectorEnv>(new VectorEnv(std::move(envs), options));
}

VectorEnv::VectorEnv(std::vector<std::unique_ptr<Env>> envs,
                     const VectorEnvOptions& options)
    : options_(options),
      envs_(std::move(envs)),
      observation_size_(
          static_cast<int>(envs_[0]->observation_space().flat_size())),
      autoreset_(envs_.size(), 0),
      scratch_(envs_.size()),
      returns_(envs_.size(), 0.0),
      finished_(envs_.size(), 0) {
  if (options_.num_threads > 1) {
    pool_ = std::make_unique<ThreadPool>(
        std::min(options_.num_threads, num_envs()));
  }
}

void VectorEnv::Prepare(VectorStepResult* result) const {
  const size_t n = envs_.size();
  result->num_envs = static_cast<int>(n);
  result->observation_size = observation_size_;
  result->observations.resize(n * observation_size_);
  result->rewards.resize(n);
  result->terminated.resize(n);
  result->truncated.resize(n);
  if (options_.autoreset_mode == AutoresetMode::kSameStep) {
    result->final_observations.resize(n * observation_size_);
  } else {
    result->final_observations.clear();
  }
}

void VectorEnv::Reset(std::optional<uint64_t> seed, VectorStepResult* result) {
  Prepare(result);
  for (int i = 0; i < num_envs(); ++i) {
    std::optional<uint64_t> env_seed;
    if (seed.has_value()) env_seed = *seed + i;
    Observation& observation = scratch_[i].observation;
    envs_[i]->Reset(env_seed, &observation);
    std::copy(observation.begin(), observation.end(),
              result->observations.begin() +
                  static_cast<size_t>(i) * observation_size_);
    result->rewards[i] = 0;
    result->terminated[i] = 0;
    result->truncated[i] = 0;
    autoreset_[i] = 0;
    returns_[i] = 0;
    finished_[i] = 0;
  }
  started_ = true;
}

absl::Status VectorEnv::CheckAction(int i, const Action& action) const {
  const Space& space = envs_[i]->action_space();
  if (space.kind == Space::Kind::kDiscrete) {
    if (space.Contains(action.discrete)) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrCat(
        "sub-env ", i, " (", envs_[i]->id(), "): action ", action.discrete,
        " is outside the action space ", space.ToString()));
  }
  if (action.continuous.size() != space.low.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("sub-env ", i, " (", envs_[i]->id(), "): action has ",
                     action.continuous.size(), " values, the action space ",
                     space.ToString(), " wants ", space.low.size()));
  }
  for (float value : action.continuous) {
    if (!std::isfinite(value)) {
      return absl::InvalidArgumentError(
          absl::StrCat("sub-env ", i, " (", envs_[i]->id(),
                       "): actions must be finite numbers, got ", value));
    }
  }
  // The env's own checks (MuJoCo: within the bounds), so that StepOne's
  // Env::Step cannot fail.
  const absl::Status status = envs_[i]->CheckBoxAction(action);
  if (status.ok()) return status;
  return absl::Status(status.code(),
                      absl::StrCat("sub-env ", i, ": ", status.message()));
}

void VectorEnv::StepOne(int i, const Action& action, VectorStepResult* result) {
  Env& env = *envs_[i];
  StepResult& step = scratch_[i];
  float* row =
      result->observations.data() + static_cast<size_t>(i) * observation_size_;
  if (autoreset_[i]) {
    // Next-step mode: the episode ended last step; this step starts the
    // next one and ignores the action.
    env.Reset(std::nullopt, &step.observation);
    std::copy(step.observation.begin(), step.observation.end(), row);
    result->rewards[i] = 0;
    result->terminated[i] = 0;
    result->truncated[i] = 0;
    autoreset_[i] = 0;
    returns_[i] = 0;
    return;
  }
  // Cannot fail: the action was checked and the episode is running.
  const absl::Status status = env.Step(action, &step);
  (void)status;
  result->rewards[i] = step.reward;
  result->terminated[i] = step.terminated;
  result->truncated[i] = step.truncated;
  returns_[i] += step.reward;
  const bool done = step.terminated || step.truncated;
  if (!done) {
    std::copy(step.observation.begin(), step.observation.end(), row);
    return;
  }
  ++finished_[i];
  if (options_.autoreset_mode == AutoresetMode::kNextStep) {
    std::copy(step.observation.begin(), step.observation.end(), row);
    autoreset_[i] = 1;
  } else {
    std::copy(step.observation.begin(), step.observation.end(),
              result->final_observations.data() +
                  static_cast<size_t>(i) * observation_size_);
    env.Reset(std::nullopt, &step.observation);
    std::copy(step.observation.begin(), step.observation.end(), row);
    returns_[i] = 0;
  }
}

template <typename GetAction>
absl::Status VectorEnv::StepAll(GetAction get_action,
                                VectorStepResult* result) {
  if (!started_) {
    return absl::FailedPreconditionError(absl::StrCat(
        "vector env of ", single_spec().id, ": Step() called before Reset()"));
  }
  for (int i = 0; i < num_envs(); ++i) {
    absl::Status status = CheckAction(i, get_action(i));
    if (!status.ok()) return status;
  }
  Prepare(result);
  auto run = [&](int begin, int end) {
    for (int i = begin; i < end; ++i) StepOne(i, get_action(i), result);
  };
  if (pool_ != nullptr) {
    pool_->ParallelFor(num_envs(), run);
  } else {
    run(0, num_envs());
  }
  return absl::OkStatus();
}

absl::Status VectorEnv::Step(absl::Span<const Action> actions,
                             VectorStepResult* result) {
  if (static_cast<int>(actions.size()) != num_envs()) {
    return absl::InvalidArgumentError(
        absl::StrCat("got ", actions.size(), " actions for ", num_envs(),
                     " envs; give one action per sub-env"));
  }
  return StepAll([&](int i) -> const Action& { return actions[i]; }, result);
}

absl::Status VectorEnv::Step(absl::Span<const int64_t> actions,
                             VectorStepResult* result) {
  if (static_cast<int>(actions.size()) != num_envs()) {
    return absl::InvalidArgumentError(
        absl::StrCat("got ", actions.size(), " actions for ", num_envs(),
                     " envs; give one action per sub-env"));
  }
  if (single_spec().action_space.kind != Space::Kind::kDiscrete) {
    return absl::InvalidArgumentError(absl::StrCat(
        single_spec().id, " has action space ",
        single_spec().action_space.ToString(),
        "; integer actions are for Discrete spaces, pass Actions instead"));
  }
  return StepAll([&](int i) { return Action::Discrete(actions[i]); }, result);
}

void VectorEnv::Draw(Canvas* canvas) const {
  tiles_.resize(envs_.size(), Canvas(1, 1));
  std::vector<std::string> labels(envs_.size());
  for (int i = 0; i < num_envs(); ++i) {
    envs_[i]->Draw(&tiles_[i]);
    labels[i] = absl::StrFormat("%d  R %g", i, returns_[i]);
  }
  TileCanvases(tiles_, options_.tiles, canvas, labels);
}

}  // namespace rl
