#include "rl/run/run_flags.h"

#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/internal/parse.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

ABSL_FLAG(int64_t, max_episode_steps, rl::kDefaultMaxEpisodeSteps,
          "play and train --episodes: an episode of an env without a time "
          "limit of its own (CliffWalking-v1) ends after this many steps, "
          ">= 1; given, it cuts any env's episodes there. Training: its "
          "episodes are not cut (the agent would not know), but every video "
          "of an env without a time limit (training and evaluation) ends "
          "after this many frames, so an episode that never ends makes a "
          "video of minutes, not hours. To give an env a time limit, "
          "--env_kwargs=max_episode_steps=N.");
ABSL_FLAG(bool, overwrite, false,
          "Replace what an earlier run left instead of refusing: training, "
          "the run in --run_dir (its metrics, checkpoints and videos); train "
          "--episodes and play, the finished videos and their sidecars in "
          "--video_dir (a crash's -recording leftovers stay, listed as "
          "interrupted).");

namespace rl {

absl::StatusOr<int64_t> MaxEpisodeStepsFromFlag() {
  const int64_t steps = absl::GetFlag(FLAGS_max_episode_steps);
  if (steps < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("--max_episode_steps must be >= 1 (got ", steps, ")"));
  }
  return steps;
}

int64_t EpisodeStepCap(int env_limit) {
  if (absl::flags_internal::WasPresentOnCommandLine("max_episode_steps")) {
    return absl::GetFlag(FLAGS_max_episode_steps);
  }
  return env_limit > 0 ? 0 : absl::GetFlag(FLAGS_max_episode_steps);
}

bool OverwriteFromFlag() { return absl::GetFlag(FLAGS_overwrite); }

void ListProjectFlagsInHelp() {
  absl::FlagsUsageConfig config;
  // Flags are registered with the file that defines them, as Bazel names it
  // (rl/live/live_flags.cc); absl's own (--flagfile, ...) live elsewhere
  // and stay under --helpfull.
  config.contains_help_flags = [](absl::string_view file) {
    return absl::StartsWith(file, "rl/");
  };
  absl::SetFlagsUsageConfig(config);
}

}  // namespace rl
