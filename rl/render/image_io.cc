#include "rl/render/image_io.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/error.h>
#include <libavutil/frame.h>
#include <libavutil/pixfmt.h>
}

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "rl/core/ffmpeg_deleters.h"
#include "rl/core/frame.h"

namespace rl {
namespace {

std::string AvError(int error) {
  char text[AV_ERROR_MAX_STRING_SIZE] = "";
  av_strerror(error, text, sizeof(text));
  return text;
}

absl::Status WriteFile(absl::string_view path, const uint8_t* data, size_t size,
                       absl::string_view header = "") {
  const std::string file_name(path);
  std::FILE* file = std::fopen(file_name.c_str(), "wb");
  if (file == nullptr) {
    return absl::UnavailableError(absl::StrCat(
        "cannot open ", path, " for writing: ", std::strerror(errno)));
  }
  bool ok = std::fwrite(header.data(), 1, header.size(), file) == header.size();
  if (ok && size > 0) ok = std::fwrite(data, 1, size, file) == size;
  // Close even after a failed write; a failed close loses buffered data too.
  ok = (std::fclose(file) == 0) && ok;
  if (!ok) {
    return absl::UnavailableError(
        absl::StrCat("writing ", path, " failed: ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

absl::Status CheckRgb(const Frame& frame, absl::string_view what) {
  if (frame.format() != PixelFormat::kRgb24 || frame.width() < 1 ||
      frame.height() < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, " takes a non-empty kRgb24 frame, got ", frame.width(), "x",
        frame.height(),
        frame.format() == PixelFormat::kRgb24 ? " rgb24" : " yuv420p"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status WritePpm(const Frame& frame, absl::string_view path) {
  if (absl::Status status = CheckRgb(frame, "WritePpm"); !status.ok()) {
    return status;
  }
  return WriteFile(
      path, frame.data(), frame.size_bytes(),
      absl::StrCat("P6\n", frame.width(), " ", frame.height(), "\n255\n"));
}

absl::Status WritePng(const Frame& frame, absl::string_view path) {
  if (absl::Status status = CheckRgb(frame, "WritePng"); !status.ok()) {
    return status;
  }
  const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_PNG);
  if (codec == nullptr) {
    return absl::UnavailableError(
        "libavcodec has no PNG encoder; install libavcodec59");
  }
  std::unique_ptr<AVCodecContext, CodecContextDeleter> context(
      avcodec_alloc_context3(codec));
  std::unique_ptr<AVFrame, AvFrameDeleter> picture(av_frame_alloc());
  std::unique_ptr<AVPacket, PacketDeleter> packet(av_packet_alloc());
  if (context == nullptr || picture == nullptr || packet == nullptr) {
    return absl::ResourceExhaustedError("out of memory for the PNG encoder");
  }
  context->width = frame.width();
  context->height = frame.height();
  context->pix_fmt = AV_PIX_FMT_RGB24;
  context->time_base = AVRational{1, 1};
  int error = avcodec_open2(context.get(), codec, nullptr);
  if (error < 0) {
    return absl::InternalError(
        absl::StrCat("opening the PNG encoder failed: ", AvError(error)));
  }
  picture->format = AV_PIX_FMT_RGB24;
  picture->width = frame.width();
  picture->height = frame.height();
  // The encoder only reads the picture: borrow the frame's memory.
  picture->data[0] = const_cast<uint8_t*>(frame.data());
  picture->linesize[0] = frame.stride();
  error = avcodec_send_frame(context.get(), picture.get());
  if (error >= 0) error = avcodec_send_frame(context.get(), nullptr);
  if (error >= 0) error = avcodec_receive_packet(context.get(), packet.get());
  if (error < 0) {
    return absl::InternalError(
        absl::StrCat("encoding ", path, " as PNG failed: ", AvError(error)));
  }
  return WriteFile(path, packet->data, packet->size);
}

absl::StatusOr<Frame> ReadPng(absl::string_view path) {
  const std::string file_name(path);
  std::FILE* file = std::fopen(file_name.c_str(), "rb");
  if (file == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("cannot open ", path, ": ", std::strerror(errno)));
  }
  std::vector<uint8_t> bytes;
  uint8_t buffer[65536];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), file)) > 0) {
    bytes.insert(bytes.end(), buffer, buffer + n);
  }
  std::fclose(file);
  const size_t size = bytes.size();
  bytes.resize(size + AV_INPUT_BUFFER_PADDING_SIZE, 0);

  const AVCodec* codec = avcodec_find_decoder(AV_CODEC_ID_PNG);
  if (codec == nullptr) {
    return absl::UnavailableError(
        "libavcodec has no PNG decoder; install libavcodec59");
  }
  std::unique_ptr<AVCodecContext, CodecContextDeleter> context(
      avcodec_alloc_context3(codec));
  std::unique_ptr<AVFrame, AvFrameDeleter> picture(av_frame_alloc());
  std::unique_ptr<AVPacket, PacketDeleter> packet(av_packet_alloc());
  if (context == nullptr || picture == nullptr || packet == nullptr) {
    return absl::ResourceExhaustedError("out of memory for the PNG decoder");
  }
  int error = avcodec_open2(context.get(), codec, nullptr);
  if (error < 0) {
    return absl::InternalError(
        absl::StrCat("opening the PNG decoder failed: ", AvError(error)));
  }
  packet->data = bytes.data();
  packet->size = static_cast<int>(size);
  error = avcodec_send_packet(context.get(), packet.get());
  if (error >= 0) error = avcodec_receive_frame(context.get(), picture.get());
  packet->data = nullptr;
  packet->size = 0;
  if (error < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        path, " is not a PNG libavcodec can read: ", AvError(error)));
  }
  if (picture->format != AV_PIX_FMT_RGB24) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, " is not an 8-bit RGB PNG (pixel format ",
                     picture->format, "); write golden images with WritePng"));
  }
  Frame frame(picture->width, picture->height);
  for (int y = 0; y < picture->height; ++y) {
    std::memcpy(
        frame.data() + static_cast<size_t>(y) * frame.stride(),
        picture->data[0] + static_cast<size_t>(y) * picture->linesize[0],
        frame.stride());
  }
  return frame;
}

}  // namespace rl
