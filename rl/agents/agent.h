// Agent: chooses actions from observations and, if it learns, learns from
// the transitions it is shown.
//
// Agents register by name in Agents() and are chosen by the --agent flag.
// A factory gets the env's spaces and a seed, so the same seed gives the
// same run.
//
// Example:
//   RL_ASSIGN_OR_RETURN(auto agent, Agents().Create("random", context));
//   Action action = agent->Act(observation);
//   ... env->Step(action, &result) ...
//   RL_RETURN_IF_ERROR(agent->Observe({observation, action, result}));
#ifndef RL_AGENTS_AGENT_H_
#define RL_AGENTS_AGENT_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "rl/core/registry.h"
#include "rl/envs/env.h"
#include "rl/envs/space.h"

namespace rl {

// What an agent is built for.
struct AgentContext {
  Space observation_space;
  Space action_space;
  uint64_t seed = 0;
};

// One step of experience. References stay valid only during Observe().
struct Transition {
  const Observation& observation;
  const Action& action;
  const StepResult& result;  // Next observation, reward, end flags.
};

class Agent {
 public:
  virtual ~Agent() = default;

  // The action to take in `observation`; always inside the action space.
  virtual Action Act(const Observation& observation) = 0;

  // Shows the agent the outcome of its last action. Agents that do not
  // learn ignore it.
  virtual absl::Status Observe(const Transition& transition) {
    return absl::OkStatus();
  }
};

using AgentRegistry = Registry<Agent, const AgentContext&>;

// The process-wide registry of agents built into this binary.
AgentRegistry& Agents();

}  // namespace rl

#endif  // RL_AGENTS_AGENT_H_
