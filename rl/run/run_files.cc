#include "rl/run/run_files.h"

#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
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

std::optional<int64_t> ConfigInt(const nlohmann::json& config,
                                 const char* key) {
  int64_t value = 0;
  if (!config.is_object() || !config.contains("run") ||
      !config["run"].is_object() || !config["run"].contains(key) ||
      !config["run"][key].is_string() ||
      !absl::SimpleAtoi(config["run"][key].get<std::string>(), &value)) {
    return std::nullopt;
  }
  return value;
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

int64_t LastStepInVideoName(const std::string& file) {
  const size_t at = file.rfind("-steps-");
  if (at == std::string::npos) return -1;
  std::vector<std::string> parts =
      absl::StrSplit(file.substr(at + 7), absl::ByAnyChar("-."));
  int64_t last = -1;
  if (parts.size() < 2 || !absl::SimpleAtoi(parts[1], &last)) return -1;
  return last;
}

}  // namespace rl
