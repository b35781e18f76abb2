#include "rl/envs/toy_text/frozen_lake.h"

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

// The whole tables, against those built by
// rl/envs/testdata/gymnasium_reference.py, a plain-Python re-implementation
// of Gymnasium's FrozenLakeEnv.__init__ (frozen_lake.py), not by this code.
TEST(FrozenLakeTest, TransitionTablesMatchGymnasiums) {
  EXPECT_TRUE(TableMatchesGolden(FrozenLake(), "frozen_lake_4x4_slippery.txt"));
  FrozenLake::Options dry;
  dry.is_slippery = false;
  EXPECT_TRUE(TableMatchesGolden(FrozenLake(dry), "frozen_lake_4x4_dry.txt"));
  FrozenLake::Options eight;
  eight.map_name = "8x8";
  EXPECT_TRUE(
      TableMatchesGolden(FrozenLake(eight), "frozen_lake_8x8_slippery.txt"));
}

TEST(FrozenLakeTest, SlipperyMovesGoSidewaysAThirdOfTheTimeEach) {
  FrozenLake env;
  // Right from (1, 2) = state 6, in Gymnasium's order [(a - 1) % 4, a,
  // (a + 1) % 4]: down (2, 2) = 10, right (1, 3) = 7 (a hole), up (0, 2) = 2.
  const auto outcomes = env.transitions(6, FrozenLake::kRight);
  ASSERT_EQ(outcomes.size(), 3u);
  EXPECT_EQ(outcomes[0].next_state, 10);
  EXPECT_EQ(outcomes[1].next_state, 7);
  EXPECT_TRUE(outcomes[1].terminated);
  EXPECT_EQ(outcomes[2].next_state, 2);
  for (const auto& t : outcomes) EXPECT_DOUBLE_EQ(t.probability, 1.0 / 3.0);

  // Empirically: from (1, 2) pushing right, each outcome about a third.
  std::map<int, int> counts;
  for (uint64_t seed = 0; seed < 3000; ++seed) {
    env.Reset(seed);
    env.SetState(6);
    StepResult result;
    ASSERT_TRUE(env.Step(Action::Discrete(FrozenLake::kRight), &result).ok());
    ++counts[static_cast<int>(result.observation[0])];
  }
  for (int next : {2, 7, 10}) EXPECT_NEAR(counts[next], 1000, 100) << next;
}

// The deterministic lake along down, down, right, right, down, right reaches
// the goal on the sixth step (same Python re-implementation).
TEST(FrozenLakeTest, DryTrajectoryReachesTheGoal) {
  FrozenLake::Options options;
  options.is_slippery = false;
  FrozenLake env(options);
  EXPECT_EQ(env.Reset(0), Observation{0});
  const int actions[] = {1, 1, 2, 2, 1, 2};
  const int states[] = {4, 8, 9, 10, 14, 15};
  StepResult result;
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(env.Step(Action::Discrete(actions[i]), &result).ok());
    EXPECT_EQ(result.observation, Observation{static_cast<float>(states[i])});
    EXPECT_EQ(result.reward, i == 5 ? 1.0 : 0.0);
    EXPECT_EQ(result.terminated, i == 5);
  }
  EXPECT_EQ(env.Step(Action::Discrete(0), &result).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(FrozenLakeTest, FallingInAHoleTerminatesWithNothing) {
  FrozenLake::Options options;
  options.is_slippery = false;
  FrozenLake env(options);
  env.Reset(0);
  StepResult result;
  ASSERT_TRUE(env.Step(Action::Discrete(FrozenLake::kRight), &result).ok());
  ASSERT_TRUE(env.Step(Action::Discrete(FrozenLake::kDown), &result).ok());
  EXPECT_EQ(result.observation, Observation{5});
  EXPECT_TRUE(result.terminated);
  EXPECT_EQ(result.reward, 0.0);
}

TEST(FrozenLakeTest, RegisteredWithGymnasiumsLimitsAndSizes) {
  auto four = Envs().Create("FrozenLake-v1");
  auto eight = Envs().Create("FrozenLake8x8-v1");
  ASSERT_TRUE(four.ok() && eight.ok());
  EXPECT_EQ((*four)->spec().max_episode_steps, 100);
  EXPECT_EQ((*eight)->spec().max_episode_steps, 200);
  EXPECT_EQ((*four)->observation_space().n, 16);
  EXPECT_EQ((*eight)->observation_space().n, 64);
  EXPECT_EQ((*four)->spec().render_width, 256);
  EXPECT_EQ((*eight)->spec().render_width, 512);
}

// Gymnasium registers the time limit with the id: gym.make("FrozenLake-v1",
// map_name="8x8") is the 8x8 lake with FrozenLake-v1's 100 steps, and
// FrozenLake8x8-v1 keeps 200 whatever its map.
TEST(FrozenLakeTest, TheIdNotTheMapSetsTheTimeLimit) {
  auto v1_eight = CreateEnv("FrozenLake-v1", {{"map_name", "8x8"}});
  ASSERT_TRUE(v1_eight.ok()) << v1_eight.status();
  EXPECT_EQ((*v1_eight)->id(), "FrozenLake-v1");
  EXPECT_EQ((*v1_eight)->spec().max_episode_steps, 100);
  EXPECT_EQ((*v1_eight)->observation_space().n, 64);
  auto eight_four = CreateEnv("FrozenLake8x8-v1", {{"map_name", "4x4"}});
  ASSERT_TRUE(eight_four.ok()) << eight_four.status();
  EXPECT_EQ((*eight_four)->id(), "FrozenLake8x8-v1");
  EXPECT_EQ((*eight_four)->spec().max_episode_steps, 200);
  EXPECT_EQ((*eight_four)->observation_space().n, 16);

  // Truncated at the 100th step: never terminating (up from the start stays
  // put), the 8x8 lake made as FrozenLake-v1 ends after 100.
  FrozenLake::Options options;
  options.map_name = "8x8";
  options.is_slippery = false;
  options.id = "FrozenLake-v1";
  FrozenLake env(options);
  env.Reset(0);
  StepResult result;
  int steps = 0;
  while (!env.episode_over()) {
    ASSERT_TRUE(env.Step(Action::Discrete(FrozenLake::kUp), &result).ok());
    ++steps;
  }
  EXPECT_EQ(steps, 100);
  EXPECT_TRUE(result.truncated);
  EXPECT_FALSE(result.terminated);

  // Without an id, the map decides (the C++ API's convenience).
  options.id.clear();
  EXPECT_EQ(FrozenLake(options).id(), "FrozenLake8x8-v1");
  EXPECT_EQ(FrozenLake(options).spec().max_episode_steps, 200);
}

TEST(FrozenLakeTest, KwargsAreCheckedByName) {
  auto bad_rate = CreateEnv("FrozenLake-v1", {{"success_rate", "1.5"}});
  EXPECT_EQ(bad_rate.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad_rate.status().message(),
              HasSubstr("FrozenLake-v1: keyword argument success_rate=1.5 is "
                        "not a probability in [0, 1]"));
  EXPECT_THAT(
      CreateEnv("FrozenLake-v1", {{"is_slippery", "maybe"}}).status().message(),
      HasSubstr("is_slippery=maybe is not True or False"));
}

TEST(FrozenLakeTest, CreateChecksTheOptions) {
  FrozenLake::Options options;
  options.map_name = "5x5";
  EXPECT_THAT(FrozenLake::Create(options).status().message(),
              HasSubstr("valid values are 4x4, 8x8"));
  options.desc = {"SFX", "FFG"};
  EXPECT_THAT(FrozenLake::Create(options).status().message(),
              HasSubstr("tile 'X'"));
  options.desc = {"SF", "FFG"};
  EXPECT_FALSE(FrozenLake::Create(options).ok());
  options.desc = {"FF", "FG"};
  EXPECT_THAT(FrozenLake::Create(options).status().message(),
              HasSubstr("no start"));
  options.desc = {"SH", "FG"};
  options.success_rate = 1.5;
  EXPECT_FALSE(FrozenLake::Create(options).ok());
  options.success_rate = 1;
  options.id = "FrozenLake4x4-v1";
  EXPECT_THAT(FrozenLake::Create(options).status().message(),
              HasSubstr("valid ids are FrozenLake-v1, FrozenLake8x8-v1"));
  options.id.clear();
  auto custom = FrozenLake::Create(options);
  ASSERT_TRUE(custom.ok());
  EXPECT_EQ((*custom)->observation_space().n, 4);
  EXPECT_EQ((*custom)->spec().render_width, 128);
}

// Gymnasium's window: 64-pixel cells with a (180, 200, 230) outline, the elf
// last, on the current cell.
TEST(FrozenLakeTest, DrawsGymnasiumsGrid) {
  FrozenLake env;
  env.Reset(0);
  Canvas canvas(1, 1);
  env.Draw(&canvas);
  EXPECT_EQ(canvas.width(), 256);
  EXPECT_EQ(canvas.height(), 256);
  int grid_pieces = 0;
  for (const Shape& shape : canvas.shapes()) {
    const auto* polygon = std::get_if<PolygonShape>(&shape);
    if (polygon != nullptr && polygon->color == Color{180, 200, 230, 255}) {
      ++grid_pieces;
    }
  }
  EXPECT_EQ(grid_pieces, 16 * 4);
  // The elf stands in cell (0, 0): its shapes lie within it.
  const auto& last = std::get<CircleShape>(canvas.shapes().back());
  EXPECT_LT(last.center.x, 64);
  EXPECT_LT(last.center.y, 64);
}

}  // namespace
}  // namespace rl
