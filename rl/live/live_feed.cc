#include "rl/live/live_feed.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "rl/core/frame.h"
#include "rl/core/status_macros.h"
#include "rl/live/jpeg_encoder.h"
#include "rl/render/render_backend.h"

namespace rl {

absl::StatusOr<std::unique_ptr<LiveFeed>> LiveFeed::Create(
    const LiveFeedOptions& options) {
  if (!(options.max_fps > 0) || options.max_fps > 120) {
    return absl::InvalidArgumentError(absl::StrCat(
        "live pictures per second must be in (0, 120], got ", options.max_fps));
  }
  if (options.max_width < 16 || options.max_height < 16 ||
      options.max_width > 8192 || options.max_height > 8192) {
    return absl::InvalidArgumentError(
        absl::StrCat("live picture bounds must be 16..8192 each, got ",
                     options.max_width, "x", options.max_height));
  }
  if (options.jpeg_quality < 2 || options.jpeg_quality > 31) {
    return absl::InvalidArgumentError(absl::StrCat(
        "live JPEG quality must be 2..31, got ", options.jpeg_quality));
  }
  // The name only: creating a backend costs a GL context, which an
  // unwatched run never needs.
  if (options.render_backend != "auto") {
    RL_RETURN_IF_ERROR(RenderBackends().CheckName(options.render_backend));
  }
  std::unique_ptr<LiveFeed> feed(new LiveFeed(options));
  feed->thread_ = std::thread([f = feed.get()] { f->Work(); });
  return feed;
}

LiveFeed::LiveFeed(const LiveFeedOptions& options)
    : options_(options),
      period_ns_(static_cast<int64_t>(std::llround(1e9 / options.max_fps))) {}

LiveFeed::~LiveFeed() {
  Close();
  if (thread_.joinable()) thread_.join();
}

void LiveFeed::Offer(EnvPicture picture) {
  next_due_ns_.store(Now() + period_ns_, std::memory_order_relaxed);
  auto taken = std::make_unique<EnvPicture>(std::move(picture));
  absl::MutexLock lock(&mutex_);
  pending_ = std::move(taken);  // Replaces one not yet rendered.
}

bool LiveFeed::WaitForPicture(int64_t after, absl::Duration timeout,
                              Picture* picture) {
  absl::MutexLock lock(&mutex_);
  auto ready = [this, after]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    return closed_ || latest_.sequence > after;
  };
  mutex_.AwaitWithTimeout(absl::Condition(&ready), timeout);
  if (closed_ || latest_.sequence <= after) return false;
  *picture = latest_;
  return true;
}

LiveFeed::Picture LiveFeed::Latest() const {
  absl::MutexLock lock(&mutex_);
  return latest_;
}

void LiveFeed::Close() {
  absl::MutexLock lock(&mutex_);
  closed_ = true;
}

bool LiveFeed::closed() const {
  absl::MutexLock lock(&mutex_);
  return closed_;
}

int64_t LiveFeed::pictures() const {
  absl::MutexLock lock(&mutex_);
  return latest_.sequence;
}

std::string LiveFeed::error() const {
  absl::MutexLock lock(&mutex_);
  return error_;
}

void LiveFeed::Work() {
  while (true) {
    std::unique_ptr<EnvPicture> env_picture;
    {
      absl::MutexLock lock(&mutex_);
      auto has_work = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
        return closed_ || pending_ != nullptr;
      };
      mutex_.Await(absl::Condition(&has_work));
      if (closed_) break;
      env_picture = std::move(pending_);
    }
    // After a failure, pictures are dropped for a while rather than trying
    // (say, starting an X server) ten times a second.
    if (std::chrono::steady_clock::now() < retry_after_) continue;
    Picture picture;
    absl::Status status = RenderAndEncode(*env_picture, &picture);
    // Scenes hold their model: let go of it outside the lock.
    env_picture.reset();
    absl::MutexLock lock(&mutex_);
    if (!status.ok()) {
      error_ = std::string(status.message());
      retry_after_ = std::chrono::steady_clock::now() + std::chrono::seconds(5);
      continue;
    }
    error_.clear();
    picture.sequence = latest_.sequence + 1;
    latest_ = std::move(picture);  // Waiters wake on the sequence change.
  }
  // GL objects go with the thread that used them last.
  renderer_.reset();
  encoder_.reset();
}

absl::Status LiveFeed::RenderAndEncode(const EnvPicture& env_picture,
                                       Picture* picture) {
  if (renderer_ == nullptr || env_picture.width() != picture_width_ ||
      env_picture.height() != picture_height_ ||
      env_picture.has_scenes() != picture_3d_) {
    renderer_.reset();
    encoder_.reset();
    const double scale = std::min(
        {1.0, static_cast<double>(options_.max_width) / env_picture.width(),
         static_cast<double>(options_.max_height) / env_picture.height()});
    // Even sizes: JPEG's 4:2:0 chroma covers 2x2 blocks.
    const int width =
        std::max(2, static_cast<int>(env_picture.width() * scale) & ~1);
    const int height =
        std::max(2, static_cast<int>(env_picture.height() * scale) & ~1);
    PictureRendererOptions renderer_options;
    // "auto" is resolved once: its choice (and its notice) stays for the
    // renderers made when the picture changes.
    renderer_options.render_backend =
        resolved_backend_.empty() ? options_.render_backend : resolved_backend_;
    renderer_options.egl_device = options_.egl_device;
    renderer_options.width = width;
    renderer_options.height = height;
    renderer_options.format = PixelFormat::kRgb24;
    renderer_options.scene = options_.scene;
    RL_ASSIGN_OR_RETURN(
        renderer_,
        PictureRenderer::Create(renderer_options, env_picture.has_scenes()));
    resolved_backend_ = renderer_->backend_name();
    RL_ASSIGN_OR_RETURN(
        encoder_, JpegEncoder::Create(width, height, options_.jpeg_quality));
    picture_width_ = env_picture.width();
    picture_height_ = env_picture.height();
    picture_3d_ = env_picture.has_scenes();
  }
  Frame frame;
  absl::Status status = renderer_->Render(env_picture, &frame);
  if (!status.ok()) {
    renderer_.reset();  // Made anew for the next picture.
    return status;
  }
  RL_ASSIGN_OR_RETURN(std::string jpeg, encoder_->Encode(frame));
  picture->mjpeg_part = std::make_shared<const std::string>(
      absl::StrCat("Content-Type: image/jpeg\r\nContent-Length: ", jpeg.size(),
                   "\r\n\r\n", jpeg, "\r\n--", kMjpegBoundary, "\r\n"));
  picture->jpeg = std::make_shared<const std::string>(std::move(jpeg));
  picture->width = frame.width();
  picture->height = frame.height();
  return absl::OkStatus();
}

}  // namespace rl
