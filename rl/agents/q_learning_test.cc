#include <memory>

#include "gtest/gtest.h"
#include "rl/agents/agent.h"
#include "rl/agents/hyperparams.h"
#include "rl/agents/test_envs.h"
#include "rl/pipeline/trainer.h"

namespace rl {
namespace {

AgentContext Tabular(int states, int actions, HyperParams hyperparams,
                     uint64_t seed = 0) {
  AgentContext context;
  context.observation_space = Space::Discrete(states);
  context.action_space = Space::Discrete(actions);
  context.seed = seed;
  context.hyperparams = std::move(hyperparams);
  return context;
}

absl::Status Show(Agent& agent, float s, int64_t a, double r, float next,
                  bool terminated = false, bool truncated = false) {
  const Observation observation = {s};
  const Action action = Action::Discrete(a);
  StepResult result;
  result.observation = {next};
  result.reward = r;
  result.terminated = terminated;
  result.truncated = truncated;
  return agent.Observe({observation, action, result});
}

TEST(QLearningTest, RefusesBoxObservations) {
  AgentContext context;
  context.observation_space = Space::Box({0, 0}, {1, 1});
  context.action_space = Space::Discrete(2);
  context.env_id = "CartPole-v1";
  const auto agent = Agents().Create("q_learning", context);
  ASSERT_EQ(agent.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(agent.status().message().find("use dqn or ppo"),
            absl::string_view::npos)
      << agent.status();
}

TEST(QLearningTest, UpdatesFollowTheFormula) {
  auto agent = Agents().Create(
      "q_learning",
      Tabular(3, 2, {{"learning_rate", "0.5"}, {"gamma", "0.9"}}));
  ASSERT_TRUE(agent.ok()) << agent.status();
  Agent& q = **agent;
  // Q[0,1] = 0.5 * (1 + 0.9 * 0) = 0.5.
  ASSERT_TRUE(Show(q, 0, 1, 1.0, 1).ok());
  EXPECT_EQ(q.ActGreedy({0}).discrete, 1);
  // Q[1,0] = 0.5 * (0 + 0.9 * max Q[0]) = 0.225 > Q[1,1] = 0.
  ASSERT_TRUE(Show(q, 1, 0, 0.0, 0).ok());
  EXPECT_EQ(q.ActGreedy({1}).discrete, 0);
  // Terminated: no bootstrap. Q[2,1] = 0.5 * 0.2 = 0.1.
  ASSERT_TRUE(Show(q, 2, 1, 0.2, 0, /*terminated=*/true).ok());
  EXPECT_EQ(q.ActGreedy({2}).discrete, 1);
  // Truncated: bootstraps. Q[2,0] = 0.5 * (0 + 0.9 * 0.5) = 0.225 > 0.1.
  ASSERT_TRUE(Show(q, 2, 0, 0.0, 0, false, /*truncated=*/true).ok());
  EXPECT_EQ(q.ActGreedy({2}).discrete, 0);
}

TEST(QLearningTest, EpsilonFallsLinearly) {
  auto agent =
      Agents().Create("q_learning", Tabular(2, 2,
                                            {{"exploration_initial_eps", "1"},
                                             {"exploration_final_eps", "0.2"},
                                             {"exploration_steps", "10"}}));
  ASSERT_TRUE(agent.ok()) << agent.status();
  EXPECT_DOUBLE_EQ((*agent)->Stats().at("epsilon"), 1.0);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(Show(**agent, 0, 0, 0, 1).ok());
  EXPECT_DOUBLE_EQ((*agent)->Stats().at("epsilon"), 0.6);
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(Show(**agent, 0, 0, 0, 1).ok());
  EXPECT_DOUBLE_EQ((*agent)->Stats().at("epsilon"), 0.2);
}

TEST(QLearningTest, RefusesObservationsOutsideTheSpace) {
  auto agent = Agents().Create("q_learning", Tabular(3, 2, {}));
  ASSERT_TRUE(agent.ok());
  EXPECT_EQ(Show(**agent, 7, 0, 0, 1).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Show(**agent, 0.5f, 0, 0, 1).code(),
            absl::StatusCode::kInvalidArgument);
  // Act() cannot fail; the next Observe() reports it.
  const Action action = (*agent)->Act({9});
  EXPECT_TRUE(action.discrete >= 0 && action.discrete < 2);
  EXPECT_EQ(Show(**agent, 0, 0, 0, 1).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(Show(**agent, 0, 0, 0, 1).ok());
}

TEST(QLearningTest, UnknownHyperParameterListsTheValidOnes) {
  const auto agent =
      Agents().Create("q_learning", Tabular(3, 2, {{"alpha", "0.1"}}));
  ASSERT_EQ(agent.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(agent.status().message().find(
                "valid keys are exploration_final_eps, "
                "exploration_initial_eps, exploration_steps, gamma, "
                "initial_q, learning_rate"),
            absl::string_view::npos)
      << agent.status();
}

TEST(QLearningTest, LearnsTheChain) {
  ASSERT_TRUE(testing_envs::Registered());
  TrainerOptions options;
  options.env_id = "test/Chain-v0";
  options.agent = "q_learning";
  options.seed = 3;
  options.hyperparams = {{"learning_rate", "0.5"},
                         {"gamma", "0.9"},
                         {"exploration_steps", "2000"}};
  auto trainer = Trainer::Create(options);
  ASSERT_TRUE(trainer.ok()) << trainer.status();
  ASSERT_TRUE((*trainer)->Run(5000).ok());
  for (float s = 0; s < 4; ++s) {
    EXPECT_EQ((*trainer)->agent().ActGreedy({s}).discrete, 1) << "state " << s;
  }
  auto eval = Evaluate((*trainer)->agent(), "test/Chain-v0", 3, 0);
  ASSERT_TRUE(eval.ok()) << eval.status();
  EXPECT_EQ(eval->mean_return, 1.0);
  EXPECT_EQ(eval->mean_length, 4.0);
}

TEST(QLearningTest, SameSeedSameActions) {
  auto a = Agents().Create("q_learning", Tabular(4, 3, {}, 11));
  auto b = Agents().Create("q_learning", Tabular(4, 3, {}, 11));
  auto c = Agents().Create("q_learning", Tabular(4, 3, {}, 12));
  int differ = 0;
  for (int i = 0; i < 200; ++i) {
    const float s = static_cast<float>(i % 4);
    const int64_t x = (*a)->Act({s}).discrete;
    EXPECT_EQ(x, (*b)->Act({s}).discrete);
    differ += x != (*c)->Act({s}).discrete;
  }
  EXPECT_GT(differ, 0);
}

}  // namespace
}  // namespace rl
