// A run killed with SIGKILL mid-episode, a disk that fills up mid-run,
// write permission lost mid-run: each in a forked child, for both
// recorders; the parent then looks at what is left.
//
// The parent process must never render (nor record): Mesa's llvmpipe keeps
// threads that a forked child does not have, and would hang in it. Tests
// that render in-process belong in recording_test.

#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/record/child_process.h"
#include "rl/record/video_decoder.h"
#include "rl/run/play_episodes.h"
#include "rl/run/training_run.h"
#include "tests/recording_test_util.h"

namespace rl {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class RecordingCrashTest : public ::testing::TestWithParam<std::string> {};

// SIGKILL in the middle of episode 1: episode 0's video is complete and
// listed; episode 1's file keeps its "-recording" name and plays up to
// about flush_interval_ms before the kill.
TEST_P(RecordingCrashTest, KilledMidEpisodeLeavesPlayableVideos) {
  const std::string ext = GetParam();
  RunOptions options = SmallRun(absl::StrCat("killed-", ext));
  options.env = "CartPole-v1";
  options.agent = "balancing";
  UseRecorder(ext, options);
  options.record.mode = RecordMode::kEveryEpisodes;
  options.episodes = 3;
  constexpr int kKillAt = 150;  // Action of episode 1, i.e. 149 steps done.
  const ChildResult child = RunInChild([&](const Say& say) {
    kill_at_action = kKillAt;
    std::ostringstream log;
    absl::StatusOr<RunSummary> run = PlayEpisodes(options, log);
    say(run.ok() ? "the run ended" : run.status().ToString());
    return 1;
  });
  ASSERT_TRUE(child.killed_by_sigkill())
      << child.Describe() << ": " << child.message;

  const std::vector<std::string> listed = GalleryVideos(options.video_dir);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_THAT(listed[0], StartsWith("CartPole-v1-episode-0-steps-0-"));
  absl::StatusOr<DecodedVideo> complete =
      DecodeVideo(options.video_dir + "/" + listed[0]);
  ASSERT_TRUE(complete.ok()) << complete.status();
  EXPECT_GT(complete->frames.size(), 100u);  // The pole stayed up.
  EXPECT_EQ(complete->corrupt_packets, 0);

  std::string recording;
  for (const std::string& file : FilesIn(options.video_dir)) {
    if (absl::StrContains(file, "-episode-1-") &&
        absl::EndsWith(file, "-recording." + ext)) {
      recording = file;
    }
  }
  ASSERT_FALSE(recording.empty())
      << "no -recording file among: "
      << ::testing::PrintToString(FilesIn(options.video_dir));
  absl::StatusOr<DecodedVideo> cut =
      DecodeVideo(options.video_dir + "/" + recording);
  ASSERT_TRUE(cut.ok()) << cut.status();
  // Frames written: the reset frame and 149 steps. Lost at most: the open
  // fragment or cluster (500 ms at 50 fps, + 1) and the queue (4 + 1).
  EXPECT_GE(cut->frames.size(), 150u - 26 - 5);
  EXPECT_LE(cut->frames.size(), 150u);
  EXPECT_LE(cut->corrupt_packets, 1);

  // The next run in the same directory (replacing the killed run's
  // finished video, as --overwrite does; without it the directory is
  // refused) keeps the leftover and lists it, interrupted.
  options.episodes = 1;
  options.overwrite = true;
  const ChildResult next = RunInChild([&](const Say& say) {
    kill_at_action = -1;
    std::ostringstream log;
    absl::StatusOr<RunSummary> run = PlayEpisodes(options, log);
    say(run.ok() ? "the run ended" : run.status().ToString());
    return run.ok() ? 0 : 1;
  });
  ASSERT_TRUE(next.exited_ok()) << next.Describe() << ": " << next.message;
  const std::vector<std::string> relisted = GalleryVideos(options.video_dir);
  ASSERT_EQ(relisted.size(), 2u) << ::testing::PrintToString(relisted);
  EXPECT_EQ(relisted[1], recording);
  EXPECT_THAT(Slurp(options.video_dir + "/index.html"),
              HasSubstr("Episode 1 (interrupted)"));
}

// A training run killed with SIGKILL while it records every episode and
// its evaluations (the learner queueing pictures, the session's thread and
// the evaluation's encoding): every video listed is whole, and every video
// left in progress ("-recording") opens and plays up to its last flush.
TEST(RecordingCrashTest, KilledTrainingRunLeavesPlayableVideos) {
  TrainingRunOptions options;
  options.trainer.env_id = "CartPole-v1";
  options.trainer.agent = "ppo";
  options.steps = 10000000;  // Killed long before.
  options.eval_every = 3000;
  options.run_dir = TempDir("killed-training");
  options.quiet = true;
  options.video.render_backend = "llvmpipe";
  options.video.record.mode = RecordMode::kEveryEpisodes;
  options.video.record.every = 1;
  options.video.encoder.flush_interval_ms = 200;
  const ChildResult child = RunInChild([&](const Say& say) {
    std::thread([] {
      std::this_thread::sleep_for(std::chrono::seconds(6));
      raise(SIGKILL);
    }).detach();
    std::ostringstream log;
    absl::StatusOr<TrainingSummary> run = RunTraining(options, log);
    say(run.ok() ? "the run ended" : run.status().ToString());
    return 1;
  });
  ASSERT_TRUE(child.killed_by_sigkill())
      << child.Describe() << ": " << child.message;
  int whole = 0, cut = 0;
  for (const std::string& dir :
       {options.run_dir + "/videos", options.run_dir + "/videos/eval"}) {
    for (const std::string& video : GalleryVideos(dir)) {
      const std::string stem = video.substr(0, video.rfind('.'));
      const std::string sidecar = Slurp(dir + "/" + stem + ".json");
      absl::StatusOr<DecodedVideo> decoded = DecodeVideo(dir + "/" + video);
      ASSERT_TRUE(decoded.ok()) << video << ": " << decoded.status();
      EXPECT_THAT(sidecar, HasSubstr(absl::StrCat(
                               "\"frames\": ", decoded->frames.size(), ",")))
          << video;
      EXPECT_EQ(decoded->corrupt_packets, 0) << video;
      ++whole;
    }
    for (const std::string& file : FilesIn(dir)) {
      if (!absl::StrContains(file, "-recording.")) continue;
      absl::StatusOr<DecodedVideo> decoded = DecodeVideo(dir + "/" + file);
      ASSERT_TRUE(decoded.ok()) << file << ": " << decoded.status();
      EXPECT_LE(decoded->corrupt_packets, 1) << file;
      ++cut;
    }
  }
  // Six seconds of training make dozens of videos (a few on a slow
  // machine); at most one training and one evaluation video are cut.
  EXPECT_GE(whole, 2);
  EXPECT_LE(cut, 2);
}

// The disk fills up mid-run (a 384 KiB tmpfs in the child's own mount
// namespace): the run fails with a clear error, and every video the gallery
// lists is complete.
TEST_P(RecordingCrashTest, FullDiskMidRunIsAClearErrorAndListedVideosPlay) {
  const std::string ext = GetParam();
  const std::string outside = TempDir(absl::StrCat("full-", ext));
  ASSERT_EQ(mkdir(outside.c_str(), 0755), 0);
  RunOptions options = SmallRun(absl::StrCat("full-", ext, "/disk"));
  options.env = "CartPole-v1";
  UseRecorder(ext, options);
  options.width = 320;
  options.height = 240;
  options.record.mode = RecordMode::kEveryEpisodes;
  options.episodes = 1000;  // Far more than fit.
  ASSERT_EQ(mkdir(options.video_dir.c_str(), 0755), 0);
  const ChildResult child = RunInChild([&](const Say& say) {
    if (unshare(CLONE_NEWNS) != 0 ||
        mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
        mount("tmpfs", options.video_dir.c_str(), "tmpfs", 0, "size=384k") !=
            0) {
      say(absl::StrCat("cannot mount a small tmpfs here: ",
                       std::strerror(errno)));
      return kChildSkipped;
    }
    std::ostringstream log;
    absl::StatusOr<RunSummary> run = PlayEpisodes(options, log);
    say(run.ok() ? "the run ended" : run.status().ToString());
    // Copy what is on the small disk out for the parent.
    for (const std::string& file : FilesIn(options.video_dir)) {
      std::ifstream in(options.video_dir + "/" + file, std::ios::binary);
      std::ofstream(outside + "/" + file, std::ios::binary) << in.rdbuf();
    }
    return run.ok() ? 1 : 0;
  });
  if (child.skipped()) GTEST_SKIP() << child.message;
  ASSERT_TRUE(child.exited_ok()) << child.Describe() << ": " << child.message;
  std::cout << "the error: " << child.message;
  EXPECT_THAT(child.message, HasSubstr("No space left on device"));
  EXPECT_THAT(child.message, HasSubstr(options.video_dir));

  const std::vector<std::string> listed = GalleryVideos(outside);
  ASSERT_GE(listed.size(), 2u) << child.message;
  for (const std::string& file : listed) {
    SCOPED_TRACE(file);
    absl::StatusOr<DecodedVideo> video = DecodeVideo(outside + "/" + file);
    ASSERT_TRUE(video.ok()) << video.status();
    EXPECT_GT(video->frames.size(), 5u);
    EXPECT_EQ(video->corrupt_packets, 0);
    const std::string json =
        Slurp(outside + "/" + file.substr(0, file.rfind('.')) + ".json");
    EXPECT_THAT(json,
                HasSubstr(absl::StrCat("\"frames\": ", video->frames.size())));
  }
}

// Write permission goes mid-episode (the directory becomes read-only and
// the process gives up root, which ignores permissions). The open video
// keeps being written, but cannot be renamed when it ends: a clear error,
// the video stays playable under its "-recording" name, and the videos
// before it stay listed and intact.
TEST_P(RecordingCrashTest, LostWritePermissionIsAClearErrorEarlierVideosStay) {
  const std::string ext = GetParam();
  RunOptions options = SmallRun(absl::StrCat("read-only-", ext));
  options.env = "CartPole-v1";
  options.agent = "balancing";
  UseRecorder(ext, options);
  options.record.mode = RecordMode::kEveryEpisodes;
  options.episodes = 3;
  const ChildResult child = RunInChild([&](const Say& say) {
    hook_action = 20;  // In episode 1.
    hook_at_action = [&] {
      chmod(options.video_dir.c_str(), 0555);
      if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) {
        say("cannot give up root");
        _exit(kChildSkipped);
      }
    };
    std::ostringstream log;
    absl::StatusOr<RunSummary> run = PlayEpisodes(options, log);
    say(run.ok() ? "the run ended" : run.status().ToString());
    return run.ok() ? 1 : 0;
  });
  chmod(options.video_dir.c_str(), 0755);
  if (child.skipped()) GTEST_SKIP() << child.message;
  ASSERT_TRUE(child.exited_ok()) << child.Describe() << ": " << child.message;
  std::cout << "the error: " << child.message;
  EXPECT_THAT(child.message, HasSubstr("PERMISSION_DENIED"));
  EXPECT_THAT(child.message, HasSubstr("Permission denied"));
  EXPECT_THAT(child.message, HasSubstr("-episode-1-steps-"));

  const std::vector<std::string> listed = GalleryVideos(options.video_dir);
  ASSERT_EQ(listed.size(), 1u);
  absl::StatusOr<DecodedVideo> first =
      DecodeVideo(options.video_dir + "/" + listed[0]);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_GT(first->frames.size(), 100u);
  std::string recording;
  for (const std::string& file : FilesIn(options.video_dir)) {
    if (absl::EndsWith(file, "-recording." + ext)) recording = file;
  }
  ASSERT_THAT(recording, StartsWith("CartPole-v1-episode-1-steps-"));
  absl::StatusOr<DecodedVideo> second =
      DecodeVideo(options.video_dir + "/" + recording);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_GT(second->frames.size(), 20u);  // Finished past the chmod.
  EXPECT_EQ(second->corrupt_packets, 0);
}

INSTANTIATE_TEST_SUITE_P(BothRecorders, RecordingCrashTest,
                         ::testing::Values("mp4", "webm"));

}  // namespace
}  // namespace rl
