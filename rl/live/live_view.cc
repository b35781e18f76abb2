#include "rl/live/live_view.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "rl/core/status_macros.h"
#include "rl/envs/vector/tiling.h"
#include "rl/pipeline/env_picture.h"

namespace rl {

absl::StatusOr<LiveAddress> ParseLiveAddress(absl::string_view text) {
  const auto invalid = [&text](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--live='", text, "': ", why,
        "; expected HOST:PORT, :PORT or PORT (e.g. --live=8080, "
        "--live=127.0.0.1:8080, --live=0.0.0.0:8080 to be reachable from "
        "other machines, port 0 for any free port)"));
  };
  LiveAddress address;
  address.host = "127.0.0.1";
  absl::string_view port_text = text;
  if (absl::StartsWith(text, "[")) {
    const size_t close = text.find(']');
    if (close == absl::string_view::npos || close + 1 >= text.size() ||
        text[close + 1] != ':') {
      return invalid("an IPv6 host needs brackets and a port, [::1]:8080");
    }
    address.host = std::string(text.substr(1, close - 1));
    port_text = text.substr(close + 2);
  } else if (const size_t colon = text.rfind(':');
             colon != absl::string_view::npos) {
    if (text.find(':') != colon) {
      return invalid("IPv6 hosts go in brackets, [::1]:8080");
    }
    if (colon > 0) address.host = std::string(text.substr(0, colon));
    port_text = text.substr(colon + 1);
  }
  if (address.host.empty()) return invalid("empty host");
  if (port_text.empty() || port_text.size() > 5 ||
      !std::all_of(port_text.begin(), port_text.end(),
                   [](char c) { return absl::ascii_isdigit(c); }) ||
      !absl::SimpleAtoi(port_text, &address.port) || address.port > 65535) {
    return invalid("the port must be a number 0..65535");
  }
  return address;
}

bool IsLoopbackHost(absl::string_view host) {
  return host == "localhost" || host == "::1" || absl::StartsWith(host, "127.");
}

absl::StatusOr<std::unique_ptr<LiveView>> LiveView::Start(
    const LiveOptions& options, const std::string& root_dir,
    std::ostream* log) {
  RL_ASSIGN_OR_RETURN(LiveAddress address, ParseLiveAddress(options.address));
  LiveFeedOptions feed_options;
  feed_options.render_backend = options.render_backend;
  feed_options.scene = options.scene;
  feed_options.egl_device = options.egl_device;
  feed_options.max_fps = options.fps;
  LiveServerOptions server_options;
  server_options.host = address.host;
  server_options.port = address.port;
  server_options.root_dir = root_dir;
  server_options.max_viewers = options.max_viewers;
  if (!(options.fps > 0) || options.fps > 120) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--live_fps must be more than 0 and at most 120, got ", options.fps));
  }
  if (options.max_viewers < 1 || options.max_viewers > 256) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--live_max_viewers must be 1..256, got ", options.max_viewers));
  }
  // Room for the page, status polls and files next to the streams, and for
  // that many clients that stop reading a file besides (each holds a worker
  // until io_timeout; slow senders hold none): threads are cheap, an
  // unreachable page is not.
  server_options.max_connections = options.max_viewers + 128;
  std::unique_ptr<LiveView> view(new LiveView());
  view->keep_last_picture_ = options.keep_last_picture;
  RL_ASSIGN_OR_RETURN(view->feed_, LiveFeed::Create(feed_options));
  RL_ASSIGN_OR_RETURN(
      view->server_,
      LiveServer::Start(server_options, view->feed_.get(), &view->board_));
  if (!IsLoopbackHost(address.host) && log != nullptr) {
    *log << "warning: the live view listens on " << view->url()
         << ": anyone who can reach this port can watch the run and read "
            "its run directory (there is no password); use "
            "--live=127.0.0.1:PORT and an SSH tunnel to keep it private\n"
         << std::flush;
  }
  return view;
}

LiveView::~LiveView() {
  if (server_ != nullptr) server_->Stop();
  feed_.reset();
}

void LiveView::Draw(const std::vector<const Env*>& envs,
                    const std::vector<OverlayInfo>& overlays) {
  if (envs.empty()) return;
  absl::StatusOr<EnvPicture> picture = PictureOfEnvs(envs, overlays);
  // Fails only for a caller's mistake (mixed envs, miscounted overlays):
  // the live picture is not worth stopping a run for.
  if (picture.ok()) feed_->Offer(std::move(*picture));
}

LiveEpisodes::LiveEpisodes(LiveView* live, std::string env_id,
                           std::string label)
    : live_(live) {
  overlay_.env_id = std::move(env_id);
  overlay_.label = std::move(label);
  if (live_ != nullptr) {
    live_->board().SetRun(absl::StrCat(overlay_.env_id, " / ", overlay_.label),
                          0);
    live_->board().SetState("playing");
  }
}

absl::Status LiveEpisodes::OnReset(int env_index, const EpisodeStart& start,
                                   const Env& env) {
  overlay_.episode = static_cast<int>(start.episode);
  overlay_.step = 0;
  overlay_.episode_return = 0;
  if (live_ != nullptr) live_->ShowEnvs({&env}, {overlay_});
  return absl::OkStatus();
}

absl::Status LiveEpisodes::OnStep(int env_index, const Env& env,
                                  const StepResult& result, int64_t step) {
  ++overlay_.step;
  steps_ = step;
  overlay_.episode_return += result.reward;
  if (live_ != nullptr && live_->wanted()) {
    live_->board().SetProgress(steps_, episodes_);
    live_->ShowEnvs({&env}, {overlay_});
  }
  return absl::OkStatus();
}

absl::Status LiveEpisodes::OnEpisodeEnd(const EpisodeRecord& record) {
  ++episodes_;
  if (live_ == nullptr) return absl::OkStatus();
  live_->board().AddEpisode(steps_, record.episode_return);
  live_->board().SetProgress(steps_, episodes_);
  if (videos_ != nullptr) AddVideos(*videos_);
  return absl::OkStatus();
}

void LiveEpisodes::AddVideos(const std::vector<VideoRecord>& videos) {
  if (live_ == nullptr) return;
  for (; videos_listed_ < videos.size(); ++videos_listed_) {
    const VideoRecord& v = videos[videos_listed_];
    live_->board().AddVideo({"play", v.file, v.episode, v.last_step, v.frames,
                             v.video_return, v.ended});
  }
}

void LiveEpisodes::ShowLast(const Env& env) {
  if (live_ != nullptr) live_->ShowLast({&env}, {overlay_});
}

absl::StatusOr<EnvPicture> PictureOfEnvs(
    const std::vector<const Env*>& envs,
    const std::vector<OverlayInfo>& overlays) {
  const int n = static_cast<int>(envs.size());
  const EnvSpec& spec = envs.at(0)->spec();
  const int width = spec.render_width, height = spec.render_height;
  const int columns = static_cast<int>(std::ceil(std::sqrt(n)));
  const int rows = (n + columns - 1) / columns;
  // Overlay text about 10 pixels high in the picture the page shows (the
  // feed scales the picture down to its bounds), in whole multiples of the
  // built-in font's 10-pixel cell so it stays crisp: small enough to leave
  // the env (and its own score line) visible, big enough to read.
  const LiveFeedOptions bounds;
  const double scale =
      std::min({1.0, static_cast<double>(bounds.max_width) / (columns * width),
                static_cast<double>(bounds.max_height) / (rows * height)});
  PictureOptions options;
  options.overlay.text_height =
      10.0f * std::max(1.0f, std::round(static_cast<float>(1 / scale)));
  // Separators about two pixels wide once scaled down; the overlays say
  // which env is which.
  options.tiles.columns = columns;
  options.tiles.gap = 2.0f * columns;
  options.tiles.gap_color = Color{40, 40, 40, 255};
  options.tiles.labels = false;
  std::vector<OverlayInfo> used(
      overlays.begin(),
      overlays.begin() + std::min<size_t>(overlays.size(), n));
  // Envs beyond the overlays given get none (an overlay with nothing to
  // show draws nothing).
  OverlayInfo nothing;
  nothing.show_return = false;
  if (!used.empty()) used.resize(n, nothing);
  EnvPicture picture;
  RL_RETURN_IF_ERROR(picture.Take(envs, used, options));
  return picture;
}

}  // namespace rl
