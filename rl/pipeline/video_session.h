// VideoSession: the recording observer of an episode loop (it watches one
// of the loop's envs, options.env_index). Told of resets and steps, it renders
// only the frames that are recorded (nothing at all when the schedule records
// nothing), streams them to a recorder, and on each video's end renames the
// file to its final name (env, episode, step range), writes the sidecar and
// rewrites the index.html gallery.
//
// Every name (render backend, recorder), the schedule and the encoder
// options are checked by Create(), before the first step, so a typo costs
// nothing; errors list the valid names.
//
// Example:
//   VideoSessionOptions options;
//   options.video_dir = "/tmp/videos";
//   options.record.mode = RecordMode::kEveryEpisodes;
//   RL_ASSIGN_OR_RETURN(auto videos, VideoSession::Create(options, spec,
//   &log)); RL_RETURN_IF_ERROR(videos->Prepare()); env.Reset(seed,
//   &observation); RL_RETURN_IF_ERROR(videos->OnReset(0, EpisodeStart{},
//   env)); ... env.Step(action, &result); videos->OnStep(0, env, result,
//   step); ...
//   RL_RETURN_IF_ERROR(videos->Finish("run ended"));
#ifndef RL_PIPELINE_VIDEO_SESSION_H_
#define RL_PIPELINE_VIDEO_SESSION_H_

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "rl/canvas/canvas.h"
#include "rl/core/frame.h"
#include "rl/envs/env.h"
#include "rl/pipeline/env_picture.h"
#include "rl/pipeline/observer.h"
#include "rl/record/gallery.h"
#include "rl/record/recorder.h"
#include "rl/record/sidecar.h"
#include "rl/record/trigger.h"

namespace rl {

// What a session does about the finished videos another run left in its
// video_dir (FinishedVideos() in rl/record/gallery.h: a video and its
// sidecar). A crash's "-recording" leftovers are never touched, and are
// listed in the gallery as interrupted, whichever is chosen.
enum class EarlierVideos {
  // Create() refuses (FailedPrecondition, naming the directory and a
  // video): one directory, one run, so the gallery, the sidecars and the
  // live view describe it alone, and no sidecar of theirs is replaced.
  kRefuse,
  // Prepare() deletes them (and their sidecars) first.
  kReplace,
  // They stay beside the new ones: a training run's own videos/, which its
  // run directory checks as a whole (and a resumed run continues).
  kKeep,
};

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
  // 2D envs at a frame size of another aspect ratio than theirs.
  Fit fit = Fit::kLetterbox;
  int fps = 0;
  VideoSchedule record;
  RecorderOptions encoder;  // Path, size and fps are set per video.
  // The look of 3D (MuJoCo) envs: shadows, reflections... (size and format
  // are the video's).
  MujocoRendererOptions scene;
  bool embed = false;
  std::string gallery_title = "Videos";
  int env_index = 0;  // Which of a loop's lockstep envs is recorded.
  // Videos of evaluations: named "<prefix>-step-S-episode-E" (S: the run's
  // step the evaluation ran at, as the loop's EpisodeStart::step and
  // OnStep's step give it; E: the episode within the evaluation) instead of
  // by episode and step range.
  bool evaluation = false;
  // > 1: envs env_index .. env_index + tiled_envs - 1 of the loop in one
  // video, as a grid (labelled 0, 1, ...; each with its own overlay). The
  // schedule, names and sidecars follow env env_index; every step's frame
  // shows all of them after the same lockstep step (a video's first frame,
  // the recorded env's reset, shows a tile whose episode ended on that
  // same step at its last state: the loop resets envs in order). The loop
  // must run that many.
  int tiled_envs = 1;
  // How wide the smallest page shows a video, in CSS pixels: the run page
  // (rl/run/run_page.html, video{width:300px}); the gallery shows them as
  // large as they are, up to its width. Tiled videos' labels are made at
  // least kMinTileLabelPixels tall there.
  double page_video_width = 300;
  // For the sidecars and the gallery.
  std::string agent;
  uint64_t seed = 0;
  std::string env_kwargs;  // FormatEnvKwargs() of the env's; "" for none.
  // Data-parallel training: the rank recording (in sidecars); -1: one
  // process.
  int rank = -1;
  EarlierVideos earlier_videos = EarlierVideos::kRefuse;
  // > 0: a video of an env without a time limit of its own
  // (spec.max_episode_steps == 0) ends after this many frames ("frame
  // cap"; its episode goes on unrecorded), so a policy that never ends an
  // episode cannot make a video of hours. 0: no cap.
  int64_t max_frames_without_time_limit = 0;
  // True: the frames are rendered and encoded, and the videos finished
  // (renamed, sidecar, gallery), on a thread of the session's own at
  // background priority (rl/core/thread_priority.h), in order, so the
  // caller (a learner) is not held up by them. OnReset()/OnStep() only take
  // the picture (EnvPicture::Take: the env's drawing, or its 3D scene) and
  // queue it; they wait only when `queue_pictures` pictures are waiting
  // already (seconds_waited() adds that up). An error there is returned by
  // the next call. videos() lists a video once it is finished there (from
  // the next call on; Finish() waits for all). The videos are the same
  // either way. Its encoder uses one thread unless encoder.threads asks for
  // more: beside a learner more would only take CPU from it, and x264
  // (tune zerolatency) cuts each frame into a slice per thread, which costs
  // bytes (a CartPole clip at crf 23: one thread 23% smaller at a higher
  // PSNR, for 27% less CPU). False: all of it in the caller's call.
  bool background = false;
  // Background: pictures waiting at most; 0: 32 for 2D envs, 4 for 3D (a
  // MuJoCo scene is a few MB).
  int queue_pictures = 0;
};

class VideoSession : public EpisodeObserver {
 public:
  // Checks the names, the schedule and the encoder options (a trial
  // encoder in a temporary directory) and, unless nothing is to be
  // recorded, makes the renderer, so a backend that cannot start fails
  // here. Writes nothing in video_dir: call Prepare() once every other
  // check of the run has passed too.
  static absl::StatusOr<std::unique_ptr<VideoSession>> Create(
      const VideoSessionOptions& options, const EnvSpec& spec,
      std::ostream* log);
  // Unless nothing is to be recorded: creates video_dir (with kReplace,
  // deletes the earlier run's videos first) and its gallery page (proving
  // it writable). Before the first OnReset().
  absl::Status Prepare();
  // The recorded env's own step count so far (the step_id a `steps`
  // schedule counts): a resumed run's schedule goes on from where its
  // earlier part stopped.
  void ContinueStepCount(int64_t env_steps) { env_steps_ = env_steps; }
  // Closes a video still open, keeping its "-recording" name.
  ~VideoSession() override;

  // After env.Reset() of env `env_index` started an episode: the schedule
  // counts `start.env_episode`; names, sidecars and overlays say the run's
  // `start.episode` and steps. Other envs than options.env_index (and its
  // tiles) are ignored.
  absl::Status OnReset(int env_index, const EpisodeStart& start,
                       const Env& env) override;
  // After env.Step() succeeded with `result`; `step`: the run's steps after
  // it. Before the first OnReset() (the rest of an episode a resumed run
  // was in the middle of) only counted.
  absl::Status OnStep(int env_index, const Env& env, const StepResult& result,
                      int64_t step) override;
  // Ends the video in progress, if any: `why` goes in its sidecar
  // ("stopped", "run ended"). Background: then waits until every video is
  // finished.
  absl::Status Finish(absl::string_view why);

  // A video is in progress.
  bool recording() const { return open_; }
  // Background: seconds the caller waited for a free place in the queue
  // (the recording was behind by a whole queue); 0 otherwise.
  double seconds_waited() const;
  // The videos finished so far.
  const std::vector<VideoRecord>& videos() const { return videos_; }
  // Frames recorded of the run's episode `episode` (over all videos), and
  // the first finished video showing it ("" if none).
  int64_t FramesOfEpisode(int64_t episode) const;
  std::string FirstVideoOfEpisode(int64_t episode) const;
  const std::string& video_dir() const { return options_.video_dir; }

 private:
  VideoSession(const VideoSessionOptions& options, const EnvSpec& spec,
               std::ostream* log);
  absl::Status MakeRenderer();
  // Begins the video of the run's `episode` (Close()s one in progress).
  absl::Status Start(int64_t episode);
  // Takes the picture of `env` (or the tiles) now and queues its frame; a
  // reset's frame (!is_step) also centres a tracking camera on its body.
  absl::Status Capture(const Env& env, double reward, bool is_step);
  // Tiled: remembers env `env_index`'s place in the grid; false for envs
  // outside it.
  bool SeeTile(int env_index, const Env& env);
  // After the recorded env's reset or step: captures now (one env) or once
  // every tile has reached the same step (tiled), then closes the video if
  // it is full or (`result`) the episode ended.
  // `env` is the recorded env (null when a tile's call completes a frame).
  absl::Status Emit(const Env* env, double reward, bool is_step,
                    const StepResult* result);
  absl::Status EmitNow(const Env& env, double reward, bool is_step,
                       const StepResult* result);
  // Ends the video in progress: queues its finishing.
  absl::Status Close(absl::string_view why);

  // The work on the recording's side: in the caller's call, or (background)
  // on the session's thread, in the order posted; the first error sticks.
  absl::Status Post(std::function<absl::Status()> task);
  void WorkLoop();
  // Until every task posted is done; the first error.
  absl::Status Drain();
  // Tasks: opens the recorder of a video (its file `stem`-recording or the
  // first free "-2", ...), and finishes it (close, rename, sidecar,
  // gallery; queued for Publish()).
  absl::Status OpenRecorder(const std::string& stem);
  absl::Status FinishVideo(VideoRecord record);
  // Background: a picture to take (waiting while the queue is full), or
  // null and the error that stopped the recording; back to the pool after
  // its frame is written.
  std::shared_ptr<EnvPicture> FreePicture(absl::Status* error);
  void ReturnPicture(std::shared_ptr<EnvPicture> picture);
  // Adds the videos finished since to videos() (and their lines to log).
  void Publish();

  const VideoSessionOptions options_;
  const EnvSpec spec_;
  const VideoTrigger trigger_;
  const std::string prefix_;
  std::ostream* const log_;
  // Made by Create() if recording.
  std::unique_ptr<PictureRenderer> renderer_;
  double episode_return_ = 0;       // For the overlay.
  PictureOptions picture_options_;  // Tiled: labels readable on the pages.
  // What Capture() shows, kept across frames.
  std::vector<const Env*> shown_envs_;
  std::vector<OverlayInfo> overlays_;
  // Tiled recording: each tile's env (null until seen), its episode and
  // return, and the recorded env's frame waiting for the others' step.
  struct Tile {
    const Env* env = nullptr;
    int64_t episode = 0;
    double episode_return = 0;
  };
  std::vector<Tile> tiles_;
  struct PendingFrame {
    bool waiting = false;
    double reward = 0;
    bool is_step = false;
    StepResult result;  // A step's; unused for a reset frame.
  };
  PendingFrame pending_;
  // The caller's side: whether a video is in progress and what it holds so
  // far (its file, name and encoder are the recording side's).
  bool open_ = false;
  VideoRecord current_;
  int64_t videos_started_ = 0;
  std::vector<VideoRecord> videos_;  // Published.
  // (episode, frames, video) of every part of an episode recorded; video:
  // the index in videos_ it has once finished.
  struct Part {
    int64_t episode;
    int64_t frames;
    int video;
  };
  std::vector<Part> parts_;

  // The recording's side (tasks): the video in progress, its file, the
  // frame rendered and the gallery's list.
  std::unique_ptr<Recorder> recorder_;
  std::string recording_path_;
  Frame frame_;
  std::vector<GalleryVideo> gallery_;

  // Between the two sides.
  struct FinishedVideo {
    VideoRecord record;
    std::string log_line;
  };
  const int queue_pictures_;
  // Not background: the one picture, taken and rendered in the call.
  const std::shared_ptr<EnvPicture> shared_picture_ =
      std::make_shared<EnvPicture>();
  mutable absl::Mutex mutex_;
  std::thread thread_;  // Background, from the first task on.
  std::deque<std::function<absl::Status()>> tasks_ ABSL_GUARDED_BY(mutex_);
  bool running_task_ ABSL_GUARDED_BY(mutex_) = false;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  absl::Status error_ ABSL_GUARDED_BY(mutex_);
  std::vector<std::shared_ptr<EnvPicture>> free_pictures_
      ABSL_GUARDED_BY(mutex_);
  int pictures_made_ ABSL_GUARDED_BY(mutex_) = 0;
  double seconds_waited_ ABSL_GUARDED_BY(mutex_) = 0;
  std::vector<FinishedVideo> finished_ ABSL_GUARDED_BY(mutex_);
  std::atomic<int> finished_count_{0};
  int64_t episode_ = -1;   // The run's number of the recorded env's episode.
  int64_t run_step_ = 0;   // The run's steps at the latest reset or step.
  int64_t env_steps_ = 0;  // The recorded env's steps so far.
};

}  // namespace rl

#endif  // RL_PIPELINE_VIDEO_SESSION_H_
