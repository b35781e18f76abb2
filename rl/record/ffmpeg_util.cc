#include "rl/record/ffmpeg_util.h"

#include <cerrno>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

extern "C" {
#include <libavformat/avio.h>
#include <libavutil/error.h>
#include <libavutil/log.h>
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
                        const std::string& path) {
  const absl::Status status = AvError(error, "");
  return absl::Status(
      status.code(),
      absl::StrCat(recorder, " recorder: cannot write to '", path, "'",
                   status.message(),
                   "; the frames written before stay playable; free some "
                   "space or record elsewhere"));
}

void QuietFfmpegLogs() {
  static const bool kQuiet = [] {
    av_log_set_level(AV_LOG_ERROR);
    return true;
  }();
  (void)kQuiet;
}

absl::StatusOr<Muxer> CreateMuxer(absl::string_view recorder,
                                  absl::string_view format,
                                  const std::string& path) {
  AVFormatContext* context = nullptr;
  const std::string format_name(format);
  int error = avformat_alloc_output_context2(&context, nullptr,
                                             format_name.c_str(), path.c_str());
  if (error < 0) {
    return AvError(error, absl::StrCat(recorder, " recorder: creating the ",
                                       format, " muxer"));
  }
  return Muxer(context);
}

absl::Status OpenAndWriteHeader(AVFormatContext* muxer,
                                absl::string_view recorder,
                                const std::string& path, AvOptions& options) {
  int error = avio_open(&muxer->pb, path.c_str(), AVIO_FLAG_WRITE);
  if (error < 0) {
    const absl::Status status = AvError(error, "");
    return absl::Status(
        status.code(),
        absl::StrCat(recorder, " recorder: cannot open '", path,
                     "' for writing", status.message(),
                     "; check that its directory exists and is writable"));
  }
  // Each fragment or cluster goes to the file as soon as the muxer completes
  // it, not when libavformat's 32 KiB write buffer happens to fill.
  muxer->flush_packets = 1;
  error = avformat_write_header(muxer, options.get());
  if (error < 0) {
    return AvError(error, absl::StrCat(recorder, " recorder: writing the ",
                                       "header of '", path, "'"));
  }
  if (std::string unused = options.Unused(); !unused.empty()) {
    return absl::InternalError(absl::StrCat(
        recorder, " recorder: the muxer did not take the options ", unused));
  }
  avio_flush(muxer->pb);  // The header: the file plays from now on.
  if (muxer->pb->error < 0) {
    return AvError(muxer->pb->error,
                   absl::StrCat(recorder, " recorder: writing the header of '",
                                path, "'"));
  }
  return absl::OkStatus();
}

absl::Status FinishMuxer(AVFormatContext* muxer, absl::string_view recorder,
                         const std::string& path) {
  absl::Status result;
  int error = av_write_trailer(muxer);
  if (error < 0) {
    result = AvError(error, absl::StrCat(recorder, " recorder: writing the ",
                                         "end of '", path, "'"));
  }
  AVIOContext* file = muxer->pb;
  avio_flush(file);
  if (file->error < 0 && result.ok()) {
    result = AvError(file->error,
                     absl::StrCat(recorder, " recorder: writing '", path, "'"));
  }
  error = avio_closep(&muxer->pb);
  if (error < 0 && result.ok()) {
    result = AvError(error,
                     absl::StrCat(recorder, " recorder: closing '", path, "'"));
  }
  return result;
}

}  // namespace rl
