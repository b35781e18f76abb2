// The live-view flags every run binary takes (train, play), in one place:
//   --live=HOST:PORT        serve the live view there (off by default; host
//                           127.0.0.1 unless given; port 0 picks a free one)
//   --live_fps=10           live pictures per second at most
//   --live_max_viewers=16   live picture streams at once
//   --live_linger           when the run ends, keep serving until Ctrl-C
#ifndef RL_LIVE_LIVE_FLAGS_H_
#define RL_LIVE_LIVE_FLAGS_H_

#include <atomic>
#include <memory>
#include <optional>
#include <ostream>
#include <string>

#include "absl/status/statusor.h"
#include "rl/live/live_view.h"
#include "rl/render/mujoco/mujoco_renderer.h"

namespace rl {

// Null when --live is not given. Otherwise starts the live view serving
// `root_dir` (created if missing) and prints "live view: URL" to `out`
// (warnings, e.g. for a non-loopback host, go to `warnings`). `scene` is
// the 3D envs' look (--scene_options), as in the videos.
absl::StatusOr<std::unique_ptr<LiveView>> StartLiveViewFromFlags(
    const std::string& root_dir, const std::string& render_backend,
    int egl_device, const MujocoRendererOptions& scene, std::ostream& out,
    std::ostream& warnings);

// The feed settings --live and its companions ask for (the picture a
// data-parallel rank other than 0 renders and sends to rank 0's live
// view); nullopt when --live is not given.
std::optional<LiveFeedOptions> LiveFeedOptionsFromFlags(
    const std::string& render_backend, int egl_device,
    const MujocoRendererOptions& scene);

// With --live_linger and a live view, after the run: says so on `out`,
// marks the board, and serves on until `stop_requested` (Ctrl-C) becomes
// true. Returns at once otherwise.
void LingerIfAsked(LiveView* live, const std::atomic<bool>& stop_requested,
                   std::ostream& out);

}  // namespace rl

#endif  // RL_LIVE_LIVE_FLAGS_H_
