// train: trains an agent in an env with no screen (--steps, --resume, or a
// learning --agent), or plays one for N episodes (--episodes, the random
// agent), records the episodes (or steps) --record picks to videos, and
// writes a JSON sidecar per video and an index.html gallery beside them.
//
// Training writes a run directory (--run_dir, default runs/ENV-AGENT-seedN):
// metrics.csv, evals.csv, config.json, checkpoints/{latest,best}.ckpt,
// videos/ and index.html, a learning curve with the videos along it (see
// rl/run/training_run.h).
//
//   bazel run //rl/run:train -- --env=CartPole-v1 --agent=ppo
//       --steps=50000 --recorder=mp4
//   bazel run //rl/run:train -- --resume=runs/X/checkpoints/latest.ckpt
//       --steps=100000
//   bazel run //rl/run:train -- --env=CartPole-v1 --episodes=3
//       --video_dir=videos --embed
//   bazel run //rl/run:train -- --recorder=webm --record=every
//       --record_every=10 --episodes=100
//
// Ctrl-C (SIGINT) or SIGTERM stops after the current step; the current
// video is finished and the gallery written. A second Ctrl-C kills at once
// (the video, named ...-recording.mp4/.webm, still plays up to its last
// complete fragment or cluster, at most --flush_interval_ms before).
//
// --seeds=0,1,2 (or 0-4) trains one run per seed, one after another in this
// process, each into its own run directory (runs/ENV-AGENT-seedS, or
// RUN_DIR-seedS with --run_dir); runs/index.html overviews them (rl/run/
// runs_overview.h). One after another because each run already uses the
// machine's cores (the learner, plus recorder threads); on a bigger machine
// start several train processes with disjoint --seeds.
//
// Under mpirun (or srun) the same binary trains one agent data-parallel
// over the ranks (rl/mpi/README.md):
//   mpirun -np 4 bazel-bin/rl/run/train --env=CartPole-v1 --agent=ppo
// Rank 0 owns the run directory, the console and the live view; errors on
// any rank end the whole job with the rank named.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/internal/parse.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "nlohmann/json.hpp"
#include "rl/agents/agent.h"
#include "rl/agents/defaults.h"
#include "rl/agents/hyperparams.h"
#include "rl/envs/env.h"
#include "rl/envs/env_kwargs_flag.h"
#include "rl/live/live_flags.h"
#include "rl/mpi/mpi_world.h"
#include "rl/pipeline/video_session.h"
#include "rl/record/record_flags.h"
#include "rl/record/recorder.h"
#include "rl/record/trigger.h"
#include "rl/render/render_backend.h"
#include "rl/render/render_flags.h"
#include "rl/run/cli.h"
#include "rl/run/data_parallel.h"
#include "rl/run/play_episodes.h"
#include "rl/run/run_files.h"
#include "rl/run/run_flags.h"
#include "rl/run/runs_overview.h"
#include "rl/run/training_run.h"

ABSL_FLAG(std::string, env, "CartPole-v1", "Gymnasium id of the env.");
ABSL_FLAG(std::string, agent, "random", "Agent to run.");
ABSL_FLAG(int, episodes, 3,
          "Episodes to play (without training: the random agent and no "
          "--steps).");
ABSL_FLAG(int64_t, steps, 0,
          "Train for this many env steps (a total, also with --resume); 0: "
          "the defaults table's budget for a learning agent, else play "
          "--episodes.");
ABSL_FLAG(std::string, hparams, "",
          "Hyper-parameter overrides, key=value,... (see "
          "rl/agents/README.md).");
ABSL_FLAG(std::string, run_dir, "",
          "Training: the run directory; empty: runs/ENV-AGENT-seedSEED. "
          "Relative to the directory `bazel run` was started in.");
ABSL_FLAG(std::string, resume, "",
          "Training: continue from this checkpoint (e.g. "
          "RUN_DIR/checkpoints/latest.ckpt), in its run directory.");
ABSL_FLAG(int64_t, eval_every, 0,
          "Training: env steps between greedy evaluations (recorded, "
          "checkpointed); 0: a fifth of --steps.");
ABSL_FLAG(int, eval_episodes, 5, "Training: episodes per evaluation.");
ABSL_FLAG(bool, record_eval, true,
          "Training: record the first episode of every evaluation.");
ABSL_FLAG(int, video_envs, 1,
          "Training: show this many of the agent's lockstep envs in each "
          "training video, as a grid (PPO runs n_envs of them); the schedule "
          "follows env 0.");
ABSL_FLAG(bool, quiet, false,
          "Print errors only (training, and --episodes runs).");
ABSL_FLAG(double, progress_interval, 10,
          "Training: seconds between progress lines when stdout is not a "
          "terminal (on a terminal the line is rewritten in place).");
ABSL_FLAG(int64_t, seed, 0, "Seed of the env and the agent, >= 0.");
ABSL_FLAG(std::string, seeds, "",
          "Training: one run per seed, one after another in this process: "
          "seeds and ranges, comma-separated (0,1,2 or 0-4), each into its "
          "own run directory runs/ENV-AGENT-seedS (with --run_dir=D: "
          "D-seedS), all overviewed in runs/index.html. One after another "
          "because each run already uses the machine's cores (learner and "
          "recorder threads); on a bigger machine start several train "
          "processes with disjoint --seeds (or use mpirun for one faster "
          "run). Ctrl-C stops the current run and skips the rest. Not with "
          "--seed, --resume, --episodes or under mpirun.");
ABSL_FLAG(std::string, video_dir, "videos",
          "Where videos and index.html go; relative paths are relative to "
          "the directory `bazel run` was started in.");
ABSL_FLAG(std::string, record_ranks, "0",
          "Data-parallel training (under mpirun): the ranks that record "
          "training videos, comma-separated, or 'all'. Rank R's go to "
          "RUN_DIR/videos/rankR (rank 0's to RUN_DIR/videos); evaluations "
          "are rank 0's.");
ABSL_FLAG(bool, list, false,
          "List the envs, agents, render backends and recorders built in, "
          "and exit.");

namespace {

template <typename RegistryT>
void PrintRegistry(const char* title, const RegistryT& registry) {
  std::cout << title << ":\n";
  for (const std::string& name : registry.Names()) {
    std::cout << "  " << name << "  " << registry.Description(name) << "\n";
  }
}

// Whether --name was given on the command line (not just defaulted).
// absl's own record of it; Debian 12's Abseil has no public accessor.
bool Given(absl::string_view name) {
  return absl::flags_internal::WasPresentOnCommandLine(name);
}

// A flag's value for config.json: numbers and booleans typed (rather than
// by the look of the value: --record_ranks=0 is a list, kept a string).
nlohmann::json TypedFlagValue(const absl::CommandLineFlag& flag) {
  const std::string value = flag.CurrentValue();
  if (flag.IsOfType<bool>() || flag.IsOfType<int>() ||
      flag.IsOfType<int64_t>() || flag.IsOfType<uint64_t>() ||
      flag.IsOfType<double>() || flag.IsOfType<float>()) {
    return rl::ConfigValue(value);
  }
  return value;
}

// --live serving `root`: the live view, null without --live; if it cannot
// start, prints why and sets *exit_code (2 for a bad flag value, else 1).
std::unique_ptr<rl::LiveView> StartLive(const std::string& root,
                                        const rl::RunOptions& options,
                                        int* exit_code) {
  auto live = rl::StartLiveViewFromFlags(root, options.render_backend,
                                         options.egl_device, options.scene,
                                         std::cout, std::cerr);
  if (!live.ok()) {
    std::cerr << "error: " << live.status().message() << "\n";
    *exit_code = absl::IsInvalidArgument(live.status()) ? 2 : 1;
    return nullptr;
  }
  return std::move(*live);
}

// Prints "error: MESSAGE" and returns `code` (main's exit code).
int Fail(int code, absl::string_view message) {
  std::cerr << "error: " << message << "\n";
  return code;
}

// Flag values no later check would catch, refused before any work; "" if
// all are fine.
std::string CheckRunFlags() {
  if (const int64_t seed = absl::GetFlag(FLAGS_seed); seed < 0) {
    return absl::StrCat("--seed must be >= 0 (got ", seed, ")");
  }
  if (const int64_t steps = absl::GetFlag(FLAGS_steps); steps < 0) {
    return absl::StrCat(
        "--steps must be >= 0 (0: the defaults table's budget; got ", steps,
        ")");
  }
  if (const int64_t every = absl::GetFlag(FLAGS_eval_every); every < 0) {
    return absl::StrCat("--eval_every must be >= 0 (0: a fifth of --steps; ",
                        "got ", every, ")");
  }
  return "";
}

// The names first: a typo is reported as one, not as what it leads to.
std::string CheckNames(const std::string& env, const std::string& agent) {
  for (const absl::Status& name :
       {rl::Envs().CheckName(env), rl::Agents().CheckName(agent)}) {
    if (!name.ok()) return std::string(name.message());
  }
  if (agent == "random" && !absl::GetFlag(FLAGS_hparams).empty()) {
    return "--hparams: the random agent has no hyper-parameters (see "
           "rl/agents/README.md for each agent's)";
  }
  return "";
}

// What an episode (and a training run's videos) are made of, from the flags.
rl::RunOptions EpisodeOptionsFromFlags(const rl::RenderFlags& render,
                                       const rl::RecordFlags& recording) {
  rl::RunOptions options;
  options.env = absl::GetFlag(FLAGS_env);
  options.agent = absl::GetFlag(FLAGS_agent);
  options.episodes = absl::GetFlag(FLAGS_episodes);
  options.seed = static_cast<uint64_t>(absl::GetFlag(FLAGS_seed));
  options.render_backend = render.render_backend;
  options.egl_device = render.egl_device;
  options.overlay = render.overlay;
  options.overlay_label = render.overlay_label;
  options.fit = render.fit;
  options.scene = render.scene;
  options.recorder = recording.recorder;
  options.video_dir =
      rl::ResolveAgainstWorkingDirectory(absl::GetFlag(FLAGS_video_dir));
  options.width = render.width;
  options.height = render.height;
  options.fps = recording.fps;
  options.record = recording.schedule;
  options.encoder = recording.encoder;
  options.embed = recording.embed;
  options.overwrite = rl::OverwriteFromFlag();
  return options;
}

// --run_dir, or the resumed checkpoint's run (RUN_DIR/checkpoints/X.ckpt),
// or runs/ENV-AGENT-seedSEED. One run of --seeds: --run_dir-seedSEED.
std::string RunDirFromFlags(const std::string& resume,
                            const rl::RunOptions& options, bool per_seed) {
  std::string run_dir = absl::GetFlag(FLAGS_run_dir);
  if (per_seed && !run_dir.empty()) {
    while (run_dir.size() > 1 && run_dir.back() == '/') run_dir.pop_back();
    run_dir = absl::StrCat(run_dir, "-seed", options.seed);
  }
  if (run_dir.empty() && !resume.empty()) {
    run_dir = rl::RunDirOfCheckpoint(resume);
  }
  if (run_dir.empty()) {
    run_dir = absl::StrCat(
        "runs/",
        rl::DefaultRunDirName(options.env, options.agent, options.seed));
  }
  return rl::ResolveAgainstWorkingDirectory(run_dir);
}

// Which run settings were given (a resume refuses those that contradict
// its checkpoint) and every run flag's value (for config.json).
void NoteGivenFlags(rl::TrainingRunOptions* training) {
  training->given.env = Given("env");
  training->given.env_kwargs = Given("env_kwargs");
  training->given.agent = Given("agent");
  training->given.seed = Given("seed");
  training->given.hparams = Given("hparams");
  training->given.eval_every = Given("eval_every");
  training->given.eval_episodes = Given("eval_episodes");
  training->given.record_eval = Given("record_eval");
  for (const char* name :
       {"env", "env_kwargs", "agent", "seed", "steps", "hparams", "resume",
        "eval_every", "eval_episodes", "record", "record_every", "recorder",
        "render_backend", "size", "fps", "overlay", "record_ranks",
        "max_episode_steps"}) {
    if (const absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name)) {
      training->flags[std::string(flag->Name())] = TypedFlagValue(*flag);
    }
  }
}

// A training run's options from the flags; errors are the user's (exit 2).
absl::StatusOr<rl::TrainingRunOptions> TrainingOptionsFromFlags(
    const rl::RunOptions& options, const std::atomic<bool>& stop_requested,
    bool per_seed) {
  rl::TrainingRunOptions training;
  training.trainer.env_id = options.env;
  training.trainer.env_kwargs = options.env_kwargs;
  training.trainer.agent = options.agent;
  training.trainer.seed = options.seed;
  auto hparams = rl::ParseHyperParams(absl::GetFlag(FLAGS_hparams));
  if (!hparams.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--hparams: ", hparams.status().message()));
  }
  training.trainer.hyperparams = *hparams;
  training.resume =
      rl::ResolveAgainstWorkingDirectory(absl::GetFlag(FLAGS_resume));
  const bool resume = !training.resume.empty();
  // Resuming without --steps: the run's own budget (RunTraining).
  training.steps = absl::GetFlag(FLAGS_steps);
  if (training.steps == 0 && !resume) {
    training.steps = rl::DefaultTrainingSteps(options.agent, options.env);
  }
  if (training.steps <= 0 && !resume) {
    return absl::InvalidArgumentError(
        absl::StrCat("no default step budget for ", options.agent, " on ",
                     options.env, "; pass --steps=N"));
  }
  training.run_dir = RunDirFromFlags(training.resume, options, per_seed);
  training.video.render_backend = options.render_backend;
  training.video.egl_device = options.egl_device;
  training.video.overlay = options.overlay;
  training.video.overlay_label = options.overlay_label;
  training.video.fit = options.fit;
  training.video.scene = options.scene;
  training.video.recorder = options.recorder;
  training.video.width = options.width;
  training.video.height = options.height;
  training.video.fps = options.fps;
  training.video.record = options.record;
  training.video.encoder = options.encoder;
  training.video.embed = options.embed;
  // Training's episodes are not cut (the agent would not know of it); its
  // videos (training and evaluation) of an env without a time limit are.
  training.video.max_frames_without_time_limit = *rl::MaxEpisodeStepsFromFlag();
  training.overwrite = options.overwrite;
  training.record_eval = absl::GetFlag(FLAGS_record_eval);
  training.video.tiled_envs = absl::GetFlag(FLAGS_video_envs);
  training.eval_every = absl::GetFlag(FLAGS_eval_every);
  training.eval_episodes = absl::GetFlag(FLAGS_eval_episodes);
  training.quiet = absl::GetFlag(FLAGS_quiet);
  training.tty = isatty(STDOUT_FILENO) != 0;
  training.progress_interval_s = absl::GetFlag(FLAGS_progress_interval);
  training.stop_requested = &stop_requested;
  NoteGivenFlags(&training);
  if (per_seed) {
    // This run's seed, and where it came from.
    training.flags["seed"] = options.seed;
    training.flags["seeds"] = absl::GetFlag(FLAGS_seeds);
  }
  return training;
}

void PrintTrainingSummary(const rl::TrainingSummary& summary) {
  std::cout << "trained " << summary.steps << " steps, " << summary.episodes
            << " episodes; wrote " << summary.videos.size() << " video(s) and "
            << summary.run_dir << "/index.html\n";
  if (!summary.latest_checkpoint.empty()) {
    std::cout << "latest checkpoint (step " << summary.steps
              << "): " << summary.latest_checkpoint << "\n";
  }
  if (!summary.best_checkpoint.empty()) {
    std::cout << "best evaluation " << summary.best_eval << ": "
              << summary.best_checkpoint << "\n";
  }
}

// --record_ranks for a run of `ranks` ranks.
absl::StatusOr<std::vector<int>> RecordRanksFromFlag(int ranks) {
  const std::string text = absl::GetFlag(FLAGS_record_ranks);
  std::vector<int> record_ranks;
  if (text == "all") {
    for (int r = 0; r < ranks; ++r) record_ranks.push_back(r);
    return record_ranks;
  }
  for (absl::string_view part : absl::StrSplit(text, ',', absl::SkipEmpty())) {
    int rank = -1;
    if (!absl::SimpleAtoi(part, &rank) || rank < 0 || rank >= ranks) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--record_ranks=", text, ": '", part, "' is not a rank of this run (",
          ranks == 1 ? "one process, rank 0; mpirun -np N starts N ranks"
                     : absl::StrCat("ranks 0-", ranks - 1),
          "); give ranks comma-separated, or 'all'"));
    }
    record_ranks.push_back(rank);
  }
  return record_ranks;
}

// How one run of --seeds went, for the final summary.
struct SeedOutcome {
  std::string run_dir;
  std::string state;  // "finished", "stopped" or "failed".
  int64_t steps = 0;
  std::optional<double> best_eval;
  std::string error;
};

// A training run (--steps, --resume or a learning agent); data-parallel
// over `world`'s ranks when it has more than one. One run of --seeds
// (`seed_run` set): its own run directory, its outcome noted there, and it
// lingers (--linger) only if it is the last.
struct SeedRun {
  SeedOutcome* outcome = nullptr;
  bool last = true;
};
int Train(const rl::RunOptions& options, const rl::RenderFlags& render,
          const std::atomic<bool>& stop_requested, rl::MpiWorld* world,
          const SeedRun* seed_run = nullptr) {
  SeedOutcome ignored;
  SeedOutcome& outcome =
      seed_run != nullptr && seed_run->outcome ? *seed_run->outcome : ignored;
  outcome.state = "failed";
  const bool parallel = world != nullptr && world->size() > 1;
  const int rank = parallel ? world->rank() : 0;
  // Data-parallel: an error on any rank ends the job (the others would
  // wait for this one forever), named by rank.
  auto fail = [&](int code, absl::string_view message) {
    if (!parallel) return Fail(code, message);
    // Most errors (a bad flag, an agent that cannot train data-parallel)
    // happen on every rank alike: rank 0's report and abort then end the
    // others during this pause, so the console shows the error once. An
    // error of this rank alone is reported a second later.
    if (rank > 0) absl::SleepFor(absl::Seconds(1));
    std::cerr << (rank > 0 ? absl::StrCat("rank ", rank, " (of ", world->size(),
                                          ", on ", world->host(), "): ")
                           : "")
              << "error: " << message << "\n";
    std::cerr.flush();
    world->Abort(code);
  };
  // Notes the error for --seeds' summary.
  auto fail_noted = [&](int code, absl::string_view message) {
    outcome.error = std::string(message);
    return fail(code, message);
  };
  absl::StatusOr<rl::TrainingRunOptions> training =
      TrainingOptionsFromFlags(options, stop_requested, seed_run != nullptr);
  if (!training.ok()) return fail_noted(2, training.status().message());
  outcome.run_dir = training->run_dir;
  absl::StatusOr<std::vector<int>> record_ranks =
      RecordRanksFromFlag(parallel ? world->size() : 1);
  if (!record_ranks.ok()) {
    return fail_noted(2, record_ranks.status().message());
  }
  training->record_ranks = *record_ranks;
  if (parallel) {
    training->trainer.collective = world;
    if (rank > 0) {
      training->quiet = true;  // Rank 0 speaks for the run.
      // Rank 0's live view shows this rank's envs too.
      training->rank_live = rl::LiveFeedOptionsFromFlags(
          options.render_backend, options.egl_device, options.scene);
    }
  }
  // Errors only: the render backend's notices too (auto's choice, ~300
  // characters when it explains why egl failed).
  if (training->quiet) rl::ShowRenderBackendNotices(false);
  // The live view serves the run directory, so it makes it; a refused run
  // takes it away again if it is still empty (rmdir removes nothing else).
  const bool run_dir_existed = access(training->run_dir.c_str(), F_OK) == 0;
  int live_error = 0;
  std::unique_ptr<rl::LiveView> live;
  if (rank == 0) live = StartLive(training->run_dir, options, &live_error);
  if (live_error != 0) {
    return fail_noted(live_error, "the live view did not start");
  }
  training->live = live.get();
  auto summary = rl::RunTraining(*training, std::cout);
  if (!summary.ok()) {
    if (!run_dir_existed && rank == 0) {
      live.reset();
      rmdir(training->run_dir.c_str());
    }
    const bool users = absl::IsInvalidArgument(summary.status()) ||
                       absl::IsFailedPrecondition(summary.status());
    return fail_noted(
        users ? 2 : 1,
        rl::WithRenderFlagContext(summary.status(), render).message());
  }
  outcome.state = summary->stopped ? "stopped" : "finished";
  outcome.steps = summary->steps;
  for (const rl::EvalPoint& point : summary->evals) {
    if (!outcome.best_eval || point.mean_return >= *outcome.best_eval) {
      outcome.best_eval = point.mean_return;
    }
  }
  if (rank > 0) return summary->stopped ? 130 : 0;
  if (!training->quiet) PrintTrainingSummary(*summary);
  if (summary->stopped) {
    std::cout << "stopped early by a signal; checkpoint, metrics, videos "
                 "and page are complete\n";
    return 130;
  }
  if (seed_run == nullptr || seed_run->last) {
    rl::LingerIfAsked(live.get(), stop_requested, std::cout);
  }
  return 0;  // The run was complete; Ctrl-C only ended the lingering.
}

// --seeds: "0,1,2", "0-4", "0-2,7" as seeds in order; errors say why.
absl::StatusOr<std::vector<uint64_t>> ParseSeeds(const std::string& text) {
  std::vector<uint64_t> seeds;
  auto bad = [&](absl::string_view part, absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--seeds=", text, ": '", part, "' ", why,
        "; give seeds >= 0 and ranges, comma-separated: --seeds=0,1,2 or "
        "--seeds=0-4"));
  };
  for (absl::string_view part : absl::StrSplit(text, ',')) {
    part = absl::StripAsciiWhitespace(part);
    const std::vector<absl::string_view> ends = absl::StrSplit(part, '-');
    uint64_t first = 0, last = 0;
    if (ends.size() > 2 || !absl::SimpleAtoi(ends[0], &first) ||
        !absl::SimpleAtoi(ends.back(), &last)) {
      return bad(part, "is not a seed or a range A-B");
    }
    if (last < first) return bad(part, "is a range that ends before it starts");
    // As --seed: an int64 (and the loop below cannot wrap).
    if (last > static_cast<uint64_t>(INT64_MAX)) {
      return bad(part, "is larger than 9223372036854775807");
    }
    if (last - first >= 1000 || seeds.size() + (last - first) >= 1000) {
      return bad(part, "makes more than 1000 runs");
    }
    for (uint64_t seed = first; seed <= last; ++seed) {
      if (std::find(seeds.begin(), seeds.end(), seed) != seeds.end()) {
        return bad(part, absl::StrCat("repeats seed ", seed));
      }
      seeds.push_back(seed);
    }
  }
  return seeds;
}

// --seeds: one training run per seed, one after another; a stop request
// stops the current run and skips the rest. The exit code is the first
// failed run's, else 130 if stopped, else 0.
int TrainSeeds(const rl::RunOptions& options, const rl::RenderFlags& render,
               const std::atomic<bool>& stop_requested,
               const std::vector<uint64_t>& seeds) {
  const bool quiet = absl::GetFlag(FLAGS_quiet);
  std::vector<SeedOutcome> outcomes(seeds.size());
  int exit_code = 0;
  for (size_t i = 0; i < seeds.size(); ++i) {
    if (stop_requested.load()) {
      outcomes[i].state = "skipped";
      continue;
    }
    rl::RunOptions run = options;
    run.seed = seeds[i];
    if (!quiet) {
      std::cout << "seed " << seeds[i] << " (run " << i + 1 << " of "
                << seeds.size() << ")\n";
      std::cout.flush();
    }
    SeedRun seed_run{&outcomes[i], i + 1 == seeds.size()};
    const int code = Train(run, render, stop_requested, nullptr, &seed_run);
    if (code != 0 && code != 130 && exit_code == 0) exit_code = code;
  }
  bool stopped = false;
  std::string overview;
  for (size_t i = 0; i < seeds.size(); ++i) {
    const SeedOutcome& o = outcomes[i];
    stopped = stopped || o.state == "stopped" || o.state == "skipped";
    if (overview.empty() && !o.run_dir.empty()) {
      const std::string index = rl::RunsParent(o.run_dir) + "/index.html";
      if (rl::IsOurOverview(index)) overview = index;
    }
  }
  if (!quiet) {
    std::cout << "seeds " << absl::GetFlag(FLAGS_seeds) << ":\n";
    for (size_t i = 0; i < seeds.size(); ++i) {
      const SeedOutcome& o = outcomes[i];
      std::cout << "  seed " << seeds[i] << ": " << o.state;
      if (o.state == "failed") {
        std::cout << ": " << o.error;
      } else if (o.state == "skipped") {
        std::cout << " (stopped by a signal before it started)";
      } else {
        std::cout << ", " << o.steps << " steps";
        if (o.best_eval) {
          std::cout << ", best evaluation " << rl::FormatNumber(*o.best_eval);
        }
      }
      if (!o.run_dir.empty()) std::cout << " (" << o.run_dir << ")";
      std::cout << "\n";
    }
    if (!overview.empty()) std::cout << "all runs: " << overview << "\n";
  }
  if (exit_code != 0) return exit_code;
  return stopped ? 130 : 0;
}

// Episodes of an agent, recorded (--episodes).
int Play(rl::RunOptions options, const rl::RenderFlags& render,
         const std::atomic<bool>& stop_requested) {
  // The cap of the env's episodes (one without a time limit would play on,
  // into an hour-long video); an env that cannot be made fails below.
  if (absl::StatusOr<std::unique_ptr<rl::Env>> env =
          rl::CreateEnv(options.env, options.env_kwargs);
      env.ok()) {
    options.max_episode_steps =
        rl::EpisodeStepCap((*env)->spec().max_episode_steps);
  }
  int live_error = 0;
  std::unique_ptr<rl::LiveView> live =
      StartLive(options.video_dir, options, &live_error);
  if (live_error != 0) return live_error;
  options.live = live.get();
  options.stop_requested = &stop_requested;
  const bool quiet = absl::GetFlag(FLAGS_quiet);
  if (quiet) rl::ShowRenderBackendNotices(false);
  std::ostream silent(nullptr);  // --quiet: a stream that writes nothing.
  std::ostream& out = quiet ? silent : std::cout;
  auto run = rl::PlayEpisodes(options, out);
  if (!run.ok()) {
    // A bad value, or a --video_dir holding another run's videos.
    const bool users = absl::IsInvalidArgument(run.status()) ||
                       absl::IsFailedPrecondition(run.status());
    return Fail(users ? 2 : 1,
                rl::WithRenderFlagContext(run.status(), render).message());
  }
  if (options.record.mode == rl::RecordMode::kNone) {
    out << "played " << run->episodes.size()
        << " episode(s), recorded none (--record=none)\n";
  } else {
    out << "wrote " << run->videos.size() << " video(s) and "
        << options.video_dir << "/index.html\n";
  }
  if (stop_requested.load()) {
    out << "stopped early by a signal; the videos written are complete\n";
    return 130;
  }
  if (live != nullptr) live->board().SetState("finished");
  rl::LingerIfAsked(live.get(), stop_requested, std::cout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Plays an agent in an env headlessly and records videos of it.\n"
      "Example: bazel run //rl/run:train -- --env=CartPole-v1 "
      "--episodes=3 --video_dir=videos");
  rl::ListProjectFlagsInHelp();
  absl::ParseCommandLine(argc, argv);
  if (absl::GetFlag(FLAGS_list)) {
    PrintRegistry("envs", rl::Envs());
    PrintRegistry("agents", rl::Agents());
    PrintRegistry("render backends", rl::RenderBackends());
    PrintRegistry("recorders", rl::Recorders());
    return 0;
  }
  // Under an MPI launcher: one rank of a data-parallel run, whose ranks
  // must all have been given the same flags.
  std::unique_ptr<rl::MpiWorld> world;
  if (rl::LaunchedByMpi()) {
    absl::StatusOr<std::unique_ptr<rl::MpiWorld>> started =
        rl::MpiWorld::Init();
    if (!started.ok()) {
      return Fail(1, absl::StrCat("started by an MPI launcher, but MPI did "
                                  "not start: ",
                                  started.status().message(),
                                  "; without mpirun train runs as one "
                                  "process"));
    }
    world = std::move(*started);
    if (world->size() > 1) {
      std::map<std::string, std::string> flags;
      for (const auto& [name, flag] : absl::GetAllFlags()) {
        flags[std::string(name)] = flag->CurrentValue();
      }
      if (absl::Status agreed = rl::AgreeOnFlags(world.get(), flags);
          !agreed.ok()) {
        // Rank 0's message names every rank that differs.
        return world->rank() == 0 ? Fail(2, agreed.message()) : 2;
      }
    }
  }
  if (std::string error = CheckRunFlags(); !error.empty()) {
    return Fail(2, error);
  }
  // The recording flags, checked together; errors name the flag.
  absl::StatusOr<rl::RecordFlags> recording = rl::RecordFlagsFromCommandLine();
  if (!recording.ok()) return Fail(2, recording.status().message());
  // --render_backend, --egl_device, --size, --overlay, --overlay_label.
  absl::StatusOr<rl::RenderFlags> render = rl::RenderFlagsFromCommandLine();
  if (!render.ok()) return Fail(2, render.status().message());
  // --env_kwargs: its syntax now, its keys and values against the env below
  // (a resumed run checks them against its config.json).
  absl::StatusOr<rl::EnvKwargsFlag> env_kwargs =
      rl::EnvKwargsFlagFromCommandLine();
  if (!env_kwargs.ok()) return Fail(2, env_kwargs.status().message());
  if (absl::StatusOr<int64_t> max = rl::MaxEpisodeStepsFromFlag(); !max.ok()) {
    return Fail(2, max.status().message());
  }
  rl::RunOptions options = EpisodeOptionsFromFlags(*render, *recording);
  options.env_kwargs = env_kwargs->kwargs;

  const bool resume = !absl::GetFlag(FLAGS_resume).empty();
  if (!resume) {
    if (std::string error = CheckNames(options.env, options.agent);
        !error.empty()) {
      return Fail(2, error);
    }
    if (absl::Status checked = rl::CheckEnvKwargsFlag(options.env, *env_kwargs);
        !checked.ok()) {
      return Fail(2, checked.message());
    }
  }
  const std::atomic<bool>& stop_requested = rl::StopOnSignals();
  const bool train =
      absl::GetFlag(FLAGS_steps) > 0 || resume ||
      (options.agent != "random" && rl::Agents().Contains(options.agent));
  if (world != nullptr && world->size() > 1 && !train) {
    return world->rank() == 0
               ? Fail(2,
                      "under mpirun, train runs data-parallel training only "
                      "(--steps, --resume or a learning --agent); play "
                      "episodes without mpirun")
               : 2;
  }
  if (const std::string text = absl::GetFlag(FLAGS_seeds); !text.empty()) {
    const char* conflict =
        world != nullptr
            ? "--seeds under mpirun: mpirun makes one faster run of one seed; "
              "start one train per seed instead (--seed=S), or --seeds "
              "without mpirun"
        : Given("seed")
            ? "--seeds and --seed: give one of them (--seeds=0,1,2 trains one "
              "run per seed)"
        : resume ? "--seeds with --resume: resume one run at a time "
                   "(--resume=runs/ENV-AGENT-seedS/checkpoints/latest.ckpt)"
        : Given("episodes")
            ? "--seeds with --episodes: --seeds trains (--steps, or a "
              "learning --agent's default budget); --episodes plays"
        : !train ? "--seeds trains: give a learning --agent (see --list) or "
                   "--steps"
                 : nullptr;
    if (conflict != nullptr) {
      return world == nullptr || world->rank() == 0 ? Fail(2, conflict) : 2;
    }
    absl::StatusOr<std::vector<uint64_t>> seeds = ParseSeeds(text);
    if (!seeds.ok()) return Fail(2, seeds.status().message());
    return TrainSeeds(options, *render, stop_requested, *seeds);
  }
  return train ? Train(options, *render, stop_requested, world.get())
               : Play(options, *render, stop_requested);
}
