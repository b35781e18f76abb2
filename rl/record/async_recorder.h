// AsyncRecorder: puts any Recorder behind a bounded queue and an encoder
// thread, so rendering the next frame overlaps with encoding this one, and
// memory stays constant however long the video.
//
// WriteFrame() checks the frame's size, copies it into one of
// `queue_frames` slots allocated once (the first frame sizes them) and
// returns; the encoder thread hands the slots in order to the wrapped
// recorder. When every slot is taken, WriteFrame() blocks until the encoder
// frees one: back-pressure, never unbounded buffering. The first error of the
// wrapped recorder sticks and is returned by the next WriteFrame(), Flush()
// and Close(); frames queued behind it are dropped.
//
// Crash safety in wall-clock time: once a frame has been encoded for
// options.flush_interval_ms without reaching the file (the muxer ends
// fragments in video time, which a slow env makes arbitrarily long), the
// encoder thread calls the wrapped recorder's FlushFile(), waking up for it
// if no frame comes. A fast producer pays one clock read per frame and a
// fragment end per interval.
//
// Recorders().Create() returns recorders behind an AsyncRecorder unless
// RecorderOptions::queue_frames is 0; use this class directly only to wrap
// a recorder of your own.
//
// Example:
//   auto async = std::make_unique<AsyncRecorder>(std::move(recorder),
//                                                options);
//   RL_RETURN_IF_ERROR(async->WriteFrame(frame));  // Returns at once.
//   RL_RETURN_IF_ERROR(async->Close());            // Drains, then closes.
#ifndef RL_RECORD_ASYNC_RECORDER_H_
#define RL_RECORD_ASYNC_RECORDER_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "rl/core/frame.h"
#include "rl/record/recorder.h"

namespace rl {

class AsyncRecorder final : public Recorder {
 public:
  // Starts the encoder thread. `inner` is open and used by nobody else;
  // `options` are the ones it was opened with: frames must be
  // options.width x options.height, and options.queue_frames slots are used
  // (at least 1).
  AsyncRecorder(std::unique_ptr<Recorder> inner,
                const RecorderOptions& options);
  // Closes (draining the queue) if Close() was not called.
  ~AsyncRecorder() override;

  AsyncRecorder(const AsyncRecorder&) = delete;
  AsyncRecorder& operator=(const AsyncRecorder&) = delete;

  absl::Status WriteFrame(const Frame& frame) override;
  // Drains the queue, joins the encoder thread and closes the wrapped
  // recorder. Returns the first error of either.
  absl::Status Close() override;
  // Frames accepted by WriteFrame() so far; after Close(), the frames the
  // wrapped recorder wrote (fewer if it failed).
  int64_t frames_written() const override;
  const std::string& path() const override { return inner_->path(); }
  const EncoderInfo& info() const override { return inner_->info(); }

  // Blocks until every queued frame has been encoded; returns the first
  // encoder error, if any.
  absl::Status Flush();
  // Flush(), then the wrapped recorder's FlushFile() on the encoder thread.
  absl::Status FlushFile() override;

  // The most frames that were ever waiting or being encoded at once; never
  // more than `queue_frames`.
  int peak_queued() const;

 private:
  void EncoderLoop();

  const std::unique_ptr<Recorder> inner_;
  const RecorderOptions options_;
  const int capacity_;
  // The slots. A slot index is in exactly one place at a time: free_,
  // ready_, the producer copying into it, or the encoder encoding it; only
  // the holder touches the slot's frame.
  std::vector<Frame> slots_;

  mutable absl::Mutex mutex_;
  std::vector<int> free_ ABSL_GUARDED_BY(mutex_);
  // FIFO of slots waiting for the encoder: a ring of capacity_ entries.
  std::vector<int> ready_ ABSL_GUARDED_BY(mutex_);
  int ready_head_ ABSL_GUARDED_BY(mutex_) = 0;
  int ready_count_ ABSL_GUARDED_BY(mutex_) = 0;
  bool encoding_ ABSL_GUARDED_BY(mutex_) = false;
  bool stopping_ ABSL_GUARDED_BY(mutex_) = false;
  bool flush_file_ ABSL_GUARDED_BY(mutex_) = false;  // FlushFile() waits.
  int peak_queued_ ABSL_GUARDED_BY(mutex_) = 0;
  absl::Status error_ ABSL_GUARDED_BY(mutex_);

  std::atomic<int64_t> accepted_{0};
  bool closed_ = false;  // Only the owner's thread touches these.
  absl::Status close_status_;
  std::thread thread_;
};

}  // namespace rl

#endif  // RL_RECORD_ASYNC_RECORDER_H_
