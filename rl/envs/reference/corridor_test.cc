// 11. Tests beside the code: the dynamics from fixed states (expected values
//     worked out by hand here; for a Gymnasium env, from a re-implementation
//     of its published equations, saying so), the drawing's layout, the
//     registration. The conformance suite (rl/envs/conformance_test.cc)
//     adds the checks every env must pass.
#include "rl/envs/reference/corridor.h"

#include <variant>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/canvas/canvas.h"
#include "rl/envs/env.h"

namespace rl {
namespace {

TEST(CorridorTest, WalksToTheExit) {
  Corridor env;
  env.Reset(0);
  env.SetPosition(4);
  StepResult result;
  ASSERT_TRUE(env.Step(Action::Discrete(Corridor::kLeft), &result).ok());
  EXPECT_EQ(result.observation, Observation{3});
  ASSERT_TRUE(env.Step(Action::Discrete(Corridor::kRight), &result).ok());
  ASSERT_TRUE(env.Step(Action::Discrete(Corridor::kRight), &result).ok());
  ASSERT_TRUE(env.Step(Action::Discrete(Corridor::kRight), &result).ok());
  EXPECT_EQ(result.observation, Observation{6});
  EXPECT_EQ(result.reward, 0);
  ASSERT_TRUE(env.Step(Action::Discrete(Corridor::kRight), &result).ok());
  EXPECT_EQ(result.observation, Observation{7});
  EXPECT_EQ(result.reward, 1);
  EXPECT_TRUE(result.terminated);
  EXPECT_EQ(env.Step(Action::Discrete(Corridor::kLeft), &result).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(CorridorTest, TheWallStopsTheWalkerAndTimeRunsOut) {
  Corridor env;
  env.Reset(0);
  env.SetPosition(0);
  StepResult result;
  for (int step = 1; step <= Corridor::kMaxSteps; ++step) {
    ASSERT_TRUE(env.Step(Action::Discrete(Corridor::kLeft), &result).ok());
    EXPECT_EQ(env.position(), 0);
    EXPECT_EQ(result.truncated, step == Corridor::kMaxSteps);
  }
  EXPECT_FALSE(result.terminated);
}

TEST(CorridorTest, ResetIsSeededAndNeverAtTheExit) {
  Corridor env;
  std::vector<int> starts(Corridor::kLength, 0);
  for (uint64_t seed = 0; seed < 700; ++seed) {
    env.Reset(seed);
    ++starts[env.position()];
  }
  EXPECT_EQ(starts[Corridor::kLength - 1], 0);
  for (int i = 0; i + 1 < Corridor::kLength; ++i) EXPECT_GT(starts[i], 60);
  EXPECT_EQ(env.Reset(5), env.Reset(5));
}

TEST(CorridorTest, DrawsTheCellsTheWalkerAndTheStepCount) {
  Corridor env;
  env.Reset(0);
  env.SetPosition(2);
  Canvas canvas(1, 1);
  env.Draw(&canvas);
  EXPECT_EQ(canvas.width(), 400);
  ASSERT_EQ(canvas.shapes().size(), 8u + 2);
  const auto& walker = std::get<CircleShape>(canvas.shapes()[8]);
  EXPECT_FLOAT_EQ(walker.center.x, 125);
  EXPECT_EQ(std::get<TextShape>(canvas.shapes()[9]).text, "STEP 0/20");
}

TEST(CorridorTest, IsRegistered) {
  auto env = Envs().Create("Corridor-v0");
  ASSERT_TRUE(env.ok()) << env.status();
  EXPECT_EQ((*env)->spec().max_episode_steps, 20);
}

}  // namespace
}  // namespace rl
