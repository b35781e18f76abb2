#include "rl/run/training_run.h"

#include <stdlib.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <system_error>
#include <thread>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "nlohmann/json.hpp"
#include "rl/agents/defaults.h"
#include "rl/agents/hyperparams.h"
#include "rl/core/file_util.h"
#include "rl/core/status_macros.h"
#include "rl/core/thread_priority.h"
#include "rl/envs/env.h"
#include "rl/envs/env_kwargs.h"
#include "rl/record/file_util.h"
#include "rl/record/gallery.h"
#include "rl/run/data_parallel.h"
#include "rl/run/run_directory.h"
#include "rl/run/run_files.h"
#include "rl/run/runs_overview.h"
#include "rl/run/training_worker.h"

namespace rl {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string FormatDuration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const int64_t s = static_cast<int64_t>(seconds + 0.5);
  if (s >= 3600) {
    return absl::StrFormat("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
  }
  return absl::StrFormat("%d:%02d", s / 60, s % 60);
}

// Two hyper-parameter values agree if they are the same text or the same
// number ("0.001" and "1e-3").
bool SameValue(const std::string& a, const std::string& b) {
  double x = 0, y = 0;
  return a == b ||
         (absl::SimpleAtod(a, &x) && absl::SimpleAtod(b, &y) && x == y);
}

// Two env kwarg values agree if they are the same text, number ("0.05" and
// "5e-2") or Python boolean ("False" and "false").
bool SameKwargValue(const std::string& a, const std::string& b) {
  if (SameValue(a, b)) return true;
  const std::string x = absl::AsciiStrToLower(a), y = absl::AsciiStrToLower(b);
  return x == y && (x == "true" || x == "false");
}

// The run observes its trainer's loop: metrics, the curve, the live view's
// overlays and the videos the training session finished.
// One evaluation of the policy at step `milestone`: --eval_episodes greedy
// episodes, the first recorded. It plays a copy of the agent (restored
// from Trainer::MakeCheckpoint()) on a thread of its own, at background
// priority, while the trainer trains on, so neither its episodes nor its video
// hold the learner up; the trainer's own agent is never touched, so training is
// the same with or without it. An agent without a state to copy, and a
// data-parallel run's, are played on the learner's thread instead,
// training waiting.
struct EvaluationJob {
  int64_t milestone = 0;
  uint64_t seed = 0;  // The run's: evaluation episodes' seeds derive from it.
  // The run at `milestone`, written as latest.ckpt (and best.ckpt if it
  // scores best) once the evaluation is done: the checkpoints stay those of
  // the evaluated steps.
  std::optional<Checkpoint> checkpoint;
  std::unique_ptr<Agent> policy;  // The copy; null: played in line.
  std::thread thread;
  std::atomic<bool> done{false};
  std::atomic<bool> abandon{false};  // The run failed: stop, record nothing.
  // Set by the thread before `done`.
  absl::Status status;
  std::vector<double> returns;
};

class Run : public EpisodeObserver {
 public:
  Run(const TrainingRunOptions& options, std::ostream& out)
      : options_(options), out_(out), run_dir_(options.run_dir) {}
  // An evaluation still playing (a run that failed) is stopped first.
  ~Run() override { AbandonEvaluation(); }

  absl::StatusOr<TrainingSummary> Go();
  // After Go() failed with `error`: a run that was replacing another and had
  // not evaluated yet is removed and the old one put back; a new run that
  // had not started is removed (so a corrected rerun is not blocked);
  // otherwise the videos are finished and the page says the run failed and
  // why. Best effort: the error is what matters.
  void CleanUpAfterError(const absl::Status& error);

  absl::Status OnReset(int index, const EpisodeStart& start,
                       const Env& env) override;
  absl::Status OnStep(int index, const Env& env, const StepResult& result,
                      int64_t step) override;
  absl::Status OnEpisodeEnd(const EpisodeRecord& record) override;

 private:
  // Setup() checks everything first (Check*, Resolve*, the video sessions'
  // trial encoder and renderer), then writes (WriteRunFiles).
  absl::Status Setup();
  absl::StatusOr<EnvKwargs> ResumedEnvKwargs() const;
  absl::Status CheckResumeAgrees();
  absl::Status ResolveSettings();
  absl::Status CreateVideoSessions();
  absl::Status WriteRunFiles();
  absl::Status LoadEarlierRows();
  absl::Status WriteConfig();
  void DropOldRun() {
    if (std::string warning = run_dir_.DropAside(); !warning.empty()) {
      Print(absl::StrCat("warning: ", warning, "\n"));
    }
  }
  // Starts the evaluation of the policy at `milestone` (EvaluationJob),
  // after the one before it has finished: one at a time.
  absl::Status StartEvaluation(int64_t milestone);
  // Plays `job`'s episodes with `agent` (on the job's thread, or in line).
  absl::Status PlayEvaluation(EvaluationJob* job, Agent* agent);
  // Waits for the evaluation in progress, if any, and records it.
  // `next_due`: the next evaluation is due, so waiting holds training up
  // (seconds_waited_for_evaluations_).
  absl::Status FinishEvaluation(bool next_due = false);
  bool EvaluationDone() const {
    return evaluation_ != nullptr &&
           evaluation_->done.load(std::memory_order_acquire);
  }
  // Stops the evaluation in progress, if any, recording nothing.
  void AbandonEvaluation();
  absl::Status RecordEvaluation(int64_t milestone,
                                const std::vector<double>& returns,
                                const Checkpoint* checkpoint);
  // The agent has no learning state (SaveState is Unimplemented): says so
  // once, and no checkpoint is written from then on.
  void NoCheckpoints() {
    can_checkpoint_ = false;
    Print(absl::StrCat("note: agent ", agent_,
                       " has no learning state; no checkpoints written\n"));
  }
  // Writes the run as it is now, or (if given) as `checkpoint` has it.
  absl::Status SaveCheckpoint(const std::string& path,
                              const Checkpoint* checkpoint = nullptr);
  absl::Status WritePage(bool running);
  RunPageData PageData(bool running) const;
  // RUN_DIR/status.json (runs_overview.h): running, or how the run ended.
  absl::Status WriteStatus(bool running);
  RunStatus CurrentStatus(bool running) const;
  // Rewrites the runs overview (PARENT/index.html) when the run starts,
  // evaluates and ends. Best effort: a problem is a warning (once), never
  // the run's failure.
  void UpdateOverview();
  // One metrics.csv row (its fields as written) for the page's charts.
  void AddMetricRow(const std::vector<std::string>& row);
  // --embed: reads the videos new since the last page into embedded_.
  void EmbedNewVideos();
  // "ENV (KWARGS) / AGENT / seed N", the page's and the live view's title.
  std::string RunTitle() const;
  void StartLive();
  // The training envs in the live view when a picture is due; `last`: at
  // the end of the run (LiveView::ShowLast).
  void ShowTraining(bool last = false);
  void SetLiveState(const std::string& state) {
    if (options_.live != nullptr) options_.live->board().SetState(state);
  }
  // Lists `session`'s videos not listed yet on the page, the live view and
  // videos.csv, and prints what the session logged to `log`.
  void CollectVideos(VideoSession* session, const std::string& kind,
                     const std::string& subdir, size_t* seen,
                     std::ostringstream* log);
  void Progress(bool force);
  void Print(const std::string& text);
  bool StopRequested() const {
    return options_.stop_requested != nullptr &&
           options_.stop_requested->load();
  }
  // Data-parallel: the stop the ranks agreed on; else a stop request.
  bool Stopping() const {
    return sync_ != nullptr ? sync_->stopped() : StopRequested();
  }
  // Asked before every lockstep step: data-parallel runs meet here.
  bool ShouldStop() {
    return sync_ != nullptr
               ? sync_->ShouldStop(trainer_->steps(), StopRequested())
               : StopRequested();
  }
  // Every rank's episodes (the other ranks' as their news said so far).
  int64_t TotalEpisodes() const {
    return static_cast<int64_t>(trainer_->episodes().size()) +
           other_ranks_episodes_;
  }
  bool DataParallel() const {
    return IsDataParallel(options_.trainer.collective);
  }
  // Data-parallel: starts the meetings, after every check passed.
  absl::Status StartRanks();
  // Rank 0: another rank's news (training_worker.h).
  void OnNews(int rank, const std::string& news);

  TrainingRunOptions options_;
  std::ostream& out_;
  std::ostringstream session_log_;
  // The evaluations' video session's: written by the evaluation's thread,
  // read once it has finished.
  std::ostringstream eval_session_log_;
  std::unique_ptr<Trainer> trainer_;
  std::string env_id_, agent_;
  EnvKwargs env_kwargs_;  // Every env of the run, evaluations' too.
  std::unique_ptr<VideoSession> train_videos_, eval_videos_;
  size_t train_seen_ = 0, eval_seen_ = 0;
  std::vector<std::string> stat_keys_;
  MetricTable metric_table_;  // metrics.csv's rows the page charts.
  // Resuming: the earlier part's rows, until the table has its columns.
  std::vector<std::vector<std::string>> earlier_metric_rows_;
  CsvAppender metrics_, evals_csv_, videos_csv_;
  // A resumed run's earlier returns, for the live view's curve (StartLive).
  std::vector<CurvePoint> curve_;
  TrainingSummary summary_;
  bool has_best_ = false;
  bool can_checkpoint_ = true;
  int64_t start_step_ = 0;
  Clock::time_point start_ = Clock::now();
  Clock::time_point last_progress_ = Clock::now() - std::chrono::hours(1);
  Clock::time_point last_page_ = Clock::now();
  std::deque<double> recent_returns_;
  // For the live view's overlays: each lockstep env's episode so far.
  std::vector<double> live_returns_;
  std::vector<int64_t> live_steps_;
  bool progress_on_line_ = false;
  int64_t last_progress_step_ = -1;
  RunDirectory run_dir_;
  bool started_writing_ = false;
  std::string failure_;  // Why the run failed, for the page.
  // --embed: the page's videos as data: URIs, each read once (the page is
  // rewritten every few seconds); a video that cannot be read is linked.
  EmbeddedVideos embedded_;
  std::set<std::string> not_embedded_;  // Warned about once.
  double run_rate_ = 0;  // Steps/s over the whole run, at the last episode.
  nlohmann::json previous_config_;  // Resuming: the run's config.json.
  std::string started_ = NowUtc();  // For status.json.
  ProcessIdentity process_ = ThisProcess();
  bool runs_overview_ = false;  // PARENT/index.html is our overview.
  std::set<std::string> overview_warnings_;  // Printed once each.
  std::unique_ptr<RankSync> sync_;           // Data-parallel runs only.
  int64_t other_ranks_episodes_ = 0;
  std::unique_ptr<EvaluationJob> evaluation_;  // The one in progress.
  // The live view is drawn by one thread at a time; while an evaluation's
  // episode is on it, the training envs are not.
  absl::Mutex live_mutex_;
  std::atomic<bool> evaluation_on_live_{false};
  // Seconds the learner waited for an evaluation still playing when the
  // next one was due (the progress line says so).
  double seconds_waited_for_evaluations_ = 0;
};

void Run::CleanUpAfterError(const absl::Status& error) {
  AbandonEvaluation();
  SetLiveState("failed (see the console)");
  if (progress_on_line_) out_ << "\n";
  if (!started_writing_) return;  // Refused before anything was written.
  if (run_dir_.replacing() ||
      (options_.resume.empty() && summary_.evals.empty())) {
    // The new run never got going: leave the directory as it was.
    train_videos_.reset();
    eval_videos_.reset();
    run_dir_.RemoveNewRunAndRestore();
    UpdateOverview();  // Lists the run put back, or no longer this one.
    return;
  }
  failure_ = std::string(error.message());
  if (train_videos_ != nullptr) train_videos_->Finish("error").IgnoreError();
  if (eval_videos_ != nullptr) eval_videos_->Finish("error").IgnoreError();
  if (absl::IsResourceExhausted(WritePage(/*running=*/false))) {
    // A full disk: no room for a new page beside the old one, but the old
    // one's blocks will do; otherwise it would say "training" forever.
    OverwriteInPlace(
        options_.run_dir + "/status.json",
        RunStatusJson(CurrentStatus(false))
                .dump(2, ' ', false, nlohmann::json::error_handler_t::replace) +
            "\n")
        .IgnoreError();
    // The data an open page polls too, or it would go on saying so.
    OverwriteInPlace(options_.run_dir + "/page_data.js",
                     RunPageDataScript(PageData(false), options_.run_dir))
        .IgnoreError();
    OverwriteInPlace(
        options_.run_dir + "/index.html",
        RunPageHtml(PageData(false), options_.run_dir, 0, embedded_))
        .IgnoreError();
  }
  UpdateOverview();
}

absl::Status Run::Setup() {
  // Checks: nothing is written until all of them pass.
  RL_RETURN_IF_ERROR(CheckNoSymlinksBelow(options_.run_dir));
  if (!options_.resume.empty()) {
    // The envs are made as the run made them: its kwargs are in
    // config.json, not in the checkpoint.
    previous_config_ = ReadConfig(options_.run_dir + "/config.json");
    RL_ASSIGN_OR_RETURN(const EnvKwargs env_kwargs, ResumedEnvKwargs());
    RL_ASSIGN_OR_RETURN(trainer_, Trainer::Resume(options_.resume, env_kwargs,
                                                  options_.trainer.collective));
  } else {
    RL_ASSIGN_OR_RETURN(trainer_, Trainer::Create(options_.trainer));
  }
  env_id_ = trainer_->options().env_id;
  env_kwargs_ = trainer_->options().env_kwargs;
  agent_ = trainer_->options().agent;
  start_step_ = trainer_->steps();
  summary_.run_dir = options_.run_dir;
  if (!options_.resume.empty()) RL_RETURN_IF_ERROR(CheckResumeAgrees());
  RL_RETURN_IF_ERROR(ResolveSettings());
  RL_RETURN_IF_ERROR(
      run_dir_.Check(!options_.resume.empty(), options_.overwrite));
  RL_RETURN_IF_ERROR(CreateVideoSessions());

  // Writes.
  started_writing_ = true;
  if (options_.resume.empty() && options_.overwrite) {
    RL_RETURN_IF_ERROR(run_dir_.MoveAside());
  }
  return WriteRunFiles();
}

absl::StatusOr<EnvKwargs> Run::ResumedEnvKwargs() const {
  const EnvKwargs& asked = options_.trainer.env_kwargs;
  // No config.json to go by: the kwargs given (none unless given).
  if (previous_config_.is_null()) return asked;
  const std::string config = options_.run_dir + "/config.json";
  RL_ASSIGN_OR_RETURN(EnvKwargs saved,
                      ConfigEnvKwargs(previous_config_, config));
  bool agree = asked.size() == saved.size();
  for (const auto& [key, value] : asked) {
    auto it = saved.find(key);
    agree = agree && it != saved.end() && SameKwargValue(value, it->second);
  }
  if (options_.given.env_kwargs && !agree) {
    auto shown = [](const EnvKwargs& kwargs) {
      return kwargs.empty() ? std::string("none") : FormatEnvKwargs(kwargs);
    };
    return absl::InvalidArgumentError(absl::StrCat(
        "--env_kwargs=", FormatEnvKwargs(asked), asked.empty() ? " (none)" : "",
        " contradicts the run's ", config, " (env_kwargs ", shown(saved),
        "); a resumed run continues with its own env: drop --env_kwargs, or "
        "start a new run without --resume"));
  }
  return saved;
}

absl::Status Run::CheckResumeAgrees() {
  const TrainerOptions& saved = trainer_->options();
  const TrainerOptions& asked = options_.trainer;
  auto contradicts = [&](const char* flag, const std::string& value,
                         const std::string& saved_value) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--", flag, "=", value, " contradicts the checkpoint ", options_.resume,
        " (", flag, " ", saved_value,
        "); a resumed run continues with its own settings: drop --", flag,
        ", or start a new run without --resume"));
  };
  if (options_.given.env && asked.env_id != saved.env_id) {
    return contradicts("env", asked.env_id, saved.env_id);
  }
  if (options_.given.agent && asked.agent != saved.agent) {
    return contradicts("agent", asked.agent, saved.agent);
  }
  if (options_.given.seed && asked.seed != saved.seed) {
    return contradicts("seed", absl::StrCat(asked.seed),
                       absl::StrCat(saved.seed));
  }
  if (options_.given.hparams) {
    for (const auto& [key, value] : asked.hyperparams) {
      auto it = saved.hyperparams.find(key);
      if (it == saved.hyperparams.end() || !SameValue(value, it->second)) {
        return contradicts("hparams", absl::StrCat(key, "=", value),
                           it == saved.hyperparams.end()
                               ? absl::StrCat("has no ", key)
                               : absl::StrCat(key, "=", it->second));
      }
    }
  }
  struct Setting {
    bool given;
    const char* flag;
    int64_t asked;
  };
  for (const Setting& setting :
       {Setting{options_.given.eval_every, "eval_every", options_.eval_every},
        Setting{options_.given.eval_episodes, "eval_episodes",
                options_.eval_episodes},
        Setting{options_.given.record_eval, "record_eval",
                options_.record_eval ? 1 : 0}}) {
    const std::optional<int64_t> saved_value =
        ConfigInt(previous_config_, setting.flag);
    if (setting.given && saved_value && *saved_value != setting.asked &&
        !(setting.asked == 0 && std::string(setting.flag) == "eval_every")) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--", setting.flag, "=", setting.asked, " contradicts the run's ",
          options_.run_dir, "/config.json (", setting.flag, " ", *saved_value,
          "); a resumed run keeps its evaluation settings: drop --",
          setting.flag));
    }
  }
  return absl::OkStatus();
}

absl::Status Run::ResolveSettings() {
  if (!options_.resume.empty()) {
    // What the run ran with (config.json), where it says.
    if (auto value = ConfigInt(previous_config_, "eval_every")) {
      options_.eval_every = *value;
    }
    if (auto value = ConfigInt(previous_config_, "eval_episodes")) {
      options_.eval_episodes = static_cast<int>(*value);
    }
    if (auto value = ConfigInt(previous_config_, "record_eval")) {
      options_.record_eval = *value != 0;
    }
    if (options_.steps == 0) {
      options_.steps = ConfigInt(previous_config_, "steps")
                           .value_or(DefaultTrainingSteps(agent_, env_id_));
    }
    if (options_.steps <= start_step_) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the checkpoint ", options_.resume, " is at step ", start_step_,
          options_.steps > 0 ? absl::StrCat(", at or past the budget of ",
                                            options_.steps, " steps")
                             : "",
          "; pass --steps=N with N > ", start_step_,
          " (a total) to train further"));
    }
  }
  if (options_.eval_every == 0) {
    options_.eval_every = std::max<int64_t>(1, options_.steps / 5);
  }
  return absl::OkStatus();
}

absl::Status Run::CreateVideoSessions() {
  const Env& env0 = trainer_->env(0);
  VideoSessionOptions video = options_.video;
  video.video_dir = options_.run_dir + "/videos";
  video.agent = agent_;
  video.seed = trainer_->options().seed;
  video.env_kwargs = FormatEnvKwargs(env_kwargs_);
  video.gallery_title = absl::StrCat(env_id_, " ", agent_, " training");
  // The run directory was checked as a whole (a resumed run continues its
  // videos/; --overwrite moved an old run's aside).
  video.earlier_videos = EarlierVideos::kKeep;
  if (DataParallel()) {
    video.rank = 0;
    const std::vector<int>& ranks = options_.record_ranks;
    if (std::find(ranks.begin(), ranks.end(), 0) == ranks.end()) {
      video.record.mode = RecordMode::kNone;
    }
  }
  std::ostream* log = options_.quiet ? nullptr : &session_log_;
  if (video.tiled_envs > trainer_->num_envs()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot show ", video.tiled_envs, " envs in one video: ", agent_,
        " runs ", trainer_->num_envs(), " lockstep env(s) here (n_envs)"));
  }
  // The learner only takes the pictures: rendering, encoding and the files
  // are the session's thread's. Not data-parallel: there every rank's
  // learner holds a core (and waits for the others by busy-polling), so a
  // background thread would get almost none, and rank 0 (all ranks with it)
  // would wait for its starved recording; rank 0 records in its calls, as
  // its evaluations play in line.
  video.background = !DataParallel();
  RL_ASSIGN_OR_RETURN(train_videos_,
                      VideoSession::Create(video, env0.spec(), log));
  // Env 0's steps so far (a resumed run's earlier part included): a `steps`
  // schedule goes on counting from there (names use the run's steps).
  int64_t env0_steps = trainer_->steps_into_episode(0);
  for (const EpisodeRecord& episode : trainer_->episodes()) {
    if (episode.env_index == 0) env0_steps += episode.length;
  }
  train_videos_->ContinueStepCount(env0_steps);
  if (options_.record_eval && options_.video.record.mode != RecordMode::kNone) {
    VideoSessionOptions eval = video;
    // On the evaluation's own thread, itself in the background, with one
    // encoder thread as the background session's (video_session.h).
    eval.background = false;
    if (eval.encoder.threads == 0) eval.encoder.threads = 1;
    eval.rank = -1;  // Evaluations are rank 0's alone.
    eval.video_dir = options_.run_dir + "/videos/eval";
    eval.tiled_envs = 1;  // Evaluations run one env.
    eval.evaluation = true;
    eval.record = VideoSchedule();
    eval.record.mode = RecordMode::kEveryEpisodes;
    eval.record.every = 1;
    eval.record.name_prefix = env_id_ + "-eval";
    eval.gallery_title = absl::StrCat(env_id_, " ", agent_, " evaluations");
    RL_ASSIGN_OR_RETURN(
        eval_videos_,
        VideoSession::Create(eval, env0.spec(),
                             options_.quiet ? nullptr : &eval_session_log_));
  }
  return absl::OkStatus();
}

absl::Status Run::WriteRunFiles() {
  const std::string& dir = options_.run_dir;
  RL_RETURN_IF_ERROR(MakeDirectories(dir, "run directory"));
  RL_RETURN_IF_ERROR(MakeDirectories(dir + "/checkpoints", "run directory"));
  for (const auto& [key, value] : trainer_->agent().Stats()) {
    stat_keys_.push_back(key);
  }
  if (!options_.resume.empty()) RL_RETURN_IF_ERROR(LoadEarlierRows());
  const std::string metrics_header = absl::StrCat(
      "step,episode,return,length,steps_per_s", stat_keys_.empty() ? "" : ",",
      absl::StrJoin(stat_keys_, ","));
  RL_RETURN_IF_ERROR(metrics_.Open(dir + "/metrics.csv", metrics_header));
  metric_table_.SetColumns(absl::StrSplit(metrics_header, ','));
  for (const std::vector<std::string>& row : earlier_metric_rows_) {
    AddMetricRow(row);
  }
  earlier_metric_rows_.clear();
  RL_RETURN_IF_ERROR(evals_csv_.Open(dir + "/evals.csv",
                                     "step,mean_return,std_return,episodes"));
  RL_RETURN_IF_ERROR(
      videos_csv_.Open(dir + "/videos.csv", "step,kind,episode,return,file"));
  RL_RETURN_IF_ERROR(WriteConfig());
  RL_RETURN_IF_ERROR(train_videos_->Prepare());
  if (eval_videos_ != nullptr) RL_RETURN_IF_ERROR(eval_videos_->Prepare());
  // The overview lists the run (config.json, status.json) before its page
  // links to the overview.
  RL_RETURN_IF_ERROR(WriteStatus(/*running=*/true));
  UpdateOverview();
  return WritePage(/*running=*/true);
}

// Resuming: drop what happened after the checkpoint, then append.
absl::Status Run::LoadEarlierRows() {
  const std::string& dir = options_.run_dir;
  const int64_t at = trainer_->steps();
  std::string header;
  RL_ASSIGN_OR_RETURN(auto metric_rows,
                      TruncateCsv(dir + "/metrics.csv", at, &header));
  earlier_metric_rows_ = metric_rows;
  for (const auto& row : metric_rows) {
    CurvePoint point;
    if (row.size() > 2 && absl::SimpleAtoi(row[0], &point.step) &&
        absl::SimpleAtod(row[2], &point.episode_return)) {
      curve_.push_back(point);
    }
  }
  if (!header.empty()) {
    // Keep the existing columns.
    std::vector<std::string> columns = absl::StrSplit(header, ',');
    stat_keys_.assign(columns.begin() + std::min<size_t>(5, columns.size()),
                      columns.end());
  }
  RL_ASSIGN_OR_RETURN(auto eval_rows,
                      TruncateCsv(dir + "/evals.csv", at, &header));
  for (const auto& row : eval_rows) {
    EvalPoint point;
    if (row.size() >= 3 && absl::SimpleAtoi(row[0], &point.step) &&
        absl::SimpleAtod(row[1], &point.mean_return) &&
        absl::SimpleAtod(row[2], &point.std_return)) {
      if (row.size() >= 4) absl::SimpleAtoi(row[3], &point.episodes);
      summary_.evals.push_back(point);
      if (!has_best_ || point.mean_return >= summary_.best_eval) {
        summary_.best_eval = point.mean_return;
        has_best_ = true;
      }
    }
  }
  if (has_best_ && PathExists(dir + "/checkpoints/best.ckpt")) {
    summary_.best_checkpoint = dir + "/checkpoints/best.ckpt";
  }
  RL_ASSIGN_OR_RETURN(auto video_rows,
                      TruncateCsv(dir + "/videos.csv", at, &header));
  for (const auto& row : video_rows) {
    PageVideo video;
    if (row.size() >= 5 && absl::SimpleAtoi(row[0], &video.step) &&
        absl::SimpleAtoi(row[2], &video.episode) &&
        absl::SimpleAtod(row[3], &video.video_return)) {
      video.kind = row[1];
      video.file = row[4];
      summary_.videos.push_back(video);
    }
  }
  return absl::OkStatus();
}

// config.json: what really runs (resolved settings, the checkpoint's for a
// resumed run), the hyper-parameters, the first part's command line, and
// for each resume where and with which command line it continued.
absl::Status Run::WriteConfig() {
  nlohmann::json run = {
      {"env", env_id_},
      {"env_kwargs", FormatEnvKwargs(env_kwargs_)},
      {"agent", agent_},
      {"seed", trainer_->options().seed},
      {"steps", options_.steps},
      {"num_envs", trainer_->num_envs()},
      {"eval_every", options_.eval_every},
      {"eval_episodes", options_.eval_episodes},
      {"record_eval", options_.record_eval},
      {"resumed_from", options_.resume},
      {"ranks", DataParallel() ? options_.trainer.collective->size() : 1},
      {"resumed_at_step", start_step_}};
  nlohmann::json hyperparams = nlohmann::json::object();
  for (const auto& [name, value] : trainer_->agent().hyperparams()) {
    hyperparams[name] = ConfigValue(value);
  }
  nlohmann::json config = {
      {"run", run}, {"hyperparams", hyperparams}, {"flags", options_.flags}};
  if (!options_.resume.empty() && previous_config_.is_object()) {
    if (previous_config_.contains("flags")) {
      config["flags"] = previous_config_["flags"];
    }
    nlohmann::json resumes =
        previous_config_.value("resumes", nlohmann::json::array());
    if (!resumes.is_array()) resumes = nlohmann::json::array();
    resumes.push_back({{"from", options_.resume},
                       {"at_step", start_step_},
                       {"flags", options_.flags}});
    config["resumes"] = resumes;
  }
  return WriteFileAtomically(options_.run_dir + "/config.json",
                             config.dump(2) + "\n");
}

void Run::Print(const std::string& text) {
  if (options_.quiet) return;
  if (progress_on_line_) out_ << "\r\x1b[K";
  progress_on_line_ = false;
  out_ << text;
  out_.flush();
}

void Run::StartLive() {
  if (options_.live == nullptr) return;
  live_returns_.assign(trainer_->num_envs(), 0);
  live_steps_.assign(trainer_->num_envs(), 0);
  LiveBoard& board = options_.live->board();
  board.SetRun(RunTitle(), options_.steps);
  // A resumed run shows its whole curve.
  for (const CurvePoint& point : curve_) {
    board.AddEpisode(point.step, point.episode_return);
  }
  for (const EvalPoint& point : summary_.evals) {
    board.AddEval(point.step, point.mean_return, point.std_return);
  }
  for (const PageVideo& video : summary_.videos) {
    board.AddVideo({video.kind, video.file, video.episode, video.step, 0,
                    video.video_return, ""});
  }
  board.SetProgress(trainer_->steps(), TotalEpisodes());
  board.SetState("training");
}

void Run::ShowTraining(bool last) {
  LiveView& live = *options_.live;
  if (!last && (!live.wanted() || evaluation_on_live_.load())) return;
  const int n = trainer_->num_envs();
  live.board().SetProgress(trainer_->steps(), TotalEpisodes());
  std::vector<const Env*> envs(n);
  std::vector<OverlayInfo> overlays(n);
  for (int i = 0; i < n; ++i) {
    envs[i] = &trainer_->env(i);
    OverlayInfo& overlay = overlays[i];
    overlay.env_id = n == 1 ? env_id_ : absl::StrCat("env ", i);
    overlay.episode = static_cast<int>(trainer_->run_episode(i));
    overlay.step = static_cast<int>(live_steps_[i]);
    overlay.episode_return = live_returns_[i];
  }
  absl::MutexLock lock(&live_mutex_);
  if (last) {
    live.ShowLast(envs, overlays);
  } else {
    live.ShowEnvs(envs, overlays);
  }
}

void Run::CollectVideos(VideoSession* session, const std::string& kind,
                        const std::string& subdir, size_t* seen,
                        std::ostringstream* log) {
  if (session == nullptr) return;
  if (const std::string text = log->str(); !text.empty()) {
    Print(text);
    log->str("");
  }
  while (*seen < session->videos().size()) {
    const VideoRecord& record = session->videos()[(*seen)++];
    PageVideo video;
    video.kind = kind;
    video.rank = record.rank;
    // Where the video ends on the run's curve: its last frame's step (an
    // evaluation's: the step it ran at).
    video.step = record.last_step;
    video.file = subdir + "/" + record.file;
    video.video_return = record.video_return;
    video.episode = record.episode;
    summary_.videos.push_back(video);
    if (options_.live != nullptr) {
      options_.live->board().AddVideo({kind, video.file, video.episode,
                                       video.step, record.frames,
                                       record.video_return, record.ended});
    }
    absl::Status status = videos_csv_.Append(
        absl::StrCat(video.step, ",", kind, ",", video.episode, ",",
                     FormatNumber(video.video_return), ",", video.file));
    if (!status.ok()) Print(absl::StrCat("warning: ", status.message(), "\n"));
  }
}

void Run::Progress(bool force) {
  if (options_.quiet) return;
  const double interval = options_.tty ? 0.2 : options_.progress_interval_s;
  if (!force &&
      std::chrono::duration<double>(Clock::now() - last_progress_).count() <
          interval) {
    return;
  }
  const int64_t steps = trainer_->steps();
  if (force && steps == last_progress_step_) return;
  last_progress_ = Clock::now();
  last_progress_step_ = steps;
  const double elapsed = SecondsSince(start_);
  const double rate = run_rate_ > 0 ? run_rate_
                      : elapsed > 0 ? (steps - start_step_) / elapsed
                                    : 0;
  double mean = 0;
  for (double r : recent_returns_) mean += r;
  std::string line = absl::StrFormat(
      "step %d/%d (%.0f%%) | %.0f steps/s | episodes %d", steps, options_.steps,
      100.0 * steps / std::max<int64_t>(1, options_.steps), rate,
      TotalEpisodes());
  if (!recent_returns_.empty()) {
    absl::StrAppend(&line, " | return(last ", recent_returns_.size(), ") ",
                    FormatNumber(mean / recent_returns_.size()));
  }
  if (!summary_.evals.empty()) {
    absl::StrAppend(&line, " | eval ",
                    FormatNumber(summary_.evals.back().mean_return));
  }
  if (evaluation_ != nullptr && !EvaluationDone()) {
    absl::StrAppend(&line, " (evaluating step ", evaluation_->milestone, ")");
  }
  // Back-pressure: training held up by work meant to run beside it.
  if (const double recording = train_videos_->seconds_waited();
      recording >= 0.1) {
    absl::StrAppend(
        &line, absl::StrFormat(" | waited %.1f s for recording", recording));
  }
  if (seconds_waited_for_evaluations_ >= 0.1) {
    absl::StrAppend(&line, absl::StrFormat(" | waited %.1f s for evaluations",
                                           seconds_waited_for_evaluations_));
  }
  absl::StrAppend(
      &line, " | ETA ",
      FormatDuration(rate > 0 ? (options_.steps - steps) / rate : NAN));
  if (options_.tty) {
    out_ << "\r" << line << "\x1b[K";
    progress_on_line_ = true;
  } else {
    out_ << line << "\n";
  }
  out_.flush();
}

absl::Status Run::SaveCheckpoint(const std::string& path,
                                 const Checkpoint* checkpoint) {
  if (!can_checkpoint_) return absl::OkStatus();
  if (checkpoint != nullptr) return WriteCheckpoint(path, *checkpoint);
  absl::Status status = trainer_->SaveCheckpoint(path);
  if (absl::IsUnimplemented(status)) {
    NoCheckpoints();
    return absl::OkStatus();
  }
  return status;
}

// Watches an evaluation the run makes at step `step`: records its first
// episode and shows it live (drawing under `live_mutex`, and saying so in
// `on_live` so the training envs are not drawn meanwhile).
class EvaluationObserver : public EpisodeObserver {
 public:
  EvaluationObserver(VideoSession* videos, int64_t step, LiveView* live,
                     absl::Mutex* live_mutex, std::atomic<bool>* on_live,
                     OverlayInfo overlay, std::string label, int episodes)
      : videos_(videos),
        step_(step),
        live_(live),
        live_mutex_(live_mutex),
        on_live_(on_live),
        overlay_(std::move(overlay)),
        label_(std::move(label)),
        episodes_(episodes) {}
  ~EvaluationObserver() override { on_live_->store(false); }

  // The evaluation's episodes are numbered 0 .. episodes - 1, its steps
  // are the run's step it runs at.
  absl::Status OnReset(int, const EpisodeStart& start,
                       const Env& env) override {
    episode_ = start.episode;
    overlay_.episode = static_cast<int>(start.episode);
    overlay_.step = 0;
    overlay_.episode_return = 0;
    overlay_.label = absl::StrCat(label_, ", episode ", start.episode, " (of ",
                                  episodes_, ")");
    if (recording()) {
      return videos_->OnReset(0, EpisodeStart{start.episode, 0, step_}, env);
    }
    return absl::OkStatus();
  }
  absl::Status OnStep(int, const Env& env, const StepResult& result,
                      int64_t) override {
    ++overlay_.step;
    overlay_.episode_return += result.reward;
    if (live_ != nullptr && live_->wanted()) {
      on_live_->store(true);
      absl::MutexLock lock(live_mutex_);
      live_->ShowEnvs({&env}, {overlay_});
    }
    if (recording()) return videos_->OnStep(0, env, result, step_);
    return absl::OkStatus();
  }
  absl::Status OnEpisodeEnd(const EpisodeRecord&) override {
    if (recording()) return videos_->Finish("run ended");
    return absl::OkStatus();
  }

 private:
  bool recording() const { return videos_ != nullptr && episode_ == 0; }

  VideoSession* const videos_;  // Null: nothing recorded.
  const int64_t step_;
  LiveView* const live_;
  absl::Mutex* const live_mutex_;
  std::atomic<bool>* const on_live_;
  OverlayInfo overlay_;
  const std::string label_;  // "evaluation at step N".
  const int episodes_;
  int64_t episode_ = -1;
};

absl::Status Run::StartEvaluation(int64_t milestone) {
  RL_RETURN_IF_ERROR(FinishEvaluation(/*next_due=*/true));  // One at a time.
  auto job = std::make_unique<EvaluationJob>();
  job->milestone = milestone;
  job->seed = trainer_->options().seed;
  // Data-parallel: in line, the ranks waiting as they meet. A copy would
  // be a one-process agent, which refuses a batch split over the ranks,
  // and would normalize observations by the statistics the ranks last
  // agreed on rather than rank 0's own, as its evaluations always have.
  if (can_checkpoint_ && !DataParallel()) {
    absl::StatusOr<Checkpoint> checkpoint = trainer_->MakeCheckpoint();
    if (absl::IsUnimplemented(checkpoint.status())) {
      NoCheckpoints();
    } else {
      RL_RETURN_IF_ERROR(checkpoint.status());
      RL_ASSIGN_OR_RETURN(
          job->policy,
          RestoreAgent(*checkpoint,
                       absl::StrCat("the policy at step ", milestone)));
      job->checkpoint = *std::move(checkpoint);
    }
  }
  if (job->policy == nullptr) {
    // Nothing to copy: the agent itself plays, so training waits.
    SetLiveState(absl::StrCat("evaluating at step ", milestone));
    job->status = PlayEvaluation(job.get(), &trainer_->agent());
    job->done.store(true);
    evaluation_ = std::move(job);
    return FinishEvaluation();
  }
  SetLiveState(absl::StrCat("training; evaluating step ", milestone,
                            "'s policy beside it"));
  EvaluationJob* playing = job.get();
  job->thread = std::thread([this, playing] {
    MakeThisThreadBackground();
    playing->status = PlayEvaluation(playing, playing->policy.get());
    playing->done.store(true, std::memory_order_release);
  });
  evaluation_ = std::move(job);
  return absl::OkStatus();
}

absl::Status Run::PlayEvaluation(EvaluationJob* job, Agent* agent) {
  // As the training envs are made: the same kwargs.
  RL_ASSIGN_OR_RETURN(std::unique_ptr<Env> env,
                      CreateEnv(env_id_, env_kwargs_));
  std::vector<std::unique_ptr<Env>> envs;
  envs.push_back(std::move(env));
  const int64_t milestone = job->milestone;
  EpisodeLoop loop(
      agent, std::move(envs),
      GreedyLoopOptions(job->seed, options_.max_eval_episode_steps,
                        absl::StrCat("evaluating at step ", milestone)));
  OverlayInfo overlay;
  overlay.env_id = env_id_;
  EvaluationObserver observer(eval_videos_.get(), milestone, options_.live,
                              &live_mutex_, &evaluation_on_live_, overlay,
                              absl::StrCat("evaluation at step ", milestone),
                              options_.eval_episodes);
  loop.AddObserver(&observer);
  EpisodeLoop::Budget budget;
  budget.episodes = options_.eval_episodes;
  RL_RETURN_IF_ERROR(loop.Run(
      budget, [this, job] { return job->abandon.load() || StopRequested(); }));
  if (eval_videos_ != nullptr) {
    // The first episode's video, finished by its end or cut by a stop.
    RL_RETURN_IF_ERROR(
        eval_videos_->Finish(StopRequested() ? "stopped" : "run ended"));
  }
  for (const EpisodeRecord& record : loop.episodes()) {
    job->returns.push_back(record.episode_return);
  }
  return absl::OkStatus();
}

absl::Status Run::FinishEvaluation(bool next_due) {
  if (evaluation_ == nullptr) return absl::OkStatus();
  std::unique_ptr<EvaluationJob> job = std::move(evaluation_);
  if (job->thread.joinable()) {
    if (next_due && !job->done.load(std::memory_order_acquire)) {
      const Clock::time_point start = Clock::now();
      job->thread.join();
      seconds_waited_for_evaluations_ += SecondsSince(start);
    } else {
      job->thread.join();
    }
  }
  CollectVideos(eval_videos_.get(), "eval", "videos/eval", &eval_seen_,
                &eval_session_log_);
  RL_RETURN_IF_ERROR(job->status);
  // An evaluation cut short by a stop request counts for nothing: no row,
  // no best checkpoint; a resumed run does it again.
  if (static_cast<int>(job->returns.size()) < options_.eval_episodes) {
    return absl::OkStatus();
  }
  RL_RETURN_IF_ERROR(RecordEvaluation(
      job->milestone, job->returns,
      job->checkpoint.has_value() ? &*job->checkpoint : nullptr));
  // The new run has evaluated: a run it replaces can go now.
  DropOldRun();
  RL_RETURN_IF_ERROR(WritePage(true));
  Progress(true);
  return absl::OkStatus();
}

void Run::AbandonEvaluation() {
  if (evaluation_ == nullptr) return;
  evaluation_->abandon.store(true);
  if (evaluation_->thread.joinable()) evaluation_->thread.join();
  evaluation_.reset();
}

// A whole evaluation: its row, the live curve, latest.ckpt and, when it is
// the best so far, best.ckpt.
absl::Status Run::RecordEvaluation(int64_t milestone,
                                   const std::vector<double>& returns,
                                   const Checkpoint* checkpoint) {
  EvalPoint point;
  point.step = milestone;
  for (double r : returns) point.mean_return += r;
  point.mean_return /= returns.size();
  for (double r : returns) {
    point.std_return += (r - point.mean_return) * (r - point.mean_return);
  }
  point.std_return = std::sqrt(point.std_return / returns.size());
  point.episodes = static_cast<int>(returns.size());
  summary_.evals.push_back(point);
  SetLiveState("training");
  if (options_.live != nullptr) {
    options_.live->board().AddEval(point.step, point.mean_return,
                                   point.std_return);
  }
  RL_RETURN_IF_ERROR(evals_csv_.Append(
      absl::StrCat(milestone, ",", FormatNumber(point.mean_return), ",",
                   FormatNumber(point.std_return), ",", returns.size())));
  RL_RETURN_IF_ERROR(SaveCheckpoint(
      options_.run_dir + "/checkpoints/latest.ckpt", checkpoint));
  // Ties go to the later evaluation: the policy trained longer (an
  // untrained policy that happened to score the maximum stays best no
  // longer than the next evaluation that scores it too).
  if (can_checkpoint_ &&
      (!has_best_ || point.mean_return >= summary_.best_eval)) {
    has_best_ = true;
    summary_.best_eval = point.mean_return;
    RL_RETURN_IF_ERROR(SaveCheckpoint(
        options_.run_dir + "/checkpoints/best.ckpt", checkpoint));
    summary_.best_checkpoint = options_.run_dir + "/checkpoints/best.ckpt";
  }
  if (!options_.quiet && !options_.tty) {
    Print(absl::StrFormat("eval at step %d: mean return %s +- %s over %d\n",
                          milestone, FormatNumber(point.mean_return),
                          FormatNumber(point.std_return), returns.size()));
  }
  RL_RETURN_IF_ERROR(WriteStatus(/*running=*/true));
  UpdateOverview();
  return absl::OkStatus();
}

void Run::EmbedNewVideos() {
  if (!options_.video.embed) return;
  for (const PageVideo& video : summary_.videos) {
    if (embedded_.count(video.file) > 0) continue;
    absl::StatusOr<std::string> data_uri =
        VideoDataUri(absl::StrCat(options_.run_dir, "/", video.file));
    if (data_uri.ok()) {
      embedded_[video.file] = *std::move(data_uri);
    } else if (not_embedded_.insert(video.file).second) {
      Print(absl::StrCat("warning: the run page links ", video.file,
                         " instead: ", data_uri.status().message(), "\n"));
    }
  }
}

void Run::AddMetricRow(const std::vector<std::string>& row) {
  // The CSV's own text, so the page shows the values metrics.csv holds.
  std::vector<double> values(metric_table_.columns().size(), NAN);
  for (size_t i = 0; i < row.size() && i < values.size(); ++i) {
    if (!absl::SimpleAtod(row[i], &values[i])) values[i] = NAN;
  }
  metric_table_.Add(std::move(values));
}

absl::Status Run::WritePage(bool running) {
  last_page_ = Clock::now();
  EmbedNewVideos();
  const RunPageData data = PageData(running);
  const std::string& dir = options_.run_dir;
  RL_RETURN_IF_ERROR(WriteStatus(running));
  // The data first: a page that polls it never reads an older one than it
  // was written with.
  RL_RETURN_IF_ERROR(
      WriteFileAtomically(dir + "/page_data.js", RunPageDataScript(data, dir)));
  return WriteFileAtomically(
      dir + "/index.html",
      RunPageHtml(data, dir, running ? options_.page_refresh_s : 0, embedded_));
}

RunPageData Run::PageData(bool running) const {
  const int64_t steps = trainer_->steps();
  std::string status = absl::StrFormat("%s: %d of %d steps, %d episodes",
                                       running ? "training" : "finished", steps,
                                       options_.steps, TotalEpisodes());
  if (summary_.stopped) status = absl::StrCat("stopped early at step ", steps);
  if (!failure_.empty()) {
    status = absl::StrCat("failed at step ", steps, ": ", failure_);
  }
  if (has_best_) {
    absl::StrAppend(&status, "; best evaluation ",
                    FormatNumber(summary_.best_eval));
  }
  RunPageData data;
  data.title = RunTitle();
  data.status_line = status;
  data.running = running;
  data.metrics = &metric_table_;
  data.evals = summary_.evals;
  data.videos = summary_.videos;
  data.runs_overview = runs_overview_;
  return data;
}

absl::Status Run::WriteStatus(bool running) {
  return WriteRunStatus(options_.run_dir, CurrentStatus(running));
}

RunStatus Run::CurrentStatus(bool running) const {
  RunStatus status;
  status.state = running             ? "running"
                 : !failure_.empty() ? "failed"
                 : summary_.stopped  ? "stopped"
                                     : "finished";
  status.message = failure_;
  status.steps = trainer_->steps();
  status.total_steps = options_.steps;
  status.episodes = TotalEpisodes();
  // The best evaluation, also of an agent that keeps no best.ckpt.
  for (const EvalPoint& point : summary_.evals) {
    if (!status.best_eval || point.mean_return >= *status.best_eval) {
      status.best_eval = point.mean_return;
    }
  }
  status.started = started_;
  status.updated = NowUtc();
  status.process = process_;
  return status;
}

void Run::UpdateOverview() {
  const std::string parent = RunsParent(options_.run_dir);
  absl::StatusOr<bool> written = UpdateRunsOverview(parent);
  std::string warning;
  if (!written.ok()) {
    warning = absl::StrCat("the runs overview was not written: ",
                           written.status().message());
  } else if (!*written && PathExists(parent + "/index.html")) {
    warning = absl::StrCat(
        parent,
        "/index.html is not a runs overview (no headless-rl generator "
        "marker): left alone, so no overview of the runs there; move it "
        "away to get one");
  }
  runs_overview_ = written.ok() && *written;
  if (!warning.empty() && overview_warnings_.insert(warning).second) {
    Print(absl::StrCat("warning: ", warning, "\n"));
  }
}

std::string Run::RunTitle() const {
  return absl::StrCat(
      env_id_,
      env_kwargs_.empty()
          ? ""
          : absl::StrCat(" (", FormatEnvKwargs(env_kwargs_), ")"),
      " / ", agent_, " / seed ", trainer_->options().seed);
}

absl::Status Run::OnReset(int index, const EpisodeStart&, const Env& env) {
  if (options_.live != nullptr) {
    live_returns_[index] = 0;
    live_steps_[index] = 0;
  }
  if (index != 0) return absl::OkStatus();
  CollectVideos(train_videos_.get(), "train", "videos", &train_seen_,
                &session_log_);
  return absl::OkStatus();
}

absl::Status Run::OnStep(int index, const Env& env, const StepResult& result,
                         int64_t) {
  if (options_.live != nullptr) {
    live_returns_[index] += result.reward;
    ++live_steps_[index];
    if (index == trainer_->num_envs() - 1) ShowTraining();
  }
  if (index != 0) return absl::OkStatus();
  CollectVideos(train_videos_.get(), "train", "videos", &train_seen_,
                &session_log_);
  // An evaluation playing beside training is recorded once it is done.
  if (EvaluationDone()) RL_RETURN_IF_ERROR(FinishEvaluation());
  Progress(false);
  return absl::OkStatus();
}

absl::Status Run::OnEpisodeEnd(const EpisodeRecord& record) {
  // Over the whole run, earlier parts of a resumed one included: a rate
  // of this part alone would start from a few cheap steps (before the
  // first update) and read several times too high after a resume.
  const double rate = record.seconds > 0
                          ? static_cast<double>(record.step) / record.seconds
                          : 0;
  run_rate_ = rate;
  std::string row = absl::StrCat(record.step, ",", record.episode, ",",
                                 FormatNumber(record.episode_return), ",",
                                 record.length, ",", FormatNumber(rate));
  for (const std::string& key : stat_keys_) {
    auto it = record.stats.find(key);
    absl::StrAppend(&row, ",",
                    it == record.stats.end() ? "" : FormatNumber(it->second));
  }
  RL_RETURN_IF_ERROR(metrics_.Append(row));
  AddMetricRow(absl::StrSplit(row, ','));
  if (options_.live != nullptr) {
    options_.live->board().AddEpisode(record.step, record.episode_return);
    options_.live->board().SetProgress(record.step, TotalEpisodes());
  }
  recent_returns_.push_back(record.episode_return);
  if (recent_returns_.size() > 20) recent_returns_.pop_front();
  if (SecondsSince(last_page_) >= 2) RL_RETURN_IF_ERROR(WritePage(true));
  return absl::OkStatus();
}

absl::Status Run::StartRanks() {
  if (!DataParallel()) return absl::OkStatus();
  Collective* collective = options_.trainer.collective;
  std::string settings = WorkerSettings(options_.steps);
  RL_RETURN_IF_ERROR(collective->Broadcast(&settings));
  sync_ = std::make_unique<RankSync>(
      collective, MeetingInterval(trainer_->num_envs(), collective->size()));
  sync_->set_on_news(
      [this](int rank, const std::string& news) { OnNews(rank, news); });
  sync_->set_viewers([this] {
    return options_.live != nullptr && options_.live->feed().viewers() > 0;
  });
  return absl::OkStatus();
}

void Run::OnNews(int rank, const std::string& text) {
  const size_t newline = text.find('\n');
  if (newline != std::string::npos && newline + 1 < text.size() &&
      options_.live != nullptr) {
    options_.live->board().SetRankPicture(rank, text.substr(newline + 1));
  }
  nlohmann::json news =
      nlohmann::json::parse(text.substr(0, newline), nullptr, false);
  if (!news.is_object()) {
    Print(
        absl::StrCat("warning: rank ", rank, " sent news that is not JSON\n"));
    return;
  }
  // Typed reads: json::value() throws on a present value of another type
  // (a NaN return arrives as null).
  auto integer = [](const nlohmann::json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_number_integer() ? it->get<int64_t>()
                                                         : int64_t{0};
  };
  auto string = [](const nlohmann::json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>()
                                                 : std::string();
  };
  other_ranks_episodes_ += integer(news, "episodes");
  const auto videos = news.find("videos");
  if (videos == news.end() || !videos->is_array()) return;
  for (const nlohmann::json& item : *videos) {
    if (!item.is_object()) continue;
    PageVideo video;
    video.kind = "train";
    video.rank = rank;
    video.file = string(item, "file");
    video.step = integer(item, "step");
    video.episode = integer(item, "episode");
    const auto video_return = item.find("return");
    video.video_return = video_return != item.end() && video_return->is_number()
                             ? video_return->get<double>()
                             : NAN;
    summary_.videos.push_back(video);
    if (options_.live != nullptr) {
      options_.live->board().AddVideo(
          {absl::StrCat("train, rank ", rank), video.file, video.episode,
           video.step, integer(item, "frames"), video.video_return,
           string(item, "ended")});
    }
    absl::Status status = videos_csv_.Append(
        absl::StrCat(video.step, ",train,", video.episode, ",",
                     FormatNumber(video.video_return), ",", video.file));
    if (!status.ok()) Print(absl::StrCat("warning: ", status.message(), "\n"));
  }
}

absl::StatusOr<TrainingSummary> Run::Go() {
  RL_RETURN_IF_ERROR(Setup());
  RL_RETURN_IF_ERROR(StartRanks());
  StartLive();
  const int64_t eval_every = options_.eval_every;  // Resolved by Setup().

  trainer_->AddObserver(train_videos_.get());  // Before this run's own.
  trainer_->AddObserver(this);

  // The schedule of an uninterrupted run: one evaluation every eval_every
  // steps after the last one (at once when there is none, or when a resumed
  // run's evaluation was cut short and so left no row).
  int64_t next_eval =
      summary_.evals.empty() ? 0 : summary_.evals.back().step + eval_every;
  while (!Stopping()) {
    if (trainer_->steps() >= next_eval || trainer_->steps() >= options_.steps) {
      // Plays beside the training that follows (EvaluationJob).
      RL_RETURN_IF_ERROR(StartEvaluation(trainer_->steps()));
      next_eval = trainer_->steps() + eval_every;
      if (trainer_->steps() >= options_.steps) break;
    }
    RL_RETURN_IF_ERROR(trainer_->Run(std::min(next_eval, options_.steps),
                                     [this] { return ShouldStop(); }));
    if (sync_ != nullptr) RL_RETURN_IF_ERROR(sync_->error());
  }
  // The last evaluation (of the final policy, or one a stop cut short).
  RL_RETURN_IF_ERROR(FinishEvaluation());
  summary_.stopped = Stopping();
  DropOldRun();
  SetLiveState(summary_.stopped ? "stopping" : "finishing");
  RL_RETURN_IF_ERROR(
      train_videos_->Finish(summary_.stopped ? "stopped" : "run ended"));
  CollectVideos(train_videos_.get(), "train", "videos", &train_seen_,
                &session_log_);
  // The other ranks' last videos.
  if (sync_ != nullptr) RL_RETURN_IF_ERROR(sync_->Finish());
  RL_RETURN_IF_ERROR(
      SaveCheckpoint(options_.run_dir + "/checkpoints/latest.ckpt"));
  if (can_checkpoint_) {
    summary_.latest_checkpoint = options_.run_dir + "/checkpoints/latest.ckpt";
  }
  summary_.steps = trainer_->steps();
  summary_.episodes = TotalEpisodes();
  RL_RETURN_IF_ERROR(WritePage(/*running=*/false));
  UpdateOverview();
  if (options_.live != nullptr) {
    options_.live->board().SetProgress(summary_.steps, summary_.episodes);
    SetLiveState(summary_.stopped ? "stopped" : "finished");
    ShowTraining(/*last=*/true);
  }
  Progress(true);
  if (progress_on_line_) out_ << "\n";
  return summary_;
}

}  // namespace

std::string DefaultRunDirName(const std::string& env_id,
                              const std::string& agent, uint64_t seed) {
  return absl::StrCat(env_id, "-", agent, "-seed", seed);
}

absl::StatusOr<TrainingSummary> RunTraining(const TrainingRunOptions& options,
                                            std::ostream& out) {
  if (options.steps < 1 && !(options.resume.size() && options.steps == 0)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "steps must be >= 1 (got ", options.steps, "); pass --steps=N"));
  }
  if (options.eval_episodes < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--eval_episodes must be >= 1 (got ", options.eval_episodes, ")"));
  }
  if (options.eval_every < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--eval_every must be >= 0 (0: a fifth of --steps; got ",
                     options.eval_every, ")"));
  }
  if (options.run_dir.empty()) {
    return absl::InvalidArgumentError("run_dir must not be empty");
  }
  if (IsDataParallel(options.trainer.collective) &&
      options.trainer.collective->rank() > 0) {
    return RunTrainingWorker(options, out);
  }
  Run run(options, out);
  absl::StatusOr<TrainingSummary> summary = run.Go();
  if (!summary.ok()) run.CleanUpAfterError(summary.status());
  return summary;
}

}  // namespace rl
