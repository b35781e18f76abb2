#include "rl/envs/toy_text/table_golden.h"

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/canvas/canvas.h"
#include "rl/envs/toy_text/frozen_lake.h"
#include "rl/envs/toy_text/tabular_env.h"
#include "rl/envs/toy_text/taxi.h"

namespace rl {
namespace {

using ::testing::HasSubstr;
using Transition = TabularEnv::Transition;

std::vector<Transition> Outcomes(const TabularEnv& env, int state, int action) {
  const auto span = env.transitions(state, action);
  return {span.begin(), span.end()};
}

// Another env's table, each (state, action) given by `outcomes`: the
// mistakes a whole-table check must see.
class EditedTable : public TabularEnv {
 public:
  using Edit = std::function<std::vector<Transition>(int state, int action)>;
  EditedTable(const TabularEnv& source, const Edit& outcomes)
      : TabularEnv(source.spec(), source.num_states(), source.num_actions()) {
    for (int s = 0; s < num_states(); ++s) {
      for (int a = 0; a < num_actions(); ++a) {
        for (const Transition& t : outcomes(s, a)) AddTransition(s, a, t);
      }
    }
    SetInitialDistribution(source.initial_distribution());
  }
  void Draw(Canvas* canvas) const override { canvas->Reset(1, 1, kWhite); }
};

TEST(TableGoldenTest, AnExactCopyMatches) {
  const Taxi taxi;
  EXPECT_TRUE(TableMatchesGolden(
      EditedTable(taxi, [&](int s, int a) { return Outcomes(taxi, s, a); }),
      "taxi.txt"));
}

// The old check, a probability-weighted sum over the table, gave every
// action the same weight whatever its outcomes, so it could not see this.
TEST(TableGoldenTest, TwoActionsSwappedAreCaught) {
  const Taxi taxi;
  const int state = Taxi::Encode(2, 2, 1, 2);  // In the open: all moves move.
  const EditedTable swapped(taxi, [&](int s, int a) {
    if (s == state && a == Taxi::kSouth) return Outcomes(taxi, s, Taxi::kNorth);
    if (s == state && a == Taxi::kNorth) return Outcomes(taxi, s, Taxi::kSouth);
    return Outcomes(taxi, s, a);
  });
  const ::testing::AssertionResult result =
      TableMatchesGolden(swapped, "taxi.txt");
  ASSERT_FALSE(result);
  EXPECT_THAT(result.message(), HasSubstr("state 246 action 0 differs"));
  EXPECT_THAT(result.message(), HasSubstr("golden: 246 0 1,346,-1,0"));
  EXPECT_THAT(result.message(), HasSubstr("env:    246 0 1,146,-1,0"));
}

TEST(TableGoldenTest, TwoOutcomesOfOneActionSwappedAreCaught) {
  const FrozenLake lake;  // Slippery: three outcomes of a third each.
  const EditedTable reordered(lake, [&](int s, int a) {
    std::vector<Transition> outcomes = Outcomes(lake, s, a);
    if (s == 6 && a == FrozenLake::kRight) {
      std::swap(outcomes[0], outcomes[2]);
    }
    return outcomes;
  });
  const ::testing::AssertionResult result =
      TableMatchesGolden(reordered, "frozen_lake_4x4_slippery.txt");
  ASSERT_FALSE(result);
  EXPECT_THAT(result.message(), HasSubstr("state 6 action 2 differs"));
}

TEST(TableGoldenTest, AMissingFileSaysHowToWriteIt) {
  const ::testing::AssertionResult result =
      TableMatchesGolden(Taxi(), "no_such_table.txt");
  ASSERT_FALSE(result);
  EXPECT_THAT(result.message(), HasSubstr("--write_tables"));
}

}  // namespace
}  // namespace rl
