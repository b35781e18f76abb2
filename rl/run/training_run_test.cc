#include "rl/run/training_run.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "rl/agents/checkpoint.h"
#include "rl/agents/test_envs.h"
#include "rl/envs/env.h"

namespace rl {
namespace {

TEST(RunTraining, RefusesBadOptionsBeforeWriting) {
  TrainingRunOptions options;
  options.run_dir = std::string(getenv("TEST_TMPDIR")) + "/never";
  std::ostringstream out;
  EXPECT_EQ(RunTraining(options, out).status().code(),
            absl::StatusCode::kInvalidArgument);  // steps = 0
  options.steps = 100;
  options.trainer.agent = "nope";
  EXPECT_FALSE(RunTraining(options, out).ok());
  options.trainer.agent = "random";
  options.trainer.env_id = "Nope-v0";
  EXPECT_FALSE(RunTraining(options, out).ok());
}

// Reward 1 a step, truncated after 5 steps: every policy scores 5, so all
// evaluations tie. Every step anywhere counts in `total_steps`; the step
// numbered `stop_at` requests a stop (so a test can stop a run at a known
// point, e.g. inside an evaluation).
std::atomic<int64_t> total_steps{0};
std::atomic<int64_t> stop_at{-1};
std::atomic<bool> stop{false};
std::atomic<int> step_sleep_us{0};  // Makes steps slow on demand.

class StopSwitch : public Env {
 public:
  StopSwitch() : Env(MakeSpec()) {}
  void Draw(Canvas* canvas) const override { canvas->Reset(10, 10, kWhite); }

 private:
  static EnvSpec MakeSpec() {
    EnvSpec spec;
    spec.id = "test/StopSwitch-v0";
    spec.max_episode_steps = 5;
    spec.observation_space = Space::Box({-1}, {1});
    spec.action_space = Space::Discrete(2);
    return spec;
  }
  void ResetState(std::mt19937_64& rng, Observation* observation) override {
    observation->assign(1, 0.0f);
  }
  void StepState(const Action& action, StepResult* result) override {
    if (++total_steps == stop_at) stop = true;
    if (step_sleep_us > 0) usleep(step_sleep_us);
    result->observation.assign(1, 0.0f);
    result->reward = 1;
  }
};

const bool kStopSwitchRegistered = Envs().Register(
    "test/StopSwitch-v0", "test: reward 1, truncated at 5, stops on cue",
    []() -> absl::StatusOr<std::unique_ptr<Env>> {
      return std::make_unique<StopSwitch>();
    });

std::string Read(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The step column of evals.csv.
std::vector<int64_t> EvalSteps(const std::string& run_dir) {
  std::vector<int64_t> steps;
  std::vector<std::string> lines =
      absl::StrSplit(Read(run_dir + "/evals.csv"), '\n', absl::SkipEmpty());
  for (size_t i = 1; i < lines.size(); ++i) {
    steps.push_back(std::stoll(lines[i].substr(0, lines[i].find(','))));
  }
  return steps;
}

TrainingRunOptions SwitchRun(const std::string& name) {
  EXPECT_TRUE(kStopSwitchRegistered);
  TrainingRunOptions options;
  options.trainer.env_id = "test/StopSwitch-v0";
  options.trainer.agent = "dqn";
  options.trainer.hyperparams = {{"learning_starts", "10"}};
  options.steps = 300;
  options.eval_every = 100;
  options.eval_episodes = 2;
  options.video.record.mode = RecordMode::kNone;
  options.run_dir = absl::StrCat(getenv("TEST_TMPDIR"), "/", name);
  options.quiet = true;
  options.stop_requested = &stop;
  total_steps = 0;
  stop_at = -1;
  stop = false;
  step_sleep_us = 0;
  return options;
}

// An untrained step-0 policy that scores the maximum must not stay "best"
// forever: ties go to the later evaluation.
TEST(RunTraining, BestCheckpointTiesGoToTheLaterEvaluation) {
  TrainingRunOptions options = SwitchRun("ties");
  std::ostringstream out;
  auto summary = RunTraining(options, out);
  ASSERT_TRUE(summary.ok()) << summary.status();
  EXPECT_EQ(EvalSteps(options.run_dir),
            (std::vector<int64_t>{0, 100, 200, 300}));
  auto best = ReadCheckpoint(summary->best_checkpoint);
  ASSERT_TRUE(best.ok()) << best.status();
  EXPECT_EQ(best->header.steps, 300);
  EXPECT_EQ(summary->best_eval, 5);
}

// Stopped inside the evaluation at step 100: that evaluation leaves no row
// (it was not one), and the resumed run does it again, once, at the step it
// resumes from (training goes on beside an evaluation, so the stop finds it
// a few steps past 100).
TEST(RunTraining, EvaluationCutByAStopIsRedoneOnResume) {
  TrainingRunOptions options = SwitchRun("cut");
  // Step 0's evaluation takes 10 steps, training 100 more, then the
  // evaluation at step 100 (10 steps) plays beside the training from 100 on;
  // the 113th step anywhere stops both: the evaluation cannot have ended.
  stop_at = 10 + 100 + 3;
  std::ostringstream out;
  auto stopped = RunTraining(options, out);
  ASSERT_TRUE(stopped.ok()) << stopped.status();
  EXPECT_TRUE(stopped->stopped);
  EXPECT_EQ(EvalSteps(options.run_dir), (std::vector<int64_t>{0}));
  EXPECT_EQ(stopped->latest_checkpoint,
            options.run_dir + "/checkpoints/latest.ckpt");
  EXPECT_GE(stopped->steps, 100);
  EXPECT_LE(stopped->steps, 103);

  TrainingRunOptions resumed = SwitchRun("cut");
  resumed.resume = options.run_dir + "/checkpoints/latest.ckpt";
  resumed.trainer = TrainerOptions();  // Nothing given: the checkpoint's.
  resumed.steps = 0;                   // The run's own budget.
  resumed.eval_every = 0;
  auto finished = RunTraining(resumed, out);
  ASSERT_TRUE(finished.ok()) << finished.status();
  EXPECT_FALSE(finished->stopped);
  EXPECT_EQ(finished->steps, 300);
  const int64_t at = stopped->steps;
  EXPECT_EQ(EvalSteps(options.run_dir),
            (std::vector<int64_t>{0, at, at + 100, 300}));
  const std::string config = Read(options.run_dir + "/config.json");
  EXPECT_NE(config.find("\"resumes\""), std::string::npos) << config;
  EXPECT_NE(config.find("\"eval_every\": 100,"), std::string::npos) << config;
}

// metrics.csv without its wall-clock column (steps_per_s, the fifth).
std::vector<std::string> LearningRows(const std::string& run_dir) {
  std::vector<std::string> rows;
  for (absl::string_view line : absl::StrSplit(Read(run_dir + "/metrics.csv"),
                                               '\n', absl::SkipEmpty())) {
    std::vector<std::string> fields = absl::StrSplit(line, ',');
    fields.erase(fields.begin() + 4);
    rows.push_back(absl::StrJoin(fields, ","));
  }
  return rows;
}

// Recording (training videos rendered and encoded on their own thread,
// evaluations played beside training on a copy of the policy) changes
// nothing of what is learned: the same episodes, statistics, evaluations and
// parameters, bit for bit, as the same seed without any recording. And each
// evaluation is the one of the policy at its step: best.ckpt's agent,
// evaluated afresh, scores what evals.csv says.
TEST(RunTraining, RecordingChangesNothingOfTheTraining) {
  auto options = [](const std::string& name, bool record) {
    TrainingRunOptions options;
    options.trainer.env_id = "CartPole-v1";
    options.trainer.agent = "ppo";
    options.trainer.seed = 3;
    options.steps = 3000;
    options.eval_every = 1000;
    options.eval_episodes = 2;
    options.run_dir = absl::StrCat(getenv("TEST_TMPDIR"), "/", name);
    options.quiet = true;
    options.video.render_backend = "llvmpipe";
    options.video.encoder.encoder_options = "preset=veryfast";
    // Every training episode of env 0, and the evaluations' first.
    options.video.record.mode =
        record ? RecordMode::kEveryEpisodes : RecordMode::kNone;
    options.video.record.every = 1;
    options.record_eval = record;
    return options;
  };
  std::ostringstream out;
  const TrainingRunOptions recorded = options("recorded", true);
  const TrainingRunOptions plain = options("plain", false);
  auto with = RunTraining(recorded, out);
  ASSERT_TRUE(with.ok()) << with.status();
  auto without = RunTraining(plain, out);
  ASSERT_TRUE(without.ok()) << without.status();
  // It did record: every training episode of env 0, every evaluation.
  int train_videos = 0, eval_videos = 0;
  for (const PageVideo& video : with->videos) {
    (video.kind == "eval" ? eval_videos : train_videos)++;
  }
  EXPECT_GT(train_videos, 5);
  EXPECT_EQ(eval_videos, 4);  // Steps 0, 1000, 2000, 3000.
  EXPECT_TRUE(without->videos.empty());

  EXPECT_EQ(with->episodes, without->episodes);
  const std::vector<std::string> rows = LearningRows(recorded.run_dir);
  EXPECT_GT(rows.size(), 20u);
  EXPECT_EQ(rows, LearningRows(plain.run_dir));
  EXPECT_EQ(Read(recorded.run_dir + "/evals.csv"),
            Read(plain.run_dir + "/evals.csv"));
  for (const char* name : {"latest.ckpt", "best.ckpt"}) {
    auto a = ReadCheckpoint(recorded.run_dir + "/checkpoints/" + name);
    auto b = ReadCheckpoint(plain.run_dir + "/checkpoints/" + name);
    ASSERT_TRUE(a.ok()) << a.status();
    ASSERT_TRUE(b.ok()) << b.status();
    EXPECT_EQ(a->header.steps, b->header.steps) << name;
    EXPECT_TRUE(a->agent_state == b->agent_state) << name;
  }

  CheckpointHeader header;
  auto best = LoadAgent(recorded.run_dir + "/checkpoints/best.ckpt", &header);
  ASSERT_TRUE(best.ok()) << best.status();
  auto again = Evaluate(**best, "CartPole-v1", 2, recorded.trainer.seed,
                        recorded.max_eval_episode_steps);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->mean_return, with->best_eval);
  bool found = false;
  for (const EvalPoint& point : with->evals) {
    if (point.step == header.steps) {
      found = true;
      EXPECT_EQ(point.mean_return, again->mean_return);
    }
  }
  EXPECT_TRUE(found) << "no evaluation at best.ckpt's step " << header.steps;
}

// The steps_per_s column of metrics.csv, by step.
std::vector<std::pair<int64_t, double>> Rates(const std::string& run_dir) {
  std::vector<std::pair<int64_t, double>> rates;
  std::vector<std::string> lines =
      absl::StrSplit(Read(run_dir + "/metrics.csv"), '\n', absl::SkipEmpty());
  for (size_t i = 1; i < lines.size(); ++i) {
    std::vector<std::string> fields = absl::StrSplit(lines[i], ',');
    rates.emplace_back(std::stoll(fields[0]), std::stod(fields[4]));
  }
  return rates;
}

// A slow first part (1 ms a step), a fast resumed part: the first rows
// after the resume report the run's rate, not a burst of the new part's.
TEST(RunTraining, StepsPerSecondAfterAResumeIsTheRunsRate) {
  TrainingRunOptions options = SwitchRun("rate");
  options.steps = 200;
  step_sleep_us = 1000;
  std::ostringstream out;
  ASSERT_TRUE(RunTraining(options, out).ok());
  const double before = Rates(options.run_dir).back().second;
  EXPECT_LT(before, 1100);

  TrainingRunOptions resumed = SwitchRun("rate");
  resumed.resume = options.run_dir + "/checkpoints/latest.ckpt";
  resumed.trainer = TrainerOptions();
  resumed.steps = 250;
  ASSERT_TRUE(RunTraining(resumed, out).ok());
  int rows_after = 0;
  for (const auto& [step, rate] : Rates(options.run_dir)) {
    if (step > 200 && step <= 230) {
      ++rows_after;
      EXPECT_LT(rate, 2 * before) << "at step " << step;
    }
  }
  EXPECT_GE(rows_after, 5);
}

TEST(RunTraining, ResumeRefusesWhatContradictsTheCheckpoint) {
  TrainingRunOptions options = SwitchRun("contradict");
  std::ostringstream out;
  options.steps = 100;
  ASSERT_TRUE(RunTraining(options, out).ok());
  const std::string metrics = Read(options.run_dir + "/metrics.csv");

  auto resume = [&](auto change) {
    TrainingRunOptions resumed = SwitchRun("contradict");
    resumed.resume = options.run_dir + "/checkpoints/latest.ckpt";
    resumed.steps = 200;
    change(resumed);
    return RunTraining(resumed, out).status();
  };
  auto expect_refused = [&](const absl::Status& status, const char* flag) {
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
    EXPECT_NE(status.message().find(flag), std::string::npos) << status;
  };
  expect_refused(resume([](TrainingRunOptions& o) {
                   o.trainer.env_id = "CartPole-v1";
                   o.given.env = true;
                 }),
                 "--env=CartPole-v1");
  expect_refused(resume([](TrainingRunOptions& o) {
                   o.trainer.agent = "ppo";
                   o.given.agent = true;
                 }),
                 "--agent=ppo");
  expect_refused(resume([](TrainingRunOptions& o) {
                   o.trainer.seed = 7;
                   o.given.seed = true;
                 }),
                 "--seed=7");
  expect_refused(resume([](TrainingRunOptions& o) {
                   o.trainer.hyperparams = {{"learning_starts", "20"}};
                   o.given.hparams = true;
                 }),
                 "--hparams=learning_starts=20");
  expect_refused(resume([](TrainingRunOptions& o) {
                   o.eval_every = 7;
                   o.given.eval_every = true;
                 }),
                 "--eval_every=7");
  expect_refused(resume([](TrainingRunOptions& o) { o.steps = 50; }),
                 "at step 100");
  expect_refused(resume([](TrainingRunOptions& o) { o.steps = 0; }),
                 "at step 100");
  // Nothing was touched by the refusals.
  EXPECT_EQ(Read(options.run_dir + "/metrics.csv"), metrics);
  // The same values given explicitly are fine.
  EXPECT_TRUE(resume([](TrainingRunOptions& o) {
                o.trainer.env_id = "test/StopSwitch-v0";
                o.trainer.hyperparams = {{"learning_starts", "1e1"}};
                o.given.env = o.given.hparams = true;
              }).ok());
  EXPECT_EQ(EvalSteps(options.run_dir), (std::vector<int64_t>{0, 100, 200}));
}

// gym.make(id, **kwargs): config.json and the page say the kwargs, a resume
// takes them from config.json (the checkpoint has only the env id), and an
// explicit contradiction is refused by name.
// --video_envs asks for more lockstep envs than the agent runs: refused
// before anything is written, saying how many there are.
TEST(RunTraining, MoreEnvsInAVideoThanTheAgentRunsIsRefused) {
  TrainingRunOptions options = SwitchRun("tiles");
  options.trainer.agent = "random";  // One env.
  options.trainer.hyperparams = {};
  options.video.tiled_envs = 4;
  std::ostringstream out;
  auto summary = RunTraining(options, out);
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(summary.status().message()).find("runs 1 lockstep"),
            std::string::npos)
      << summary.status();
  EXPECT_FALSE(std::ifstream(options.run_dir + "/config.json").good());
}

TEST(RunTraining, EnvKwargsAreTheRunsOwn) {
  TrainingRunOptions options = SwitchRun("kwargs");
  options.trainer.env_id = "FrozenLake-v1";
  options.trainer.env_kwargs = {{"map_name", "8x8"}, {"is_slippery", "False"}};
  options.trainer.agent = "q_learning";
  options.trainer.hyperparams = {};
  options.steps = 200;
  std::ostringstream out;
  auto summary = RunTraining(options, out);
  ASSERT_TRUE(summary.ok()) << summary.status();
  const std::string config_path = options.run_dir + "/config.json";
  EXPECT_NE(Read(config_path)
                .find(R"("env_kwargs": "is_slippery=False,map_name=8x8")"),
            std::string::npos)
      << Read(config_path);
  EXPECT_NE(Read(options.run_dir + "/index.html")
                .find("FrozenLake-v1 (is_slippery=False,map_name=8x8) / "
                      "q_learning / seed 0"),
            std::string::npos);

  auto resume = [&](int64_t steps, auto change) {
    TrainingRunOptions resumed = SwitchRun("kwargs");
    resumed.resume = options.run_dir + "/checkpoints/latest.ckpt";
    resumed.steps = steps;
    change(resumed);
    return RunTraining(resumed, out).status();
  };
  const absl::Status contradiction = resume(300, [](TrainingRunOptions& o) {
    o.trainer.env_kwargs = {{"map_name", "8x8"}};
    o.given.env_kwargs = true;
  });
  EXPECT_EQ(contradiction.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(contradiction.message().find(
                "--env_kwargs=map_name=8x8 contradicts the run's"),
            std::string::npos)
      << contradiction;
  EXPECT_NE(contradiction.message().find("is_slippery=False,map_name=8x8"),
            std::string::npos)
      << contradiction;
  // The same kwargs written otherwise agree; none given: the run's own (an
  // 8x8 lake, or the checkpoint's 64 states would not fit).
  EXPECT_TRUE(
      resume(300, [](TrainingRunOptions& o) {
        o.trainer.env_kwargs = {{"map_name", "8x8"}, {"is_slippery", "false"}};
        o.given.env_kwargs = true;
      }).ok());
  EXPECT_TRUE(resume(400, [](TrainingRunOptions&) {}).ok());
  EXPECT_EQ(EvalSteps(options.run_dir),
            (std::vector<int64_t>{0, 100, 200, 300, 400}));
  EXPECT_NE(Read(config_path)
                .find(R"("env_kwargs": "is_slippery=False,map_name=8x8")"),
            std::string::npos);

  // A config.json from before env kwargs (no key) means none: this run's
  // checkpoint then no longer fits the default 4x4 lake.
  std::string config = Read(config_path);
  const size_t at = config.find(R"(    "env_kwargs")");
  ASSERT_NE(at, std::string::npos);
  config.erase(at, config.find('\n', at) + 1 - at);
  std::ofstream(config_path) << config;
  const absl::Status none = resume(500, [](TrainingRunOptions&) {});
  EXPECT_FALSE(none.ok());
  EXPECT_NE(none.message().find("Discrete(16)"), std::string::npos) << none;
}

}  // namespace
}  // namespace rl
