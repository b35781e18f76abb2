// The "webm" recorder: VP9 through libvpx directly (real-time mode), muxed
// into WebM by libavformat's Matroska/WebM muxer fed the libvpx packets.
//
// Choices, each for playing everywhere or for surviving a crash:
// - Profile 0 (8-bit 4:2:0), colour tagged BT.709 limited range both in the
//   VP9 bitstream (VP9E_SET_COLOR_SPACE/RANGE) and in the WebM Colour
//   element; chroma sited at the centre of each 2x2 block, as Frame defines
//   it. Odd sizes are padded to even like the mp4 recorder does, though VP9
//   could code them: some hardware decoders cannot.
// - Real-time deadline, no lookahead (g_lag_in_frames = 0): every frame
//   comes out as a packet at once, so nothing is held back in the encoder.
//   Speed (cpu-used), row multithreading, threads and tile columns are
//   options. Quality is constant (VPX_Q with cq-level) unless a bitrate is
//   asked for (VPX_VBR).
// - The muxer ends a cluster at least every flush_interval_ms and at every
//   keyframe, and writes each cluster to the file as it completes: the
//   Segment's size stays "unknown" until the trailer, so a killed process
//   leaves a file that demuxers and browsers read cluster by cluster. A
//   normal close adds the Cues (seek index), the duration and the sizes.

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "rl/core/frame.h"
#include "rl/core/status_macros.h"
#include "rl/record/ffmpeg_util.h"
#include "rl/record/recorder.h"
#include "rl/record/yuv420_converter.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/pixfmt.h>
}

#include <vpx/vp8cx.h>
#include <vpx/vpx_encoder.h>
#include <vpx/vpx_image.h>

namespace rl {
namespace {

constexpr absl::string_view kName = "webm";
// libvpx's quantizer scale is 0..63; 32 looks like x264's crf 23 on
// rendered frames at a similar size.
constexpr int kDefaultCrf = 32;
constexpr int kMaxCrf = 63;
constexpr int kMaxSpeed = 9;  // libvpx 1.12's fastest real-time speed.
constexpr int kMaxTileColumnsLog2 = 6;
// libvpx caps its thread pool; more threads than tiles x rows do not help.
constexpr int kMaxAutoThreads = 8;

absl::Status ValidateOptions(const RecorderOptions& options) {
  if (options.crf.has_value()) {
    RL_RETURN_IF_ERROR(CheckRange(kName, "crf", *options.crf, 0, kMaxCrf));
  }
  RL_RETURN_IF_ERROR(
      CheckRange(kName, "vp9_speed", options.vp9_speed, 0, kMaxSpeed));
  RL_RETURN_IF_ERROR(CheckRange(kName, "vp9_tile_columns",
                                options.vp9_tile_columns, -1,
                                kMaxTileColumnsLog2));
  return absl::OkStatus();
}

class WebmRecorder final : public Recorder {
 public:
  static absl::StatusOr<std::unique_ptr<Recorder>> Create(
      const RecorderOptions& options);

  ~WebmRecorder() override {
    if (opened_ && !closed_) Close().IgnoreError();
    if (codec_open_) vpx_codec_destroy(&codec_);
    if (image_ != nullptr) vpx_img_free(image_);
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
  explicit WebmRecorder(const RecorderOptions& options) : options_(options) {}

  absl::Status Open();
  absl::Status OpenEncoder(int coded_width, int coded_height);
  // Encodes `image` (nullptr: flush the encoder) as frame `pts` and writes
  // every packet libvpx has ready.
  absl::Status Encode(const vpx_image_t* image, int64_t pts);
  // "libvpx <what>: <libvpx's error> (<detail>)".
  absl::Status VpxError(absl::string_view what);
  absl::Status Fail(absl::Status status) {
    if (status_.ok()) status_ = status;
    return status;
  }

  const RecorderOptions options_;
  EncoderInfo info_;
  std::unique_ptr<Yuv420Converter> converter_;
  vpx_codec_ctx_t codec_ = {};
  bool codec_open_ = false;
  vpx_image_t* image_ = nullptr;  // Owned (vpx_img_alloc).
  std::unique_ptr<VideoOutput> output_;
  AVStream* stream_ = nullptr;  // Owned by output_->muxer().
  std::unique_ptr<AVPacket, PacketDeleter> packet_;
  int64_t frames_written_ = 0;
  absl::Status status_;
  bool opened_ = false;
  bool closed_ = false;
  absl::Status close_status_;
};

absl::StatusOr<std::unique_ptr<Recorder>> WebmRecorder::Create(
    const RecorderOptions& options) {
  RL_RETURN_IF_ERROR(ValidateOptions(options));
  QuietFfmpegLogs();
  std::unique_ptr<WebmRecorder> recorder(new WebmRecorder(options));
  RL_RETURN_IF_ERROR(recorder->Open());
  return std::unique_ptr<Recorder>(std::move(recorder));
}

absl::Status WebmRecorder::VpxError(absl::string_view what) {
  const char* detail = vpx_codec_error_detail(&codec_);
  return absl::InternalError(
      absl::StrCat("webm recorder: libvpx ", what, " of '", options_.path,
                   "': ", vpx_codec_error(&codec_),
                   detail != nullptr ? absl::StrCat(" (", detail, ")") : ""));
}

absl::Status WebmRecorder::OpenEncoder(int coded_width, int coded_height) {
  vpx_codec_iface_t* vp9 = vpx_codec_vp9_cx();
  vpx_codec_enc_cfg_t config;
  if (vpx_codec_enc_config_default(vp9, &config, 0) != VPX_CODEC_OK) {
    return absl::InternalError("webm recorder: libvpx has no VP9 defaults");
  }
  const int keyframe_interval = options_.keyframe_interval > 0
                                    ? options_.keyframe_interval
                                    : options_.fps;
  const int threads =
      options_.threads > 0
          ? options_.threads
          : std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1,
                       kMaxAutoThreads);
  const int crf = options_.crf.value_or(kDefaultCrf);
  config.g_w = coded_width;
  config.g_h = coded_height;
  config.g_profile = 0;  // 8-bit 4:2:0.
  config.g_bit_depth = VPX_BITS_8;
  config.g_input_bit_depth = 8;
  config.g_timebase = {1, options_.fps};
  config.g_threads = threads;
  config.g_pass = VPX_RC_ONE_PASS;
  config.g_lag_in_frames = 0;  // No lookahead: a packet per frame, at once.
  config.g_error_resilient = 0;
  config.kf_mode = VPX_KF_AUTO;
  config.kf_min_dist = 0;
  config.kf_max_dist = keyframe_interval;
  if (options_.bitrate_kbps > 0) {
    config.rc_end_usage = VPX_VBR;
    config.rc_target_bitrate = options_.bitrate_kbps;
  } else {
    config.rc_end_usage = VPX_Q;
    config.rc_min_quantizer = 0;
    config.rc_max_quantizer = kMaxCrf;
  }
  if (vpx_codec_enc_init(&codec_, vp9, &config, 0) != VPX_CODEC_OK) {
    return VpxError(absl::StrCat("cannot open VP9 for ", coded_width, "x",
                                 coded_height, " at ", options_.fps, " fps"));
  }
  codec_open_ = true;
  struct Control {
    int id;
    int value;
    const char* name;
  };
  const Control controls[] = {
      {VP8E_SET_CPUUSED, options_.vp9_speed, "cpu-used"},
      {VP9E_SET_ROW_MT, options_.vp9_row_mt ? 1 : 0, "row-mt"},
      {VP9E_SET_COLOR_SPACE, VPX_CS_BT_709, "color space"},
      {VP9E_SET_COLOR_RANGE, VPX_CR_STUDIO_RANGE, "color range"},
      {options_.bitrate_kbps > 0 ? -1 : VP8E_SET_CQ_LEVEL, crf, "cq-level"},
      {options_.vp9_tile_columns >= 0 ? VP9E_SET_TILE_COLUMNS : -1,
       options_.vp9_tile_columns, "tile columns"},
  };
  for (const Control& control : controls) {
    if (control.id < 0) continue;
    if (vpx_codec_control_(&codec_, control.id, control.value) !=
        VPX_CODEC_OK) {
      return VpxError(
          absl::StrCat("rejected ", control.name, " ", control.value));
    }
  }

  image_ =
      vpx_img_alloc(nullptr, VPX_IMG_FMT_I420, coded_width, coded_height, 32);
  if (image_ == nullptr) {
    return absl::ResourceExhaustedError(
        "webm recorder: allocating the VP9 input image");
  }
  image_->cs = VPX_CS_BT_709;
  image_->range = VPX_CR_STUDIO_RANGE;

  info_.codec = "vp9";
  info_.profile = "0";
  info_.container = "webm";
  info_.coded_width = coded_width;
  info_.coded_height = coded_height;
  if (options_.bitrate_kbps > 0) {
    info_.settings.push_back(
        {"bitrate_kbps", std::to_string(options_.bitrate_kbps)});
  } else {
    info_.settings.push_back({"crf", std::to_string(crf)});
  }
  info_.settings.push_back({"deadline", "realtime"});
  info_.settings.push_back({"speed", std::to_string(options_.vp9_speed)});
  info_.settings.push_back({"row_mt", options_.vp9_row_mt ? "1" : "0"});
  info_.settings.push_back(
      {"tile_columns_log2", options_.vp9_tile_columns < 0
                                ? std::string("auto")
                                : std::to_string(options_.vp9_tile_columns)});
  info_.settings.push_back({"threads", std::to_string(threads)});
  info_.settings.push_back(
      {"keyframe_interval", std::to_string(keyframe_interval)});
  info_.settings.push_back(
      {"cluster_ms", std::to_string(options_.flush_interval_ms)});
  return absl::OkStatus();
}

absl::Status WebmRecorder::Open() {
  const std::string& path = options_.path;
  RL_ASSIGN_OR_RETURN(converter_,
                      Yuv420Converter::Create(options_.width, options_.height));
  const int coded_width = converter_->coded_width();
  const int coded_height = converter_->coded_height();
  RL_RETURN_IF_ERROR(OpenEncoder(coded_width, coded_height));

  RL_ASSIGN_OR_RETURN(output_, VideoOutput::Create(kName, "webm", path));
  stream_ = avformat_new_stream(output_->muxer(), nullptr);
  packet_.reset(av_packet_alloc());
  if (stream_ == nullptr || packet_ == nullptr) {
    return absl::ResourceExhaustedError(
        "webm recorder: creating the WebM video stream");
  }
  AVCodecParameters& parameters = *stream_->codecpar;
  parameters.codec_type = AVMEDIA_TYPE_VIDEO;
  parameters.codec_id = AV_CODEC_ID_VP9;
  parameters.profile = 0;
  parameters.width = coded_width;
  parameters.height = coded_height;
  parameters.format = AV_PIX_FMT_YUV420P;
  parameters.field_order = AV_FIELD_PROGRESSIVE;
  parameters.color_primaries = AVCOL_PRI_BT709;
  parameters.color_trc = AVCOL_TRC_BT709;
  parameters.color_space = AVCOL_SPC_BT709;
  parameters.color_range = AVCOL_RANGE_MPEG;
  parameters.chroma_location = AVCHROMA_LOC_CENTER;
  parameters.sample_aspect_ratio = {1, 1};
  stream_->time_base = {1, 1000};  // WebM's own: milliseconds.
  stream_->avg_frame_rate = {options_.fps, 1};
  stream_->r_frame_rate = {options_.fps, 1};

  AvOptions webm;
  // A cluster ends at least this often (and at keyframes): the unit a crash
  // can lose.
  webm.Set("cluster_time_limit", std::to_string(options_.flush_interval_ms));
  RL_RETURN_IF_ERROR(output_->WriteHeader(webm));
  opened_ = true;
  return absl::OkStatus();
}

absl::Status WebmRecorder::WriteFrame(const Frame& frame) {
  if (closed_) {
    return absl::FailedPreconditionError(absl::StrCat(
        "webm recorder: WriteFrame after Close on '", options_.path, "'"));
  }
  if (!status_.ok()) return status_;
  RL_RETURN_IF_ERROR(CheckFrame(kName, options_, frame));
  uint8_t* const planes[3] = {image_->planes[VPX_PLANE_Y],
                              image_->planes[VPX_PLANE_U],
                              image_->planes[VPX_PLANE_V]};
  const int strides[3] = {image_->stride[VPX_PLANE_Y],
                          image_->stride[VPX_PLANE_U],
                          image_->stride[VPX_PLANE_V]};
  RL_RETURN_IF_ERROR(Fail(converter_->Convert(frame, planes, strides)));
  RL_RETURN_IF_ERROR(Fail(Encode(image_, frames_written_)));
  ++frames_written_;
  return absl::OkStatus();
}

absl::Status WebmRecorder::Encode(const vpx_image_t* image, int64_t pts) {
  if (vpx_codec_encode(&codec_, image, pts, /*duration=*/1, /*flags=*/0,
                       VPX_DL_REALTIME) != VPX_CODEC_OK) {
    return VpxError(image != nullptr ? absl::StrCat("encoding frame ", pts)
                                     : std::string("flushing the encoder"));
  }
  vpx_codec_iter_t iterator = nullptr;
  const vpx_codec_cx_pkt_t* output;
  while ((output = vpx_codec_get_cx_data(&codec_, &iterator)) != nullptr) {
    if (output->kind != VPX_CODEC_CX_FRAME_PKT) continue;
    // libvpx owns its buffer until the next call: the muxer gets a copy.
    int error = av_new_packet(packet_.get(), output->data.frame.sz);
    if (error < 0) return AvError(error, "webm recorder: allocating a packet");
    std::memcpy(packet_->data, output->data.frame.buf, output->data.frame.sz);
    packet_->pts = output->data.frame.pts;
    packet_->dts = output->data.frame.pts;  // No reordering without lag.
    packet_->duration = output->data.frame.duration;
    if (output->data.frame.flags & VPX_FRAME_IS_KEY) {
      packet_->flags |= AV_PKT_FLAG_KEY;
    }
    packet_->stream_index = stream_->index;
    av_packet_rescale_ts(packet_.get(), AVRational{1, options_.fps},
                         stream_->time_base);
    RL_RETURN_IF_ERROR(output_->WritePacket(packet_.get()));
  }
  return absl::OkStatus();
}

absl::Status WebmRecorder::Close() {
  if (closed_) return close_status_;
  closed_ = true;
  absl::Status result = status_;
  // Without lookahead libvpx holds nothing back, but drain it regardless.
  absl::Status flushed = Encode(nullptr, frames_written_);
  if (result.ok()) result = flushed;
  absl::Status finished = output_->Finish();
  if (result.ok()) result = finished;
  packet_.reset();
  output_.reset();
  stream_ = nullptr;
  if (codec_open_) vpx_codec_destroy(&codec_);
  codec_open_ = false;
  vpx_img_free(image_);
  image_ = nullptr;
  converter_.reset();
  close_status_ = result;
  return result;
}

const bool kRegistered = RegisterRecorder(
    kName, "VP9 (libvpx, real-time) in WebM, clusters flushed as they complete",
    &WebmRecorder::Create);

}  // namespace
}  // namespace rl
