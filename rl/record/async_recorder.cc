#include "rl/record/async_recorder.h"

#include <pthread.h>

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "rl/core/status_macros.h"

namespace rl {

AsyncRecorder::AsyncRecorder(std::unique_ptr<Recorder> inner,
                             const RecorderOptions& options)
    : inner_(std::move(inner)),
      options_(options),
      capacity_(std::max(1, options.queue_frames)),
      slots_(capacity_),
      ready_(capacity_, -1) {
  for (int i = capacity_ - 1; i >= 0; --i) free_.push_back(i);
  thread_ = std::thread([this] { EncoderLoop(); });
}

AsyncRecorder::~AsyncRecorder() {
  if (!closed_) Close().IgnoreError();
}

absl::Status AsyncRecorder::WriteFrame(const Frame& frame) {
  if (closed_) {
    return absl::FailedPreconditionError(
        absl::StrCat("WriteFrame after Close on '", path(), "'"));
  }
  RL_RETURN_IF_ERROR(CheckFrame(info().container, options_, frame));
  int slot = -1;
  {
    absl::MutexLock lock(&mutex_);
    // Back-pressure: wait for a free slot (or an error to report).
    auto can_take = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
      return !free_.empty() || !error_.ok();
    };
    mutex_.Await(absl::Condition(&can_take));
    if (!error_.ok()) return error_;
    slot = free_.back();
    free_.pop_back();
  }
  // The slot is ours alone until it is queued; copy without the lock.
  Frame& copy = slots_[slot];
  copy.Reset(frame.width(), frame.height(), frame.format());
  std::memcpy(copy.data(), frame.data(), frame.size_bytes());
  {
    absl::MutexLock lock(&mutex_);
    ready_[(ready_head_ + ready_count_) % capacity_] = slot;
    ++ready_count_;
    peak_queued_ = std::max(peak_queued_, ready_count_ + (encoding_ ? 1 : 0));
  }
  accepted_.fetch_add(1, std::memory_order_relaxed);
  return absl::OkStatus();
}

void AsyncRecorder::EncoderLoop() {
  pthread_setname_np(pthread_self(), "rl-encoder");
  const absl::Duration interval =
      absl::Milliseconds(options_.flush_interval_ms);
  // When the frames encoded since the last FlushFile() must be in the file;
  // InfiniteFuture() when there are none.
  absl::Time flush_due = absl::InfiniteFuture();
  while (true) {
    int slot = -1;
    bool failed = false;
    bool flush_now = false;
    {
      absl::MutexLock lock(&mutex_);
      auto has_work = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
        return ready_count_ > 0 || stopping_ || flush_file_;
      };
      mutex_.AwaitWithDeadline(absl::Condition(&has_work), flush_due);
      if (ready_count_ == 0 && stopping_) return;  // Drained: Close() ends.
      if (ready_count_ > 0) {
        slot = ready_[ready_head_];
        ready_head_ = (ready_head_ + 1) % capacity_;
        --ready_count_;
      } else {
        // Woken to flush: asked to, or the deadline passed.
        flush_now = true;
      }
      encoding_ = slot >= 0;
      failed = !error_.ok();
    }
    // After an error, drop the frames queued behind it.
    absl::Status status;
    if (slot >= 0 && !failed) {
      status = inner_->WriteFrame(slots_[slot]);
      if (flush_due == absl::InfiniteFuture()) {
        flush_due = absl::Now() + interval;
      }
    }
    // Encoding slower than the interval also flushes between frames.
    if (!failed && status.ok() &&
        (flush_now ||
         (flush_due != absl::InfiniteFuture() && absl::Now() >= flush_due))) {
      status = inner_->FlushFile();
      flush_due = absl::InfiniteFuture();
    }
    absl::MutexLock lock(&mutex_);
    if (!status.ok() && error_.ok()) error_ = std::move(status);
    if (slot >= 0) {
      free_.push_back(slot);
    } else {
      flush_file_ = false;
    }
    encoding_ = false;
  }
}

absl::Status AsyncRecorder::Flush() {
  absl::MutexLock lock(&mutex_);
  auto drained = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    return ready_count_ == 0 && !encoding_;
  };
  mutex_.Await(absl::Condition(&drained));
  return error_;
}

absl::Status AsyncRecorder::FlushFile() {
  if (closed_) return close_status_;
  absl::MutexLock lock(&mutex_);
  flush_file_ = true;
  auto flushed = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) {
    return !flush_file_ && ready_count_ == 0 && !encoding_;
  };
  mutex_.Await(absl::Condition(&flushed));
  return error_;
}

absl::Status AsyncRecorder::Close() {
  if (closed_) return close_status_;
  closed_ = true;
  {
    absl::MutexLock lock(&mutex_);
    stopping_ = true;
  }
  thread_.join();
  const absl::Status closed = inner_->Close();
  {
    absl::MutexLock lock(&mutex_);
    // The first error wins; the wrapped recorder usually repeats it.
    close_status_ = error_.ok() ? closed : error_;
  }
  // The slots are not needed any more.
  slots_ = {};
  return close_status_;
}

int64_t AsyncRecorder::frames_written() const {
  if (closed_) return inner_->frames_written();
  return accepted_.load(std::memory_order_relaxed);
}

int AsyncRecorder::peak_queued() const {
  absl::MutexLock lock(&mutex_);
  return peak_queued_;
}

}  // namespace rl
