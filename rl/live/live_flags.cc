#include "rl/live/live_flags.h"

#include <chrono>
#include <system_error>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "rl/core/file_util.h"
#include "rl/core/status_macros.h"

ABSL_FLAG(std::string, live, "",
          "Watch the run live in a browser: serve a page with the env's "
          "picture, the learning curve and the videos at HOST:PORT (e.g. "
          "8080, 127.0.0.1:8080; port 0 picks a free one). Loopback only "
          "unless a host such as 0.0.0.0 is given. Off when empty.");
ABSL_FLAG(double, live_fps, 10,
          "--live: live pictures per second at most (rendered only while "
          "someone watches).");
ABSL_FLAG(int, live_max_viewers, 16,
          "--live: live picture streams served at once; more get 503.");

ABSL_FLAG(bool, live_linger, false,
          "--live: when the run ends, keep serving the live page (the last "
          "picture, the curve, the videos and files) until Ctrl-C.");

namespace rl {

absl::StatusOr<std::unique_ptr<LiveView>> StartLiveViewFromFlags(
    const std::string& root_dir, const std::string& render_backend,
    int egl_device, const MujocoRendererOptions& scene, std::ostream& out,
    std::ostream& warnings) {
  LiveOptions options;
  options.address = absl::GetFlag(FLAGS_live);
  if (options.address.empty()) return std::unique_ptr<LiveView>();
  options.fps = absl::GetFlag(FLAGS_live_fps);
  options.max_viewers = absl::GetFlag(FLAGS_live_max_viewers);
  options.render_backend = render_backend;
  options.egl_device = egl_device;
  options.scene = scene;
  // Lingering, the view outlives the run: keep its last picture to show.
  options.keep_last_picture = absl::GetFlag(FLAGS_live_linger);
  RL_RETURN_IF_ERROR(MakeDirectories(root_dir, "live view directory"));
  auto live = LiveView::Start(options, root_dir, &warnings);
  if (!live.ok()) return live.status();
  out << "live view: " << (*live)->url()
      << " (open it in a browser; see the README for notebooks)\n"
      << std::flush;
  return live;
}

std::optional<LiveFeedOptions> LiveFeedOptionsFromFlags(
    const std::string& render_backend, int egl_device,
    const MujocoRendererOptions& scene) {
  if (absl::GetFlag(FLAGS_live).empty()) return std::nullopt;
  LiveFeedOptions options;
  options.render_backend = render_backend;
  options.egl_device = egl_device;
  options.scene = scene;
  options.max_fps = absl::GetFlag(FLAGS_live_fps);
  return options;
}

void LingerIfAsked(LiveView* live, const std::atomic<bool>& stop_requested,
                   std::ostream& out) {
  if (live == nullptr || !absl::GetFlag(FLAGS_live_linger) ||
      stop_requested.load()) {
    return;
  }
  out << "the run has ended; the live view stays at " << live->url()
      << " until Ctrl-C (--live_linger)\n"
      << std::flush;
  while (!stop_requested.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace rl
