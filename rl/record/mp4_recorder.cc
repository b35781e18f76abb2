// The "mp4" recorder: H.264 (libx264 through libavcodec) in fragmented MP4
// (libavformat), in process.
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

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "rl/core/frame.h"
#include "rl/core/status_macros.h"
#include "rl/record/ffmpeg_util.h"
#include "rl/record/recorder.h"
#include "rl/record/yuv420_converter.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libavutil/pixfmt.h>
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

absl::Status ValidateOptions(const RecorderOptions& options) {
  if (options.crf.has_value()) {
    // crf 0 is x264's lossless mode: High 4:4:4 Predictive, a profile no
    // browser plays, so it is out of range for a video meant to be watched.
    RL_RETURN_IF_ERROR(CheckRange(kName, "crf", *options.crf, 1, kMaxCrf));
  }
  if (std::find(kX264Presets.begin(), kX264Presets.end(), options.preset) ==
      kX264Presets.end()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "mp4 recorder: unknown preset '", options.preset,
        "': valid x264 presets are ", absl::StrJoin(kX264Presets, " ")));
  }
  return absl::OkStatus();
}

class Mp4Recorder final : public Recorder {
 public:
  static absl::StatusOr<std::unique_ptr<Recorder>> Create(
      const RecorderOptions& options);

  ~Mp4Recorder() override {
    if (opened_ && !closed_) Close().IgnoreError();
  }

  absl::Status WriteFrame(const Frame& frame) override;
  absl::Status Close() override;
  absl::Status FlushFile() override {
    if (closed_ || !status_.ok()) return status_;
    return Fail(output_->Flush());
  }
  int64_t frames_written() const override { return frames_written_; }
  const std::string& path() const override { return options_.path; }
  const EncoderInfo& info() const override { return info_; }

 private:
  explicit Mp4Recorder(const RecorderOptions& options) : options_(options) {}

  absl::Status Open(const AVCodec* encoder);
  // Sends `frame` (nullptr: end of stream) to the encoder and writes every
  // packet it has ready.
  absl::Status Encode(const AVFrame* frame);
  // Remembers the first error: the recorder stays failed after it.
  absl::Status Fail(absl::Status status) {
    if (status_.ok()) status_ = status;
    return status;
  }

  const RecorderOptions options_;
  EncoderInfo info_;
  std::unique_ptr<Yuv420Converter> converter_;
  std::unique_ptr<VideoOutput> output_;
  AVStream* stream_ = nullptr;  // Owned by output_->muxer().
  std::unique_ptr<AVCodecContext, CodecContextDeleter> encoder_;
  std::unique_ptr<AVFrame, AvFrameDeleter> yuv_;
  std::unique_ptr<AVPacket, PacketDeleter> packet_;
  int64_t frames_written_ = 0;
  absl::Status status_;  // The first encoding or writing error.
  bool opened_ = false;  // Open() succeeded: there is a file to finalize.
  bool closed_ = false;
  absl::Status close_status_;
};

absl::StatusOr<std::unique_ptr<Recorder>> Mp4Recorder::Create(
    const RecorderOptions& options) {
  RL_RETURN_IF_ERROR(ValidateOptions(options));
  QuietFfmpegLogs();
  const AVCodec* encoder = avcodec_find_encoder_by_name("libx264");
  if (encoder == nullptr) {
    return absl::FailedPreconditionError(absl::StrCat(
        "mp4 recorder: this libavcodec (", LIBAVCODEC_IDENT,
        ") has no libx264 encoder; it needs libavcodec59 built with libx264: "
        "`apt-get install libavcodec-extra` or run the project's setup "
        "script"));
  }
  std::unique_ptr<Mp4Recorder> recorder(new Mp4Recorder(options));
  RL_RETURN_IF_ERROR(recorder->Open(encoder));
  return std::unique_ptr<Recorder>(std::move(recorder));
}

absl::Status Mp4Recorder::Open(const AVCodec* encoder) {
  const std::string& path = options_.path;
  const AVRational time_base = {1, options_.fps};
  const AVRational frame_rate = {options_.fps, 1};
  RL_ASSIGN_OR_RETURN(converter_,
                      Yuv420Converter::Create(options_.width, options_.height));
  const int coded_width = converter_->coded_width();
  const int coded_height = converter_->coded_height();
  const int keyframe_interval = options_.keyframe_interval > 0
                                    ? options_.keyframe_interval
                                    : options_.fps;
  const int crf = options_.crf.value_or(kDefaultCrf);

  RL_ASSIGN_OR_RETURN(output_, VideoOutput::Create(kName, "mp4", path));
  stream_ = avformat_new_stream(output_->muxer(), nullptr);
  if (stream_ == nullptr) {
    return absl::ResourceExhaustedError("creating the MP4 video stream");
  }

  encoder_.reset(avcodec_alloc_context3(encoder));
  if (encoder_ == nullptr) {
    return absl::ResourceExhaustedError("allocating the libx264 encoder");
  }
  AVCodecContext& codec = *encoder_;
  codec.width = coded_width;
  codec.height = coded_height;
  codec.pix_fmt = AV_PIX_FMT_YUV420P;
  codec.time_base = time_base;
  codec.framerate = frame_rate;
  codec.gop_size = keyframe_interval;
  codec.max_b_frames = 0;
  codec.thread_count = options_.threads;  // 0: x264 picks, one per core.
  codec.profile = FF_PROFILE_H264_HIGH;
  codec.color_primaries = AVCOL_PRI_BT709;
  codec.color_trc = AVCOL_TRC_BT709;
  codec.colorspace = AVCOL_SPC_BT709;
  codec.color_range = AVCOL_RANGE_MPEG;
  codec.chroma_sample_location = AVCHROMA_LOC_CENTER;
  if (options_.bitrate_kbps > 0) {
    codec.bit_rate = static_cast<int64_t>(options_.bitrate_kbps) * 1000;
  }
  if (output_->muxer()->oformat->flags & AVFMT_GLOBALHEADER) {
    codec.flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  }
  AvOptions x264;
  x264.Set("preset", options_.preset);
  x264.Set("tune", "zerolatency");
  x264.Set("profile", "high");
  if (options_.bitrate_kbps == 0) x264.Set("crf", std::to_string(crf));
  int error = avcodec_open2(&codec, encoder, x264.get());
  if (error < 0) {
    return AvError(
        error, absl::StrCat("mp4 recorder: opening libx264 for ", coded_width,
                            "x", coded_height, " at ", options_.fps, " fps"));
  }
  if (std::string unused = x264.Unused(); !unused.empty()) {
    return absl::InternalError(
        absl::StrCat("libx264 did not take the options ", unused));
  }

  error = avcodec_parameters_from_context(stream_->codecpar, &codec);
  if (error < 0) return AvError(error, "copying the encoder's parameters");
  stream_->time_base = time_base;  // A hint: the muxer picks its own.
  stream_->avg_frame_rate = frame_rate;
  stream_->r_frame_rate = frame_rate;

  yuv_.reset(av_frame_alloc());
  packet_.reset(av_packet_alloc());
  if (yuv_ == nullptr || packet_ == nullptr) {
    return absl::ResourceExhaustedError("allocating a frame and a packet");
  }
  yuv_->format = codec.pix_fmt;
  yuv_->width = coded_width;
  yuv_->height = coded_height;
  yuv_->color_primaries = codec.color_primaries;
  yuv_->color_trc = codec.color_trc;
  yuv_->colorspace = codec.colorspace;
  yuv_->color_range = codec.color_range;
  yuv_->chroma_location = codec.chroma_sample_location;
  error = av_frame_get_buffer(yuv_.get(), 0);
  if (error < 0) return AvError(error, "allocating the YUV frame");

  AvOptions mp4;
  mp4.Set("movflags", "frag_keyframe+empty_moov+default_base_moof");
  // Also end a fragment every flush interval between keyframes (in us).
  mp4.Set("frag_duration",
          std::to_string(int64_t{options_.flush_interval_ms} * 1000));
  RL_RETURN_IF_ERROR(output_->WriteHeader(mp4));
  opened_ = true;

  info_.codec = "h264";
  info_.profile = "High";
  info_.container = "mp4";
  info_.coded_width = coded_width;
  info_.coded_height = coded_height;
  if (options_.bitrate_kbps > 0) {
    info_.settings.push_back(
        {"bitrate_kbps", std::to_string(options_.bitrate_kbps)});
  } else {
    info_.settings.push_back({"crf", std::to_string(crf)});
  }
  info_.settings.push_back({"preset", options_.preset});
  info_.settings.push_back({"tune", "zerolatency"});
  info_.settings.push_back(
      {"keyframe_interval", std::to_string(keyframe_interval)});
  info_.settings.push_back({"threads", options_.threads == 0
                                           ? std::string("auto")
                                           : std::to_string(options_.threads)});
  info_.settings.push_back(
      {"fragment_ms", std::to_string(options_.flush_interval_ms)});
  return absl::OkStatus();
}

absl::Status Mp4Recorder::WriteFrame(const Frame& frame) {
  if (closed_) {
    return absl::FailedPreconditionError(absl::StrCat(
        "mp4 recorder: WriteFrame after Close on '", options_.path, "'"));
  }
  if (!status_.ok()) return status_;
  RL_RETURN_IF_ERROR(CheckFrame(kName, options_, frame));
  int error = av_frame_make_writable(yuv_.get());
  if (error < 0) {
    return Fail(AvError(error, "making the encoder's input frame writable"));
  }
  RL_RETURN_IF_ERROR(
      Fail(converter_->Convert(frame, yuv_->data, yuv_->linesize)));
  yuv_->pts = frames_written_;
  RL_RETURN_IF_ERROR(Fail(Encode(yuv_.get())));
  ++frames_written_;
  return absl::OkStatus();
}

absl::Status Mp4Recorder::Encode(const AVFrame* frame) {
  int error = avcodec_send_frame(encoder_.get(), frame);
  if (error < 0) {
    return AvError(error, frame != nullptr
                              ? absl::StrCat("encoding frame ", frame->pts,
                                             " of '", options_.path, "'")
                              : absl::StrCat("flushing the encoder of '",
                                             options_.path, "'"));
  }
  while (true) {
    error = avcodec_receive_packet(encoder_.get(), packet_.get());
    if (error == AVERROR(EAGAIN) || error == AVERROR_EOF) {
      return absl::OkStatus();
    }
    if (error < 0) {
      return AvError(
          error, absl::StrCat("encoding a packet of '", options_.path, "'"));
    }
    // One frame per packet; the muxer needs the duration for the last one.
    if (packet_->duration == 0) packet_->duration = 1;
    av_packet_rescale_ts(packet_.get(), encoder_->time_base,
                         stream_->time_base);
    packet_->stream_index = stream_->index;
    RL_RETURN_IF_ERROR(output_->WritePacket(packet_.get()));
  }
}

absl::Status Mp4Recorder::Close() {
  if (closed_) return close_status_;
  closed_ = true;
  // After a failure, still finalize what was written: the first error wins.
  absl::Status result = status_;
  absl::Status flushed = Encode(nullptr);
  if (result.ok()) result = flushed;
  absl::Status finished = output_->Finish();
  if (result.ok()) result = finished;
  // Free the encoder's buffers now rather than with the recorder.
  packet_.reset();
  yuv_.reset();
  encoder_.reset();
  output_.reset();
  stream_ = nullptr;
  converter_.reset();
  close_status_ = result;
  return result;
}

const bool kRegistered = RegisterRecorder(
    kName, "H.264 (libx264) in fragmented MP4, through FFmpeg's libraries",
    &Mp4Recorder::Create);

}  // namespace
}  // namespace rl
