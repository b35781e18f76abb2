// FFmpeg plumbing the recorders share: owners for FFmpeg's C objects, error
// codes as statuses, and the output side of libavformat (open a file, write
// the header so the file plays from the first byte, finish it).
//
// Example:
//   RL_ASSIGN_OR_RETURN(Muxer muxer, CreateMuxer("webm", "webm", path));
//   ...add a stream, then:
//   RL_RETURN_IF_ERROR(OpenAndWriteHeader(muxer.get(), "webm", path, options));
#ifndef RL_RECORD_FFMPEG_UTIL_H_
#define RL_RECORD_FFMPEG_UTIL_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/dict.h>
#include <libavutil/frame.h>
}

namespace rl {

struct CodecContextDeleter {
  void operator()(AVCodecContext* context) const {
    avcodec_free_context(&context);
  }
};
struct AvFrameDeleter {
  void operator()(AVFrame* frame) const { av_frame_free(&frame); }
};
struct PacketDeleter {
  void operator()(AVPacket* packet) const { av_packet_free(&packet); }
};
// An output context: closes its file (if still open), then frees it.
struct OutputContextDeleter {
  void operator()(AVFormatContext* context) const {
    if (context->pb != nullptr) avio_closep(&context->pb);
    avformat_free_context(context);
  }
};
using Muxer = std::unique_ptr<AVFormatContext, OutputContextDeleter>;

// Owns an AVDictionary of options.
class AvOptions {
 public:
  AvOptions() = default;
  AvOptions(const AvOptions&) = delete;
  AvOptions& operator=(const AvOptions&) = delete;
  ~AvOptions() { av_dict_free(&dictionary_); }

  void Set(const char* key, const std::string& value) {
    av_dict_set(&dictionary_, key, value.c_str(), 0);
  }
  AVDictionary** get() { return &dictionary_; }
  // "key=value, ..." of the keys left after a call that consumes the
  // options it knows; empty when all were taken.
  std::string Unused() const;

 private:
  AVDictionary* dictionary_ = nullptr;
};

// FFmpeg's text for an error code.
std::string AvErrorText(int error);

// An FFmpeg error code as a status: "<what>: <FFmpeg's text>". Errno-based
// codes map to the matching status code (ENOENT -> NotFound, ENOSPC and
// EFBIG -> ResourceExhausted...); FFmpeg's own codes are Internal.
absl::Status AvError(int error, absl::string_view what);

// The error of a failed write to the video file, with what to do: "<recorder>
// recorder: cannot write to '<path>': No space left on device; the frames
// written before stay playable; free some space or record elsewhere".
absl::Status WriteError(int error, absl::string_view recorder,
                        const std::string& path);

// Sets FFmpeg's log level to errors only, once (x264 prints info lines per
// file otherwise).
void QuietFfmpegLogs();

// Creates an output context for `format` ("mp4", "webm") writing `path`;
// the file is not touched yet. `recorder` prefixes messages
// ("mp4 recorder: ...").
absl::StatusOr<Muxer> CreateMuxer(absl::string_view recorder,
                                  absl::string_view format,
                                  const std::string& path);

// Opens `path` for writing (errors name the path, the OS reason and what to
// check), writes the container header with `options` (every one must be
// taken) and pushes it to the file, so the file plays from the first byte.
// From then on the muxer flushes every fragment or cluster it completes
// straight to the file.
absl::Status OpenAndWriteHeader(AVFormatContext* muxer,
                                absl::string_view recorder,
                                const std::string& path, AvOptions& options);

// Writes the trailer, flushes and closes the file. Returns the first error.
absl::Status FinishMuxer(AVFormatContext* muxer, absl::string_view recorder,
                         const std::string& path);

}  // namespace rl

#endif  // RL_RECORD_FFMPEG_UTIL_H_
