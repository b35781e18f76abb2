// The flags both run binaries (train, play) take besides the render,
// recording, live and env-kwargs ones, in one place:
//   --max_episode_steps=1000  an episode of an env without a time limit of
//                             its own ends after this many steps (any env's
//                             when given), and a training video of one
//                             after this many frames
//   --overwrite               replace what an earlier run left (a training
//                             run in --run_dir, the videos in --video_dir)
//                             instead of refusing
// and `--help` listing every flag of the project's flag libraries, not only
// the binary's own file's (absl's default).
#ifndef RL_RUN_RUN_FLAGS_H_
#define RL_RUN_RUN_FLAGS_H_

#include <cstdint>

#include "absl/status/statusor.h"

namespace rl {

// --max_episode_steps's default: an env without a time limit (Gymnasium's
// CliffWalking-v1) at its 4 frames a second makes at most a 4-minute video
// (a random agent's episode made a 61-minute one), while 1000 steps is
// still ~77 times the optimal path.
inline constexpr int64_t kDefaultMaxEpisodeSteps = 1000;

// --max_episode_steps, >= 1; the error names the flag.
absl::StatusOr<int64_t> MaxEpisodeStepsFromFlag();

// The step cap of play's and train --episodes' episodes in an env whose own
// time limit is `env_limit` (0: none), for EpisodeLoopOptions: the flag's
// value when it was given (it cuts any env, e.g. CartPole at 100 steps to
// watch more episodes), else its default for an env without a time limit,
// else 0 (the env's own limit ends its episodes: MazeChase's 3000 steps
// are not cut at 1000). Call after MaxEpisodeStepsFromFlag() succeeded.
int64_t EpisodeStepCap(int env_limit);

// --overwrite.
bool OverwriteFromFlag();

// Makes `--help` list the flags of every file under rl/ that the binary
// links (train's and play's own, and rl/live:live_flags,
// rl/render:render_flags, rl/record:record_flags, rl/envs:env_kwargs_flag,
// these), not only those of the binary's main file. Call before
// absl::ParseCommandLine().
void ListProjectFlagsInHelp();

}  // namespace rl

#endif  // RL_RUN_RUN_FLAGS_H_
