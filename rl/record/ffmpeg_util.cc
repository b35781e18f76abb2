#include "rl/record/ffmpeg_util.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "rl/core/status_macros.h"

extern "C" {
#include <libavformat/avio.h>
#include <libavutil/error.h>
#include <libavutil/log.h>
#include <libavutil/mem.h>
}

namespace rl {

std::string AvOptions::Unused() const {
  std::vector<std::string> keys;
  const AVDictionaryEntry* entry = nullptr;
  while ((entry = av_dict_get(dictionary_, "", entry, AV_DICT_IGNORE_SUFFIX)) !=
         nullptr) {
    keys.push_back(absl::StrCat(entry->key, "=", entry->value));
  }
  return absl::StrJoin(keys, ", ");
}

std::string AvErrorText(int error) {
  char text[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(error, text, sizeof(text));
  return text;
}

absl::Status AvError(int error, absl::string_view what) {
  absl::StatusCode code = absl::ErrnoToStatusCode(AVUNERROR(error));
  if (code == absl::StatusCode::kUnknown) code = absl::StatusCode::kInternal;
  // A full disk and a file size limit both mean: no room for the video.
  if (AVUNERROR(error) == EFBIG) code = absl::StatusCode::kResourceExhausted;
  return absl::Status(code, absl::StrCat(what, ": ", AvErrorText(error)));
}

absl::Status WriteError(int error, absl::string_view recorder,
                        const std::string& path, absl::string_view unit) {
  const absl::Status status = AvError(error, "");
  absl::string_view why = "";
  if (AVUNERROR(error) == ENOSPC) why = " (the disk is full)";
  if (AVUNERROR(error) == EFBIG) why = " (the file size limit is reached)";
  return absl::Status(
      status.code(),
      absl::StrCat(recorder, " recorder: cannot write to '", path, "'",
                   status.message(), why,
                   "; the file was cut back to its last complete ", unit,
                   ", which plays; free some space or record elsewhere"));
}

void QuietFfmpegLogs() {
  static const bool kQuiet = [] {
    av_log_set_level(AV_LOG_ERROR);
    return true;
  }();
  (void)kQuiet;
}

absl::StatusOr<std::unique_ptr<VideoOutput>> VideoOutput::Create(
    absl::string_view recorder, absl::string_view format,
    const std::string& path) {
  AVFormatContext* context = nullptr;
  const std::string format_name(format);
  int error = avformat_alloc_output_context2(&context, nullptr,
                                             format_name.c_str(), path.c_str());
  if (error < 0) {
    return AvError(error, absl::StrCat(recorder, " recorder: creating the ",
                                       format, " muxer"));
  }
  // The file is ours (WriteHeader), not libavformat's to open or close.
  context->flags |= AVFMT_FLAG_CUSTOM_IO;
  // Fragmented MP4's unit is the fragment, Matroska's (WebM) the cluster.
  const absl::string_view unit = format == "mp4" ? "fragment" : "cluster";
  return std::unique_ptr<VideoOutput>(
      new VideoOutput(recorder, path, unit, context));
}

VideoOutput::~VideoOutput() {
  avformat_free_context(muxer_);
  if (io_ != nullptr) {
    av_freep(&io_->buffer);
    avio_context_free(&io_);
  }
  if (fd_ >= 0) close(fd_);
}

int VideoOutput::WriteCallback(void* opaque, uint8_t* data, int size) {
  VideoOutput& self = *static_cast<VideoOutput*>(opaque);
  if (!self.failed_.ok()) return AVERROR(self.write_errno_);
  for (int done = 0; done < size;) {
    const ssize_t written = write(self.fd_, data + done, size - done);
    if (written < 0) {
      if (errno == EINTR) continue;
      self.write_errno_ = errno;
      return AVERROR(errno);
    }
    done += written;
    self.position_ += written;
    self.end_ = std::max(self.end_, self.position_);
  }
  return size;
}

int64_t VideoOutput::SeekCallback(void* opaque, int64_t offset, int whence) {
  VideoOutput& self = *static_cast<VideoOutput*>(opaque);
  if (whence & AVSEEK_SIZE) {
    struct stat info;
    if (fstat(self.fd_, &info) != 0) return AVERROR(errno);
    return info.st_size;
  }
  const off_t position = lseek(self.fd_, offset, whence & ~AVSEEK_FORCE);
  if (position < 0) return AVERROR(errno);
  self.position_ = position;
  return position;
}

absl::Status VideoOutput::WriteHeader(AvOptions& options) {
  // O_EXCL: never over an existing file; with it a link at the name is an
  // existing file too (O_NOFOLLOW makes the refusal explicit).
  fd_ = open(path_.c_str(),
             O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    const int error = errno;
    const absl::Status status = AvError(AVERROR(error), "");
    const std::string what =
        absl::StrCat(recorder_, " recorder: cannot create '", path_, "'");
    struct stat info;
    if (error == EEXIST && lstat(path_.c_str(), &info) == 0 &&
        S_ISLNK(info.st_mode)) {
      return absl::FailedPreconditionError(
          absl::StrCat(what,
                       ": it is a symbolic link, and videos are never written "
                       "through links; remove the link or record elsewhere"));
    }
    return absl::Status(
        status.code(),
        absl::StrCat(what, status.message(),
                     error == EEXIST
                         ? "; a video never replaces an existing file: move "
                           "it away or record elsewhere"
                         : "; check that its directory exists and is "
                           "writable"));
  }
  // Held until the file is closed (or the process dies): a video being
  // written, not one a crash left.
  flock(fd_, LOCK_EX | LOCK_NB);
  constexpr int kBufferSize = 32768;  // libavformat's own for files.
  uint8_t* buffer = static_cast<uint8_t*>(av_malloc(kBufferSize));
  if (buffer != nullptr) {
    io_ = avio_alloc_context(buffer, kBufferSize, /*write_flag=*/1, this,
                             nullptr, &WriteCallback, &SeekCallback);
  }
  if (io_ == nullptr) {
    av_free(buffer);
    return absl::ResourceExhaustedError(absl::StrCat(
        recorder_, " recorder: allocating the output buffer of '", path_, "'"));
  }
  muxer_->pb = io_;
  // Each fragment or cluster goes to the file as soon as the muxer completes
  // it, not when the 32 KiB write buffer happens to fill.
  muxer_->flush_packets = 1;
  int error = avformat_write_header(muxer_, options.get());
  if (error < 0) {
    return AvError(error, absl::StrCat(recorder_, " recorder: writing the ",
                                       "header of '", path_, "'"));
  }
  if (std::string unused = options.Unused(); !unused.empty()) {
    return absl::InternalError(absl::StrCat(
        recorder_, " recorder: the muxer did not take the options ", unused));
  }
  return MarkComplete();  // The header: the file plays from now on.
}

absl::Status VideoOutput::MarkComplete() {
  avio_flush(io_);
  if (io_->error < 0) return Failed(io_->error);
  complete_size_ = end_;
  return absl::OkStatus();
}

absl::Status VideoOutput::Failed(int error) {
  if (!failed_.ok()) return failed_;
  failed_ = WriteError(write_errno_ != 0 ? AVERROR(write_errno_) : error,
                       recorder_, path_, unit_);
  // Drop the torn fragment: the file ends where the last whole one did.
  if (ftruncate(fd_, complete_size_) != 0) {
    failed_ = absl::Status(
        failed_.code(),
        absl::StrCat(failed_.message(), " (cutting it back failed too: ",
                     std::strerror(errno), ")"));
  }
  return failed_;
}

absl::Status VideoOutput::WritePacket(AVPacket* packet) {
  if (!failed_.ok()) {
    av_packet_unref(packet);
    return failed_;
  }
  // Takes the packet's reference, success or not.
  const int error = av_interleaved_write_frame(muxer_, packet);
  if (error < 0) return Failed(error);
  return MarkComplete();
}

absl::Status VideoOutput::Flush() {
  if (!failed_.ok()) return failed_;
  // A null packet ends the fragment (mp4) or cluster (webm).
  const int error = av_write_frame(muxer_, nullptr);
  if (error < 0) return Failed(error);
  return MarkComplete();
}

absl::Status VideoOutput::Finish() {
  absl::Status result = failed_;
  if (result.ok() && io_ != nullptr) {
    const int error = av_write_trailer(muxer_);
    avio_flush(io_);
    if (error < 0 || io_->error < 0) {
      result = Failed(io_->error < 0 ? io_->error : error);
    }
  }
  if (fd_ >= 0 && close(fd_) != 0 && result.ok()) {
    result =
        AvError(AVERROR(errno),
                absl::StrCat(recorder_, " recorder: closing '", path_, "'"));
  }
  fd_ = -1;
  return result;
}

absl::StatusOr<std::unique_ptr<AvVideoEncoder>> AvVideoEncoder::Open(
    absl::string_view recorder, const AVCodec* codec,
    const AvEncoderSettings& settings, AvOptions& options,
    VideoOutput& output) {
  std::unique_ptr<AvVideoEncoder> encoder(new AvVideoEncoder(output));
  const AVRational time_base = {1, settings.fps};
  const AVRational frame_rate = {settings.fps, 1};
  encoder->stream_ = avformat_new_stream(output.muxer(), nullptr);
  encoder->context_.reset(avcodec_alloc_context3(codec));
  if (encoder->stream_ == nullptr || encoder->context_ == nullptr) {
    return absl::ResourceExhaustedError(absl::StrCat(
        recorder, " recorder: allocating the ", codec->name, " encoder"));
  }
  AVCodecContext& context = *encoder->context_;
  context.width = settings.coded_width;
  context.height = settings.coded_height;
  context.pix_fmt = AV_PIX_FMT_YUV420P;
  context.time_base = time_base;
  context.framerate = frame_rate;
  context.gop_size = settings.keyframe_interval;
  context.max_b_frames = 0;
  context.thread_count = settings.threads;
  context.profile = settings.profile;
  context.color_primaries = AVCOL_PRI_BT709;
  context.color_trc = AVCOL_TRC_BT709;
  context.colorspace = AVCOL_SPC_BT709;
  context.color_range = AVCOL_RANGE_MPEG;
  context.chroma_sample_location = AVCHROMA_LOC_CENTER;
  if (settings.bitrate_kbps > 0) {
    context.bit_rate = static_cast<int64_t>(settings.bitrate_kbps) * 1000;
  }
  if (output.muxer()->oformat->flags & AVFMT_GLOBALHEADER) {
    context.flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  }
  int error = avcodec_open2(&context, codec, options.get());
  if (error < 0) {
    return AvError(
        error,
        absl::StrCat(recorder, " recorder: opening ", codec->name, " for ",
                     settings.coded_width, "x", settings.coded_height, " at ",
                     settings.fps, " fps"));
  }
  if (std::string unused = options.Unused(); !unused.empty()) {
    return absl::InternalError(
        absl::StrCat(recorder, " recorder: ", codec->name,
                     " did not take the options ", unused));
  }
  AVStream& stream = *encoder->stream_;
  error = avcodec_parameters_from_context(stream.codecpar, &context);
  if (error < 0) return AvError(error, "copying the encoder's parameters");
  stream.time_base = time_base;  // A hint: the muxer picks its own.
  stream.avg_frame_rate = frame_rate;
  stream.r_frame_rate = frame_rate;

  encoder->input_.reset(av_frame_alloc());
  encoder->packet_.reset(av_packet_alloc());
  if (encoder->input_ == nullptr || encoder->packet_ == nullptr) {
    return absl::ResourceExhaustedError("allocating a frame and a packet");
  }
  AVFrame& input = *encoder->input_;
  input.format = context.pix_fmt;
  input.width = settings.coded_width;
  input.height = settings.coded_height;
  input.color_primaries = context.color_primaries;
  input.color_trc = context.color_trc;
  input.colorspace = context.colorspace;
  input.color_range = context.color_range;
  input.chroma_location = context.chroma_sample_location;
  error = av_frame_get_buffer(&input, 0);
  if (error < 0) return AvError(error, "allocating the YUV frame");
  return encoder;
}

absl::StatusOr<AVFrame*> AvVideoEncoder::WritableInput() {
  const int error = av_frame_make_writable(input_.get());
  if (error < 0) {
    return AvError(error, "making the encoder's input frame writable");
  }
  return input_.get();
}

absl::Status AvVideoEncoder::Encode(int64_t pts) {
  input_->pts = pts;
  return Send(input_.get());
}

absl::Status AvVideoEncoder::Drain() { return Send(nullptr); }

absl::Status AvVideoEncoder::Send(const AVFrame* frame) {
  const std::string& path = output_.path();
  int error = avcodec_send_frame(context_.get(), frame);
  if (error < 0) {
    return AvError(
        error,
        frame != nullptr
            ? absl::StrCat("encoding frame ", frame->pts, " of '", path, "'")
            : absl::StrCat("flushing the encoder of '", path, "'"));
  }
  while (true) {
    error = avcodec_receive_packet(context_.get(), packet_.get());
    if (error == AVERROR(EAGAIN) || error == AVERROR_EOF) {
      return absl::OkStatus();
    }
    if (error < 0) {
      return AvError(error, absl::StrCat("encoding a packet of '", path, "'"));
    }
    // One frame per packet; the muxer needs the duration for the last one.
    if (packet_->duration == 0) packet_->duration = 1;
    av_packet_rescale_ts(packet_.get(), context_->time_base,
                         stream_->time_base);
    packet_->stream_index = stream_->index;
    RL_RETURN_IF_ERROR(output_.WritePacket(packet_.get()));
  }
}

}  // namespace rl
