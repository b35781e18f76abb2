#include <map>
#include <memory>

#include "gtest/gtest.h"
#include "rl/agents/agent.h"

namespace rl {
namespace {

TEST(RandomAgentTest, DiscreteActionsAreUniformAndSeeded) {
  AgentContext context{Space::Box({0}, {1}), Space::Discrete(3), 7};
  auto agent = Agents().Create("random", context);
  ASSERT_TRUE(agent.ok()) << agent.status();
  auto twin = Agents().Create("random", context);
  std::map<int64_t, int> counts;
  for (int i = 0; i < 3000; ++i) {
    const Action action = (*agent)->Act({0.5f});
    EXPECT_EQ(action.discrete, (*twin)->Act({0.5f}).discrete);
    ++counts[action.discrete];
  }
  ASSERT_EQ(counts.size(), 3u);
  for (const auto& [action, count] : counts) {
    EXPECT_GE(action, 0);
    EXPECT_LT(action, 3);
    EXPECT_NEAR(count, 1000, 150) << "action " << action;
  }
}

TEST(RandomAgentTest, ContinuousActionsStayInTheBox) {
  AgentContext context{Space::Box({0}, {1}), Space::Box({-2, 0}, {2, 1}), 1};
  auto agent = Agents().Create("random", context);
  ASSERT_TRUE(agent.ok()) << agent.status();
  for (int i = 0; i < 1000; ++i) {
    const Action action = (*agent)->Act({0});
    EXPECT_TRUE(context.action_space.Contains(action.continuous));
  }
}

TEST(RandomAgentTest, RefusesAnUnboundedBox) {
  const float inf = std::numeric_limits<float>::infinity();
  AgentContext context{Space::Box({0}, {1}), Space::Box({-inf}, {inf}), 1};
  EXPECT_EQ(Agents().Create("random", context).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace rl
