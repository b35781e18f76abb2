// What the run binaries (train, play) share besides their flags: stopping
// cleanly on Ctrl-C, and paths as the user meant them under `bazel run`.
#ifndef RL_RUN_CLI_H_
#define RL_RUN_CLI_H_

#include <atomic>
#include <string>

namespace rl {

// Installs SIGINT and SIGTERM handlers that set the returned flag, so a
// run finishes its current video and writes its files; a second signal
// kills at once (the default action is back after the first).
const std::atomic<bool>& StopOnSignals();

// `path` as the user meant it: `bazel run` starts a binary in its runfiles,
// so a relative path is taken from the directory `bazel run` was started
// in (BUILD_WORKING_DIRECTORY) when there is one. Absolute and empty paths
// are returned as they are.
std::string ResolveAgainstWorkingDirectory(const std::string& path);

}  // namespace rl

#endif  // RL_RUN_CLI_H_
