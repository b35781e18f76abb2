#include "rl/core/thread_priority.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace rl {
namespace {

pid_t ThisThreadId() { return static_cast<pid_t>(syscall(SYS_gettid)); }

}  // namespace

void MakeThisThreadBackground() {
  // Relative to the main thread (whose id is the process id), so a thread
  // started by a background thread, already nicer, stays where it is.
  errno = 0;
  const int main_nice = getpriority(PRIO_PROCESS, static_cast<id_t>(getpid()));
  if (errno != 0) return;
  const int target = main_nice + kBackgroundNice;
  if (ThisThreadNice() >= target) return;
  setpriority(PRIO_PROCESS, static_cast<id_t>(ThisThreadId()), target);
}

int ThisThreadNice() {
  errno = 0;
  return getpriority(PRIO_PROCESS, static_cast<id_t>(ThisThreadId()));
}

}  // namespace rl
