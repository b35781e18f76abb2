// Small file helpers the recording side shares.
//
// Example:
//   RL_RETURN_IF_ERROR(WriteFileAtomically("videos/index.html", html));
#ifndef RL_RECORD_FILE_UTIL_H_
#define RL_RECORD_FILE_UTIL_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace rl {

// Writes `contents` to `path` through a temporary file beside it and a
// rename, so a reader never sees half a file and a failed write leaves the
// previous file intact. Errors name the file and the OS reason
// (ResourceExhausted for a full disk, PermissionDenied otherwise).
absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view contents);

// Renames `from` to `to` (replacing `to`); errors name both and the reason.
absl::Status RenameFile(const std::string& from, const std::string& to);

}  // namespace rl

#endif  // RL_RECORD_FILE_UTIL_H_
