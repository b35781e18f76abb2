// Learning tests: real agents on real envs, fixed seeds, budgets in env
// steps (never wall time). Each test is parameterized by the training seed
// (Learning.PpoCartPole/seed1); each BUILD target runs one (pair, seed) by
// --gtest_filter, so they run in parallel and can be tagged separately.
//
// Learning.* ("reaches"): greedy evaluations every `eval_every` steps; the
// test passes at the first evaluation that reaches the target, and fails if
// none does within the budget. This is the issue's "reaches X within N
// steps"; these run in CI.
// FinalLearning.*: train for the whole budget and require the target from
// the final policy; the BUILD file says which run in CI (the quick ones).
#include <iostream>
#include <string>

#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "rl/agents/defaults.h"
#include "rl/agents/hyperparams.h"
#include "rl/pipeline/trainer.h"

namespace rl {
namespace {

constexpr uint64_t kEvalSeed = 12345;

struct Goal {
  std::string agent;
  std::string env;
  int64_t eval_every;
  int eval_episodes;
  double target;  // Mean greedy return to reach (success rate for 0/1 rewards).
};

// Trains with the defaults table's hyper-parameters and budget; evaluates
// every goal.eval_every steps. Returns the step of the first evaluation at
// or above the target (stop_early), or checks the final one.
void Learn(const Goal& goal, uint64_t seed, bool stop_early) {
  const int64_t budget = DefaultTrainingSteps(goal.agent, goal.env);
  ASSERT_GT(budget, 0) << "no defaults row for " << goal.agent << " on "
                       << goal.env;
  TrainerOptions options;
  options.env_id = goal.env;
  options.agent = goal.agent;
  options.seed = seed;
  auto trainer = Trainer::Create(options);
  ASSERT_TRUE(trainer.ok()) << trainer.status();
  std::cout << goal.agent << " on " << goal.env << ", seed " << seed
            << ", budget " << budget << " steps, target " << goal.target
            << "\n  " << FormatHyperParams((*trainer)->options().hyperparams)
            << "\n";
  double best = -1e300;
  for (int64_t until = goal.eval_every;; until += goal.eval_every) {
    until = std::min(until, budget);
    const absl::Status status = (*trainer)->Run(until);
    ASSERT_TRUE(status.ok()) << status;
    auto eval =
        Evaluate((*trainer)->agent(), goal.env, goal.eval_episodes, kEvalSeed);
    ASSERT_TRUE(eval.ok()) << eval.status();
    const double seconds = (*trainer)->episodes().empty()
                               ? 0.0
                               : (*trainer)->episodes().back().seconds;
    std::cout << absl::StrFormat(
                     "  step %7d  %6.1f s  greedy mean return %9.3f +- %7.3f "
                     "over %d episodes\n",
                     (*trainer)->steps(), seconds, eval->mean_return,
                     eval->std_return, goal.eval_episodes)
              << std::flush;
    best = std::max(best, eval->mean_return);
    if (stop_early && eval->mean_return >= goal.target) {
      std::cout << "  reached " << goal.target << " at step "
                << (*trainer)->steps() << "\n";
      return;
    }
    if (until >= budget) {
      if (stop_early) {
        ADD_FAILURE() << goal.agent << " on " << goal.env << " did not reach "
                      << goal.target << " within " << budget << " steps (seed "
                      << seed << "); best " << best;
      } else {
        EXPECT_GE(eval->mean_return, goal.target)
            << goal.agent << " on " << goal.env << " after " << budget
            << " steps (seed " << seed << ")";
      }
      return;
    }
  }
}

const Goal kPpoCartPole{"ppo", "CartPole-v1", 10000, 20, 475};
const Goal kDqnCartPole{"dqn", "CartPole-v1", 10000, 20, 400};
const Goal kQLearningFrozenLake{"q_learning", "FrozenLake-v1", 50000, 1000,
                                0.7};
const Goal kPpoAcrobot{"ppo", "Acrobot-v1", 20000, 20, -100};
const Goal kPpoPendulum{"ppo", "Pendulum-v1", 25000, 20, -400};
const Goal kPpoMountainCar{"ppo", "MountainCar-v0", 20000, 20, -110};
// Twice the random agent's mean return (about 420 over 1000 episodes).
const Goal kPpoMazeChase{"ppo", "MazeChase-v0", 50000, 20, 850};
// MuJoCo (issue 13): mean of 10 greedy episodes.
const Goal kPpoInvertedPendulum{"ppo", "InvertedPendulum-v5", 5000, 10, 950};
// Not in issue 13; 9100 is Gymnasium's reward_threshold.
const Goal kPpoInvertedDoublePendulum{"ppo", "InvertedDoublePendulum-v5", 25000,
                                      10, 9100};
// Issue 13 asks for >= -10 within 500k steps, but the untrained greedy
// policy (actions near 0) already scores about -9.9 there, so -10 would pass
// without learning; -6 needs learning (about -4.2 at the end) and implies
// the issue's -10.
const Goal kPpoReacher{"ppo", "Reacher-v5", 10000, 10, -6};
const Goal kPpoHalfCheetah{"ppo", "HalfCheetah-v5", 20000, 10, 1500};

// The training seed is the parameter; the BUILD file picks the seeds per
// pair (0-2 for the classic-control ones, 0 for the slower rest).
class Learning : public testing::TestWithParam<uint64_t> {};
class FinalLearning : public testing::TestWithParam<uint64_t> {};

// One line per pair: Learning.NAME (reaches) and FinalLearning.NAME (holds).
#define LEARNING_PAIR(NAME, GOAL)                           \
  TEST_P(Learning, NAME) { Learn(GOAL, GetParam(), true); } \
  TEST_P(FinalLearning, NAME) { Learn(GOAL, GetParam(), false); }

LEARNING_PAIR(PpoCartPole, kPpoCartPole)
LEARNING_PAIR(DqnCartPole, kDqnCartPole)
LEARNING_PAIR(QLearningFrozenLake, kQLearningFrozenLake)
LEARNING_PAIR(PpoAcrobot, kPpoAcrobot)
LEARNING_PAIR(PpoPendulum, kPpoPendulum)
LEARNING_PAIR(PpoMountainCar, kPpoMountainCar)
LEARNING_PAIR(PpoMazeChase, kPpoMazeChase)
LEARNING_PAIR(PpoInvertedPendulum, kPpoInvertedPendulum)
LEARNING_PAIR(PpoInvertedDoublePendulum, kPpoInvertedDoublePendulum)
LEARNING_PAIR(PpoReacher, kPpoReacher)
LEARNING_PAIR(PpoHalfCheetah, kPpoHalfCheetah)

// Test names end in /seedN: Learning.PpoCartPole/seed1.
std::string SeedName(const testing::TestParamInfo<uint64_t>& info) {
  return "seed" + std::to_string(info.param);
}
INSTANTIATE_TEST_SUITE_P(, Learning, testing::Range<uint64_t>(0, 3), SeedName);
INSTANTIATE_TEST_SUITE_P(, FinalLearning, testing::Range<uint64_t>(0, 3),
                         SeedName);

}  // namespace
}  // namespace rl
