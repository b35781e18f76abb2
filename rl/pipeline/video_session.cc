#include "rl/pipeline/video_session.h"

#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "rl/canvas/canvas.h"
#include "rl/core/file_util.h"
#include "rl/core/frame.h"
#include "rl/core/status_macros.h"
#include "rl/core/thread_priority.h"
#include "rl/envs/env.h"
#include "rl/envs/vector/tiling.h"
#include "rl/pipeline/env_picture.h"
#include "rl/record/gallery.h"
#include "rl/record/recorder.h"
#include "rl/record/sidecar.h"
#include "rl/record/trigger.h"
#include "rl/render/overlay.h"
#include "rl/render/render_backend.h"
#include "rl/render/renderer.h"

namespace rl {
namespace {

// Opens and closes a recorder with `options` in a fresh temporary directory
// (removed after), so that every option is checked by the recorder itself.
absl::Status ProbeEncoder(const std::string& recorder,
                          RecorderOptions options) {
  const char* tmp = std::getenv("TMPDIR");
  std::string dir = absl::StrCat(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp",
                                 "/headless-rl-probe-XXXXXX");
  if (mkdtemp(dir.data()) == nullptr) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot create a temporary directory ", dir, ": ",
                     std::strerror(errno), "; set TMPDIR to a writable one"));
  }
  options.path = absl::StrCat(dir, "/probe.", recorder);
  absl::Status status = [&]() -> absl::Status {
    RL_ASSIGN_OR_RETURN(std::unique_ptr<Recorder> probe,
                        Recorders().Create(recorder, options));
    return probe->Close();
  }();
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
  return status;
}

// Tile labels' digits (7 of the font's 10 cell rows) at least this many
// pixels tall on the page, with a tenth more so rounding never takes them
// below.
constexpr double kMinTileLabelPixels = 10;
constexpr double kGlyphInkFraction = 0.7;

// The tile label text height (logical pixels of the grid) that shows
// kMinTileLabelPixels tall in a frame of `width` x `height` shown
// `page_width` pixels wide.
float MinTileLabelHeight(const VideoSessionOptions& options,
                         const EnvSpec& spec) {
  if (options.tiled_envs < 2 || options.width < 1 || options.height < 1) {
    return 0;
  }
  const auto [grid_width, grid_height] = TiledSize(
      options.tiled_envs, spec.render_width, spec.render_height, TileOptions());
  // Frame pixels per grid pixel, down: letterboxed 2D, or stretched.
  const int shown_height = !spec.scene_3d && options.fit == Fit::kLetterbox
                               ? LetterboxRect(grid_width, grid_height,
                                               options.width, options.height)
                                     .height
                               : options.height;
  const double page_pixels_per_grid_pixel =
      static_cast<double>(shown_height) / grid_height *
      (options.page_video_width / options.width);
  return static_cast<float>(1.1 * kMinTileLabelPixels / kGlyphInkFraction /
                            page_pixels_per_grid_pixel);
}

}  // namespace

VideoSession::VideoSession(const VideoSessionOptions& options,
                           const EnvSpec& spec, std::ostream* log)
    : options_(options),
      spec_(spec),
      trigger_(options.record),
      prefix_(NamePrefix(options.record, spec.id)),
      log_(log),
      tiles_(options.tiled_envs > 1 ? options.tiled_envs : 0),
      queue_pictures_(options.queue_pictures > 0 ? options.queue_pictures
                      : spec.scene_3d            ? 4
                                                 : 32) {
  picture_options_.tiles.min_label_height = MinTileLabelHeight(options, spec);
}

VideoSession::~VideoSession() {
  // Background: the work queued is done first (frames are not lost to an
  // error elsewhere), unless the thread failed.
  if (thread_.joinable()) {
    {
      absl::MutexLock lock(&mutex_);
      stopping_ = true;
    }
    thread_.join();
  }
  // A video cut short by an error keeps its "-recording" name: what was
  // written plays, and the name says it is incomplete.
  if (recorder_ != nullptr) recorder_->Close().IgnoreError();
}

absl::Status VideoSession::Post(std::function<absl::Status()> task) {
  if (!options_.background) return task();
  absl::MutexLock lock(&mutex_);
  if (!error_.ok()) return error_;
  if (!thread_.joinable()) thread_ = std::thread([this] { WorkLoop(); });
  tasks_.push_back(std::move(task));
  return absl::OkStatus();
}

void VideoSession::WorkLoop() {
  pthread_setname_np(pthread_self(), "rl-video");
  // Recorders opened here start their encoder threads here: background too.
  MakeThisThreadBackground();
  while (true) {
    std::function<absl::Status()> task;
    bool failed;
    {
      absl::MutexLock lock(&mutex_);
      auto has_work = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
        return !tasks_.empty() || stopping_;
      };
      mutex_.Await(absl::Condition(&has_work));
      if (tasks_.empty()) return;  // Stopping, and all done.
      task = std::move(tasks_.front());
      tasks_.pop_front();
      running_task_ = true;
      failed = !error_.ok();
    }
    // After an error the rest is dropped (its pictures with it).
    absl::Status status = failed ? absl::OkStatus() : task();
    task = nullptr;
    absl::MutexLock lock(&mutex_);
    if (!status.ok() && error_.ok()) error_ = std::move(status);
    running_task_ = false;
  }
}

absl::Status VideoSession::Drain() {
  if (!options_.background) return absl::OkStatus();
  absl::MutexLock lock(&mutex_);
  auto idle = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    return tasks_.empty() && !running_task_;
  };
  mutex_.Await(absl::Condition(&idle));
  return error_;
}

std::shared_ptr<EnvPicture> VideoSession::FreePicture(absl::Status* error) {
  if (!options_.background) return shared_picture_;
  absl::MutexLock lock(&mutex_);
  if (free_pictures_.empty() && pictures_made_ < queue_pictures_) {
    ++pictures_made_;
    return std::make_shared<EnvPicture>();
  }
  auto can_take = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    return !free_pictures_.empty() || !error_.ok();
  };
  if (!can_take()) {
    // Back-pressure: the recording is behind by a whole queue.
    const absl::Time start = absl::Now();
    mutex_.Await(absl::Condition(&can_take));
    seconds_waited_ += absl::ToDoubleSeconds(absl::Now() - start);
  }
  if (!error_.ok()) {
    *error = error_;
    return nullptr;
  }
  std::shared_ptr<EnvPicture> picture = std::move(free_pictures_.back());
  free_pictures_.pop_back();
  return picture;
}

void VideoSession::ReturnPicture(std::shared_ptr<EnvPicture> picture) {
  if (!options_.background) return;
  absl::MutexLock lock(&mutex_);
  free_pictures_.push_back(std::move(picture));
}

void VideoSession::Publish() {
  std::vector<FinishedVideo> finished;
  {
    absl::MutexLock lock(&mutex_);
    finished.swap(finished_);
    finished_count_.store(0, std::memory_order_relaxed);
  }
  for (FinishedVideo& video : finished) {
    videos_.push_back(std::move(video.record));
    if (log_ != nullptr) *log_ << video.log_line << std::flush;
  }
}

double VideoSession::seconds_waited() const {
  absl::MutexLock lock(&mutex_);
  return seconds_waited_;
}

absl::StatusOr<std::unique_ptr<VideoSession>> VideoSession::Create(
    const VideoSessionOptions& options, const EnvSpec& spec,
    std::ostream* log) {
  RL_RETURN_IF_ERROR(ValidateSchedule(options.record));
  if (options.tiled_envs < 1 || options.tiled_envs > 64) {
    return absl::InvalidArgumentError(absl::StrCat(
        "envs in one video must be 1..64, got ", options.tiled_envs));
  }
  RL_RETURN_IF_ERROR(Recorders().CheckName(options.recorder));
  RL_RETURN_IF_ERROR(RenderBackends().CheckName(options.render_backend));
  VideoSessionOptions resolved = options;
  if ((resolved.width == 0) != (resolved.height == 0)) {
    return absl::InvalidArgumentError(
        "give both frame width and height, or neither");
  }
  if (resolved.width == 0) {
    resolved.width = spec.render_width;
    resolved.height = spec.render_height;
    if (options.tiled_envs > 1) {
      // The grid at the envs' own size, scaled down to fit 1280x960.
      const auto [grid_width, grid_height] =
          TiledSize(options.tiled_envs, spec.render_width, spec.render_height,
                    TileOptions());
      const double scale =
          std::min({1.0, 1280.0 / grid_width, 960.0 / grid_height});
      resolved.width = std::max(2, static_cast<int>(grid_width * scale) & ~1);
      resolved.height = std::max(2, static_cast<int>(grid_height * scale) & ~1);
    }
  }
  if (resolved.fps == 0) resolved.fps = spec.render_fps;
  if (resolved.background && resolved.encoder.threads == 0) {
    resolved.encoder.threads = 1;
  }
  RecorderOptions encoder = resolved.encoder;
  encoder.width = resolved.width;
  encoder.height = resolved.height;
  encoder.fps = resolved.fps;
  std::unique_ptr<VideoSession> session(new VideoSession(resolved, spec, log));
  if (session->trigger_.RecordsAnything()) {
    // First: the cheapest check, and the one a rerun meets.
    if (options.earlier_videos == EarlierVideos::kRefuse) {
      if (const std::vector<std::string> earlier =
              FinishedVideos(options.video_dir);
          !earlier.empty()) {
        return absl::FailedPreconditionError(absl::StrCat(
            "video directory ", options.video_dir, " already holds ",
            earlier.size(), " video(s) of an earlier run (", earlier.front(),
            earlier.size() > 1 ? ", ..." : "",
            "): a new run there would mix with them (its page would not "
            "list them, and a video of the same name from the other "
            "recorder would replace a sidecar); choose another directory, "
            "or replace them"));
      }
    }
    // A dry run of the encoder, with every option as given (the queue too),
    // in a directory of its own: a bad option (crf, preset, queue...) fails
    // now, before anything is created or played.
    RL_RETURN_IF_ERROR(ProbeEncoder(resolved.recorder, encoder));
    // The renderer now, not with the first video: a backend that cannot
    // start (egl without a GPU) fails before anything is written.
    // Background: made on the session's thread, so the threads a software
    // rasterizer starts with its context (llvmpipe's) are background too.
    VideoSession* made = session.get();
    RL_RETURN_IF_ERROR(session->Post([made] { return made->MakeRenderer(); }));
    RL_RETURN_IF_ERROR(session->Drain());
  }
  return session;
}

absl::Status VideoSession::Prepare() {
  if (!trigger_.RecordsAnything()) return absl::OkStatus();
  RL_RETURN_IF_ERROR(MakeDirectories(options_.video_dir, "video directory"));
  if (options_.earlier_videos == EarlierVideos::kReplace) {
    for (const std::string& video : FinishedVideos(options_.video_dir)) {
      const std::string path = absl::StrCat(options_.video_dir, "/", video);
      const std::string sidecar =
          absl::StrCat(path.substr(0, path.rfind('.')), ".json");
      for (const std::string& file : {path, sidecar}) {
        if (unlink(file.c_str()) != 0 && errno != ENOENT) {
          return absl::PermissionDeniedError(
              absl::StrCat("cannot delete the earlier run's ", file, ": ",
                           std::strerror(errno)));
        }
      }
    }
  }
  // Proves the directory is writable before the first episode.
  return WriteGallery(options_.video_dir, gallery_,
                      {options_.gallery_title, options_.embed});
}

absl::Status VideoSession::MakeRenderer() {
  PictureRendererOptions renderer_options;
  renderer_options.render_backend = options_.render_backend;
  renderer_options.egl_device = options_.egl_device;
  renderer_options.width = options_.width;
  renderer_options.height = options_.height;
  renderer_options.fit = options_.fit;
  // The encoders' own format: the renderer converts during readback
  // (SIMD on the CPU, or a shader on a GPU) and the recorder passes the
  // planes straight through, as //benchmarks:report measures.
  renderer_options.format = PixelFormat::kYuv420p;
  renderer_options.scene = options_.scene;
  RL_ASSIGN_OR_RETURN(
      renderer_, PictureRenderer::Create(renderer_options, spec_.scene_3d));
  return absl::OkStatus();
}

absl::Status VideoSession::Start(int64_t episode) {
  if (open_) RL_RETURN_IF_ERROR(Close("next video"));
  if (renderer_ == nullptr) RL_RETURN_IF_ERROR(MakeRenderer());
  const std::string stem =
      options_.evaluation
          ? absl::StrCat(EvaluationVideoStem(prefix_, run_step_, episode),
                         "-recording")
          : RecordingFileStem(prefix_, episode, run_step_);
  RL_RETURN_IF_ERROR(Post([this, stem] { return OpenRecorder(stem); }));
  open_ = true;
  ++videos_started_;
  current_ = VideoRecord();
  current_.env_id = spec_.id;
  current_.episode = episode;
  current_.first_step = run_step_;
  current_.seed = options_.seed;
  current_.agent = options_.agent;
  current_.env_kwargs = options_.env_kwargs;
  current_.rank = options_.rank;
  // What auto chose, if asked.
  current_.render_backend = renderer_->backend_name();
  current_.gl_renderer = renderer_->gl_renderer();
  current_.recorder = options_.recorder;
  current_.width = options_.width;
  current_.height = options_.height;
  current_.fps = options_.fps;
  current_.trigger = trigger_.Describe();
  return absl::OkStatus();
}

absl::Status VideoSession::OpenRecorder(const std::string& stem) {
  RecorderOptions encoder = options_.encoder;
  encoder.width = options_.width;
  encoder.height = options_.height;
  encoder.fps = options_.fps;
  // Recorders never replace a file: a leftover of a crashed run by this
  // name (the gallery lists it as interrupted) stays, and this video takes
  // the first free "-2", "-3", ... name instead.
  for (int copy = 1;; ++copy) {
    encoder.path = absl::StrCat(options_.video_dir, "/", stem,
                                copy == 1 ? "" : absl::StrCat("-", copy), ".",
                                options_.recorder);
    absl::StatusOr<std::unique_ptr<Recorder>> recorder =
        Recorders().Create(options_.recorder, encoder);
    if (recorder.ok()) {
      recorder_ = std::move(*recorder);
      break;
    }
    if (!absl::IsAlreadyExists(recorder.status()) || copy >= 1000) {
      return recorder.status();
    }
  }
  recording_path_ = encoder.path;
  return absl::OkStatus();
}

absl::Status VideoSession::Capture(const Env& env, double reward,
                                   bool is_step) {
  // The recorded env alone, or every tile (each with its own overlay), in
  // vectors kept across frames: no allocation per frame once their strings
  // have their length.
  const bool draw_overlay = options_.overlay || !options_.overlay_label.empty();
  const size_t n = tiles_.empty() ? 1 : tiles_.size();
  shown_envs_.resize(n);
  overlays_.resize(draw_overlay ? n : 0);
  size_t i = 0;
  auto add = [&](const Env& shown, int64_t episode, double episode_return) {
    const size_t slot = i++;
    shown_envs_[slot] = &shown;
    if (!draw_overlay) return;
    OverlayInfo& info = overlays_[slot];
    if (options_.overlay) {
      if (tiles_.empty()) info.env_id = spec_.id;  // Tiles are numbered.
      info.episode = static_cast<int>(episode);
      info.step = shown.elapsed_steps();
      info.episode_return = episode_return;
    } else {
      info.show_return = false;
    }
    info.label = options_.overlay_label;
  };
  if (tiles_.empty()) {
    add(env, episode_, episode_return_);
  } else {
    for (const Tile& tile : tiles_) {
      add(*tile.env, tile.episode, tile.episode_return);
    }
  }
  absl::Status error;
  std::shared_ptr<EnvPicture> picture = FreePicture(&error);
  if (picture == nullptr) return error;
  RL_RETURN_IF_ERROR(picture->Take(shown_envs_, overlays_, picture_options_));
  RL_RETURN_IF_ERROR(Post([this, picture]() mutable {
    absl::Status status = renderer_->Render(*picture, &frame_);
    ReturnPicture(std::move(picture));
    RL_RETURN_IF_ERROR(status);
    return recorder_->WriteFrame(frame_);
  }));
  ++current_.frames;
  current_.last_episode = episode_;
  current_.last_step = run_step_;
  if (is_step) {
    ++current_.steps;
    current_.video_return += reward;
  }
  const int video = static_cast<int>(videos_started_ - 1);
  if (parts_.empty() || parts_.back().video != video ||
      parts_.back().episode != episode_) {
    parts_.push_back({episode_, 0, video});
  }
  ++parts_.back().frames;
  return absl::OkStatus();
}

absl::Status VideoSession::Close(absl::string_view why) {
  open_ = false;
  current_.ended = std::string(why);
  RL_RETURN_IF_ERROR(
      Post([this, record = current_] { return FinishVideo(record); }));
  if (!options_.background) Publish();
  return absl::OkStatus();
}

absl::Status VideoSession::FinishVideo(VideoRecord record) {
  std::unique_ptr<Recorder> recorder = std::move(recorder_);
  RL_RETURN_IF_ERROR(recorder->Close());
  record.encoder = recorder->info();
  std::string stem =
      options_.evaluation
          ? EvaluationVideoStem(prefix_, record.first_step, record.episode)
          : VideoFileStem(prefix_, record.episode, record.first_step,
                          record.last_step);
  // Never over another video (one left by an earlier part of a resumed run
  // may have this name): the first free "-2", "-3", ... suffix instead.
  std::string path;
  for (int copy = 1;; ++copy) {
    const std::string candidate =
        copy == 1 ? stem : absl::StrCat(stem, "-", copy);
    record.file = absl::StrCat(candidate, ".", options_.recorder);
    path = absl::StrCat(options_.video_dir, "/", record.file);
    absl::Status renamed = RenameNoReplace(recording_path_, path);
    if (renamed.ok()) {
      stem = candidate;
      break;
    }
    if (!absl::IsAlreadyExists(renamed) || copy >= 1000) return renamed;
  }
  const std::string sidecar = absl::StrCat(stem, ".json");
  RL_RETURN_IF_ERROR(
      WriteSidecar(absl::StrCat(options_.video_dir, "/", sidecar), record));
  gallery_.push_back(ToGalleryVideo(record, sidecar));
  RL_RETURN_IF_ERROR(WriteGallery(options_.video_dir, gallery_,
                                  {options_.gallery_title, options_.embed}));
  FinishedVideo finished;
  // An evaluation's frames all show the policy of one step of the run.
  finished.log_line =
      options_.evaluation
          ? absl::StrFormat(
                "  video %s: %d frames, evaluation at step %d (%s)\n", path,
                record.frames, record.first_step, record.ended)
          : absl::StrFormat("  video %s: %d frames, steps %d-%d (%s)\n", path,
                            record.frames, record.first_step, record.last_step,
                            record.ended);
  finished.record = std::move(record);
  absl::MutexLock lock(&mutex_);
  finished_.push_back(std::move(finished));
  finished_count_.fetch_add(1, std::memory_order_relaxed);
  return absl::OkStatus();
}

bool VideoSession::SeeTile(int env_index, const Env& env) {
  const int tile = env_index - options_.env_index;
  if (tile < 0 || tile >= static_cast<int>(tiles_.size())) return false;
  tiles_[tile].env = &env;
  return true;
}

absl::Status VideoSession::OnReset(int env_index, const EpisodeStart& start,
                                   const Env& env) {
  if (SeeTile(env_index, env)) {
    Tile& tile = tiles_[env_index - options_.env_index];
    tile.episode = start.episode;
    tile.episode_return = 0;
  }
  if (env_index == options_.env_index) {
    if (finished_count_.load(std::memory_order_relaxed) > 0) Publish();
    episode_ = start.episode;
    run_step_ = start.step;
    episode_return_ = 0;
    if (open_ && trigger_.EndsWithEpisode()) {
      RL_RETURN_IF_ERROR(Close("episode ended"));
    }
    if (trigger_.StartsAtEpisode(start.env_episode)) {
      RL_RETURN_IF_ERROR(Start(episode_));
    }
    if (!open_) return absl::OkStatus();
    return Emit(&env, 0, /*is_step=*/false, nullptr);
  }
  // A reset frame waits for the tiles not yet reset at the run's start.
  if (pending_.waiting && !pending_.is_step) {
    return Emit(nullptr, 0, false, nullptr);
  }
  return absl::OkStatus();
}

absl::Status VideoSession::OnStep(int env_index, const Env& env,
                                  const StepResult& result, int64_t step) {
  if (SeeTile(env_index, env)) {
    tiles_[env_index - options_.env_index].episode_return += result.reward;
  }
  if (env_index == options_.env_index) {
    if (finished_count_.load(std::memory_order_relaxed) > 0) Publish();
    run_step_ = step;
    if (episode_ < 0) {  // The rest of an episode begun before a resume.
      ++env_steps_;
      return absl::OkStatus();
    }
    const int64_t step_id = env_steps_++;  // Gymnasium's step_id: 0-based.
    episode_return_ += result.reward;
    if (trigger_.StartsAtStep(step_id)) RL_RETURN_IF_ERROR(Start(episode_));
    if (!open_) return absl::OkStatus();
    return Emit(&env, result.reward, /*is_step=*/true, &result);
  }
  // The last tile's step completes the lockstep step the frame shows.
  if (pending_.waiting && pending_.is_step &&
      env_index == options_.env_index + options_.tiled_envs - 1) {
    return Emit(nullptr, pending_.reward, true, &pending_.result);
  }
  return absl::OkStatus();
}

absl::Status VideoSession::Emit(const Env* env, double reward, bool is_step,
                                const StepResult* result) {
  if (tiles_.empty()) return EmitNow(*env, reward, is_step, result);
  const Env* primary = tiles_[0].env;
  bool ready = true;
  for (const Tile& tile : tiles_) ready = ready && tile.env != nullptr;
  // A step frame waits for the last tile's step; a reset frame for every
  // tile to have been reset once.
  const bool last_stepped =
      pending_.waiting && pending_.is_step && result == &pending_.result;
  if (!ready || (is_step && !last_stepped)) {
    pending_.waiting = true;
    pending_.reward = reward;
    pending_.is_step = is_step;
    if (result != nullptr) pending_.result = *result;
    return absl::OkStatus();
  }
  pending_.waiting = false;
  // A step's result is pending_.result by now (the last tile's call passes
  // it); a reset has none.
  return EmitNow(*primary, reward, is_step, result);
}

absl::Status VideoSession::EmitNow(const Env& env, double reward, bool is_step,
                                   const StepResult* result) {
  RL_RETURN_IF_ERROR(Capture(env, reward, is_step));
  if (trigger_.IsFull(current_.frames)) return Close("video_length");
  if (spec_.max_episode_steps == 0 &&
      options_.max_frames_without_time_limit > 0 &&
      current_.frames >= options_.max_frames_without_time_limit) {
    return Close("frame cap");
  }
  if (result != nullptr && trigger_.EndsWithEpisode() &&
      (result->terminated || result->truncated)) {
    return Close(result->terminated ? "terminated" : "truncated");
  }
  return absl::OkStatus();
}

absl::Status VideoSession::Finish(absl::string_view why) {
  absl::Status status = open_ ? Close(why) : absl::OkStatus();
  if (status.ok()) status = Drain();
  Publish();
  return status;
}

int64_t VideoSession::FramesOfEpisode(int64_t episode) const {
  int64_t frames = 0;
  for (const Part& part : parts_) {
    if (part.episode == episode) frames += part.frames;
  }
  return frames;
}

std::string VideoSession::FirstVideoOfEpisode(int64_t episode) const {
  for (const Part& part : parts_) {
    if (part.episode == episode &&
        part.video < static_cast<int>(videos_.size())) {
      return absl::StrCat(options_.video_dir, "/", videos_[part.video].file);
    }
  }
  return "";
}

}  // namespace rl
