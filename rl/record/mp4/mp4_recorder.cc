// The "mp4" recorder: H.264 (libx264 through libavcodec) in fragmented MP4
// (libavformat), in process.
//
// Encoder options (RecorderOptions::encoder_options):
//   preset=ultrafast|superfast|veryfast|faster|fast|medium|slow|slower|
//          veryslow|placebo   libx264's speed preset (default medium).
//
// Choices, each for playing everywhere or for surviving a crash:
// - yuv420p, High profile, colour tagged BT.709 limited range (and chroma
//   sited at the centre of each 2x2 block, as Frame defines it); RGB frames
//   are converted with the BT.709 matrix so that the pixels match the tags.
// - Fragmented MP4 (frag_keyframe+empty_moov+default_base_moof): the moov box
//   comes first and fragments go straight to the file as they complete (at
//   every keyframe and at least every flush_interval_ms), so a killed process
//   leaves a playable prefix and a browser plays from the first byte.
// - x264's zerolatency tune: no lookahead, no B-frames and no frame threads
//   (sliced threads instead), so the encoder holds no frames back and a crash
//   loses at most the open fragment. Without B-frames the first frame's
//   timestamp is 0 too (empty_moov has no edit list to hide a B-frame delay).

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "rl/core/frame.h"
#include "rl/core/status_macros.h"
#include "rl/record/encoder_options.h"
#include "rl/record/ffmpeg_util.h"
#include "rl/record/recorder.h"
#include "rl/record/streaming_recorder.h"
#include "rl/record/yuv420_converter.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
}

namespace rl {
namespace {

constexpr absl::string_view kName = "mp4";
constexpr int kDefaultCrf = 23;  // libx264's own default.
constexpr int kMaxCrf = 51;
// In speed order, as error messages list them.
constexpr std::array<absl::string_view, 10> kX264Presets = {
    "ultrafast", "superfast", "veryfast", "faster",   "fast",
    "medium",    "slow",      "slower",   "veryslow", "placebo"};

// The mp4 recorder's own settings, from RecorderOptions.
struct X264Settings {
  std::string preset = "medium";
};

absl::StatusOr<X264Settings> ParseSettings(const RecorderOptions& options) {
  if (options.crf.has_value()) {
    // crf 0 is x264's lossless mode: High 4:4:4 Predictive, a profile no
    // browser plays, so it is out of range for a video meant to be watched.
    RL_RETURN_IF_ERROR(CheckRange(kName, "crf", *options.crf, 1, kMaxCrf));
  }
  X264Settings settings;
  RL_ASSIGN_OR_RETURN(EncoderOptions parsed,
                      EncoderOptions::Parse(kName, options.encoder_options));
  RL_RETURN_IF_ERROR(parsed.Choice("preset", kX264Presets, &settings.preset));
  RL_RETURN_IF_ERROR(parsed.Finish());
  return settings;
}

absl::Status CheckSettings(const RecorderOptions& options) {
  return ParseSettings(options).status();
}

class Mp4Recorder final : public StreamingRecorder {
 public:
  static absl::StatusOr<std::unique_ptr<Recorder>> Create(
      const RecorderOptions& options);

  ~Mp4Recorder() override { CloseIfOpen(); }

 private:
  explicit Mp4Recorder(const RecorderOptions& options)
      : StreamingRecorder(kName, options) {}

  absl::Status Open(const AVCodec* codec, const X264Settings& x264_settings);
  absl::Status EncodeFrame(const Frame& frame) override;
  absl::Status Drain() override { return encoder_->Drain(); }
  void Release() override {
    encoder_.reset();
    converter_.reset();
  }

  std::unique_ptr<Yuv420Converter> converter_;
  std::unique_ptr<AvVideoEncoder> encoder_;
};

absl::StatusOr<std::unique_ptr<Recorder>> Mp4Recorder::Create(
    const RecorderOptions& options) {
  RL_ASSIGN_OR_RETURN(const X264Settings settings, ParseSettings(options));
  QuietFfmpegLogs();
  const AVCodec* codec = avcodec_find_encoder_by_name("libx264");
  if (codec == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "mp4 recorder: this libavcodec (", LIBAVCODEC_IDENT,
        ") has no libx264 encoder; it needs libavcodec59 built with libx264: "
        "`apt-get install libavcodec-extra` or run the project's setup "
        "script"));
  }
  std::unique_ptr<Mp4Recorder> recorder(new Mp4Recorder(options));
  RL_RETURN_IF_ERROR(recorder->Open(codec, settings));
  return std::unique_ptr<Recorder>(std::move(recorder));
}

absl::Status Mp4Recorder::Open(const AVCodec* codec,
                               const X264Settings& x264_settings) {
  const RecorderOptions& options = this->options();
  RL_ASSIGN_OR_RETURN(converter_,
                      Yuv420Converter::Create(options.width, options.height));
  // threads 0: x264 picks, one per core.
  AvEncoderSettings settings = AvEncoderSettings::For(
      options, converter_->coded_width(), converter_->coded_height());
  settings.profile = FF_PROFILE_H264_HIGH;
  const int crf = options.crf.value_or(kDefaultCrf);

  RL_ASSIGN_OR_RETURN(std::unique_ptr<VideoOutput> output,
                      VideoOutput::Create(kName, "mp4", options.path));
  set_output(std::move(output));
  AvOptions x264;
  x264.Set("preset", x264_settings.preset);
  x264.Set("tune", "zerolatency");
  x264.Set("profile", "high");
  if (options.bitrate_kbps == 0) x264.Set("crf", std::to_string(crf));
  RL_ASSIGN_OR_RETURN(encoder_, AvVideoEncoder::Open(kName, codec, settings,
                                                     x264, *this->output()));

  AvOptions mp4;
  mp4.Set("movflags", "frag_keyframe+empty_moov+default_base_moof");
  // Also end a fragment every flush interval between keyframes (in us).
  mp4.Set("frag_duration",
          std::to_string(int64_t{options.flush_interval_ms} * 1000));
  RL_RETURN_IF_ERROR(this->output()->WriteHeader(mp4));
  MarkOpened();

  DescribeOutput("h264", "High", "mp4", settings.coded_width,
                 settings.coded_height, crf);
  EncoderInfo& info = mutable_info();
  info.settings.push_back({"preset", x264_settings.preset});
  info.settings.push_back({"tune", "zerolatency"});
  info.settings.push_back(
      {"keyframe_interval", std::to_string(settings.keyframe_interval)});
  info.settings.push_back({"threads", options.threads == 0
                                          ? std::string("auto")
                                          : std::to_string(options.threads)});
  info.settings.push_back(
      {"fragment_ms", std::to_string(options.flush_interval_ms)});
  return absl::OkStatus();
}

absl::Status Mp4Recorder::EncodeFrame(const Frame& frame) {
  RL_ASSIGN_OR_RETURN(AVFrame * input, encoder_->WritableInput());
  RL_RETURN_IF_ERROR(converter_->Convert(frame, input->data, input->linesize));
  return encoder_->Encode(frames_written());
}

const bool kRegistered = RegisterRecorder(
    kName, "H.264 in fragmented MP4 (libx264): plays everywhere",
    &Mp4Recorder::Create, &CheckSettings);

}  // namespace
}  // namespace rl
