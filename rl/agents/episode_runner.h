// EpisodeRunner: the loop every run binary shares. It plays an agent in an
// env for a number of episodes, lets the agent learn from each step, records
// the episodes or steps a VideoSchedule picks (Gymnasium's capped cubic
// schedule by default), and keeps an index.html gallery and a JSON sidecar
// per video beside the videos up to date.
//
// VideoSession is the recording half on its own, for loops of other shapes
// (a trainer): tell it about resets and steps, it renders only the frames
// that are recorded (nothing at all with --record=none), streams them to a
// recorder, and on each video's end renames the file to its final name
// (env, episode, step range), writes the sidecar and rewrites the gallery.
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
#ifndef RL_AGENTS_EPISODE_RUNNER_H_
#define RL_AGENTS_EPISODE_RUNNER_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rl/canvas/canvas.h"
#include "rl/core/frame.h"
#include "rl/envs/env.h"
#include "rl/live/live_view.h"
#include "rl/record/gallery.h"
#include "rl/record/recorder.h"
#include "rl/record/sidecar.h"
#include "rl/record/trigger.h"
#include "rl/render/renderer.h"

namespace rl {

struct RunOptions {
  std::string env = "CartPole-v1";
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
  // Encoder settings (crf, bitrate, preset, vp9_speed, threads, queue...);
  // path, width, height and fps are set by the runner.
  RecorderOptions encoder;
  bool embed = false;  // Inline the videos in index.html (base64).
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

// PlayEpisodes(), returning what each episode did.
absl::StatusOr<std::vector<EpisodeSummary>> RunEpisodes(
    const RunOptions& options, std::ostream& log);

// What a VideoSession needs besides the env.
struct VideoSessionOptions {
  std::string render_backend = "llvmpipe";
  int egl_device = -1;
  bool overlay = false;
  std::string overlay_label;
  std::string recorder = "mp4";
  std::string video_dir = "videos";  // Created if missing.
  int width = 0;  // Frame size and rate; 0: the env's preference.
  int height = 0;
  int fps = 0;
  VideoSchedule record;
  RecorderOptions encoder;  // Path, size and fps are set per video.
  bool embed = false;
  std::string gallery_title = "Videos";
  // For the sidecars and the gallery.
  std::string agent;
  uint64_t seed = 0;
};

class VideoSession {
 public:
  // Checks the names, the schedule and the encoder options (a trial
  // encoder in a temporary directory) and, unless nothing is to be
  // recorded, makes the renderer, so a backend that cannot start fails
  // here. Writes nothing in video_dir: call Prepare() once every other
  // check of the run has passed too.
  static absl::StatusOr<std::unique_ptr<VideoSession>> Create(
      const VideoSessionOptions& options, const EnvSpec& spec,
      std::ostream* log);
  // Unless nothing is to be recorded: creates video_dir and its gallery
  // page (proving it writable). Before the first OnReset().
  absl::Status Prepare();
  // The first step number in video names and sidecars: a resumed run's
  // videos go on counting from where its earlier part stopped.
  void ContinueStepCount(int64_t steps) { steps_ = steps; }
  // Closes a video still open, keeping its "-recording" name.
  ~VideoSession();

  // After env.Reset() started episode `episode` (0-based, in run order).
  absl::Status OnReset(const Env& env, int64_t episode);
  // After env.Step() succeeded with `result`.
  absl::Status OnStep(const Env& env, const StepResult& result);
  // Ends the video in progress, if any: `why` goes in its sidecar
  // ("stopped", "run ended").
  absl::Status Finish(absl::string_view why);

  bool recording() const { return recorder_ != nullptr; }
  // The videos finished so far.
  const std::vector<VideoRecord>& videos() const { return videos_; }
  // Frames recorded of `episode` (over all videos), and the first finished
  // video showing it ("" if none).
  int64_t FramesOfEpisode(int64_t episode) const;
  std::string FirstVideoOfEpisode(int64_t episode) const;
  const std::string& video_dir() const { return options_.video_dir; }

 private:
  VideoSession(const VideoSessionOptions& options, const EnvSpec& spec,
               std::ostream* log);
  absl::Status MakeRenderer();
  absl::Status Start(int64_t episode);
  absl::Status Capture(const Env& env, double reward, bool is_step);
  absl::Status Close(absl::string_view why);

  const VideoSessionOptions options_;
  const EnvSpec spec_;
  const VideoTrigger trigger_;
  const std::string prefix_;
  std::ostream* const log_;
  std::unique_ptr<Renderer> renderer_;  // Made by Create() if recording.
  std::string gl_renderer_;
  std::string backend_name_;   // The backend auto chose, or the one named.
  double episode_return_ = 0;  // For the overlay.
  Canvas canvas_;
  Frame frame_;
  std::unique_ptr<Recorder> recorder_;  // The video in progress, if any.
  VideoRecord current_;
  std::string current_path_;
  std::vector<GalleryVideo> gallery_;
  std::vector<VideoRecord> videos_;
  // (episode, frames, video index) of every part of an episode recorded.
  struct Part {
    int64_t episode;
    int64_t frames;
    int video;  // Index in videos_, or -1 while in progress.
  };
  std::vector<Part> parts_;
  int64_t episode_ = -1;  // The current episode.
  int64_t steps_ = 0;     // Env steps taken in the run so far.
};

// Parses a frame size "WIDTHxHEIGHT" (e.g. "600x400"), each 1..8192; ""
// means the env's preference (0x0).
absl::StatusOr<std::pair<int, int>> ParseFrameSize(absl::string_view text);

}  // namespace rl

#endif  // RL_AGENTS_EPISODE_RUNNER_H_
