// The run directory's files other than videos and checkpoints: the CSVs a
// run appends to (metrics.csv, evals.csv, videos.csv), config.json, and
// what a resumed run reads back from them.
#ifndef RL_RUN_RUN_FILES_H_
#define RL_RUN_RUN_FILES_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"
#include "rl/core/file_util.h"
#include "rl/envs/env_kwargs.h"

namespace rl {

// A CSV appended row by row (one write(2) each), never through a link.
class CsvAppender {
 public:
  // Opens (creates) `path`, writing `header` first if the file was empty.
  absl::Status Open(const std::string& path, const std::string& header);
  absl::Status Append(const std::string& row);

 private:
  AppendFile file_;
};

// Keeps the header and the rows whose first field (a step) is at or before
// `max_step`, rewriting the file atomically; returns the rows kept (without
// the header), split at commas, and the header in *header. A missing file
// has no rows.
absl::StatusOr<std::vector<std::vector<std::string>>> TruncateCsv(
    const std::string& path, int64_t max_step, std::string* header);

// The previous part's config.json when resuming (null if unreadable).
// JSON for inside a <script> (the pages' data): every "<" escaped (no
// "</script>" or "<!--" can end it), invalid UTF-8 (a run folder's name is
// any bytes) replaced rather than thrown on.
std::string ScriptSafeJson(const nlohmann::json& value);

// A setting's text as config.json keeps it: "true"/"false" as a boolean,
// a decimal number as a number, anything else as the string.
nlohmann::json ConfigValue(const std::string& text);

nlohmann::json ReadConfig(const std::string& path);

// A value of config.json's "run" section as an integer, if there.
std::optional<int64_t> ConfigInt(const nlohmann::json& config, const char* key);

// config.json's "run"."env_kwargs" (FormatEnvKwargs' text), parsed. A
// config.json without the key (written before env kwargs existed) has none.
// InvalidArgument, naming `source`, for a value that is not a string or
// does not parse.
absl::StatusOr<EnvKwargs> ConfigEnvKwargs(const nlohmann::json& config,
                                          const std::string& source);

// The run directory of a checkpoint: RUN_DIR for RUN_DIR/checkpoints/X.ckpt,
// else the checkpoint's directory ("." for a bare file name).
std::string RunDirOfCheckpoint(const std::string& checkpoint);

}  // namespace rl

#endif  // RL_RUN_RUN_FILES_H_
