#include "rl/live/test_util.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <memory>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "rl/record/ffmpeg_util.h"

extern "C" {
#include <libswscale/swscale.h>
}

namespace rl {

int ConnectToPort(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  // Bounded: a server that stopped accepting must fail a test, not hang it.
  timeval timeout{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) !=
      0) {
    close(fd);
    return -1;
  }
  return fd;
}

std::string ReadFor(int fd, absl::Duration timeout, size_t limit) {
  std::string out;
  const absl::Time deadline = absl::Now() + timeout;
  char buffer[65536];
  while (out.size() < limit) {
    const int64_t left = absl::ToInt64Milliseconds(deadline - absl::Now());
    if (left <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left)) <= 0) break;
    const ssize_t got = read(fd, buffer, sizeof(buffer));
    if (got <= 0) break;
    out.append(buffer, static_cast<size_t>(got));
  }
  return out;
}

absl::StatusOr<HttpReply> ParseHttpReply(const std::string& raw) {
  const size_t end = raw.find("\r\n\r\n");
  if (end == std::string::npos) {
    return absl::DataLossError(absl::StrCat("no complete reply head in ",
                                            raw.size(), " bytes: '",
                                            raw.substr(0, 200), "'"));
  }
  HttpReply reply;
  std::vector<std::string> lines = absl::StrSplit(raw.substr(0, end), "\r\n");
  std::vector<std::string> status = absl::StrSplit(lines[0], ' ');
  if (status.size() < 2 || !absl::StartsWith(status[0], "HTTP/1.") ||
      !absl::SimpleAtoi(status[1], &reply.status)) {
    return absl::DataLossError(absl::StrCat("bad status line: ", lines[0]));
  }
  for (size_t i = 1; i < lines.size(); ++i) {
    const size_t colon = lines[i].find(':');
    if (colon == std::string::npos) continue;
    reply.headers[absl::AsciiStrToLower(lines[i].substr(0, colon))] =
        std::string(absl::StripAsciiWhitespace(lines[i].substr(colon + 1)));
  }
  std::string body = raw.substr(end + 4);
  auto te = reply.headers.find("transfer-encoding");
  if (te != reply.headers.end() && te->second == "chunked") {
    size_t at = 0;
    while (true) {
      const size_t line_end = body.find("\r\n", at);
      if (line_end == std::string::npos) break;
      size_t size = 0;
      if (!absl::SimpleHexAtoi(body.substr(at, line_end - at), &size) ||
          size == 0) {
        break;
      }
      reply.body += body.substr(line_end + 2, size);
      at = line_end + 2 + size + 2;
    }
  } else {
    reply.body = std::move(body);
  }
  return reply;
}

absl::StatusOr<HttpReply> RawHttp(int port, const std::string& request,
                                  absl::Duration timeout) {
  const int fd = ConnectToPort(port);
  if (fd < 0) return absl::UnavailableError("cannot connect");
  size_t sent = 0;
  while (sent < request.size()) {
    const ssize_t n =
        send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // The server may answer before reading it all.
    sent += static_cast<size_t>(n);
  }
  // Until the reply is complete (servers may keep the connection open).
  std::string raw;
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    const std::string more = ReadFor(fd, absl::Milliseconds(50));
    raw += more;
    const size_t head_end = raw.find("\r\n\r\n");
    if (head_end != std::string::npos) {
      absl::StatusOr<HttpReply> reply = ParseHttpReply(raw);
      if (reply.ok()) {
        auto length = reply->headers.find("content-length");
        size_t expected = 0;
        const bool head_only = absl::StartsWith(request, "HEAD ");
        if (length != reply->headers.end() &&
            absl::SimpleAtoi(length->second, &expected) &&
            (head_only || raw.size() - head_end - 4 >= expected)) {
          break;
        }
      }
      if (absl::EndsWith(raw, "\r\n0\r\n\r\n")) break;
    }
    if (more.empty()) {
      // Closed, or quiet: a closed socket reads 0 at once.
      pollfd p{fd, POLLIN, 0};
      char byte;
      if (poll(&p, 1, 0) == 1 && recv(fd, &byte, 1, MSG_PEEK) <= 0) break;
    }
  }
  close(fd);
  return ParseHttpReply(raw);
}

absl::StatusOr<HttpReply> HttpGet(int port, const std::string& target,
                                  const std::string& extra_headers) {
  return RawHttp(
      port, absl::StrCat("GET ", target, " HTTP/1.1\r\nHost: 127.0.0.1\r\n",
                         extra_headers, "Connection: close\r\n\r\n"));
}

absl::StatusOr<Frame> DecodeJpeg(const std::string& jpeg) {
  const AVCodec* codec = avcodec_find_decoder(AV_CODEC_ID_MJPEG);
  std::unique_ptr<AVCodecContext, CodecContextDeleter> context(
      avcodec_alloc_context3(codec));
  int error = avcodec_open2(context.get(), codec, nullptr);
  if (error < 0) return AvError(error, "cannot open the mjpeg decoder");
  std::unique_ptr<AVPacket, PacketDeleter> packet(av_packet_alloc());
  std::unique_ptr<AVFrame, AvFrameDeleter> picture(av_frame_alloc());
  packet->data = reinterpret_cast<uint8_t*>(const_cast<char*>(jpeg.data()));
  packet->size = static_cast<int>(jpeg.size());
  error = avcodec_send_packet(context.get(), packet.get());
  if (error < 0) return AvError(error, "not a JPEG");
  avcodec_send_packet(context.get(), nullptr);
  error = avcodec_receive_frame(context.get(), picture.get());
  if (error < 0) return AvError(error, "JPEG decodes to nothing");
  // libswscale may write past the end of an unpadded row: convert into a
  // padded AVFrame, then copy.
  std::unique_ptr<AVFrame, AvFrameDeleter> rgb(av_frame_alloc());
  rgb->format = AV_PIX_FMT_RGB24;
  rgb->width = picture->width;
  rgb->height = picture->height;
  if (av_frame_get_buffer(rgb.get(), 0) < 0) {
    return absl::ResourceExhaustedError("out of memory");
  }
  AVPixelFormat format = static_cast<AVPixelFormat>(picture->format);
  const bool full_range = format == AV_PIX_FMT_YUVJ420P ||
                          format == AV_PIX_FMT_YUVJ422P ||
                          format == AV_PIX_FMT_YUVJ444P;
  if (format == AV_PIX_FMT_YUVJ420P) format = AV_PIX_FMT_YUV420P;
  if (format == AV_PIX_FMT_YUVJ422P) format = AV_PIX_FMT_YUV422P;
  if (format == AV_PIX_FMT_YUVJ444P) format = AV_PIX_FMT_YUV444P;
  SwsContext* scaler = sws_getContext(
      picture->width, picture->height, format, picture->width, picture->height,
      AV_PIX_FMT_RGB24, SWS_BILINEAR, nullptr, nullptr, nullptr);
  if (scaler == nullptr) return absl::InternalError("no RGB conversion");
  const int* bt601 = sws_getCoefficients(SWS_CS_ITU601);
  sws_setColorspaceDetails(scaler, bt601, full_range ? 1 : 0, bt601, 1, 0,
                           1 << 16, 1 << 16);
  sws_scale(scaler, picture->data, picture->linesize, 0, picture->height,
            rgb->data, rgb->linesize);
  sws_freeContext(scaler);
  Frame frame(picture->width, picture->height, PixelFormat::kRgb24);
  for (int y = 0; y < picture->height; ++y) {
    std::copy_n(rgb->data[0] + y * rgb->linesize[0], frame.stride(),
                frame.data() + y * frame.stride());
  }
  return frame;
}

}  // namespace rl
