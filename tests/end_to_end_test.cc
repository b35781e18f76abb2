// The seed's demo end to end: CartPole played by the random agent, drawn by
// the llvmpipe backend, recorded to MP4, listed in index.html; then every
// video is decoded back and checked.
#include <sys/stat.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/agents/agent.h"
#include "rl/core/frame.h"
#include "rl/envs/env.h"
#include "rl/pipeline/env_picture.h"
#include "rl/pipeline/video_session.h"
#include "rl/record/video_decoder.h"
#include "rl/run/play_episodes.h"

namespace rl {
namespace {

using ::testing::HasSubstr;

std::string TempDir(const std::string& name) {
  return std::string(std::getenv("TEST_TMPDIR")) + "/" + name;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

bool Near(Rgb actual, Rgb expected, int tolerance) {
  return std::abs(actual.r - expected.r) <= tolerance &&
         std::abs(actual.g - expected.g) <= tolerance &&
         std::abs(actual.b - expected.b) <= tolerance;
}

TEST(EndToEndTest, RecordsEveryEpisodeAsAPlayableMp4WithAGallery) {
  RunOptions options;
  options.episodes = 2;
  options.seed = 5;
  options.video_dir = TempDir("videos/nested");  // Created as needed.
  std::ostringstream log;
  auto episodes = RunEpisodes(options, log);
  ASSERT_TRUE(episodes.ok()) << episodes.status();
  ASSERT_EQ(episodes->size(), 2u);

  const std::string html = Slurp(options.video_dir + "/index.html");
  for (const EpisodeSummary& episode : *episodes) {
    SCOPED_TRACE(episode.video_path);
    // A random agent drops the pole within a few dozen steps.
    EXPECT_TRUE(episode.terminated);
    EXPECT_GT(episode.steps, 5);
    EXPECT_EQ(episode.episode_return, episode.steps);  // +1 per step.
    EXPECT_EQ(episode.frames, episode.steps + 1);
    EXPECT_THAT(log.str(), HasSubstr(episode.video_path));
    // Capped cubic: episodes 0 and 1 are both recorded, each in a file
    // named after its env, episode and run steps.
    const std::string file =
        episode.video_path.substr(episode.video_path.rfind('/') + 1);
    EXPECT_THAT(file, ::testing::StartsWith("CartPole-v1-episode-" +
                                            std::to_string(episode.episode) +
                                            "-steps-"));
    EXPECT_THAT(file, ::testing::EndsWith(".mp4"));
    EXPECT_THAT(html, HasSubstr("src=\"" + file + "\""));

    auto video = DecodeVideo(episode.video_path);
    ASSERT_TRUE(video.ok()) << video.status();
    EXPECT_EQ(video->codec_name, "h264");
    EXPECT_EQ(video->pix_fmt, "yuv420p");
    EXPECT_EQ(video->width, 600);
    EXPECT_EQ(video->height, 400);
    ASSERT_EQ(static_cast<int64_t>(video->frames.size()), episode.frames);
    EXPECT_EQ(video->avg_frame_rate_num, 50);  // CartPole's render_fps.
    EXPECT_EQ(video->avg_frame_rate_den, 1);
    EXPECT_NEAR(video->duration_seconds, episode.frames / 50.0, 1 / 50.0);

    // The first frame is the reset state (|x| < 0.05, so the cart is within
    // 7 px of the centre): white sky, black cart body below the axle, the
    // black track across the whole width at row 299.
    const Frame& first = video->frames.front();
    EXPECT_TRUE(Near(first.at(300, 50), {255, 255, 255}, 8));
    EXPECT_TRUE(Near(first.at(300, 308), {0, 0, 0}, 24));
    EXPECT_TRUE(Near(first.at(20, 299), {0, 0, 0}, 40));
    EXPECT_TRUE(Near(first.at(580, 299), {0, 0, 0}, 40));
    EXPECT_TRUE(Near(first.at(20, 320), {255, 255, 255}, 8));
  }
}

// A MuJoCo env's video is its 3D scene: Reacher-v5 (50 steps), played by
// the random agent, decodes to 51 frames whose first is, up to the codec's
// loss, the scene of the reset state rendered on its own.
TEST(EndToEndTest, MujocoEnvRecordsItsThreeDimensionalScene) {
  RunOptions options;
  options.env = "Reacher-v5";
  options.episodes = 1;
  options.seed = 9;
  options.width = 160;
  options.height = 160;
  options.video_dir = TempDir("reacher");
  std::ostringstream log;
  auto episodes = RunEpisodes(options, log);
  ASSERT_TRUE(episodes.ok()) << episodes.status();
  ASSERT_EQ(episodes->size(), 1u);
  const EpisodeSummary& episode = episodes->front();
  EXPECT_TRUE(episode.truncated);
  EXPECT_EQ(episode.steps, 50);
  auto video = DecodeVideo(episode.video_path);
  ASSERT_TRUE(video.ok()) << video.status();
  EXPECT_EQ(video->codec_name, "h264");
  EXPECT_EQ(video->width, 160);
  ASSERT_EQ(video->frames.size(), 51u);
  EXPECT_EQ(video->avg_frame_rate_num, 50);  // Reacher's 1 / dt.

  // The reset state (the run's first reset is seeded) on its own.
  auto env = Envs().Create("Reacher-v5");
  ASSERT_TRUE(env.ok()) << env.status();
  (*env)->Reset(options.seed);
  EnvPicture picture;
  const Env* envs[] = {env->get()};
  ASSERT_TRUE(picture.Take(envs, {}, PictureOptions()).ok());
  PictureRendererOptions renderer_options;
  renderer_options.width = 160;
  renderer_options.height = 160;
  renderer_options.format = PixelFormat::kRgb24;
  auto renderer = PictureRenderer::Create(renderer_options, true);
  ASSERT_TRUE(renderer.ok()) << renderer.status();
  Frame expected;
  ASSERT_TRUE((*renderer)->Render(picture, &expected).ok());
  const Frame& first = video->frames.front();
  double difference = 0;
  for (int y = 0; y < 160; ++y) {
    for (int x = 0; x < 160; ++x) {
      const Rgb a = first.at(x, y), b = expected.at(x, y);
      difference +=
          std::abs(a.r - b.r) + std::abs(a.g - b.g) + std::abs(a.b - b.b);
    }
  }
  EXPECT_LT(difference / (3 * 160 * 160), 4.0);
  // And the arm moves: the last frame is another picture.
  const Frame& last = video->frames.back();
  double moved = 0;
  for (int y = 0; y < 160; ++y) {
    for (int x = 0; x < 160; ++x) {
      moved += std::abs(first.at(x, y).r - last.at(x, y).r);
    }
  }
  EXPECT_GT(moved / (160 * 160), 0.2);
}

std::vector<int> StepsPerEpisode(const RunOptions& options) {
  std::ostringstream log;
  auto episodes = RunEpisodes(options, log);
  EXPECT_TRUE(episodes.ok()) << episodes.status();
  std::vector<int> steps;
  if (episodes.ok()) {
    for (const EpisodeSummary& episode : *episodes) {
      steps.push_back(episode.steps);
    }
  }
  return steps;
}

TEST(EndToEndTest, SameSeedSameRunOtherSeedOtherRun) {
  RunOptions options;
  options.episodes = 3;
  options.width = 84;
  options.height = 84;
  options.seed = 11;
  options.video_dir = TempDir("seed-a");
  const std::vector<int> first = StepsPerEpisode(options);
  options.video_dir = TempDir("seed-b");
  EXPECT_EQ(StepsPerEpisode(options), first);
  options.seed = 12;
  options.video_dir = TempDir("seed-c");
  EXPECT_NE(StepsPerEpisode(options), first);
}

TEST(EndToEndTest, OddFrameSizeIsPaddedToEvenAndScaled) {
  RunOptions options;
  options.episodes = 1;
  options.width = 301;
  options.height = 201;
  options.video_dir = TempDir("odd");
  std::ostringstream log;
  auto episodes = RunEpisodes(options, log);
  ASSERT_TRUE(episodes.ok()) << episodes.status();
  auto video = DecodeVideo(episodes->front().video_path);
  ASSERT_TRUE(video.ok()) << video.status();
  EXPECT_EQ(video->width, 302);
  EXPECT_EQ(video->height, 202);
  // Half of Gymnasium's 600x400 layout: the track is near row 149.5.
  const Frame& first = video->frames.front();
  EXPECT_LT(first.at(10, 150).r + first.at(10, 149).r, 2 * 200);
  EXPECT_TRUE(Near(first.at(10, 170), {255, 255, 255}, 8));
}

TEST(EndToEndTest, BadNamesAreRefusedBeforeAnythingIsWritten) {
  struct Case {
    std::string RunOptions::*field;
    std::string value;
    std::string expected;
  };
  const Case cases[] = {
      {&RunOptions::env, "CartPole-v9",
       "unknown env 'CartPole-v9': valid values are Acrobot-v1, CartPole-v1"},
      {&RunOptions::agent, "genius",
       "unknown agent 'genius': valid values are "},
      {&RunOptions::render_backend, "vulkan",
       "unknown render backend 'vulkan': valid values are auto, llvmpipe; "
       "on this machine: llvmpipe: works"},
      {&RunOptions::recorder, "gif",
       "unknown recorder 'gif': valid values are mp4, webm"},
  };
  for (const Case& c : cases) {
    RunOptions options;
    options.*c.field = c.value;
    options.video_dir = TempDir("never-" + c.value);
    std::ostringstream log;
    auto episodes = RunEpisodes(options, log);
    EXPECT_EQ(episodes.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(episodes.status().message(), HasSubstr(c.expected));
    struct stat info;
    EXPECT_NE(stat(options.video_dir.c_str(), &info), 0)
        << "created " << options.video_dir << " for a run that cannot start";
  }
}

TEST(EndToEndTest, UnwritableVideoDirectoryIsAClearError) {
  const std::string file = TempDir("a-file");
  std::ofstream(file) << "not a directory";
  RunOptions options;
  options.video_dir = file + "/videos";
  std::ostringstream log;
  auto episodes = RunEpisodes(options, log);
  EXPECT_FALSE(episodes.ok());
  EXPECT_THAT(episodes.status().message(),
              HasSubstr("cannot create video directory " + file));
  EXPECT_THAT(episodes.status().message(), HasSubstr("Not a directory"));
  EXPECT_THAT(episodes.status().message(), HasSubstr("--video_dir"));
}

TEST(EndToEndTest, BadEpisodeCountIsRefused) {
  RunOptions options;
  options.episodes = 0;
  std::ostringstream log;
  EXPECT_EQ(RunEpisodes(options, log).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// An agent that asks the run to stop at its 6th action, as Ctrl-C would.
std::atomic<bool> stop_after_five{false};

class StopperAgent : public Agent {
 public:
  Action Act(const Observation& observation) override {
    if (++acts_ == 6) stop_after_five.store(true);
    return Action::Discrete(acts_ % 2);  // Keeps the pole up for a while.
  }

 private:
  int acts_ = 0;
};

const bool kStopperRegistered = Agents().Register(
    "stopper", "test agent: requests a stop at its 6th action",
    [](const AgentContext&) -> absl::StatusOr<std::unique_ptr<Agent>> {
      return std::make_unique<StopperAgent>();
    });

TEST(EndToEndTest, StopRequestFinishesTheCurrentVideo) {
  RunOptions options;
  options.agent = "stopper";
  options.episodes = 3;
  options.video_dir = TempDir("stopped");
  options.stop_requested = &stop_after_five;
  std::ostringstream log;
  auto episodes = RunEpisodes(options, log);
  ASSERT_TRUE(episodes.ok()) << episodes.status();
  // The 6th step completes, then the run stops: one video, reset frame plus
  // six steps, finalized and listed.
  ASSERT_EQ(episodes->size(), 1u);
  EXPECT_EQ(episodes->front().steps, 6);
  EXPECT_FALSE(episodes->front().terminated);
  auto video = DecodeVideo(episodes->front().video_path);
  ASSERT_TRUE(video.ok()) << video.status();
  EXPECT_EQ(video->frames.size(), 7u);
  EXPECT_THAT(Slurp(options.video_dir + "/index.html"),
              HasSubstr("<dt>ended</dt><dd>stopped</dd>"));
}

}  // namespace
}  // namespace rl
