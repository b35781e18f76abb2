#include "rl/envs/toy_text/taxi.h"

#include <map>
#include <memory>
#include <set>
#include <utility>
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
// plain-Python re-implementation of Gymnasium's TaxiEnv (taxi.py, v4's
// _build_transitions, dry and rainy), not from this code.
TEST(TaxiTest, TransitionTablesMatchGymnasiums) {
  EXPECT_TRUE(TableMatchesGolden(Taxi(), "taxi.txt"));
  Taxi::Options rainy;
  rainy.is_rainy = true;
  EXPECT_TRUE(TableMatchesGolden(Taxi(rainy), "taxi_rainy.txt"));
}

// Gymnasium 1.3's own cases (tests/envs/toy_text/test_taxi.py,
// test_rainy_transition_targets): (ahead, left, right) cells in P's order.
TEST(TaxiTest, RainySideMovesAreGymnasiums) {
  Taxi::Options options;
  options.is_rainy = true;
  const Taxi env(options);
  using Cell = std::pair<int, int>;
  auto cells = [&](int row, int col, int action) {
    std::vector<Cell> out;
    for (const auto& t :
         env.transitions(Taxi::Encode(row, col, 0, 1), action)) {
      const auto [r, c, p, d] = Taxi::Decode(t.next_state);
      out.push_back({r, c});
    }
    return out;
  };
  // Left and right of the heading, from (1, 3).
  EXPECT_EQ(cells(1, 3, Taxi::kSouth),
            (std::vector<Cell>{{2, 3}, {1, 4}, {1, 2}}));
  EXPECT_EQ(cells(1, 3, Taxi::kNorth),
            (std::vector<Cell>{{0, 3}, {1, 2}, {1, 4}}));
  EXPECT_EQ(cells(1, 3, Taxi::kEast),
            (std::vector<Cell>{{1, 4}, {0, 3}, {2, 3}}));
  EXPECT_EQ(cells(1, 3, Taxi::kWest),
            (std::vector<Cell>{{1, 2}, {2, 3}, {0, 3}}));
  // North/south side moves are not stopped by an east/west wall.
  EXPECT_EQ(cells(2, 1, Taxi::kEast),
            (std::vector<Cell>{{2, 2}, {1, 1}, {3, 1}}));
  // A blocked move stays put whatever the draw.
  EXPECT_EQ(cells(4, 3, Taxi::kSouth), (std::vector<Cell>(3, {4, 3})));
  EXPECT_EQ(cells(0, 1, Taxi::kEast), (std::vector<Cell>(3, {0, 1})));
  // A side move into a wall stays put.
  EXPECT_EQ(cells(0, 2, Taxi::kSouth),
            (std::vector<Cell>{{1, 2}, {0, 3}, {0, 2}}));
  for (int action : {Taxi::kPickup, Taxi::kDropoff}) {
    ASSERT_EQ(env.transitions(0, action).size(), 1u);
    EXPECT_EQ(env.transitions(0, action)[0].probability, 1.0);
  }
  // rainy_probability sets ahead; the rest is split evenly.
  options.rainy_probability = 0.5;
  const Taxi even(options);
  const auto outcomes = even.transitions(0, Taxi::kSouth);
  ASSERT_EQ(outcomes.size(), 3u);
  EXPECT_DOUBLE_EQ(outcomes[0].probability, 0.5);
  EXPECT_DOUBLE_EQ(outcomes[1].probability, 0.25);
  EXPECT_DOUBLE_EQ(outcomes[2].probability, 0.25);
}

// Stepped, not read from the table: south from (2, 2) in the rain lands
// south 80% of the time and east or west (left or right of the heading)
// about 10% each.
TEST(TaxiTest, RainyStepsVeerAFifthOfTheTime) {
  auto env = CreateEnv("Taxi-v4", {{"is_rainy", "True"}});
  ASSERT_TRUE(env.ok()) << env.status();
  auto* taxi = dynamic_cast<Taxi*>(env->get());
  ASSERT_NE(taxi, nullptr);
  constexpr int kSteps = 20000;
  std::map<std::pair<int, int>, int> landed;
  StepResult result;
  taxi->Reset(7);
  for (int i = 0; i < kSteps; ++i) {
    if (taxi->episode_over()) taxi->Reset();
    taxi->SetState(Taxi::Encode(2, 2, 1, 2));
    ASSERT_TRUE(taxi->Step(Action::Discrete(Taxi::kSouth), &result).ok());
    EXPECT_EQ(result.reward, -1);
    const auto [row, col, passenger, destination] = Taxi::Decode(taxi->s());
    ++landed[{row, col}];
  }
  EXPECT_EQ(landed.size(), 3u);
  const double south = landed[std::pair(3, 2)] / double{kSteps};
  const double east = landed[std::pair(2, 3)] / double{kSteps};
  const double west = landed[std::pair(2, 1)] / double{kSteps};
  EXPECT_NEAR(south, 0.8, 0.015);
  EXPECT_NEAR(east, 0.1, 0.01);
  EXPECT_NEAR(west, 0.1, 0.01);
  EXPECT_NEAR(east + west, 0.2, 0.015);
}

// The scripted ride of a fickle passenger: put the taxi at the passenger's
// stand, pick them up, drive one cell away. Returns the destinations before
// and after the move.
std::pair<int, int> FickleRide(Taxi& taxi, uint64_t seed) {
  taxi.Reset(seed);
  const auto [row, col, passenger, destination] = Taxi::Decode(taxi.s());
  constexpr int kStands[4][2] = {{0, 0}, {0, 4}, {4, 0}, {4, 3}};
  const int stand_row = kStands[passenger][0];
  const int stand_col = kStands[passenger][1];
  taxi.SetState(Taxi::Encode(stand_row, stand_col, passenger, destination));
  StepResult result;
  EXPECT_TRUE(taxi.Step(Action::Discrete(Taxi::kPickup), &result).ok());
  // South from the top row, north from the bottom one: always a move.
  EXPECT_TRUE(
      taxi.Step(Action::Discrete(stand_row == 0 ? Taxi::kSouth : Taxi::kNorth),
                &result)
          .ok());
  const auto after = Taxi::Decode(static_cast<int>(result.observation[0]));
  EXPECT_NE(after[0], stand_row);      // It moved,
  EXPECT_EQ(after[2], Taxi::kInTaxi);  // with the passenger aboard.
  return {destination, after[3]};
}

TEST(TaxiTest, AFicklePassengerChangesTheirMindInAboutThirtyPercent) {
  auto env = CreateEnv("Taxi-v4", {{"fickle_passenger", "True"}});
  ASSERT_TRUE(env.ok()) << env.status();
  auto* taxi = dynamic_cast<Taxi*>(env->get());
  ASSERT_NE(taxi, nullptr);
  constexpr int kEpisodes = 4000;
  int changed = 0;
  std::map<int, int> new_destinations;
  for (uint64_t seed = 0; seed < kEpisodes; ++seed) {
    const auto [before, after] = FickleRide(*taxi, seed);
    if (before != after) {
      ++changed;
      ++new_destinations[(after - before + 4) % 4];
    }
    EXPECT_FALSE(taxi->fickle_pending());  // Once per episode at most.
  }
  EXPECT_NEAR(changed / double{kEpisodes}, 0.3, 0.03);
  // Uniform over the three other destinations.
  ASSERT_EQ(new_destinations.size(), 3u);
  for (const auto& [offset, count] : new_destinations) {
    EXPECT_NEAR(count / double(changed), 1.0 / 3, 0.05) << offset;
  }
}

TEST(TaxiTest, AFicklePassengerChangesTheirMindOnlyOnTheFirstMoveAboard) {
  Taxi::Options options;
  options.fickle_passenger = true;
  options.fickle_probability = 1;  // Always fickle: Gymnasium's extreme case.
  Taxi taxi(options);
  taxi.Reset(3);
  EXPECT_TRUE(taxi.fickle_pending());
  // Moving without the passenger does not count.
  taxi.SetState(Taxi::Encode(2, 2, 0, 3));
  StepResult result;
  ASSERT_TRUE(taxi.Step(Action::Discrete(Taxi::kNorth), &result).ok());
  EXPECT_EQ(Taxi::Decode(taxi.s())[3], 3);
  EXPECT_TRUE(taxi.fickle_pending());
  // Nor does a move into a wall with the passenger aboard: (0, 1) east.
  taxi.SetState(Taxi::Encode(0, 1, Taxi::kInTaxi, 3));
  ASSERT_TRUE(taxi.Step(Action::Discrete(Taxi::kEast), &result).ok());
  EXPECT_EQ(taxi.s(), Taxi::Encode(0, 1, Taxi::kInTaxi, 3));
  EXPECT_TRUE(taxi.fickle_pending());
  // The first real move does, once.
  ASSERT_TRUE(taxi.Step(Action::Discrete(Taxi::kWest), &result).ok());
  const int destination = Taxi::Decode(taxi.s())[3];
  EXPECT_NE(destination, 3);
  EXPECT_EQ(result.observation, Observation{static_cast<float>(taxi.s())});
  EXPECT_FALSE(taxi.fickle_pending());
  // Dropped at B (never the new destination: that changed away from B) and
  // picked up again: no second change.
  taxi.SetState(Taxi::Encode(4, 3, Taxi::kInTaxi, destination));
  ASSERT_TRUE(taxi.Step(Action::Discrete(Taxi::kDropoff), &result).ok());
  EXPECT_EQ(Taxi::Decode(taxi.s())[2], 3);
  ASSERT_TRUE(taxi.Step(Action::Discrete(Taxi::kPickup), &result).ok());
  ASSERT_TRUE(taxi.Step(Action::Discrete(Taxi::kNorth), &result).ok());
  EXPECT_EQ(taxi.s(), Taxi::Encode(3, 3, Taxi::kInTaxi, destination));

  options.fickle_probability = 0;  // Never.
  Taxi steady(options);
  for (uint64_t seed = 0; seed < 50; ++seed) {
    const auto [before, after] = FickleRide(steady, seed);
    EXPECT_EQ(before, after);
  }
}

TEST(TaxiTest, RainAndFicklenessAreSeeded) {
  const EnvKwargs kwargs = {{"is_rainy", "True"}, {"fickle_passenger", "True"}};
  auto a = CreateEnv("Taxi-v4", kwargs);
  auto b = CreateEnv("Taxi-v4", kwargs);
  ASSERT_TRUE(a.ok() && b.ok());
  for (uint64_t seed : {1, 2, 3}) {
    EXPECT_EQ((*a)->Reset(seed), (*b)->Reset(seed));
    StepResult ra, rb;
    for (int i = 0; i < 60 && !(*a)->episode_over(); ++i) {
      const Action action = Action::Discrete(i * 7 % 6);
      ASSERT_TRUE((*a)->Step(action, &ra).ok());
      ASSERT_TRUE((*b)->Step(action, &rb).ok());
      ASSERT_EQ(ra.observation, rb.observation) << seed << " " << i;
    }
  }
}

TEST(TaxiTest, KwargsAreCheckedByName) {
  EXPECT_EQ((*CreateEnv("Taxi-v4", {{"is_rainy", "True"}}))->id(), "Taxi-v4");
  const auto bad_bool = CreateEnv("Taxi-v4", {{"is_rainy", "2"}});
  EXPECT_EQ(bad_bool.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad_bool.status().message(),
              HasSubstr("Taxi-v4: keyword argument is_rainy=2 is not True or "
                        "False"));
  EXPECT_THAT(
      CreateEnv("Taxi-v4", {{"fickle_probability", "1.5"}}).status().message(),
      HasSubstr("fickle_probability=1.5 is not a probability in [0, 1]"));
  EXPECT_THAT(
      CreateEnv("Taxi-v4", {{"rainy_probability", "-0.1"}}).status().message(),
      HasSubstr("rainy_probability=-0.1 is not a probability in [0, 1]"));
  EXPECT_THAT(CreateEnv("Taxi-v4", {{"is_raining", "True"}}).status().message(),
              HasSubstr("unknown keyword argument is_raining; valid keys are "
                        "fickle_passenger, fickle_probability, is_rainy, "
                        "max_episode_steps, rainy_probability"));
  Taxi::Options options;
  options.rainy_probability = 2;
  EXPECT_THAT(Taxi::Create(options).status().message(),
              HasSubstr("rainy_probability 2 is outside [0, 1]"));
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
