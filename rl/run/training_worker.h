// RunTrainingWorker: a data-parallel training run on a rank other than 0
// (RunTraining() calls it there). The rank trains its own envs with its
// copy of the agent (rl/pipeline/trainer.h keeps the copies in agreement)
// and writes nothing of the run's but, when it is one of
// options.record_ranks, its training videos: RUN_DIR/videos/rankR/ (the
// run directory is on a filesystem every rank shares), named
// ENV-rankR-episode-..., with "rank": R in each sidecar. At every meeting
// (rl/run/data_parallel.h) it tells rank 0 the videos it finished and the
// episodes it ended, for the run's page, metrics and live view.
#ifndef RL_RUN_TRAINING_WORKER_H_
#define RL_RUN_TRAINING_WORKER_H_

#include <ostream>

#include "absl/status/statusor.h"
#include "rl/run/training_run.h"

namespace rl {

// The news a rank sends rank 0 at each meeting (rl/run/training_run.cc
// reads it): a JSON object {"episodes": N, "videos": [{"file", "step",
// "episode", "return", "frames", "ended"}]} (file relative to the run
// directory), a newline, then the rank's newest live picture (JPEG bytes)
// when rank 0's live view has viewers, else nothing.
absl::StatusOr<TrainingSummary> RunTrainingWorker(
    const TrainingRunOptions& options, std::ostream& out);

// The run settings rank 0 resolved (budget, evaluation schedule), sent to
// every other rank once rank 0's checks passed: JSON {"steps": N}.
std::string WorkerSettings(int64_t steps);

// Meetings every this many lockstep steps (64 of them).
int64_t MeetingInterval(int num_envs, int ranks);

}  // namespace rl

#endif  // RL_RUN_TRAINING_WORKER_H_
