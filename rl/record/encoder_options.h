// EncoderOptions: a recorder's own settings, given as one string of
// key=value pairs separated by commas, in the spirit of ffmpeg's
// -x264-params: "preset=veryfast" for mp4, "speed=6,row_mt=1,tile_columns=2"
// for webm. RecorderOptions carries the string (encoder_options); only the
// recorder that reads it knows its keys.
//
// A recorder declares each key it takes by reading it (Int, Bool, Choice),
// each with its valid values, then calls Finish(): a key nobody read is
// refused with the list of the valid keys and their values. A value out of
// range is refused with the valid range. Every message starts with
// "<recorder> recorder: " and names no command-line flag (the flags layer
// adds that). Parsing happens once, when a recorder is checked or opened:
// nothing here runs per frame.
//
// Example:
//   RL_ASSIGN_OR_RETURN(EncoderOptions parsed,
//                       EncoderOptions::Parse("webm", "speed=6,row_mt=0"));
//   int speed = 8;  // The default unless given.
//   RL_RETURN_IF_ERROR(parsed.Int("speed", 0, 9, &speed));
//   bool row_mt = true;
//   RL_RETURN_IF_ERROR(parsed.Bool("row_mt", &row_mt));
//   RL_RETURN_IF_ERROR(parsed.Finish());  // "tile_columns=2" would fail here.
#ifndef RL_RECORD_ENCODER_OPTIONS_H_
#define RL_RECORD_ENCODER_OPTIONS_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace rl {

class EncoderOptions {
 public:
  // Splits `text` ("" or "key=value,key=value"; spaces around keys and
  // values are ignored). InvalidArgument if a pair has no '=' or an empty
  // key, or a key is given twice. `recorder` prefixes every message.
  static absl::StatusOr<EncoderOptions> Parse(absl::string_view recorder,
                                              absl::string_view text);

  // If `key` was given: sets *value to it, an integer in low..high, or
  // fails with "<key> is <value>, valid range is <low>..<high>". Leaves
  // *value (the default) alone otherwise.
  absl::Status Int(absl::string_view key, int low, int high, int* value);
  // If `key` was given: 0/1 (or false/true) into *value.
  absl::Status Bool(absl::string_view key, bool* value);
  // If `key` was given: one of `choices` into *value, or fails with
  // "unknown <key> '<value>': valid values are <choices, space-separated>".
  absl::Status Choice(absl::string_view key,
                      absl::Span<const absl::string_view> choices,
                      std::string* value);

  // InvalidArgument unless every key given was read: "unknown encoder
  // option 'k': <recorder> takes <key> (<valid values>), ...".
  absl::Status Finish() const;

  // The keys read so far with their valid values: "speed (0..9), row_mt (0
  // or 1)".
  std::string ValidKeys() const;

 private:
  struct Entry {
    std::string key;
    std::string value;
    bool read = false;
  };
  explicit EncoderOptions(absl::string_view recorder) : recorder_(recorder) {}
  // The entry for `key` (marked read), or null; records `valid` for
  // ValidKeys().
  Entry* Find(absl::string_view key, std::string valid);
  absl::Status Error(absl::string_view message) const;

  std::string recorder_;
  std::vector<Entry> entries_;
  std::vector<std::pair<std::string, std::string>> known_;  // Key, valid.
};

}  // namespace rl

#endif  // RL_RECORD_ENCODER_OPTIONS_H_
