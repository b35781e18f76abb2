// LiveBoard: what the live page shows besides the picture: the run's title
// and state, its progress, the learning curve (training episode returns and
// evaluation means) and the videos recorded so far. The run writes to it
// from the learner's thread; the server reads it as JSON from its own.
// Every call takes a short lock and copies little, so the learner never
// waits on a viewer.
//
// Example:
//   LiveBoard board;
//   board.SetRun("CartPole-v1 / ppo / seed 0", 50000);
//   board.AddEpisode(/*step=*/212, /*episode_return=*/21);
//   std::string json = board.StatusJson(/*since=*/0, /*viewers=*/1, "");
#ifndef RL_LIVE_LIVE_BOARD_H_
#define RL_LIVE_LIVE_BOARD_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"

namespace rl {

struct LiveVideo {
  std::string kind;  // "train", "eval" or "play".
  std::string file;  // Relative to the served directory.
  int64_t episode = 0;
  int64_t step = 0;  // Where it belongs on the curve.
  int64_t frames = 0;
  double video_return = 0;
  std::string ended;  // "terminated", "video_length", ...
};

class LiveBoard {
 public:
  // Most points one StatusJson() returns; the page asks again for the rest.
  static constexpr int kMaxPointsPerReply = 5000;

  void SetRun(const std::string& title, int64_t total_steps);
  // "training", "evaluating", "finished", "stopped", "failed: <why>"...
  void SetState(const std::string& state);
  void SetProgress(int64_t step, int64_t episodes) {
    step_.store(step, std::memory_order_relaxed);
    episodes_.store(episodes, std::memory_order_relaxed);
  }
  void AddEpisode(int64_t step, double episode_return);
  void AddEval(int64_t step, double mean_return, double std_return);
  void AddVideo(const LiveVideo& video);
  // Whether `file` (relative to the served directory) is a video added
  // here or its JSON sidecar (the same name ending in .json).
  bool HasVideoFile(const std::string& file) const;
  // Data-parallel runs: the latest picture (JPEG) of rank `rank`'s envs,
  // as that rank sent it to rank 0; null if none.
  void SetRankPicture(int rank, std::string jpeg);
  std::shared_ptr<const std::string> RankPicture(int rank) const;

  // {"title", "state", "step", "total_steps", "episodes", "viewers",
  //  "picture_error", "since", "points": [[step, return], ...] (from index
  //  `since`, at most kMaxPointsPerReply), "total_points",
  //  "evals": [[step, mean, std], ...], "videos": [{...}, ...],
  //  "rank_pictures": [[rank, pictures so far], ...]}.
  std::string StatusJson(int64_t since, int viewers,
                         const std::string& picture_error) const;

 private:
  mutable absl::Mutex mutex_;
  std::string title_ ABSL_GUARDED_BY(mutex_);
  std::string state_ ABSL_GUARDED_BY(mutex_) = "starting";
  int64_t total_steps_ ABSL_GUARDED_BY(mutex_) = 0;
  struct Point {
    int64_t step;
    double value;
  };
  std::vector<Point> points_ ABSL_GUARDED_BY(mutex_);
  struct Eval {
    int64_t step;
    double mean, std;
  };
  std::vector<Eval> evals_ ABSL_GUARDED_BY(mutex_);
  std::vector<LiveVideo> videos_ ABSL_GUARDED_BY(mutex_);
  struct RankPictures {
    std::shared_ptr<const std::string> latest;
    int64_t count = 0;
  };
  std::map<int, RankPictures> rank_pictures_ ABSL_GUARDED_BY(mutex_);
  std::atomic<int64_t> step_{0}, episodes_{0};
};

}  // namespace rl

#endif  // RL_LIVE_LIVE_BOARD_H_
