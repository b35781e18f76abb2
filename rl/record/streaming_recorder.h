// StreamingRecorder: the bookkeeping every in-process recorder shares, in
// one place: the first error sticks (Fail), WriteFrame() refuses frames
// after Close() or after an error and checks the frame size, FlushFile()
// ends the open fragment or cluster, and Close() runs once (drain the
// encoder, finish the file, free the encoder) and returns the same status
// to every later call. An implementation (rl/record/mp4/, rl/record/webm/)
// supplies only its encoder: EncodeFrame(), Drain() and Release().
//
// Example:
//   class MyRecorder final : public StreamingRecorder {
//    public:
//     explicit MyRecorder(const RecorderOptions& options)
//         : StreamingRecorder("my", options) {}
//     ~MyRecorder() override { CloseIfOpen(); }
//     ...Open(): set_output(...), then MarkOpened() once the header is out.
//    private:
//     absl::Status EncodeFrame(const Frame& frame) override;
//     absl::Status Drain() override;
//     void Release() override;
//   };
#ifndef RL_RECORD_STREAMING_RECORDER_H_
#define RL_RECORD_STREAMING_RECORDER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "rl/core/frame.h"
#include "rl/record/ffmpeg_util.h"
#include "rl/record/recorder.h"

namespace rl {

class StreamingRecorder : public Recorder {
 public:
  absl::Status WriteFrame(const Frame& frame) final;
  absl::Status FlushFile() final;
  absl::Status Close() final;
  int64_t frames_written() const final { return frames_written_; }
  const std::string& path() const final { return options_.path; }
  const EncoderInfo& info() const final { return info_; }

 protected:
  // `name` prefixes messages ("mp4 recorder: ...").
  StreamingRecorder(absl::string_view name, const RecorderOptions& options)
      : name_(name), options_(options) {}

  // For the implementation's destructor (Close() calls its overrides, so
  // the base destructor cannot): closes the file if it was opened and not
  // closed, losing the status.
  void CloseIfOpen() {
    if (opened_ && !closed_) Close().IgnoreError();
  }

  // Converts and encodes `frame` (the right size) as frame number
  // frames_written(), writing what the encoder has ready.
  virtual absl::Status EncodeFrame(const Frame& frame) = 0;
  // Ends the stream: writes every packet the encoder still holds.
  virtual absl::Status Drain() = 0;
  // Frees the encoder once the file is finished.
  virtual void Release() = 0;

  // Remembers the first error: the recorder stays failed after it.
  absl::Status Fail(absl::Status status) {
    if (status_.ok()) status_ = status;
    return status;
  }
  // The file's muxer; set while opening.
  void set_output(std::unique_ptr<VideoOutput> output) {
    output_ = std::move(output);
  }
  VideoOutput* output() const { return output_.get(); }
  // The header is written: from now on there is a file to finalize.
  void MarkOpened() { opened_ = true; }

  // Starts info(): codec, profile and container, the coded size, and the
  // quality setting first ({"bitrate_kbps", N} when a bitrate is asked
  // for, else {"crf", `crf`}); the implementation adds its own settings.
  void DescribeOutput(absl::string_view codec, absl::string_view profile,
                      absl::string_view container, int coded_width,
                      int coded_height, int crf);

  const std::string& name() const { return name_; }
  const RecorderOptions& options() const { return options_; }
  EncoderInfo& mutable_info() { return info_; }

 private:
  const std::string name_;
  const RecorderOptions options_;
  EncoderInfo info_;
  std::unique_ptr<VideoOutput> output_;
  int64_t frames_written_ = 0;
  absl::Status status_;  // The first encoding or writing error.
  bool opened_ = false;
  bool closed_ = false;
  absl::Status close_status_;
};

}  // namespace rl

#endif  // RL_RECORD_STREAMING_RECORDER_H_
