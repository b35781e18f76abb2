#include "rl/live/jpeg_encoder.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "rl/core/status_macros.h"
#include "rl/record/ffmpeg_util.h"

extern "C" {
#include <libavutil/imgutils.h>
#include <libswscale/swscale.h>
}

namespace rl {
namespace {

class FfmpegJpegEncoder : public JpegEncoder {
 public:
  absl::Status Init(int width, int height, int quality) {
    if (width < 1 || height < 1 || width > 8192 || height > 8192) {
      return absl::InvalidArgumentError(absl::StrCat(
          "JPEG picture size must be 1..8192 each, got ", width, "x", height));
    }
    if (quality < 2 || quality > 31) {
      return absl::InvalidArgumentError(
          absl::StrCat("JPEG quality (qscale) must be 2..31, got ", quality));
    }
    const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
    if (codec == nullptr) {
      return absl::NotFoundError(
          "FFmpeg has no mjpeg encoder: apt-get install libavcodec59");
    }
    context_.reset(avcodec_alloc_context3(codec));
    if (context_ == nullptr)
      return absl::ResourceExhaustedError("out of memory");
    context_->width = width;
    context_->height = height;
    context_->pix_fmt = AV_PIX_FMT_YUVJ420P;
    context_->color_range = AVCOL_RANGE_JPEG;
    context_->time_base = AVRational{1, 25};
    context_->flags |= AV_CODEC_FLAG_QSCALE;
    context_->global_quality = FF_QP2LAMBDA * quality;
    context_->thread_count = 1;  // The learner's core stays the learner's.
    int error = avcodec_open2(context_.get(), codec, nullptr);
    if (error < 0) return AvError(error, "cannot open FFmpeg's mjpeg encoder");
    picture_.reset(av_frame_alloc());
    packet_.reset(av_packet_alloc());
    if (picture_ == nullptr || packet_ == nullptr) {
      return absl::ResourceExhaustedError("out of memory");
    }
    picture_->format = AV_PIX_FMT_YUVJ420P;
    picture_->width = width;
    picture_->height = height;
    picture_->quality = context_->global_quality;
    error = av_frame_get_buffer(picture_.get(), 0);
    if (error < 0) return AvError(error, "cannot allocate a JPEG picture");
    // YUVJ420P's layout, named as plain YUV420P with a full-range output
    // (naming the deprecated J format makes libswscale log a warning).
    scaler_.reset(sws_getContext(width, height, AV_PIX_FMT_RGB24, width, height,
                                 AV_PIX_FMT_YUV420P, SWS_BILINEAR, nullptr,
                                 nullptr, nullptr));
    if (scaler_ == nullptr) {
      return absl::InternalError("libswscale cannot convert RGB24 to YUV420P");
    }
    const int* bt601 = sws_getCoefficients(SWS_CS_ITU601);
    sws_setColorspaceDetails(scaler_.get(), bt601, /*srcRange=*/1, bt601,
                             /*dstRange=*/1, 0, 1 << 16, 1 << 16);
    return absl::OkStatus();
  }

  absl::StatusOr<std::string> Encode(const Frame& frame) override {
    if (frame.format() != PixelFormat::kRgb24 ||
        frame.width() != context_->width ||
        frame.height() != context_->height) {
      return absl::InvalidArgumentError(absl::StrCat(
          "JpegEncoder takes ", context_->width, "x", context_->height,
          " RGB frames, got ", frame.width(), "x", frame.height(),
          frame.format() == PixelFormat::kRgb24 ? " RGB" : " YUV"));
    }
    int error = av_frame_make_writable(picture_.get());
    if (error < 0) return AvError(error, "cannot write a JPEG picture");
    const uint8_t* source[1] = {frame.data()};
    const int source_stride[1] = {frame.stride()};
    sws_scale(scaler_.get(), source, source_stride, 0, frame.height(),
              picture_->data, picture_->linesize);
    picture_->pts = pts_++;
    error = avcodec_send_frame(context_.get(), picture_.get());
    if (error < 0) return AvError(error, "mjpeg encoder refused a picture");
    std::string jpeg;
    while ((error = avcodec_receive_packet(context_.get(), packet_.get())) >=
           0) {
      jpeg.append(reinterpret_cast<const char*>(packet_->data), packet_->size);
      av_packet_unref(packet_.get());
    }
    if (error != AVERROR(EAGAIN) && error != AVERROR_EOF) {
      return AvError(error, "mjpeg encoder failed");
    }
    if (jpeg.empty()) return absl::InternalError("mjpeg encoder gave nothing");
    return jpeg;
  }

  int width() const override { return context_->width; }
  int height() const override { return context_->height; }

 private:
  std::unique_ptr<AVCodecContext, CodecContextDeleter> context_;
  std::unique_ptr<AVFrame, AvFrameDeleter> picture_;
  std::unique_ptr<AVPacket, PacketDeleter> packet_;
  std::unique_ptr<SwsContext, SwsContextDeleter> scaler_;
  int64_t pts_ = 0;
};

}  // namespace

absl::StatusOr<std::unique_ptr<JpegEncoder>> JpegEncoder::Create(int width,
                                                                 int height,
                                                                 int quality) {
  auto encoder = std::make_unique<FfmpegJpegEncoder>();
  RL_RETURN_IF_ERROR(encoder->Init(width, height, quality));
  return std::unique_ptr<JpegEncoder>(std::move(encoder));
}

}  // namespace rl
