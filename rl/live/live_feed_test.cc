#include "rl/live/live_feed.h"

#include <cstdlib>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "rl/canvas/canvas.h"
#include "rl/envs/env.h"
#include "rl/live/test_util.h"
#include "rl/pipeline/env_picture.h"

namespace rl {
namespace {

Canvas Colored(Color color) {
  Canvas canvas(200, 100, color);
  return canvas;
}

TEST(LiveFeedTest, RendersAMujocoScenesPictureThenA2dOne) {
  auto feed = LiveFeed::Create(LiveFeedOptions());
  ASSERT_TRUE(feed.ok()) << feed.status();
  auto env = Envs().Create("InvertedPendulum-v5");
  ASSERT_TRUE(env.ok()) << env.status();
  (*env)->Reset(3);
  EnvPicture scene;
  const Env* envs[] = {env->get()};
  ASSERT_TRUE(scene.Take(envs, {}, PictureOptions()).ok());
  (*feed)->Offer(std::move(scene));
  // The env may go away: the picture keeps what it needs.
  env->reset();
  LiveFeed::Picture picture;
  ASSERT_TRUE((*feed)->WaitForPicture(0, absl::Seconds(20), &picture))
      << (*feed)->error();
  EXPECT_EQ(picture.width, 480);
  EXPECT_EQ(picture.height, 480);
  auto frame = DecodeJpeg(*picture.jpeg);
  ASSERT_TRUE(frame.ok()) << frame.status();
  // A scene, not a blank: the centre (the pole) differs from the top
  // corner (the background).
  const Rgb centre = frame->at(240, 240), corner = frame->at(5, 5);
  EXPECT_GT(std::abs(centre.r - corner.r) + std::abs(centre.g - corner.g) +
                std::abs(centre.b - corner.b),
            30);
  // Then a 2D picture: the feed makes a renderer of that kind.
  (*feed)->Offer(Colored(Color{200, 30, 30, 255}));
  ASSERT_TRUE((*feed)->WaitForPicture(1, absl::Seconds(20), &picture))
      << (*feed)->error();
  EXPECT_EQ(picture.width, 200);
  auto flat = DecodeJpeg(*picture.jpeg);
  ASSERT_TRUE(flat.ok()) << flat.status();
  EXPECT_NEAR(flat->at(100, 50).r, 200, 12);
}

// The 3D look (--scene_options) reaches the feed's renderer: the humanoid's
// sky box, or black without it.
TEST(LiveFeedTest, SceneOptionsSetTheLook) {
  auto env = Envs().Create("HumanoidDMC-v0");
  ASSERT_TRUE(env.ok()) << env.status();
  (*env)->Reset(1);
  const Env* envs[] = {env->get()};
  int corner_brightness[2];
  for (bool skybox : {true, false}) {
    LiveFeedOptions options;
    options.scene.skybox = skybox;
    auto feed = LiveFeed::Create(options);
    ASSERT_TRUE(feed.ok()) << feed.status();
    EnvPicture scene;
    ASSERT_TRUE(scene.Take(envs, {}, PictureOptions()).ok());
    (*feed)->Offer(std::move(scene));
    LiveFeed::Picture picture;
    ASSERT_TRUE((*feed)->WaitForPicture(0, absl::Seconds(20), &picture))
        << (*feed)->error();
    auto frame = DecodeJpeg(*picture.jpeg);
    ASSERT_TRUE(frame.ok()) << frame.status();
    const Rgb corner = frame->at(5, 5);
    corner_brightness[skybox ? 0 : 1] = corner.r + corner.g + corner.b;
  }
  EXPECT_GT(corner_brightness[0], 30) << "the sky box is there";
  EXPECT_LT(corner_brightness[1], 15) << "no sky box: black";
}

TEST(LiveFeedTest, WantsNothingWhileNobodyWatches) {
  auto feed = LiveFeed::Create(LiveFeedOptions());
  ASSERT_TRUE(feed.ok()) << feed.status();
  EXPECT_FALSE((*feed)->Wanted());
  (*feed)->Offer(Colored(kWhite));  // Offered anyway: still made.
  LiveFeed::Picture picture;
  EXPECT_TRUE((*feed)->WaitForPicture(0, absl::Seconds(10), &picture));
  EXPECT_EQ((*feed)->viewers(), 0);
}

TEST(LiveFeedTest, AViewerGetsTheCanvasAsAJpegAtTheCappedRate) {
  LiveFeedOptions options;
  options.max_fps = 5;  // One picture per 200 ms.
  auto feed = LiveFeed::Create(options);
  ASSERT_TRUE(feed.ok()) << feed.status();
  LiveFeed::Viewer viewer(feed->get());
  EXPECT_EQ((*feed)->viewers(), 1);
  ASSERT_TRUE((*feed)->Wanted());
  (*feed)->Offer(Colored(Color{200, 30, 30, 255}));
  EXPECT_FALSE((*feed)->Wanted()) << "not due again for 200 ms";
  LiveFeed::Picture picture;
  ASSERT_TRUE((*feed)->WaitForPicture(0, absl::Seconds(10), &picture))
      << (*feed)->error();
  EXPECT_EQ(picture.sequence, 1);
  // The multipart part every stream sends: headers, the JPEG, and the
  // boundary that ends it (so the browser shows it without waiting for
  // another).
  EXPECT_EQ(*picture.mjpeg_part,
            absl::StrCat("Content-Type: image/jpeg\r\n"
                         "Content-Length: ",
                         picture.jpeg->size(), "\r\n\r\n", *picture.jpeg,
                         "\r\n--frame\r\n"));
  EXPECT_EQ(picture.width, 200);
  EXPECT_EQ(picture.height, 100);
  auto frame = DecodeJpeg(*picture.jpeg);
  ASSERT_TRUE(frame.ok()) << frame.status();
  const Rgb center = frame->at(100, 50);
  EXPECT_NEAR(center.r, 200, 12);
  EXPECT_NEAR(center.g, 30, 12);
  EXPECT_NEAR(center.b, 30, 12);
  absl::SleepFor(absl::Milliseconds(250));
  EXPECT_TRUE((*feed)->Wanted());
}

TEST(LiveFeedTest, ScalesBigCanvasesDownToTheBounds) {
  LiveFeedOptions options;
  options.max_width = 300;
  options.max_height = 300;
  auto feed = LiveFeed::Create(options);
  ASSERT_TRUE(feed.ok());
  (*feed)->Offer(Canvas(1200, 800));
  LiveFeed::Picture picture;
  ASSERT_TRUE((*feed)->WaitForPicture(0, absl::Seconds(10), &picture));
  EXPECT_EQ(picture.width, 300);
  EXPECT_EQ(picture.height, 200);
}

TEST(LiveFeedTest, ASlowViewerSkipsToTheNewestPicture) {
  auto feed = LiveFeed::Create(LiveFeedOptions());
  ASSERT_TRUE(feed.ok());
  // Offer 30 pictures back to back (microseconds, while one rendering takes
  // a millisecond or more); a viewer that was away sees the newest.
  for (int i = 0; i < 30; ++i) {
    (*feed)->Offer(Colored(Color{static_cast<uint8_t>(i * 8), 0, 0, 255}));
  }
  absl::SleepFor(absl::Milliseconds(500));
  LiveFeed::Picture picture;
  ASSERT_TRUE((*feed)->WaitForPicture(0, absl::Seconds(10), &picture));
  // Offers that came while one was rendering replaced each other.
  EXPECT_LT(picture.sequence, 30);
  auto frame = DecodeJpeg(*picture.jpeg);
  ASSERT_TRUE(frame.ok());
  EXPECT_NEAR(frame->at(100, 50).r, 29 * 8, 12) << "the last offer is shown";
}

TEST(LiveFeedTest, CloseWakesWaitersAndTheyGetNothing) {
  auto feed = LiveFeed::Create(LiveFeedOptions());
  ASSERT_TRUE(feed.ok());
  bool got = true;
  std::thread waiter([&] {
    LiveFeed::Picture picture;
    got = (*feed)->WaitForPicture(0, absl::Seconds(30), &picture);
  });
  absl::SleepFor(absl::Milliseconds(100));
  const absl::Time start = absl::Now();
  (*feed)->Close();
  waiter.join();
  EXPECT_FALSE(got);
  EXPECT_LT(absl::Now() - start, absl::Seconds(5));
  EXPECT_TRUE((*feed)->closed());
}

TEST(LiveFeedTest, ABackendThatFailsIsReportedAndTheFeedGoesOn) {
  LiveFeedOptions options;
  options.render_backend = "egl";  // No GPU here (nor in CI): it refuses.
  auto feed = LiveFeed::Create(options);
  ASSERT_TRUE(feed.ok()) << "only the name is checked up front";
  (*feed)->Offer(Colored(kWhite));
  for (int i = 0; i < 500 && (*feed)->error().empty(); ++i) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  const std::string error = (*feed)->error();
  if (error.empty()) GTEST_SKIP() << "egl works here: a GPU is present";
  EXPECT_NE(error.find("EGL"), std::string::npos) << error;
  LiveFeed::Picture picture;
  EXPECT_FALSE((*feed)->WaitForPicture(0, absl::Milliseconds(300), &picture));
  (*feed)->Offer(Colored(kWhite));  // Dropped for a while, no crash.
}

TEST(LiveFeedTest, RefusesBadOptionsAndUnknownBackends) {
  LiveFeedOptions options;
  options.max_fps = 0;
  EXPECT_FALSE(LiveFeed::Create(options).ok());
  options = LiveFeedOptions();
  options.render_backend = "vulkan";
  auto feed = LiveFeed::Create(options);
  ASSERT_FALSE(feed.ok());
  EXPECT_NE(feed.status().message().find("llvmpipe"), std::string::npos)
      << feed.status();
}

}  // namespace
}  // namespace rl
