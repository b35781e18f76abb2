#include "rl/record/encoder_options.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace rl {

absl::StatusOr<EncoderOptions> EncoderOptions::Parse(absl::string_view recorder,
                                                     absl::string_view text) {
  EncoderOptions options(recorder);
  if (absl::StripAsciiWhitespace(text).empty()) return options;
  for (absl::string_view pair : absl::StrSplit(text, ',')) {
    const size_t equals = pair.find('=');
    const absl::string_view key = absl::StripAsciiWhitespace(
        equals == absl::string_view::npos ? pair : pair.substr(0, equals));
    if (equals == absl::string_view::npos || key.empty()) {
      return options.Error(absl::StrCat(
          "encoder options '", text, "': '", pair,
          "' is not key=value (pairs are separated by commas, e.g. "
          "speed=6,row_mt=1)"));
    }
    const absl::string_view value =
        absl::StripAsciiWhitespace(pair.substr(equals + 1));
    for (const Entry& entry : options.entries_) {
      if (entry.key == key) {
        return options.Error(absl::StrCat("encoder option ", key,
                                          " is given twice in '", text,
                                          "'; give it once"));
      }
    }
    options.entries_.push_back({std::string(key), std::string(value)});
  }
  return options;
}

EncoderOptions::Entry* EncoderOptions::Find(absl::string_view key,
                                            std::string valid) {
  known_.emplace_back(std::string(key), std::move(valid));
  for (Entry& entry : entries_) {
    if (entry.key == key) {
      entry.read = true;
      return &entry;
    }
  }
  return nullptr;
}

absl::Status EncoderOptions::Error(absl::string_view message) const {
  return absl::InvalidArgumentError(
      absl::StrCat(recorder_, " recorder: ", message));
}

absl::Status EncoderOptions::Int(absl::string_view key, int low, int high,
                                 int* value) {
  const Entry* entry = Find(key, absl::StrCat(low, "..", high));
  if (entry == nullptr) return absl::OkStatus();
  int parsed = 0;
  if (!absl::SimpleAtoi(entry->value, &parsed) || parsed < low ||
      parsed > high) {
    return Error(absl::StrCat(key, " is ", entry->value, ", valid range is ",
                              low, "..", high));
  }
  *value = parsed;
  return absl::OkStatus();
}

absl::Status EncoderOptions::Bool(absl::string_view key, bool* value) {
  const Entry* entry = Find(key, "0 or 1");
  if (entry == nullptr) return absl::OkStatus();
  if (entry->value == "1" || entry->value == "true") {
    *value = true;
  } else if (entry->value == "0" || entry->value == "false") {
    *value = false;
  } else {
    return Error(
        absl::StrCat(key, " is '", entry->value, "', valid values are 0, 1"));
  }
  return absl::OkStatus();
}

absl::Status EncoderOptions::Choice(absl::string_view key,
                                    absl::Span<const absl::string_view> choices,
                                    std::string* value) {
  const std::string all = absl::StrJoin(choices, " ");
  const Entry* entry = Find(key, all);
  if (entry == nullptr) return absl::OkStatus();
  if (std::find(choices.begin(), choices.end(), entry->value) ==
      choices.end()) {
    return Error(absl::StrCat("unknown ", key, " '", entry->value,
                              "': valid values are ", all));
  }
  *value = entry->value;
  return absl::OkStatus();
}

std::string EncoderOptions::ValidKeys() const {
  if (known_.empty()) return "no encoder options";
  return absl::StrJoin(known_, ", ", [](std::string* out, const auto& key) {
    absl::StrAppend(out, key.first, " (", key.second, ")");
  });
}

absl::Status EncoderOptions::Finish() const {
  for (const Entry& entry : entries_) {
    if (entry.read) continue;
    return Error(absl::StrCat("unknown encoder option '", entry.key,
                              "': valid options are ", ValidKeys()));
  }
  return absl::OkStatus();
}

}  // namespace rl
