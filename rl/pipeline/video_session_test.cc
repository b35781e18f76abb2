// VideoSession with several envs in one video: the frames wait for every
// tile's lockstep step, and the video shows the grid.
#include "rl/pipeline/video_session.h"

#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/core/frame.h"
#include "rl/envs/env.h"
#include "rl/record/video_decoder.h"

namespace rl {
namespace {

using ::testing::HasSubstr;

VideoSessionOptions TiledOptions(const std::string& name, int tiles) {
  VideoSessionOptions options;
  options.video_dir = std::string(std::getenv("TEST_TMPDIR")) + "/" + name;
  options.record.mode = RecordMode::kEveryEpisodes;
  options.record.every = 1;
  options.encoder.encoder_options = "preset=veryfast";
  options.tiled_envs = tiles;
  return options;
}

TEST(VideoSessionTest, TiledVideoShowsEveryEnvAfterTheSameStep) {
  std::vector<std::unique_ptr<Env>> envs;
  for (int i = 0; i < 2; ++i) {
    auto env = Envs().Create("CartPole-v1");
    ASSERT_TRUE(env.ok()) << env.status();
    envs.push_back(std::move(*env));
  }
  const VideoSessionOptions options = TiledOptions("tiled", 2);
  std::ostringstream log;
  auto session = VideoSession::Create(options, envs[0]->spec(), &log);
  ASSERT_TRUE(session.ok()) << session.status();
  ASSERT_TRUE((*session)->Prepare().ok());
  // As an EpisodeLoop calls it: every env reset in order, then lockstep
  // steps, each env's step followed by its OnStep.
  for (int i = 0; i < 2; ++i) {
    envs[i]->Reset(/*seed=*/i + 1);
    ASSERT_TRUE((*session)->OnReset(i, 0, *envs[i]).ok());
  }
  StepResult result;
  for (int step = 0; step < 5; ++step) {
    for (int i = 0; i < 2; ++i) {
      // Env 0 pushes right, env 1 left: their carts part ways.
      ASSERT_TRUE(envs[i]->Step(Action::Discrete(1 - i), &result).ok());
      ASSERT_TRUE((*session)->OnStep(i, *envs[i], result).ok());
    }
  }
  ASSERT_TRUE((*session)->Finish("stopped").ok());
  ASSERT_EQ((*session)->videos().size(), 1u);
  const VideoRecord& video = (*session)->videos()[0];
  EXPECT_EQ(video.frames, 6);  // The reset and 5 steps.
  EXPECT_EQ(video.steps, 5);
  // Two 600x400 tiles side by side with 4-pixel gaps.
  EXPECT_EQ(video.width, 1212);
  EXPECT_EQ(video.height, 408);
  auto decoded = DecodeVideo(options.video_dir + "/" + video.file);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ASSERT_EQ(decoded->frames.size(), 6u);
  const Frame& last = decoded->frames.back();
  // The gap between the tiles is the gap colour.
  const Rgb gap = last.at(606, 200);
  EXPECT_NEAR(gap.r, 48, 10);
  EXPECT_NEAR(gap.g, 48, 10);
  // Each tile is its own env: the mirror images differ (one cart went
  // right, the other left), so the two halves are not the same picture.
  double difference = 0;
  for (int y = 4; y < 404; ++y) {
    for (int x = 0; x < 600; ++x) {
      difference += std::abs(last.at(4 + x, y).r - last.at(608 + x, y).r);
    }
  }
  EXPECT_GT(difference / (600 * 400), 0.5);
}

TEST(VideoSessionTest, TiledCountOutOfRangeIsRefused) {
  auto env = Envs().Create("CartPole-v1");
  ASSERT_TRUE(env.ok());
  for (int tiles : {0, 65}) {
    auto session = VideoSession::Create(TiledOptions("bad", tiles),
                                        (*env)->spec(), nullptr);
    ASSERT_FALSE(session.ok());
    EXPECT_THAT(session.status().message(), HasSubstr("1..64"));
  }
}

}  // namespace
}  // namespace rl
