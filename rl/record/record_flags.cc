#include "rl/record/record_flags.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/internal/parse.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "rl/core/status_macros.h"

ABSL_FLAG(std::string, recorder, "mp4",
          absl::StrCat("Video format, one of the recorders built in: ",
                       rl::RecorderNamesForHelp(), "."));
ABSL_FLAG(std::string, record, "capped_cubic",
          "What to record: capped_cubic (episodes 0, 1, 8, 27, ..., 729, "
          "then every 1000th, as Gymnasium), every (every "
          "--record_every-th episode), steps (a video every --record_every "
          "env steps), none (nothing, not even rendering).");
ABSL_FLAG(int64_t, record_every, 0,
          "N for --record=every (default 1: every episode) or "
          "--record=steps (required).");
ABSL_FLAG(int64_t, video_length, 0,
          "Most frames per video; 0: a video ends with its episode. With a "
          "length, a video may run on into the next episode.");
ABSL_FLAG(std::string, name_prefix, "",
          "Start of the video file names; empty: the env id. Files are "
          "PREFIX-episode-E-steps-A-B.EXT, with a .json sidecar.");
ABSL_FLAG(int, fps, 0, "Video frame rate; 0: the env's own (50 for CartPole).");
ABSL_FLAG(int, crf, -1,
          "Constant quality, lower is better and larger: mp4 1..51 "
          "(default 23), webm 0..63 (default 32); -1: the recorder's "
          "default.");
ABSL_FLAG(int, bitrate, 0,
          "Target kilobits per second instead of constant quality; 0: off.");
ABSL_FLAG(std::string, encoder_options, "",
          "The recorder's own settings, key=value,... (mp4: "
          "preset=veryfast; webm: speed=6,row_mt=1,tile_columns=2; see "
          "rl/record/README.md); empty: its defaults. An unknown key or a "
          "bad value is refused with the recorder's valid keys.");
ABSL_FLAG(std::string, preset, "medium",
          "mp4: x264 speed preset, ultrafast..veryslow (short for "
          "--encoder_options=preset=P).");
ABSL_FLAG(int, vp9_speed, 8,
          "webm: libvpx real-time speed (cpu-used), 0..9, higher is faster "
          "(short for --encoder_options=speed=N).");
ABSL_FLAG(bool, vp9_row_mt, true,
          "webm: row-based multithreading (short for "
          "--encoder_options=row_mt=0|1).");
ABSL_FLAG(int, vp9_tile_columns, -1,
          "webm: log2 of the tile columns, 0..6; -1: libvpx's choice (short "
          "for --encoder_options=tile_columns=N).");
ABSL_FLAG(int, encoder_threads, 0,
          "Encoder threads; 0: one per core, except in training runs, "
          "where videos are encoded beside the learner: one.");
ABSL_FLAG(int, keyframe_interval, 0,
          "Frames between keyframes; 0: one second.");
ABSL_FLAG(int, flush_interval_ms, 500,
          "Crash safety: the video on disk is at most this far behind.");
ABSL_FLAG(int, encoder_queue, 4,
          "Frames queued for the encoder thread; 0: encode on the main "
          "thread.");
ABSL_FLAG(bool, embed, false,
          "Inline the videos (base64) in the pages that show them (the "
          "galleries' index.html and, in a training run, the run page) so "
          "each page stands alone, e.g. in a notebook cell: "
          "HTML(open('RUN_DIR/index.html').read()). Each page is then about "
          "1.35x as big as its videos.");

namespace rl {
namespace {

// A flag that is short for one key of one recorder's encoder options.
struct Shorthand {
  const char* flag;
  const char* recorder;
  const char* key;
  std::string (*value)();
};

const Shorthand kShorthands[] = {
    {"preset", "mp4", "preset", [] { return absl::GetFlag(FLAGS_preset); }},
    {"vp9_speed", "webm", "speed",
     [] { return absl::StrCat(absl::GetFlag(FLAGS_vp9_speed)); }},
    {"vp9_row_mt", "webm", "row_mt",
     [] { return std::string(absl::GetFlag(FLAGS_vp9_row_mt) ? "1" : "0"); }},
    {"vp9_tile_columns", "webm", "tile_columns",
     [] { return absl::StrCat(absl::GetFlag(FLAGS_vp9_tile_columns)); }},
};

// `status` with "--<flag>: " in front; OK stays OK.
absl::Status ForFlag(absl::string_view flag, const absl::Status& status) {
  if (status.ok()) return status;
  return absl::Status(status.code(),
                      absl::StrCat("--", flag, ": ", status.message()));
}

// Checks `options` (defaults but for what one flag set) for `recorder`.
absl::Status CheckOne(absl::string_view flag, const std::string& recorder,
                      const RecorderOptions& options) {
  return ForFlag(flag, CheckRecorderSettings(recorder, options));
}

absl::Status CheckSchedule(const VideoSchedule& schedule) {
  VideoSchedule part;
  part.mode = schedule.mode;
  part.every = schedule.every;
  RL_RETURN_IF_ERROR(ForFlag("record_every", ValidateSchedule(part)));
  part = VideoSchedule();
  part.video_length = schedule.video_length;
  RL_RETURN_IF_ERROR(ForFlag("video_length", ValidateSchedule(part)));
  part = VideoSchedule();
  part.name_prefix = schedule.name_prefix;
  RL_RETURN_IF_ERROR(ForFlag("name_prefix", ValidateSchedule(part)));
  return ValidateSchedule(schedule);
}

// The shorthand flags given and the key=value they stand for, refusing one
// meant for another recorder than `recorder`.
absl::StatusOr<std::vector<std::string>> ShorthandOptions(
    const std::string& recorder) {
  std::vector<std::string> pairs;
  for (const Shorthand& shorthand : kShorthands) {
    if (!RecordFlagGiven(shorthand.flag)) continue;
    const std::string pair =
        absl::StrCat(shorthand.key, "=", shorthand.value());
    if (recorder != shorthand.recorder) {
      std::vector<std::string> own;
      for (const Shorthand& other : kShorthands) {
        if (recorder == other.recorder)
          own.push_back(absl::StrCat("--", other.flag));
      }
      own.push_back("--encoder_options");
      RecorderOptions probe;
      probe.encoder_options = pair;
      const absl::Status refused = CheckRecorderSettings(recorder, probe);
      return absl::InvalidArgumentError(absl::StrCat(
          "--", shorthand.flag, " is an option of the ", shorthand.recorder,
          " recorder; --recorder=", recorder, " takes ",
          absl::StrJoin(own, ", "),
          refused.ok() ? "" : absl::StrCat(" (", refused.message(), ")")));
    }
    RecorderOptions alone;
    alone.encoder_options = pair;
    RL_RETURN_IF_ERROR(CheckOne(shorthand.flag, recorder, alone));
    pairs.push_back(pair);
  }
  return pairs;
}

}  // namespace

bool RecordFlagGiven(absl::string_view name) {
  // absl's own record of it; Debian 12's Abseil has no public accessor.
  return absl::flags_internal::WasPresentOnCommandLine(name);
}

std::string RecorderNamesForHelp() {
  std::vector<std::string> names;
  for (const std::string& name : Recorders().Names()) {
    names.push_back(
        absl::StrCat(name, " (", Recorders().Description(name), ")"));
  }
  return names.empty() ? "none" : absl::StrJoin(names, ", ");
}

absl::StatusOr<RecordFlags> RecordFlagsFromCommandLine() {
  RecordFlags flags;
  flags.recorder = absl::GetFlag(FLAGS_recorder);
  RL_RETURN_IF_ERROR(
      ForFlag("recorder", Recorders().CheckName(flags.recorder)));
  const std::string& recorder = flags.recorder;

  absl::StatusOr<RecordMode> mode =
      ParseRecordMode(absl::GetFlag(FLAGS_record));
  RL_RETURN_IF_ERROR(ForFlag("record", mode.status()));
  flags.schedule.mode = *mode;
  flags.schedule.every = absl::GetFlag(FLAGS_record_every);
  flags.schedule.video_length = absl::GetFlag(FLAGS_video_length);
  flags.schedule.name_prefix = absl::GetFlag(FLAGS_name_prefix);
  RL_RETURN_IF_ERROR(CheckSchedule(flags.schedule));

  // Each shared setting alone first, so that an error names its flag.
  flags.fps = absl::GetFlag(FLAGS_fps);
  if (flags.fps != 0) {
    RecorderOptions alone;
    alone.fps = flags.fps;
    RL_RETURN_IF_ERROR(CheckOne("fps", recorder, alone));
  }
  RecorderOptions& encoder = flags.encoder;
  if (const int crf = absl::GetFlag(FLAGS_crf); crf != -1) {
    RecorderOptions alone;
    alone.crf = crf;
    RL_RETURN_IF_ERROR(CheckOne("crf", recorder, alone));
    encoder.crf = crf;
  }
  struct IntFlag {
    const char* flag;
    int value;
    int RecorderOptions::*field;
  };
  const IntFlag shared[] = {
      {"bitrate", absl::GetFlag(FLAGS_bitrate), &RecorderOptions::bitrate_kbps},
      {"encoder_threads", absl::GetFlag(FLAGS_encoder_threads),
       &RecorderOptions::threads},
      {"keyframe_interval", absl::GetFlag(FLAGS_keyframe_interval),
       &RecorderOptions::keyframe_interval},
      {"flush_interval_ms", absl::GetFlag(FLAGS_flush_interval_ms),
       &RecorderOptions::flush_interval_ms},
      {"encoder_queue", absl::GetFlag(FLAGS_encoder_queue),
       &RecorderOptions::queue_frames},
  };
  for (const IntFlag& flag : shared) {
    RecorderOptions alone;
    alone.*flag.field = flag.value;
    RL_RETURN_IF_ERROR(CheckOne(flag.flag, recorder, alone));
    encoder.*flag.field = flag.value;
  }

  // The recorder's own settings: the shorthands, then --encoder_options.
  RL_ASSIGN_OR_RETURN(std::vector<std::string> pairs,
                      ShorthandOptions(recorder));
  const std::string given = absl::GetFlag(FLAGS_encoder_options);
  if (!given.empty()) {
    RecorderOptions alone;
    alone.encoder_options = given;
    RL_RETURN_IF_ERROR(CheckOne("encoder_options", recorder, alone));
    pairs.push_back(given);
  }
  encoder.encoder_options = absl::StrJoin(pairs, ",");
  // Together (a key given by a shorthand and again in --encoder_options).
  RL_RETURN_IF_ERROR(CheckOne("encoder_options", recorder, encoder));
  flags.embed = absl::GetFlag(FLAGS_embed);
  return flags;
}

}  // namespace rl
