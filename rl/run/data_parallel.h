// What a data-parallel training run (the train binary under mpirun, see
// rl/mpi/README.md) adds on top of the agent's own collective calls: the
// ranks check they were started alike, and meet at fixed step counts to
// agree on stopping and to hand rank 0 their news (videos they finished,
// episodes they ended), all through the Collective.
//
// Example (every rank):
//   RL_RETURN_IF_ERROR(AgreeOnFlags(collective, flags));
//   RankSync sync(collective, /*interval=*/64 * n_envs * size);
//   trainer->Run(steps, [&] { return sync.ShouldStop(trainer->steps(),
//                                                    stop_requested); });
//   RL_RETURN_IF_ERROR(sync.Finish());
#ifndef RL_RUN_DATA_PARALLEL_H_
#define RL_RUN_DATA_PARALLEL_H_

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "absl/status/status.h"
#include "rl/core/collective.h"

namespace rl {

// Compares every rank's `flags` (name -> value) with rank 0's. If any rank
// differs, every rank returns the same InvalidArgument naming each rank and
// flag that differ (rank 0's message lists them all), before anything is
// written.
absl::Status AgreeOnFlags(Collective* collective,
                          const std::map<std::string, std::string>& flags);

// Where the ranks meet besides the agent's updates. Every rank calls
// ShouldStop() before each lockstep step with the trainer's steps() (the
// same sequence on every rank); once `interval` steps have passed since the
// last meeting, the ranks meet: they stop together if any was asked to
// (a signal reaches the ranks at different steps), rank 0 says whether its
// live view has viewers, and rank 0 receives each other rank's news.
class RankSync {
 public:
  RankSync(Collective* collective, int64_t interval);

  // Ranks > 0: what to send at each meeting (empty: nothing new).
  void set_news(std::function<std::string()> news) { news_ = std::move(news); }
  // Rank 0: told each other rank's non-empty news, in rank order.
  void set_on_news(std::function<void(int rank, const std::string&)> on_news) {
    on_news_ = std::move(on_news);
  }
  // Rank 0: whether the live view has viewers (sent at meetings).
  void set_viewers(std::function<bool()> viewers) {
    viewers_ = std::move(viewers);
  }

  // True once the ranks agreed to stop, or a meeting failed (error()).
  bool ShouldStop(int64_t steps, bool stop_asked);
  // The last meeting, for the news of the run's end: every rank calls it
  // once, after its last step.
  absl::Status Finish();

  bool stopped() const { return stopped_; }
  const absl::Status& error() const { return error_; }
  // What rank 0 said at the last meeting.
  bool viewers() const { return viewers_wanted_; }

 private:
  absl::Status Meet(bool stop_asked, bool final);

  Collective* const collective_;
  const int64_t interval_;
  int64_t next_meeting_ = -1;
  std::function<std::string()> news_;
  std::function<void(int, const std::string&)> on_news_;
  std::function<bool()> viewers_;
  bool stopped_ = false;
  bool viewers_wanted_ = false;
  absl::Status error_;
};

}  // namespace rl

#endif  // RL_RUN_DATA_PARALLEL_H_
