// What is particular to the "mp4" recorder: x264's options and the
// fragmented MP4 layout. The contract all recorders share (round trips,
// sizes, errors, crashes, memory) is tested in recorder_conformance_test
// and recorder_robustness_test.

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/core/frame.h"
#include "rl/record/recorder.h"
#include "rl/record/test_frames.h"
#include "rl/record/video_decoder.h"

namespace rl {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

std::string OutputPath(absl::string_view name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return absl::StrCat(dir != nullptr ? dir : "/tmp", "/", name);
}

RecorderOptions Options(absl::string_view name, int width, int height,
                        int fps) {
  RecorderOptions options;
  options.path = OutputPath(name);
  options.width = width;
  options.height = height;
  options.fps = fps;
  options.encoder_options = "preset=veryfast";
  options.queue_frames = 0;
  return options;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The top-level boxes of an ISO BMFF file, by type, in file order.
std::vector<std::string> TopLevelBoxes(const std::string& bytes) {
  std::vector<std::string> boxes;
  size_t offset = 0;
  while (offset + 8 <= bytes.size()) {
    uint64_t size = 0;
    for (int i = 0; i < 4; ++i) {
      size = size << 8 | static_cast<uint8_t>(bytes[offset + i]);
    }
    boxes.push_back(bytes.substr(offset + 4, 4));
    if (size == 1 && offset + 16 <= bytes.size()) {  // 64-bit size.
      size = 0;
      for (int i = 8; i < 16; ++i) {
        size = size << 8 | static_cast<uint8_t>(bytes[offset + i]);
      }
    }
    if (size < 8) break;
    offset += size;
  }
  return boxes;
}

int Count(const std::vector<std::string>& boxes, const std::string& type) {
  int count = 0;
  for (const std::string& box : boxes) count += box == type;
  return count;
}

absl::Status Record(const RecorderOptions& options, int frames) {
  auto recorder = Recorders().Create("mp4", options);
  if (!recorder.ok()) return recorder.status();
  for (int i = 0; i < frames; ++i) {
    absl::Status status = (*recorder)->WriteFrame(
        MakeTestFrame(options.width, options.height, i));
    if (!status.ok()) return status;
  }
  return (*recorder)->Close();
}

TEST(Mp4RecorderTest, RejectsBadX264OptionsWithTheValidValues) {
  RecorderOptions options = Options("bad.mp4", 64, 48, 30);
  options.crf = 52;
  absl::StatusOr<std::unique_ptr<Recorder>> recorder =
      Recorders().Create("mp4", options);
  EXPECT_EQ(recorder.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(recorder.status().message(),
              AllOf(HasSubstr("mp4 recorder: crf is 52"), HasSubstr("1..51")));
  // 0 is x264's lossless mode, a profile browsers do not play.
  options.crf = 0;
  EXPECT_THAT(Recorders().Create("mp4", options).status().message(),
              AllOf(HasSubstr("mp4 recorder: crf is 0"), HasSubstr("1..51")));

  options.crf.reset();
  options.encoder_options = "preset=fastest";
  recorder = Recorders().Create("mp4", options);
  EXPECT_EQ(recorder.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(recorder.status().message(),
              AllOf(HasSubstr("mp4 recorder: unknown preset 'fastest'"),
                    HasSubstr("ultrafast superfast veryfast faster fast "
                              "medium slow slower veryslow placebo")));

  // A webm key is not an mp4 one: refused with mp4's own keys.
  options.encoder_options = "speed=4";
  recorder = Recorders().Create("mp4", options);
  EXPECT_EQ(recorder.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(recorder.status().message(),
              AllOf(HasSubstr("mp4 recorder: unknown encoder option 'speed'"),
                    HasSubstr("valid options are preset (ultrafast "),
                    HasSubstr("placebo)")));
  EXPECT_EQ(CheckRecorderSettings("mp4", options), recorder.status());
}

TEST(Mp4RecorderTest, PresetIsTakenFromTheEncoderOptions) {
  RecorderOptions options = Options("preset.mp4", 64, 48, 25);
  options.encoder_options = " preset = ultrafast ";
  auto recorder = Recorders().Create("mp4", options);
  ASSERT_TRUE(recorder.ok()) << recorder.status();
  EXPECT_THAT((*recorder)->info().settings,
              Contains(Pair("preset", "ultrafast")));
}

TEST(Mp4RecorderTest, IsH264HighWithExactTimestamps) {
  EXPECT_THAT(Recorders().Description("mp4"), HasSubstr("H.264"));
  const RecorderOptions options = Options("exact.mp4", 96, 64, 30);
  ASSERT_TRUE(Record(options, 45).ok());
  auto video = DecodeVideo(options.path);
  ASSERT_TRUE(video.ok()) << video.status();
  EXPECT_EQ(video->codec_name, "h264");
  EXPECT_EQ(video->profile, "High");
  ASSERT_EQ(video->pts_seconds.size(), 45);
  // MP4 keeps the encoder's 1/fps time base: no rounding at all.
  for (size_t i = 0; i < video->pts_seconds.size(); ++i) {
    EXPECT_NEAR(video->pts_seconds[i], i / 30.0, 1e-6) << "frame " << i;
  }
}

TEST(Mp4RecorderTest, DefaultsAreCrf23AndAKeyframeEverySecond) {
  RecorderOptions options = Options("defaults.mp4", 64, 48, 25);
  options.encoder_options = "";  // preset medium, x264's own default.
  auto recorder = Recorders().Create("mp4", options);
  ASSERT_TRUE(recorder.ok()) << recorder.status();
  EXPECT_EQ((*recorder)->info().profile, "High");
  EXPECT_THAT(
      (*recorder)->info().settings,
      ElementsAre(Pair("crf", "23"), Pair("preset", "medium"),
                  Pair("tune", "zerolatency"), Pair("keyframe_interval", "25"),
                  Pair("threads", "auto"), Pair("fragment_ms", "500")));
}

// The index (moov) comes first, so a browser plays from the first byte,
// and the video is cut into fragments at every keyframe and at least every
// flush_interval_ms: 90 frames at 30 fps, 500 ms -> 6 fragments of 15.
TEST(Mp4RecorderTest, IndexComesFirstAndFragmentsFollowTheFlushInterval) {
  const RecorderOptions options = Options("fragments.mp4", 160, 120, 30);
  ASSERT_TRUE(Record(options, 90).ok());
  const std::vector<std::string> boxes = TopLevelBoxes(ReadFile(options.path));
  ASSERT_GE(boxes.size(), 3u);
  EXPECT_EQ(boxes[0], "ftyp");
  EXPECT_EQ(boxes[1], "moov");
  EXPECT_EQ(boxes[2], "moof");
  EXPECT_EQ(Count(boxes, "moof"), 6);
  EXPECT_EQ(Count(boxes, "mdat"), 6);
  EXPECT_EQ(boxes.back(), "mfra");  // The random-access index, at the end.

  RecorderOptions often = Options("fragments_often.mp4", 160, 120, 30);
  often.flush_interval_ms = 100;  // 3 frames per fragment.
  ASSERT_TRUE(Record(often, 90).ok());
  EXPECT_EQ(Count(TopLevelBoxes(ReadFile(often.path)), "moof"), 30);
}

// Fragments reach the file while the video is still being written: that
// is what a crash leaves behind.
TEST(Mp4RecorderTest, CompleteFragmentsAreOnDiskBeforeClose) {
  const RecorderOptions options = Options("open.mp4", 160, 120, 30);
  auto recorder = Recorders().Create("mp4", options);
  ASSERT_TRUE(recorder.ok()) << recorder.status();
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE((*recorder)->WriteFrame(MakeTestFrame(160, 120, i)).ok());
  }
  // Frames 0-14 and 15-29 are complete fragments; 30-39 are still open.
  const std::vector<std::string> boxes = TopLevelBoxes(ReadFile(options.path));
  EXPECT_EQ(Count(boxes, "moof"), 2);
  absl::StatusOr<DecodedVideo> video = DecodeVideo(options.path);
  ASSERT_TRUE(video.ok()) << video.status();
  EXPECT_EQ(video->frames.size(), 30u);
  ASSERT_TRUE((*recorder)->Close().ok());
}

TEST(Mp4RecorderTest, LowerCrfIsLargerAndCloser) {
  RecorderOptions fine = Options("crf_fine.mp4", 320, 240, 30);
  fine.crf = 12;
  RecorderOptions coarse = Options("crf_coarse.mp4", 320, 240, 30);
  coarse.crf = 40;
  ASSERT_TRUE(Record(fine, 30).ok());
  ASSERT_TRUE(Record(coarse, 30).ok());
  EXPECT_GT(ReadFile(fine.path).size(), ReadFile(coarse.path).size());
  auto fine_video = DecodeVideo(fine.path);
  auto coarse_video = DecodeVideo(coarse.path);
  ASSERT_TRUE(fine_video.ok() && coarse_video.ok());
  const Frame input = MakeTestFrame(320, 240, 29);
  EXPECT_GT(Psnr(input, fine_video->frames.back()),
            Psnr(input, coarse_video->frames.back()));
}

}  // namespace
}  // namespace rl
