#include "rl/live/live_view.h"

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "rl/envs/env.h"
#include "rl/live/test_util.h"

namespace rl {
namespace {

TEST(ParseLiveAddressTest, TakesTheUsualForms) {
  struct Case {
    const char* text;
    const char* host;
    int port;
  } cases[] = {
      {"8080", "127.0.0.1", 8080},   {":8080", "127.0.0.1", 8080},
      {"0.0.0.0:80", "0.0.0.0", 80}, {"localhost:0", "localhost", 0},
      {"[::1]:9000", "::1", 9000},   {"127.0.0.1:65535", "127.0.0.1", 65535},
  };
  for (const Case& c : cases) {
    auto address = ParseLiveAddress(c.text);
    ASSERT_TRUE(address.ok()) << c.text << ": " << address.status();
    EXPECT_EQ(address->host, c.host) << c.text;
    EXPECT_EQ(address->port, c.port) << c.text;
  }
}

TEST(ParseLiveAddressTest, RefusesWhatIsNotAnAddressAndSaysWhatIs) {
  for (const char* text :
       {"", "http://x:80", "host:", "host:port", ":65536", "::1:80", "[::1]",
        "[::1]8080", ":-1", ":+80", "1234567"}) {
    auto address = ParseLiveAddress(text);
    ASSERT_FALSE(address.ok()) << text;
    EXPECT_TRUE(absl::StrContains(address.status().message(), "HOST:PORT"))
        << address.status();
  }
}

TEST(IsLoopbackHostTest, KnowsLoopback) {
  EXPECT_TRUE(IsLoopbackHost("127.0.0.1"));
  EXPECT_TRUE(IsLoopbackHost("127.1.2.3"));
  EXPECT_TRUE(IsLoopbackHost("localhost"));
  EXPECT_TRUE(IsLoopbackHost("::1"));
  EXPECT_FALSE(IsLoopbackHost("0.0.0.0"));
  EXPECT_FALSE(IsLoopbackHost("192.168.1.2"));
  EXPECT_FALSE(IsLoopbackHost("::"));
}

TEST(PictureOfEnvsTest, TilesEnvsInARoughSquare) {
  std::vector<std::unique_ptr<Env>> envs;
  std::vector<const Env*> pointers;
  for (int i = 0; i < 5; ++i) {
    auto env = Envs().Create("CartPole-v1");
    ASSERT_TRUE(env.ok());
    Observation observation;
    (*env)->Reset(i, &observation);
    pointers.push_back(env->get());
    envs.push_back(std::move(*env));
  }
  absl::StatusOr<EnvPicture> one = PictureOfEnvs({pointers[0]}, {});
  ASSERT_TRUE(one.ok()) << one.status();
  EXPECT_EQ(one->width(), 600);
  EXPECT_EQ(one->height(), 400);
  absl::StatusOr<EnvPicture> grid = PictureOfEnvs(pointers, {});
  ASSERT_TRUE(grid.ok()) << grid.status();
  // 5 envs: 3 columns, 2 rows, 6-pixel separators between and around.
  EXPECT_EQ(grid->width(), 3 * 600 + 4 * 6);
  EXPECT_EQ(grid->height(), 2 * 400 + 3 * 6);
  EXPECT_GT(grid->canvas().shapes().size(),
            5 * one->canvas().shapes().size() / 2);
  EXPECT_FALSE(grid->has_scenes());
}

// A CartPole-v1 after its first reset (seed 1).
std::unique_ptr<Env> ResetCartPole() {
  auto env = Envs().Create("CartPole-v1");
  if (!env.ok()) {
    ADD_FAILURE() << env.status();
    return nullptr;
  }
  Observation observation;
  (*env)->Reset(1, &observation);
  return *std::move(env);
}

// /frame.jpg on `port` answers a CartPole picture, 600 pixels wide.
void ExpectCartPoleFrame(int port) {
  auto frame = HttpGet(port, "/frame.jpg");
  ASSERT_TRUE(frame.ok());
  EXPECT_EQ(frame->status, 200);
  auto decoded = DecodeJpeg(frame->body);
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->width(), 600);
}

TEST(LiveViewTest, ShowsEnvsOnlyWhileWatchedAndWarnsOffLoopback) {
  const std::string root = std::getenv("TEST_TMPDIR");
  LiveOptions options;
  options.address = "0.0.0.0:0";
  std::ostringstream log;
  auto live = LiveView::Start(options, root, &log);
  ASSERT_TRUE(live.ok()) << live.status();
  EXPECT_TRUE(absl::StrContains(log.str(), "warning")) << log.str();
  EXPECT_TRUE(absl::StrContains((*live)->url(), "http://0.0.0.0:"));
  const std::unique_ptr<Env> env = ResetCartPole();
  ASSERT_NE(env, nullptr);
  OverlayInfo overlay;
  overlay.env_id = "CartPole-v1";
  (*live)->ShowEnvs({env.get()}, {overlay});
  absl::SleepFor(absl::Milliseconds(200));
  EXPECT_EQ((*live)->feed().pictures(), 0) << "nobody watches: nothing made";
  // Someone asks for a picture: the next due step makes one.
  std::thread client([&] { ExpectCartPoleFrame((*live)->server().port()); });
  for (int i = 0; i < 300 && (*live)->feed().pictures() == 0; ++i) {
    (*live)->ShowEnvs({env.get()}, {overlay});
    absl::SleepFor(absl::Milliseconds(10));
  }
  client.join();
  EXPECT_GE((*live)->feed().pictures(), 1);

  std::ostringstream quiet;
  options.address = "127.0.0.1:0";
  auto loopback = LiveView::Start(options, root, &quiet);
  ASSERT_TRUE(loopback.ok());
  EXPECT_EQ(quiet.str(), "");
  options.address = "nonsense";
  EXPECT_FALSE(LiveView::Start(options, root, &quiet).ok());
  options.address = "127.0.0.1:0";
  options.fps = 0;
  auto no_fps = LiveView::Start(options, root, &quiet);
  ASSERT_FALSE(no_fps.ok());
  EXPECT_TRUE(absl::StrContains(no_fps.status().message(), "--live_fps"));
  options.fps = 10;
  options.max_viewers = 0;
  auto no_viewers = LiveView::Start(options, root, &quiet);
  ASSERT_FALSE(no_viewers.ok());
  EXPECT_TRUE(
      absl::StrContains(no_viewers.status().message(), "--live_max_viewers"));
}

// --live_linger: the run's end is drawn even though nobody watches, so a
// viewer who comes later sees it; without it, an unwatched run renders
// nothing, not even at its end.
TEST(LiveViewTest, ShowLastKeepsTheEndForLateViewersOnlyWhenAsked) {
  const std::string root = std::getenv("TEST_TMPDIR");
  const std::unique_ptr<Env> env = ResetCartPole();
  ASSERT_NE(env, nullptr);
  OverlayInfo overlay;
  overlay.env_id = "CartPole-v1";
  for (const bool keep : {false, true}) {
    LiveOptions options;
    options.address = "127.0.0.1:0";
    options.keep_last_picture = keep;
    auto live = LiveView::Start(options, root, nullptr);
    ASSERT_TRUE(live.ok()) << live.status();
    (*live)->ShowLast({env.get()}, {overlay});
    // Up to 10 s for the rendering; 300 ms to see nothing is made.
    for (int i = 0; i < (keep ? 1000 : 30) && (*live)->feed().pictures() == 0;
         ++i) {
      absl::SleepFor(absl::Milliseconds(10));
    }
    EXPECT_EQ((*live)->feed().pictures(), keep ? 1 : 0) << keep;
    if (!keep) continue;
    ExpectCartPoleFrame((*live)->server().port());
  }
}

}  // namespace
}  // namespace rl
