#include <memory>

#include "gtest/gtest.h"
#include "rl/agents/agent.h"
#include "rl/agents/test_envs.h"
#include "rl/pipeline/trainer.h"

namespace rl {
namespace {

std::unique_ptr<Trainer> Train(const std::string& env, HyperParams hyperparams,
                               int64_t steps, uint64_t seed = 1) {
  EXPECT_TRUE(testing_envs::Registered());
  TrainerOptions options;
  options.env_id = env;
  options.agent = "dqn";
  options.seed = seed;
  options.hyperparams = std::move(hyperparams);
  auto trainer = Trainer::Create(options);
  EXPECT_TRUE(trainer.ok()) << trainer.status();
  if (!trainer.ok()) return nullptr;
  const absl::Status status = (*trainer)->Run(steps);
  EXPECT_TRUE(status.ok()) << status;
  return std::move(*trainer);
}

TEST(DqnTest, RefusesBoxActions) {
  AgentContext context{Space::Box({0}, {1}), Space::Box({-1}, {1}), 0};
  const auto agent = Agents().Create("dqn", context);
  ASSERT_EQ(agent.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(agent.status().message().find("use ppo"), absl::string_view::npos);
}

TEST(DqnTest, RefusesBadHyperParameters) {
  AgentContext context{Space::Box({0}, {1}), Space::Discrete(2), 0};
  context.hyperparams = {{"batch_size", "0"}};
  auto agent = Agents().Create("dqn", context);
  ASSERT_EQ(agent.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(agent.status().message().find("batch_size=0 is outside [1, 65536]"),
            absl::string_view::npos)
      << agent.status();
  context.hyperparams = {{"hidden", "64,x"}};
  agent = Agents().Create("dqn", context);
  ASSERT_EQ(agent.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(DqnTest, ObservationsOfTheWrongSizeAreErrors) {
  AgentContext context{Space::Box({0, 0}, {1, 1}), Space::Discrete(2), 0};
  auto agent = Agents().Create("dqn", context);
  ASSERT_TRUE(agent.ok()) << agent.status();
  const Observation wrong = {0.5f};
  const Observation right = {0.5f, 0.5f};
  EXPECT_EQ((*agent)->ActGreedy(wrong).discrete, 0);
  const Action action = (*agent)->Act(wrong);  // Reported by Observe().
  StepResult result;
  result.observation = right;
  const absl::Status status = (*agent)->Observe({right, action, result});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "dqn: observation has 1 values, the observation space has 2");
  EXPECT_TRUE((*agent)->Observe({right, action, result}).ok());
}

TEST(DqnTest, LearnsABandit) {
  auto trainer = Train("test/Bandit-v0",
                       {{"learning_starts", "100"},
                        {"exploration_steps", "500"},
                        {"train_freq", "1"},
                        {"target_update_interval", "50"},
                        {"learning_rate", "3e-3"}},
                       2000);
  ASSERT_NE(trainer, nullptr);
  EXPECT_EQ(trainer->agent().ActGreedy({0}).discrete, 2);
  EXPECT_GT(trainer->agent().Stats().at("updates"), 1000);
}

// With reward 1 per step and gamma 0.5, Q -> 2 when the 5-step time limit
// truncates (the state is not terminal), but about 1.6 when the episode
// terminates there.
TEST(DqnTest, BootstrapsTruncationsButNotTerminations) {
  const HyperParams params = {{"gamma", "0.5"},
                              {"learning_starts", "100"},
                              {"exploration_steps", "100"},
                              {"train_freq", "1"},
                              {"target_update_interval", "100"},
                              {"learning_rate", "1e-3"}};
  auto truncated = Train("test/Truncated5-v0", params, 4000);
  auto terminated = Train("test/Terminated5-v0", params, 4000);
  ASSERT_NE(truncated, nullptr);
  ASSERT_NE(terminated, nullptr);
  EXPECT_NEAR(truncated->agent().Stats().at("q_mean"), 2.0, 0.1);
  EXPECT_NEAR(terminated->agent().Stats().at("q_mean"), 1.6125, 0.15);
}

// The squared-error loss (CleanRL's) reaches the same fixed point as Huber:
// Q -> 2 for reward 1 per step, gamma 0.5, an episode truncated at 5 steps;
// its reported loss is the squared TD error.
TEST(DqnTest, MseLossLearnsTheSameValues) {
  const HyperParams params = {{"gamma", "0.5"},
                              {"learning_starts", "100"},
                              {"exploration_steps", "100"},
                              {"train_freq", "1"},
                              {"target_update_interval", "100"},
                              {"learning_rate", "1e-3"},
                              {"loss", "mse"}};
  auto trainer = Train("test/Truncated5-v0", params, 4000);
  ASSERT_NE(trainer, nullptr);
  EXPECT_NEAR(trainer->agent().Stats().at("q_mean"), 2.0, 0.1);
  EXPECT_LT(trainer->agent().Stats().at("loss"), 0.05);
  AgentContext context{Space::Box({0}, {1}), Space::Discrete(2), 0};
  context.hyperparams = {{"loss", "l1"}};
  const auto agent = Agents().Create("dqn", context);
  ASSERT_EQ(agent.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(agent.status().message().find("huber"), absl::string_view::npos)
      << agent.status();
}

TEST(DqnTest, OneHotEncodesDiscreteObservations) {
  auto trainer = Train("test/Chain-v0",
                       {{"gamma", "0.9"},
                        {"learning_starts", "200"},
                        {"exploration_steps", "2000"},
                        {"train_freq", "1"},
                        {"target_update_interval", "100"},
                        {"learning_rate", "3e-3"}},
                       5000);
  ASSERT_NE(trainer, nullptr);
  auto eval = Evaluate(trainer->agent(), "test/Chain-v0", 2, 0);
  ASSERT_TRUE(eval.ok()) << eval.status();
  EXPECT_EQ(eval->mean_length, 4.0);
}

TEST(DqnTest, SameSeedSameRun) {
  const HyperParams params = {{"learning_starts", "100"}};
  auto a = Train("CartPole-v1", params, 1500, 5);
  auto b = Train("CartPole-v1", params, 1500, 5);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  ASSERT_EQ(a->episodes().size(), b->episodes().size());
  for (size_t i = 0; i < a->episodes().size(); ++i) {
    EXPECT_EQ(a->episodes()[i].length, b->episodes()[i].length);
  }
  EXPECT_EQ(*a->agent().SaveState(), *b->agent().SaveState());
}

}  // namespace
}  // namespace rl
