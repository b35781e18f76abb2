// InvertedPendulum-v5: hand-checked steps, reset noise, seeding, bounds.
#include "rl/envs/mujoco/inverted_pendulum.h"

#include <cmath>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/envs/env.h"

namespace rl {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

std::unique_ptr<InvertedPendulum> Make() {
  auto env = InvertedPendulum::Create();
  EXPECT_TRUE(env.ok()) << env.status();
  return *std::move(env);
}

TEST(InvertedPendulumTest, ModelAndSpecFollowGymnasium) {
  auto env = Make();
  EXPECT_EQ(env->model()->nq, 2);
  EXPECT_EQ(env->model()->nu, 1);
  EXPECT_DOUBLE_EQ(env->dt(), 0.04);  // timestep 0.02, frame_skip 2.
  EXPECT_EQ(env->spec().render_fps, 25);
  EXPECT_EQ(env->action_space().ToString(), "Box(1,)");
  EXPECT_EQ(env->action_space().low[0], -3.0f);
  EXPECT_EQ(env->action_space().high[0], 3.0f);
  EXPECT_EQ(env->observation_space().flat_size(), 4);
}

TEST(InvertedPendulumTest, UprightWithZeroActionStaysUpForAFewSteps) {
  auto env = Make();
  env->Reset(0);
  ASSERT_TRUE(env->SetState({0.0, 0.0}, {0.0, 0.0}).ok());
  StepResult result;
  // Gymnasium's pole is drawn from (0, 0, 0) to (0.001, 0, 0.6): its centre
  // of mass sits a hair to +x, so it starts to lean that way, slowly.
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(env->Step(Action::Continuous({0.0f}), &result).ok());
    EXPECT_EQ(result.reward, 1.0);
    EXPECT_FALSE(result.terminated);
    EXPECT_GE(result.observation[1], 0.0f);
    EXPECT_LT(result.observation[1], 0.01f);
  }
}

TEST(InvertedPendulumTest, TiltedPoleFallsAndTerminatesPastPointTwoRadians) {
  auto env = Make();
  env->Reset(0);
  ASSERT_TRUE(env->SetState({0.0, 0.1}, {0.0, 0.0}).ok());
  StepResult result;
  double previous = 0.1;
  int steps = 0;
  do {
    ASSERT_TRUE(env->Step(Action::Continuous({0.0f}), &result).ok());
    ++steps;
    // Gravity pulls it further the way it leans.
    EXPECT_GT(result.observation[1], previous);
    previous = result.observation[1];
    EXPECT_EQ(result.reward, result.terminated ? 0.0 : 1.0);
  } while (!result.terminated && steps < 100);
  EXPECT_TRUE(result.terminated);
  EXPECT_GT(result.observation[1], 0.2f);
  EXPECT_LT(steps, 30);
}

TEST(InvertedPendulumTest, PushingRightMovesTheCartRightAndTipsThePoleBack) {
  auto env = Make();
  env->Reset(0);
  ASSERT_TRUE(env->SetState({0.0, 0.0}, {0.0, 0.0}).ok());
  StepResult result;
  ASSERT_TRUE(env->Step(Action::Continuous({1.0f}), &result).ok());
  EXPECT_GT(result.observation[0], 0.0f);  // Cart x.
  EXPECT_GT(result.observation[2], 0.0f);  // Cart velocity.
  EXPECT_LT(result.observation[1], 0.0f);  // The pole lags behind.
}

TEST(InvertedPendulumTest, ActionsOutsideTheBoundsAreRefused) {
  auto env = Make();
  const Observation before = env->Reset(4);
  StepResult result;
  for (float value : {3.0001f, 30.0f, -3.5f}) {
    const absl::Status status = env->Step(Action::Continuous({value}), &result);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << value;
    EXPECT_THAT(
        std::string(status.message()),
        AllOf(HasSubstr("InvertedPendulum-v5"), HasSubstr("action value 0 is "),
              HasSubstr("[-3, 3]"), HasSubstr("clip actions to the bounds")))
        << status;
  }
  EXPECT_EQ(env->elapsed_steps(), 0);  // Nothing happened.
  // The bounds themselves are inside: the same step as a fresh env's.
  ASSERT_TRUE(env->Step(Action::Continuous({3.0f}), &result).ok());
  auto fresh = Make();
  EXPECT_EQ(fresh->Reset(4), before);
  StepResult fresh_result;
  ASSERT_TRUE(fresh->Step(Action::Continuous({3.0f}), &fresh_result).ok());
  EXPECT_EQ(result.observation, fresh_result.observation);
  ASSERT_TRUE(env->Step(Action::Continuous({-3.0f}), &result).ok());
}

TEST(InvertedPendulumTest, ResetNoiseIsWithinItsScaleAndSeeded) {
  auto env = Make();
  for (uint64_t seed = 0; seed < 50; ++seed) {
    const Observation o = env->Reset(seed);
    ASSERT_EQ(o.size(), 4u);
    for (float v : o) EXPECT_LE(std::abs(v), 0.01f);
    EXPECT_EQ(o, env->Reset(seed));
  }
  EXPECT_NE(env->Reset(1), env->Reset(2));

  InvertedPendulum::Options options;
  options.reset_noise_scale = 0.0;
  auto still = InvertedPendulum::Create(options);
  ASSERT_TRUE(still.ok());
  for (float v : (*still)->Reset(5)) EXPECT_EQ(v, 0.0f);
}

TEST(InvertedPendulumTest, FrameSkipOptionChangesTheStepLength) {
  InvertedPendulum::Options options;
  options.frame_skip = 4;
  auto env = InvertedPendulum::Create(options);
  ASSERT_TRUE(env.ok());
  EXPECT_DOUBLE_EQ((*env)->dt(), 0.08);
  // Two default steps equal one step of frame_skip 4 under the same control.
  auto reference = Make();
  (*env)->Reset(3);
  reference->Reset(3);
  StepResult result, reference_result;
  ASSERT_TRUE((*env)->Step(Action::Continuous({0.5f}), &result).ok());
  ASSERT_TRUE(
      reference->Step(Action::Continuous({0.5f}), &reference_result).ok());
  ASSERT_TRUE(
      reference->Step(Action::Continuous({0.5f}), &reference_result).ok());
  EXPECT_EQ(result.observation, reference_result.observation);
}

TEST(InvertedPendulumTest, RegisteredUnderGymnasiumsId) {
  auto env = Envs().Create("InvertedPendulum-v5");
  ASSERT_TRUE(env.ok()) << env.status();
  EXPECT_EQ((*env)->spec().max_episode_steps, 1000);
}

}  // namespace
}  // namespace rl
