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
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rl/core/collective.h"
#include "rl/core/registry.h"
#include "rl/envs/env.h"
#include "rl/envs/space.h"

namespace rl {

// Hyper-parameters by name, values as text ("learning_rate" -> "3e-4").
// rl/agents/hyperparams.h parses "key=value,..." into this.
using HyperParams = std::map<std::string, std::string>;

// What an agent is built for.
struct AgentContext {
  Space observation_space;
  Space action_space;
  uint64_t seed = 0;
  // Gymnasium id of the env, when known: learning agents start from the
  // defaults tuned for it (rl/agents/defaults.cc). May be empty.
  std::string env_id;
  // Overrides of the agent's defaults. A learning agent refuses a key it
  // does not know, listing the valid ones; agents without hyper-parameters
  // ignore this (use CreateAgent() in rl/agents/hyperparams.h to refuse).
  HyperParams hyperparams;
  // Data-parallel training (not owned; null: one process). The agent is
  // one of collective->size() copies, each learning from its own envs, that
  // keep identical parameters: they start from rank 0's and average their
  // gradients before every optimiser step. CreateAgent() refuses an agent
  // that cannot (trains_data_parallel()).
  Collective* collective = nullptr;
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

  // --- Optional: learning agents override what applies. ---

  // The action without exploration, for evaluation: argmax Q, the mode of
  // the policy. Leaves the learning state untouched (no cached action, no
  // random draw, no statistics update), so evaluations may be interleaved
  // with training without changing it. Defaults to Act().
  virtual Action ActGreedy(const Observation& observation) {
    return Act(observation);
  }

  // How many envs the agent learns from at once (PPO's n_envs). A trainer
  // steps that many envs in lockstep and calls ActBatch()/ObserveBatch()
  // with one entry per env, in env order; Act()/Observe() are the
  // single-env case.
  virtual int num_envs() const { return 1; }
  virtual void ActBatch(const std::vector<Observation>& observations,
                        std::vector<Action>* actions) {
    actions->resize(observations.size());
    for (size_t i = 0; i < observations.size(); ++i) {
      (*actions)[i] = Act(observations[i]);
    }
  }
  virtual absl::Status ObserveBatch(
      const std::vector<Transition>& transitions) {
    for (const Transition& transition : transitions) {
      absl::Status status = Observe(transition);
      if (!status.ok()) return status;
    }
    return absl::OkStatus();
  }

  // Whether the agent learns data-parallel when given a Collective of more
  // than one rank (AgentContext::collective).
  virtual bool trains_data_parallel() const { return false; }

  // The learned parameters, flattened in a fixed order (for checks that
  // data-parallel copies agree); empty for agents without any.
  virtual std::vector<float> Parameters() const { return {}; }

  // The hyper-parameters in use, defaults included, as text; empty for
  // agents without any. Creating the agent again with these as overrides
  // gives the same agent.
  virtual HyperParams hyperparams() const { return {}; }

  // Latest learning statistics by name ("loss", "epsilon", ...), for logs
  // and metrics; empty for agents that do not learn.
  virtual std::map<std::string, double> Stats() const { return {}; }

  // Everything needed to continue learning exactly where it stopped
  // (parameters, optimiser state, counters, random state, buffers), as
  // opaque bytes; rl/agents/checkpoint.h wraps them in a checked file.
  // LoadState() accepts only what SaveState() of an agent created with the
  // same spaces and hyper-parameters wrote; anything else is an error, never
  // a crash.
  virtual absl::StatusOr<std::string> SaveState() const {
    return absl::UnimplementedError("this agent has no checkpoint support");
  }
  virtual absl::Status LoadState(absl::string_view state) {
    return absl::UnimplementedError("this agent has no checkpoint support");
  }
};

using AgentRegistry = Registry<Agent, const AgentContext&>;

// The process-wide registry of agents built into this binary.
AgentRegistry& Agents();

}  // namespace rl

#endif  // RL_AGENTS_AGENT_H_
