#include "rl/agents/test_envs.h"

#include <algorithm>
#include <memory>
#include <string>

#include "rl/envs/env.h"

namespace rl {
namespace testing_envs {
namespace {

EnvSpec Spec(std::string id, int max_steps, Space observation, Space action) {
  EnvSpec spec;
  spec.id = std::move(id);
  spec.max_episode_steps = max_steps;
  spec.observation_space = std::move(observation);
  spec.action_space = std::move(action);
  return spec;
}

class ConstantReward : public Env {
 public:
  explicit ConstantReward(bool terminate)
      : Env(Spec(terminate ? "test/Terminated5-v0" : "test/Truncated5-v0",
                 terminate ? 0 : 5, Space::Box({-1}, {1}), Space::Discrete(2))),
        terminate_(terminate) {}
  void Draw(Canvas* canvas) const override { canvas->Reset(10, 10, kWhite); }

 protected:
  void ResetState(std::mt19937_64& rng, Observation* observation) override {
    steps_ = 0;
    observation->assign(1, 0.0f);
  }
  void StepState(const Action& action, StepResult* result) override {
    ++steps_;
    result->observation.assign(1, 0.0f);
    result->reward = 1;
    result->terminated = terminate_ && steps_ >= 5;
  }

 private:
  bool terminate_;
  int steps_ = 0;
};

class Bandit : public Env {
 public:
  Bandit()
      : Env(Spec("test/Bandit-v0", 0, Space::Box({-1}, {1}),
                 Space::Discrete(3))) {}
  void Draw(Canvas* canvas) const override { canvas->Reset(10, 10, kWhite); }

 protected:
  void ResetState(std::mt19937_64& rng, Observation* observation) override {
    observation->assign(1, 0.0f);
  }
  void StepState(const Action& action, StepResult* result) override {
    result->observation.assign(1, 0.0f);
    result->reward = action.discrete == 2 ? 1.0 : 0.0;
    result->terminated = true;
  }
};

class ContinuousBandit : public Env {
 public:
  ContinuousBandit()
      : Env(Spec("test/ContinuousBandit-v0", 0, Space::Box({-1}, {1}),
                 Space::Box({-2}, {2}))) {}
  void Draw(Canvas* canvas) const override { canvas->Reset(10, 10, kWhite); }

 protected:
  void ResetState(std::mt19937_64& rng, Observation* observation) override {
    observation->assign(1, 0.0f);
  }
  void StepState(const Action& action, StepResult* result) override {
    const double a = std::clamp(action.continuous[0], -2.0f, 2.0f);
    result->observation.assign(1, 0.0f);
    result->reward = -(a - 1) * (a - 1);
    result->terminated = true;
  }
};

class Chain : public Env {
 public:
  Chain()
      : Env(Spec("test/Chain-v0", 20, Space::Discrete(5), Space::Discrete(2))) {
  }
  void Draw(Canvas* canvas) const override { canvas->Reset(10, 10, kWhite); }

 protected:
  void ResetState(std::mt19937_64& rng, Observation* observation) override {
    state_ = 0;
    observation->assign(1, 0.0f);
  }
  void StepState(const Action& action, StepResult* result) override {
    state_ = action.discrete == 1 ? state_ + 1 : std::max(state_ - 1, 0);
    result->observation.assign(1, static_cast<float>(state_));
    result->reward = state_ == 4 ? 1.0 : 0.0;
    result->terminated = state_ == 4;
  }

 private:
  int state_ = 0;
};

template <typename E, typename... A>
EnvRegistry::Factory Make(A... args) {
  return [=]() -> absl::StatusOr<std::unique_ptr<Env>> {
    return std::make_unique<E>(args...);
  };
}

const bool kRegistered =
    Envs().Register("test/Truncated5-v0", "test: reward 1, truncated at 5",
                    Make<ConstantReward>(false)) &&
    Envs().Register("test/Terminated5-v0", "test: reward 1, terminated at 5",
                    Make<ConstantReward>(true)) &&
    Envs().Register("test/Bandit-v0", "test: 3-armed bandit", Make<Bandit>()) &&
    Envs().Register("test/ContinuousBandit-v0", "test: -(a - 1)^2",
                    Make<ContinuousBandit>()) &&
    Envs().Register("test/Chain-v0", "test: 5-state chain", Make<Chain>());

}  // namespace

bool Registered() { return kRegistered; }

}  // namespace testing_envs
}  // namespace rl
