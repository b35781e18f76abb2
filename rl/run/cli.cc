#include "rl/run/cli.h"

#include <csignal>
#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace rl {
namespace {

// Set by the signal handler: a lock-free atomic is async-signal-safe.
std::atomic<bool>& StopFlag() {
  static std::atomic<bool>* const flag = new std::atomic<bool>(false);
  return *flag;
}

void OnStopSignal(int signal) {
  StopFlag().store(true);
  std::signal(signal, SIG_DFL);
}

}  // namespace

const std::atomic<bool>& StopOnSignals() {
  std::atomic<bool>& flag = StopFlag();  // Made before any signal arrives.
  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
  std::signal(SIGUSR1, OnStopSignal);
  return flag;
}

}  // namespace rl
