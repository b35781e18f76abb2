// FFmpeg plumbing the recorders share: owners for FFmpeg's C objects, error
// codes as statuses, and the output side of libavformat (VideoOutput: create
// the file safely, write the header so the file plays from the first byte,
// write packets, flush, finish).
//
// Example:
//   RL_ASSIGN_OR_RETURN(auto output, VideoOutput::Create("webm", "webm",
//   path));
//   ...add a stream to output->muxer(), then:
//   RL_RETURN_IF_ERROR(output->WriteHeader(options));
//   RL_RETURN_IF_ERROR(output->WritePacket(packet));
//   RL_RETURN_IF_ERROR(output->Finish());
#ifndef RL_RECORD_FFMPEG_UTIL_H_
#define RL_RECORD_FFMPEG_UTIL_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rl/core/ffmpeg_deleters.h"
#include "rl/record/recorder.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/dict.h>
#include <libavutil/frame.h>
}

namespace rl {

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
// recorder: cannot write to '<path>': No space left on device (the disk is
// full); the file was cut back to its last complete <unit>, which plays;
// free some space or record elsewhere". `unit`: "fragment", "cluster".
absl::Status WriteError(int error, absl::string_view recorder,
                        const std::string& path, absl::string_view unit);

// Sets FFmpeg's log level to errors only, once (x264 prints info lines per
// file otherwise).
void QuietFfmpegLogs();

// A muxer writing a video file that this process creates: exclusively
// (O_CREAT|O_EXCL, so an existing file is never clobbered) and never through
// a symbolic link (O_NOFOLLOW), locked with flock(LOCK_EX) while it is
// written (so a gallery can tell a video being written from one a crash
// left behind), and cut back to its last complete fragment or cluster when
// a write fails (a full disk), so that what stays on disk plays cleanly.
//
// The muxers used (fragmented MP4, WebM) keep the open fragment or cluster
// in memory and write it whole, and every packet is pushed to the file once
// the muxer returns: after each successful WritePacket() the file ends on a
// fragment or cluster boundary.
class VideoOutput {
 public:
  // Creates the muxer for `format` ("mp4", "webm"); the file is not touched
  // yet. `recorder` prefixes messages ("mp4 recorder: ...").
  static absl::StatusOr<std::unique_ptr<VideoOutput>> Create(
      absl::string_view recorder, absl::string_view format,
      const std::string& path);
  ~VideoOutput();

  VideoOutput(const VideoOutput&) = delete;
  VideoOutput& operator=(const VideoOutput&) = delete;

  AVFormatContext* muxer() const { return muxer_; }
  const std::string& path() const { return path_; }

  // Creates the file (AlreadyExists if something, a link included, has its
  // name; other errors name the path, the OS reason and what to check),
  // writes the container header with `options` (every one must be taken)
  // and pushes it to the file, so the file plays from the first byte.
  absl::Status WriteHeader(AvOptions& options);

  // Hands `packet` (its reference is taken) to the muxer. On a failed write
  // the file is cut back to its last complete fragment or cluster and the
  // error says so (WriteError); every later write fails the same way.
  absl::Status WritePacket(AVPacket* packet);

  // Ends the open fragment or cluster (if it holds any frame) and writes it
  // to the file now: what was written so far survives a crash.
  absl::Status Flush();

  // Writes the trailer, flushes and closes the file; the first error. After
  // a failed write only closes (the file stays cut back).
  absl::Status Finish();

 private:
  VideoOutput(absl::string_view recorder, const std::string& path,
              absl::string_view unit, AVFormatContext* muxer)
      : recorder_(recorder), path_(path), unit_(unit), muxer_(muxer) {}

  static int WriteCallback(void* opaque, uint8_t* data, int size);
  static int64_t SeekCallback(void* opaque, int64_t offset, int whence);
  // The file's end is a fragment or cluster boundary: remembers the size.
  absl::Status MarkComplete();
  // After the muxer's write failed with `error`: cuts the file back.
  absl::Status Failed(int error);

  const std::string recorder_;
  const std::string path_;
  const std::string unit_;        // What the muxer writes whole: "cluster".
  AVFormatContext* const muxer_;  // Owned.
  AVIOContext* io_ = nullptr;     // Owned; muxer_->pb once the file is open.
  int fd_ = -1;
  int64_t position_ = 0;       // The file offset of the next write.
  int64_t end_ = 0;            // The most bytes ever written.
  int64_t complete_size_ = 0;  // Header and complete fragments or clusters.
  int write_errno_ = 0;        // The first failed write(2)'s errno.
  absl::Status failed_;        // Set once a write failed: no more writes.
};

// What an AvVideoEncoder is opened with: the settings every recorder shares,
// resolved (sizes coded, keyframe interval in frames).
struct AvEncoderSettings {
  int coded_width = 0;
  int coded_height = 0;
  int fps = 30;
  int keyframe_interval = 30;
  int threads = 0;       // 0: the encoder's choice.
  int bitrate_kbps = 0;  // > 0: aim at a bitrate.
  int profile = FF_PROFILE_UNKNOWN;

  // What `options` asks for, at the coded size (keyframe interval 0: one
  // second).
  static AvEncoderSettings For(const RecorderOptions& options, int coded_width,
                               int coded_height) {
    AvEncoderSettings settings;
    settings.coded_width = coded_width;
    settings.coded_height = coded_height;
    settings.fps = options.fps;
    settings.keyframe_interval =
        options.keyframe_interval > 0 ? options.keyframe_interval : options.fps;
    settings.threads = options.threads;
    settings.bitrate_kbps = options.bitrate_kbps;
    return settings;
  }
};

// A libavcodec video encoder writing into a new stream of a VideoOutput:
// yuv420p at the coded size, tagged BT.709 limited range with chroma at
// the centre of each 2x2 block, no B-frames (each frame's packet comes out
// at once), time base 1/fps; a reusable input frame; and the send/receive
// loop that hands each packet to the muxer as it comes.
//
// Example:
//   AvOptions x264;  x264.Set("preset", "medium");
//   RL_ASSIGN_OR_RETURN(auto encoder, AvVideoEncoder::Open(
//       "mp4", codec, settings, x264, *output));
//   RL_ASSIGN_OR_RETURN(AVFrame* input, encoder->WritableInput());
//   ...fill input->data, then:
//   RL_RETURN_IF_ERROR(encoder->Encode(frame_number));
//   RL_RETURN_IF_ERROR(encoder->Drain());  // At the end.
class AvVideoEncoder {
 public:
  // Opens `codec` with `settings` and the codec's private `options` (every
  // one must be taken) and adds its stream to `output`, whose header is not
  // written yet. `recorder` prefixes messages.
  static absl::StatusOr<std::unique_ptr<AvVideoEncoder>> Open(
      absl::string_view recorder, const AVCodec* codec,
      const AvEncoderSettings& settings, AvOptions& options,
      VideoOutput& output);

  // The input frame, made writable: fill its planes, then Encode().
  absl::StatusOr<AVFrame*> WritableInput();
  // Encodes the input frame as frame number `pts` and writes the packets
  // that are ready.
  absl::Status Encode(int64_t pts);
  // Ends the stream: writes every packet the encoder still holds.
  absl::Status Drain();

 private:
  AvVideoEncoder(VideoOutput& output) : output_(output) {}
  // Sends `frame` (nullptr: end of stream) and writes the packets ready.
  absl::Status Send(const AVFrame* frame);

  VideoOutput& output_;
  AVStream* stream_ = nullptr;  // Owned by output_.muxer().
  std::unique_ptr<AVCodecContext, CodecContextDeleter> context_;
  std::unique_ptr<AVFrame, AvFrameDeleter> input_;
  std::unique_ptr<AVPacket, PacketDeleter> packet_;
};

}  // namespace rl

#endif  // RL_RECORD_FFMPEG_UTIL_H_
