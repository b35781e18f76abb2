// LiveFeed: the live picture of a run, from the learner's thread to the
// viewers' connections, without ever making the learner wait.
//
//   learner thread        if (feed.Wanted()) feed.Offer(picture);
//   feed's own thread     renders the latest picture offered (its own GL
//                         context), encodes it as JPEG, publishes it
//   viewer connections    WaitForPicture(): the newest picture, skipping any
//                         they were too slow to take
//
// Cost model: Wanted() is one relaxed atomic load while nobody watches, so
// an unwatched run pays nothing (no renderer is even created). While someone
// watches, it is true at most max_fps times a second; the learner then only
// takes an EnvPicture (rl/pipeline/env_picture.h: a 2D env's canvas, a list
// of shapes, or a MuJoCo env's scene, mjv_updateScene's geoms; tens of
// microseconds) and hands it over. Rendering and encoding happen on the
// feed's thread; a picture offered while the previous one is still being
// rendered replaces the waiting one,
// and a slow viewer gets the newest picture when it is ready for one. So
// neither a busy renderer nor a stalled client ever blocks the learner.
//
// The renderer is made on the first picture and re-made when the picture's
// size or kind (2D or 3D) changes (e.g. from a grid of training envs to one
// evaluation env); the JPEG is the picture's logical size, scaled down to
// fit max_width x max_height.
// A failure to render (say, the backend does not work here) is kept in
// error() for the page to show, and pictures are not tried again for 5 s;
// the run goes on.
//
// Example:
//   RL_ASSIGN_OR_RETURN(auto feed, LiveFeed::Create(LiveFeedOptions()));
//   // Learner:                        // A viewer's connection:
//   if (feed->Wanted()) {              LiveFeed::Viewer viewer(feed.get());
//     Canvas canvas(600, 400);         LiveFeed::Picture picture;
//     env.Draw(&canvas);               while (feed->WaitForPicture(
//     feed->Offer(std::move(canvas));      picture.sequence, absl::Seconds(1),
//   }                                      &picture)) Send(*picture.jpeg);
#ifndef RL_LIVE_LIVE_FEED_H_
#define RL_LIVE_LIVE_FEED_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "rl/canvas/canvas.h"
#include "rl/pipeline/env_picture.h"
#include "rl/render/mujoco/mujoco_renderer.h"

namespace rl {

class JpegEncoder;

// The boundary between the parts of Picture::mjpeg_part.
inline constexpr char kMjpegBoundary[] = "frame";
// What a stream sends first, before its first part: the opening boundary.
inline constexpr char kMjpegOpening[] = "--frame\r\n";

struct LiveFeedOptions {
  std::string render_backend = "llvmpipe";  // See rl/render/render_backend.h.
  int egl_device = -1;
  double max_fps = 10;  // Pictures per second at most, > 0.
  int max_width = 960;  // Pictures are scaled down to fit.
  int max_height = 720;
  int jpeg_quality = 4;  // FFmpeg qscale, 2..31 (jpeg_encoder.h).
  // The look of 3D (MuJoCo) envs; size and format are the feed's.
  MujocoRendererOptions scene;
};

class LiveFeed {
 public:
  // Checks the options and the backend's name (without creating it) and
  // starts the feed's thread.
  static absl::StatusOr<std::unique_ptr<LiveFeed>> Create(
      const LiveFeedOptions& options);
  // Close()s and joins the thread.
  ~LiveFeed();

  // Learner side. True when someone watches and a picture is due.
  bool Wanted() const {
    if (viewers_.load(std::memory_order_relaxed) == 0) return false;
    return Now() >= next_due_ns_.load(std::memory_order_relaxed);
  }
  // Hands a picture to the feed's thread; returns at once.
  void Offer(EnvPicture picture);
  void Offer(Canvas canvas) { Offer(EnvPicture(std::move(canvas))); }

  // Viewer side: counts as a viewer while it lives (pictures are made only
  // while there is one).
  class Viewer {
   public:
    explicit Viewer(LiveFeed* feed) : feed_(feed) { feed_->viewers_++; }
    ~Viewer() { feed_->viewers_--; }
    Viewer(const Viewer&) = delete;
    Viewer& operator=(const Viewer&) = delete;

   private:
    LiveFeed* feed_;
  };
  struct Picture {
    std::shared_ptr<const std::string> jpeg;
    // The same JPEG as one part of a multipart/x-mixed-replace stream with
    // boundary "frame" (kMjpegBoundary), after the stream's kMjpegOpening:
    // the part's headers, the JPEG, and the boundary that ends it. Ending
    // each part with the next boundary (not starting it with one) lets a
    // browser show the picture as soon as it arrives, even when it is the
    // last one (a run that ended, a lingering view): it never waits for a
    // part that will not come. Built once, sent to every viewer with one
    // write.
    std::shared_ptr<const std::string> mjpeg_part;
    int width = 0;
    int height = 0;
    int64_t sequence = 0;  // 1, 2, ...; 0: none yet.
  };
  // Waits until a picture newer than sequence `after` exists (then sets
  // *picture and returns true), `timeout` passes or the feed is closed
  // (false).
  bool WaitForPicture(int64_t after, absl::Duration timeout, Picture* picture);
  // The newest picture (sequence 0 if none yet).
  Picture Latest() const;

  // Wakes every waiter; from then on WaitForPicture() returns false.
  void Close();
  bool closed() const;

  int viewers() const { return viewers_.load(); }
  int64_t pictures() const;   // Published so far.
  std::string error() const;  // Why pictures fail, or "".

 private:
  explicit LiveFeed(const LiveFeedOptions& options);
  static int64_t Now() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
  void Work();
  absl::Status RenderAndEncode(const EnvPicture& env_picture, Picture* picture);

  const LiveFeedOptions options_;
  const int64_t period_ns_;
  std::atomic<int> viewers_{0};
  std::atomic<int64_t> next_due_ns_{0};

  mutable absl::Mutex mutex_;
  std::unique_ptr<EnvPicture> pending_ ABSL_GUARDED_BY(mutex_);
  Picture latest_ ABSL_GUARDED_BY(mutex_);
  bool closed_ ABSL_GUARDED_BY(mutex_) = false;
  std::string error_ ABSL_GUARDED_BY(mutex_);

  // The feed thread's own.
  std::unique_ptr<PictureRenderer> renderer_;
  std::unique_ptr<JpegEncoder> encoder_;
  int picture_width_ = 0, picture_height_ = 0;
  bool picture_3d_ = false;
  std::string resolved_backend_;  // What "auto" chose, once it has.
  std::chrono::steady_clock::time_point retry_after_;  // After a failure.
  std::thread thread_;
};

}  // namespace rl

#endif  // RL_LIVE_LIVE_FEED_H_
