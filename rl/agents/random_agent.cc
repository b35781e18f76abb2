// The random agent: uniform actions over the action space, as Gymnasium's
// action_space.sample(). The baseline every learning agent must beat.
#include <cmath>
#include <memory>
#include <random>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "rl/agents/agent.h"

namespace rl {
namespace {

class RandomAgent : public Agent {
 public:
  RandomAgent(Space action_space, uint64_t seed)
      : action_space_(std::move(action_space)), rng_(seed) {}

  Action Act(const Observation& observation) override {
    if (action_space_.kind == Space::Kind::kDiscrete) {
      return Action::Discrete(static_cast<int64_t>(rng_() % action_space_.n));
    }
    std::vector<float> values(action_space_.low.size());
    for (size_t i = 0; i < values.size(); ++i) {
      values[i] = static_cast<float>(
          UniformReal(rng_, action_space_.low[i], action_space_.high[i]));
    }
    return Action::Continuous(std::move(values));
  }

 private:
  Space action_space_;
  std::mt19937_64 rng_;
};

absl::StatusOr<std::unique_ptr<Agent>> CreateRandomAgent(
    const AgentContext& context) {
  const Space& space = context.action_space;
  if (space.kind == Space::Kind::kDiscrete && space.n <= 0) {
    return absl::InvalidArgumentError("random agent: empty Discrete space");
  }
  for (size_t i = 0; i < space.low.size(); ++i) {
    if (!std::isfinite(space.low[i]) || !std::isfinite(space.high[i])) {
      return absl::InvalidArgumentError(absl::StrCat(
          "random agent: action space ", space.ToString(),
          " is unbounded in element ", i, "; it cannot be sampled uniformly"));
    }
  }
  return std::make_unique<RandomAgent>(space, context.seed);
}

const bool kRegistered = Agents().Register(
    "random", "uniform random actions (Gymnasium's action_space.sample())",
    &CreateRandomAgent);

}  // namespace
}  // namespace rl
