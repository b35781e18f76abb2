// Tests of the "mp4" recorder that decode what it wrote through FFmpeg and
// compare the frames, the timing and the tags with what went in.

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/core/frame.h"
#include "rl/record/recorder.h"
#include "rl/record/video_decoder.h"

namespace rl {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

// Frames at crf 18 must decode to within this PSNR of their input: x264 at
// crf 18 is "visually lossless"; these synthetic frames measure ~45 dB, so 35
// leaves room yet fails on a wrong colour matrix, range or misplaced pixels.
constexpr double kMinPsnrDb = 35.0;

std::string OutputPath(absl::string_view name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return absl::StrCat(dir != nullptr ? dir : "/tmp", "/", name);
}

// Frame `index` of a test video: on the left a grid of saturated solid
// colours that shifts every frame, on the right a smooth gradient whose blue
// changes every frame. The grid's blocks are 32 pixels, aligned on the 16x16
// macroblocks and on the 2x2 chroma samples, so 4:2:0 itself loses nothing
// at their edges.
Frame MakeFrame(int width, int height, int index) {
  static constexpr Rgb kPalette[] = {
      {255, 0, 0},   {0, 255, 0},   {0, 0, 255},     {255, 255, 0},
      {0, 255, 255}, {255, 0, 255}, {255, 255, 255}, {16, 16, 16}};
  constexpr int kBlock = 32;
  Frame frame(width, height);
  const int grid_width = width / 2 / kBlock * kBlock;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      Rgb color;
      if (x < grid_width) {
        color = kPalette[(x / kBlock + 3 * (y / kBlock) + index) % 8];
      } else {
        color.r = static_cast<uint8_t>(255 * x / width);
        color.g = static_cast<uint8_t>(255 * y / height);
        color.b = static_cast<uint8_t>((index * 16) % 256);
      }
      uint8_t* pixel = frame.data() + (static_cast<size_t>(y) * width + x) * 3;
      pixel[0] = color.r;
      pixel[1] = color.g;
      pixel[2] = color.b;
    }
  }
  return frame;
}

// `frame` grown to `width` x `height` by repeating its last column and row.
Frame Pad(const Frame& frame, int width, int height) {
  Frame padded(width, height);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const Rgb color = frame.at(std::min(x, frame.width() - 1),
                                 std::min(y, frame.height() - 1));
      uint8_t* pixel = padded.data() + (static_cast<size_t>(y) * width + x) * 3;
      pixel[0] = color.r;
      pixel[1] = color.g;
      pixel[2] = color.b;
    }
  }
  return padded;
}

// PSNR in dB of `actual` against `expected` over `expected`'s size.
double Psnr(const Frame& expected, const Frame& actual) {
  double squared_error = 0;
  for (int y = 0; y < expected.height(); ++y) {
    for (int x = 0; x < expected.width(); ++x) {
      const Rgb e = expected.at(x, y);
      const Rgb a = actual.at(x, y);
      squared_error += (e.r - a.r) * (e.r - a.r) + (e.g - a.g) * (e.g - a.g) +
                       (e.b - a.b) * (e.b - a.b);
    }
  }
  const double mse =
      squared_error / (3.0 * expected.width() * expected.height());
  return mse == 0 ? 100.0 : 10.0 * std::log10(255.0 * 255.0 / mse);
}

RecorderOptions Options(absl::string_view name, int width, int height,
                        int fps) {
  RecorderOptions options;
  options.path = OutputPath(name);
  options.width = width;
  options.height = height;
  options.fps = fps;
  options.crf = 18;
  options.preset = "veryfast";
  return options;
}

// Writes `frames` frames of MakeFrame and closes the recorder.
absl::Status Record(const RecorderOptions& options, int frames) {
  absl::StatusOr<std::unique_ptr<Recorder>> recorder =
      Recorders().Create("mp4", options);
  if (!recorder.ok()) return recorder.status();
  for (int i = 0; i < frames; ++i) {
    absl::Status status =
        (*recorder)->WriteFrame(MakeFrame(options.width, options.height, i));
    if (!status.ok()) return status;
  }
  return (*recorder)->Close();
}

// Checks that decoded frame i is MakeFrame(..., i) (padded to even) with a
// PSNR above kMinPsnrDb, timed at i / fps.
void ExpectFramesMatch(const DecodedVideo& video,
                       const RecorderOptions& options) {
  for (size_t i = 0; i < video.frames.size(); ++i) {
    const Frame expected = Pad(MakeFrame(options.width, options.height, i),
                               video.width, video.height);
    EXPECT_GT(Psnr(expected, video.frames[i]), kMinPsnrDb) << "frame " << i;
    EXPECT_NEAR(video.pts_seconds[i], static_cast<double>(i) / options.fps,
                1e-6)
        << "frame " << i;
  }
}

TEST(Mp4RecorderTest, IsRegistered) {
  EXPECT_TRUE(Recorders().Contains("mp4"));
  EXPECT_THAT(Recorders().Description("mp4"), HasSubstr("H.264"));
}

TEST(Mp4RecorderTest, RoundTripKeepsFramesTimingAndColourTags) {
  const RecorderOptions options = Options("round_trip.mp4", 600, 400, 30);
  constexpr int kFrames = 45;
  ASSERT_TRUE(Record(options, kFrames).ok());

  absl::StatusOr<DecodedVideo> video = DecodeVideo(options.path);
  ASSERT_TRUE(video.ok()) << video.status();
  EXPECT_EQ(video->codec_name, "h264");
  EXPECT_EQ(video->profile, "High");
  EXPECT_EQ(video->pix_fmt, "yuv420p");
  EXPECT_EQ(video->width, 600);
  EXPECT_EQ(video->height, 400);
  ASSERT_EQ(video->frames.size(), kFrames);
  EXPECT_EQ(video->corrupt_packets, 0);
  EXPECT_NEAR(video->duration_seconds, 1.5, 1.0 / 30);
  EXPECT_EQ(video->avg_frame_rate_num, 30 * video->avg_frame_rate_den);
  EXPECT_EQ(video->color_primaries, "bt709");
  EXPECT_EQ(video->color_transfer, "bt709");
  EXPECT_EQ(video->color_space, "bt709");
  EXPECT_EQ(video->color_range, "tv");
  ExpectFramesMatch(*video, options);
}

TEST(Mp4RecorderTest, OddSizeIsPaddedByRepeatingLastColumnAndRow) {
  const RecorderOptions options = Options("odd.mp4", 601, 401, 25);
  ASSERT_TRUE(Record(options, 10).ok());

  absl::StatusOr<DecodedVideo> video = DecodeVideo(options.path);
  ASSERT_TRUE(video.ok()) << video.status();
  EXPECT_EQ(video->width, 602);
  EXPECT_EQ(video->height, 402);
  ASSERT_EQ(video->frames.size(), 10);
  ExpectFramesMatch(*video, options);  // Compares the padding too.
}

TEST(Mp4RecorderTest, TinyAndExtremeSizesWork) {
  for (const auto& [width, height] :
       std::vector<std::pair<int, int>>{{1, 1}, {3, 5}, {8192, 2}}) {
    const RecorderOptions options = Options(
        absl::StrCat("size_", width, "x", height, ".mp4"), width, height, 30);
    ASSERT_TRUE(Record(options, 3).ok()) << width << "x" << height;
    absl::StatusOr<DecodedVideo> video = DecodeVideo(options.path);
    ASSERT_TRUE(video.ok()) << video.status();
    EXPECT_EQ(video->width, (width + 1) / 2 * 2);
    EXPECT_EQ(video->height, (height + 1) / 2 * 2);
    EXPECT_EQ(video->frames.size(), 3);
  }
}

TEST(Mp4RecorderTest, OneFrameVideo) {
  const RecorderOptions options = Options("one_frame.mp4", 64, 48, 50);
  ASSERT_TRUE(Record(options, 1).ok());

  absl::StatusOr<DecodedVideo> video = DecodeVideo(options.path);
  ASSERT_TRUE(video.ok()) << video.status();
  ASSERT_EQ(video->frames.size(), 1);
  EXPECT_NEAR(video->duration_seconds, 1.0 / 50, 1.0 / 50);
  ExpectFramesMatch(*video, options);
}

TEST(Mp4RecorderTest, RejectsBadOptionsWithTheValidRange) {
  struct Case {
    void (*change)(RecorderOptions&);
    std::vector<std::string> message_parts;
  };
  const std::vector<Case> cases = {
      {[](RecorderOptions& o) { o.width = 0; }, {"width is 0", "1..8192"}},
      {[](RecorderOptions& o) { o.width = 8193; }, {"width is 8193"}},
      {[](RecorderOptions& o) { o.height = -4; }, {"height is -4", "1..8192"}},
      {[](RecorderOptions& o) { o.height = 9000; }, {"height is 9000"}},
      {[](RecorderOptions& o) { o.fps = 0; }, {"fps is 0", "1..240"}},
      {[](RecorderOptions& o) { o.fps = 241; }, {"fps is 241", "1..240"}},
      {[](RecorderOptions& o) { o.crf = -1; }, {"crf is -1", "0..51"}},
      {[](RecorderOptions& o) { o.crf = 52; }, {"crf is 52", "0..51"}},
      {[](RecorderOptions& o) { o.preset = "fastest"; },
       {"'fastest'",
        "ultrafast superfast veryfast faster fast medium slow "
        "slower veryslow placebo"}},
  };
  for (const Case& c : cases) {
    RecorderOptions options = Options("bad_options.mp4", 64, 48, 30);
    c.change(options);
    absl::StatusOr<std::unique_ptr<Recorder>> recorder =
        Recorders().Create("mp4", options);
    ASSERT_FALSE(recorder.ok());
    EXPECT_EQ(recorder.status().code(), absl::StatusCode::kInvalidArgument);
    for (const std::string& part : c.message_parts) {
      EXPECT_THAT(recorder.status().message(), HasSubstr(part));
    }
  }
  struct stat info;
  EXPECT_NE(stat(OutputPath("bad_options.mp4").c_str(), &info), 0)
      << "bad options must not create the file";
}

TEST(Mp4RecorderTest, MissingDirectoryFailsWithPathAndReason) {
  const RecorderOptions options =
      Options("no/such/directory/video.mp4", 64, 48, 30);
  absl::StatusOr<std::unique_ptr<Recorder>> recorder =
      Recorders().Create("mp4", options);
  ASSERT_FALSE(recorder.ok());
  EXPECT_EQ(recorder.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(
      recorder.status().message(),
      AllOf(HasSubstr(options.path), HasSubstr("No such file or directory"),
            HasSubstr("exists and is writable")));
}

TEST(Mp4RecorderTest, WrongSizeFrameIsRejectedAndEarlierFramesSurvive) {
  const RecorderOptions options = Options("wrong_size.mp4", 64, 48, 30);
  absl::StatusOr<std::unique_ptr<Recorder>> recorder =
      Recorders().Create("mp4", options);
  ASSERT_TRUE(recorder.ok()) << recorder.status();
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE((*recorder)->WriteFrame(MakeFrame(64, 48, i)).ok());
  }
  const absl::Status status = (*recorder)->WriteFrame(MakeFrame(48, 64, 5));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), AllOf(HasSubstr("48x64"), HasSubstr("64x48")));
  EXPECT_EQ((*recorder)->frames_written(), 5);
  ASSERT_TRUE((*recorder)->Close().ok());

  absl::StatusOr<DecodedVideo> video = DecodeVideo(options.path);
  ASSERT_TRUE(video.ok()) << video.status();
  ASSERT_EQ(video->frames.size(), 5);
  ExpectFramesMatch(*video, options);
}

TEST(Mp4RecorderTest, CloseIsIdempotentAndWritingAfterItFails) {
  const RecorderOptions options = Options("close_twice.mp4", 64, 48, 30);
  absl::StatusOr<std::unique_ptr<Recorder>> recorder =
      Recorders().Create("mp4", options);
  ASSERT_TRUE(recorder.ok()) << recorder.status();
  EXPECT_EQ((*recorder)->path(), options.path);
  ASSERT_TRUE((*recorder)->WriteFrame(MakeFrame(64, 48, 0)).ok());
  EXPECT_TRUE((*recorder)->Close().ok());
  EXPECT_TRUE((*recorder)->Close().ok());
  EXPECT_EQ((*recorder)->WriteFrame(MakeFrame(64, 48, 1)).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ((*recorder)->frames_written(), 1);
}

TEST(Mp4RecorderTest, DestructorClosesTheFile) {
  const RecorderOptions options = Options("destructor.mp4", 64, 48, 30);
  {
    absl::StatusOr<std::unique_ptr<Recorder>> recorder =
        Recorders().Create("mp4", options);
    ASSERT_TRUE(recorder.ok()) << recorder.status();
    for (int i = 0; i < 40; ++i) {
      ASSERT_TRUE((*recorder)->WriteFrame(MakeFrame(64, 48, i)).ok());
    }
  }
  absl::StatusOr<DecodedVideo> video = DecodeVideo(options.path);
  ASSERT_TRUE(video.ok()) << video.status();
  EXPECT_EQ(video->frames.size(), 40);
  EXPECT_NEAR(video->duration_seconds, 40.0 / 30, 1.0 / 30);
}

// A process killed mid-recording leaves a file that plays up to the last
// fragment it completed: at most one keyframe interval (fps frames) is lost.
TEST(Mp4RecorderTest, KilledProcessLeavesPlayablePrefix) {
  const RecorderOptions options = Options("killed.mp4", 160, 120, 10);
  constexpr int kFrames = 35;
  const pid_t child = fork();
  ASSERT_NE(child, -1);
  if (child == 0) {
    // Never returns into the test framework: exits 1 on an error, else dies.
    absl::StatusOr<std::unique_ptr<Recorder>> recorder =
        Recorders().Create("mp4", options);
    if (!recorder.ok()) _exit(1);
    for (int i = 0; i < kFrames; ++i) {
      if (!(*recorder)->WriteFrame(MakeFrame(160, 120, i)).ok()) _exit(1);
    }
    raise(SIGKILL);
    _exit(1);
  }
  int wait_status = 0;
  ASSERT_EQ(waitpid(child, &wait_status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(wait_status) && WTERMSIG(wait_status) == SIGKILL)
      << "child failed to record, wait status " << wait_status;

  absl::StatusOr<DecodedVideo> video = DecodeVideo(options.path);
  ASSERT_TRUE(video.ok()) << video.status();
  EXPECT_EQ(video->corrupt_packets, 0);  // It ends on a fragment boundary.
  EXPECT_GE(video->frames.size(), kFrames - options.fps);
  EXPECT_LE(video->frames.size(), kFrames);
  ExpectFramesMatch(*video, options);
}

// A write error (here the file size limit, as a full disk would) fails the
// frame, sticks, and Close() still finalizes what fitted. Runs in a child
// process to set the limit; the child reports through its exit code.
TEST(Mp4RecorderTest, WriteErrorSticksAndEarlierFragmentsStayPlayable) {
  const RecorderOptions options = Options("write_error.mp4", 160, 120, 10);
  constexpr int kNoError = 10, kNotSticky = 11, kCloseOk = 12, kBadMessage = 13,
                kSetupFailed = 14;
  const pid_t child = fork();
  ASSERT_NE(child, -1);
  if (child == 0) {
    signal(SIGXFSZ, SIG_IGN);  // write() then fails with EFBIG instead.
    const rlimit limit = {20000, 20000};
    if (setrlimit(RLIMIT_FSIZE, &limit) != 0) _exit(kSetupFailed);
    absl::StatusOr<std::unique_ptr<Recorder>> recorder =
        Recorders().Create("mp4", options);
    if (!recorder.ok()) _exit(kSetupFailed);
    absl::Status error;
    for (int i = 0; i < 1000 && error.ok(); ++i) {
      error = (*recorder)->WriteFrame(MakeFrame(160, 120, i));
    }
    if (error.ok()) _exit(kNoError);
    if (!absl::StrContains(error.message(), "File too large") ||
        !absl::StrContains(error.message(), options.path)) {
      _exit(kBadMessage);
    }
    if ((*recorder)->WriteFrame(MakeFrame(160, 120, 0)) != error) {
      _exit(kNotSticky);
    }
    if ((*recorder)->Close() != error) _exit(kCloseOk);
    _exit(0);
  }
  int wait_status = 0;
  ASSERT_EQ(waitpid(child, &wait_status, 0), child);
  ASSERT_TRUE(WIFEXITED(wait_status));
  ASSERT_EQ(WEXITSTATUS(wait_status), 0)
      << "10: no error, 11: not sticky, 12: Close() ok, 13: bad message, "
         "14: setup failed";

  absl::StatusOr<DecodedVideo> video = DecodeVideo(options.path);
  ASSERT_TRUE(video.ok()) << video.status();
  EXPECT_GE(video->frames.size(), options.fps);
  ExpectFramesMatch(*video, options);
}

}  // namespace
}  // namespace rl
