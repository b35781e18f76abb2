// Helpers of the recording tests (recording_test, recording_crash_test):
// files, the gallery's links, a small run, and two test doubles registered
// by name: the env "CountingCartPole-v1" (CartPole counting its Draw calls
// in `draws`) and the agent "balancing" (keeps the pole up; at its
// kill_at_action-th action of episode 1 it SIGKILLs its own process, at its
// hook_action-th it calls hook_at_action).
//
// Example:
//   RunOptions options = SmallRun("dir");
//   draws = 0;
//   ... PlayEpisodes(options, log) ...
//   EXPECT_EQ(draws.load(), frames_recorded);
#ifndef TESTS_RECORDING_TEST_UTIL_H_
#define TESTS_RECORDING_TEST_UTIL_H_

#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include "rl/run/play_episodes.h"

namespace rl {

// $TEST_TMPDIR/name.
std::string TempDir(const std::string& name);
std::string Slurp(const std::string& path);
bool Exists(const std::string& path);
// Names of the entries of `dir`, sorted.
std::vector<std::string> FilesIn(const std::string& dir);
// The video files `dir`/index.html links to, in page order.
std::vector<std::string> GalleryVideos(const std::string& dir);

// Frames CountingCartPole-v1 drew.
extern std::atomic<int> draws;
// BalancingAgent's triggers; -1: never.
extern std::atomic<int> kill_at_action;
extern std::atomic<int> hook_action;
extern std::function<void()> hook_at_action;

// CountingCartPole-v1 at 96x64, seed 3, x264 veryfast, into
// $TEST_TMPDIR/dir.
RunOptions SmallRun(const std::string& dir);

// Sets `options` to record with `recorder`, with that recorder's fast
// settings (mp4: x264 veryfast, as SmallRun() sets).
void UseRecorder(const std::string& recorder, RunOptions& options);

}  // namespace rl

#endif  // TESTS_RECORDING_TEST_UTIL_H_
