#include "rl/envs/env_kwargs.h"

#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/envs/env.h"
#include "rl/envs/mujoco/half_cheetah.h"
#include "rl/envs/mujoco/hopper.h"

namespace rl {
namespace {

using ::testing::HasSubstr;

TEST(ParseEnvKwargsTest, KeysValuesAndParenthesisedRanges) {
  auto kwargs =
      ParseEnvKwargs(" frame_skip=4, healthy_z_range = (0.7, inf) ,x=y ");
  ASSERT_TRUE(kwargs.ok()) << kwargs.status();
  EXPECT_EQ(*kwargs, (EnvKwargs{{"frame_skip", "4"},
                                {"healthy_z_range", "(0.7, inf)"},
                                {"x", "y"}}));
  EXPECT_EQ(FormatEnvKwargs(*kwargs),
            "frame_skip=4,healthy_z_range=(0.7, inf),x=y");
  EXPECT_TRUE(ParseEnvKwargs("")->empty());
}

TEST(ParseEnvKwargsTest, Errors) {
  EXPECT_THAT(ParseEnvKwargs("frame_skip").status().message(),
              HasSubstr("is not key=value"));
  EXPECT_THAT(ParseEnvKwargs("=3").status().message(), HasSubstr("no key"));
  EXPECT_THAT(ParseEnvKwargs("a=1,a=2").status().message(),
              HasSubstr("'a' is given twice"));
}

TEST(CreateEnvTest, MujocoKwargsChangeTheEnv) {
  auto env = CreateEnv("HalfCheetah-v5",
                       *ParseEnvKwargs("forward_reward_weight=0,"
                                       "ctrl_cost_weight=1,frame_skip=2"));
  ASSERT_TRUE(env.ok()) << env.status();
  auto* cheetah = dynamic_cast<HalfCheetah*>(env->get());
  ASSERT_NE(cheetah, nullptr);
  EXPECT_DOUBLE_EQ(cheetah->dt(), 0.02);
  (*env)->Reset(0);
  StepResult result;
  ASSERT_TRUE(
      (*env)
          ->Step(Action::Continuous(std::vector<float>(6, 0.5f)), &result)
          .ok());
  EXPECT_NEAR(result.reward, -1.5, 1e-12);
}

TEST(CreateEnvTest, EveryMujocoEnvTakesItsKeywords) {
  for (const char* id :
       {"InvertedPendulum-v5", "InvertedDoublePendulum-v5", "Reacher-v5",
        "HalfCheetah-v5", "Hopper-v5", "HumanoidDMC-v0"}) {
    EXPECT_TRUE(ConfigurableEnvs().Contains(id)) << id;
    auto env = CreateEnv(id, {{"frame_skip", "1"}});
    ASSERT_TRUE(env.ok()) << id << ": " << env.status();
    auto* mujoco = dynamic_cast<MujocoEnv*>(env->get());
    ASSERT_NE(mujoco, nullptr) << id;
    EXPECT_EQ(mujoco->frame_skip(), 1) << id;
  }
}

TEST(CreateEnvTest, RangesAndBooleans) {
  auto env =
      CreateEnv("Hopper-v5", *ParseEnvKwargs("healthy_angle_range=(-1,1),"
                                             "terminate_when_unhealthy=False"));
  ASSERT_TRUE(env.ok()) << env.status();
  auto* hopper = dynamic_cast<Hopper*>(env->get());
  (*env)->Reset(0);
  ASSERT_TRUE(
      hopper->SetState({0, 1.25, 0.5, 0, 0, 0}, {0, 0, 0, 0, 0, 0}).ok());
  EXPECT_TRUE(hopper->IsHealthy());  // 0.5 rad is inside (-1, 1).
}

TEST(CreateEnvTest, ToyTextAndClassicControlKeywords) {
  auto lake = CreateEnv("FrozenLake-v1",
                        *ParseEnvKwargs("map_name=8x8,is_slippery=False"));
  ASSERT_TRUE(lake.ok()) << lake.status();
  EXPECT_EQ((*lake)->observation_space().n, 64);
  // Not slippery: right from the start always lands one tile right.
  (*lake)->Reset(0);
  StepResult result;
  ASSERT_TRUE((*lake)->Step(Action::Discrete(2), &result).ok());
  EXPECT_EQ(result.observation[0], 1.0f);

  auto custom =
      CreateEnv("FrozenLake-v1",
                *ParseEnvKwargs(
                    "desc=('SG'),is_slippery=False,reward_schedule=(5,-1,0)"));
  ASSERT_TRUE(custom.ok()) << custom.status();
  (*custom)->Reset(0);
  ASSERT_TRUE((*custom)->Step(Action::Discrete(2), &result).ok());
  EXPECT_EQ(result.reward, 5.0);
  EXPECT_TRUE(result.terminated);
  EXPECT_THAT(
      CreateEnv("FrozenLake-v1", {{"map_name", "5x5"}}).status().message(),
      HasSubstr("unknown map_name '5x5'"));
  EXPECT_THAT(CreateEnv("FrozenLake-v1", {{"reward_schedule", "(1,0)"}})
                  .status()
                  .message(),
              HasSubstr("is not a tuple (...) of 3 numbers"));

  auto cliff = CreateEnv("CliffWalking-v1", {{"is_slippery", "True"}});
  ASSERT_TRUE(cliff.ok()) << cliff.status();
  EXPECT_EQ((*cliff)->id(), "CliffWalkingSlippery-v1");

  auto pendulum = CreateEnv("Pendulum-v1", {{"g", "9.81"}});
  ASSERT_TRUE(pendulum.ok()) << pendulum.status();
  EXPECT_THAT(
      CreateEnv("Pendulum-v1", {{"gravity", "9.81"}}).status().message(),
      HasSubstr("valid keys are g, max_episode_steps"));
}

TEST(CreateEnvTest, MaxEpisodeStepsWorksForEveryEnv) {
  auto env = CreateEnv("CartPole-v1", {{"max_episode_steps", "7"}});
  ASSERT_TRUE(env.ok()) << env.status();
  EXPECT_EQ((*env)->spec().max_episode_steps, 7);
  auto mujoco = CreateEnv(
      "Reacher-v5", {{"max_episode_steps", "0"}, {"reward_dist_weight", "2"}});
  ASSERT_TRUE(mujoco.ok()) << mujoco.status();
  EXPECT_EQ((*mujoco)->spec().max_episode_steps, 0);
  EXPECT_THAT(CreateEnv("CartPole-v1", {{"max_episode_steps", "-1"}})
                  .status()
                  .message(),
              HasSubstr("max_episode_steps=-1 is not a whole number >= 0"));
}

TEST(CreateEnvTest, UnknownKeysListTheValidOnes) {
  const absl::Status status =
      CreateEnv("HalfCheetah-v5", {{"ctrl_cost", "1"}}).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(),
              HasSubstr("HalfCheetah-v5: unknown keyword argument ctrl_cost; "
                        "valid keys are ctrl_cost_weight, "
                        "exclude_current_positions_from_observation, "
                        "forward_reward_weight, frame_skip, "
                        "max_episode_steps, reset_noise_scale, xml_file"));
  EXPECT_THAT(
      CreateEnv("CartPole-v1", {{"gravity", "9"}}).status().message(),
      HasSubstr("CartPole-v1: unknown keyword argument gravity; valid keys "
                "are max_episode_steps, sutton_barto_reward"));
  EXPECT_THAT(CreateEnv("Acrobot-v1", {{"gravity", "9"}}).status().message(),
              HasSubstr("Acrobot-v1: unknown keyword argument gravity; this "
                        "env takes only max_episode_steps"));
}

TEST(CreateEnvTest, BadValuesSayWhatWasExpected) {
  EXPECT_THAT(CreateEnv("Hopper-v5", {{"frame_skip", "0"}}).status().message(),
              HasSubstr("frame_skip=0 is not a whole number >= 1"));
  EXPECT_THAT(
      CreateEnv("Hopper-v5", {{"ctrl_cost_weight", "abc"}}).status().message(),
      HasSubstr("ctrl_cost_weight=abc is not a number"));
  EXPECT_THAT(
      CreateEnv("Hopper-v5", {{"healthy_z_range", "(2,1)"}}).status().message(),
      HasSubstr("is not a range (low,high)"));
  EXPECT_THAT(CreateEnv("Hopper-v5", {{"terminate_when_unhealthy", "yes"}})
                  .status()
                  .message(),
              HasSubstr("is not True or False"));
  EXPECT_EQ(CreateEnv("Hopper-v5", {{"xml_file", "/nonexistent/hopper.xml"}})
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_THAT(CreateEnv("Nope-v0", {}).status().message(),
              HasSubstr("unknown env 'Nope-v0'"));
}

}  // namespace
}  // namespace rl
