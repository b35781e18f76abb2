// Training speed while people watch: env steps per second of a real training
// run (RunTraining: PPO on CartPole-v1, its 8 lockstep envs drawn as a grid,
// 960x640 pictures) with the live view off, on with nobody watching, and on
// with 1 and 10 viewers reading the MJPEG stream over loopback at the default
// 10 pictures per second. The promise: watching must not slow the
// learner down, and with nobody connected the cost is nil.
//
// Counters: steps_per_s (the run's env steps over its wall time, including
// its two evaluations), pictures_per_s made by the feed, kbytes_per_s sent to
// all viewers together.
//
//   bazel run //benchmarks:live_benchmark
//   bazel run //benchmarks:live_benchmark -- --benchmark_min_time=0.01
//
// Results (2-core VM, 3 runs per case in random order, after warm-up):
// off 6.98k steps/s (spread 5%), unwatched 7.08k (16%), 1 viewer 6.78k
// (16%), 10 viewers 7.29k (12%): inside the VM's run-to-run spread. The
// feed's thread (render + JPEG) takes ~6% of the second core. Compare with
//   -- --benchmark_repetitions=3 --benchmark_enable_random_interleaving=true
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "benchmark/benchmark.h"
#include "rl/core/file_util.h"
#include "rl/envs/env.h"
#include "rl/live/live_view.h"
#include "rl/live/test_util.h"
#include "rl/run/training_run.h"

namespace rl {
namespace {

constexpr int64_t kSteps = 40000;

// A viewer: reads the stream as fast as it comes until `done`.
void View(int port, const std::atomic<bool>& done,
          std::atomic<int64_t>* bytes) {
  const int fd = ConnectToPort(port);
  if (fd < 0) return;
  const std::string get = "GET /stream.mjpg HTTP/1.1\r\nHost: x\r\n\r\n";
  send(fd, get.data(), get.size(), MSG_NOSIGNAL);
  timeval timeout{0, 100000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  char buffer[65536];
  while (!done) {
    const ssize_t got = read(fd, buffer, sizeof(buffer));
    if (got == 0) break;
    if (got > 0) *bytes += got;
  }
  close(fd);
}

TrainingRunOptions Options(const std::filesystem::path& run_dir,
                           int64_t steps) {
  TrainingRunOptions options;
  options.trainer.env_id = "CartPole-v1";
  options.trainer.agent = "ppo";
  options.trainer.seed = 1;
  options.steps = steps;
  options.eval_every = steps;
  options.eval_episodes = 1;
  options.run_dir = run_dir.string();
  options.overwrite = true;
  options.video.record.mode = RecordMode::kNone;
  options.quiet = true;
  return options;
}

// viewers < 0: no live view at all.
void BM_TrainWatched(benchmark::State& state) {
  const int viewers = static_cast<int>(state.range(0));
  const std::filesystem::path base =
      std::filesystem::temp_directory_path() /
      absl::StrCat("live_benchmark_", getpid(), "_", viewers);
  int64_t steps = 0, pictures = 0;
  std::atomic<int64_t> bytes{0};
  double seconds = 0;
  {
    // Untimed warm-up: whichever case runs first otherwise pays the
    // process's first-touch costs (measured: up to 30% slower).
    std::ostringstream out;
    std::filesystem::remove_all(base);
    RunTraining(Options(base, kSteps / 8), out).IgnoreError();
  }
  for (auto _ : state) {
    std::filesystem::remove_all(base);
    MakeDirectories(base).IgnoreError();  // RunTraining says if it failed.
    std::unique_ptr<LiveView> live;
    if (viewers >= 0) {
      LiveOptions options;
      options.address = "127.0.0.1:0";
      options.render_backend = "llvmpipe";
      auto started = LiveView::Start(options, base.string(), nullptr);
      if (!started.ok()) {
        state.SkipWithError(std::string(started.status().message()).c_str());
        return;
      }
      live = std::move(*started);
      // The first picture of a process costs ~0.5 s of CPU once (llvmpipe's
      // LLVM compiles its shaders; a real run pays it when the first viewer
      // connects): pay it before the clock starts, with the canvas size the
      // run will draw, so the renderer is reused.
      std::vector<std::unique_ptr<Env>> envs;
      std::vector<const Env*> pointers;
      for (int i = 0; i < 8; ++i) {  // PPO's n_envs on CartPole.
        envs.push_back(*Envs().Create("CartPole-v1"));
        Observation observation;
        envs.back()->Reset(i, &observation);
        pointers.push_back(envs.back().get());
      }
      absl::StatusOr<EnvPicture> grid = PictureOfEnvs(pointers, {});
      if (!grid.ok()) {
        state.SkipWithError(std::string(grid.status().message()).c_str());
        return;
      }
      live->feed().Offer(std::move(*grid));
      LiveFeed::Picture picture;
      if (!live->feed().WaitForPicture(0, absl::Seconds(30), &picture)) {
        state.SkipWithError(live->feed().error().c_str());
        return;
      }
    }
    std::atomic<bool> done{false};
    std::vector<std::thread> threads;
    for (int i = 0; i < viewers; ++i) {
      threads.emplace_back(View, live->server().port(), std::cref(done),
                           &bytes);
    }
    TrainingRunOptions options = Options(base, kSteps);
    options.live = live.get();
    std::ostringstream out;
    const auto start = std::chrono::steady_clock::now();
    auto summary = RunTraining(options, out);
    seconds +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    done = true;
    for (std::thread& thread : threads) thread.join();
    if (!summary.ok()) {
      state.SkipWithError(std::string(summary.status().message()).c_str());
      return;
    }
    steps += summary->steps;
    if (live != nullptr) pictures += live->feed().pictures() - 1;
  }
  std::filesystem::remove_all(base);
  state.counters["steps_per_s"] = steps / seconds;
  state.counters["pictures_per_s"] = pictures / seconds;
  state.counters["kbytes_per_s"] = bytes.load() / 1000.0 / seconds;
}
BENCHMARK(BM_TrainWatched)
    ->ArgName("viewers")
    ->Arg(-1)  // No --live.
    ->Arg(0)
    ->Arg(1)
    ->Arg(10)
    ->Iterations(1)
    ->Unit(benchmark::kSecond)
    ->UseRealTime();

}  // namespace
}  // namespace rl

BENCHMARK_MAIN();
