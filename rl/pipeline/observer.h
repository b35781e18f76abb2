// EpisodeObserver: what an episode loop tells the things that watch it (the
// video session, the live view, a run's metrics). The loop knows none of
// them; each implements the calls it needs, and an error from one stops the
// loop with that error.
//
// Order, per env: OnReset (the env can Draw() its first state), then one
// OnStep per step (before the agent learns from it), then OnEpisodeEnd
// (after the agent has learned from the last step), then OnReset of the
// next episode. Observers are called in the order they were added.
#ifndef RL_PIPELINE_OBSERVER_H_
#define RL_PIPELINE_OBSERVER_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/status.h"
#include "rl/envs/env.h"

namespace rl {

// The run's numbering, the one every file and page uses (metrics.csv, video
// file names, sidecars, captions, the live view):
// - a step is an env step of the run, counted over all its envs (and all
//   ranks of a data-parallel run): the x axis of every curve;
// - an episode is numbered 0, 1, ... in the order episodes started (envs
//   started at the same step in env order), so an episode has its number
//   from its first frame on, and a video can be named by it.

// An episode starting.
struct EpisodeStart {
  int64_t episode = 0;      // The run's episode number.
  int64_t env_episode = 0;  // This env's own episode count (0, 1, ...):
                            // what video schedules count, as Gymnasium's
                            // RecordVideo does on the one env it wraps.
  int64_t step = 0;         // The run's steps when it started.
};

// One finished episode.
struct EpisodeRecord {
  int64_t episode = 0;      // The run's episode number (EpisodeStart's).
  int env_index = 0;        // Which of the lockstep envs.
  int64_t env_episode = 0;  // That env's episode number.
  int64_t step = 0;         // Env steps (all envs) when it finished.
  double episode_return = 0;
  int64_t length = 0;
  bool terminated = false;
  // Truncated by the env's time limit, or by the loop's max_episode_steps.
  bool truncated = false;
  double seconds = 0;  // Wall time since the run began; not reproducible.
  std::map<std::string, double> stats;  // Agent::Stats() when it finished.
};

class EpisodeObserver {
 public:
  virtual ~EpisodeObserver() = default;
  // Env `env_index` started an episode (after Reset()).
  virtual absl::Status OnReset(int env_index, const EpisodeStart& start,
                               const Env& env) {
    return absl::OkStatus();
  }
  // Env `env_index` took a step (after Step() succeeded); `step` is the
  // run's step count once this lockstep step is done (the `step` its
  // EpisodeRecord gets if the episode ends here).
  virtual absl::Status OnStep(int env_index, const Env& env,
                              const StepResult& result, int64_t step) {
    return absl::OkStatus();
  }
  virtual absl::Status OnEpisodeEnd(const EpisodeRecord& record) {
    return absl::OkStatus();
  }
};

}  // namespace rl

#endif  // RL_PIPELINE_OBSERVER_H_
