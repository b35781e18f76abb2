// AsyncRecorder around a fake recorder whose encoding can be held back:
// order, back-pressure, error propagation, draining on close.

#include "rl/record/async_recorder.h"

#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/core/frame.h"
#include "rl/record/recorder.h"

namespace rl {
namespace {

using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

// What the fake saw, shared with the test.
struct Log {
  absl::Mutex mutex;
  bool gate_open ABSL_GUARDED_BY(mutex) = true;
  int started ABSL_GUARDED_BY(mutex) = 0;          // WriteFrame calls entered.
  std::vector<int> frames ABSL_GUARDED_BY(mutex);  // First byte of each.
  int closes ABSL_GUARDED_BY(mutex) = 0;
  int fail_at = -1;  // Frame index that fails.
};

class FakeRecorder : public Recorder {
 public:
  explicit FakeRecorder(Log* log) : log_(log) { info_.container = "fake"; }
  absl::Status WriteFrame(const Frame& frame) override {
    absl::MutexLock lock(&log_->mutex);
    const int index = log_->started++;
    log_->mutex.Await(absl::Condition(&log_->gate_open));
    if (index == log_->fail_at) return absl::DataLossError("the disk is gone");
    log_->frames.push_back(frame.data()[0]);
    ++written_;
    return absl::OkStatus();
  }
  absl::Status Close() override {
    absl::MutexLock lock(&log_->mutex);
    ++log_->closes;
    return absl::OkStatus();
  }
  int64_t frames_written() const override { return written_; }
  const std::string& path() const override { return path_; }
  const EncoderInfo& info() const override { return info_; }

 private:
  Log* log_;
  int64_t written_ = 0;
  std::string path_ = "fake.video";
  EncoderInfo info_;
};

RecorderOptions Options(int queue_frames) {
  RecorderOptions options;
  options.path = "fake.video";
  options.width = 4;
  options.height = 2;
  options.queue_frames = queue_frames;
  return options;
}

Frame Numbered(int value, PixelFormat format = PixelFormat::kRgb24) {
  Frame frame(4, 2, format);
  for (size_t i = 0; i < frame.size_bytes(); ++i) frame.data()[i] = value;
  return frame;
}

TEST(AsyncRecorderTest, DeliversEveryFrameInOrderWithItsPixels) {
  Log log;
  AsyncRecorder recorder(std::make_unique<FakeRecorder>(&log), Options(4));
  std::vector<int> expected;
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(recorder
                    .WriteFrame(Numbered(
                        i, i % 3 ? PixelFormat::kRgb24 : PixelFormat::kYuv420p))
                    .ok());
    expected.push_back(i);
  }
  ASSERT_TRUE(recorder.Close().ok());
  absl::MutexLock lock(&log.mutex);
  EXPECT_THAT(log.frames, ElementsAreArray(expected));
  EXPECT_EQ(log.closes, 1);
  EXPECT_EQ(recorder.frames_written(), 100);
  EXPECT_LE(recorder.peak_queued(), 4);
}

// With the encoder held, exactly queue_frames frames are taken (one being
// encoded, the others waiting in their slots); the next WriteFrame waits.
TEST(AsyncRecorderTest, BlocksWhenEveryFrameSlotIsTaken) {
  Log log;
  {
    absl::MutexLock lock(&log.mutex);
    log.gate_open = false;
  }
  AsyncRecorder recorder(std::make_unique<FakeRecorder>(&log), Options(3));
  absl::Mutex progress_mutex;
  int written = 0;
  std::thread producer([&] {
    for (int i = 0; i < 10; ++i) {
      ASSERT_TRUE(recorder.WriteFrame(Numbered(i)).ok());
      absl::MutexLock lock(&progress_mutex);
      ++written;
    }
  });
  {
    absl::MutexLock lock(&progress_mutex);
    progress_mutex.Await(absl::Condition(
        +[](int* n) { return *n >= 3; }, &written));
    // The producer is now blocked: no slot is free until the gate opens.
    EXPECT_EQ(written, 3);
  }
  {
    absl::MutexLock lock(&log.mutex);
    EXPECT_LE(log.started, 1);
    EXPECT_TRUE(log.frames.empty());
    log.gate_open = true;
  }
  producer.join();
  ASSERT_TRUE(recorder.Close().ok());
  absl::MutexLock lock(&log.mutex);
  EXPECT_THAT(log.frames, ElementsAreArray({0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_EQ(recorder.peak_queued(), 3);  // 2 waiting + 1 encoding.
}

TEST(AsyncRecorderTest, EncoderErrorSurfacesOnTheNextCallsAndSticks) {
  Log log;
  log.fail_at = 3;
  AsyncRecorder recorder(std::make_unique<FakeRecorder>(&log), Options(4));
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(recorder.WriteFrame(Numbered(i)).ok());
  }
  const absl::Status flushed = recorder.Flush();
  EXPECT_EQ(flushed.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(flushed.message(), HasSubstr("the disk is gone"));
  EXPECT_EQ(recorder.WriteFrame(Numbered(4)), flushed);
  EXPECT_EQ(recorder.Close(), flushed);
  EXPECT_EQ(recorder.Close(), flushed);
  EXPECT_EQ(recorder.frames_written(), 3);  // What the file holds.
  absl::MutexLock lock(&log.mutex);
  EXPECT_THAT(log.frames, ElementsAreArray({0, 1, 2}));
  EXPECT_EQ(log.closes, 1);  // Closed anyway: what was written plays.
}

TEST(AsyncRecorderTest, FramesQueuedBehindAnErrorAreDropped) {
  Log log;
  log.fail_at = 0;
  {
    absl::MutexLock lock(&log.mutex);
    log.gate_open = false;
  }
  AsyncRecorder recorder(std::make_unique<FakeRecorder>(&log), Options(4));
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(recorder.WriteFrame(Numbered(i)).ok());
  }
  {
    absl::MutexLock lock(&log.mutex);
    log.gate_open = true;
  }
  EXPECT_EQ(recorder.Close().code(), absl::StatusCode::kDataLoss);
  absl::MutexLock lock(&log.mutex);
  EXPECT_EQ(log.started, 1);
  EXPECT_TRUE(log.frames.empty());
}

TEST(AsyncRecorderTest, WrongSizeIsRejectedAtOnceAndTheRecorderGoesOn) {
  Log log;
  AsyncRecorder recorder(std::make_unique<FakeRecorder>(&log), Options(2));
  const absl::Status status = recorder.WriteFrame(Frame(2, 4));
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("frame is 2x4"));
  EXPECT_TRUE(recorder.WriteFrame(Numbered(7)).ok());
  EXPECT_TRUE(recorder.Close().ok());
  EXPECT_EQ(recorder.frames_written(), 1);
}

TEST(AsyncRecorderTest, DestructorDrainsAndCloses) {
  Log log;
  {
    AsyncRecorder recorder(std::make_unique<FakeRecorder>(&log), Options(8));
    for (int i = 0; i < 20; ++i) {
      ASSERT_TRUE(recorder.WriteFrame(Numbered(i)).ok());
    }
  }
  absl::MutexLock lock(&log.mutex);
  EXPECT_EQ(log.frames.size(), 20u);
  EXPECT_EQ(log.closes, 1);
}

TEST(AsyncRecorderTest, WriteAfterCloseFails) {
  Log log;
  AsyncRecorder recorder(std::make_unique<FakeRecorder>(&log), Options(1));
  ASSERT_TRUE(recorder.Close().ok());
  EXPECT_EQ(recorder.WriteFrame(Numbered(0)).code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace rl
