// PlayEpisodes: `train --episodes`: plays a named agent (it acts and
// learns) in an env for a number of episodes, recording the episodes or
// steps a VideoSchedule picks (Gymnasium's capped cubic schedule by default)
// and keeping the index.html gallery and a JSON sidecar per video up to date.
//
// Every name (env, agent, render backend, recorder) and the output directory
// are checked before the first step, so a typo costs nothing; errors list
// the valid names.
//
// Example:
//   RunOptions options;
//   options.env = "CartPole-v1";
//   options.video_dir = "/tmp/videos";
//   options.record.mode = RecordMode::kEveryEpisodes;  // Not capped cubic.
//   RL_ASSIGN_OR_RETURN(RunSummary run, PlayEpisodes(options, std::cout));
//   // run.videos[0].file == "CartPole-v1-episode-0-steps-0-23.mp4", ...
#ifndef RL_RUN_PLAY_EPISODES_H_
#define RL_RUN_PLAY_EPISODES_H_

#include <atomic>
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "rl/envs/env_kwargs.h"
#include "rl/live/live_view.h"
#include "rl/record/recorder.h"
#include "rl/record/sidecar.h"
#include "rl/record/trigger.h"
#include "rl/render/mujoco/mujoco_renderer.h"
#include "rl/render/renderer.h"

namespace rl {

struct RunOptions {
  std::string env = "CartPole-v1";
  // gym.make(env, **env_kwargs) (CreateEnv): checked with the names.
  EnvKwargs env_kwargs;
  std::string agent = "random";
  // auto, egl, llvmpipe or glx (rl/render/render_backend.h); the binary
  // must link that backend (//rl/render:backends links all). The train
  // binary's flag defaults to auto; this stays llvmpipe so that results do
  // not depend on the machine unless asked.
  std::string render_backend = "llvmpipe";
  int egl_device = -1;  // egl: the EGL device index; -1 the first GPU.
  // Draw the env id, episode, step and return into the frames.
  bool overlay = false;
  std::string overlay_label;  // Drawn into the frames too, when not empty.
  // A 2D env at a frame size of another aspect ratio than its own.
  Fit fit = Fit::kLetterbox;
  // The look of 3D (MuJoCo) envs (size and format are the video's).
  MujocoRendererOptions scene;
  std::string recorder = "mp4";
  int episodes = 3;  // >= 1.
  uint64_t seed = 0;
  std::string video_dir = "videos";  // Created if missing.
  // Frame size in pixels; 0x0 means the env's preferred size.
  int width = 0;
  int height = 0;
  int fps = 0;  // 0 means the env's preferred rate.
  // What to record: which episodes or steps, how long, file name prefix.
  VideoSchedule record;
  // Encoder settings (crf, bitrate, encoder_options, threads, queue...);
  // path, width, height and fps are set by the runner.
  RecorderOptions encoder;
  bool embed = false;  // Inline the videos in index.html (base64).
  // > 0: an episode still running after this many steps ends there (an env
  // without a time limit, e.g. CliffWalking-v1, would otherwise play on;
  // the binaries' rule is rl::EpisodeStepCap in run_flags.h).
  int64_t max_episode_steps = 0;
  // Finished videos of another run in video_dir are refused
  // (FailedPrecondition, before anything is written), or deleted first
  // with overwrite (EarlierVideos in rl/pipeline/video_session.h).
  bool overwrite = false;
  // When set and it becomes true, the run stops after the current step: the
  // current video is finished and the gallery written.
  const std::atomic<bool>* stop_requested = nullptr;
  // Optional, the caller's (serving video_dir): shows the episodes live.
  LiveView* live = nullptr;
};

struct EpisodeSummary {
  int episode = 0;
  int steps = 0;
  double episode_return = 0;
  bool terminated = false;
  bool truncated = false;
  // The first video showing this episode; empty if it was not recorded.
  std::string video_path;
  // Frames of this episode in videos: steps + 1 (the reset state) when the
  // whole episode was recorded, 0 when none of it was.
  int64_t frames = 0;
};

struct RunSummary {
  std::vector<EpisodeSummary> episodes;
  std::vector<VideoRecord> videos;  // In the order they were finished.
};

// Runs `options.episodes` episodes (fewer if stopped), printing one line per
// episode and one per finished video to `log`.
absl::StatusOr<RunSummary> PlayEpisodes(const RunOptions& options,
                                        std::ostream& log);

// `status` with what the run binaries' flags can do about a refused video
// directory (VideoSession's FailedPrecondition): --video_dir, --overwrite.
// Any other status as it is.
absl::Status WithVideoDirFlagContext(absl::Status status);

// PlayEpisodes(), returning what each episode did.
absl::StatusOr<std::vector<EpisodeSummary>> RunEpisodes(
    const RunOptions& options, std::ostream& log);

}  // namespace rl

#endif  // RL_RUN_PLAY_EPISODES_H_
