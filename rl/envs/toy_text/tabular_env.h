// TabularEnv: the shared core of Gymnasium's toy_text envs (FrozenLake,
// CliffWalking, Taxi), which are finite MDPs given as a transition table:
// for every state s and action a, a list of (probability, next state,
// reward, terminated), Gymnasium's env.unwrapped.P[s][a]. A step draws one
// uniform number and takes the first outcome whose cumulative probability
// exceeds it (Gymnasium's categorical_sample), even when there is only one.
//
// The observation is the state index as one float; the table is public, so
// planners (value iteration, ...) can read the model as they do in Python.
// As in Gymnasium, an env may add dynamics the table does not hold (Taxi's
// fickle passenger, whose destination change is not in P); its header says
// so.
//
// Example (a subclass's constructor):
//   for (int s = 0; s < n; ++s)
//     for (int a = 0; a < 4; ++a)
//       AddTransition(s, a, {1.0, Next(s, a), -1, s == goal});
//   SetInitialDistribution({...});
#ifndef RL_ENVS_TOY_TEXT_TABULAR_ENV_H_
#define RL_ENVS_TOY_TEXT_TABULAR_ENV_H_

#include <optional>
#include <random>
#include <vector>

#include "absl/types/span.h"
#include "rl/envs/env.h"

namespace rl {

class TabularEnv : public Env {
 public:
  struct Transition {
    double probability = 1;
    int next_state = 0;
    double reward = 0;
    bool terminated = false;
  };

  int num_states() const { return num_states_; }
  int num_actions() const { return num_actions_; }
  // Gymnasium's P[state][action], in Gymnasium's order.
  absl::Span<const Transition> transitions(int state, int action) const;
  // Gymnasium's initial_state_distrib.
  const std::vector<double>& initial_distribution() const {
    return initial_distribution_;
  }

  // The current state (Gymnasium's env.unwrapped.s).
  int s() const { return s_; }
  // The last action taken; none right after Reset() (Gymnasium's
  // lastaction, which the drawings use).
  std::optional<int> last_action() const { return last_action_; }
  // For tests and demos: puts the env in `state` mid-episode.
  void SetState(int state) { s_ = state; }

 protected:
  // The subclass's constructor fills the table through AddTransition (the
  // outcomes of each (state, action) in Gymnasium's order) and sets the
  // initial distribution.
  TabularEnv(EnvSpec spec, int num_states, int num_actions);
  void AddTransition(int state, int action, const Transition& transition);
  void SetInitialDistribution(std::vector<double> distribution);

  void ResetState(std::mt19937_64& rng, Observation* observation) override;
  void StepState(const Action& action, StepResult* result) override;

  // Hooks for envs with more state than the table (Taxi's orientation and
  // fickle passenger). OnReset runs after the initial state was drawn, with
  // the same generator (so its draws follow Gymnasium's order). OnStep runs
  // after the table's outcome `taken` was applied to `previous_state`; it
  // may move the env elsewhere with SetState(), drawing from rng(), for
  // dynamics the table does not hold (the observation is the state after
  // the hook).
  virtual void OnReset(std::mt19937_64& rng) {}
  virtual void OnStep(int previous_state, int action, const Transition& taken) {
  }

 private:
  int num_states_;
  int num_actions_;
  std::vector<std::vector<Transition>> table_;  // [s * num_actions + a].
  std::vector<double> initial_distribution_;
  int s_ = 0;
  std::optional<int> last_action_;
};

}  // namespace rl

#endif  // RL_ENVS_TOY_TEXT_TABULAR_ENV_H_
