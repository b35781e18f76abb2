#include "rl/run/run_directory.h"

#include <stdlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "rl/core/file_util.h"
#include "rl/core/status_macros.h"

namespace rl {

bool PathExists(const std::string& path) {
  std::error_code error;
  return std::filesystem::symlink_status(path, error).type() !=
         std::filesystem::file_type::not_found;
}

const std::vector<std::string>& RunDirectory::Entries() {
  static const auto* const kEntries = new std::vector<std::string>{
      "metrics.csv",  "evals.csv",   "videos.csv", "config.json", "index.html",
      "page_data.js", "checkpoints", "videos",     "status.json"};
  return *kEntries;
}

absl::Status RunDirectory::Check(bool resuming, bool overwrite) {
  existed_ = PathExists(path_);
  found_.clear();
  for (const std::string& name : Entries()) {
    if (PathExists(absl::StrCat(path_, "/", name))) found_.push_back(name);
  }
  if (resuming) return absl::OkStatus();
  const bool holds_run =
      PathExists(path_ + "/metrics.csv") || PathExists(path_ + "/config.json");
  if (!holds_run || overwrite) return absl::OkStatus();
  if (!PathExists(path_ + "/checkpoints/latest.ckpt")) {
    return absl::FailedPreconditionError(absl::StrCat(
        "run directory ", path_,
        " already holds a run that left no checkpoint (it stopped or failed "
        "before its first evaluation); pass --overwrite to replace it, or "
        "choose another --run_dir"));
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "run directory ", path_,
      " already holds a run (metrics.csv); continue it with --resume=", path_,
      "/checkpoints/latest.ckpt, choose another --run_dir, or pass "
      "--overwrite to replace it"));
}

absl::Status RunDirectory::MoveAside() {
  if (found_.empty()) return absl::OkStatus();
  std::string aside = path_ + "/.replaced-XXXXXX";
  if (mkdtemp(aside.data()) == nullptr) {
    return absl::PermissionDeniedError(absl::StrCat(
        "--overwrite: cannot create ", aside, ": ", std::strerror(errno)));
  }
  aside_ = aside;
  for (const std::string& name : found_) {
    RL_RETURN_IF_ERROR(RenameFile(absl::StrCat(path_, "/", name),
                                  absl::StrCat(aside, "/", name)));
  }
  return absl::OkStatus();
}

void RunDirectory::RemoveNewRunAndRestore() {
  for (const std::string& name : Entries()) {
    const bool was_there =
        std::find(found_.begin(), found_.end(), name) != found_.end();
    // Ours to remove: whatever the new run made, never what was there
    // before and not moved aside.
    if (was_there && !replacing()) continue;
    std::error_code ignored;
    std::filesystem::remove_all(absl::StrCat(path_, "/", name), ignored);
  }
  if (!existed_) {
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);  // Only if empty.
  }
  if (!replacing()) return;
  for (const std::string& name : found_) {
    RenameFile(absl::StrCat(aside_, "/", name), absl::StrCat(path_, "/", name))
        .IgnoreError();
  }
  std::error_code ignored;
  std::filesystem::remove(aside_, ignored);
  aside_.clear();
}

std::string RunDirectory::DropAside() {
  if (aside_.empty()) return "";
  std::error_code error;
  std::filesystem::remove_all(aside_, error);
  std::string warning;
  if (error) {
    warning = absl::StrCat("could not delete the replaced run in ", aside_,
                           ": ", error.message());
  }
  aside_.clear();
  return warning;
}

}  // namespace rl
