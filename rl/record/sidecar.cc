#include "rl/record/sidecar.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "rl/record/file_util.h"

namespace rl {

std::string JsonEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          absl::StrAppendFormat(&out, "\\u%04x", static_cast<int>(c));
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string JsonNumber(double value) {
  if (!std::isfinite(value)) return "null";
  // Whole numbers as such: %g would write 500 as "5e+02".
  if (value == std::trunc(value) && std::fabs(value) < 1e15) {
    return absl::StrFormat("%.0f", value);
  }
  for (int precision = 1; precision < 17; ++precision) {
    std::string text = absl::StrFormat("%.*g", precision, value);
    if (std::strtod(text.c_str(), nullptr) == value) return text;
  }
  return absl::StrFormat("%.17g", value);
}

namespace {

std::string Quoted(absl::string_view text) {
  return absl::StrCat("\"", JsonEscape(text), "\"");
}

}  // namespace

std::string SidecarJson(const VideoRecord& r) {
  std::vector<std::pair<std::string, std::string>> fields = {
      {"file", Quoted(r.file)},
      {"env_id", Quoted(r.env_id)},
      {"episode", absl::StrCat(r.episode)},
      {"last_episode", absl::StrCat(r.last_episode)},
      {"first_step", absl::StrCat(r.first_step)},
      {"last_step", absl::StrCat(r.last_step)},
      {"frames", absl::StrCat(r.frames)},
      {"steps", absl::StrCat(r.steps)},
      {"return", JsonNumber(r.video_return)},
      {"ended", Quoted(r.ended)},
      {"seed", absl::StrCat(r.seed)},
      {"agent", Quoted(r.agent)},
      {"render_backend", Quoted(r.render_backend)},
      {"gl_renderer", Quoted(r.gl_renderer)},
      {"recorder", Quoted(r.recorder)},
      {"codec", Quoted(r.encoder.codec)},
      {"profile", Quoted(r.encoder.profile)},
      {"container", Quoted(r.encoder.container)},
      {"pixel_format", Quoted("yuv420p")},
      {"color", Quoted("bt709, limited range")},
      {"width", absl::StrCat(r.width)},
      {"height", absl::StrCat(r.height)},
      {"coded_width", absl::StrCat(r.encoder.coded_width)},
      {"coded_height", absl::StrCat(r.encoder.coded_height)},
      {"fps", absl::StrCat(r.fps)},
      {"trigger", Quoted(r.trigger)},
  };
  std::vector<std::string> settings;
  for (const auto& [key, value] : r.encoder.settings) {
    settings.push_back(absl::StrCat("    ", Quoted(key), ": ", Quoted(value)));
  }
  std::string json = "{\n";
  for (const auto& [key, value] : fields) {
    absl::StrAppend(&json, "  ", Quoted(key), ": ", value, ",\n");
  }
  absl::StrAppend(&json, "  \"settings\": {", settings.empty() ? "" : "\n",
                  absl::StrJoin(settings, ",\n"),
                  settings.empty() ? "}" : "\n  }", "\n}\n");
  return json;
}

absl::Status WriteSidecar(const std::string& path, const VideoRecord& record) {
  return WriteFileAtomically(path, SidecarJson(record));
}

GalleryVideo ToGalleryVideo(const VideoRecord& r,
                            absl::string_view sidecar_file) {
  GalleryVideo video;
  video.file = r.file;
  video.title = r.last_episode == r.episode
                    ? absl::StrCat("Episode ", r.episode)
                    : absl::StrCat("Episodes ", r.episode, "-", r.last_episode);
  std::vector<std::string> settings;
  for (const auto& [key, value] : r.encoder.settings) {
    settings.push_back(absl::StrCat(key, " ", value));
  }
  video.facts = {
      {"return", JsonNumber(r.video_return)},
      {"steps", absl::StrCat(r.steps, " (run steps ", r.first_step, "-",
                             r.last_step, ")")},
      {"ended", r.ended == "truncated" ? "truncated (time limit)" : r.ended},
      {"seed", absl::StrCat(r.seed)},
      {"size", absl::StrCat(r.width, "x", r.height, " @ ", r.fps, " fps")},
      {"renderer", absl::StrCat(r.render_backend, ": ", r.gl_renderer)},
      {"recorder",
       absl::StrCat(r.recorder, ": ", r.encoder.codec, " ", r.encoder.profile,
                    ", ", absl::StrJoin(settings, ", "))},
      {"trigger", r.trigger},
  };
  video.details_file = std::string(sidecar_file);
  return video;
}

}  // namespace rl
