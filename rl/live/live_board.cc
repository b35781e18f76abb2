#include "rl/live/live_board.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "rl/record/sidecar.h"

namespace rl {

void LiveBoard::SetRun(const std::string& title, int64_t total_steps) {
  absl::MutexLock lock(&mutex_);
  title_ = title;
  total_steps_ = total_steps;
}

void LiveBoard::SetState(const std::string& state) {
  absl::MutexLock lock(&mutex_);
  state_ = state;
}

void LiveBoard::AddEpisode(int64_t step, double episode_return) {
  absl::MutexLock lock(&mutex_);
  points_.push_back({step, episode_return});
}

void LiveBoard::AddEval(int64_t step, double mean_return, double std_return) {
  absl::MutexLock lock(&mutex_);
  evals_.push_back({step, mean_return, std_return});
}

void LiveBoard::AddVideo(const LiveVideo& video) {
  absl::MutexLock lock(&mutex_);
  videos_.push_back(video);
}

std::string LiveBoard::StatusJson(int64_t since, int viewers,
                                  const std::string& picture_error) const {
  absl::MutexLock lock(&mutex_);
  const int64_t total = static_cast<int64_t>(points_.size());
  since = std::clamp<int64_t>(since, 0, total);
  const int64_t end = std::min<int64_t>(total, since + kMaxPointsPerReply);
  std::string json = absl::StrCat(
      "{\"title\":\"", JsonEscape(title_), "\",\"state\":\"",
      JsonEscape(state_), "\",\"step\":", step_.load(),
      ",\"total_steps\":", total_steps_, ",\"episodes\":", episodes_.load(),
      ",\"viewers\":", viewers, ",\"picture_error\":\"",
      JsonEscape(picture_error), "\",\"since\":", since,
      ",\"total_points\":", total, ",\"points\":[");
  for (int64_t i = since; i < end; ++i) {
    absl::StrAppend(&json, i == since ? "" : ",", "[", points_[i].step, ",",
                    JsonNumber(points_[i].value), "]");
  }
  absl::StrAppend(&json, "],\"evals\":[");
  for (size_t i = 0; i < evals_.size(); ++i) {
    absl::StrAppend(&json, i == 0 ? "" : ",", "[", evals_[i].step, ",",
                    JsonNumber(evals_[i].mean), ",", JsonNumber(evals_[i].std),
                    "]");
  }
  absl::StrAppend(&json, "],\"videos\":[");
  for (size_t i = 0; i < videos_.size(); ++i) {
    const LiveVideo& v = videos_[i];
    absl::StrAppend(&json, i == 0 ? "" : ",", "{\"kind\":\"",
                    JsonEscape(v.kind), "\",\"file\":\"", JsonEscape(v.file),
                    "\",\"episode\":", v.episode, ",\"step\":", v.step,
                    ",\"frames\":", v.frames,
                    ",\"return\":", JsonNumber(v.video_return), ",\"ended\":\"",
                    JsonEscape(v.ended), "\"}");
  }
  absl::StrAppend(&json, "]}");
  return json;
}

}  // namespace rl
