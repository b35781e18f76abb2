#include "rl/agents/agent.h"

namespace rl {

AgentRegistry& Agents() {
  static auto* registry = new AgentRegistry("agent");
  return *registry;
}

}  // namespace rl
