#include "rl/envs/toy_text/table_golden.h"

#include <fstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace rl {

std::string TableLine(const TabularEnv& env, int state, int action) {
  std::vector<std::string> outcomes;
  for (const TabularEnv::Transition& t : env.transitions(state, action)) {
    outcomes.push_back(absl::StrFormat("%.12g,%d,%g,%d", t.probability,
                                       t.next_state, t.reward,
                                       t.terminated ? 1 : 0));
  }
  return absl::StrCat(state, " ", action, " ", absl::StrJoin(outcomes, " "));
}

::testing::AssertionResult TableMatchesGolden(const TabularEnv& env,
                                              const std::string& name) {
  const std::string path = "rl/envs/toy_text/testdata/" + name;
  std::ifstream file(path);
  if (!file) {
    return ::testing::AssertionFailure()
           << "cannot read " << path
           << " (is it in the test's data? rewrite it with python3 "
              "rl/envs/testdata/gymnasium_reference.py --write_tables)";
  }
  std::vector<std::string> golden;
  for (std::string line; std::getline(file, line);) {
    if (!line.empty() && line[0] != '#') golden.push_back(line);
  }
  const size_t rows = static_cast<size_t>(env.num_states()) * env.num_actions();
  for (size_t i = 0; i < rows; ++i) {
    const int state = static_cast<int>(i / env.num_actions());
    const int action = static_cast<int>(i % env.num_actions());
    const std::string actual = TableLine(env, state, action);
    if (i >= golden.size()) {
      return ::testing::AssertionFailure()
             << path << " ends before state " << state << " action " << action
             << " (" << golden.size() << " lines for " << rows
             << " (state, action) pairs)";
    }
    if (actual != golden[i]) {
      return ::testing::AssertionFailure()
             << "state " << state << " action " << action << " differs from "
             << path << "\n  golden: " << golden[i] << "\n  env:    " << actual;
    }
  }
  if (golden.size() != rows) {
    return ::testing::AssertionFailure()
           << path << " has " << golden.size() << " lines, the env's table "
           << rows << " (state, action) pairs";
  }
  return ::testing::AssertionSuccess();
}

}  // namespace rl
