#include "rl/run/run_directory.h"

#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace rl {
namespace {

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class RunDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        absl::StrCat(std::getenv("TEST_TMPDIR"), "/run_dir-XXXXXX");
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void OldRun() {
    std::filesystem::create_directories(dir_ + "/checkpoints");
    std::ofstream(dir_ + "/metrics.csv") << "old metrics";
    std::ofstream(dir_ + "/checkpoints/latest.ckpt") << "old checkpoint";
    std::ofstream(dir_ + "/notes.txt") << "the user's";
  }
  std::string dir_;
};

TEST_F(RunDirectoryTest, ARunIsRefusedUnlessOverwrittenOrResumed) {
  OldRun();
  RunDirectory dir(dir_);
  absl::Status status = dir.Check(/*resuming=*/false, /*overwrite=*/false);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StrContains(
      status.message(), "--resume=" + dir_ + "/checkpoints/latest.ckpt"))
      << status;
  EXPECT_TRUE(dir.Check(/*resuming=*/true, /*overwrite=*/false).ok());
  EXPECT_TRUE(dir.Check(/*resuming=*/false, /*overwrite=*/true).ok());
  std::filesystem::remove(dir_ + "/checkpoints/latest.ckpt");
  status = dir.Check(false, false);
  EXPECT_TRUE(absl::StrContains(status.message(), "left no checkpoint"))
      << status;
}

TEST_F(RunDirectoryTest, AFailedReplacementPutsTheOldRunBack) {
  OldRun();
  RunDirectory dir(dir_);
  ASSERT_TRUE(dir.Check(false, true).ok());
  ASSERT_TRUE(dir.MoveAside().ok());
  EXPECT_TRUE(dir.replacing());
  EXPECT_FALSE(PathExists(dir_ + "/metrics.csv"));
  std::ofstream(dir_ + "/metrics.csv") << "new metrics";
  std::ofstream(dir_ + "/evals.csv") << "new evals";
  dir.RemoveNewRunAndRestore();
  EXPECT_EQ(Read(dir_ + "/metrics.csv"), "old metrics");
  EXPECT_EQ(Read(dir_ + "/checkpoints/latest.ckpt"), "old checkpoint");
  EXPECT_FALSE(PathExists(dir_ + "/evals.csv"));
  EXPECT_EQ(Read(dir_ + "/notes.txt"), "the user's");
  int entries = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
    EXPECT_FALSE(absl::StrContains(entry.path().string(), ".replaced-"));
    ++entries;
  }
  EXPECT_EQ(entries, 3);  // metrics.csv, checkpoints, notes.txt.
}

TEST_F(RunDirectoryTest, AStartedReplacementDropsTheOldRun) {
  OldRun();
  RunDirectory dir(dir_);
  ASSERT_TRUE(dir.Check(false, true).ok());
  ASSERT_TRUE(dir.MoveAside().ok());
  std::ofstream(dir_ + "/metrics.csv") << "new metrics";
  EXPECT_EQ(dir.DropAside(), "");
  EXPECT_FALSE(dir.replacing());
  EXPECT_EQ(Read(dir_ + "/metrics.csv"), "new metrics");
  EXPECT_FALSE(PathExists(dir_ + "/checkpoints"));
  EXPECT_EQ(Read(dir_ + "/notes.txt"), "the user's");
}

TEST_F(RunDirectoryTest, ANewDirectoryThatFailedIsRemoved) {
  const std::string fresh = dir_ + "/fresh";
  RunDirectory dir(fresh);
  ASSERT_TRUE(dir.Check(false, false).ok());
  std::filesystem::create_directories(fresh + "/videos");
  std::ofstream(fresh + "/metrics.csv") << "new";
  dir.RemoveNewRunAndRestore();
  EXPECT_FALSE(PathExists(fresh));
}

}  // namespace
}  // namespace rl
