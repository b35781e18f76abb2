// ThreadPool: a fixed set of threads that run one parallel-for at a time,
// for stepping the sub-environments of a VectorEnv together.
//
// Hand-offs spin briefly before sleeping, so back-to-back batches (a
// training loop) cost about a microsecond each when cores are free, and an
// idle pool costs nothing.
//
// Example:
//   ThreadPool pool(4);  // The caller and three background threads.
//   pool.ParallelFor(num_envs, [&](int begin, int end) {
//     for (int i = begin; i < end; ++i) Work(i);
//   });
#ifndef RL_ENVS_VECTOR_THREAD_POOL_H_
#define RL_ENVS_VECTOR_THREAD_POOL_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"

namespace rl {

class ThreadPool {
 public:
  // `num_threads` >= 1 counts the calling thread: 1 starts no thread.
  explicit ThreadPool(int num_threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int num_threads() const { return num_threads_; }

  // Splits [0, n) into num_threads() contiguous chunks (as equal as
  // possible) and runs fn(begin, end) on each, the calling thread taking the
  // first; returns when all are done. One caller at a time.
  void ParallelFor(int n, const std::function<void(int, int)>& fn);

 private:
  void Worker(int index);

  const int num_threads_;
  std::vector<std::thread> threads_;
  // The job, written before generation_ is bumped and read after it is
  // seen to change.
  const std::function<void(int, int)>* job_ = nullptr;
  int job_size_ = 0;
  std::atomic<int64_t> generation_{0};
  std::atomic<int> pending_{0};
  std::atomic<bool> stopping_{false};
  // Sleeping, for workers that spun without seeing work and a caller that
  // spun without seeing the end.
  absl::Mutex mutex_;
  absl::CondVar work_;
  absl::CondVar done_;
};

}  // namespace rl

#endif  // RL_ENVS_VECTOR_THREAD_POOL_H_
