#include "rl/core/file_util.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
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
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

void Write(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

class FileUtilTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern =
        absl::StrCat(std::getenv("TEST_TMPDIR"), "/file_util-XXXXXX");
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    victim_ = dir_ + "/victim.txt";
    Write(victim_, "precious");
  }
  std::string dir_, victim_;
};

TEST_F(FileUtilTest, WritesAndReplacesLeavingNoTemporaryFile) {
  const std::string path = dir_ + "/page.html";
  ASSERT_TRUE(WriteFileAtomically(path, "one").ok());
  ASSERT_TRUE(WriteFileAtomically(path, "two", /*sync=*/true).ok());
  EXPECT_EQ(Read(path), "two");
  struct stat info;
  ASSERT_EQ(stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0644);
  ASSERT_TRUE(CheckNoSymlinksBelow(dir_).ok());
  // Only page.html and victim.txt: no temporary file left behind.
  int entries = 0;
  for (const char* name : {"/page.html", "/victim.txt"}) {
    entries += access((dir_ + name).c_str(), F_OK) == 0;
  }
  EXPECT_EQ(entries, 2);
}

TEST_F(FileUtilTest, PlantedTemporaryNameIsNotWrittenThrough) {
  // The old scheme wrote "<path>.tmp": a link there redirected the write.
  const std::string path = dir_ + "/index.html";
  ASSERT_EQ(symlink(victim_.c_str(), (path + ".tmp").c_str()), 0);
  ASSERT_TRUE(WriteFileAtomically(path, "page").ok());
  EXPECT_EQ(Read(victim_), "precious");
  EXPECT_EQ(Read(path), "page");
  struct stat info;
  ASSERT_EQ(lstat(path.c_str(), &info), 0);
  EXPECT_TRUE(S_ISREG(info.st_mode));
}

TEST_F(FileUtilTest, TargetThatIsALinkIsRefused) {
  const std::string path = dir_ + "/config.json";
  ASSERT_EQ(symlink(victim_.c_str(), path.c_str()), 0);
  absl::Status status = WriteFileAtomically(path, "{}");
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find("symbolic link"), std::string::npos)
      << status;
  EXPECT_EQ(Read(victim_), "precious");
  EXPECT_EQ(CheckNotSymlink(path).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(CheckNotSymlink(victim_).ok());
  EXPECT_TRUE(CheckNotSymlink(dir_ + "/missing").ok());
  // Renaming onto the link is refused too.
  Write(dir_ + "/new", "x");
  EXPECT_EQ(RenameFile(dir_ + "/new", path).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(FileUtilTest, RenameNoReplaceKeepsAnExistingFile) {
  Write(dir_ + "/a", "new");
  absl::Status status = RenameNoReplace(dir_ + "/a", victim_);
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists) << status;
  EXPECT_EQ(Read(victim_), "precious");
  ASSERT_TRUE(RenameNoReplace(dir_ + "/a", dir_ + "/b").ok());
  EXPECT_EQ(Read(dir_ + "/b"), "new");
  EXPECT_NE(access((dir_ + "/a").c_str(), F_OK), 0);
}

TEST_F(FileUtilTest, OverwriteInPlaceReplacesTheContentsNeverThroughALink) {
  const std::string path = dir_ + "/index.html";
  Write(path, "a long page that says the run is still training");
  ASSERT_TRUE(OverwriteInPlace(path, "failed").ok());
  EXPECT_EQ(Read(path), "failed");
  const std::string link = dir_ + "/linked.html";
  ASSERT_EQ(symlink(victim_.c_str(), link.c_str()), 0);
  EXPECT_EQ(OverwriteInPlace(link, "x").code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Read(victim_), "precious");
}

TEST_F(FileUtilTest, TargetThatIsADirectoryIsRefused) {
  const std::string path = dir_ + "/metrics.csv";
  ASSERT_EQ(mkdir(path.c_str(), 0755), 0);
  EXPECT_EQ(WriteFileAtomically(path, "x").code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(FileUtilTest, AppendCreatesAppendsAndRefusesLinks) {
  const std::string path = dir_ + "/metrics.csv";
  {
    auto file = AppendFile::Open(path);
    ASSERT_TRUE(file.ok()) << file.status();
    EXPECT_TRUE(file->was_empty());
    ASSERT_TRUE(file->Append("a,b\n").ok());
  }
  {
    auto file = AppendFile::Open(path);
    ASSERT_TRUE(file.ok()) << file.status();
    EXPECT_FALSE(file->was_empty());
    ASSERT_TRUE(file->Append("1,2\n").ok());
  }
  EXPECT_EQ(Read(path), "a,b\n1,2\n");
  const std::string link = dir_ + "/evals.csv";
  ASSERT_EQ(symlink(victim_.c_str(), link.c_str()), 0);
  auto refused = AppendFile::Open(link);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Read(victim_), "precious");
}

TEST_F(FileUtilTest, MakeDirectoriesMakesParentsAndSaysWhatFailed) {
  const std::string deep = dir_ + "/a/b/c";
  ASSERT_TRUE(MakeDirectories(deep).ok());
  struct stat info;
  ASSERT_EQ(stat(deep.c_str(), &info), 0);
  EXPECT_TRUE(S_ISDIR(info.st_mode));
  EXPECT_TRUE(MakeDirectories(deep).ok()) << "an existing one is fine";

  ASSERT_TRUE(WriteFileAtomically(dir_ + "/file", "x").ok());
  absl::Status status = MakeDirectories(dir_ + "/file", "video directory");
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(),
            "video directory " + dir_ + "/file exists and is not a directory");
  status = MakeDirectories(dir_ + "/file/below", "run directory");
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(
      absl::StartsWith(status.message(),
                       "cannot create run directory " + dir_ + "/file/below: "))
      << status;
  EXPECT_EQ(MakeDirectories("").code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(FileUtilTest, MissingDirectoryIsAClearError) {
  absl::Status status = WriteFileAtomically(dir_ + "/no/such/file", "x");
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(status.message().find("no/such/file"), std::string::npos);
}

TEST_F(FileUtilTest, FindsALinkDeepBelow) {
  ASSERT_EQ(mkdir((dir_ + "/videos").c_str(), 0755), 0);
  ASSERT_EQ(mkdir((dir_ + "/videos/eval").c_str(), 0755), 0);
  EXPECT_TRUE(CheckNoSymlinksBelow(dir_).ok());
  ASSERT_EQ(
      symlink(victim_.c_str(), (dir_ + "/videos/eval/index.html").c_str()), 0);
  absl::Status status = CheckNoSymlinksBelow(dir_);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find("videos/eval/index.html"), std::string::npos)
      << status;
  EXPECT_TRUE(CheckNoSymlinksBelow(dir_ + "/missing").ok());
}

}  // namespace
}  // namespace rl
