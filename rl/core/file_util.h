// Files written safely: atomically, never through a symbolic link, never
// over something that is not a regular file. Every file the project writes
// (pages, CSVs, sidecars, config.json, checkpoints) goes through here.
//
// Why: a run directory may be shared, or prepared by someone else; a link
// planted at "index.html.tmp" must not turn a training run into a write to
// the link's target. So temporary files are made exclusively with mkstemp
// in the target's directory (O_CREAT|O_EXCL: a planted name makes it pick
// another), appends open with O_NOFOLLOW, and a target that is a link is
// refused, not replaced.
//
// Example:
//   RL_RETURN_IF_ERROR(WriteFileAtomically("runs/x/index.html", html));
//   RL_ASSIGN_OR_RETURN(AppendFile csv, AppendFile::Open("runs/x/m.csv"));
//   RL_RETURN_IF_ERROR(csv.Append("1,2,3\n"));
#ifndef RL_CORE_FILE_UTIL_H_
#define RL_CORE_FILE_UTIL_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace rl {

// `path` as the user meant it: `bazel run` starts a binary in its runfiles,
// so a relative path is taken from the directory `bazel run` was started
// in (BUILD_WORKING_DIRECTORY) when there is one. Absolute and empty paths
// are returned as they are.
std::string ResolveAgainstWorkingDirectory(const std::string& path);

// Writes `contents` to `path` through a new temporary file beside it and a
// rename, so a reader never sees half a file and a failed write leaves the
// previous file intact. `sync` also fsyncs the data before the rename (for
// checkpoints: the new file survives a power cut). Errors name the file and
// the OS reason: ResourceExhausted for a full disk, FailedPrecondition when
// `path` is a symbolic link or not a regular file, PermissionDenied
// otherwise.
absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view contents, bool sync = false);

// For when the disk is full and WriteFileAtomically() cannot make its
// temporary file: truncates the existing `path` (freeing its blocks) and
// writes `contents` in its place, never through a link. Not atomic (a
// reader may see a part of it): for a last word, such as a page saying
// why a run failed, that would otherwise not be written at all.
absl::Status OverwriteInPlace(const std::string& path,
                              absl::string_view contents);

// Renames `from` to `to` (replacing `to` unless it is a symbolic link or a
// directory); errors name both and the reason.
absl::Status RenameFile(const std::string& from, const std::string& to);

// Renames `from` to `to` only if `to` does not exist (AlreadyExists if it
// does): a finished video never replaces another.
absl::Status RenameNoReplace(const std::string& from, const std::string& to);

// OK unless `path` exists and is a symbolic link (FailedPrecondition, saying
// the project does not write through links and what to do).
absl::Status CheckNotSymlink(const std::string& path);

// FailedPrecondition naming the first symbolic link found in `dir` or below
// it (links are not followed); OK if there is none or `dir` is missing.
// At most `max_entries` entries are looked at.
absl::Status CheckNoSymlinksBelow(const std::string& dir,
                                  int max_entries = 100000);

// mkdir -p: creates `path` and its missing parents (mode 0755). OK if it
// is a directory already; PermissionDenied (with the reason) if a part
// cannot be made, FailedPrecondition if `path` exists and is not a
// directory. Errors call it `what` ("cannot create video directory D: ...")
// and name the path, not how the caller got it.
absl::Status MakeDirectories(const std::string& path,
                             absl::string_view what = "directory");

// A file opened for appending, created (mode 0644) if missing, never through
// a symbolic link. Each Append() is one write(2), so rows are never
// interleaved or half-buffered in this process.
class AppendFile {
 public:
  static absl::StatusOr<AppendFile> Open(const std::string& path);
  AppendFile() = default;
  AppendFile(AppendFile&& other) noexcept;
  AppendFile& operator=(AppendFile&& other) noexcept;
  ~AppendFile();

  absl::Status Append(absl::string_view text);
  // Whether the file was empty when opened (e.g. a CSV needing its header).
  bool was_empty() const { return was_empty_; }
  const std::string& path() const { return path_; }

 private:
  int fd_ = -1;
  bool was_empty_ = true;
  std::string path_;
};

}  // namespace rl

#endif  // RL_CORE_FILE_UTIL_H_
