#include "rl/record/child_process.h"

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"

namespace rl {

bool ChildResult::exited_ok() const {
  return WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0;
}

bool ChildResult::killed_by_sigkill() const {
  return WIFSIGNALED(wait_status) && WTERMSIG(wait_status) == SIGKILL;
}

bool ChildResult::skipped() const {
  return WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == kChildSkipped;
}

std::string ChildResult::Describe() const {
  if (WIFEXITED(wait_status)) {
    return absl::StrCat("exited with ", WEXITSTATUS(wait_status));
  }
  if (WIFSIGNALED(wait_status)) {
    return absl::StrCat("killed by signal ", WTERMSIG(wait_status));
  }
  return absl::StrCat("wait status ", wait_status);
}

ChildResult RunInChild(const std::function<int(const Say& say)>& body) {
  ChildResult result;
  int fds[2];
  if (pipe(fds) != 0) {
    result.wait_status = -1;
    result.message = "pipe() failed";
    return result;
  }
  const pid_t child = fork();
  if (child < 0) {
    close(fds[0]);
    close(fds[1]);
    result.wait_status = -1;
    result.message = "fork() failed";
    return result;
  }
  if (child == 0) {
    close(fds[0]);
    const int fd = fds[1];
    const Say say = [fd](const std::string& text) {
      const std::string line = text + "\n";
      if (write(fd, line.data(), line.size()) < 0) _exit(3);
    };
    _exit(body(say));
  }
  close(fds[1]);
  char buffer[4096];
  ssize_t n;
  while ((n = read(fds[0], buffer, sizeof(buffer))) > 0) {
    result.message.append(buffer, n);
  }
  close(fds[0]);
  waitpid(child, &result.wait_status, 0);
  return result;
}

}  // namespace rl
