// LiveView: watch a run while it goes, in a browser or a notebook cell. It
// bundles what a run binary needs for --live=HOST:PORT: the picture feed
// (live_feed.h), the board of facts (live_board.h), the HTTP server
// (live_server.h), and the learner-side drawing of one env or a grid of
// lockstep envs with their overlays.
//
// The learner calls ShowEnvs() wherever it steps; it returns at once (one
// atomic load) unless someone watches and a picture is due.
//
// Example:
//   LiveOptions options;
//   options.address = "127.0.0.1:8080";
//   RL_ASSIGN_OR_RETURN(auto live, LiveView::Start(options, run_dir,
//   &std::cerr)); std::cout << "live view: " << live->url() << "\n";
//   live->board().SetRun("CartPole-v1 / ppo", 50000);
//   ... per step:  live->ShowEnvs({env.get()}, {overlay});
#ifndef RL_LIVE_LIVE_VIEW_H_
#define RL_LIVE_LIVE_VIEW_H_

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rl/canvas/canvas.h"
#include "rl/envs/env.h"
#include "rl/live/live_board.h"
#include "rl/live/live_feed.h"
#include "rl/live/live_server.h"
#include "rl/pipeline/env_picture.h"
#include "rl/pipeline/observer.h"
#include "rl/record/sidecar.h"
#include "rl/render/mujoco/mujoco_renderer.h"
#include "rl/render/overlay.h"

namespace rl {

struct LiveOptions {
  // "HOST:PORT", ":PORT" or "PORT" (host 127.0.0.1); "[::1]:PORT" for IPv6.
  // Port 0 picks a free one (see LiveView::url()).
  std::string address;
  double fps = 10;       // Live pictures per second at most.
  int max_viewers = 16;  // Live picture streams at once.
  std::string render_backend = "llvmpipe";
  int egl_device = -1;
  MujocoRendererOptions scene;  // 3D envs' look (size and format: the feed's).
  // ShowLast() draws the envs even while nobody watches, so a viewer who
  // comes after the run (--live_linger) sees how it ended. Off: a run
  // nobody watches renders nothing, not even at its end.
  bool keep_last_picture = false;
};

struct LiveAddress {
  std::string host;
  int port = 0;
};

// Parses --live's value; errors say what a valid one looks like.
absl::StatusOr<LiveAddress> ParseLiveAddress(absl::string_view text);

// True for 127.0.0.0/8, ::1 and "localhost".
bool IsLoopbackHost(absl::string_view host);

class LiveView {
 public:
  // Checks the options, starts the feed and the server (serving `root_dir`
  // read-only under /files/). A host that is not loopback gets a warning on
  // `log`: whoever reaches the port sees the run and its files.
  static absl::StatusOr<std::unique_ptr<LiveView>> Start(
      const LiveOptions& options, const std::string& root_dir,
      std::ostream* log);
  ~LiveView();  // Stops the server, then the feed.

  // If someone watches and a picture is due: draws `envs` (one, or a grid
  // of them in order, each with its overlay if `overlays` has one) and
  // hands the picture to the feed. Otherwise returns at once.
  void ShowEnvs(const std::vector<const Env*>& envs,
                const std::vector<OverlayInfo>& overlays) {
    if (feed_->Wanted()) Draw(envs, overlays);
  }
  bool wanted() const { return feed_->Wanted(); }
  // At the end of a run: as ShowEnvs(), but with keep_last_picture the
  // picture is drawn whether or not someone watches (the feed renders it on
  // its thread; the stream and /frame.jpg serve it from then on).
  void ShowLast(const std::vector<const Env*>& envs,
                const std::vector<OverlayInfo>& overlays) {
    if (keep_last_picture_ || feed_->Wanted()) Draw(envs, overlays);
  }

  LiveBoard& board() { return board_; }
  LiveFeed& feed() { return *feed_; }
  LiveServer& server() { return *server_; }
  std::string url() const { return server_->url(); }

 private:
  LiveView() = default;
  void Draw(const std::vector<const Env*>& envs,
            const std::vector<OverlayInfo>& overlays);

  LiveBoard board_;
  bool keep_last_picture_ = false;
  std::unique_ptr<LiveFeed> feed_;
  std::unique_ptr<LiveServer> server_;
};

// The live view as an observer of a play loop (one env, episodes in a row,
// videos of them; rl/pipeline/episode_loop.h): keeps the overlay's episode,
// step and return, shows the env when a picture is due, puts each finished
// episode on the curve (at the run's step count) and, after each, the new
// videos of the list it watches. With a null LiveView every call does
// nothing.
//
// Example:
//   LiveEpisodes watch(live.get(), "CartPole-v1", "ppo after 60000 steps");
//   watch.WatchVideos(&session->videos());
//   loop.AddObserver(session.get());  // First: it ends videos on the step.
//   loop.AddObserver(&watch);
//   ... loop.Run(budget) ...
//   watch.AddVideos(session->videos());  // The last one, closed after.
class LiveEpisodes : public EpisodeObserver {
 public:
  LiveEpisodes(LiveView* live, std::string env_id, std::string label);
  // Videos to list after each episode (not owned; may be null).
  void WatchVideos(const std::vector<VideoRecord>* videos) { videos_ = videos; }
  absl::Status OnReset(int env_index, const EpisodeStart& start,
                       const Env& env) override;
  absl::Status OnStep(int env_index, const Env& env, const StepResult& result,
                      int64_t step) override;
  absl::Status OnEpisodeEnd(const EpisodeRecord& record) override;
  // Lists the videos in `videos` not listed yet (files relative to the
  // served directory).
  void AddVideos(const std::vector<VideoRecord>& videos);
  // After the loop: `env` as the last episode left it (LiveView::ShowLast).
  void ShowLast(const Env& env);

 private:
  LiveView* const live_;
  const std::vector<VideoRecord>* videos_ = nullptr;
  OverlayInfo overlay_;
  int64_t steps_ = 0;  // Over all episodes.
  int64_t episodes_ = 0;
  size_t videos_listed_ = 0;
};

// The picture ShowEnvs() takes: one env at its preferred size, or a grid of
// ceil(sqrt(n)) columns of them with thin separators; overlay text is sized
// to be about 10 pixels high once the feed has scaled the picture down.
// Tracking cameras are centred on their bodies (a live picture has no
// previous frame to follow from).
absl::StatusOr<EnvPicture> PictureOfEnvs(
    const std::vector<const Env*>& envs,
    const std::vector<OverlayInfo>& overlays);

}  // namespace rl

#endif  // RL_LIVE_LIVE_VIEW_H_
