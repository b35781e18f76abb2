// Gallery: the index.html written beside the videos, so a browser or a
// notebook cell shows them.
//
// The page is rewritten (atomically: temp file + rename) after every video,
// so it can be opened while a run is still going. With `embed`, each video
// is inlined as base64 (data: URL) and the page stands alone: it can be
// displayed in Jupyter or Colab with IPython.display.HTML, as the seed's
// show_video() did, at the cost of a page ~1.35x the videos' size.
//
// Example:
//   std::vector<GalleryVideo> videos = {
//       {"CartPole-v1-episode-0.mp4", "Episode 0", {{"return", "23"}}}};
//   RL_RETURN_IF_ERROR(WriteGallery("videos", videos, {"CartPole-v1"}));
#ifndef RL_RECORD_GALLERY_H_
#define RL_RECORD_GALLERY_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rl {

struct GalleryVideo {
  std::string file;   // Path relative to the gallery's directory.
  std::string title;  // Shown above the video.
  // Label/value pairs shown under the video ("return", "23.0").
  std::vector<std::pair<std::string, std::string>> facts;
  // Optional: a file beside the video with every detail (the sidecar
  // JSON), linked under the facts.
  std::string details_file = "";
};

struct GalleryOptions {
  std::string title = "Videos";
  bool embed = false;  // Inline the videos as base64.
};

// Writes `dir`/index.html listing `videos` in order, then the videos a
// crash left in `dir` (InterruptedVideos). Errors name the file and the OS
// reason (unreadable video when embedding, unwritable page).
absl::Status WriteGallery(const std::string& dir,
                          const std::vector<GalleryVideo>& videos,
                          const GalleryOptions& options);

// The videos in `dir` still named "...-recording.mp4" or ".webm" (the name
// a video has while it is written, see trigger.h) that no process is writing
// (no recorder holds their lock) and `listed` does not have: left by a
// process that crashed or failed mid-video. Each is titled "Episode E
// (interrupted)" with a "status" fact saying so; sorted by name.
std::vector<GalleryVideo> InterruptedVideos(
    const std::string& dir, const std::vector<GalleryVideo>& listed);

// The finished videos in `dir`: each "NAME.mp4" or "NAME.webm" (not named
// "-recording") with its sidecar "NAME.json" beside it, as a recording
// session leaves them; sorted by name. A run about to write in `dir` sees
// another run's videos here (which its gallery would not list, and whose
// sidecars a video of the same name but the other recorder would replace).
std::vector<std::string> FinishedVideos(const std::string& dir);

// The video at `path` as a data: URI ("data:video/mp4;base64,..." or
// video/webm), so a page plays it with no file beside it. Errors name the
// file and the OS reason.
absl::StatusOr<std::string> VideoDataUri(const std::string& path);

// Standard base64 (RFC 4648, with padding).
std::string Base64Encode(absl::string_view bytes);

// Escapes & < > " ' for HTML text and attribute values.
std::string HtmlEscape(absl::string_view text);

}  // namespace rl

#endif  // RL_RECORD_GALLERY_H_
