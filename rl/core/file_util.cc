#include "rl/core/file_util.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

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

absl::Status LinkError(const std::string& path) {
  return absl::FailedPreconditionError(
      absl::StrCat(path,
                   " is a symbolic link; refusing to write through or over it "
                   "(a link planted there could redirect the write to another "
                   "file): remove it, or choose another directory"));
}

// Refuses a target that exists and is not a regular file.
absl::Status CheckReplaceable(const std::string& path) {
  struct stat info;
  if (lstat(path.c_str(), &info) != 0) return absl::OkStatus();
  if (S_ISLNK(info.st_mode)) return LinkError(path);
  if (!S_ISREG(info.st_mode)) {
    return absl::FailedPreconditionError(absl::StrCat(
        path, " exists and is not a regular file; move it out of the way"));
  }
  return absl::OkStatus();
}

bool WriteAll(int fd, absl::string_view data) {
  while (!data.empty()) {
    const ssize_t n = write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

}  // namespace

absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view contents, bool sync) {
  if (absl::Status target = CheckReplaceable(path); !target.ok()) {
    return target;
  }
  const size_t slash = path.find_last_of('/');
  const std::string dir =
      slash == std::string::npos ? "." : path.substr(0, slash + 1);
  const std::string base =
      slash == std::string::npos ? path : path.substr(slash + 1);
  // Hidden, so a directory listing never shows a half-written file.
  std::string temp = absl::StrCat(dir, slash == std::string::npos ? "/" : "",
                                  ".", base, ".tmp-XXXXXX");
  std::vector<char> name(temp.begin(), temp.end());
  name.push_back('\0');
  const int fd = mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) return ErrnoError(errno, "cannot create a file beside", path);
  temp.assign(name.data());
  // mkstemp makes 0600; pages and CSVs are for reading by others too.
  bool ok = fchmod(fd, 0644) == 0 && WriteAll(fd, contents) &&
            (!sync || fsync(fd) == 0);
  int error = ok ? 0 : errno;
  if (close(fd) != 0 && ok) {
    ok = false;
    error = errno;
  }
  if (!ok) {
    unlink(temp.c_str());
    return ErrnoError(error, "cannot write", path);
  }
  if (rename(temp.c_str(), path.c_str()) != 0) {
    error = errno;
    unlink(temp.c_str());
    return ErrnoError(error, "cannot replace", path);
  }
  return absl::OkStatus();
}

absl::Status OverwriteInPlace(const std::string& path,
                              absl::string_view contents) {
  const int fd =
      open(path.c_str(), O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ELOOP) return LinkError(path);
    return ErrnoError(errno, "cannot open", path);
  }
  struct stat info;
  bool ok =
      fstat(fd, &info) == 0 && S_ISREG(info.st_mode) && WriteAll(fd, contents);
  const int error = ok ? 0 : errno;
  if (close(fd) != 0) ok = false;
  if (!ok) return ErrnoError(error != 0 ? error : EIO, "cannot write", path);
  return absl::OkStatus();
}

absl::Status RenameFile(const std::string& from, const std::string& to) {
  if (absl::Status target = CheckReplaceable(to); !target.ok()) return target;
  if (std::rename(from.c_str(), to.c_str()) == 0) return absl::OkStatus();
  return ErrnoError(errno, absl::StrCat("cannot rename ", from, " to"), to);
}

absl::Status RenameNoReplace(const std::string& from, const std::string& to) {
  if (renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(),
                RENAME_NOREPLACE) == 0) {
    return absl::OkStatus();
  }
  int error = errno;
  if (error == EINVAL || error == ENOSYS) {
    // A file system without RENAME_NOREPLACE: link(2) never replaces either.
    if (link(from.c_str(), to.c_str()) == 0) {
      unlink(from.c_str());
      return absl::OkStatus();
    }
    error = errno;
  }
  if (error == EEXIST) {
    return absl::AlreadyExistsError(
        absl::StrCat("cannot rename ", from, " to ", to, ": ", to,
                     " exists and is not replaced"));
  }
  return ErrnoError(error, absl::StrCat("cannot rename ", from, " to"), to);
}

absl::Status CheckNotSymlink(const std::string& path) {
  struct stat info;
  if (lstat(path.c_str(), &info) == 0 && S_ISLNK(info.st_mode)) {
    return LinkError(path);
  }
  return absl::OkStatus();
}

absl::Status MakeDirectories(const std::string& path, absl::string_view what) {
  if (path.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("empty ", what, " name"));
  }
  for (size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
    const std::string prefix = path.substr(0, slash);
    if (mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) {
      return absl::PermissionDeniedError(absl::StrCat(
          "cannot create ", what, " ", prefix, ": ", std::strerror(errno)));
    }
    if (slash == std::string::npos) break;
  }
  struct stat info;
  if (stat(path.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat(what, " ", path, " exists and is not a directory"));
  }
  return absl::OkStatus();
}

absl::Status CheckNoSymlinksBelow(const std::string& dir, int max_entries) {
  std::vector<std::string> pending = {dir};
  int seen = 0;
  while (!pending.empty() && seen < max_entries) {
    const std::string current = std::move(pending.back());
    pending.pop_back();
    DIR* handle = opendir(current.c_str());
    if (handle == nullptr) continue;  // Missing or unreadable: nothing below.
    while (const dirent* entry = readdir(handle)) {
      const std::string name = entry->d_name;
      if (name == "." || name == "..") continue;
      if (++seen > max_entries) break;
      const std::string path = absl::StrCat(current, "/", name);
      struct stat info;
      if (lstat(path.c_str(), &info) != 0) continue;
      if (S_ISLNK(info.st_mode)) {
        closedir(handle);
        return LinkError(path);
      }
      if (S_ISDIR(info.st_mode)) pending.push_back(path);
    }
    closedir(handle);
  }
  return absl::OkStatus();
}

absl::StatusOr<AppendFile> AppendFile::Open(const std::string& path) {
  AppendFile file;
  file.path_ = path;
  file.fd_ = open(path.c_str(),
                  O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (file.fd_ < 0) {
    if (errno == ELOOP) return LinkError(path);
    return ErrnoError(errno, "cannot open for appending", path);
  }
  struct stat info;
  if (fstat(file.fd_, &info) != 0 || !S_ISREG(info.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, " is not a regular file; move it out of the way"));
  }
  file.was_empty_ = info.st_size == 0;
  return file;
}

AppendFile::AppendFile(AppendFile&& other) noexcept
    : fd_(other.fd_),
      was_empty_(other.was_empty_),
      path_(std::move(other.path_)) {
  other.fd_ = -1;
}

AppendFile& AppendFile::operator=(AppendFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = other.fd_;
    was_empty_ = other.was_empty_;
    path_ = std::move(other.path_);
    other.fd_ = -1;
  }
  return *this;
}

AppendFile::~AppendFile() {
  if (fd_ >= 0) close(fd_);
}

absl::Status AppendFile::Append(absl::string_view text) {
  if (fd_ < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("append to ", path_, ": the file is not open"));
  }
  if (!WriteAll(fd_, text)) return ErrnoError(errno, "cannot write", path_);
  return absl::OkStatus();
}

std::string ResolveAgainstWorkingDirectory(const std::string& path) {
  if (path.empty() || path[0] == '/') return path;
  const char* cwd = std::getenv("BUILD_WORKING_DIRECTORY");
  return cwd == nullptr ? path : absl::StrCat(cwd, "/", path);
}

}  // namespace rl
