// Whole-table checks for the toy-text envs: a TabularEnv's transition table
// (Gymnasium's P[s][a]) against a golden text file written by an
// independent Python re-implementation of Gymnasium
// (rl/envs/testdata/gymnasium_reference.py --write_tables), one line per
// (state, action) with every outcome in Gymnasium's order:
//   s a probability,next_state,reward,terminated ...
// (probability to 12 significant digits, reward as %g, terminated 0/1;
// lines starting with '#' are comments). Everything is compared, in order:
// two actions' outcomes swapped, or two outcomes of one action, differ.
//
// Example (in a test):
//   EXPECT_TRUE(TableMatchesGolden(Taxi(), "taxi.txt"));
#ifndef RL_ENVS_TOY_TEXT_TABLE_GOLDEN_H_
#define RL_ENVS_TOY_TEXT_TABLE_GOLDEN_H_

#include <string>

#include "gtest/gtest.h"
#include "rl/envs/toy_text/tabular_env.h"

namespace rl {

// The golden line of (state, action) for `env`'s table.
std::string TableLine(const TabularEnv& env, int state, int action);

// Compares `env`'s whole table with rl/envs/toy_text/testdata/`name` (a
// test's data dependency; read relative to the workspace root, the test's
// working directory). Failure: the file is unreadable, the first line that
// differs (its state and action, both lines), or a missing or extra line.
::testing::AssertionResult TableMatchesGolden(const TabularEnv& env,
                                              const std::string& name);

}  // namespace rl

#endif  // RL_ENVS_TOY_TEXT_TABLE_GOLDEN_H_
