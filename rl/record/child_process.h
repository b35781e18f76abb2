// RunInChild: runs a piece of a test in a forked child process, for what a
// test must not do to itself: get killed, fill a disk, give up root, have
// its peak memory measured. The child never returns into the test framework.
//
// Example:
//   ChildResult child = RunInChild([&](const Say& say) {
//     say("hello");
//     return 0;  // The child's exit code.
//   });
//   EXPECT_TRUE(child.exited_ok());
//   EXPECT_EQ(child.message, "hello\n");
#ifndef RL_RECORD_CHILD_PROCESS_H_
#define RL_RECORD_CHILD_PROCESS_H_

#include <functional>
#include <string>

namespace rl {

// Exit code of a child that cannot do its job on this machine (no
// privileges to mount a tmpfs, say): the test should skip.
inline constexpr int kChildSkipped = 77;

struct ChildResult {
  int wait_status = 0;  // As waitpid() reports it.
  std::string message;  // Everything the child said, one line per call.
  bool exited_ok() const;
  bool killed_by_sigkill() const;
  bool skipped() const;
  // "exited with 3", "killed by signal 9".
  std::string Describe() const;
};

// Sends a line of text to the parent.
using Say = std::function<void(const std::string&)>;

// Forks; the child runs `body` and exits with its return value. Returns
// once the child is gone. Fork from a single-threaded parent.
ChildResult RunInChild(const std::function<int(const Say& say)>& body);

}  // namespace rl

#endif  // RL_RECORD_CHILD_PROCESS_H_
