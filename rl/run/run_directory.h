// RunDirectory: the files a training run owns in its run directory, and the
// promise that a run that fails early loses nothing: Check() looks before
// anything is written; --overwrite moves the old run aside (MoveAside) and
// deletes it only once the new run has started (DropAside); a new run that
// fails before that is taken away and the old one put back (Restore).
//
// Example:
//   RunDirectory dir("runs/CartPole-v1-ppo-seed0");
//   RL_RETURN_IF_ERROR(dir.Check(/*resuming=*/false, /*overwrite=*/true));
//   RL_RETURN_IF_ERROR(dir.MoveAside());
//   ... write the new run; on failure: dir.Restore(); ...
//   dir.DropAside();  // After the new run's first evaluation.
#ifndef RL_RUN_RUN_DIRECTORY_H_
#define RL_RUN_RUN_DIRECTORY_H_

#include <string>
#include <vector>

#include "absl/status/status.h"

namespace rl {

class RunDirectory {
 public:
  explicit RunDirectory(std::string path) : path_(std::move(path)) {}

  // Notes what the directory holds of ours. Unless resuming or
  // overwriting, a directory that holds a run is refused, saying how to
  // continue it (--resume) or replace it (--overwrite).
  absl::Status Check(bool resuming, bool overwrite);
  // Moves the entries Check() found into a fresh ".replaced-XXXXXX"
  // directory inside (nothing to do if there were none).
  absl::Status MoveAside();
  // The new run failed before it started: removes what it made (never what
  // was there and not moved aside; the directory itself only if this run
  // made it and it is empty), then moves the old run back.
  void RemoveNewRunAndRestore();
  // The new run has started: deletes the old one. Returns a warning ("" if
  // none) when it cannot be deleted.
  std::string DropAside();
  bool replacing() const { return !aside_.empty(); }
  const std::string& path() const { return path_; }

  // What a run directory holds of ours; --overwrite replaces exactly these.
  static const std::vector<std::string>& Entries();

 private:
  const std::string path_;
  bool existed_ = false;
  std::vector<std::string> found_;  // Entries() present at Check().
  std::string aside_;               // Where MoveAside() put them.
};

// Whether anything (a link too) is at `path`.
bool PathExists(const std::string& path);

}  // namespace rl

#endif  // RL_RUN_RUN_DIRECTORY_H_
