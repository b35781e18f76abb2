#include "rl/record/trigger.h"

#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace rl {

absl::StatusOr<RecordMode> ParseRecordMode(absl::string_view text) {
  for (RecordMode mode : {RecordMode::kCappedCubic, RecordMode::kEveryEpisodes,
                          RecordMode::kEverySteps, RecordMode::kNone}) {
    if (text == RecordModeName(mode)) return mode;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown record mode '", text,
                   "': valid values are capped_cubic, every, steps, none"));
}

std::string RecordModeName(RecordMode mode) {
  switch (mode) {
    case RecordMode::kCappedCubic:
      return "capped_cubic";
    case RecordMode::kEveryEpisodes:
      return "every";
    case RecordMode::kEverySteps:
      return "steps";
    case RecordMode::kNone:
      return "none";
  }
  return "?";
}

absl::Status ValidateSchedule(const VideoSchedule& schedule) {
  if (schedule.every < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "record_every is ", schedule.every, ": it must be >= 1 (or 0: unset)"));
  }
  if (schedule.mode == RecordMode::kEverySteps && schedule.every < 1) {
    return absl::InvalidArgumentError(
        "recording by steps needs record_every=N, the env steps from one "
        "video's start to the next (e.g. record_every=1000)");
  }
  if (schedule.video_length < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("video_length is ", schedule.video_length,
                     ": it must be >= 1 frames, or 0 for whole episodes"));
  }
  if (absl::StrContains(schedule.name_prefix, '/')) {
    return absl::InvalidArgumentError(absl::StrCat(
        "name_prefix '", schedule.name_prefix,
        "' contains '/': it names files inside the video directory; choose "
        "the video directory itself instead"));
  }
  return absl::OkStatus();
}

bool CappedCubicVideoSchedule(int64_t episode_id) {
  if (episode_id < 0) return false;
  if (episode_id < 1000) {
    const int64_t root =
        std::llround(std::cbrt(static_cast<double>(episode_id)));
    return root * root * root == episode_id;
  }
  return episode_id % 1000 == 0;
}

VideoTrigger::VideoTrigger(const VideoSchedule& schedule)
    : mode_(schedule.mode),
      every_(schedule.every > 0 ? schedule.every : 1),
      video_length_(schedule.video_length) {}

bool VideoTrigger::StartsAtEpisode(int64_t episode) const {
  switch (mode_) {
    case RecordMode::kCappedCubic:
      return CappedCubicVideoSchedule(episode);
    case RecordMode::kEveryEpisodes:
      return episode % every_ == 0;
    case RecordMode::kEverySteps:
    case RecordMode::kNone:
      return false;
  }
  return false;
}

bool VideoTrigger::StartsAtStep(int64_t step_id) const {
  return mode_ == RecordMode::kEverySteps && step_id % every_ == 0;
}

std::string VideoTrigger::Describe() const {
  std::string text;
  switch (mode_) {
    case RecordMode::kCappedCubic:
      text = "capped_cubic";
      break;
    case RecordMode::kEveryEpisodes:
      text = every_ == 1 ? std::string("every episode")
                         : absl::StrCat("every ", every_, " episodes");
      break;
    case RecordMode::kEverySteps:
      text = absl::StrCat("every ", every_, " steps");
      break;
    case RecordMode::kNone:
      return "none";
  }
  if (video_length_ > 0)
    absl::StrAppend(&text, ", ", video_length_, " frames max");
  return text;
}

std::string NamePrefix(const VideoSchedule& schedule,
                       absl::string_view env_id) {
  if (!schedule.name_prefix.empty()) return schedule.name_prefix;
  return absl::StrReplaceAll(env_id, {{"/", "_"}});
}

std::string VideoFileStem(absl::string_view prefix, int64_t episode,
                          int64_t first_step, int64_t last_step) {
  return absl::StrCat(prefix, "-episode-", episode, "-steps-", first_step, "-",
                      last_step);
}

std::string EvaluationVideoStem(absl::string_view prefix, int64_t step,
                                int64_t episode) {
  return absl::StrCat(prefix, "-step-", step, "-episode-", episode);
}

std::string RecordingFileStem(absl::string_view prefix, int64_t episode,
                              int64_t first_step) {
  return absl::StrCat(prefix, "-episode-", episode, "-steps-", first_step,
                      "-recording");
}

}  // namespace rl
