// What to record: which episodes or steps start a video, how long a video
// may run, and what its file is called. Mirrors Gymnasium's RecordVideo
// (episode_trigger, step_trigger, video_length, name_prefix) so the same
// choices give the same videos.
//
//   capped_cubic  (the default, Gymnasium's capped_cubic_video_schedule):
//                 episodes 0, 1, 8, 27, ..., 729 (perfect cubes below 1000),
//                 then 1000, 2000, 3000...
//   every         every Nth episode: 0, N, 2N...
//   steps         a video starts at every Nth env step of the run (step
//                 indices 0, N, 2N..., counted from 0 across episodes, as
//                 Gymnasium's step_id).
//   none          nothing is recorded, and nothing is rendered.
//
// A video ends when the episode ends, unless video_length is set: then it
// ends after video_length frames, running on into the next episode if need
// be (as Gymnasium's does). A trigger that fires while a video is running
// ends that video and starts a new one. Unlike Gymnasium (whose videos get
// video_length + 1 frames), a video has at most video_length frames.
//
// Example:
//   VideoSchedule schedule;  // capped_cubic
//   VideoTrigger trigger(schedule);
//   trigger.StartsAtEpisode(8);  // true
//   VideoFileStem("CartPole-v1", 8, 180, 203);
//   // "CartPole-v1-episode-8-steps-180-203"
#ifndef RL_RECORD_TRIGGER_H_
#define RL_RECORD_TRIGGER_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rl {

enum class RecordMode { kCappedCubic, kEveryEpisodes, kEverySteps, kNone };

struct VideoSchedule {
  RecordMode mode = RecordMode::kCappedCubic;
  // N of kEveryEpisodes (default 1: every episode) and of kEverySteps
  // (required there); 0 means unset. Ignored by the other modes.
  int64_t every = 0;
  // The most frames a video has; 0: no limit, the video ends with the
  // episode.
  int64_t video_length = 0;
  // Start of every file name; empty means the env id (with '/' made '_').
  std::string name_prefix;
};

// Parses a --record value: "capped_cubic", "every", "steps", "none". The
// error lists the valid values.
absl::StatusOr<RecordMode> ParseRecordMode(absl::string_view text);
std::string RecordModeName(RecordMode mode);

// InvalidArgument, saying what to pass instead, unless `schedule` makes
// sense: every >= 0 (and >= 1 for kEverySteps), video_length >= 0, a
// name_prefix without '/'.
absl::Status ValidateSchedule(const VideoSchedule& schedule);

// Gymnasium's capped_cubic_video_schedule: perfect cubes below 1000, then
// multiples of 1000.
bool CappedCubicVideoSchedule(int64_t episode_id);

class VideoTrigger {
 public:
  // `schedule` must pass ValidateSchedule().
  explicit VideoTrigger(const VideoSchedule& schedule);

  // Whether a video starts with the reset frame of episode `episode`
  // (0-based, counted over the run).
  bool StartsAtEpisode(int64_t episode) const;
  // Whether a video starts with the frame after step `step_id` (0-based
  // index of the step in the run, across episodes).
  bool StartsAtStep(int64_t step_id) const;
  // Whether a running video is full after `frames` frames.
  bool IsFull(int64_t frames) const {
    return video_length_ > 0 && frames >= video_length_;
  }
  // Whether videos end with their episode (no video_length).
  bool EndsWithEpisode() const { return video_length_ == 0; }
  bool RecordsAnything() const { return mode_ != RecordMode::kNone; }

  // For humans and sidecars: "capped_cubic", "every 10 episodes",
  // "every 1000 steps, 200 frames max", "none".
  std::string Describe() const;

 private:
  RecordMode mode_;
  int64_t every_;
  int64_t video_length_;
};

// The name prefix `schedule` gives for videos of `env_id`.
std::string NamePrefix(const VideoSchedule& schedule, absl::string_view env_id);

// "<prefix>-episode-<episode>-steps-<first>-<last>": a closed video whose
// first frame belongs to the run's episode `episode` and whose frames show
// the env when the run had taken `first_step`..`last_step` steps (over all
// its envs: the numbers of metrics.csv; 0: before the first step).
std::string VideoFileStem(absl::string_view prefix, int64_t episode,
                          int64_t first_step, int64_t last_step);

// "<prefix>-step-<step>-episode-<episode>": a video of an evaluation the
// run made at `step`, showing its episode `episode` (0-based).
std::string EvaluationVideoStem(absl::string_view prefix, int64_t step,
                                int64_t episode);

// "<prefix>-episode-<episode>-steps-<first>-recording": the name a video
// has while it is being written (the last step is not known yet). It is
// renamed to VideoFileStem() when it is closed, so a file left with this
// name was cut short by a crash (it still plays).
std::string RecordingFileStem(absl::string_view prefix, int64_t episode,
                              int64_t first_step);

}  // namespace rl

#endif  // RL_RECORD_TRIGGER_H_
