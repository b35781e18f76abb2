#include "rl/envs/toy_text/tabular_env.h"

#include <utility>

namespace rl {

TabularEnv::TabularEnv(EnvSpec spec, int num_states, int num_actions)
    : Env(std::move(spec)),
      num_states_(num_states),
      num_actions_(num_actions),
      table_(static_cast<size_t>(num_states) * num_actions) {}

void TabularEnv::AddTransition(int state, int action,
                               const Transition& transition) {
  table_[static_cast<size_t>(state) * num_actions_ + action].push_back(
      transition);
}

void TabularEnv::SetInitialDistribution(std::vector<double> distribution) {
  initial_distribution_ = std::move(distribution);
}

absl::Span<const TabularEnv::Transition> TabularEnv::transitions(
    int state, int action) const {
  return table_[static_cast<size_t>(state) * num_actions_ + action];
}

void TabularEnv::ResetState(std::mt19937_64& rng, Observation* observation) {
  s_ = Categorical(rng, initial_distribution_.data(),
                   static_cast<int>(initial_distribution_.size()));
  last_action_.reset();
  OnReset(rng);
  observation->assign(1, static_cast<float>(s_));
}

void TabularEnv::StepState(const Action& action, StepResult* result) {
  const int a = static_cast<int>(action.discrete);
  const std::vector<Transition>& outcomes =
      table_[static_cast<size_t>(s_) * num_actions_ + a];
  // categorical_sample: the first outcome whose cumulative probability
  // exceeds one uniform draw (drawn even when the outcome is certain).
  const double draw = UniformReal(rng(), 0.0, 1.0);
  size_t chosen = outcomes.size() - 1;
  double cumulative = 0;
  for (size_t i = 0; i < outcomes.size(); ++i) {
    cumulative += outcomes[i].probability;
    if (cumulative > draw) {
      chosen = i;
      break;
    }
  }
  const Transition& taken = outcomes[chosen];
  const int previous_state = s_;
  s_ = taken.next_state;
  last_action_ = a;
  OnStep(previous_state, a, taken);
  result->reward = taken.reward;
  result->terminated = taken.terminated;
  result->observation.assign(1, static_cast<float>(s_));
}

}  // namespace rl
