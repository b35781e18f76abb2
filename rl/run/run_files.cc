#include "rl/run/run_files.h"

#include <cmath>
#include <fstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "rl/core/status_macros.h"

namespace rl {
namespace {

// Rows of a CSV file (header first); empty if the file does not exist.
std::vector<std::string> ReadLines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

int64_t FirstFieldAsStep(const std::string& line) {
  int64_t step = -1;
  const std::string field = line.substr(0, line.find(','));
  if (!absl::SimpleAtoi(field, &step)) return -1;
  return step;
}

}  // namespace

absl::Status CsvAppender::Open(const std::string& path,
                               const std::string& header) {
  RL_ASSIGN_OR_RETURN(file_, AppendFile::Open(path));
  if (file_.was_empty()) RL_RETURN_IF_ERROR(file_.Append(header + "\n"));
  return absl::OkStatus();
}

absl::Status CsvAppender::Append(const std::string& row) {
  return file_.Append(row + "\n");
}

absl::StatusOr<std::vector<std::vector<std::string>>> TruncateCsv(
    const std::string& path, int64_t max_step, std::string* header) {
  std::vector<std::string> lines = ReadLines(path);
  std::vector<std::vector<std::string>> rows;
  if (lines.empty()) return rows;
  *header = lines[0];
  std::string kept = lines[0] + "\n";
  for (size_t i = 1; i < lines.size(); ++i) {
    const int64_t step = FirstFieldAsStep(lines[i]);
    if (step < 0 || step > max_step) continue;
    kept += lines[i] + "\n";
    rows.push_back(absl::StrSplit(lines[i], ','));
  }
  RL_RETURN_IF_ERROR(WriteFileAtomically(path, kept));
  return rows;
}

nlohmann::json ReadConfig(const std::string& path) {
  std::ifstream in(path);
  if (!in) return nullptr;
  nlohmann::json config = nlohmann::json::parse(in, nullptr,
                                                /*allow_exceptions=*/false);
  return config.is_discarded() ? nlohmann::json(nullptr) : config;
}

std::string ScriptSafeJson(const nlohmann::json& value) {
  return absl::StrReplaceAll(
      value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
      {{"<", "\\u003c"}});
}

nlohmann::json ConfigValue(const std::string& text) {
  if (text == "true") return true;
  if (text == "false") return false;
  int64_t integer;
  if (absl::SimpleAtoi(text, &integer) && absl::StrCat(integer) == text) {
    return integer;
  }
  double number;
  // A fraction or exponent ("0.2", "1e-05"); not "inf", "nan" or " 1",
  // which JSON has no numbers for, nor "007".
  if (!text.empty() &&
      (absl::ascii_isdigit(text[0]) || text[0] == '-' || text[0] == '.') &&
      text.find_first_of(".eE") != std::string::npos &&
      absl::SimpleAtod(text, &number) && std::isfinite(number)) {
    return number;
  }
  return text;
}

std::optional<int64_t> ConfigInt(const nlohmann::json& config,
                                 const char* key) {
  if (!config.is_object() || !config.contains("run") ||
      !config["run"].is_object() || !config["run"].contains(key)) {
    return std::nullopt;
  }
  const nlohmann::json& value = config["run"][key];
  if (value.is_number_integer()) return value.get<int64_t>();
  if (value.is_boolean()) return value.get<bool>() ? 1 : 0;
  // Runs written before config.json kept numbers as numbers.
  int64_t parsed = 0;
  if (value.is_string() &&
      absl::SimpleAtoi(value.get<std::string>(), &parsed)) {
    return parsed;
  }
  return std::nullopt;
}

absl::StatusOr<EnvKwargs> ConfigEnvKwargs(const nlohmann::json& config,
                                          const std::string& source) {
  if (!config.is_object() || !config.contains("run") ||
      !config["run"].is_object() || !config["run"].contains("env_kwargs")) {
    return EnvKwargs();
  }
  const nlohmann::json& value = config["run"]["env_kwargs"];
  if (!value.is_string()) {
    return absl::InvalidArgumentError(absl::StrCat(
        source,
        ": run.env_kwargs is not a string (\"key=value,...\"); fix "
        "or remove it"));
  }
  absl::StatusOr<EnvKwargs> kwargs = ParseEnvKwargs(value.get<std::string>());
  if (!kwargs.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": run.env_kwargs: ", kwargs.status().message()));
  }
  return kwargs;
}

std::string RunDirOfCheckpoint(const std::string& checkpoint) {
  const size_t slash = checkpoint.find_last_of('/');
  std::string dir =
      checkpoint.substr(0, slash == std::string::npos ? 0 : slash);
  if (absl::EndsWith(dir, "/checkpoints")) {
    dir.resize(dir.size() - 12);
  } else if (dir == "checkpoints") {
    dir.clear();
  }
  return dir.empty() ? "." : dir;
}

}  // namespace rl
