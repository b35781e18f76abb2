#include "rl/run/data_parallel.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "nlohmann/json.hpp"
#include "rl/core/status_macros.h"

namespace rl {

absl::Status AgreeOnFlags(Collective* collective,
                          const std::map<std::string, std::string>& flags) {
  std::string rank0 = nlohmann::json(flags).dump();
  RL_RETURN_IF_ERROR(collective->Broadcast(&rank0));
  std::map<std::string, std::string> theirs;
  try {
    theirs = nlohmann::json::parse(rank0).get<decltype(theirs)>();
  } catch (const nlohmann::json::exception& e) {
    return absl::InternalError(
        absl::StrCat("rank 0's flags did not arrive whole: ", e.what()));
  }
  // This rank's differences, as "--name=VALUE (rank 0: --name=VALUE)".
  std::vector<std::string> differences;
  auto value_of = [](const std::map<std::string, std::string>& map,
                     const std::string& name) {
    auto it = map.find(name);
    return it == map.end() ? std::string("(not a flag)")
                           : absl::StrCat("--", name, "=", it->second);
  };
  std::map<std::string, std::string> names = flags;
  names.insert(theirs.begin(), theirs.end());
  for (const auto& [name, unused] : names) {
    const auto mine = flags.find(name);
    const auto root = theirs.find(name);
    if (mine == flags.end() || root == theirs.end() ||
        mine->second != root->second) {
      differences.push_back(absl::StrCat(
          value_of(flags, name), " (rank 0: ", value_of(theirs, name), ")"));
    }
  }
  std::vector<std::string> all;
  RL_RETURN_IF_ERROR(
      collective->Gather(absl::StrJoin(differences, ", "), &all));
  long long any = differences.empty() ? 0 : 1;
  RL_RETURN_IF_ERROR(collective->MaxInts(&any, 1));
  if (any == 0) return absl::OkStatus();
  std::string message =
      "the ranks were started with different flags; every rank of a "
      "data-parallel run must get the same command line";
  if (collective->rank() == 0) {
    for (size_t r = 1; r < all.size(); ++r) {
      if (!all[r].empty())
        absl::StrAppend(&message, "; rank ", r, ": ", all[r]);
    }
  } else if (!differences.empty()) {
    absl::StrAppend(&message, "; rank ", collective->rank(), ": ",
                    absl::StrJoin(differences, ", "));
  } else {
    absl::StrAppend(&message, " (see rank 0's message)");
  }
  return absl::InvalidArgumentError(message);
}

RankSync::RankSync(Collective* collective, int64_t interval)
    : collective_(collective), interval_(interval > 0 ? interval : 1) {}

bool RankSync::ShouldStop(int64_t steps, bool stop_asked) {
  if (stopped_) return true;
  if (next_meeting_ < 0) next_meeting_ = steps + interval_;
  if (steps < next_meeting_) return false;
  next_meeting_ = steps + interval_;
  error_ = Meet(stop_asked, /*final=*/false);
  if (!error_.ok()) stopped_ = true;
  return stopped_;
}

absl::Status RankSync::Finish() { return Meet(false, /*final=*/true); }

absl::Status RankSync::Meet(bool stop_asked, bool final) {
  const bool root = collective_->rank() == 0;
  if (!final) {
    long long agree[2] = {stop_asked ? 1 : 0,
                          root && viewers_ && viewers_() ? 1 : 0};
    RL_RETURN_IF_ERROR(collective_->MaxInts(agree, 2));
    stopped_ = agree[0] != 0;
    viewers_wanted_ = agree[1] != 0;
  }
  std::vector<std::string> news;
  RL_RETURN_IF_ERROR(collective_->Gather(
      !root && news_ ? news_() : std::string(), root ? &news : nullptr));
  for (size_t r = 1; r < news.size(); ++r) {
    if (!news[r].empty() && on_news_) on_news_(static_cast<int>(r), news[r]);
  }
  return absl::OkStatus();
}

}  // namespace rl
