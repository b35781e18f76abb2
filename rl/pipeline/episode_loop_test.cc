#include "rl/pipeline/episode_loop.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "rl/agents/agent.h"
#include "rl/envs/env.h"

namespace rl {
namespace {

// Writes what it is told as lines: "reset 0 0", "step 0", "end 0 0 12",
// and keeps the run's numbers: every start and every end.
class Transcript : public EpisodeObserver {
 public:
  absl::Status OnReset(int env_index, const EpisodeStart& start,
                       const Env& env) override {
    EXPECT_EQ(env.elapsed_steps(), 0);
    lines.push_back(absl::StrCat("reset ", env_index, " ", start.env_episode));
    starts.push_back(start);
    return absl::OkStatus();
  }
  absl::Status OnStep(int env_index, const Env&, const StepResult&,
                      int64_t step) override {
    lines.push_back(absl::StrCat("step ", env_index));
    step_after.push_back(step);
    return absl::OkStatus();
  }
  absl::Status OnEpisodeEnd(const EpisodeRecord& record) override {
    lines.push_back(absl::StrCat("end ", record.env_index, " ",
                                 record.env_episode, " ", record.length));
    ends.push_back(record);
    return absl::OkStatus();
  }
  int Count(absl::string_view prefix) const {
    int n = 0;
    for (const std::string& line : lines) n += absl::StartsWith(line, prefix);
    return n;
  }
  std::vector<std::string> lines;
  std::vector<EpisodeStart> starts;
  std::vector<int64_t> step_after;
  std::vector<EpisodeRecord> ends;
};

// Counts the calls of each kind; acts 1 greedily, 0 otherwise.
class CountingAgent : public Agent {
 public:
  Action Act(const Observation&) override {
    ++acts;
    return Action::Discrete(0);
  }
  Action ActGreedy(const Observation&) override {
    ++greedy;
    return Action::Discrete(1);
  }
  absl::Status Observe(const Transition&) override {
    ++observed;
    return absl::OkStatus();
  }
  int acts = 0, greedy = 0, observed = 0;
};

std::vector<std::unique_ptr<Env>> MakeEnvs(const std::string& id, int n) {
  std::vector<std::unique_ptr<Env>> envs;
  for (int i = 0; i < n; ++i) envs.push_back(*Envs().Create(id));
  return envs;
}

EpisodeLoopOptions Seeded(bool learn) {
  EpisodeLoopOptions options;
  options.learn = learn;
  options.reset_seed = [](int env_index, int64_t episode) {
    return std::optional<uint64_t>(1000 * (env_index + 1) + episode);
  };
  return options;
}

TEST(EpisodeLoopTest, EpisodeBudgetStopsAfterTheLastEpisodeWithoutAReset) {
  CountingAgent agent;
  EpisodeLoop loop(&agent, MakeEnvs("CartPole-v1", 1), Seeded(false));
  Transcript transcript;
  loop.AddObserver(&transcript);
  EpisodeLoop::Budget budget;
  budget.episodes = 3;
  ASSERT_TRUE(loop.Run(budget).ok());
  ASSERT_EQ(loop.episodes().size(), 3u);
  EXPECT_EQ(transcript.Count("reset"), 3);  // None for a 4th episode.
  EXPECT_EQ(transcript.Count("end"), 3);
  EXPECT_EQ(transcript.lines.front(), "reset 0 0");
  EXPECT_EQ(transcript.lines.back(),
            absl::StrCat("end 0 2 ", loop.episodes()[2].length));
  // Greedy: no exploration, nothing learned, no statistics.
  EXPECT_EQ(agent.acts, 0);
  EXPECT_EQ(agent.observed, 0);
  EXPECT_EQ(agent.greedy, loop.steps());
  for (const EpisodeRecord& record : loop.episodes()) {
    EXPECT_TRUE(record.terminated);
    EXPECT_TRUE(record.stats.empty());
  }
  // A second Run() with a larger budget starts the next episode.
  budget.episodes = 4;
  ASSERT_TRUE(loop.Run(budget).ok());
  EXPECT_EQ(loop.episodes().size(), 4u);
  EXPECT_EQ(transcript.Count("reset"), 4);
}

TEST(EpisodeLoopTest, LearningActsAndObservesEveryStep) {
  CountingAgent agent;
  EpisodeLoop loop(&agent, MakeEnvs("CartPole-v1", 1), Seeded(true));
  EpisodeLoop::Budget budget;
  budget.steps = 100;
  ASSERT_TRUE(loop.Run(budget).ok());
  EXPECT_EQ(loop.steps(), 100);
  EXPECT_EQ(agent.acts, 100);
  EXPECT_EQ(agent.observed, 100);
  EXPECT_EQ(agent.greedy, 0);
}

TEST(EpisodeLoopTest, SameSeedsSameEpisodes) {
  std::vector<EpisodeRecord> runs[2];
  for (auto& run : runs) {
    std::vector<std::unique_ptr<Env>> envs = MakeEnvs("CartPole-v1", 1);
    AgentContext context;
    context.observation_space = envs[0]->observation_space();
    context.action_space = envs[0]->action_space();
    context.seed = 3;
    std::unique_ptr<Agent> agent = *Agents().Create("random", context);
    EpisodeLoop loop(agent.get(), std::move(envs), Seeded(false));
    EpisodeLoop::Budget budget;
    budget.episodes = 5;
    ASSERT_TRUE(loop.Run(budget).ok());
    run = loop.episodes();
  }
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(runs[0][i].length, runs[1][i].length);
    EXPECT_EQ(runs[0][i].episode_return, runs[1][i].episode_return);
  }
}

TEST(EpisodeLoopTest, MaxEpisodeStepsEndsAnEpisodeAsTruncated) {
  CountingAgent agent;
  EpisodeLoopOptions options = Seeded(false);
  options.max_episode_steps = 4;
  EpisodeLoop loop(&agent, MakeEnvs("MountainCar-v0", 1), options);
  EpisodeLoop::Budget budget;
  budget.episodes = 2;
  ASSERT_TRUE(loop.Run(budget).ok());
  ASSERT_EQ(loop.episodes().size(), 2u);
  for (const EpisodeRecord& record : loop.episodes()) {
    EXPECT_EQ(record.length, 4);
    EXPECT_FALSE(record.terminated);
    EXPECT_TRUE(record.truncated);
  }
}

TEST(EpisodeLoopTest, LockstepEnvsAreEachResetAndStepped) {
  CountingAgent agent;
  EpisodeLoop loop(&agent, MakeEnvs("CartPole-v1", 3), Seeded(true));
  Transcript transcript;
  loop.AddObserver(&transcript);
  EpisodeLoop::Budget budget;
  budget.steps = 300;
  ASSERT_TRUE(loop.Run(budget).ok());
  EXPECT_EQ(transcript.Count("step"), 300);
  EXPECT_EQ(transcript.Count("step 2"), 100);
  // Step budgets restart an ended episode at once: every end is followed
  // by a reset, and each env was reset once more than it ended.
  EXPECT_EQ(transcript.Count("reset"), 3 + transcript.Count("end"));
  // ActBatch's default calls Act() per env; ObserveBatch Observe().
  EXPECT_EQ(agent.acts, 300);
  EXPECT_EQ(agent.observed, 300);
}

// The run's numbering (observer.h): episodes numbered as they start, steps
// over all envs; an episode's end carries the number and the step its
// start and last OnStep said, so names given at the start and rows written
// at the end agree.
TEST(EpisodeLoopTest, EpisodesAreNumberedAsTheyStartAndStepsCountAllEnvs) {
  CountingAgent agent;
  EpisodeLoopOptions options = Seeded(true);
  options.step_weight = 2;  // As two data-parallel ranks count.
  EpisodeLoop loop(&agent, MakeEnvs("CartPole-v1", 3), options);
  Transcript transcript;
  loop.AddObserver(&transcript);
  EpisodeLoop::Budget budget;
  budget.steps = 600;
  ASSERT_TRUE(loop.Run(budget).ok());
  ASSERT_EQ(transcript.step_after.size(), 300u);
  // Every lockstep step of 3 envs adds 3 x 2 steps; each env's OnStep of
  // one lockstep step says the count after it.
  for (size_t k = 0; k < 300; ++k) {
    EXPECT_EQ(transcript.step_after[k], 6 * static_cast<int64_t>(k / 3 + 1));
  }
  ASSERT_GT(transcript.ends.size(), 10u);
  // Starts numbered 0, 1, 2, ...; the first three at step 0 in env order.
  for (size_t i = 0; i < transcript.starts.size(); ++i) {
    EXPECT_EQ(transcript.starts[i].episode, static_cast<int64_t>(i));
    if (i < 3) {
      EXPECT_EQ(transcript.starts[i].step, 0);
      EXPECT_EQ(transcript.starts[i].env_episode, 0);
    }
  }
  // Envs end episodes in another order than they started them (the
  // seeds differ): the numbers are the starts', not the order of ends.
  bool reordered = false;
  for (size_t i = 0; i < transcript.ends.size(); ++i) {
    reordered =
        reordered || transcript.ends[i].episode != static_cast<int64_t>(i);
  }
  EXPECT_TRUE(reordered);
  for (const EpisodeRecord& end : transcript.ends) {
    const EpisodeStart& start = transcript.starts.at(end.episode);
    EXPECT_EQ(end.env_episode, start.env_episode);
    EXPECT_EQ(end.step, start.step + 6 * end.length) << end.episode;
    EXPECT_EQ(loop.episodes()[&end - &transcript.ends[0]].episode, end.episode);
  }
  EXPECT_EQ(loop.episodes_started(),
            static_cast<int64_t>(transcript.starts.size()));
}

TEST(EpisodeLoopTest, StopAndObserverErrorsEndTheRun) {
  CountingAgent agent;
  EpisodeLoop loop(&agent, MakeEnvs("CartPole-v1", 1), Seeded(true));
  int asked = 0;
  ASSERT_TRUE(loop.Run({}, [&] { return ++asked > 7; }).ok());
  EXPECT_EQ(loop.steps(), 7);

  class Failing : public EpisodeObserver {
    absl::Status OnStep(int, const Env&, const StepResult&, int64_t) override {
      return absl::DataLossError("disk gone");
    }
  } failing;
  loop.AddObserver(&failing);
  absl::Status status = loop.Run({});
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(loop.steps(), 7);  // The failed step is not counted.
}

TEST(EpisodeLoopTest, StepsPerSecondPacesTheLoop) {
  CountingAgent agent;
  EpisodeLoopOptions options = Seeded(false);
  options.steps_per_second = 200;
  EpisodeLoop loop(&agent, MakeEnvs("CartPole-v1", 1), options);
  EpisodeLoop::Budget budget;
  budget.steps = 20;
  const double start = loop.Elapsed();
  ASSERT_TRUE(loop.Run(budget).ok());
  // 20 steps at 200 a second cannot take less than 0.1 s (a lower bound
  // only: a loaded machine may take longer).
  EXPECT_GE(loop.Elapsed() - start, 0.095);
}

}  // namespace
}  // namespace rl
