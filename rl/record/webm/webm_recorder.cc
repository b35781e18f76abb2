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
//   Speed (cpu-used), row multithreading and tile columns are encoder
//   options, threads a shared setting. Quality is constant (VPX_Q with
//   cq-level) unless a bitrate is asked for (VPX_VBR).
// - The muxer ends a cluster at least every flush_interval_ms and at every
//   keyframe, and writes each cluster to the file as it completes: the
//   Segment's size stays "unknown" until the trailer, so a killed process
//   leaves a file that demuxers and browsers read cluster by cluster. A
//   normal close adds the Cues (seek index), the duration and the sizes.

//
// Encoder options (RecorderOptions::encoder_options):
//   speed=0..9          libvpx's real-time speed (cpu-used), higher is faster
//                       and larger (default 8: keeps up with training at
//                       720p on two cores).
//   row_mt=0|1          row-based multithreading inside each tile
//                       (VP9E_SET_ROW_MT; default 1).
//   tile_columns=-1..6  log2 of the tile columns (tiles are >= 256 px wide,
//                       so libvpx uses fewer on small frames); -1 (the
//                       default): libvpx's choice.

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
#include "rl/record/encoder_options.h"
#include "rl/record/ffmpeg_util.h"
#include "rl/record/recorder.h"
#include "rl/record/streaming_recorder.h"
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

// The webm recorder's own settings, from RecorderOptions.
struct Vp9Settings {
  int speed = 8;
  bool row_mt = true;
  int tile_columns = -1;  // log2; -1: libvpx's choice.
};

absl::StatusOr<Vp9Settings> ParseSettings(const RecorderOptions& options) {
  if (options.crf.has_value()) {
    RL_RETURN_IF_ERROR(CheckRange(kName, "crf", *options.crf, 0, kMaxCrf));
  }
  Vp9Settings settings;
  RL_ASSIGN_OR_RETURN(EncoderOptions parsed,
                      EncoderOptions::Parse(kName, options.encoder_options));
  RL_RETURN_IF_ERROR(parsed.Int("speed", 0, kMaxSpeed, &settings.speed));
  RL_RETURN_IF_ERROR(parsed.Bool("row_mt", &settings.row_mt));
  RL_RETURN_IF_ERROR(parsed.Int("tile_columns", -1, kMaxTileColumnsLog2,
                                &settings.tile_columns));
  RL_RETURN_IF_ERROR(parsed.Finish());
  return settings;
}

absl::Status CheckSettings(const RecorderOptions& options) {
  return ParseSettings(options).status();
}

class WebmRecorder final : public StreamingRecorder {
 public:
  static absl::StatusOr<std::unique_ptr<Recorder>> Create(
      const RecorderOptions& options);

  ~WebmRecorder() override {
    CloseIfOpen();
    Release();
  }

 private:
  WebmRecorder(const RecorderOptions& options, const Vp9Settings& vp9)
      : StreamingRecorder(kName, options), vp9_(vp9) {}

  absl::Status Open();
  absl::Status OpenEncoder(int coded_width, int coded_height);
  absl::Status EncodeFrame(const Frame& frame) override;
  absl::Status Drain() override {
    // Without lookahead libvpx holds nothing back, but drain it regardless.
    return Encode(nullptr, frames_written());
  }
  void Release() override;
  // Encodes `image` (nullptr: flush the encoder) as frame `pts` and writes
  // every packet libvpx has ready.
  absl::Status Encode(const vpx_image_t* image, int64_t pts);
  // "libvpx <what>: <libvpx's error> (<detail>)".
  absl::Status VpxError(absl::string_view what);

  const Vp9Settings vp9_;
  std::unique_ptr<Yuv420Converter> converter_;
  vpx_codec_ctx_t codec_ = {};
  bool codec_open_ = false;
  vpx_image_t* image_ = nullptr;  // Owned (vpx_img_alloc).
  AVStream* stream_ = nullptr;    // Owned by output()->muxer().
  std::unique_ptr<AVPacket, PacketDeleter> packet_;
};

absl::StatusOr<std::unique_ptr<Recorder>> WebmRecorder::Create(
    const RecorderOptions& options) {
  RL_ASSIGN_OR_RETURN(const Vp9Settings vp9, ParseSettings(options));
  QuietFfmpegLogs();
  std::unique_ptr<WebmRecorder> recorder(new WebmRecorder(options, vp9));
  RL_RETURN_IF_ERROR(recorder->Open());
  return std::unique_ptr<Recorder>(std::move(recorder));
}

absl::Status WebmRecorder::VpxError(absl::string_view what) {
  const char* detail = vpx_codec_error_detail(&codec_);
  return absl::InternalError(
      absl::StrCat("webm recorder: libvpx ", what, " of '", path(),
                   "': ", vpx_codec_error(&codec_),
                   detail != nullptr ? absl::StrCat(" (", detail, ")") : ""));
}

absl::Status WebmRecorder::OpenEncoder(int coded_width, int coded_height) {
  const RecorderOptions& options = this->options();
  vpx_codec_iface_t* vp9 = vpx_codec_vp9_cx();
  vpx_codec_enc_cfg_t config;
  if (vpx_codec_enc_config_default(vp9, &config, 0) != VPX_CODEC_OK) {
    return absl::InternalError("webm recorder: libvpx has no VP9 defaults");
  }
  const int keyframe_interval =
      options.keyframe_interval > 0 ? options.keyframe_interval : options.fps;
  const int threads =
      options.threads > 0
          ? options.threads
          : std::clamp(static_cast<int>(std::thread::hardware_concurrency()), 1,
                       kMaxAutoThreads);
  const int crf = options.crf.value_or(kDefaultCrf);
  config.g_w = coded_width;
  config.g_h = coded_height;
  config.g_profile = 0;  // 8-bit 4:2:0.
  config.g_bit_depth = VPX_BITS_8;
  config.g_input_bit_depth = 8;
  config.g_timebase = {1, options.fps};
  config.g_threads = threads;
  config.g_pass = VPX_RC_ONE_PASS;
  config.g_lag_in_frames = 0;  // No lookahead: a packet per frame, at once.
  config.g_error_resilient = 0;
  config.kf_mode = VPX_KF_AUTO;
  config.kf_min_dist = 0;
  config.kf_max_dist = keyframe_interval;
  if (options.bitrate_kbps > 0) {
    config.rc_end_usage = VPX_VBR;
    config.rc_target_bitrate = options.bitrate_kbps;
  } else {
    config.rc_end_usage = VPX_Q;
    config.rc_min_quantizer = 0;
    config.rc_max_quantizer = kMaxCrf;
  }
  if (vpx_codec_enc_init(&codec_, vp9, &config, 0) != VPX_CODEC_OK) {
    return VpxError(absl::StrCat("cannot open VP9 for ", coded_width, "x",
                                 coded_height, " at ", options.fps, " fps"));
  }
  codec_open_ = true;
  struct Control {
    int id;
    int value;
    const char* name;
  };
  const Control controls[] = {
      {VP8E_SET_CPUUSED, vp9_.speed, "cpu-used"},
      {VP9E_SET_ROW_MT, vp9_.row_mt ? 1 : 0, "row-mt"},
      {VP9E_SET_COLOR_SPACE, VPX_CS_BT_709, "color space"},
      {VP9E_SET_COLOR_RANGE, VPX_CR_STUDIO_RANGE, "color range"},
      {options.bitrate_kbps > 0 ? -1 : VP8E_SET_CQ_LEVEL, crf, "cq-level"},
      {vp9_.tile_columns >= 0 ? VP9E_SET_TILE_COLUMNS : -1, vp9_.tile_columns,
       "tile columns"},
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

  DescribeOutput("vp9", "0", "webm", coded_width, coded_height, crf);
  EncoderInfo& info = mutable_info();
  info.settings.push_back({"deadline", "realtime"});
  info.settings.push_back({"speed", std::to_string(vp9_.speed)});
  info.settings.push_back({"row_mt", vp9_.row_mt ? "1" : "0"});
  info.settings.push_back(
      {"tile_columns_log2", vp9_.tile_columns < 0
                                ? std::string("auto")
                                : std::to_string(vp9_.tile_columns)});
  info.settings.push_back({"threads", std::to_string(threads)});
  info.settings.push_back(
      {"keyframe_interval", std::to_string(keyframe_interval)});
  info.settings.push_back(
      {"cluster_ms", std::to_string(options.flush_interval_ms)});
  return absl::OkStatus();
}

absl::Status WebmRecorder::Open() {
  const RecorderOptions& options = this->options();
  const std::string& path = options.path;
  RL_ASSIGN_OR_RETURN(converter_,
                      Yuv420Converter::Create(options.width, options.height));
  const int coded_width = converter_->coded_width();
  const int coded_height = converter_->coded_height();
  RL_RETURN_IF_ERROR(OpenEncoder(coded_width, coded_height));

  RL_ASSIGN_OR_RETURN(std::unique_ptr<VideoOutput> output,
                      VideoOutput::Create(kName, "webm", path));
  set_output(std::move(output));
  stream_ = avformat_new_stream(this->output()->muxer(), nullptr);
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
  stream_->avg_frame_rate = {options.fps, 1};
  stream_->r_frame_rate = {options.fps, 1};

  AvOptions webm;
  // A cluster ends at least this often (and at keyframes): the unit a crash
  // can lose.
  webm.Set("cluster_time_limit", std::to_string(options.flush_interval_ms));
  RL_RETURN_IF_ERROR(this->output()->WriteHeader(webm));
  MarkOpened();
  return absl::OkStatus();
}

absl::Status WebmRecorder::EncodeFrame(const Frame& frame) {
  uint8_t* const planes[3] = {image_->planes[VPX_PLANE_Y],
                              image_->planes[VPX_PLANE_U],
                              image_->planes[VPX_PLANE_V]};
  const int strides[3] = {image_->stride[VPX_PLANE_Y],
                          image_->stride[VPX_PLANE_U],
                          image_->stride[VPX_PLANE_V]};
  RL_RETURN_IF_ERROR(converter_->Convert(frame, planes, strides));
  return Encode(image_, frames_written());
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
    av_packet_rescale_ts(packet_.get(), AVRational{1, options().fps},
                         stream_->time_base);
    RL_RETURN_IF_ERROR(this->output()->WritePacket(packet_.get()));
  }
  return absl::OkStatus();
}

void WebmRecorder::Release() {
  packet_.reset();
  stream_ = nullptr;
  if (codec_open_) vpx_codec_destroy(&codec_);
  codec_open_ = false;
  if (image_ != nullptr) vpx_img_free(image_);
  image_ = nullptr;
  converter_.reset();
}

const bool kRegistered = RegisterRecorder(
    kName,
    "VP9 in WebM (libvpx, real-time): smaller, clusters on disk as "
    "they complete",
    &WebmRecorder::Create, &CheckSettings);

}  // namespace
}  // namespace rl
