// InvertedPendulum-v5: hand-checked steps, reset noise, seeding, clamping.
#include "rl/envs/mujoco/inverted_pendulum.h"

#include <cmath>
#include <memory>

#include "gtest/gtest.h"
#include "rl/envs/env.h"

namespace rl {
namespace {

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

TEST(InvertedPendulumTest, ActionsBeyondTheRangeAreClampedByMujoco) {
  auto a = Make();
  auto b = Make();
  a->Reset(4);
  b->Reset(4);
  StepResult ra, rb;
  ASSERT_TRUE(a->Step(Action::Continuous({3.0f}), &ra).ok());
  ASSERT_TRUE(b->Step(Action::Continuous({30.0f}), &rb).ok());
  EXPECT_EQ(ra.observation, rb.observation);
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
