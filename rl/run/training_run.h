// RunTraining: one training run as the train binary does it. A Trainer
// learns for a step budget; its hooks drive a VideoSession (env 0's
// episodes, by default on the capped-cubic schedule) and, at every
// evaluation milestone, the greedy policy plays --eval_episodes episodes of
// which the first is recorded too. The learner does not wait for either
// (README, "Recording beside training"): an evaluation plays a copy of the
// policy at its step on a thread of its own while training goes on (in
// line for data-parallel runs and agents without a state), and the
// training videos are rendered and encoded on the video session's thread
// (VideoSessionOptions::background; not data-parallel runs), both at
// background priority; the
// training itself is the same with or without them, bit for bit.
// Everything goes into one run directory:
//
//   RUN_DIR/config.json          flags, env kwargs, resolved hyper-parameters
//   RUN_DIR/metrics.csv          one row per training episode
//   RUN_DIR/evals.csv            one row per evaluation milestone
//   RUN_DIR/videos/              training videos (+ .json sidecars, gallery)
//   RUN_DIR/videos/eval/         evaluation videos (+ sidecars, gallery)
//   RUN_DIR/checkpoints/latest.ckpt, best.ckpt (best evaluated mean return)
//   RUN_DIR/index.html           learning curve (SVG) with the videos along
//                                it; refreshes itself until the run ends
//   RUN_DIR/status.json          state (running, finished, stopped, failed),
//                                steps, best evaluation, pid and host
//   PARENT/index.html            the runs overview of RUN_DIR's parent
//                                (rl/run/runs_overview.h), rewritten when the
//                                run starts, evaluates and ends; never over
//                                a user's own index.html
//
// Every file is rewritten atomically (except the CSVs, which are appended
// row by row and flushed). A stop request (SIGINT) ends the run after the
// current step: the video in progress is finalized, the latest checkpoint,
// metrics and a complete page (no refresh) are written, and the summary says
// `stopped`. Resuming (options.resume) continues the same run directory and
// curve: rows after the checkpoint's step are dropped, then appended to.
//
// Example:
//   TrainingRunOptions options;
//   options.trainer.env_id = "CartPole-v1";
//   options.trainer.agent = "ppo";
//   options.steps = 50000;
//   options.run_dir = "/tmp/runs/cartpole-ppo";
//   RL_ASSIGN_OR_RETURN(TrainingSummary summary,
//                       RunTraining(options, std::cout));
#ifndef RL_RUN_TRAINING_RUN_H_
#define RL_RUN_TRAINING_RUN_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "rl/live/live_view.h"
#include "rl/pipeline/trainer.h"
#include "rl/pipeline/video_session.h"
#include "rl/run/run_page.h"

namespace rl {

// Which settings the caller chose explicitly (the command line), as opposed
// to defaults. A resumed run takes its env, agent, seed and hyper-parameters
// from the checkpoint and its env kwargs, evaluation settings and step
// budget from the run's config.json (a config.json without env kwargs, from
// before they existed, means none; a run without a readable config.json
// takes trainer.env_kwargs); an explicit choice that contradicts them is
// refused by name, not ignored.
struct ExplicitSettings {
  bool env = false;
  bool env_kwargs = false;
  bool agent = false;
  bool seed = false;
  bool hparams = false;
  bool eval_every = false;
  bool eval_episodes = false;
  bool record_eval = false;
};

struct TrainingRunOptions {
  TrainerOptions trainer;
  // Total env steps (a total, also when resuming). 0 when resuming: the
  // run's own budget (config.json), else the defaults table's.
  int64_t steps = 0;
  std::string run_dir;  // Created if missing.
  std::string resume;   // A checkpoint to continue from; "" starts anew.
  ExplicitSettings given;
  // A new run refuses a run_dir that holds a run (metrics.csv or
  // config.json) unless overwrite. Everything is checked before anything is
  // written; the old run's files are then moved aside and deleted only once
  // the new run has evaluated its first policy, so a run that fails before
  // that puts the old one back whole. A run directory holding a symbolic
  // link is refused.
  bool overwrite = false;
  // Recording: video_dir is set to RUN_DIR/videos, background to true
  // unless data-parallel (and encoder.threads 0 means 1 then,
  // video_session.h); record.mode kNone records nothing (evaluations
  // neither).
  VideoSessionOptions video;
  bool record_eval = true;  // Record the first episode of each evaluation.
  int64_t eval_every = 0;   // Env steps between evaluations; 0: steps / 5.
  int eval_episodes = 5;
  int64_t max_eval_episode_steps = 10000;
  // Console: a progress line, rewritten in place on a terminal, else a
  // plain line every progress_interval_s seconds. quiet: errors only.
  bool quiet = false;
  bool tty = false;
  double progress_interval_s = 10;
  double page_refresh_s = 5;  // index.html's refresh period while running.
  // The command line, for config.json: numbers as numbers, booleans as
  // booleans (the flags' types), the rest as strings.
  std::map<std::string, nlohmann::json> flags;
  const std::atomic<bool>* stop_requested = nullptr;
  // Data-parallel training (trainer.collective set, more than one rank):
  // rank 0 runs everything said above, the other ranks only train
  // (rl/run/training_worker.h). These ranks record their training videos
  // (the schedule of `video`, each rank its own env 0; rank 0's in
  // RUN_DIR/videos, rank R's in RUN_DIR/videos/rankR); evaluations are rank
  // 0's. Ignored for one process.
  std::vector<int> record_ranks = {0};
  // Data-parallel ranks > 0 when rank 0 serves a live view: how to render
  // this rank's envs for it (rendered only while rank 0 has viewers).
  std::optional<LiveFeedOptions> rank_live;
  // Optional (the caller's, started on run_dir): shows the run as it goes,
  // the envs being trained (a grid of them for PPO's lockstep envs, the
  // evaluation env during evaluations), the curve and the videos. Costs an
  // atomic load a step while nobody watches (rl/live/live_view.h).
  LiveView* live = nullptr;
};

struct TrainingSummary {
  std::string run_dir;
  int64_t steps = 0;
  int64_t episodes = 0;
  bool stopped = false;
  std::vector<EvalPoint> evals;
  std::vector<PageVideo> videos;
  double best_eval = 0;           // Ties go to the later evaluation.
  std::string best_checkpoint;    // "" if none was written.
  std::string latest_checkpoint;  // "" if the agent cannot checkpoint.
};

absl::StatusOr<TrainingSummary> RunTraining(const TrainingRunOptions& options,
                                            std::ostream& out);

// The default run directory name: ENV-AGENT-seedSEED.
std::string DefaultRunDirName(const std::string& env_id,
                              const std::string& agent, uint64_t seed);

}  // namespace rl

#endif  // RL_RUN_TRAINING_RUN_H_
