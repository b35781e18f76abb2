#include "rl/live/live_board.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

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

bool LiveBoard::HasVideoFile(const std::string& file) const {
  absl::MutexLock lock(&mutex_);
  for (const LiveVideo& video : videos_) {
    if (file == video.file) return true;
    const size_t dot = video.file.rfind('.');
    if (dot != std::string::npos &&
        file == video.file.substr(0, dot) + ".json") {
      return true;
    }
  }
  return false;
}

void LiveBoard::SetRankPicture(int rank, std::string jpeg) {
  auto picture = std::make_shared<const std::string>(std::move(jpeg));
  absl::MutexLock lock(&mutex_);
  RankPictures& pictures = rank_pictures_[rank];
  pictures.latest = std::move(picture);
  ++pictures.count;
}

std::shared_ptr<const std::string> LiveBoard::RankPicture(int rank) const {
  absl::MutexLock lock(&mutex_);
  auto it = rank_pictures_.find(rank);
  return it == rank_pictures_.end() ? nullptr : it->second.latest;
}

std::string LiveBoard::StatusJson(int64_t since, int viewers,
                                  const std::string& picture_error) const {
  // Copy under the lock, format outside it: the learner's Add*() calls wait
  // for a memcpy at most, never for the JSON.
  std::string title, state;
  int64_t total_steps, total;
  std::vector<Point> points;
  std::vector<Eval> evals;
  std::vector<LiveVideo> videos;
  std::vector<std::pair<int, int64_t>> rank_pictures;
  {
    absl::MutexLock lock(&mutex_);
    title = title_;
    state = state_;
    total_steps = total_steps_;
    total = static_cast<int64_t>(points_.size());
    since = std::clamp<int64_t>(since, 0, total);
    const int64_t end = std::min<int64_t>(total, since + kMaxPointsPerReply);
    points.assign(points_.begin() + since, points_.begin() + end);
    evals = evals_;
    videos = videos_;
    for (const auto& [rank, pictures] : rank_pictures_) {
      rank_pictures.emplace_back(rank, pictures.count);
    }
  }
  nlohmann::ordered_json json = {{"title", title},
                                 {"state", state},
                                 {"step", step_.load()},
                                 {"total_steps", total_steps},
                                 {"episodes", episodes_.load()},
                                 {"viewers", viewers},
                                 {"picture_error", picture_error},
                                 {"since", since},
                                 {"total_points", total}};
  nlohmann::ordered_json& curve = json["points"] =
      nlohmann::ordered_json::array();
  for (const Point& point : points) curve.push_back({point.step, point.value});
  nlohmann::ordered_json& means = json["evals"] =
      nlohmann::ordered_json::array();
  for (const Eval& eval : evals) {
    means.push_back({eval.step, eval.mean, eval.std});
  }
  nlohmann::ordered_json& list = json["videos"] =
      nlohmann::ordered_json::array();
  for (const LiveVideo& v : videos) {
    list.push_back({{"kind", v.kind},
                    {"file", v.file},
                    {"episode", v.episode},
                    {"step", v.step},
                    {"frames", v.frames},
                    {"return", v.video_return},
                    {"ended", v.ended}});
  }
  nlohmann::ordered_json& ranks = json["rank_pictures"] =
      nlohmann::ordered_json::array();
  for (const auto& [rank, count] : rank_pictures)
    ranks.push_back({rank, count});
  // Not-finite numbers are written as null; bytes that are not UTF-8 are
  // replaced, never thrown about.
  return json.dump(-1, ' ', false,
                   nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace rl
