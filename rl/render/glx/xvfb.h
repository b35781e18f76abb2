// XvfbServer: a private, virtual X server (Xvfb) for the glx render backend
// on a machine with no X display, as pyvirtualdisplay provided for the
// seed's Python stack.
//
// Xvfb picks a free display number itself (-displayfd), so parallel tests
// and processes never collide. It is started as a child that dies with this
// process, even on a crash (prctl(PR_SET_PDEATHSIG)), and is stopped by the
// destructor (SIGTERM, then SIGKILL after 3 s).
//
// Example:
//   RL_ASSIGN_OR_RETURN(std::shared_ptr<XvfbServer> xvfb, SharedXvfb());
//   Display* display = XOpenDisplay(xvfb->display_name().c_str());
#ifndef RL_RENDER_GLX_XVFB_H_
#define RL_RENDER_GLX_XVFB_H_

#include <sys/types.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/statusor.h"

namespace rl {

struct XvfbOptions {
  // The Xvfb binary; empty searches $PATH (and /usr/bin) for "Xvfb".
  std::string executable;
  // How long to wait for Xvfb to report its display.
  int start_timeout_ms = 10000;
};

class XvfbServer {
 public:
  // Starts Xvfb and waits until it accepts connections. Unavailable, naming
  // `apt-get install xvfb` and the llvmpipe backend, when there is no
  // Xvfb; with Xvfb's own error output when it fails to start.
  static absl::StatusOr<std::unique_ptr<XvfbServer>> Start(
      const XvfbOptions& options = {});

  ~XvfbServer();
  XvfbServer(const XvfbServer&) = delete;
  XvfbServer& operator=(const XvfbServer&) = delete;

  // The display to connect to, e.g. ":1".
  const std::string& display_name() const { return display_name_; }
  pid_t pid() const { return pid_; }

 private:
  XvfbServer() = default;

  // Runs in reaper_: forks and execs Xvfb, then waits for it to exit. Xvfb
  // is forked from this long-lived thread because PR_SET_PDEATHSIG fires
  // when the forking *thread* exits, and the thread that asked for Xvfb may
  // be short-lived.
  void RunChild(const std::string& path, int display_fd, int log_fd);

  std::string display_name_;
  pid_t pid_ = -1;
  std::thread reaper_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool forked_ = false;  // Guarded by mutex_, as are the two below.
  bool exited_ = false;
  int fork_errno_ = 0;
};

// The process's shared private Xvfb, started on first use; it stops when the
// last holder lets go, so a process that no longer renders leaves no X
// server behind.
absl::StatusOr<std::shared_ptr<XvfbServer>> SharedXvfb(
    const XvfbOptions& options = {});

}  // namespace rl

#endif  // RL_RENDER_GLX_XVFB_H_
