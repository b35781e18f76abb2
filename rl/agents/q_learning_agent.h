// q_learning: tabular Q-learning (Watkins 1989) for envs whose observations
// and actions are both Discrete (Gymnasium's toy-text: FrozenLake, Taxi,
// CliffWalking). Registered as "q_learning".
//
//   Q[s, a] += learning_rate * (r + gamma * max_a' Q[s', a'] - Q[s, a]),
// without the max term when the step terminated (a truncated step still
// bootstraps). Exploration is epsilon-greedy, epsilon falling linearly from
// exploration_initial_eps to exploration_final_eps over exploration_steps
// env steps; ties between equal values are broken at random when exploring
// and by the lowest action index when greedy.
//
// Example:
//   AgentContext context{env->observation_space(), env->action_space(), 0,
//                        "FrozenLake-v1", {{"learning_rate", "0.05"}}};
//   RL_ASSIGN_OR_RETURN(auto agent, CreateAgent("q_learning", context));
#ifndef RL_AGENTS_Q_LEARNING_AGENT_H_
#define RL_AGENTS_Q_LEARNING_AGENT_H_

#include <cstdint>

namespace rl {

struct QLearningConfig {
  double learning_rate = 0.1;
  double gamma = 0.99;
  double exploration_initial_eps = 1.0;
  double exploration_final_eps = 0.05;
  int64_t exploration_steps = 100000;
  double initial_q = 0.0;
};

}  // namespace rl

#endif  // RL_AGENTS_Q_LEARNING_AGENT_H_
