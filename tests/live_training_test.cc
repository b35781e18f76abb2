// A real training run with the live view on, while clients misbehave around
// it: it must learn exactly what it learns without the live view (same
// episodes, returns and agent statistics, bit for bit), and the server must
// stay up and keep its files to the run directory.
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "rl/run/training_run.h"
#include "rl/live/live_view.h"
#include "rl/live/test_util.h"

namespace rl {
namespace {

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// metrics.csv without its wall-clock column (steps_per_s, the 5th).
std::vector<std::string> DeterministicMetrics(const fs::path& run_dir) {
  std::vector<std::string> rows;
  for (absl::string_view line :
       absl::StrSplit(ReadFile(run_dir / "metrics.csv"), '\n')) {
    if (line.empty()) continue;
    std::vector<std::string> cells = absl::StrSplit(line, ',');
    if (cells.size() > 4) cells.erase(cells.begin() + 4);
    rows.push_back(absl::StrJoin(cells, ","));
  }
  return rows;
}

TrainingRunOptions Options(const fs::path& run_dir) {
  TrainingRunOptions options;
  options.trainer.env_id = "CartPole-v1";
  options.trainer.agent = "ppo";  // 8 lockstep envs: the live grid.
  options.trainer.seed = 3;
  options.steps = 12000;
  options.eval_every = 6000;
  options.eval_episodes = 2;
  options.run_dir = run_dir.string();
  options.video.render_backend = "llvmpipe";
  options.quiet = true;
  return options;
}

enum class Clients {
  kTraversal,   // ../ and %2e%2e requests for /etc/passwd.
  kNonReading,  // Asks for the stream and never reads it.
  kFifty,       // 50 clients connecting and dropping, again and again.
  kMalformed,   // Garbage, POST with a body, a 10 KB URI.
  kAll,
};

// A viewer reading the stream (so pictures are made throughout), plus the
// clients of `kind`, in a loop until `done`.
void Misbehave(int port, Clients kind, const std::atomic<bool>& done,
               std::atomic<int>* failures, std::atomic<int>* pictures) {
  const auto wanted = [kind](Clients k) {
    return kind == k || kind == Clients::kAll;
  };
  std::vector<std::thread> threads;
  threads.emplace_back([&, port] {
    while (!done) {
      const int fd = ConnectToPort(port);
      const std::string get = "GET /stream.mjpg HTTP/1.1\r\nHost: x\r\n\r\n";
      send(fd, get.data(), get.size(), MSG_NOSIGNAL);
      const std::string got = ReadFor(fd, absl::Seconds(1));
      for (size_t at = 0;
           (at = got.find("Content-Type: image/jpeg", at)) != std::string::npos;
           ++at) {
        ++*pictures;
      }
      close(fd);
    }
  });
  if (wanted(Clients::kNonReading))
    threads.emplace_back([&, port] {
      const int fd = ConnectToPort(port);
      int small = 4096;
      setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
      const std::string get = "GET /stream.mjpg HTTP/1.1\r\nHost: x\r\n\r\n";
      send(fd, get.data(), get.size(), MSG_NOSIGNAL);
      while (!done) absl::SleepFor(absl::Milliseconds(20));
      close(fd);
    });
  std::vector<std::string> requests;
  if (wanted(Clients::kTraversal)) {
    requests.push_back(
        "GET /files/%2e%2e/%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\n"
        "Connection: close\r\n\r\n");
    requests.push_back(
        "GET /files/../../etc/passwd HTTP/1.1\r\nConnection: close\r\n\r\n");
    requests.push_back(
        "GET /files/..%2f..%2fetc/passwd HTTP/1.1\r\n"
        "Connection: close\r\n\r\n");
  }
  if (wanted(Clients::kMalformed)) {
    requests.push_back("GARBAGE\r\n\r\n");
    requests.push_back(
        "POST /files/metrics.csv HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc");
    requests.push_back("GET /" + std::string(10000, 'x') + " HTTP/1.1\r\n\r\n");
  }
  if (!requests.empty())
    threads.emplace_back([&, port] {
      while (!done) {
        for (const std::string& request : requests) {
          auto reply = RawHttp(port, request, absl::Seconds(3));
          if (reply.ok() && (reply->status < 400 || reply->status >= 500 ||
                             absl::StrContains(reply->body, "root:"))) {
            ++*failures;
          }
        }
      }
    });
  if (wanted(Clients::kFifty))
    threads.emplace_back([&, port] {
      while (!done) {
        std::vector<int> fds;
        for (int i = 0; i < 50; ++i) fds.push_back(ConnectToPort(port));
        for (size_t i = 0; i < fds.size(); ++i) {
          if (i % 2 == 0) {
            const std::string half = "GET /status.js";
            send(fds[i], half.data(), half.size(), MSG_NOSIGNAL);
          }
          close(fds[i]);
        }
        absl::SleepFor(absl::Milliseconds(100));
      }
    });
  for (std::thread& thread : threads) thread.join();
}

class LiveTrainingTest : public ::testing::TestWithParam<Clients> {
 protected:
  // The run without a live view, once for all cases.
  static void SetUpTestSuite() {
    plain_dir_ = new fs::path(fs::path(std::getenv("TEST_TMPDIR")) / "plain");
    std::ostringstream out;
    auto plain = RunTraining(Options(*plain_dir_), out);
    ASSERT_TRUE(plain.ok()) << plain.status();
    plain_ = new TrainingSummary(*plain);
  }
  static fs::path* plain_dir_;
  static TrainingSummary* plain_;
};
fs::path* LiveTrainingTest::plain_dir_ = nullptr;
TrainingSummary* LiveTrainingTest::plain_ = nullptr;

TEST_P(LiveTrainingTest, MisbehavingClientsChangeNothingTheRunLearns) {
  ASSERT_NE(plain_, nullptr);
  const fs::path live_dir = fs::path(std::getenv("TEST_TMPDIR")) /
                            absl::StrCat("live", static_cast<int>(GetParam()));
  fs::create_directories(live_dir);
  std::ostringstream out;
  LiveOptions live_options;
  live_options.address = "127.0.0.1:0";
  live_options.render_backend = "llvmpipe";
  auto live = LiveView::Start(live_options, live_dir.string(), &out);
  ASSERT_TRUE(live.ok()) << live.status();
  const int port = (*live)->server().port();
  std::atomic<bool> done{false};
  std::atomic<int> failures{0}, pictures{0};
  std::thread clients(
      [&] { Misbehave(port, GetParam(), done, &failures, &pictures); });
  TrainingRunOptions options = Options(live_dir);
  options.live = live->get();
  auto watched = RunTraining(options, out);
  // Still serving once training is done, with the final state.
  auto status = HttpGet(port, "/status.json");
  done = true;
  clients.join();
  ASSERT_TRUE(watched.ok()) << watched.status();

  EXPECT_EQ(DeterministicMetrics(live_dir), DeterministicMetrics(*plain_dir_));
  EXPECT_GT(DeterministicMetrics(live_dir).size(), 10u);
  ASSERT_EQ(watched->evals.size(), plain_->evals.size());
  for (size_t i = 0; i < plain_->evals.size(); ++i) {
    EXPECT_EQ(watched->evals[i].mean_return, plain_->evals[i].mean_return);
  }
  EXPECT_EQ(failures.load(), 0) << "a bad request got a non-4xx answer";
  EXPECT_GT(pictures.load(), 0) << "the viewer saw the run";
  EXPECT_GT((*live)->feed().pictures(), 0);
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_TRUE(absl::StrContains(status->body, "\"state\":\"finished\""))
      << status->body.substr(0, 300);
  EXPECT_TRUE(absl::StrContains(
      status->body, absl::StrCat("\"total_points\":", watched->episodes)))
      << "every episode is on the live curve";
  // Videos listed on the page are served.
  ASSERT_FALSE(watched->videos.empty());
  auto video = HttpGet(port, "/files/" + watched->videos[0].file);
  ASSERT_TRUE(video.ok());
  EXPECT_EQ(video->status, 200);
  EXPECT_GT(video->body.size(), 1000u);
  EXPECT_EQ(video->headers["content-type"], "video/mp4");
}

// A resumed run's live curve starts with the episodes before the resume.
TEST(LiveResumeTest, ShowsTheWholeCurve) {
  const fs::path dir = fs::path(std::getenv("TEST_TMPDIR")) / "resumed";
  std::ostringstream out;
  TrainingRunOptions first = Options(dir);
  first.steps = 6000;
  ASSERT_TRUE(RunTraining(first, out).ok());
  const size_t before = DeterministicMetrics(dir).size() - 1;  // Header.
  ASSERT_GT(before, 5u);

  LiveOptions live_options;
  live_options.address = "127.0.0.1:0";
  auto live = LiveView::Start(live_options, dir.string(), &out);
  ASSERT_TRUE(live.ok()) << live.status();
  TrainingRunOptions second = Options(dir);
  second.resume = (dir / "checkpoints" / "latest.ckpt").string();
  second.live = live->get();
  auto resumed = RunTraining(second, out);
  ASSERT_TRUE(resumed.ok()) << resumed.status();
  const size_t all = DeterministicMetrics(dir).size() - 1;
  ASSERT_GT(all, before);
  auto status = HttpGet((*live)->server().port(), "/status.json");
  ASSERT_TRUE(status.ok());
  EXPECT_TRUE(
      absl::StrContains(status->body, absl::StrCat("\"total_points\":", all)))
      << "want " << all << " points (" << before
      << " from before the resume): " << status->body.substr(0, 200);
  EXPECT_TRUE(absl::StrContains(status->body, "\"total_steps\":12000"));
}

INSTANTIATE_TEST_SUITE_P(EachKindOfClient, LiveTrainingTest,
                         ::testing::Values(Clients::kTraversal,
                                           Clients::kNonReading,
                                           Clients::kFifty, Clients::kMalformed,
                                           Clients::kAll),
                         [](const ::testing::TestParamInfo<Clients>& info) {
                           switch (info.param) {
                             case Clients::kTraversal:
                               return std::string("Traversal");
                             case Clients::kNonReading:
                               return std::string("NonReading");
                             case Clients::kFifty:
                               return std::string("FiftyConnectAndDrop");
                             case Clients::kMalformed:
                               return std::string("Malformed");
                             case Clients::kAll:
                               return std::string("AllAtOnce");
                           }
                           return std::string("?");
                         });

}  // namespace
}  // namespace rl
