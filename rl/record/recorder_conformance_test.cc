// The contract every recorder keeps, checked on each one registered in
// Recorders() (whatever this test links: mp4, webm and the test-only mkv),
// both encoding on the caller's thread (queue_frames = 0) and behind the
// encoder thread (the default): every output is decoded back through
// libavformat/libavcodec and compared with what went in and with what the
// recorder says it wrote (info()): frame count, size, codec, pixel format,
// colour tags, timestamps, duration, keyframes, and the pixels themselves
// (PSNR). What only one recorder does is checked in its own folder.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
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
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;

// Every decoded frame must be within this PSNR of the frame that went in.
// At crf kCrf the test pattern measures 40.8-42.5 dB (4:2:0 and 8-bit
// rounding cap it near 42); 35 leaves room for encoder changes yet fails on
// a wrong colour matrix or range, a chroma shift or misplaced pixels.
constexpr double kMinPsnrDb = 35.0;
// The quality every recorder is asked for: each takes crf 16 (the
// RecorderOptions contract) as near transparent.
constexpr int kCrf = 16;
// How far a decoded timestamp may be from index / fps: containers store
// whole milliseconds at worst (WebM, Matroska).
constexpr double kPtsToleranceSeconds = 0.0005 + 1e-9;

std::string OutputPath(absl::string_view name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return absl::StrCat(dir != nullptr ? dir : "/tmp", "/", name);
}

// The value of `key` in `info.settings`, or "" if it has none.
std::string Setting(const EncoderInfo& info, absl::string_view key) {
  for (const auto& [name, value] : info.settings) {
    if (name == key) return value;
  }
  return "";
}

// Parameters: recorder name, queue_frames.
class RecorderConformanceTest
    : public ::testing::TestWithParam<std::tuple<std::string, int>> {
 protected:
  const std::string& recorder() const { return std::get<0>(GetParam()); }
  int queue_frames() const { return std::get<1>(GetParam()); }

  RecorderOptions Options(absl::string_view name, int width, int height,
                          int fps) const {
    RecorderOptions options;
    options.path = OutputPath(absl::StrCat(recorder(), "-q", queue_frames(),
                                           "-", name, ".", recorder()));
    options.width = width;
    options.height = height;
    options.fps = fps;
    options.crf = kCrf;
    options.queue_frames = queue_frames();
    return options;
  }

  absl::StatusOr<std::unique_ptr<Recorder>> Open(
      const RecorderOptions& options) const {
    return Recorders().Create(recorder(), options);
  }

  // What the recorder reports for `options` (opened on a scratch path).
  EncoderInfo InfoOf(RecorderOptions options) const {
    options.path += ".info";
    absl::StatusOr<std::unique_ptr<Recorder>> opened = Open(options);
    EXPECT_TRUE(opened.ok()) << opened.status();
    if (!opened.ok()) return {};
    EncoderInfo info = (*opened)->info();
    (*opened)->Close().IgnoreError();
    return info;
  }

  // Writes `frames` test frames (as YUV if `yuv`) and closes the recorder.
  absl::Status Record(const RecorderOptions& options, int frames,
                      bool yuv = false, int first_index = 0) const {
    absl::StatusOr<std::unique_ptr<Recorder>> opened = Open(options);
    if (!opened.ok()) return opened.status();
    Recorder& recorder = **opened;
    for (int i = 0; i < frames; ++i) {
      Frame frame =
          MakeTestFrame(options.width, options.height, first_index + i);
      if (yuv) frame = RgbToYuv420p(frame);
      absl::Status status = recorder.WriteFrame(frame);
      if (!status.ok()) return status;
    }
    absl::Status closed = recorder.Close();
    if (closed.ok() && recorder.frames_written() != frames) {
      return absl::InternalError(absl::StrCat(
          "frames_written() is ", recorder.frames_written(), ", not ", frames));
    }
    return closed;
  }

  // Checks that decoded frame i (for every i in `indices`, or all) is test
  // frame first_index + i padded to even, timed at i / fps.
  void ExpectFramesMatch(const DecodedVideo& video,
                         const RecorderOptions& options, int every_nth = 1,
                         int first_index = 0) const {
    for (size_t i = 0; i < video.frames.size(); i += every_nth) {
      const Frame input =
          PadFrame(MakeTestFrame(options.width, options.height,
                                 first_index + static_cast<int>(i)),
                   video.width, video.height);
      EXPECT_GT(Psnr(input, video.frames[i]), kMinPsnrDb) << "frame " << i;
    }
    for (size_t i = 0; i < video.pts_seconds.size(); ++i) {
      ASSERT_NEAR(video.pts_seconds[i], static_cast<double>(i) / options.fps,
                  kPtsToleranceSeconds)
          << "frame " << i;
    }
  }
};

TEST_P(RecorderConformanceTest, IsRegisteredWithADescription) {
  EXPECT_TRUE(Recorders().Contains(recorder()));
  // One line for --list and the flag help.
  const std::string description = Recorders().Description(recorder());
  EXPECT_GE(description.size(), 10u) << description;
  EXPECT_EQ(description.find('\n'), std::string::npos) << description;
}

TEST_P(RecorderConformanceTest, EncoderOptionsAreCheckedAndListed) {
  // Empty: the recorder's defaults, accepted.
  RecorderOptions options = Options("options", 64, 48, 30);
  EXPECT_TRUE(CheckRecorderSettings(recorder(), options).ok());
  // A key no recorder takes is refused before any file is made, with the
  // recorder's valid keys.
  options.encoder_options = "no_such_key=1";
  for (const absl::Status& status :
       {CheckRecorderSettings(recorder(), options), Open(options).status()}) {
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(status.message(),
                AllOf(HasSubstr(absl::StrCat(recorder(), " recorder: ")),
                      HasSubstr("unknown encoder option 'no_such_key'"),
                      HasSubstr("valid options are")));
    EXPECT_THAT(status.message(), Not(HasSubstr("--")))
        << "library errors name no command-line flag";
  }
  options.encoder_options = "not a pair";
  EXPECT_THAT(CheckRecorderSettings(recorder(), options).message(),
              HasSubstr("is not key=value"));
  std::FILE* file = std::fopen(options.path.c_str(), "r");
  EXPECT_EQ(file, nullptr) << "bad options must not create the file";
  if (file != nullptr) std::fclose(file);
}

TEST_P(RecorderConformanceTest, RoundTripKeepsFramesTimingSizeAndColourTags) {
  const RecorderOptions options = Options("round_trip", 600, 400, 30);
  constexpr int kFrames = 45;
  ASSERT_TRUE(Record(options, kFrames).ok());

  absl::StatusOr<DecodedVideo> video = DecodeVideo(options.path);
  ASSERT_TRUE(video.ok()) << video.status();
  // What the recorder says it wrote (info(), the sidecar's codec and
  // profile) is what a decoder finds.
  const EncoderInfo info = InfoOf(options);
  EXPECT_EQ(video->codec_name, info.codec);
  EXPECT_THAT(video->profile, HasSubstr(info.profile));
  EXPECT_EQ(video->pix_fmt, "yuv420p");
  EXPECT_EQ(video->width, 600);
  EXPECT_EQ(video->height, 400);
  ASSERT_EQ(video->frames.size(), kFrames);
  EXPECT_EQ(video->corrupt_packets, 0);
  EXPECT_NEAR(video->duration_seconds, 1.5, 1.0 / 30);
  EXPECT_NEAR(static_cast<double>(video->avg_frame_rate_num) /
                  video->avg_frame_rate_den,
              30.0, 0.01);
  EXPECT_EQ(video->color_primaries, "bt709");
  EXPECT_EQ(video->color_transfer, "bt709");
  EXPECT_EQ(video->color_space, "bt709");
  EXPECT_EQ(video->color_range, "tv");
  ExpectFramesMatch(*video, options);
  // A keyframe every second (30 frames) by default.
  EXPECT_TRUE(video->keyframes[0]);
  EXPECT_TRUE(video->keyframes[30]);
}

TEST_P(RecorderConformanceTest, YuvFramesEncodeLikeTheirRgb) {
  const RecorderOptions options = Options("yuv", 320, 240, 25);
  ASSERT_TRUE(Record(options, 12, /*yuv=*/true).ok());
  absl::StatusOr<DecodedVideo> video = DecodeVideo(options.path);
  ASSERT_TRUE(video.ok()) << video.status();
  EXPECT_EQ(video->pix_fmt, "yuv420p");
  ASSERT_EQ(video->frames.size(), 12);
  ExpectFramesMatch(*video, options);  // Against the RGB frames.
}

TEST_P(RecorderConformanceTest, RgbAndYuvFramesMayAlternate) {
  const RecorderOptions options = Options("mixed", 96, 64, 25);
  absl::StatusOr<std::unique_ptr<Recorder>> opened = Open(options);
  ASSERT_TRUE(opened.ok()) << opened.status();
  for (int i = 0; i < 6; ++i) {
    const Frame rgb = MakeTestFrame(96, 64, i);
    ASSERT_TRUE((*opened)->WriteFrame(i % 2 ? RgbToYuv420p(rgb) : rgb).ok());
  }
  ASSERT_TRUE((*opened)->Close().ok());
  absl::StatusOr<DecodedVideo> video = DecodeVideo(options.path);
  ASSERT_TRUE(video.ok()) << video.status();
  ASSERT_EQ(video->frames.size(), 6);
  ExpectFramesMatch(*video, options);
}

TEST_P(RecorderConformanceTest, OddSizesArePaddedByRepeatingLastColumnAndRow) {
  for (bool yuv : {false, true}) {
    SCOPED_TRACE(yuv ? "YUV input" : "RGB input");
    const RecorderOptions options =
        Options(yuv ? "odd_yuv" : "odd_rgb", 601, 401, 25);
    ASSERT_TRUE(Record(options, 10, yuv).ok());
    absl::StatusOr<DecodedVideo> video = DecodeVideo(options.path);
    ASSERT_TRUE(video.ok()) << video.status();
    EXPECT_EQ(video->width, 602);
    EXPECT_EQ(video->height, 402);
    ASSERT_EQ(video->frames.size(), 10);
    ExpectFramesMatch(*video, options);  // Compares the padding too.
  }
}

TEST_P(RecorderConformanceTest, TinyAndExtremeSizesWork) {
  for (const auto& [width, height] : std::vector<std::pair<int, int>>{
           {1, 1}, {2, 2}, {3, 5}, {17, 9}, {8192, 2}, {2, 1080}}) {
    SCOPED_TRACE(absl::StrCat(width, "x", height));
    const RecorderOptions options =
        Options(absl::StrCat("size_", width, "x", height), width, height, 30);
    ASSERT_TRUE(Record(options, 3).ok());
    absl::StatusOr<DecodedVideo> video = DecodeVideo(options.path);
    ASSERT_TRUE(video.ok()) << video.status();
    EXPECT_EQ(video->width, CodedSize(width));
    EXPECT_EQ(video->height, CodedSize(height));
    EXPECT_EQ(video->frames.size(), 3);
  }
}

TEST_P(RecorderConformanceTest, OneFrameVideo) {
  const RecorderOptions options = Options("one_frame", 64, 48, 50);
  ASSERT_TRUE(Record(options, 1).ok());
  absl::StatusOr<DecodedVideo> video = DecodeVideo(options.path);
  ASSERT_TRUE(video.ok()) << video.status();
  ASSERT_EQ(video->frames.size(), 1);
  EXPECT_NEAR(video->duration_seconds, 1.0 / 50, 1.0 / 50);
  ExpectFramesMatch(*video, options);
}

TEST_P(RecorderConformanceTest, TenThousandFrameVideo) {
  RecorderOptions options = Options("ten_thousand", 48, 32, 50);
  constexpr int kFrames = 10000;
  ASSERT_TRUE(Record(options, kFrames).ok());
  absl::StatusOr<DecodedVideo> video = DecodeVideo(options.path);
  ASSERT_TRUE(video.ok()) << video.status();
  ASSERT_EQ(video->frames.size(), kFrames);
  EXPECT_EQ(video->corrupt_packets, 0);
  EXPECT_NEAR(video->duration_seconds, kFrames / 50.0, 1.0 / 50);
  ExpectFramesMatch(*video, options, /*every_nth=*/97);
  // One keyframe per second (the default interval, as info() says), no
  // more: 200.
  EXPECT_EQ(Setting(InfoOf(options), "keyframe_interval"), "50");
  EXPECT_EQ(std::count(video->keyframes.begin(), video->keyframes.end(), true),
            kFrames / 50);
}

TEST_P(RecorderConformanceTest, TwoRecordersAtOnceInTwoThreads) {
  const RecorderOptions a = Options("thread_a", 160, 120, 30);
  const RecorderOptions b = Options("thread_b", 128, 96, 30);
  absl::Status status_a, status_b;
  std::thread thread_a([&] { status_a = Record(a, 60); });
  std::thread thread_b([&] { status_b = Record(b, 60, false, 3); });
  thread_a.join();
  thread_b.join();
  ASSERT_TRUE(status_a.ok()) << status_a;
  ASSERT_TRUE(status_b.ok()) << status_b;
  absl::StatusOr<DecodedVideo> video_a = DecodeVideo(a.path);
  absl::StatusOr<DecodedVideo> video_b = DecodeVideo(b.path);
  ASSERT_TRUE(video_a.ok()) << video_a.status();
  ASSERT_TRUE(video_b.ok()) << video_b.status();
  ASSERT_EQ(video_a->frames.size(), 60);
  ASSERT_EQ(video_b->frames.size(), 60);
  ExpectFramesMatch(*video_a, a);
  ExpectFramesMatch(*video_b, b, 1, /*first_index=*/3);
}

TEST_P(RecorderConformanceTest, BitrateModeAimsAtTheBitrate) {
  RecorderOptions options = Options("bitrate", 320, 240, 30);
  options.bitrate_kbps = 300;
  constexpr int kFrames = 90;  // 3 s.
  absl::StatusOr<std::unique_ptr<Recorder>> opened = Open(options);
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_THAT((*opened)->info().settings,
              Contains(Pair("bitrate_kbps", "300")));
  for (int i = 0; i < kFrames; ++i) {
    ASSERT_TRUE((*opened)->WriteFrame(MakeTestFrame(320, 240, i)).ok());
  }
  ASSERT_TRUE((*opened)->Close().ok());
  absl::StatusOr<DecodedVideo> video = DecodeVideo(options.path);
  ASSERT_TRUE(video.ok()) << video.status();
  ASSERT_EQ(video->frames.size(), kFrames);
  // The pattern is easy: encoders undershoot rather than overshoot.
  FILE* file = std::fopen(options.path.c_str(), "rb");
  ASSERT_NE(file, nullptr);
  std::fseek(file, 0, SEEK_END);
  const long bytes = std::ftell(file);
  std::fclose(file);
  EXPECT_LT(bytes * 8 / 1000.0 / 3, 300 * 1.5);
}

TEST_P(RecorderConformanceTest, InfoSaysWhatIsWritten) {
  RecorderOptions options = Options("info", 601, 401, 30);
  options.keyframe_interval = 60;
  absl::StatusOr<std::unique_ptr<Recorder>> opened = Open(options);
  ASSERT_TRUE(opened.ok()) << opened.status();
  const EncoderInfo& info = (*opened)->info();
  EXPECT_FALSE(info.codec.empty());
  EXPECT_FALSE(info.profile.empty());
  EXPECT_EQ(info.container, recorder());
  EXPECT_EQ(info.coded_width, 602);
  EXPECT_EQ(info.coded_height, 402);
  EXPECT_THAT(info.settings, AllOf(Contains(Pair("crf", absl::StrCat(kCrf))),
                                   Contains(Pair("keyframe_interval", "60"))));
  EXPECT_EQ((*opened)->path(), options.path);
}

TEST_P(RecorderConformanceTest, WrongSizeFrameIsRejectedAndRecorderGoesOn) {
  const RecorderOptions options = Options("wrong_size", 64, 48, 30);
  absl::StatusOr<std::unique_ptr<Recorder>> opened = Open(options);
  ASSERT_TRUE(opened.ok()) << opened.status();
  Recorder& recorder = **opened;
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(recorder.WriteFrame(MakeTestFrame(64, 48, i)).ok());
  }
  const absl::Status status = recorder.WriteFrame(MakeTestFrame(48, 64, 5));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), AllOf(HasSubstr("48x64"), HasSubstr("64x48"),
                                      HasSubstr(options.path)));
  EXPECT_EQ(recorder.frames_written(), 5);
  ASSERT_TRUE(recorder.WriteFrame(MakeTestFrame(64, 48, 5)).ok());
  ASSERT_TRUE(recorder.Close().ok());
  EXPECT_EQ(recorder.frames_written(), 6);

  absl::StatusOr<DecodedVideo> video = DecodeVideo(options.path);
  ASSERT_TRUE(video.ok()) << video.status();
  ASSERT_EQ(video->frames.size(), 6);
  ExpectFramesMatch(*video, options);
}

TEST_P(RecorderConformanceTest, CloseIsIdempotentAndWritingAfterItFails) {
  const RecorderOptions options = Options("close_twice", 64, 48, 30);
  absl::StatusOr<std::unique_ptr<Recorder>> opened = Open(options);
  ASSERT_TRUE(opened.ok()) << opened.status();
  ASSERT_TRUE((*opened)->WriteFrame(MakeTestFrame(64, 48, 0)).ok());
  EXPECT_TRUE((*opened)->Close().ok());
  EXPECT_TRUE((*opened)->Close().ok());
  EXPECT_EQ((*opened)->WriteFrame(MakeTestFrame(64, 48, 1)).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ((*opened)->frames_written(), 1);
}

TEST_P(RecorderConformanceTest, DestructorClosesTheFile) {
  const RecorderOptions options = Options("destructor", 64, 48, 30);
  {
    absl::StatusOr<std::unique_ptr<Recorder>> opened = Open(options);
    ASSERT_TRUE(opened.ok()) << opened.status();
    for (int i = 0; i < 40; ++i) {
      ASSERT_TRUE((*opened)->WriteFrame(MakeTestFrame(64, 48, i)).ok());
    }
  }
  absl::StatusOr<DecodedVideo> video = DecodeVideo(options.path);
  ASSERT_TRUE(video.ok()) << video.status();
  EXPECT_EQ(video->frames.size(), 40);
  EXPECT_NEAR(video->duration_seconds, 40.0 / 30, 1.0 / 30);
}

TEST_P(RecorderConformanceTest, MissingDirectoryFailsWithPathAndReason) {
  RecorderOptions options = Options("unused", 64, 48, 30);
  options.path = OutputPath("no/such/directory/video");
  absl::StatusOr<std::unique_ptr<Recorder>> opened = Open(options);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(
      opened.status().message(),
      AllOf(HasSubstr(options.path), HasSubstr("No such file or directory"),
            HasSubstr("exists and is writable")));
}

TEST_P(RecorderConformanceTest, RejectsBadCommonOptionsWithTheValidRange) {
  struct Case {
    void (*change)(RecorderOptions&);
    std::vector<std::string> message_parts;
  };
  const std::vector<Case> cases = {
      {[](RecorderOptions& o) { o.path = ""; }, {"path is empty"}},
      {[](RecorderOptions& o) { o.width = 0; }, {"width is 0", "1..8192"}},
      {[](RecorderOptions& o) { o.height = 9000; }, {"height is 9000"}},
      {[](RecorderOptions& o) { o.fps = 0; }, {"fps is 0", "1..240"}},
      {[](RecorderOptions& o) { o.bitrate_kbps = -5; }, {"bitrate_kbps is -5"}},
      {[](RecorderOptions& o) { o.threads = 65; }, {"threads is 65", "0..64"}},
      {[](RecorderOptions& o) { o.keyframe_interval = -1; },
       {"keyframe_interval is -1"}},
      {[](RecorderOptions& o) { o.flush_interval_ms = 5; },
       {"flush_interval_ms is 5", "10..60000"}},
      {[](RecorderOptions& o) { o.queue_frames = 1000; },
       {"queue_frames is 1000", "0..256"}},
      {[](RecorderOptions& o) { o.crf = -1; }, {"crf is -1"}},
  };
  for (const Case& c : cases) {
    RecorderOptions options = Options("bad_options", 64, 48, 30);
    c.change(options);
    absl::StatusOr<std::unique_ptr<Recorder>> opened = Open(options);
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(opened.status().message(),
                HasSubstr(absl::StrCat(recorder(), " recorder: ")));
    for (const std::string& part : c.message_parts) {
      EXPECT_THAT(opened.status().message(), HasSubstr(part));
    }
  }
  FILE* file = std::fopen(Options("bad_options", 64, 48, 30).path.c_str(), "r");
  EXPECT_EQ(file, nullptr) << "bad options must not create the file";
  if (file != nullptr) std::fclose(file);
}

// Every registered recorder: the names are read when the tests are listed,
// after every linked recorder has registered.
INSTANTIATE_TEST_SUITE_P(
    AllRecorders, RecorderConformanceTest,
    ::testing::Combine(::testing::ValuesIn(Recorders().Names()),
                       ::testing::Values(0, 4)),
    [](const ::testing::TestParamInfo<std::tuple<std::string, int>>& info) {
      return absl::StrCat(std::get<0>(info.param),
                          std::get<1>(info.param) == 0 ? "_sync" : "_async");
    });

}  // namespace
}  // namespace rl
