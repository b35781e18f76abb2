#include "rl/envs/toy_text/cliff_walking.h"

#include <map>
#include <memory>
#include <variant>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/canvas/canvas.h"
#include "rl/envs/env.h"
#include "rl/envs/env_kwargs.h"
#include "rl/envs/toy_text/table_golden.h"

namespace rl {
namespace {

using ::testing::HasSubstr;

// Expected values from rl/envs/testdata/gymnasium_reference.py, a
// plain-Python re-implementation of Gymnasium's CliffWalkingEnv
// (cliffwalking.py, v1), not from this code.
TEST(CliffWalkingTest, TransitionTablesMatchGymnasiums) {
  EXPECT_TRUE(TableMatchesGolden(CliffWalking(false), "cliff_walking.txt"));
  EXPECT_TRUE(
      TableMatchesGolden(CliffWalking(true), "cliff_walking_slippery.txt"));
}

// gym.make("CliffWalking-v1", is_slippery=True): the slippery table, under
// our id for it.
TEST(CliffWalkingTest, IsSlipperyKwarg) {
  auto slippery = CreateEnv("CliffWalking-v1", {{"is_slippery", "True"}});
  ASSERT_TRUE(slippery.ok()) << slippery.status();
  EXPECT_EQ((*slippery)->id(), "CliffWalkingSlippery-v1");
  const auto* table = dynamic_cast<const TabularEnv*>(slippery->get());
  ASSERT_NE(table, nullptr);
  EXPECT_TRUE(TableMatchesGolden(*table, "cliff_walking_slippery.txt"));
  auto dry = CreateEnv("CliffWalking-v1", {{"is_slippery", "False"}});
  ASSERT_TRUE(dry.ok()) << dry.status();
  EXPECT_EQ((*dry)->id(), "CliffWalking-v1");
  const auto bad = CreateEnv("CliffWalking-v1", {{"is_slippery", "yes"}});
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(),
              HasSubstr("CliffWalking-v1: keyword argument is_slippery=yes "
                        "is not True or False"));
}

TEST(CliffWalkingTest, TheSafePathAlongTheTop) {
  CliffWalking env;
  EXPECT_EQ(env.Reset(0), Observation{36});
  const int actions[] = {2, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2};
  const int states[] = {36, 36, 24, 25, 26, 27, 28, 29,
                        30, 31, 32, 33, 34, 35, 47};
  const double rewards[] = {-1, -100, -1, -1, -1, -1, -1, -1,
                            -1, -1,   -1, -1, -1, -1, -1};
  StepResult result;
  double total = 0;
  for (int i = 0; i < 15; ++i) {
    ASSERT_TRUE(env.Step(Action::Discrete(actions[i]), &result).ok());
    EXPECT_EQ(result.observation, Observation{static_cast<float>(states[i])})
        << i;
    EXPECT_EQ(result.reward, rewards[i]) << i;
    EXPECT_EQ(result.terminated, i == 14) << i;
    EXPECT_FALSE(result.truncated);
    total += result.reward;
  }
  EXPECT_EQ(total, -114);
}

TEST(CliffWalkingTest, NoTimeLimit) {
  CliffWalking env;
  EXPECT_EQ(env.spec().max_episode_steps, 0);
  env.Reset(0);
  StepResult result;
  for (int i = 0; i < 5000; ++i) {
    ASSERT_TRUE(env.Step(Action::Discrete(CliffWalking::kLeft), &result).ok());
    ASSERT_FALSE(result.truncated);
  }
}

TEST(CliffWalkingTest, SlipperyMovesAreThirds) {
  CliffWalking env(true);
  // Up from the start: left (stays, 36), up (24), right (the cliff: 36).
  const auto outcomes = env.transitions(36, CliffWalking::kUp);
  ASSERT_EQ(outcomes.size(), 3u);
  EXPECT_EQ(outcomes[0].next_state, 36);
  EXPECT_EQ(outcomes[0].reward, -1);
  EXPECT_EQ(outcomes[1].next_state, 24);
  EXPECT_EQ(outcomes[2].next_state, 36);
  EXPECT_EQ(outcomes[2].reward, -100);
  std::map<double, int> counts;
  for (uint64_t seed = 0; seed < 3000; ++seed) {
    env.Reset(seed);
    StepResult result;
    ASSERT_TRUE(env.Step(Action::Discrete(CliffWalking::kUp), &result).ok());
    ++counts[result.reward];
  }
  EXPECT_NEAR(counts[-100], 1000, 100);
  EXPECT_NEAR(counts[-1], 2000, 100);
}

TEST(CliffWalkingTest, DrawsTheGridAndTheElfAboveItsCell) {
  CliffWalking env;
  env.Reset(0);
  Canvas canvas(1, 1);
  env.Draw(&canvas);
  EXPECT_EQ(canvas.width(), 720);
  EXPECT_EQ(canvas.height(), 240);
  // The first rectangle is the darker grass of cell (0, 1), 60 pixels
  // wide; the elf's shapes are the last, lifted by 6 pixels: its boots end
  // at 0.92 of a cell.
  const PolygonShape* grass = nullptr;
  for (const Shape& shape : canvas.shapes()) {
    const auto* polygon = std::get_if<PolygonShape>(&shape);
    if (polygon != nullptr && polygon->points.size() == 4) {
      grass = polygon;
      break;
    }
  }
  ASSERT_NE(grass, nullptr);
  EXPECT_FLOAT_EQ(grass->points[0].x, 60);
  EXPECT_FLOAT_EQ(grass->points[2].x, 120);
  float lowest = 0;
  bool found_boot = false;
  for (const Shape& shape : canvas.shapes()) {
    const auto* polygon = std::get_if<PolygonShape>(&shape);
    if (polygon && polygon->color == Color{92, 58, 30, 255}) {
      for (const Point& p : polygon->points) lowest = std::max(lowest, p.y);
      found_boot = true;
    }
  }
  EXPECT_TRUE(found_boot);
  EXPECT_NEAR(lowest, 180 + 0.92f * 60 - 6, 1e-3);
}

}  // namespace
}  // namespace rl
