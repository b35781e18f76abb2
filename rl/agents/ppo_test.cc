#include <cmath>
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
  options.agent = "ppo";
  options.seed = seed;
  options.hyperparams = std::move(hyperparams);
  auto trainer = Trainer::Create(options);
  EXPECT_TRUE(trainer.ok()) << trainer.status();
  if (!trainer.ok()) return nullptr;
  const absl::Status status = (*trainer)->Run(steps);
  EXPECT_TRUE(status.ok()) << status;
  return std::move(*trainer);
}

TEST(PpoTest, RefusesAnUnboundedBox) {
  const float inf = std::numeric_limits<float>::infinity();
  AgentContext context{Space::Box({0}, {1}), Space::Box({-inf}, {inf}), 0};
  EXPECT_EQ(Agents().Create("ppo", context).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(PpoTest, RefusesAMinibatchLargerThanTheRollout) {
  AgentContext context{Space::Box({0}, {1}), Space::Discrete(2), 0};
  context.hyperparams = {
      {"n_envs", "2"}, {"n_steps", "8"}, {"batch_size", "32"}};
  const auto agent = Agents().Create("ppo", context);
  ASSERT_EQ(agent.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(agent.status().message().find("n_steps * n_envs = 8 * 2 = 16"),
            absl::string_view::npos)
      << agent.status();
}

TEST(PpoTest, NeedsItsNumberOfEnvs) {
  AgentContext context{Space::Box({0}, {1}), Space::Discrete(2), 0};
  context.hyperparams = {
      {"n_envs", "4"}, {"n_steps", "8"}, {"batch_size", "8"}};
  auto agent = Agents().Create("ppo", context);
  ASSERT_TRUE(agent.ok()) << agent.status();
  EXPECT_EQ((*agent)->num_envs(), 4);
  const Observation observation = {0.5f};
  const Action action = (*agent)->Act(observation);
  StepResult result;
  result.observation = {0.5f};
  const absl::Status status = (*agent)->Observe({observation, action, result});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("n_envs=4"), absl::string_view::npos)
      << status;
}

TEST(PpoTest, ObserveNeedsAnActBefore) {
  AgentContext context{Space::Box({0}, {1}), Space::Discrete(2), 0};
  context.hyperparams = {
      {"n_envs", "1"}, {"n_steps", "8"}, {"batch_size", "8"}};
  auto agent = Agents().Create("ppo", context);
  ASSERT_TRUE(agent.ok());
  const Observation observation = {0.5f};
  const Action action = Action::Discrete(0);
  StepResult result;
  result.observation = {0.5f};
  EXPECT_EQ((*agent)->Observe({observation, action, result}).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(PpoTest, LearnsADiscreteBandit) {
  auto trainer = Train("test/Bandit-v0",
                       {{"n_envs", "4"},
                        {"n_steps", "16"},
                        {"batch_size", "32"},
                        {"learning_rate", "3e-3"}},
                       3000);
  ASSERT_NE(trainer, nullptr);
  EXPECT_EQ(trainer->agent().ActGreedy({0}).discrete, 2);
  EXPECT_LT(trainer->agent().Stats().at("entropy"), 0.5);
}

TEST(PpoTest, LearnsAContinuousBandit) {
  auto trainer = Train("test/ContinuousBandit-v0",
                       {{"n_envs", "4"},
                        {"n_steps", "32"},
                        {"batch_size", "64"},
                        {"learning_rate", "3e-3"}},
                       20000);
  ASSERT_NE(trainer, nullptr);
  const Action action = trainer->agent().ActGreedy({0});
  ASSERT_EQ(action.continuous.size(), 1u);
  EXPECT_NEAR(action.continuous[0], 1.0, 0.15);
  EXPECT_LT(trainer->agent().Stats().at("std"), 0.5);
}

TEST(PpoTest, SampledActionsAreClippedToTheBox) {
  AgentContext context{Space::Box({0}, {1}), Space::Box({-0.5f, 1}, {0.5f, 3}),
                       2};
  context.hyperparams = {{"n_envs", "1"},
                         {"n_steps", "1000"},
                         {"batch_size", "8"},
                         {"log_std_init", "2"}};
  auto agent = Agents().Create("ppo", context);
  ASSERT_TRUE(agent.ok()) << agent.status();
  bool hit_low = false, hit_high = false;
  for (int i = 0; i < 200; ++i) {
    const Observation observation = {0.5f};
    const Action action = (*agent)->Act(observation);
    ASSERT_TRUE(context.action_space.Contains(action.continuous));
    hit_low |= action.continuous[0] == -0.5f;
    hit_high |= action.continuous[1] == 3.0f;
    StepResult result;
    result.observation = {0.5f};
    ASSERT_TRUE((*agent)->Observe({observation, action, result}).ok());
  }
  EXPECT_TRUE(hit_low && hit_high);
}

// As DqnTest: V -> 2 when the time limit truncates, about 1.6 when the
// episode terminates.
TEST(PpoTest, BootstrapsTruncationsButNotTerminations) {
  const HyperParams params = {{"gamma", "0.5"},     {"gae_lambda", "0.95"},
                              {"n_envs", "2"},      {"n_steps", "32"},
                              {"batch_size", "32"}, {"learning_rate", "3e-3"}};
  auto truncated = Train("test/Truncated5-v0", params, 6000);
  auto terminated = Train("test/Terminated5-v0", params, 6000);
  ASSERT_NE(truncated, nullptr);
  ASSERT_NE(terminated, nullptr);
  EXPECT_NEAR(truncated->agent().Stats().at("value_mean"), 2.0, 0.1);
  EXPECT_NEAR(terminated->agent().Stats().at("value_mean"), 1.6125, 0.15);
}

TEST(PpoTest, ActGreedyLeavesTheLearningStateUntouched) {
  auto trainer = Train("Pendulum-v1",
                       {{"n_envs", "2"},
                        {"n_steps", "64"},
                        {"batch_size", "32"},
                        {"normalize_observation", "true"},
                        {"normalize_reward", "true"}},
                       300);
  ASSERT_NE(trainer, nullptr);
  const std::string before = *trainer->agent().SaveState();
  for (int i = 0; i < 10; ++i) trainer->agent().ActGreedy({0.1f * i, 1, 0});
  auto eval = Evaluate(trainer->agent(), "Pendulum-v1", 1, 0);
  ASSERT_TRUE(eval.ok()) << eval.status();
  EXPECT_EQ(*trainer->agent().SaveState(), before);
}

TEST(PpoTest, SameSeedSameRun) {
  const HyperParams params = {{"n_envs", "4"}, {"n_steps", "64"}};
  auto a = Train("CartPole-v1", params, 2000, 9);
  auto b = Train("CartPole-v1", params, 2000, 9);
  auto c = Train("CartPole-v1", params, 2000, 10);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(*a->agent().SaveState(), *b->agent().SaveState());
  EXPECT_NE(*a->agent().SaveState(), *c->agent().SaveState());
}

}  // namespace
}  // namespace rl
