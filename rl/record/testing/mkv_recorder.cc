// The "mkv" recorder, for tests only: VP9 through libavcodec's libvpx-vp9
// wrapper (where the webm recorder drives libvpx itself) in Matroska. It exists
// to prove that a recorder is one folder and one registry line: nothing outside
// this folder names it except the one dep line that links it into
// //rl/record:recorder_conformance_test, and the conformance suite, which runs
// over every registered name, checks it like mp4 and webm.
//
// Encoder options (RecorderOptions::encoder_options):
//   speed=0..9   libvpx's real-time speed (cpu-used), higher is faster
//                (default 8).
//
// crf 0..63 is libvpx's constant quality level (default 32); a bitrate
// selects libvpx's variable bitrate mode.

#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
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
}

namespace rl {
namespace {

constexpr absl::string_view kName = "mkv";
constexpr int kDefaultCrf = 32;
constexpr int kMaxCrf = 63;
constexpr int kMaxSpeed = 9;

absl::StatusOr<int> ParseSpeed(const RecorderOptions& options) {
  if (options.crf.has_value()) {
    RL_RETURN_IF_ERROR(CheckRange(kName, "crf", *options.crf, 0, kMaxCrf));
  }
  int speed = 8;
  RL_ASSIGN_OR_RETURN(EncoderOptions parsed,
                      EncoderOptions::Parse(kName, options.encoder_options));
  RL_RETURN_IF_ERROR(parsed.Int("speed", 0, kMaxSpeed, &speed));
  RL_RETURN_IF_ERROR(parsed.Finish());
  return speed;
}

absl::Status CheckSettings(const RecorderOptions& options) {
  return ParseSpeed(options).status();
}

class MkvRecorder final : public StreamingRecorder {
 public:
  static absl::StatusOr<std::unique_ptr<Recorder>> Create(
      const RecorderOptions& options) {
    RL_ASSIGN_OR_RETURN(const int speed, ParseSpeed(options));
    QuietFfmpegLogs();
    const AVCodec* codec = avcodec_find_encoder_by_name("libvpx-vp9");
    if (codec == nullptr) {
      return absl::FailedPreconditionError(
          "mkv recorder: this libavcodec has no libvpx-vp9 encoder");
    }
    std::unique_ptr<MkvRecorder> recorder(new MkvRecorder(options));
    RL_RETURN_IF_ERROR(recorder->Open(codec, speed));
    return std::unique_ptr<Recorder>(std::move(recorder));
  }

  ~MkvRecorder() override { CloseIfOpen(); }

 private:
  explicit MkvRecorder(const RecorderOptions& options)
      : StreamingRecorder(kName, options) {}

  absl::Status Open(const AVCodec* codec, int speed);
  absl::Status EncodeFrame(const Frame& frame) override {
    RL_ASSIGN_OR_RETURN(AVFrame * input, encoder_->WritableInput());
    RL_RETURN_IF_ERROR(
        converter_->Convert(frame, input->data, input->linesize));
    return encoder_->Encode(frames_written());
  }
  absl::Status Drain() override { return encoder_->Drain(); }
  void Release() override {
    encoder_.reset();
    converter_.reset();
  }

  std::unique_ptr<Yuv420Converter> converter_;
  std::unique_ptr<AvVideoEncoder> encoder_;
};

absl::Status MkvRecorder::Open(const AVCodec* codec, int speed) {
  const RecorderOptions& options = this->options();
  RL_ASSIGN_OR_RETURN(converter_,
                      Yuv420Converter::Create(options.width, options.height));
  // threads 0: the encoder picks, one per core.
  AvEncoderSettings settings = AvEncoderSettings::For(
      options, converter_->coded_width(), converter_->coded_height());
  const int crf = options.crf.value_or(kDefaultCrf);

  RL_ASSIGN_OR_RETURN(std::unique_ptr<VideoOutput> output,
                      VideoOutput::Create(kName, "matroska", options.path));
  set_output(std::move(output));
  settings.profile = FF_PROFILE_VP9_0;
  AvOptions vp9;
  vp9.Set("deadline", "realtime");
  vp9.Set("cpu-used", std::to_string(speed));
  vp9.Set("lag-in-frames", "0");
  vp9.Set("row-mt", "1");
  // With no bitrate, libavcodec's wrapper picks libvpx's constant quality.
  if (options.bitrate_kbps == 0) vp9.Set("crf", std::to_string(crf));
  RL_ASSIGN_OR_RETURN(encoder_, AvVideoEncoder::Open(kName, codec, settings,
                                                     vp9, *this->output()));
  AvOptions mkv;
  mkv.Set("cluster_time_limit", std::to_string(options.flush_interval_ms));
  RL_RETURN_IF_ERROR(this->output()->WriteHeader(mkv));
  MarkOpened();

  DescribeOutput("vp9", "0", "mkv", settings.coded_width, settings.coded_height,
                 crf);
  EncoderInfo& info = mutable_info();
  info.settings.push_back({"speed", std::to_string(speed)});
  info.settings.push_back(
      {"keyframe_interval", std::to_string(settings.keyframe_interval)});
  return absl::OkStatus();
}

const bool kRegistered = RegisterRecorder(
    kName, "VP9 in Matroska (libavcodec's libvpx-vp9), for tests only",
    &MkvRecorder::Create, &CheckSettings);

}  // namespace
}  // namespace rl
