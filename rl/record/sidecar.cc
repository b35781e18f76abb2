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
#include "nlohmann/json.hpp"
#include "rl/record/file_util.h"

namespace rl {

std::string ShortestNumber(double value) {
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

std::string SidecarJson(const VideoRecord& r) {
  // Keys in a fixed order, as readers of earlier sidecars saw them
  // (env_kwargs, added later, goes with the env id).
  nlohmann::ordered_json json = {
      {"file", r.file},
      {"env_id", r.env_id},
      {"env_kwargs", r.env_kwargs},
      {"episode", r.episode},
      {"last_episode", r.last_episode},
      {"first_step", r.first_step},
      {"last_step", r.last_step},
      {"frames", r.frames},
      {"steps", r.steps},
      // NaN and infinities are written as null.
      {"return", r.video_return},
      {"ended", r.ended},
      {"seed", r.seed},
      {"agent", r.agent},
      {"render_backend", r.render_backend},
      {"gl_renderer", r.gl_renderer},
      {"recorder", r.recorder},
      {"codec", r.encoder.codec},
      {"profile", r.encoder.profile},
      {"container", r.encoder.container},
      {"pixel_format", "yuv420p"},
      {"color", "bt709, limited range"},
      {"width", r.width},
      {"height", r.height},
      {"coded_width", r.encoder.coded_width},
      {"coded_height", r.encoder.coded_height},
      {"fps", r.fps},
      {"trigger", r.trigger},
  };
  nlohmann::ordered_json& settings = json["settings"];
  settings = nlohmann::ordered_json::object();
  for (const auto& [key, value] : r.encoder.settings) settings[key] = value;
  if (r.rank >= 0) json["rank"] = r.rank;
  // Bytes that are not UTF-8 (a GL renderer string, say) become U+FFFD
  // rather than an exception.
  return json.dump(2, ' ', /*ensure_ascii=*/false,
                   nlohmann::ordered_json::error_handler_t::replace) +
         "\n";
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
      {"return", ShortestNumber(r.video_return)},
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
  if (r.rank >= 0) {
    video.facts.insert(video.facts.begin(), {"rank", absl::StrCat(r.rank)});
  }
  // Only when the env was configured: the page title names the env.
  if (!r.env_kwargs.empty()) {
    video.facts.insert(video.facts.begin(), {"env kwargs", r.env_kwargs});
  }
  video.details_file = std::string(sidecar_file);
  return video;
}

}  // namespace rl
