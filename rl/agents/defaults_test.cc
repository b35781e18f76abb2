#include "rl/agents/defaults.h"

#include <set>

#include "absl/strings/numbers.h"
#include "gtest/gtest.h"
#include "rl/agents/hyperparams.h"
#include "rl/envs/env.h"

namespace rl {
namespace {

// Every row parses, names a registered agent, and its agent accepts it for
// its env (when the env is built in).
TEST(DefaultsTest, EveryRowIsValid) {
  std::set<std::pair<std::string, std::string>> seen;
  for (const DefaultsRow& row : DefaultsTable()) {
    SCOPED_TRACE(std::string(row.agent) + " on " + row.env_id);
    EXPECT_TRUE(seen.emplace(row.agent, row.env_id).second) << "duplicate row";
    const auto params = ParseHyperParams(row.hyperparams);
    ASSERT_TRUE(params.ok()) << params.status();
    EXPECT_GT(row.steps, 0);
    EXPECT_TRUE(Agents().Contains(row.agent));
    auto env = Envs().Create(row.env_id);
    ASSERT_TRUE(env.ok()) << env.status();
    AgentContext context{(*env)->observation_space(), (*env)->action_space(), 0,
                         row.env_id};
    auto agent = CreateAgent(row.agent, context);
    ASSERT_TRUE(agent.ok()) << agent.status();
    // The row's values are in effect.
    const HyperParams resolved = (*agent)->hyperparams();
    for (const auto& [key, value] : *params) {
      ASSERT_TRUE(resolved.count(key)) << key;
      double want, got;
      if (absl::SimpleAtod(value, &want) &&
          absl::SimpleAtod(resolved.at(key), &got)) {
        EXPECT_EQ(want, got) << key;  // "1e-3" reads back as "0.001".
      } else {
        EXPECT_EQ(value, resolved.at(key)) << key;
      }
    }
  }
}

TEST(DefaultsTest, LookUp) {
  EXPECT_EQ(DefaultTrainingSteps("ppo", "CartPole-v1"), 150000);
  EXPECT_EQ(DefaultHyperParams("ppo", "CartPole-v1").at("n_envs"), "8");
  EXPECT_TRUE(DefaultHyperParams("ppo", "NoSuchEnv-v0").empty());
  EXPECT_EQ(DefaultTrainingSteps("random", "CartPole-v1"), 0);
}

}  // namespace
}  // namespace rl
