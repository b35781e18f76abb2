#include "rl/envs/vector/thread_pool.h"

#include <algorithm>

namespace rl {
namespace {

// A wait first spins (a few microseconds), then yields the core to
// whatever else wants it (so an oversubscribed machine is not held up by
// spinning threads), then sleeps on a condition variable.
constexpr int kSpins = 64;
constexpr int kYields = 256;

// Chunk `k` of `parts` over [0, n): the first n % parts chunks get one more.
std::pair<int, int> Chunk(int n, int parts, int k) {
  const int base = n / parts;
  const int extra = n % parts;
  const int begin = k * base + std::min(k, extra);
  return {begin, begin + base + (k < extra ? 1 : 0)};
}

inline void Pause(int i) {
  if (i < kSpins) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  } else {
    std::this_thread::yield();
  }
}

}  // namespace

ThreadPool::ThreadPool(int num_threads)
    : num_threads_(std::max(num_threads, 1)) {
  threads_.reserve(num_threads_ - 1);
  for (int i = 1; i < num_threads_; ++i) {
    threads_.emplace_back([this, i] { Worker(i); });
  }
}

ThreadPool::~ThreadPool() {
  {
    absl::MutexLock lock(&mutex_);
    stopping_.store(true, std::memory_order_release);
    work_.SignalAll();
  }
  for (std::thread& thread : threads_) thread.join();
}

void ThreadPool::ParallelFor(int n, const std::function<void(int, int)>& fn) {
  if (num_threads_ == 1 || n <= 1) {
    fn(0, n);
    return;
  }
  job_ = &fn;
  job_size_ = n;
  pending_.store(num_threads_ - 1, std::memory_order_relaxed);
  {
    // Under the lock, so a worker about to sleep cannot miss the signal.
    absl::MutexLock lock(&mutex_);
    generation_.fetch_add(1, std::memory_order_release);
    work_.SignalAll();
  }
  const auto [begin, end] = Chunk(n, num_threads_, 0);
  if (begin < end) fn(begin, end);
  for (int i = 0; i < kSpins + kYields; ++i) {
    if (pending_.load(std::memory_order_acquire) == 0) return;
    Pause(i);
  }
  absl::MutexLock lock(&mutex_);
  while (pending_.load(std::memory_order_acquire) != 0) done_.Wait(&mutex_);
}

void ThreadPool::Worker(int index) {
  int64_t seen = 0;
  while (true) {
    bool ready = false;
    for (int i = 0; i < kSpins + kYields && !ready; ++i) {
      ready = generation_.load(std::memory_order_acquire) != seen ||
              stopping_.load(std::memory_order_acquire);
      if (!ready) Pause(i);
    }
    if (!ready) {
      absl::MutexLock lock(&mutex_);
      while (generation_.load(std::memory_order_acquire) == seen &&
             !stopping_.load(std::memory_order_acquire)) {
        work_.Wait(&mutex_);
      }
    }
    if (stopping_.load(std::memory_order_acquire)) return;
    seen = generation_.load(std::memory_order_acquire);
    const auto [begin, end] = Chunk(job_size_, num_threads_, index);
    if (begin < end) (*job_)(begin, end);
    if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      absl::MutexLock lock(&mutex_);
      done_.Signal();
    }
  }
}

}  // namespace rl
