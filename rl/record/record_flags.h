// The recording flags every binary that records takes (train, play), in one
// place, with one help text each:
//   --recorder=mp4            the video format: a recorder's registered name
//                             (the help lists them from the registry)
//   --record=capped_cubic     what to record: capped_cubic, every, steps, none
//   --record_every, --video_length, --name_prefix   (rl/record/trigger.h)
//   --fps=0                   video frame rate; 0: the env's own
//   --crf, --bitrate, --encoder_threads, --keyframe_interval,
//   --flush_interval_ms, --encoder_queue   settings every recorder shares
//   --encoder_options=K=V,... the chosen recorder's own settings
//   --preset (mp4), --vp9_speed, --vp9_row_mt, --vp9_tile_columns (webm)
//                             shorthands for --encoder_options; given with
//                             another recorder they are refused
//   --embed                   inline the videos in the pages (galleries,
//                             run page); pages as big as their videos
//
// The flags are read and checked together, before any work starts; an
// error names the flag and keeps the library's reason ("--crf: mp4
// recorder: crf is 52, valid range is 1..51"). Library code below this
// layer never names a flag.
//
// Example:
//   absl::ParseCommandLine(argc, argv);
//   absl::StatusOr<RecordFlags> record = RecordFlagsFromCommandLine();
//   if (!record.ok()) { std::cerr << "error: " << record.status().message(); }
#ifndef RL_RECORD_RECORD_FLAGS_H_
#define RL_RECORD_RECORD_FLAGS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rl/record/recorder.h"
#include "rl/record/trigger.h"

namespace rl {

// What the recording flags ask for, checked.
struct RecordFlags {
  std::string recorder;    // --recorder: a registered name.
  VideoSchedule schedule;  // --record, --record_every, --video_length,
                           // --name_prefix.
  int fps = 0;             // --fps; 0: the env's own rate.
  // The shared settings and the recorder's own (encoder_options, from
  // --encoder_options and the shorthands); path, size and fps are left for
  // the caller.
  RecorderOptions encoder;
  bool embed = false;  // --embed.
};

// Reads the recording flags (after absl::ParseCommandLine) and checks them:
// InvalidArgument naming the flag and why ("--vp9_speed: webm recorder:
// speed is 10, valid range is 0..9"; "--preset is an mp4 setting ...").
absl::StatusOr<RecordFlags> RecordFlagsFromCommandLine();

// Whether --`name` (one of the flags above) was given on the command line,
// not defaulted: for a binary with defaults of its own (play records every
// episode unless --record is given) and for resume checks.
bool RecordFlagGiven(absl::string_view name);

// "mp4 (H.264 ...), webm (VP9 ...)": the recorders built in, from the
// registry, for help texts.
std::string RecorderNamesForHelp();

}  // namespace rl

#endif  // RL_RECORD_RECORD_FLAGS_H_
