#include "rl/render/glx/xvfb.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace rl {
namespace {

constexpr char kInstallHint[] =
    "install it with `sudo apt-get install xvfb` (tools/setup.sh does), set "
    "DISPLAY to an X server you have, or render without X with the llvmpipe "
    "render backend";

bool IsExecutable(const std::string& path) {
  struct stat info;
  return stat(path.c_str(), &info) == 0 && S_ISREG(info.st_mode) &&
         access(path.c_str(), X_OK) == 0;
}

// The Xvfb to run, or "" if there is none.
std::string FindXvfb(const std::string& executable) {
  if (!executable.empty()) return IsExecutable(executable) ? executable : "";
  const char* path = std::getenv("PATH");
  std::vector<std::string> dirs;
  if (path != nullptr) dirs = absl::StrSplit(path, ':', absl::SkipEmpty());
  dirs.push_back("/usr/bin");
  for (const std::string& dir : dirs) {
    const std::string candidate = absl::StrCat(dir, "/Xvfb");
    if (IsExecutable(candidate)) return candidate;
  }
  return "";
}

// What Xvfb wrote to its log (memfd) so far, trimmed, for error messages.
std::string ReadLog(int fd) {
  std::string log;
  char buffer[4096];
  ssize_t n;
  while ((n = pread(fd, buffer, sizeof(buffer), log.size())) > 0 &&
         log.size() < 16384) {
    log.append(buffer, n);
  }
  absl::string_view trimmed = absl::StripAsciiWhitespace(log);
  if (trimmed.size() > 2000) trimmed = trimmed.substr(trimmed.size() - 2000);
  return std::string(trimmed);
}

struct Fd {
  explicit Fd(int fd = -1) : fd(fd) {}
  ~Fd() {
    if (fd >= 0) close(fd);
  }
  int fd;
};

}  // namespace

void XvfbServer::RunChild(const std::string& path, int display_fd, int log_fd) {
  // Everything the child needs is prepared before fork(): after it, only
  // async-signal-safe calls.
  const std::string fd_text = std::to_string(display_fd);
  std::vector<std::string> args = {path,        "-displayfd", fd_text,
                                   "-screen",   "0",          "64x64x24",
                                   "-nolisten", "tcp",        "-noreset"};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  const int dev_null = open("/dev/null", O_RDONLY | O_CLOEXEC);
  const pid_t parent = getpid();

  const pid_t pid = fork();
  if (pid == 0) {
    // Dies with this thread, i.e. with the process (see RunChild's comment).
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(1);  // The parent died before prctl.
    if (dev_null >= 0) {
      dup2(dev_null, STDIN_FILENO);
      dup2(dev_null, STDOUT_FILENO);
    }
    dup2(log_fd, STDERR_FILENO);
    fcntl(display_fd, F_SETFD, 0);  // Keep it across exec; the rest close.
    // A new process group: a Ctrl-C meant for us does not kill Xvfb before
    // we are done with it; we stop it ourselves.
    setpgid(0, 0);
    execv(path.c_str(), argv.data());
    _exit(127);
  }
  const int fork_errno = errno;
  if (dev_null >= 0) close(dev_null);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    forked_ = true;
    pid_ = pid;
    if (pid < 0) {
      fork_errno_ = fork_errno;
      exited_ = true;
    }
  }
  changed_.notify_all();
  if (pid < 0) return;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    exited_ = true;
  }
  changed_.notify_all();
}

absl::StatusOr<std::unique_ptr<XvfbServer>> XvfbServer::Start(
    const XvfbOptions& options) {
  const std::string path = FindXvfb(options.executable);
  if (path.empty()) {
    return absl::UnavailableError(absl::StrCat(
        "cannot start a private X server: ",
        options.executable.empty()
            ? absl::StrCat("Xvfb is not installed (not on PATH=",
                           std::getenv("PATH") ? std::getenv("PATH") : "",
                           " nor in /usr/bin)")
            : absl::StrCat(options.executable, " is not an executable file"),
        ": ", kInstallHint));
  }
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "pipe2 for Xvfb's -displayfd failed: ", std::strerror(errno)));
  }
  Fd read_end(pipe_fds[0]);
  Fd write_end(pipe_fds[1]);
  Fd log(memfd_create("xvfb-log", MFD_CLOEXEC));
  if (log.fd < 0) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "memfd_create for Xvfb's log failed: ", std::strerror(errno)));
  }

  std::unique_ptr<XvfbServer> server(new XvfbServer);
  XvfbServer* raw = server.get();
  server->reaper_ =
      std::thread([raw, path, fd = write_end.fd, log_fd = log.fd] {
        raw->RunChild(path, fd, log_fd);
      });
  {
    std::unique_lock<std::mutex> lock(server->mutex_);
    server->changed_.wait(lock, [raw] { return raw->forked_; });
    if (server->pid_ < 0) {
      const int error = server->fork_errno_;
      lock.unlock();
      server->reaper_.join();
      return absl::ResourceExhaustedError(
          absl::StrCat("fork for Xvfb failed: ", std::strerror(error)));
    }
  }
  // Only the child writes now: its EOF (exit) ends the read below.
  close(write_end.fd);
  write_end.fd = -1;

  // Xvfb writes the display number and a newline once it accepts clients.
  std::string text;
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(options.start_timeout_ms);
  std::string failure;
  while (text.find('\n') == std::string::npos) {
    const int left =
        static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                             deadline - std::chrono::steady_clock::now())
                             .count());
    if (left <= 0) {
      failure = absl::StrCat("Xvfb did not report a display within ",
                             options.start_timeout_ms, " ms");
      break;
    }
    pollfd poll_fd{read_end.fd, POLLIN, 0};
    const int ready = poll(&poll_fd, 1, left);
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    char buffer[64];
    const ssize_t n = read(read_end.fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      failure = "Xvfb exited before reporting a display";
      break;
    }
    text.append(buffer, n);
  }
  int display = -1;
  if (failure.empty() &&
      !absl::SimpleAtoi(absl::StripAsciiWhitespace(text), &display)) {
    failure = absl::StrCat("Xvfb reported a strange display \"", text, "\"");
  }
  if (!failure.empty()) {
    const std::string output = ReadLog(log.fd);
    server.reset();  // Stops it, if it still runs.
    return absl::UnavailableError(absl::StrCat(
        failure, " (ran ", path,
        " -displayfd ...; its output: ", output.empty() ? "none" : output,
        "); set DISPLAY to an X server you have, or use the llvmpipe render "
        "backend, which needs no X server"));
  }
  server->display_name_ = absl::StrCat(":", display);
  return server;
}

XvfbServer::~XvfbServer() {
  if (!reaper_.joinable()) return;
  std::unique_lock<std::mutex> lock(mutex_);
  if (pid_ > 0 && !exited_) {
    kill(pid_, SIGTERM);
    if (!changed_.wait_for(lock, std::chrono::seconds(3),
                           [this] { return exited_; })) {
      kill(pid_, SIGKILL);
      changed_.wait(lock, [this] { return exited_; });
    }
  }
  lock.unlock();
  reaper_.join();
}

absl::StatusOr<std::shared_ptr<XvfbServer>> SharedXvfb(
    const XvfbOptions& options) {
  // A cache, not state: it only lets concurrent users share one server.
  static auto* mutex = new std::mutex;
  static auto* shared = new std::weak_ptr<XvfbServer>;
  std::lock_guard<std::mutex> lock(*mutex);
  if (std::shared_ptr<XvfbServer> server = shared->lock()) return server;
  absl::StatusOr<std::unique_ptr<XvfbServer>> started =
      XvfbServer::Start(options);
  if (!started.ok()) return started.status();
  std::shared_ptr<XvfbServer> server = *std::move(started);
  *shared = server;
  return server;
}

}  // namespace rl
