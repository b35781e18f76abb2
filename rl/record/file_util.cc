#include "rl/record/file_util.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace rl {
namespace {

absl::Status ErrnoError(int error, absl::string_view what,
                        const std::string& path) {
  const absl::StatusCode code =
      error == ENOSPC || error == EFBIG || error == EDQUOT
          ? absl::StatusCode::kResourceExhausted
          : absl::StatusCode::kPermissionDenied;
  return absl::Status(
      code, absl::StrCat(what, " ", path, ": ", std::strerror(error),
                         "; check that the directory exists, is writable and "
                         "has free space"));
}

}  // namespace

absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view contents) {
  const std::string temp = absl::StrCat(path, ".tmp");
  std::FILE* file = std::fopen(temp.c_str(), "wb");
  if (file == nullptr) return ErrnoError(errno, "cannot create", temp);
  bool ok =
      std::fwrite(contents.data(), 1, contents.size(), file) == contents.size();
  int error = ok ? 0 : errno;
  if (std::fclose(file) != 0 && ok) {
    ok = false;
    error = errno;
  }
  if (!ok) {
    std::remove(temp.c_str());
    return ErrnoError(error, "cannot write", temp);
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    error = errno;
    std::remove(temp.c_str());
    return ErrnoError(error, "cannot replace", path);
  }
  return absl::OkStatus();
}

absl::Status RenameFile(const std::string& from, const std::string& to) {
  if (std::rename(from.c_str(), to.c_str()) == 0) return absl::OkStatus();
  return ErrnoError(errno, absl::StrCat("cannot rename ", from, " to"), to);
}

}  // namespace rl
