// Many runs: RUN_DIR/status.json, a run's state in a file a program can read,
// and PARENT/index.html, the runs overview of the folder that holds run
// directories (runs/ by default: runs/ENV-AGENT-seedN).
//
// The overview lists every run under PARENT (each folder with a config.json):
// env, agent, seed, status (running, finished, stopped, failed, or
// interrupted: status.json says running but the process that wrote it is gone
// from this host), steps done of the budget, the best evaluation, the
// hyper-parameters and env kwargs that differ between runs, and a link to
// each run page. Ticking runs overlays their curves (evaluation means and
// smoothed training returns) in one chart (rl/charts/charts.js). Runs that
// differ only by seed form a group drawn as the seeds' mean with a min-max
// band; each seed stays selectable on its own. A folder that is not a run
// (no or an unreadable config.json, a metrics.csv without its columns) or a
// plain file is listed as such and never breaks the page.
//
// The training run rewrites the overview (atomically) when it starts,
// evaluates and ends; it is one self-contained file (scripts and data
// inline, links relative, CSS under `.rl-runs-overview`), so runs/ can be
// copied anywhere and opened from disk. A user's own PARENT/index.html is
// never replaced: only a file carrying kRunsOverviewMarker is ours.
//
// Example:
//   RunStatus status = ...;  // state "running", steps, ...
//   RL_RETURN_IF_ERROR(WriteRunStatus("runs/CartPole-v1-ppo-seed0", status));
//   absl::StatusOr<bool> written = UpdateRunsOverview("runs");
#ifndef RL_RUN_RUNS_OVERVIEW_H_
#define RL_RUN_RUNS_OVERVIEW_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "rl/run/run_files.h"  // ScriptSafeJson.

namespace rl {

// The line that makes a PARENT/index.html ours (rewritable).
inline constexpr char kRunsOverviewMarker[] =
    "<meta name=\"generator\" content=\"headless-rl runs overview\">";

// The process writing a status: which one, where, since when.
struct ProcessIdentity {
  int64_t pid = 0;
  std::string hostname;
  // Linux: the process's start time in clock ticks since boot
  // (/proc/PID/stat field 22), which tells a reused pid apart; 0: unknown.
  int64_t start_ticks = 0;
};

// This process.
ProcessIdentity ThisProcess();

// Whether the process `who` is known to be gone: it ran on this host and no
// process has its pid (or the pid's process started at another time).
// False when it cannot be told (another host).
bool ProcessGone(const ProcessIdentity& who);

// RUN_DIR/status.json:
//   {"state": "running" | "finished" | "stopped" | "failed",
//    "steps": 1500, "total_steps": 1500, "episodes": 70,
//    "best_eval": 23.4 (null before the first evaluation),
//    "started": "2026-11-29T14:00:00Z", "updated": "2026-11-29T14:01:10Z",
//    "pid": 1234, "hostname": "box", "process_start": 123456,
//    "message": "why it failed" (failed runs only)}
struct RunStatus {
  std::string state;
  int64_t steps = 0;
  int64_t total_steps = 0;
  int64_t episodes = 0;
  std::optional<double> best_eval;
  std::string started;  // UTC, ISO 8601 (NowUtc()).
  std::string updated;
  ProcessIdentity process;
  std::string message;
};

// Now as status.json writes it: "2026-11-29T14:00:00Z".
std::string NowUtc();

nlohmann::json RunStatusJson(const RunStatus& status);

// Writes RUN_DIR/status.json atomically.
absl::Status WriteRunStatus(const std::string& run_dir,
                            const RunStatus& status);

// One entry of PARENT: a run, or a folder or file that is not one.
struct OverviewEntry {
  std::string name;             // The folder's (or file's) name in PARENT.
  bool is_run = false;          // False: `problem` says why not.
  std::string problem;          // "not a run: ..."
  bool looks_like_run = false;  // Not a run but holds run files (half-written).
  nlohmann::json config;        // config.json (runs only).
  nlohmann::json status;        // status.json, null if missing or unreadable.
  std::string state;            // Shown: running, finished, ..., interrupted.
  std::string status_note;      // E.g. "status.json is not valid JSON".
  int64_t steps = 0;            // Steps done (status.json or metrics.csv).
  int64_t total_steps = 0;      // The budget (status.json or config.json).
  int64_t episodes = 0;
  std::optional<double> best_eval;
  // evals.csv: [step, mean, std]; metrics.csv: [step, return], at most
  // kMaxReturnPoints rows of the file (every k-th and the last).
  std::vector<std::vector<double>> evals;
  std::vector<std::vector<double>> returns;
  int64_t return_rows = 0;  // metrics.csv's rows in all.
};

inline constexpr int kMaxReturnPoints = 300;

// Every entry of `parent` (hidden entries and the overview itself left
// out), sorted by name. Never fails: what cannot be read is an entry saying
// so; an unreadable `parent` gives none.
std::vector<OverviewEntry> ScanRuns(const std::string& parent);

// The page's data: {"parent", "generated", "entries": [...], "differing":
// ["hparams.learning_rate", "env_kwargs.map_name", ...], "groups": [{"name":
// "mean of seeds 0-2", "label", "runs": [names]}]}. A hyper-parameter differs
// when two runs of one agent disagree on it (an env kwarg: two runs of one
// env); a group is two or more runs equal in env, env kwargs, agent,
// hyper-parameters, step budget and evaluation schedule.
nlohmann::json OverviewData(const std::string& parent,
                            const std::vector<OverviewEntry>& entries);

// The overview page of `data` (OverviewData).
std::string RunsOverviewHtml(const nlohmann::json& data);

// Whether the file at `path` is an overview this project wrote (carries
// kRunsOverviewMarker).
bool IsOurOverview(const std::string& path);

// Rescans `parent` and rewrites PARENT/index.html atomically. Returns false
// (writing nothing) when PARENT/index.html exists and is not ours, or when
// there is none yet and the folder is not named "runs" (train's default
// parent: a run elsewhere, --run_dir=~/x, does not make the home folder a
// listing; an overview put there once, or a folder renamed runs, is kept
// up to date); true when written; an error when the write failed. A folder
// holding no run any more has its (our) overview removed.
absl::StatusOr<bool> UpdateRunsOverview(const std::string& parent);

// The folder holding `run_dir` ("runs" for "runs/x", "." for "x").
std::string RunsParent(const std::string& run_dir);

}  // namespace rl

#endif  // RL_RUN_RUNS_OVERVIEW_H_
