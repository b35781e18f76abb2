// What the run binaries (train, play) share besides their flags: stopping
// cleanly on Ctrl-C (and, from rl/core/file_util.h, paths as the user meant
// them under `bazel run`).
#ifndef RL_RUN_CLI_H_
#define RL_RUN_CLI_H_

#include <atomic>
#include <string>

#include "rl/core/file_util.h"  // ResolveAgainstWorkingDirectory.

namespace rl {

// Installs SIGINT, SIGTERM and SIGUSR1 handlers that set the returned flag,
// so a run finishes its current video and writes its files; a second signal
// kills at once (the default action is back after the first). SIGUSR1 is
// the one mpirun (and `scancel --signal=USR1`) passes on to every rank
// without ending the job itself, so it stops a data-parallel run cleanly.
const std::atomic<bool>& StopOnSignals();

}  // namespace rl

#endif  // RL_RUN_CLI_H_
