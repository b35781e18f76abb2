#include "rl/record/video_decoder.h"

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "rl/core/ffmpeg_deleters.h"
#include "rl/core/frame.h"
#include "rl/core/status_macros.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/error.h>
#include <libavutil/frame.h>
#include <libavutil/pixdesc.h>
#include <libavutil/pixfmt.h>
#include <libswscale/swscale.h>
}

namespace rl {
namespace {

absl::Status AvError(int error, absl::string_view what) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(error, text, sizeof(text));
  return absl::InternalError(absl::StrCat(what, ": ", text));
}

std::string NameOr(const char* name, const char* fallback) {
  return name != nullptr ? name : fallback;
}

class Decoder {
 public:
  absl::StatusOr<DecodedVideo> Decode(const std::string& path) {
    AVFormatContext* input = nullptr;
    int error = avformat_open_input(&input, path.c_str(), nullptr, nullptr);
    if (error < 0) return AvError(error, absl::StrCat("opening ", path));
    input_.reset(input);
    error = avformat_find_stream_info(input, nullptr);
    if (error < 0) return AvError(error, "reading the stream info");
    const AVCodec* codec = nullptr;
    const int index =
        av_find_best_stream(input, AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
    if (index < 0) return AvError(index, "finding a video stream");
    stream_ = input->streams[index];
    const AVCodecParameters& parameters = *stream_->codecpar;

    DecodedVideo& video = video_;
    video.codec_name = avcodec_get_name(parameters.codec_id);
    video.profile = NameOr(
        avcodec_profile_name(parameters.codec_id, parameters.profile), "");
    video.pix_fmt = NameOr(
        av_get_pix_fmt_name(static_cast<AVPixelFormat>(parameters.format)),
        "none");
    video.width = parameters.width;
    video.height = parameters.height;
    video.avg_frame_rate_num = stream_->avg_frame_rate.num;
    video.avg_frame_rate_den = stream_->avg_frame_rate.den;
    video.duration_seconds =
        stream_->duration != AV_NOPTS_VALUE
            ? stream_->duration * av_q2d(stream_->time_base)
            : static_cast<double>(input->duration) / AV_TIME_BASE;
    video.color_primaries =
        NameOr(av_color_primaries_name(parameters.color_primaries), "?");
    video.color_transfer =
        NameOr(av_color_transfer_name(parameters.color_trc), "?");
    video.color_space =
        NameOr(av_color_space_name(parameters.color_space), "?");
    video.color_range =
        NameOr(av_color_range_name(parameters.color_range), "?");
    video.chroma_location =
        NameOr(av_chroma_location_name(parameters.chroma_location), "?");

    decoder_.reset(avcodec_alloc_context3(codec));
    frame_.reset(av_frame_alloc());
    packet_.reset(av_packet_alloc());
    if (decoder_ == nullptr || frame_ == nullptr || packet_ == nullptr) {
      return absl::ResourceExhaustedError("allocating the decoder");
    }
    error = avcodec_parameters_to_context(decoder_.get(), &parameters);
    if (error < 0) return AvError(error, "copying the stream parameters");
    error = avcodec_open2(decoder_.get(), codec, nullptr);
    if (error < 0) return AvError(error, "opening the decoder");

    while ((error = av_read_frame(input, packet_.get())) >= 0) {
      absl::Status status = absl::OkStatus();
      if (packet_->stream_index == index) status = Send(packet_.get());
      av_packet_unref(packet_.get());
      RL_RETURN_IF_ERROR(status);
    }
    if (error != AVERROR_EOF) return AvError(error, "reading a packet");
    RL_RETURN_IF_ERROR(Send(nullptr));
    return std::move(video_);
  }

 private:
  absl::Status Send(const AVPacket* packet) {
    int error = avcodec_send_packet(decoder_.get(), packet);
    if (error == AVERROR_INVALIDDATA) {
      ++video_.corrupt_packets;  // Skipped, as players do.
      return absl::OkStatus();
    }
    if (error < 0) return AvError(error, "decoding a packet");
    while (true) {
      error = avcodec_receive_frame(decoder_.get(), frame_.get());
      if (error == AVERROR(EAGAIN) || error == AVERROR_EOF) {
        return absl::OkStatus();
      }
      if (error < 0) return AvError(error, "decoding a frame");
      absl::Status status = Keep(*frame_);
      av_frame_unref(frame_.get());
      RL_RETURN_IF_ERROR(status);
    }
  }

  // Converts `frame` to RGB with the matrix and range it is tagged with.
  absl::Status Keep(const AVFrame& frame) {
    to_rgb_.reset(sws_getCachedContext(
        to_rgb_.release(), frame.width, frame.height,
        static_cast<AVPixelFormat>(frame.format), frame.width, frame.height,
        AV_PIX_FMT_RGB24, SWS_POINT | SWS_ACCURATE_RND, nullptr, nullptr,
        nullptr));
    if (to_rgb_ == nullptr) return absl::InternalError("creating sws context");
    const int colorspace = frame.colorspace == AVCOL_SPC_UNSPECIFIED
                               ? SWS_CS_DEFAULT
                               : static_cast<int>(frame.colorspace);
    const int* coefficients = sws_getCoefficients(colorspace);
    sws_setColorspaceDetails(to_rgb_.get(), coefficients,
                             frame.color_range == AVCOL_RANGE_JPEG,
                             coefficients, /*dstRange=*/1, 0, 1 << 16, 1 << 16);
    Frame rgb(frame.width, frame.height);
    uint8_t* planes[1] = {rgb.data()};
    const int strides[1] = {rgb.stride()};
    const int rows = sws_scale(to_rgb_.get(), frame.data, frame.linesize, 0,
                               frame.height, planes, strides);
    if (rows < 0) return AvError(rows, "converting a frame to RGB");
    video_.frames.push_back(std::move(rgb));
    video_.pts_seconds.push_back(frame.best_effort_timestamp *
                                 av_q2d(stream_->time_base));
    video_.keyframes.push_back(frame.key_frame != 0);
    return absl::OkStatus();
  }

  std::unique_ptr<AVFormatContext, InputContextDeleter> input_;
  AVStream* stream_ = nullptr;  // Owned by input_.
  std::unique_ptr<AVCodecContext, CodecContextDeleter> decoder_;
  std::unique_ptr<AVFrame, AvFrameDeleter> frame_;
  std::unique_ptr<AVPacket, PacketDeleter> packet_;
  std::unique_ptr<SwsContext, SwsContextDeleter> to_rgb_;
  DecodedVideo video_;
};

}  // namespace

absl::StatusOr<DecodedVideo> DecodeVideo(absl::string_view path) {
  av_log_set_level(AV_LOG_ERROR);
  return Decoder().Decode(std::string(path));
}

}  // namespace rl
