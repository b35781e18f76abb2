#include "rl/record/gallery.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "rl/core/status_macros.h"
#include "rl/record/file_util.h"
#include "rl/record/gallery_html.h"

namespace rl {
namespace {

std::string MimeType(absl::string_view file) {
  if (absl::EndsWithIgnoreCase(file, ".webm")) return "video/webm";
  return "video/mp4";
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat(
        "cannot read video ", path, " to embed it: ", std::strerror(errno)));
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// Whether `path` is a regular file (not a link) that no process is writing:
// recorders hold an exclusive flock on a video until it is closed, and the
// kernel drops it when the process dies.
bool IsLeftOver(const std::string& path) {
  const int fd =
      open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat info;
  const bool left_over = fstat(fd, &info) == 0 && S_ISREG(info.st_mode) &&
                         flock(fd, LOCK_SH | LOCK_NB) == 0;
  close(fd);
  return left_over;
}

// "<prefix>-episode-<E>-steps-<first>-recording": "Episode E".
std::string InterruptedTitle(absl::string_view file) {
  const size_t at = file.rfind("-episode-");
  if (at == absl::string_view::npos) return std::string(file);
  absl::string_view rest = file.substr(at + 9);
  return absl::StrCat("Episode ", rest.substr(0, rest.find('-')),
                      " (interrupted)");
}

}  // namespace

std::vector<GalleryVideo> InterruptedVideos(
    const std::string& dir, const std::vector<GalleryVideo>& listed) {
  std::set<std::string> known;
  for (const GalleryVideo& video : listed) known.insert(video.file);
  std::vector<std::string> files;
  if (DIR* entries = opendir(dir.c_str()); entries != nullptr) {
    while (const dirent* entry = readdir(entries)) {
      const std::string name = entry->d_name;
      if ((absl::EndsWith(name, "-recording.mp4") ||
           absl::EndsWith(name, "-recording.webm")) &&
          known.count(name) == 0 && IsLeftOver(absl::StrCat(dir, "/", name))) {
        files.push_back(name);
      }
    }
    closedir(entries);
  }
  std::sort(files.begin(), files.end());
  std::vector<GalleryVideo> videos;
  for (const std::string& file : files) {
    videos.push_back(
        {file,
         InterruptedTitle(file),
         {{"status",
           "interrupted: the process that recorded it stopped before the "
           "video was finished; it plays up to its last complete fragment"}}});
  }
  return videos;
}

std::vector<std::string> FinishedVideos(const std::string& dir) {
  std::vector<std::string> files;
  if (DIR* entries = opendir(dir.c_str()); entries != nullptr) {
    while (const dirent* entry = readdir(entries)) {
      const std::string name = entry->d_name;
      for (absl::string_view extension : {".mp4", ".webm"}) {
        if (!absl::EndsWith(name, extension)) continue;
        const std::string stem = name.substr(0, name.size() - extension.size());
        auto is_file = [&dir](const std::string& file) {
          struct stat info;
          return stat(absl::StrCat(dir, "/", file).c_str(), &info) == 0 &&
                 S_ISREG(info.st_mode);
        };
        if (!absl::EndsWith(stem, "-recording") && is_file(name) &&
            is_file(stem + ".json")) {
          files.push_back(name);
        }
      }
    }
    closedir(entries);
  }
  std::sort(files.begin(), files.end());
  return files;
}

absl::StatusOr<std::string> VideoDataUri(const std::string& path) {
  RL_ASSIGN_OR_RETURN(const std::string bytes, ReadFile(path));
  return absl::StrCat("data:", MimeType(path), ";base64,", Base64Encode(bytes));
}

std::string Base64Encode(absl::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t n = (uint8_t(bytes[i]) << 16) |
                       (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  const size_t rest = bytes.size() - i;
  if (rest > 0) {
    uint32_t n = uint8_t(bytes[i]) << 16;
    if (rest == 2) n |= uint8_t(bytes[i + 1]) << 8;
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += rest == 2 ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string HtmlEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

absl::Status WriteGallery(const std::string& dir,
                          const std::vector<GalleryVideo>& videos,
                          const GalleryOptions& options) {
  std::string figures;
  std::vector<GalleryVideo> all = videos;
  for (GalleryVideo& video : InterruptedVideos(dir, videos)) {
    all.push_back(std::move(video));
  }
  for (const GalleryVideo& video : all) {
    std::string source;
    if (options.embed) {
      RL_ASSIGN_OR_RETURN(source,
                          VideoDataUri(absl::StrCat(dir, "/", video.file)));
    } else {
      source = HtmlEscape(video.file);
    }
    absl::StrAppend(&figures, "<figure>\n<figcaption>", HtmlEscape(video.title),
                    "</figcaption>\n<video controls loop muted playsinline "
                    "preload=\"metadata\">\n<source src=\"",
                    source, "\" type=\"", MimeType(video.file),
                    "\">\n</video>\n<dl>\n");
    for (const auto& [label, value] : video.facts) {
      absl::StrAppend(&figures, "<dt>", HtmlEscape(label), "</dt><dd>",
                      HtmlEscape(value), "</dd>\n");
    }
    absl::StrAppend(&figures, "</dl>\n");
    if (!video.details_file.empty()) {
      absl::StrAppend(&figures, "<a class=\"details\" href=\"",
                      HtmlEscape(video.details_file), "\">details</a>\n");
    }
    absl::StrAppend(&figures, "</figure>\n");
  }
  // One pass: a value holding "{{...}}" is never substituted again.
  const std::string html = absl::StrReplaceAll(
      kGalleryHtml,
      {{"{{title}}", HtmlEscape(options.title)}, {"{{videos}}", figures}});

  // Write then rename, so a browser reloading mid-run never sees half a
  // page and a failed write leaves the previous page intact.
  return WriteFileAtomically(absl::StrCat(dir, "/index.html"), html);
}

}  // namespace rl
