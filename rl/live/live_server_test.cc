#include "rl/live/live_server.h"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "rl/canvas/canvas.h"
#include "rl/live/live_board.h"
#include "rl/live/live_feed.h"
#include "rl/live/test_util.h"

namespace rl {
namespace {

namespace fs = std::filesystem;

void WriteFile(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

// A served run directory beside a secret that must stay unreachable, a
// learner offering pictures while someone watches, and the server.
class LiveServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::path(std::getenv("TEST_TMPDIR")) /
            ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(base_);
    root_ = base_ / "run";
    WriteFile(root_ / "metrics.csv", "step,episode,return\n10,0,10\n");
    WriteFile(root_ / "videos" / "a b.mp4", std::string(100000, 'v'));
    WriteFile(base_ / "secret.txt", "TOP-SECRET");
    fs::create_symlink(base_ / "secret.txt", root_ / "link_out");
    fs::create_symlink(base_, root_ / "dir_out");
    fs::create_symlink(root_ / "metrics.csv", root_ / "link_in");
    board_.SetRun("test run", 1000);
  }
  void TearDown() override {
    stop_ = true;
    if (learner_.joinable()) learner_.join();
    server_.reset();
    feed_.reset();
  }

  void StartServer(LiveServerOptions options = LiveServerOptions()) {
    auto feed = LiveFeed::Create(LiveFeedOptions());
    ASSERT_TRUE(feed.ok()) << feed.status();
    feed_ = std::move(*feed);
    options.root_dir = root_.string();
    auto server = LiveServer::Start(options, feed_.get(), &board_);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    port_ = server_->port();
    learner_ = std::thread([this] {
      int i = 0;
      while (!stop_) {
        if (feed_->Wanted()) {
          Canvas canvas(160, 120,
                        Color{static_cast<uint8_t>(i * 40), 80, 80, 255});
          feed_->Offer(std::move(canvas));
          ++i;
        }
        absl::SleepFor(absl::Milliseconds(1));
      }
    });
  }

  // Waits until the server has no stream open (a dropped client's worker
  // noticed), up to `timeout`.
  bool StreamsDrain(absl::Duration timeout) {
    const absl::Time deadline = absl::Now() + timeout;
    while (absl::Now() < deadline) {
      if (server_->streams() == 0) return true;
      absl::SleepFor(absl::Milliseconds(20));
    }
    return false;
  }

  // What GET /stream.mjpg receives within `timeout` (reply head included).
  std::string ReadStream(absl::Duration timeout) {
    const int fd = ConnectToPort(port_);
    if (fd < 0) return "";
    const std::string request = "GET /stream.mjpg HTTP/1.1\r\nHost: x\r\n\r\n";
    std::string raw;
    if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
        static_cast<ssize_t>(request.size())) {
      raw = ReadFor(fd, timeout);
    }
    close(fd);
    return raw;
  }

  void ExpectServing() {
    auto page = HttpGet(port_, "/");
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_EQ(page->status, 200);
    EXPECT_TRUE(absl::StrContains(page->body, "id=\"live\""));
  }

  fs::path base_, root_;
  LiveBoard board_;
  std::unique_ptr<LiveFeed> feed_;
  std::unique_ptr<LiveServer> server_;
  std::thread learner_;
  std::atomic<bool> stop_{false};
  int port_ = 0;
};

TEST_F(LiveServerTest, ServesThePageStatusAndFiles) {
  StartServer();
  EXPECT_EQ(server_->url(), absl::StrCat("http://127.0.0.1:", port_, "/"));
  ExpectServing();
  board_.AddEpisode(10, 10);
  board_.AddEpisode(25, 15.5);
  board_.AddVideo({"train", "videos/a b.mp4", 0, 10, 11, 10, "terminated"});
  auto status = HttpGet(port_, "/status.json?since=1");
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(status->status, 200);
  EXPECT_EQ(status->headers["content-type"], "application/json");
  EXPECT_TRUE(absl::StrContains(status->body, "\"points\":[[25,15.5]]"))
      << status->body;
  EXPECT_TRUE(absl::StrContains(status->body, "\"file\":\"videos/a b.mp4\""));
  auto bad_since = HttpGet(port_, "/status.json?since=x");
  ASSERT_TRUE(bad_since.ok());
  EXPECT_EQ(bad_since->status, 400);

  auto csv = HttpGet(port_, "/files/metrics.csv");
  ASSERT_TRUE(csv.ok());
  EXPECT_EQ(csv->status, 200);
  EXPECT_EQ(csv->body, "step,episode,return\n10,0,10\n");
  EXPECT_TRUE(absl::StartsWith(csv->headers["content-type"], "text/csv"));
  // Browsers seek in videos with Range requests.
  auto range =
      HttpGet(port_, "/files/videos/a%20b.mp4", "Range: bytes=10-19\r\n");
  ASSERT_TRUE(range.ok());
  EXPECT_EQ(range->status, 206);
  EXPECT_EQ(range->body, std::string(10, 'v'));
  EXPECT_EQ(range->headers["content-type"], "video/mp4");
  auto whole = HttpGet(port_, "/files/videos/a%20b.mp4");
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole->body.size(), 100000u);
  // A link inside the directory is not one of the run's files.
  auto inside = HttpGet(port_, "/files/link_in");
  ASSERT_TRUE(inside.ok());
  EXPECT_EQ(inside->status, 404);
  // Directories list their entries; without the slash they redirect.
  auto listing = HttpGet(port_, "/files/videos/");
  ASSERT_TRUE(listing.ok());
  EXPECT_EQ(listing->status, 200);
  EXPECT_TRUE(absl::StrContains(listing->body, "href=\"a%20b.mp4\""))
      << listing->body;
  auto redirect = HttpGet(port_, "/files/videos");
  ASSERT_TRUE(redirect.ok());
  EXPECT_EQ(redirect->status, 302);
  auto missing = HttpGet(port_, "/files/nope.mp4");
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ(missing->status, 404);
  auto head = RawHttp(port_,
                      "HEAD /files/metrics.csv HTTP/1.1\r\nHost: x\r\n"
                      "Connection: close\r\n\r\n");
  ASSERT_TRUE(head.ok()) << head.status();
  EXPECT_EQ(head->status, 200);
  EXPECT_TRUE(head->body.empty());
}

TEST_F(LiveServerTest, ServesEachRanksPicture) {
  StartServer();
  auto none = HttpGet(port_, "/rank_frame.jpg?rank=1");
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_EQ(none->status, 404);
  board_.SetRankPicture(1, std::string("\xff\xd8 rank one \xff\xd9", 14));
  auto one = HttpGet(port_, "/rank_frame.jpg?rank=1");
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_EQ(one->status, 200);
  EXPECT_EQ(one->headers["content-type"], "image/jpeg");
  EXPECT_EQ(one->body, std::string("\xff\xd8 rank one \xff\xd9", 14));
  auto other = HttpGet(port_, "/rank_frame.jpg?rank=2");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->status, 404);
  auto bad = HttpGet(port_, "/rank_frame.jpg?rank=x");
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->status, 404);
  auto page = HttpGet(port_, "/");
  ASSERT_TRUE(page.ok());
  EXPECT_TRUE(absl::StrContains(page->body, "rank_frame.jpg?rank="));
}

// --video_dir=$HOME with --live used to serve ~/.ssh: only the run's own
// files are served and listed.
TEST_F(LiveServerTest, ServesOnlyTheRunsFiles) {
  WriteFile(root_ / ".ssh" / "id_rsa", "PRIVATE KEY");
  WriteFile(root_ / "notes.txt", "someone's notes");
  WriteFile(root_ / "videos" / "theirs.mp4", "not the run's");
  WriteFile(root_ / "videos" / "a b.json", "{}");
  WriteFile(root_ / "checkpoints" / "latest.ckpt", "ckpt");
  StartServer();
  board_.AddVideo({"train", "videos/a b.mp4", 0, 10, 11, 10, "terminated"});
  for (const char* refused :
       {"/files/.ssh/id_rsa", "/files/.ssh/", "/files/notes.txt",
        "/files/videos/theirs.mp4", "/files/link_in"}) {
    auto reply = HttpGet(port_, refused);
    ASSERT_TRUE(reply.ok()) << refused;
    EXPECT_EQ(reply->status, 404) << refused;
    EXPECT_FALSE(absl::StrContains(reply->body, "PRIVATE")) << refused;
  }
  for (const char* served :
       {"/files/metrics.csv", "/files/videos/a%20b.mp4",
        "/files/videos/a%20b.json", "/files/checkpoints/latest.ckpt"}) {
    auto reply = HttpGet(port_, served);
    ASSERT_TRUE(reply.ok()) << served;
    EXPECT_EQ(reply->status, 200) << served;
  }
  auto listing = HttpGet(port_, "/files/");
  ASSERT_TRUE(listing.ok());
  EXPECT_TRUE(absl::StrContains(listing->body, "metrics.csv"));
  EXPECT_TRUE(absl::StrContains(listing->body, "videos/"));
  for (const char* hidden : {"ssh", "notes.txt", "link_in", "dir_out"}) {
    EXPECT_FALSE(absl::StrContains(listing->body, hidden)) << listing->body;
  }
  auto videos = HttpGet(port_, "/files/videos/");
  ASSERT_TRUE(videos.ok());
  EXPECT_TRUE(absl::StrContains(videos->body, "a%20b.mp4"));
  EXPECT_FALSE(absl::StrContains(videos->body, "theirs")) << videos->body;
}

TEST_F(LiveServerTest, ARangePastTheEndIs416) {
  StartServer();
  auto past = HttpGet(port_, "/files/metrics.csv", "Range: bytes=1000-\r\n");
  ASSERT_TRUE(past.ok());
  EXPECT_EQ(past->status, 416);
  EXPECT_EQ(past->headers["content-range"], "bytes */28");
  for (const char* unsatisfiable :
       {"bytes=28-", "bytes=28-40", "bytes=-0", "bytes=100-,200-300"}) {
    auto reply = HttpGet(port_, "/files/metrics.csv",
                         absl::StrCat("Range: ", unsatisfiable, "\r\n"));
    ASSERT_TRUE(reply.ok());
    EXPECT_EQ(reply->status, 416) << unsatisfiable;
    EXPECT_EQ(reply->headers["content-range"], "bytes */28") << unsatisfiable;
  }
  // With one satisfiable range among them, that one is served.
  auto some = HttpGet(port_, "/files/metrics.csv", "Range: bytes=0-3,99-\r\n");
  ASSERT_TRUE(some.ok());
  EXPECT_EQ(some->status, 206);
  EXPECT_EQ(some->body, "step");
  EXPECT_EQ(some->headers["content-range"], "bytes 0-3/28");
  auto inside = HttpGet(port_, "/files/metrics.csv", "Range: bytes=5-\r\n");
  ASSERT_TRUE(inside.ok());
  EXPECT_EQ(inside->status, 206);
  EXPECT_EQ(inside->body, "episode,return\n10,0,10\n");
}

// The limits the live view runs with (live_view.cc): 16 viewers.
LiveServerOptions ViewLimits() {
  LiveServerOptions options;
  options.max_viewers = 16;
  options.max_connections = options.max_viewers + 128;
  return options;
}

// Measures GET / for `duration` while an attack goes on; every answer must
// come within a second.
void ExpectPageAnswersWithinASecond(int port, absl::Duration duration) {
  const absl::Time end = absl::Now() + duration;
  int answered = 0;
  absl::Duration slowest;
  while (absl::Now() < end) {
    const absl::Time start = absl::Now();
    auto page = HttpGet(port, "/");
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_EQ(page->status, 200);
    const absl::Duration took = absl::Now() - start;
    EXPECT_LT(took, absl::Seconds(1));
    slowest = std::max(slowest, took);
    ++answered;
    absl::SleepFor(absl::Milliseconds(250));
  }
  EXPECT_GT(answered, 3);
  std::cerr << "page answered " << answered << " times, slowest in "
            << absl::FormatDuration(slowest) << "\n";
}

// `count` clients that GET `target` and never read (with small receive
// buffers, so the server's writes block soon).
std::vector<int> NonReadingClients(int port, const std::string& target,
                                   int count) {
  std::vector<int> fds;
  const std::string request =
      absl::StrCat("GET ", target, " HTTP/1.1\r\nHost: x\r\n\r\n");
  for (int i = 0; i < count; ++i) {
    const int fd = ConnectToPort(port);
    if (fd < 0) {
      ADD_FAILURE() << "cannot connect client " << i;
      break;
    }
    int small = 4096;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
    send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    fds.push_back(fd);
  }
  return fds;
}

// 100 connections sending their request a byte every 3 s used to make the
// page unreachable for as long as they went on.
TEST_F(LiveServerTest, SlowHeaderClientsDoNotBlockThePage) {
  StartServer(ViewLimits());
  std::vector<int> slow;
  for (int i = 0; i < 100; ++i) {
    const int fd = ConnectToPort(port_);
    ASSERT_GE(fd, 0);
    slow.push_back(fd);
  }
  std::atomic<bool> done{false};
  std::thread trickle([&] {
    const std::string request = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    for (size_t i = 0; i < request.size() && !done; ++i) {
      for (int fd : slow) send(fd, &request[i], 1, MSG_NOSIGNAL);
      for (int t = 0; t < 30 && !done; ++t) {
        absl::SleepFor(absl::Milliseconds(100));
      }
    }
  });
  absl::SleepFor(absl::Milliseconds(200));
  ExpectPageAnswersWithinASecond(port_, absl::Seconds(7));
  done = true;
  trickle.join();
  for (int fd : slow) close(fd);
}

// httplib's read timeout is per read: a byte every second (under it) kept a
// connection, and so a worker, forever; 300 of them made the page
// unreachable. A request must now arrive whole within request_timeout, and
// no worker waits for one meanwhile.
TEST_F(LiveServerTest, TrickleUnderThePerReadTimeoutDoesNotBlockThePage) {
  StartServer(ViewLimits());
  std::atomic<bool> done{false};
  std::thread attacker([&] {
    // Non-blocking, as a real attacker's: no connect waits for another.
    struct Slow {
      int fd;
      size_t sent = 0;
    };
    std::vector<Slow> slow;
    for (int i = 0; i < 300; ++i) {
      const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_port = htons(static_cast<uint16_t>(port_));
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
      slow.push_back({fd});
    }
    const std::string request = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
    while (!done) {
      for (Slow& client : slow) {
        if (client.sent < request.size() &&
            send(client.fd, &request[client.sent], 1,
                 MSG_NOSIGNAL | MSG_DONTWAIT) == 1) {
          ++client.sent;
        }
      }
      for (int t = 0; t < 10 && !done; ++t) {
        absl::SleepFor(absl::Milliseconds(100));
      }
    }
    for (const Slow& client : slow) close(client.fd);
  });
  absl::SleepFor(absl::Seconds(2));  // All connected and trickling.
  ExpectPageAnswersWithinASecond(port_, absl::Seconds(7));
  done = true;
  attacker.join();
}

// The deadline is for the whole request, not per byte: a request trickled
// a byte every 400 ms is answered 408 and closed within request_timeout.
TEST_F(LiveServerTest, ARequestMustArriveWholeWithinTheRequestTimeout) {
  StartServer();  // request_timeout: 3 s.
  const int fd = ConnectToPort(port_);
  ASSERT_GE(fd, 0);
  const std::string request = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  const absl::Time start = absl::Now();
  std::string reply;
  for (size_t i = 0; i < request.size(); ++i) {
    if (send(fd, &request[i], 1, MSG_NOSIGNAL) != 1) break;
    const std::string got = ReadFor(fd, absl::Milliseconds(400));
    reply += got;
    if (!got.empty() || absl::Now() - start > absl::Seconds(6)) break;
  }
  reply += ReadFor(fd, absl::Seconds(1));
  const absl::Duration took = absl::Now() - start;
  EXPECT_TRUE(absl::StartsWith(reply, "HTTP/1.1 408")) << reply;
  EXPECT_LT(took, absl::Seconds(4.5));
  char byte;
  EXPECT_LE(recv(fd, &byte, 1, MSG_DONTWAIT), 0) << "closed by the server";
  close(fd);
}

// Between requests a keep-alive connection waits without a worker: clients
// that ask once and then sit idle used to hold one each for 2 s.
TEST_F(LiveServerTest, IdleKeepAliveClientsHoldNoWorker) {
  LiveServerOptions options;
  options.max_viewers = 1;
  options.max_connections = 2;  // One worker for everything but streams.
  StartServer(options);
  std::vector<int> idle;
  const std::string request = "GET /status.json HTTP/1.1\r\nHost: x\r\n\r\n";
  for (int i = 0; i < 10; ++i) {
    const int fd = ConnectToPort(port_);
    ASSERT_GE(fd, 0);
    send(fd, request.data(), request.size(), MSG_NOSIGNAL);
    idle.push_back(fd);
  }
  absl::SleepFor(absl::Milliseconds(100));
  ExpectPageAnswersWithinASecond(port_, absl::Seconds(3));
  for (int fd : idle) {
    EXPECT_TRUE(
        absl::StartsWith(ReadFor(fd, absl::Milliseconds(100)), "HTTP/1.1 200"));
    close(fd);
  }
}

// 200 clients asking for the stream and never reading used to block the
// page for 15 s.
TEST_F(LiveServerTest, NonReadingStreamClientsDoNotBlockThePage) {
  StartServer(ViewLimits());
  const std::vector<int> stuck = NonReadingClients(port_, "/stream.mjpg", 200);
  ExpectPageAnswersWithinASecond(port_, absl::Seconds(5));
  for (int fd : stuck) close(fd);
}

// Clients that ask for a large file and never read hold a worker each until
// io_timeout; 200 of them held every one. The page and status.json have
// workers of their own.
TEST_F(LiveServerTest, NonReadingFileClientsDoNotBlockThePage) {
  WriteFile(root_ / "videos" / "big.mp4", std::string(8 << 20, 'v'));
  board_.AddVideo({"train", "videos/big.mp4", 0, 10, 11, 10, "terminated"});
  StartServer(ViewLimits());
  const std::vector<int> stuck =
      NonReadingClients(port_, "/files/videos/big.mp4", 200);
  ExpectPageAnswersWithinASecond(port_, absl::Seconds(4));
  auto status = HttpGet(port_, "/status.json");
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_EQ(status->status, 200);
  for (int fd : stuck) close(fd);
}

TEST_F(LiveServerTest, NoPathLeavesTheRunDirectory) {
  StartServer();
  const std::vector<std::string> attempts = {
      "/files/../secret.txt",
      "/files/%2e%2e/secret.txt",
      "/files/%2E%2E/secret.txt",
      "/files/videos/../../secret.txt",
      "/files/videos/%2e%2e/%2e%2e/secret.txt",
      "/files/..%2fsecret.txt",
      "/files/%2e%2e%2fsecret.txt",
      "/files/link_out",
      "/files/dir_out/secret.txt",
      "/files/..\\secret.txt",
      "/files/%00../secret.txt",
      "/files/%252e%252e/secret.txt",
      "/files//etc/passwd",
      "/files/" + root_.string() + "/../secret.txt",
      "/../secret.txt",
      "/%2e%2e/secret.txt",
  };
  for (const std::string& target : attempts) {
    auto reply = HttpGet(port_, target);
    ASSERT_TRUE(reply.ok()) << target << ": " << reply.status();
    EXPECT_TRUE(reply->status == 403 || reply->status == 404 ||
                reply->status == 400)
        << target << " -> " << reply->status;
    EXPECT_FALSE(absl::StrContains(reply->body, "TOP-SECRET")) << target;
    EXPECT_FALSE(absl::StrContains(reply->body, "root:")) << target;
  }
  auto dotdot = HttpGet(port_, "/files/%2e%2e/secret.txt");
  ASSERT_TRUE(dotdot.ok());
  EXPECT_EQ(dotdot->status, 403);
  auto symlink = HttpGet(port_, "/files/link_out");
  ASSERT_TRUE(symlink.ok());
  EXPECT_EQ(symlink->status, 403);
  ExpectServing();
}

TEST_F(LiveServerTest, MalformedRequestsGet4xxAndTheServerCarriesOn) {
  StartServer();
  const std::vector<std::pair<std::string, std::string>> requests = {
      {"garbage", "GARBAGE\r\n\r\n"},
      {"no version", "GET /\r\n\r\n"},
      {"bad version", "GET / HTTP/9.9\r\n\r\n"},
      {"space in target", "GET /a b HTTP/1.1\r\n\r\n"},
      {"no method", " / HTTP/1.1\r\n\r\n"},
      {"long uri", "GET /" + std::string(20000, 'a') + " HTTP/1.1\r\n\r\n"},
      {"post with body",
       "POST /files/metrics.csv HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"},
      {"delete", "DELETE /files/metrics.csv HTTP/1.1\r\n\r\n"},
      {"bad range",
       "GET /files/metrics.csv HTTP/1.1\r\nRange: bytes=z-q\r\n"
       "Connection: close\r\n\r\n"},
      {"binary",
       std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11) +
           "\r\n\r\n"},
      {"bad percent", "GET /files/%zz HTTP/1.1\r\nConnection: close\r\n\r\n"},
  };
  for (const auto& [name, request] : requests) {
    auto reply = RawHttp(port_, request, absl::Seconds(8));
    if (reply.ok()) {
      EXPECT_GE(reply->status, 400) << name;
      EXPECT_LT(reply->status, 500) << name;
    } else {
      // Closing on bytes that are not HTTP at all is fine too; a crash is
      // not, which ExpectServing() below would show.
      EXPECT_TRUE(name == "binary") << name << ": " << reply.status();
    }
  }
  EXPECT_TRUE(fs::exists(root_ / "metrics.csv")) << "read-only";
  ExpectServing();
}

TEST_F(LiveServerTest, StreamsMjpegPicturesThatChange) {
  StartServer();
  const std::string raw = ReadStream(absl::Seconds(2));
  EXPECT_TRUE(absl::StartsWith(raw, "HTTP/1.1 200"));
  EXPECT_TRUE(absl::StrContains(
      raw, "Content-Type: multipart/x-mixed-replace; boundary=frame"));
  // Pictures, each a JPEG; at 10 per second there are several in 2 s.
  std::vector<std::string> jpegs;
  size_t at = 0;
  while ((at = raw.find("\xff\xd8", at)) != std::string::npos) {
    const size_t end = raw.find("\xff\xd9", at);
    if (end == std::string::npos) break;
    jpegs.push_back(raw.substr(at, end + 2 - at));
    at = end + 2;
  }
  ASSERT_GE(jpegs.size(), 3u) << raw.size() << " bytes";
  auto first = DecodeJpeg(jpegs.front());
  auto last = DecodeJpeg(jpegs.back());
  ASSERT_TRUE(first.ok() && last.ok());
  EXPECT_EQ(first->width(), 160);
  EXPECT_NE(first->at(80, 60).r, last->at(80, 60).r) << "the picture moves";
  EXPECT_TRUE(StreamsDrain(absl::Seconds(5)));

  auto frame = HttpGet(port_, "/frame.jpg");
  ASSERT_TRUE(frame.ok());
  EXPECT_EQ(frame->status, 200);
  EXPECT_EQ(frame->headers["content-type"], "image/jpeg");
  EXPECT_TRUE(DecodeJpeg(frame->body).ok());
}

// A viewer who comes after the pictures stopped (the run ended, the view
// lingers) gets the last picture at once as a whole part: closed by the
// boundary, so a browser shows it without waiting for a next part that
// never comes.
TEST_F(LiveServerTest, AViewerAfterThePicturesStoppedGetsTheLastOneWhole) {
  StartServer();
  auto frame = HttpGet(port_, "/frame.jpg");  // Someone watched the run.
  ASSERT_TRUE(frame.ok());
  ASSERT_EQ(frame->status, 200) << frame->body;
  stop_ = true;  // The run ends: no more pictures.
  learner_.join();
  const int64_t pictures = feed_->pictures();
  ASSERT_GE(pictures, 1);

  const std::string raw = ReadStream(absl::Seconds(1.5));
  EXPECT_EQ(feed_->pictures(), pictures) << "no picture was made meanwhile";
  const size_t head_end = raw.find("\r\n\r\n");
  ASSERT_NE(head_end, std::string::npos) << raw;
  ASSERT_TRUE(absl::StartsWith(raw, "HTTP/1.1 200")) << raw.substr(0, 200);
  const std::string body = raw.substr(head_end + 4);
  const std::string part_head =
      "--frame\r\nContent-Type: image/jpeg\r\nContent-Length: ";
  ASSERT_TRUE(absl::StartsWith(body, part_head)) << body.substr(0, 200);
  const size_t length_end = body.find("\r\n\r\n", part_head.size());
  ASSERT_NE(length_end, std::string::npos);
  size_t length = 0;
  ASSERT_TRUE(absl::SimpleAtoi(
      body.substr(part_head.size(), length_end - part_head.size()), &length));
  const size_t jpeg_start = length_end + 4;
  ASSERT_GE(body.size(), jpeg_start + length);
  EXPECT_EQ(body.substr(jpeg_start, length), *feed_->Latest().jpeg);
  EXPECT_TRUE(DecodeJpeg(body.substr(jpeg_start, length)).ok());
  // Everything after the JPEG: the boundary that closes its part.
  EXPECT_EQ(body.substr(jpeg_start + length), "\r\n--frame\r\n");
}

TEST_F(LiveServerTest, AClientThatNeverReadsIsDroppedAndBlocksNobody) {
  LiveServerOptions options;
  options.io_timeout = absl::Seconds(1);
  options.send_buffer_bytes = 8192;  // Fills in a second or two.
  StartServer(options);
  // Asks for the stream, then never reads: its socket buffers fill up.
  const int stuck = ConnectToPort(port_);
  ASSERT_GE(stuck, 0);
  int small = 4096;
  setsockopt(stuck, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
  const std::string request = "GET /stream.mjpg HTTP/1.1\r\nHost: x\r\n\r\n";
  send(stuck, request.data(), request.size(), MSG_NOSIGNAL);
  // Another connects and sends nothing at all.
  const int silent = ConnectToPort(port_);
  ASSERT_GE(silent, 0);
  absl::SleepFor(absl::Milliseconds(300));
  EXPECT_EQ(server_->streams(), 1);
  // Meanwhile everyone else is served promptly.
  for (int i = 0; i < 5; ++i) {
    const absl::Time start = absl::Now();
    ExpectServing();
    EXPECT_LT(absl::Now() - start, absl::Milliseconds(900));
  }
  // The stuck stream is dropped once a picture cannot be written in time,
  // and the silent client is closed.
  EXPECT_TRUE(StreamsDrain(absl::Seconds(20))) << server_->streams();
  const std::string rest = ReadFor(silent, absl::Seconds(5));
  char byte;
  EXPECT_EQ(read(silent, &byte, 1), 0) << "closed by the server";
  close(stuck);
  close(silent);
  ExpectServing();
}

TEST_F(LiveServerTest, FiftyClientsConnectingAndDroppingLeaveItServing) {
  StartServer();
  std::vector<std::thread> clients;
  std::atomic<int> connected{0};
  for (int i = 0; i < 50; ++i) {
    clients.emplace_back([this, i, &connected] {
      const int fd = ConnectToPort(port_);
      if (fd < 0) return;
      ++connected;
      std::string request;
      switch (i % 5) {
        case 0:
          request = "";
          break;  // Connect and go.
        case 1:
          request = "GET /stream.mjpg HTTP/1.1\r\nHost: x\r\n\r\n";
          break;
        case 2:
          request = "GET /files/videos/a%20b.mp4 HTTP/1.1\r\n\r\n";
          break;
        case 3:
          request = "GET /status.json HT";
          break;  // Half a request.
        case 4:
          request = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
          break;
      }
      send(fd, request.data(), request.size(), MSG_NOSIGNAL);
      if (i % 2 == 0) ReadFor(fd, absl::Milliseconds(100), 1000);
      close(fd);  // Mid-reply, often.
    });
  }
  for (std::thread& client : clients) client.join();
  EXPECT_EQ(connected.load(), 50);
  ExpectServing();
  EXPECT_TRUE(StreamsDrain(absl::Seconds(15))) << server_->streams();
  auto status = HttpGet(port_, "/status.json");
  ASSERT_TRUE(status.ok());
  EXPECT_TRUE(absl::StrContains(status->body, "\"viewers\":0"));
}

TEST_F(LiveServerTest, ViewersBeyondTheLimitGet503) {
  LiveServerOptions options;
  options.max_viewers = 2;
  options.max_connections = 4;
  StartServer(options);
  std::vector<int> fds;
  const std::string request = "GET /stream.mjpg HTTP/1.1\r\nHost: x\r\n\r\n";
  for (int i = 0; i < 2; ++i) {
    fds.push_back(ConnectToPort(port_));
    send(fds.back(), request.data(), request.size(), MSG_NOSIGNAL);
    EXPECT_TRUE(absl::StartsWith(ReadFor(fds.back(), absl::Milliseconds(500)),
                                 "HTTP/1.1 200"));
  }
  auto third = HttpGet(port_, "/stream.mjpg");
  ASSERT_TRUE(third.ok()) << third.status();
  EXPECT_EQ(third->status, 503);
  EXPECT_TRUE(absl::StrContains(third->body, "--live_max_viewers"));
  ExpectServing();  // The page and files still have workers.
  for (int fd : fds) close(fd);
  EXPECT_TRUE(StreamsDrain(absl::Seconds(10)));
}

TEST_F(LiveServerTest, HeadAndRangeRequestsOnTheStreamFreeTheirSlot) {
  LiveServerOptions options;
  options.max_viewers = 2;
  options.max_connections = 4;
  StartServer(options);
  for (int i = 0; i < 3; ++i) {
    auto head = RawHttp(port_,
                        "HEAD /stream.mjpg HTTP/1.1\r\nHost: x\r\n"
                        "Connection: close\r\n\r\n",
                        absl::Seconds(3));
    ASSERT_TRUE(head.ok()) << head.status();
    EXPECT_EQ(head->status, 200);
    auto range = RawHttp(port_,
                         "GET /stream.mjpg HTTP/1.1\r\nHost: x\r\n"
                         "Range: bytes=0-10\r\n"
                         "Connection: close\r\n\r\n",
                         absl::Seconds(1));
    ASSERT_TRUE(range.ok()) << range.status();
  }
  EXPECT_TRUE(StreamsDrain(absl::Seconds(10))) << server_->streams();
  // Both slots are free again.
  std::vector<int> fds;
  const std::string request = "GET /stream.mjpg HTTP/1.1\r\nHost: x\r\n\r\n";
  for (int i = 0; i < 2; ++i) {
    fds.push_back(ConnectToPort(port_));
    send(fds.back(), request.data(), request.size(), MSG_NOSIGNAL);
    EXPECT_TRUE(absl::StartsWith(ReadFor(fds.back(), absl::Milliseconds(500)),
                                 "HTTP/1.1 200"))
        << i;
  }
  for (int fd : fds) close(fd);
}

TEST_F(LiveServerTest, StopEndsOpenStreamsPromptly) {
  StartServer();
  const int fd = ConnectToPort(port_);
  const std::string request = "GET /stream.mjpg HTTP/1.1\r\nHost: x\r\n\r\n";
  send(fd, request.data(), request.size(), MSG_NOSIGNAL);
  ReadFor(fd, absl::Milliseconds(300));
  const absl::Time start = absl::Now();
  server_->Stop();
  EXPECT_LT(absl::Now() - start, absl::Seconds(7));
  close(fd);
}

TEST_F(LiveServerTest, StartRefusesBadOptionsAndABusyPort) {
  auto feed = LiveFeed::Create(LiveFeedOptions());
  ASSERT_TRUE(feed.ok());
  LiveServerOptions options;
  options.root_dir = (base_ / "missing").string();
  auto missing = LiveServer::Start(options, feed->get(), &board_);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("not a directory"),
            std::string::npos);
  options.root_dir = root_.string();
  auto first = LiveServer::Start(options, feed->get(), &board_);
  ASSERT_TRUE(first.ok()) << first.status();
  options.port = (*first)->port();
  auto busy = LiveServer::Start(options, feed->get(), &board_);
  ASSERT_FALSE(busy.ok());
  EXPECT_NE(busy.status().message().find("in use"), std::string::npos)
      << busy.status();
  EXPECT_FALSE((*feed)->closed()) << "a failed Start leaves the feed alone";
  options.port = 0;
  options.host = "203.0.113.7";  // TEST-NET-3: not ours.
  EXPECT_FALSE(LiveServer::Start(options, feed->get(), &board_).ok());
}

TEST(ResolveServedPathTest, KeepsInsideTheRoot) {
  EXPECT_TRUE(absl::IsPermissionDenied(
      ResolveServedPath("/tmp", "../etc/passwd").status()));
  EXPECT_TRUE(absl::IsPermissionDenied(
      ResolveServedPath("/tmp", std::string("a\0b", 3)).status()));
  EXPECT_TRUE(absl::IsNotFound(
      ResolveServedPath("/tmp", "surely-not-here-42").status()));
  EXPECT_EQ(ContentTypeOf("x/y.WEBM"), "video/webm");
  EXPECT_EQ(ContentTypeOf("model.ckpt"), "application/octet-stream");
}

}  // namespace
}  // namespace rl
