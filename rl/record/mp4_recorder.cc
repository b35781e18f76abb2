// The "mp4" recorder: H.264 (libx264 through libavcodec) in fragmented MP4
// (libavformat), with libswscale converting packed RGB to BT.709 yuv420p.
//
// Choices, each for playing everywhere or for surviving a crash:
// - yuv420p, High profile, colour tagged BT.709 limited range, and the RGB to
//   YUV conversion uses the BT.709 matrix so that the pixels match the tags.
// - Fragmented MP4 (frag_keyframe+empty_moov+default_base_moof): the moov box
//   comes first and every keyframe starts a fragment written straight to the
//   file, so a killed process leaves a playable prefix and a browser can play
//   from the first byte.
// - A keyframe every second (gop = fps) and x264's zerolatency tune: no
//   lookahead, no B-frames and no frame threads, so the encoder holds no
//   frames back and a crash loses at most the open fragment (< 1 s). Without
//   B-frames the first frame's timestamp is 0 too (empty_moov has no edit
//   list to hide a B-frame delay).

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "rl/core/frame.h"
#include "rl/core/status_macros.h"
#include "rl/record/recorder.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavformat/avio.h>
#include <libavutil/dict.h>
#include <libavutil/error.h>
#include <libavutil/frame.h>
#include <libavutil/log.h>
#include <libavutil/pixfmt.h>
#include <libswscale/swscale.h>
}

namespace rl {
namespace {

constexpr int kMaxSize = 8192;
constexpr int kMaxFps = 240;
constexpr int kMaxCrf = 51;
// In speed order, as error messages list them.
constexpr std::array<absl::string_view, 10> kX264Presets = {
    "ultrafast", "superfast", "veryfast", "faster",   "fast",
    "medium",    "slow",      "slower",   "veryslow", "placebo"};

struct CodecContextDeleter {
  void operator()(AVCodecContext* context) const {
    avcodec_free_context(&context);
  }
};
struct FrameDeleter {
  void operator()(AVFrame* frame) const { av_frame_free(&frame); }
};
struct PacketDeleter {
  void operator()(AVPacket* packet) const { av_packet_free(&packet); }
};
struct SwsContextDeleter {
  void operator()(SwsContext* context) const { sws_freeContext(context); }
};
// An output context: closes its file (if still open), then frees it.
struct OutputContextDeleter {
  void operator()(AVFormatContext* context) const {
    if (context->pb != nullptr) avio_closep(&context->pb);
    avformat_free_context(context);
  }
};

// Owns an AVDictionary of options.
class Options {
 public:
  Options() = default;
  Options(const Options&) = delete;
  Options& operator=(const Options&) = delete;
  ~Options() { av_dict_free(&dictionary_); }

  void Set(const char* key, const std::string& value) {
    av_dict_set(&dictionary_, key, value.c_str(), 0);
  }
  AVDictionary** get() { return &dictionary_; }
  // Keys left over after a call that consumes the options it knows.
  std::string Unused() const {
    std::vector<std::string> keys;
    const AVDictionaryEntry* entry = nullptr;
    while ((entry = av_dict_get(dictionary_, "", entry,
                                AV_DICT_IGNORE_SUFFIX)) != nullptr) {
      keys.push_back(absl::StrCat(entry->key, "=", entry->value));
    }
    return absl::StrJoin(keys, ", ");
  }

 private:
  AVDictionary* dictionary_ = nullptr;
};

std::string AvErrorText(int error) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(error, text, sizeof(text));
  return text;
}

// An FFmpeg error code as a status: `what` was being done. Errno-based codes
// map to the matching status code (ENOENT -> NotFound, ENOSPC ->
// ResourceExhausted...); FFmpeg's own codes are Internal.
absl::Status AvError(int error, absl::string_view what) {
  absl::StatusCode code = absl::ErrnoToStatusCode(AVUNERROR(error));
  if (code == absl::StatusCode::kUnknown) code = absl::StatusCode::kInternal;
  return absl::Status(code, absl::StrCat(what, ": ", AvErrorText(error)));
}

// x264 prints a few info lines per file at FFmpeg's default log level.
void QuietFfmpegLogs() {
  static const bool kQuiet = [] {
    av_log_set_level(AV_LOG_ERROR);
    return true;
  }();
  (void)kQuiet;
}

absl::Status CheckRange(absl::string_view name, int value, int low, int high) {
  if (value >= low && value <= high) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat("mp4 recorder: ", name, " is ",
                                                 value, ", valid range is ",
                                                 low, "..", high));
}

absl::Status ValidateOptions(const RecorderOptions& options) {
  if (options.path.empty()) {
    return absl::InvalidArgumentError("mp4 recorder: the output path is empty");
  }
  RL_RETURN_IF_ERROR(CheckRange("width", options.width, 1, kMaxSize));
  RL_RETURN_IF_ERROR(CheckRange("height", options.height, 1, kMaxSize));
  RL_RETURN_IF_ERROR(CheckRange("fps", options.fps, 1, kMaxFps));
  RL_RETURN_IF_ERROR(CheckRange("crf", options.crf, 0, kMaxCrf));
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
  int64_t frames_written() const override { return frames_written_; }
  const std::string& path() const override { return options_.path; }

 private:
  explicit Mp4Recorder(const RecorderOptions& options)
      : options_(options),
        coded_width_((options.width + 1) & ~1),
        coded_height_((options.height + 1) & ~1) {}

  absl::Status Open(const AVCodec* encoder);
  // Sends `frame` (nullptr: end of stream) to the encoder and writes every
  // packet it has ready.
  absl::Status Encode(const AVFrame* frame);
  // Copies `frame` into padded_rgb_, repeating the last column and row.
  void Pad(const Frame& frame);
  // Remembers the first error: the recorder stays failed after it.
  absl::Status Fail(absl::Status status) {
    if (status_.ok()) status_ = status;
    return status;
  }
  bool padded() const {
    return coded_width_ != options_.width || coded_height_ != options_.height;
  }

  const RecorderOptions options_;
  const int coded_width_;  // Even sizes the encoder works on.
  const int coded_height_;
  std::unique_ptr<AVFormatContext, OutputContextDeleter> muxer_;
  AVStream* stream_ = nullptr;  // Owned by muxer_.
  std::unique_ptr<AVCodecContext, CodecContextDeleter> encoder_;
  std::unique_ptr<AVFrame, FrameDeleter> yuv_;
  std::unique_ptr<AVPacket, PacketDeleter> packet_;
  std::unique_ptr<SwsContext, SwsContextDeleter> to_yuv_;
  std::vector<uint8_t> padded_rgb_;  // Only for odd sizes.
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

  AVFormatContext* muxer = nullptr;
  int error =
      avformat_alloc_output_context2(&muxer, nullptr, "mp4", path.c_str());
  if (error < 0) return AvError(error, "creating the MP4 muxer");
  muxer_.reset(muxer);
  stream_ = avformat_new_stream(muxer, nullptr);
  if (stream_ == nullptr) {
    return absl::ResourceExhaustedError("creating the MP4 video stream");
  }

  encoder_.reset(avcodec_alloc_context3(encoder));
  if (encoder_ == nullptr) {
    return absl::ResourceExhaustedError("allocating the libx264 encoder");
  }
  AVCodecContext& codec = *encoder_;
  codec.width = coded_width_;
  codec.height = coded_height_;
  codec.pix_fmt = AV_PIX_FMT_YUV420P;
  codec.time_base = time_base;
  codec.framerate = frame_rate;
  codec.gop_size = options_.fps;
  codec.max_b_frames = 0;
  codec.profile = FF_PROFILE_H264_HIGH;
  codec.color_primaries = AVCOL_PRI_BT709;
  codec.color_trc = AVCOL_TRC_BT709;
  codec.colorspace = AVCOL_SPC_BT709;
  codec.color_range = AVCOL_RANGE_MPEG;
  if (muxer->oformat->flags & AVFMT_GLOBALHEADER) {
    codec.flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  }
  Options x264;
  x264.Set("preset", options_.preset);
  x264.Set("tune", "zerolatency");
  x264.Set("profile", "high");
  x264.Set("crf", std::to_string(options_.crf));
  error = avcodec_open2(&codec, encoder, x264.get());
  if (error < 0) {
    return AvError(error,
                   absl::StrCat("opening libx264 for ", coded_width_, "x",
                                coded_height_, " at ", options_.fps, " fps"));
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
  yuv_->width = coded_width_;
  yuv_->height = coded_height_;
  yuv_->color_primaries = codec.color_primaries;
  yuv_->color_trc = codec.color_trc;
  yuv_->colorspace = codec.colorspace;
  yuv_->color_range = codec.color_range;
  error = av_frame_get_buffer(yuv_.get(), 0);
  if (error < 0) return AvError(error, "allocating the YUV frame");

  to_yuv_.reset(sws_getContext(coded_width_, coded_height_, AV_PIX_FMT_RGB24,
                               coded_width_, coded_height_, AV_PIX_FMT_YUV420P,
                               SWS_AREA | SWS_ACCURATE_RND, nullptr, nullptr,
                               nullptr));
  if (to_yuv_ == nullptr) {
    return absl::InternalError("creating the RGB to YUV converter");
  }
  // SWS_AREA: the chroma of each 2x2 block is the mean of its four pixels, so
  // sharp edges in rendered frames neither ring nor bleed (bilinear costs
  // ~6 dB PSNR on the test pattern). Full-range RGB in, BT.709 limited-range
  // YUV out, as the stream is tagged.
  const int* bt709 = sws_getCoefficients(SWS_CS_ITU709);
  if (sws_setColorspaceDetails(to_yuv_.get(), bt709, /*srcRange=*/1, bt709,
                               /*dstRange=*/0, /*brightness=*/0,
                               /*contrast=*/1 << 16,
                               /*saturation=*/1 << 16) < 0) {
    return absl::InternalError(
        "libswscale cannot convert RGB to BT.709 limited-range YUV");
  }
  if (padded()) {
    padded_rgb_.resize(static_cast<size_t>(coded_width_) * coded_height_ * 3);
  }

  error = avio_open(&muxer->pb, path.c_str(), AVIO_FLAG_WRITE);
  if (error < 0) {
    const absl::Status status = AvError(error, "");
    return absl::Status(
        status.code(),
        absl::StrCat("mp4 recorder: cannot open '", path, "' for writing",
                     status.message(),
                     "; check that its directory exists and is writable"));
  }
  // Each fragment goes to the file as soon as the muxer has it, not when
  // libavformat's 32 KiB write buffer happens to fill.
  muxer->flush_packets = 1;
  Options movflags;
  movflags.Set("movflags", "frag_keyframe+empty_moov+default_base_moof");
  error = avformat_write_header(muxer, movflags.get());
  if (error < 0) {
    return AvError(error,
                   absl::StrCat("writing the MP4 header of '", path, "'"));
  }
  if (std::string unused = movflags.Unused(); !unused.empty()) {
    return absl::InternalError(
        absl::StrCat("the MP4 muxer did not take the options ", unused));
  }
  avio_flush(muxer->pb);  // The moov box: the file plays from now on.
  if (muxer->pb->error < 0) {
    return AvError(muxer->pb->error,
                   absl::StrCat("writing the MP4 header of '", path, "'"));
  }
  opened_ = true;
  return absl::OkStatus();
}

void Mp4Recorder::Pad(const Frame& frame) {
  const size_t row_bytes = static_cast<size_t>(frame.stride());
  const size_t padded_row_bytes = static_cast<size_t>(coded_width_) * 3;
  for (int y = 0; y < coded_height_; ++y) {
    const uint8_t* source =
        frame.data() + std::min(y, frame.height() - 1) * row_bytes;
    uint8_t* target = padded_rgb_.data() + y * padded_row_bytes;
    std::memcpy(target, source, row_bytes);
    if (padded_row_bytes > row_bytes) {
      std::memcpy(target + row_bytes, source + row_bytes - 3, 3);
    }
  }
}

absl::Status Mp4Recorder::WriteFrame(const Frame& frame) {
  if (closed_) {
    return absl::FailedPreconditionError(absl::StrCat(
        "mp4 recorder: WriteFrame after Close on '", options_.path, "'"));
  }
  if (!status_.ok()) return status_;
  if (frame.format() != PixelFormat::kRgb24) {
    return absl::InvalidArgumentError(
        "mp4 recorder: only RGB frames are supported");
  }
  if (frame.width() != options_.width || frame.height() != options_.height) {
    return absl::InvalidArgumentError(absl::StrCat(
        "mp4 recorder: frame is ", frame.width(), "x", frame.height(), " but '",
        options_.path, "' was opened for ", options_.width, "x",
        options_.height));
  }
  int error = av_frame_make_writable(yuv_.get());
  if (error < 0) {
    return Fail(AvError(error, "making the encoder's input frame writable"));
  }
  const uint8_t* rgb = frame.data();
  int rgb_stride = frame.stride();
  if (padded()) {
    Pad(frame);
    rgb = padded_rgb_.data();
    rgb_stride = coded_width_ * 3;
  }
  const int rows = sws_scale(to_yuv_.get(), &rgb, &rgb_stride, 0, coded_height_,
                             yuv_->data, yuv_->linesize);
  if (rows < 0) return Fail(AvError(rows, "converting RGB to YUV"));
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
    // Takes the packet's reference, success or not.
    error = av_interleaved_write_frame(muxer_.get(), packet_.get());
    av_packet_unref(packet_.get());
    if (error < 0) {
      return AvError(error,
                     absl::StrCat("writing a packet to '", options_.path, "'"));
    }
  }
}

absl::Status Mp4Recorder::Close() {
  if (closed_) return close_status_;
  closed_ = true;
  // After a failure, still finalize what was written: the first error wins.
  absl::Status result = status_;
  absl::Status flushed = Encode(nullptr);
  if (result.ok()) result = flushed;
  int error = av_write_trailer(muxer_.get());
  if (error < 0 && result.ok()) {
    result = AvError(error, absl::StrCat("writing the MP4 trailer of '",
                                         options_.path, "'"));
  }
  AVIOContext* file = muxer_->pb;
  avio_flush(file);
  if (file->error < 0 && result.ok()) {
    result =
        AvError(file->error, absl::StrCat("writing '", options_.path, "'"));
  }
  error = avio_closep(&muxer_->pb);
  if (error < 0 && result.ok()) {
    result = AvError(error, absl::StrCat("closing '", options_.path, "'"));
  }
  // Free the encoder's buffers now rather than with the recorder.
  to_yuv_.reset();
  packet_.reset();
  yuv_.reset();
  encoder_.reset();
  muxer_.reset();
  stream_ = nullptr;
  padded_rgb_ = {};
  close_status_ = result;
  return result;
}

absl::StatusOr<std::unique_ptr<Recorder>> Factory(
    const RecorderOptions& options) {
  return Mp4Recorder::Create(options);
}

const bool kRegistered = Recorders().Register(
    "mp4", "H.264 in fragmented MP4 through FFmpeg's libavcodec/libx264",
    &Factory);

}  // namespace
}  // namespace rl
