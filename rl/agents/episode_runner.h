// EpisodeRunner: the loop every run binary shares. It plays an agent in an
// env for a number of episodes, lets the agent learn from each step, renders
// and records every episode into its own video, and keeps an index.html
// gallery beside the videos up to date.
//
// Every name (env, agent, render backend, recorder) and the output directory
// are checked before the first step, so a typo costs nothing; errors list
// the valid names.
//
// Example:
//   RunOptions options;
//   options.env = "CartPole-v1";
//   options.video_dir = "/tmp/videos";
//   RL_ASSIGN_OR_RETURN(std::vector<EpisodeSummary> episodes,
//                       RunEpisodes(options, std::cout));
#ifndef RL_AGENTS_EPISODE_RUNNER_H_
#define RL_AGENTS_EPISODE_RUNNER_H_

#include <atomic>
#include <cstdint>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rl {

struct RunOptions {
  std::string env = "CartPole-v1";
  std::string agent = "random";
  std::string render_backend = "llvmpipe";
  std::string recorder = "mp4";
  int episodes = 3;  // >= 1.
  uint64_t seed = 0;
  std::string video_dir = "videos";  // Created if missing.
  // Frame size in pixels; 0x0 means the env's preferred size.
  int width = 0;
  int height = 0;
  int fps = 0;  // 0 means the env's preferred rate.
  int crf = 23;
  std::string preset = "medium";
  bool embed = false;  // Inline the videos in index.html (base64).
  // When set and it becomes true, the run stops after the current step: the
  // current video is finished and the gallery written.
  const std::atomic<bool>* stop_requested = nullptr;
};

struct EpisodeSummary {
  int episode = 0;
  int steps = 0;
  double episode_return = 0;
  bool terminated = false;
  bool truncated = false;
  std::string video_path;
  int64_t frames = 0;  // Frames in the video: steps + 1 (the reset state).
};

// Runs `options.episodes` episodes (fewer if stopped), printing one line per
// episode to `log`. Returns what each episode did.
absl::StatusOr<std::vector<EpisodeSummary>> RunEpisodes(
    const RunOptions& options, std::ostream& log);

// Parses a frame size "WIDTHxHEIGHT" (e.g. "600x400"), each 1..8192; ""
// means the env's preference (0x0).
absl::StatusOr<std::pair<int, int>> ParseFrameSize(absl::string_view text);

}  // namespace rl

#endif  // RL_AGENTS_EPISODE_RUNNER_H_
