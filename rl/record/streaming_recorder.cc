#include "rl/record/streaming_recorder.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "rl/core/status_macros.h"

namespace rl {

absl::Status StreamingRecorder::WriteFrame(const Frame& frame) {
  if (closed_) {
    return absl::FailedPreconditionError(absl::StrCat(
        name_, " recorder: WriteFrame after Close on '", options_.path, "'"));
  }
  if (!status_.ok()) return status_;
  RL_RETURN_IF_ERROR(CheckFrame(name_, options_, frame));
  RL_RETURN_IF_ERROR(Fail(EncodeFrame(frame)));
  ++frames_written_;
  return absl::OkStatus();
}

void StreamingRecorder::DescribeOutput(absl::string_view codec,
                                       absl::string_view profile,
                                       absl::string_view container,
                                       int coded_width, int coded_height,
                                       int crf) {
  info_.codec = std::string(codec);
  info_.profile = std::string(profile);
  info_.container = std::string(container);
  info_.coded_width = coded_width;
  info_.coded_height = coded_height;
  info_.settings.clear();
  if (options_.bitrate_kbps > 0) {
    info_.settings.push_back(
        {"bitrate_kbps", std::to_string(options_.bitrate_kbps)});
  } else {
    info_.settings.push_back({"crf", std::to_string(crf)});
  }
}

absl::Status StreamingRecorder::FlushFile() {
  if (closed_ || !status_.ok()) return status_;
  return Fail(output_->Flush());
}

absl::Status StreamingRecorder::Close() {
  if (closed_) return close_status_;
  closed_ = true;
  // After a failure, still finalize what was written: the first error wins.
  absl::Status result = status_;
  if (output_ != nullptr) {
    absl::Status drained = Drain();
    if (result.ok()) result = drained;
    absl::Status finished = output_->Finish();
    if (result.ok()) result = finished;
  }
  // Free the encoder's buffers now rather than with the recorder.
  output_.reset();
  Release();
  close_status_ = result;
  return result;
}

}  // namespace rl
