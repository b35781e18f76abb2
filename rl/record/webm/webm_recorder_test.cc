// What is particular to the "webm" recorder: libvpx's knobs and the WebM
// layout that survives a crash. The contract all recorders share is tested
// in recorder_conformance_test and recorder_robustness_test.

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

constexpr uint32_t kSegmentId = 0x18538067;
constexpr uint32_t kClusterId = 0x1F43B675;
constexpr uint32_t kCuesId = 0x1C53BB6B;

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
  options.queue_frames = 0;
  return options;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The layout of a WebM file: whether the Segment's size is still unknown,
// and the IDs of the Segment's children in file order.
struct WebmLayout {
  bool segment_size_unknown = false;
  std::vector<uint32_t> children;
  int Count(uint32_t id) const {
    int count = 0;
    for (uint32_t child : children) count += child == id;
    return count;
  }
};

// Reads an EBML variable-length integer at `offset`; keeps the length
// marker for IDs. Returns false past the end.
bool ReadVint(const std::string& bytes, size_t& offset, bool is_id,
              uint64_t* value, bool* all_ones) {
  if (offset >= bytes.size()) return false;
  const uint8_t first = bytes[offset];
  int length = 1;
  while (length <= 8 && !(first & (0x80 >> (length - 1)))) ++length;
  if (length > 8 || offset + length > bytes.size()) return false;
  uint64_t result = is_id ? first : first & (0xFF >> length);
  bool ones = (first & (0xFF >> length)) == (0xFF >> length);
  for (int i = 1; i < length; ++i) {
    const uint8_t byte = bytes[offset + i];
    result = result << 8 | byte;
    ones = ones && byte == 0xFF;
  }
  offset += length;
  *value = result;
  if (all_ones != nullptr) *all_ones = ones;
  return true;
}

WebmLayout ParseWebm(const std::string& bytes) {
  WebmLayout layout;
  size_t offset = 0;
  uint64_t id, size;
  bool unknown;
  // The EBML header, then the Segment.
  while (ReadVint(bytes, offset, true, &id, nullptr) &&
         ReadVint(bytes, offset, false, &size, &unknown)) {
    if (id != kSegmentId) {
      offset += size;
      continue;
    }
    layout.segment_size_unknown = unknown;
    while (ReadVint(bytes, offset, true, &id, nullptr) &&
           ReadVint(bytes, offset, false, &size, &unknown) && !unknown) {
      if (offset + size > bytes.size()) break;  // Torn: not complete.
      layout.children.push_back(static_cast<uint32_t>(id));
      offset += size;
    }
    break;
  }
  return layout;
}

absl::Status Record(const RecorderOptions& options, int frames) {
  auto recorder = Recorders().Create("webm", options);
  if (!recorder.ok()) return recorder.status();
  for (int i = 0; i < frames; ++i) {
    absl::Status status = (*recorder)->WriteFrame(
        MakeTestFrame(options.width, options.height, i));
    if (!status.ok()) return status;
  }
  return (*recorder)->Close();
}

TEST(WebmRecorderTest, RejectsBadVp9OptionsWithTheValidRange) {
  struct Case {
    void (*change)(RecorderOptions&);
    std::string message;
  };
  const Case cases[] = {
      {[](RecorderOptions& o) { o.crf = 64; },
       "crf is 64, valid range is 0..63"},
      {[](RecorderOptions& o) { o.encoder_options = "speed=10"; },
       "speed is 10, valid range is 0..9"},
      {[](RecorderOptions& o) { o.encoder_options = "speed=fast"; },
       "speed is fast, valid range is 0..9"},
      {[](RecorderOptions& o) { o.encoder_options = "tile_columns=7"; },
       "tile_columns is 7, valid range is -1..6"},
      {[](RecorderOptions& o) { o.encoder_options = "row_mt=yes"; },
       "row_mt is 'yes', valid values are 0, 1"},
      {[](RecorderOptions& o) { o.encoder_options = "speed=6,speed=7"; },
       "speed is given twice"},
      {[](RecorderOptions& o) { o.encoder_options = "preset=fast"; },
       "unknown encoder option 'preset': valid options are speed (0..9), "
       "row_mt (0 or 1), tile_columns (-1..6)"},
  };
  for (const Case& c : cases) {
    RecorderOptions options = Options("bad.webm", 64, 48, 30);
    c.change(options);
    auto recorder = Recorders().Create("webm", options);
    EXPECT_EQ(recorder.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(recorder.status().message(),
                AllOf(HasSubstr("webm recorder: "), HasSubstr(c.message)));
    EXPECT_EQ(CheckRecorderSettings("webm", options), recorder.status());
  }
}

TEST(WebmRecorderTest, IsVp9Profile0) {
  EXPECT_THAT(Recorders().Description("webm"), HasSubstr("VP9"));
  const RecorderOptions options = Options("profile.webm", 64, 48, 30);
  ASSERT_TRUE(Record(options, 3).ok());
  auto video = DecodeVideo(options.path);
  ASSERT_TRUE(video.ok()) << video.status();
  EXPECT_EQ(video->codec_name, "vp9");
  EXPECT_EQ(video->profile, "Profile 0");
}

TEST(WebmRecorderTest, DefaultsAreRealTimeSpeed8Crf32RowMt) {
  RecorderOptions options = Options("defaults.webm", 64, 48, 25);
  options.threads = 2;
  auto recorder = Recorders().Create("webm", options);
  ASSERT_TRUE(recorder.ok()) << recorder.status();
  EXPECT_EQ((*recorder)->info().codec, "vp9");
  EXPECT_EQ((*recorder)->info().profile, "0");
  EXPECT_THAT(
      (*recorder)->info().settings,
      ElementsAre(Pair("crf", "32"), Pair("deadline", "realtime"),
                  Pair("speed", "8"), Pair("row_mt", "1"),
                  Pair("tile_columns_log2", "auto"), Pair("threads", "2"),
                  Pair("keyframe_interval", "25"), Pair("cluster_ms", "500")));
}

// While a video is written, its Segment's size is "unknown" and clusters
// reach the file as they complete: what a crash leaves is a valid WebM (as
// MediaRecorder's live output is). Closing fixes the size and adds Cues.
TEST(WebmRecorderTest, ClustersReachTheFileAsTheyCompleteAndCloseIndexes) {
  const RecorderOptions options = Options("clusters.webm", 160, 120, 30);
  auto recorder = Recorders().Create("webm", options);
  ASSERT_TRUE(recorder.ok()) << recorder.status();
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE((*recorder)->WriteFrame(MakeTestFrame(160, 120, i)).ok());
  }
  // A cluster ends once it spans more than 500 ms: frames 0-15, 16-31 are
  // complete, 32-39 still open.
  WebmLayout open = ParseWebm(ReadFile(options.path));
  EXPECT_TRUE(open.segment_size_unknown);
  EXPECT_EQ(open.Count(kClusterId), 2);
  EXPECT_EQ(open.Count(kCuesId), 0);
  absl::StatusOr<DecodedVideo> video = DecodeVideo(options.path);
  ASSERT_TRUE(video.ok()) << video.status();
  EXPECT_EQ(video->frames.size(), 32u);

  ASSERT_TRUE((*recorder)->Close().ok());
  WebmLayout closed = ParseWebm(ReadFile(options.path));
  EXPECT_FALSE(closed.segment_size_unknown);
  EXPECT_EQ(closed.Count(kClusterId), 3);
  EXPECT_EQ(closed.Count(kCuesId), 1);
  video = DecodeVideo(options.path);
  ASSERT_TRUE(video.ok()) << video.status();
  EXPECT_EQ(video->frames.size(), 40u);
  EXPECT_NEAR(video->duration_seconds, 40 / 30.0, 0.002);
}

TEST(WebmRecorderTest, ClusterIntervalFollowsTheFlushInterval) {
  RecorderOptions options = Options("clusters_often.webm", 160, 120, 30);
  options.flush_interval_ms = 100;  // > 100 ms: 4 frames per cluster.
  ASSERT_TRUE(Record(options, 40).ok());
  EXPECT_EQ(ParseWebm(ReadFile(options.path)).Count(kClusterId), 10);
}

TEST(WebmRecorderTest, QualityAndSpeedKnobsTakeEffect) {
  RecorderOptions fine = Options("crf_fine.webm", 320, 240, 30);
  fine.crf = 10;
  RecorderOptions coarse = Options("crf_coarse.webm", 320, 240, 30);
  coarse.crf = 55;
  coarse.encoder_options = "speed=9,row_mt=0,tile_columns=0";
  ASSERT_TRUE(Record(fine, 30).ok());
  ASSERT_TRUE(Record(coarse, 30).ok());
  // The options reached libvpx as given, and the sidecar says so.
  RecorderOptions info_options = coarse;
  info_options.path = OutputPath("crf_coarse_info.webm");
  auto coarse_info = Recorders().Create("webm", info_options);
  ASSERT_TRUE(coarse_info.ok()) << coarse_info.status();
  EXPECT_THAT((*coarse_info)->info().settings,
              AllOf(Contains(Pair("speed", "9")), Contains(Pair("row_mt", "0")),
                    Contains(Pair("tile_columns_log2", "0"))));
  EXPECT_GT(ReadFile(fine.path).size(), ReadFile(coarse.path).size());
  auto fine_video = DecodeVideo(fine.path);
  auto coarse_video = DecodeVideo(coarse.path);
  ASSERT_TRUE(fine_video.ok() && coarse_video.ok());
  const Frame input = MakeTestFrame(320, 240, 29);
  EXPECT_GT(Psnr(input, fine_video->frames.back()),
            Psnr(input, coarse_video->frames.back()));
}

TEST(WebmRecorderTest, ColourTagsAndChromaSiting) {
  const RecorderOptions options = Options("colour.webm", 64, 48, 30);
  ASSERT_TRUE(Record(options, 2).ok());
  auto video = DecodeVideo(options.path);
  ASSERT_TRUE(video.ok()) << video.status();
  EXPECT_EQ(video->color_space, "bt709");
  EXPECT_EQ(video->color_range, "tv");
  EXPECT_EQ(video->chroma_location, "center");
}

}  // namespace
}  // namespace rl
