// Owners for FFmpeg's C objects, the one set every module uses (recorders,
// the test decoder, the live view's JPEG encoder, the render tests' PNG
// files): std::unique_ptr deleters that call FFmpeg's own free functions.
// Header-only; it lives in rl/core so that rl/record and rl/render can both
// use it without depending on each other.
//
// Example:
//   std::unique_ptr<AVCodecContext, CodecContextDeleter> context(
//       avcodec_alloc_context3(codec));
//   std::unique_ptr<AVFrame, AvFrameDeleter> frame(av_frame_alloc());
#ifndef RL_CORE_FFMPEG_DELETERS_H_
#define RL_CORE_FFMPEG_DELETERS_H_

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libswscale/swscale.h>
}

namespace rl {

// avcodec_alloc_context3() -> avcodec_free_context().
struct CodecContextDeleter {
  void operator()(AVCodecContext* context) const {
    avcodec_free_context(&context);
  }
};

// av_frame_alloc() -> av_frame_free().
struct AvFrameDeleter {
  void operator()(AVFrame* frame) const { av_frame_free(&frame); }
};

// av_packet_alloc() -> av_packet_free().
struct PacketDeleter {
  void operator()(AVPacket* packet) const { av_packet_free(&packet); }
};

// avformat_open_input() -> avformat_close_input().
struct InputContextDeleter {
  void operator()(AVFormatContext* context) const {
    avformat_close_input(&context);
  }
};

// sws_getContext() -> sws_freeContext().
struct SwsContextDeleter {
  void operator()(SwsContext* context) const { sws_freeContext(context); }
};

}  // namespace rl

#endif  // RL_CORE_FFMPEG_DELETERS_H_
