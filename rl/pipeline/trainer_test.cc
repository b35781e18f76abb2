#include "rl/pipeline/trainer.h"

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "rl/agents/checkpoint.h"
#include "rl/agents/test_envs.h"

namespace rl {
namespace {

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return absl::StrCat(dir != nullptr ? dir : "/tmp", "/", name);
}

TrainerOptions Options(std::string env, std::string agent, uint64_t seed,
                       HyperParams hyperparams = {}) {
  TrainerOptions options;
  options.env_id = std::move(env);
  options.agent = std::move(agent);
  options.seed = seed;
  options.hyperparams = std::move(hyperparams);
  return options;
}

TEST(TrainerTest, RandomAgentOnCartPole) {
  auto trainer = Trainer::Create(Options("CartPole-v1", "random", 1));
  ASSERT_TRUE(trainer.ok()) << trainer.status();
  ASSERT_TRUE((*trainer)->Run(1000).ok());
  EXPECT_EQ((*trainer)->steps(), 1000);
  const auto& episodes = (*trainer)->episodes();
  ASSERT_GT(episodes.size(), 10u);
  int64_t total = 0;
  for (size_t i = 0; i < episodes.size(); ++i) {
    const EpisodeRecord& r = episodes[i];
    EXPECT_EQ(r.episode, static_cast<int64_t>(i));
    EXPECT_EQ(r.env_episode, static_cast<int64_t>(i));
    EXPECT_EQ(r.episode_return, r.length);  // Reward 1 per step.
    EXPECT_TRUE(r.terminated);              // Random play never lasts 500.
    total += r.length;
    EXPECT_EQ(r.step, total);
  }
  // Run() takes a total: a smaller one does nothing, a larger one continues.
  ASSERT_TRUE((*trainer)->Run(500).ok());
  EXPECT_EQ((*trainer)->steps(), 1000);
}

TEST(TrainerTest, NamesAndHyperParametersAreChecked) {
  auto env = Trainer::Create(Options("CartPole-v9", "ppo", 0));
  EXPECT_EQ(env.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(env.status().message().find("unknown env 'CartPole-v9'"),
            std::string::npos);
  auto agent = Trainer::Create(Options("CartPole-v1", "a2c", 0));
  EXPECT_NE(agent.status().message().find("unknown agent 'a2c': valid values"),
            std::string::npos);
  auto param = Trainer::Create(Options("CartPole-v1", "ppo", 0, {{"lr", "1"}}));
  EXPECT_NE(param.status().message().find("ppo: unknown hyper-parameter 'lr'"),
            std::string::npos);
  auto random =
      Trainer::Create(Options("CartPole-v1", "random", 0, {{"x", "1"}}));
  EXPECT_EQ(random.status().code(), absl::StatusCode::kInvalidArgument);
  auto table = Trainer::Create(Options("Pendulum-v1", "q_learning", 0));
  EXPECT_NE(table.status().message().find("use dqn or ppo"), std::string::npos);
}

TEST(TrainerTest, ResolvedHyperParametersIncludeTheDefaults) {
  auto trainer = Trainer::Create(
      Options("CartPole-v1", "ppo", 0, {{"learning_rate", "5e-4"}}));
  ASSERT_TRUE(trainer.ok());
  const HyperParams& params = (*trainer)->options().hyperparams;
  EXPECT_EQ(params.at("learning_rate"), "0.0005");  // Override.
  EXPECT_EQ(params.at("n_envs"), "8");              // Table row.
  EXPECT_EQ(params.at("clip_range"), "0.2");        // Generic default.
  EXPECT_EQ((*trainer)->num_envs(), 8);
}

// Counts what the loop tells it; fails every step once told to.
class CountingObserver : public EpisodeObserver {
 public:
  absl::Status OnReset(int, const EpisodeStart&, const Env& env) override {
    EXPECT_EQ(env.elapsed_steps(), 0);
    ++resets;
    return absl::OkStatus();
  }
  absl::Status OnStep(int, const Env&, const StepResult&, int64_t) override {
    ++steps;
    if (fail_steps) return absl::CancelledError("observer says stop");
    return absl::OkStatus();
  }
  absl::Status OnEpisodeEnd(const EpisodeRecord&) override {
    ++ends;
    return absl::OkStatus();
  }
  int resets = 0, steps = 0, ends = 0;
  bool fail_steps = false;
};

TEST(TrainerTest, ObserversSeeEveryResetStepAndEpisode) {
  auto trainer = Trainer::Create(
      Options("CartPole-v1", "ppo", 2,
              {{"n_envs", "3"}, {"n_steps", "16"}, {"batch_size", "16"}}));
  ASSERT_TRUE(trainer.ok());
  CountingObserver observer;
  (*trainer)->AddObserver(&observer);
  ASSERT_TRUE((*trainer)->Run(300).ok());
  EXPECT_EQ(observer.steps, 300);
  EXPECT_EQ(observer.ends, static_cast<int>((*trainer)->episodes().size()));
  EXPECT_EQ(observer.resets, 3 + observer.ends);

  int calls = 0;
  ASSERT_TRUE((*trainer)->Run(100000, [&] { return ++calls > 10; }).ok());
  EXPECT_EQ((*trainer)->steps(), 330);  // 10 more lockstep steps of 3 envs.

  observer.fail_steps = true;
  EXPECT_EQ((*trainer)->Run(100000).code(), absl::StatusCode::kCancelled);
}

TEST(TrainerTest, EvaluateIsDeterministic) {
  auto trainer = Trainer::Create(Options("CartPole-v1", "random", 0));
  ASSERT_TRUE(trainer.ok());
  auto a = Evaluate((*trainer)->agent(), "CartPole-v1", 5, 7);
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_EQ(a->returns.size(), 5u);
  double sum = 0;
  for (double r : a->returns) sum += r;
  EXPECT_DOUBLE_EQ(a->mean_return, sum / 5);
  EXPECT_EQ(Evaluate((*trainer)->agent(), "CartPole-v1", 0, 7).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(Evaluate((*trainer)->agent(), "Nope-v0", 1, 7).ok());
}

// gym.make(id, **kwargs) for every lockstep env, and for evaluations given
// the same kwargs.
TEST(TrainerTest, EnvKwargsMakeEveryEnv) {
  TrainerOptions options =
      Options("CartPole-v1", "ppo", 0,
              {{"n_envs", "3"}, {"n_steps", "16"}, {"batch_size", "48"}});
  options.env_kwargs = {{"max_episode_steps", "7"}};
  auto trainer = Trainer::Create(options);
  ASSERT_TRUE(trainer.ok()) << trainer.status();
  ASSERT_EQ((*trainer)->num_envs(), 3);
  for (int e = 0; e < 3; ++e) {
    EXPECT_EQ((*trainer)->env(e).spec().max_episode_steps, 7) << "env " << e;
  }
  EXPECT_EQ((*trainer)->options().env_kwargs, options.env_kwargs);
  ASSERT_TRUE((*trainer)->Run(300).ok());
  for (const EpisodeRecord& r : (*trainer)->episodes()) {
    EXPECT_LE(r.length, 7) << "episode " << r.episode;
  }
  auto eval = Evaluate((*trainer)->agent(), "CartPole-v1", 3, 0, 100000,
                       options.env_kwargs);
  ASSERT_TRUE(eval.ok()) << eval.status();
  for (int64_t length : eval->lengths) EXPECT_LE(length, 7);

  TrainerOptions bad = options;
  bad.env_kwargs = {{"gravity", "1"}};
  const absl::Status refused = Trainer::Create(bad).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.message().find("unknown keyword argument gravity"),
            std::string::npos)
      << refused;
  EXPECT_EQ(
      Evaluate((*trainer)->agent(), "CartPole-v1", 1, 0, 100, {{"x", "1"}})
          .status()
          .code(),
      absl::StatusCode::kInvalidArgument);
}

// A resume re-creates the envs with the kwargs it is given: the run's own
// continue; without them the spaces differ and the checkpoint is refused.
TEST(TrainerResumeTest, TakesTheRunsEnvKwargs) {
  TrainerOptions options = Options("FrozenLake-v1", "q_learning", 3);
  options.env_kwargs = {{"map_name", "8x8"}, {"is_slippery", "False"}};
  auto first = Trainer::Create(options);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ((*first)->env(0).observation_space().n, 64);
  ASSERT_TRUE((*first)->Run(500).ok());
  const std::string path = TempPath("frozen-8x8.ckpt");
  ASSERT_TRUE((*first)->SaveCheckpoint(path).ok());
  auto resumed = Trainer::Resume(path, options.env_kwargs);
  ASSERT_TRUE(resumed.ok()) << resumed.status();
  EXPECT_EQ((*resumed)->options().env_kwargs, options.env_kwargs);
  EXPECT_EQ((*resumed)->env(0).observation_space().n, 64);
  ASSERT_TRUE((*resumed)->Run(1000).ok());
  ASSERT_TRUE((*first)->Run(1000).ok());
  EXPECT_EQ((*resumed)->episodes().size(), (*first)->episodes().size());
  const absl::Status without = Trainer::Resume(path).status();
  EXPECT_FALSE(without.ok());
  EXPECT_NE(without.message().find(path), std::string::npos) << without;
}

struct ResumeCase {
  std::string env;
  std::string agent;
  HyperParams hyperparams;
  int64_t first;  // Steps before the checkpoint (mid-episode, mid-rollout).
  int64_t total;
};

void PrintTo(const ResumeCase& c, std::ostream* out) {
  *out << c.agent << " on " << c.env;
}

class ResumeTest : public testing::TestWithParam<ResumeCase> {};

// Run(first), save, resume in a new trainer, Run(total) gives exactly what
// one uninterrupted Run(total) gives.
TEST_P(ResumeTest, ContinuesExactlyAsWithoutTheBreak) {
  ASSERT_TRUE(testing_envs::Registered());
  const ResumeCase& c = GetParam();
  const TrainerOptions options = Options(c.env, c.agent, 17, c.hyperparams);
  auto straight = Trainer::Create(options);
  ASSERT_TRUE(straight.ok()) << straight.status();
  ASSERT_TRUE((*straight)->Run(c.total).ok());

  auto first = Trainer::Create(options);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE((*first)->Run(c.first).ok());
  const std::string path = TempPath(c.agent + "-resume.ckpt");
  ASSERT_TRUE((*first)->SaveCheckpoint(path).ok());
  const int64_t saved_steps = (*first)->steps();
  EXPECT_GE(saved_steps, c.first);
  first->reset();  // Nothing survives but the file.
  auto resumed = Trainer::Resume(path);
  ASSERT_TRUE(resumed.ok()) << resumed.status();
  EXPECT_EQ((*resumed)->steps(), saved_steps);
  EXPECT_EQ((*resumed)->options().hyperparams,
            (*straight)->options().hyperparams);
  ASSERT_TRUE((*resumed)->Run(c.total).ok());

  EXPECT_EQ((*resumed)->steps(), (*straight)->steps());
  const auto& a = (*straight)->episodes();
  const auto& b = (*resumed)->episodes();
  ASSERT_EQ(a.size(), b.size());
  ASSERT_GT(a.size(), 2u);
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].episode_return, b[i].episode_return) << i;
    EXPECT_EQ(a[i].length, b[i].length) << i;
    EXPECT_EQ(a[i].step, b[i].step) << i;
    EXPECT_EQ(a[i].env_index, b[i].env_index) << i;
    EXPECT_EQ(a[i].stats, b[i].stats) << i;
  }
  EXPECT_EQ(*(*resumed)->agent().SaveState(),
            *(*straight)->agent().SaveState());
}

INSTANTIATE_TEST_SUITE_P(
    Agents, ResumeTest,
    testing::Values(
        ResumeCase{"test/Chain-v0", "q_learning", {}, 333, 1500},
        ResumeCase{"CartPole-v1",
                   "dqn",
                   {{"learning_starts", "200"}, {"buffer_size", "1000"}},
                   1234,
                   3000},
        ResumeCase{"CartPole-v1",
                   "ppo",
                   {{"n_envs", "4"}, {"n_steps", "64"}, {"batch_size", "64"}},
                   1234,
                   3000},
        ResumeCase{"Pendulum-v1",
                   "ppo",
                   {{"n_envs", "2"},
                    {"n_steps", "100"},
                    {"batch_size", "50"},
                    {"normalize_observation", "true"},
                    {"normalize_reward", "true"}},
                   1234,
                   3000}),
    [](const testing::TestParamInfo<ResumeCase>& info) {
      std::string name = info.param.agent + "_" + info.param.env;
      for (char& ch : name) {
        if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
      }
      return name;
    });

TEST(TrainerResumeTest, RefusesCheckpointsItCannotContinue) {
  auto trainer = Trainer::Create(Options("CartPole-v1", "random", 0));
  ASSERT_TRUE(trainer.ok());
  // An agent-only checkpoint has no trainer state.
  auto agent = Trainer::Create(Options("CartPole-v1", "dqn", 0));
  ASSERT_TRUE(agent.ok());
  const std::string path = TempPath("agent-only.ckpt");
  ASSERT_TRUE(
      SaveAgent(path, "dqn", (*agent)->context(), (*agent)->agent(), 0).ok());
  auto resumed = Trainer::Resume(path);
  EXPECT_EQ(resumed.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(resumed.status().message().find("load it with LoadAgent()"),
            std::string::npos);
  // The random agent cannot checkpoint.
  EXPECT_EQ((*trainer)->SaveCheckpoint(TempPath("random.ckpt")).code(),
            absl::StatusCode::kUnimplemented);
  // A checkpoint whose env is not built in.
  Checkpoint checkpoint;
  checkpoint.header.agent = "dqn";
  checkpoint.header.env_id = "Gone-v0";
  checkpoint.trainer_state = "x";
  ASSERT_TRUE(WriteCheckpoint(TempPath("gone.ckpt"), checkpoint).ok());
  auto gone = Trainer::Resume(TempPath("gone.ckpt"));
  EXPECT_NE(gone.status().message().find("unknown env 'Gone-v0'"),
            std::string::npos)
      << gone.status();
}

}  // namespace
}  // namespace rl
