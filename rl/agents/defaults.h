// Tuned defaults per (agent, env) pair: the one table (defaults.cc) of
// hyper-parameters and training budgets that the learning tests pass with,
// and that rl/agents/README.md documents. An agent starts from its config
// struct's generic defaults, then applies its row of this table for the env
// (if any), then the user's overrides.
//
// Example:
//   HyperParams tuned = DefaultHyperParams("ppo", "CartPole-v1");
//   int64_t steps = DefaultTrainingSteps("ppo", "CartPole-v1");  // 150000
#ifndef RL_AGENTS_DEFAULTS_H_
#define RL_AGENTS_DEFAULTS_H_

#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"
#include "rl/agents/agent.h"

namespace rl {

struct DefaultsRow {
  const char* agent;
  const char* env_id;
  // Training budget in env steps that reaches `target` (the learning test).
  int64_t steps;
  // Overrides of the agent's generic defaults, in ParseHyperParams() form.
  const char* hyperparams;
  // What the budget achieves, e.g. "mean return >= 475 over 20 episodes".
  const char* target;
};

const std::vector<DefaultsRow>& DefaultsTable();

// The row's overrides for (agent, env_id), parsed; empty when there is no
// row. The table is checked by a test, so parsing cannot fail at run time.
HyperParams DefaultHyperParams(absl::string_view agent,
                               absl::string_view env_id);

// The row's training budget; 0 when there is no row.
int64_t DefaultTrainingSteps(absl::string_view agent, absl::string_view env_id);

}  // namespace rl

#endif  // RL_AGENTS_DEFAULTS_H_
