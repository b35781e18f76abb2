#include "rl/envs/toy_text/taxi.h"

#include <memory>
#include <set>
#include <variant>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/canvas/canvas.h"
#include "rl/envs/env.h"
#include "rl/envs/toy_text/table_golden.h"

namespace rl {
namespace {

// The whole table, against the one built by
// rl/envs/testdata/gymnasium_reference.py, a plain-Python re-implementation
// of Gymnasium's TaxiEnv (taxi.py, _build_dry_transitions, v4's default),
// not by this code.
TEST(TaxiTest, TransitionTableMatchesGymnasiums) {
  EXPECT_TRUE(TableMatchesGolden(Taxi(), "taxi.txt"));
}

TEST(TaxiTest, EncodeAndDecodeAreInverse) {
  EXPECT_EQ(Taxi::Encode(2, 2, 1, 2), 246);
  EXPECT_EQ(Taxi::Decode(246), (std::array<int, 4>{2, 2, 1, 2}));
  for (int s = 0; s < 500; ++s) {
    const auto [r, c, p, d] = Taxi::Decode(s);
    EXPECT_EQ(Taxi::Encode(r, c, p, d), s);
  }
}

// From (2, 2) with the passenger at G and the destination Y: up twice, east
// twice, pick up, down twice, west four times, down twice, drop off.
TEST(TaxiTest, AFullRideMatchesGymnasiumsTable) {
  Taxi env;
  env.Reset(0);
  env.SetState(Taxi::Encode(2, 2, 1, 2));
  const int actions[] = {1, 1, 2, 2, 4, 0, 0, 3, 3, 3, 3, 0, 0, 5};
  const int states[] = {146, 46,  66,  86,  98,  198, 298,
                        278, 258, 238, 218, 318, 418, 410};
  StepResult result;
  double total = 0;
  for (int i = 0; i < 14; ++i) {
    ASSERT_TRUE(env.Step(Action::Discrete(actions[i]), &result).ok());
    EXPECT_EQ(result.observation, Observation{static_cast<float>(states[i])})
        << i;
    EXPECT_EQ(result.terminated, i == 13);
    total += result.reward;
  }
  EXPECT_EQ(result.reward, 20);
  EXPECT_EQ(total, -13 + 20);
}

TEST(TaxiTest, IllegalPickupAndDropoffCostTen) {
  Taxi env;
  env.Reset(0);
  env.SetState(246);
  StepResult result;
  ASSERT_TRUE(env.Step(Action::Discrete(Taxi::kPickup), &result).ok());
  EXPECT_EQ(result.reward, -10);
  ASSERT_TRUE(env.Step(Action::Discrete(Taxi::kDropoff), &result).ok());
  EXPECT_EQ(result.reward, -10);
  EXPECT_EQ(result.observation, Observation{246});
  // Dropping the passenger at the wrong stand leaves them there.
  env.SetState(Taxi::Encode(0, 4, Taxi::kInTaxi, 2));
  ASSERT_TRUE(env.Step(Action::Discrete(Taxi::kDropoff), &result).ok());
  EXPECT_EQ(result.reward, -1);
  EXPECT_EQ(result.observation, Observation{86});
  EXPECT_FALSE(result.terminated);
}

TEST(TaxiTest, ResetCoversTheThreeHundredStartStates) {
  Taxi env;
  std::set<int> starts;
  for (uint64_t seed = 0; seed < 6000; ++seed) {
    env.Reset(seed);
    const auto [row, col, passenger, destination] = Taxi::Decode(env.s());
    ASSERT_LT(passenger, 4);
    ASSERT_NE(passenger, destination);
    starts.insert(env.s());
  }
  EXPECT_EQ(starts.size(), 300u);
}

TEST(TaxiTest, ActionMaskFollowsWallsAndStands) {
  Taxi env;
  // (0, 1): a wall to the east ("|R: |"), the edge to the north.
  EXPECT_EQ(env.ActionMask(Taxi::Encode(0, 1, 0, 1)),
            (std::array<int, 6>{1, 0, 0, 1, 0, 0}));
  // At R with the passenger there: pickup allowed.
  EXPECT_EQ(env.ActionMask(Taxi::Encode(0, 0, 0, 1)),
            (std::array<int, 6>{1, 0, 1, 0, 1, 0}));
  // Passenger aboard at B: dropoff allowed.
  EXPECT_EQ(env.ActionMask(Taxi::Encode(4, 3, 4, 0))[Taxi::kDropoff], 1);
}

TEST(TaxiTest, DrawsGymnasiumsLayout) {
  Taxi env;
  env.Reset(0);
  env.SetState(Taxi::Encode(2, 2, 1, 2));
  Canvas canvas(1, 1);
  env.Draw(&canvas);
  EXPECT_EQ(canvas.width(), 550);
  EXPECT_EQ(canvas.height(), 350);
  // The four stand tints, alpha 128, 10 pixels below their cell: R at
  // ((0 * 2 + 1) * 50, (0 + 1) * 50 + 10).
  std::vector<const PolygonShape*> tints;
  for (const Shape& shape : canvas.shapes()) {
    const auto* polygon = std::get_if<PolygonShape>(&shape);
    if (polygon && polygon->color.a == 128) tints.push_back(polygon);
  }
  ASSERT_EQ(tints.size(), 4u);
  EXPECT_EQ(tints[0]->color, (Color{255, 0, 0, 128}));
  EXPECT_FLOAT_EQ(tints[0]->points[0].x, 50);
  EXPECT_FLOAT_EQ(tints[0]->points[0].y, 60);
  EXPECT_FLOAT_EQ(tints[3]->points[0].x, (3 * 2 + 1) * 50);
  EXPECT_FLOAT_EQ(tints[3]->points[0].y, 5 * 50 + 10);
}

}  // namespace
}  // namespace rl
