// VideoSession with several envs in one video: the frames wait for every
// tile's lockstep step, and the video shows the grid.
#include "rl/pipeline/video_session.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/core/frame.h"
#include "rl/envs/env.h"
#include "rl/envs/vector/tiling.h"
#include "rl/record/video_decoder.h"
#include "rl/render/renderer.h"

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
    ASSERT_TRUE((*session)->OnReset(i, {i, 0, 0}, *envs[i]).ok());
  }
  StepResult result;
  for (int step = 0; step < 5; ++step) {
    for (int i = 0; i < 2; ++i) {
      // Env 0 pushes right, env 1 left: their carts part ways.
      ASSERT_TRUE(envs[i]->Step(Action::Discrete(1 - i), &result).ok());
      ASSERT_TRUE((*session)->OnStep(i, *envs[i], result, 2 * step + 2).ok());
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

// Records a tiled video of `n` CartPoles (three steps) and returns the
// height in frame pixels of the ink of tile 0's label ("0"), found in its
// dark badge at the tile's bottom-left corner, and the video's width.
std::pair<int, int> TileLabelInkHeight(const std::string& name, int n,
                                       int width, int height) {
  std::vector<std::unique_ptr<Env>> envs;
  for (int i = 0; i < n; ++i) {
    auto env = Envs().Create("CartPole-v1");
    EXPECT_TRUE(env.ok()) << env.status();
    if (!env.ok()) return {0, 0};
    envs.push_back(std::move(*env));
  }
  VideoSessionOptions options = TiledOptions(name, n);
  options.width = width;
  options.height = height;
  options.encoder.crf = 10;  // Sharp edges to measure.
  std::ostringstream log;
  auto session = VideoSession::Create(options, envs[0]->spec(), &log);
  EXPECT_TRUE(session.ok()) << session.status();
  if (!session.ok()) return {0, 0};
  EXPECT_TRUE((*session)->Prepare().ok());
  for (int i = 0; i < n; ++i) {
    envs[i]->Reset(/*seed=*/i + 1);
    EXPECT_TRUE((*session)->OnReset(i, {i, 0, 0}, *envs[i]).ok());
  }
  StepResult result;
  for (int step = 0; step < 3; ++step) {
    for (int i = 0; i < n; ++i) {
      EXPECT_TRUE(envs[i]->Step(Action::Discrete(i % 2), &result).ok());
      EXPECT_TRUE((*session)->OnStep(i, *envs[i], result, n * (step + 1)).ok());
    }
  }
  EXPECT_TRUE((*session)->Finish("stopped").ok());
  const VideoRecord& video = (*session)->videos().at(0);
  auto decoded = DecodeVideo(options.video_dir + "/" + video.file);
  EXPECT_TRUE(decoded.ok()) << decoded.status();
  if (!decoded.ok() || decoded->frames.empty()) return {0, 0};
  const Frame& frame = decoded->frames.back();
  auto brightness = [&](int x, int y) {
    const Rgb c = frame.at(x, y);
    return (c.r + c.g + c.b) / 3;
  };
  // Tile 0 in the frame: the grid of 600x400 tiles with 4-pixel gaps,
  // letterboxed (or, at its own aspect ratio, filling the frame).
  const auto [grid_width, grid_height] = TiledSize(n, 600, 400, TileOptions());
  const PixelRect area =
      LetterboxRect(grid_width, grid_height, frame.width(), frame.height());
  const double scale = static_cast<double>(area.height) / grid_height;
  const int tile_left = area.x + static_cast<int>(std::ceil(4 * scale));
  const int tile_bottom = area.y + static_cast<int>(404 * scale) - 1;
  // The badge: dark from the tile's bottom-left corner up, in a column
  // left of the text.
  const int column = tile_left + 2;
  const int bottom = tile_bottom - 1;
  if (brightness(column, bottom) >= 150) {
    ADD_FAILURE() << "no dark badge at (" << column << ", " << bottom << ")";
    return {0, 0};
  }
  int top = bottom;
  while (top > 0 && brightness(column, top - 1) < 150) --top;
  int right = column;
  while (right < frame.width() && brightness(right, bottom) < 150) ++right;
  // The ink: bright pixels inside the badge.
  int ink_top = -1, ink_bottom = -1;
  for (int row = top + 1; row < bottom; ++row) {
    for (int x = column; x < right - 1; ++x) {
      if (brightness(x, row) > 180) {
        if (ink_top < 0) ink_top = row;
        ink_bottom = row;
      }
    }
  }
  EXPECT_GE(ink_top, 0) << "no label in the badge rows " << top << ".."
                        << bottom << ", columns " << column << ".." << right;
  return {ink_top < 0 ? 0 : ink_bottom - ink_top + 1, frame.width()};
}

// PPO's 8 lockstep envs in one video: on the run page, which shows videos
// 300 pixels wide, tile 0's label is at least 10 pixels tall (measured
// in the decoded video), at the default size and letterboxed in 1280x720.
// Plays three CartPole episodes (seeded, alternating pushes) into a
// session made with `options`; returns its videos.
std::vector<VideoRecord> RecordThreeEpisodes(const VideoSessionOptions& options,
                                             absl::Status* error) {
  auto env = Envs().Create("CartPole-v1");
  auto session = VideoSession::Create(options, (*env)->spec(), nullptr);
  *error = session.ok() ? (*session)->Prepare() : session.status();
  if (!error->ok()) return {};
  StepResult result;
  int64_t step = 0;
  for (int episode = 0; episode < 3 && error->ok(); ++episode) {
    (*env)->Reset(/*seed=*/episode + 7);
    *error = (*session)->OnReset(0, {episode, episode, step}, **env);
    for (int k = 0; error->ok(); ++k) {
      *error = (*env)->Step(Action::Discrete(k % 3 == 0 ? 1 : 0), &result);
      if (error->ok()) *error = (*session)->OnStep(0, **env, result, ++step);
      if (result.terminated || result.truncated) break;
    }
  }
  if (error->ok()) *error = (*session)->Finish("stopped");
  return (*session)->videos();
}

// The learner's thread only takes the pictures; the session's thread
// renders, encodes and finishes the videos. What comes out is the same as
// when the caller does it all: the same files, sidecars and pixels, also
// when the queue is full most of the time (2 pictures).
TEST(VideoSessionTest, BackgroundRecordsTheSameVideos) {
  VideoSessionOptions in_call = TiledOptions("in_call", 1);
  in_call.overlay = true;
  // What a background session's encoder uses unless told (one slice, so
  // the pixels can match).
  in_call.encoder.threads = 1;
  VideoSessionOptions background = TiledOptions("background", 1);
  background.overlay = true;
  background.background = true;
  background.queue_pictures = 2;
  absl::Status error;
  const std::vector<VideoRecord> expected =
      RecordThreeEpisodes(in_call, &error);
  ASSERT_TRUE(error.ok()) << error;
  const std::vector<VideoRecord> videos =
      RecordThreeEpisodes(background, &error);
  ASSERT_TRUE(error.ok()) << error;
  ASSERT_EQ(expected.size(), 3u);
  ASSERT_EQ(videos.size(), 3u);
  for (size_t v = 0; v < videos.size(); ++v) {
    EXPECT_EQ(videos[v].file, expected[v].file);
    EXPECT_EQ(videos[v].frames, expected[v].frames);
    EXPECT_EQ(videos[v].steps, expected[v].steps);
    EXPECT_EQ(videos[v].video_return, expected[v].video_return);
    EXPECT_EQ(videos[v].encoder.codec, "h264");
    EXPECT_THAT(videos[v].encoder.settings,
                ::testing::Contains(
                    std::pair<std::string, std::string>("threads", "1")));
    EXPECT_EQ(videos[v].encoder.profile, expected[v].encoder.profile);
    EXPECT_TRUE(std::filesystem::exists(
        background.video_dir + "/" +
        videos[v].file.substr(0, videos[v].file.rfind('.')) + ".json"));
    auto a = DecodeVideo(in_call.video_dir + "/" + expected[v].file);
    auto b = DecodeVideo(background.video_dir + "/" + videos[v].file);
    ASSERT_TRUE(a.ok()) << a.status();
    ASSERT_TRUE(b.ok()) << b.status();
    ASSERT_EQ(a->frames.size(), static_cast<size_t>(expected[v].frames));
    ASSERT_EQ(b->frames.size(), a->frames.size());
    for (size_t f = 0; f < a->frames.size(); ++f) {
      ASSERT_EQ(std::memcmp(a->frames[f].data(), b->frames[f].data(),
                            a->frames[f].size_bytes()),
                0)
          << "video " << v << " frame " << f;
    }
  }
}

// An error on the session's thread (its directory is gone, so the next
// video cannot be opened) comes back from a later call, saying what failed.
TEST(VideoSessionTest, BackgroundErrorsComeBack) {
  VideoSessionOptions options = TiledOptions("gone", 1);
  options.background = true;
  auto env = Envs().Create("CartPole-v1");
  ASSERT_TRUE(env.ok());
  auto session = VideoSession::Create(options, (*env)->spec(), nullptr);
  ASSERT_TRUE(session.ok()) << session.status();
  ASSERT_TRUE((*session)->Prepare().ok());
  std::filesystem::remove_all(options.video_dir);
  (*env)->Reset(1);
  absl::Status status = (*session)->OnReset(0, {0, 0, 0}, **env);
  StepResult result;
  for (int k = 1; k < 100 && status.ok(); ++k) {
    status = (*env)->Step(Action::Discrete(k % 2), &result);
    if (status.ok()) status = (*session)->OnStep(0, **env, result, k);
    if (result.terminated || result.truncated) break;
  }
  if (status.ok()) status = (*session)->Finish("stopped");
  EXPECT_FALSE(status.ok());
  EXPECT_THAT(std::string(status.message()), HasSubstr(options.video_dir));
  EXPECT_TRUE((*session)->videos().empty());
}

TEST(VideoSessionTest, TileLabelsAreReadableAtTheRunPagesSize) {
  for (auto [width, height] : {std::pair{0, 0}, std::pair{1280, 720}}) {
    SCOPED_TRACE(absl::StrCat(width, "x", height));
    const auto [ink, video_width] =
        TileLabelInkHeight(absl::StrCat("labels", width), 8, width, height);
    ASSERT_GT(video_width, 0);
    EXPECT_GE(ink * 300.0 / video_width, 10.0)
        << ink << " of " << video_width << " pixels";
  }
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

// One directory, one run: another run's finished videos are refused before
// anything is written, kept (a training run's own) or replaced; a crash's
// leftover is never touched.
TEST(VideoSessionTest, AnotherRunsVideosAreRefusedKeptOrReplaced) {
  auto env = Envs().Create("CartPole-v1");
  ASSERT_TRUE(env.ok());
  VideoSessionOptions options = TiledOptions("earlier", 1);
  ASSERT_TRUE(std::filesystem::create_directories(options.video_dir));
  for (const char* file : {"old.mp4", "old.json", "crash-recording.mp4"}) {
    std::ofstream(options.video_dir + "/" + file) << "x";
  }
  const auto exists = [&options](const char* file) {
    return std::filesystem::exists(options.video_dir + "/" + file);
  };
  auto refused = VideoSession::Create(options, (*env)->spec(), nullptr);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(absl::IsFailedPrecondition(refused.status()));
  EXPECT_THAT(refused.status().message(),
              HasSubstr(options.video_dir +
                        " already holds 1 video(s) of an earlier run "
                        "(old.mp4)"));

  options.earlier_videos = EarlierVideos::kKeep;
  auto kept = VideoSession::Create(options, (*env)->spec(), nullptr);
  ASSERT_TRUE(kept.ok()) << kept.status();
  ASSERT_TRUE((*kept)->Prepare().ok());
  EXPECT_TRUE(exists("old.mp4") && exists("old.json"));

  options.earlier_videos = EarlierVideos::kReplace;
  auto replacing = VideoSession::Create(options, (*env)->spec(), nullptr);
  ASSERT_TRUE(replacing.ok()) << replacing.status();
  EXPECT_TRUE(exists("old.mp4")) << "nothing deleted before Prepare()";
  ASSERT_TRUE((*replacing)->Prepare().ok());
  EXPECT_FALSE(exists("old.mp4") || exists("old.json"));
  EXPECT_TRUE(exists("crash-recording.mp4"));
}

// A video of an env without a time limit ends at the frame cap; an env with
// one is not capped.
TEST(VideoSessionTest, VideosOfEnvsWithoutATimeLimitEndAtTheFrameCap) {
  for (const char* id : {"CliffWalking-v1", "CartPole-v1"}) {
    auto env = Envs().Create(id);
    ASSERT_TRUE(env.ok());
    VideoSessionOptions options = TiledOptions(absl::StrCat("cap-", id), 1);
    options.max_frames_without_time_limit = 5;
    auto session = VideoSession::Create(options, (*env)->spec(), nullptr);
    ASSERT_TRUE(session.ok()) << session.status();
    ASSERT_TRUE((*session)->Prepare().ok());
    (*env)->Reset(/*seed=*/1);
    ASSERT_TRUE((*session)->OnReset(0, {}, **env).ok());
    StepResult result;
    for (int step = 0; step < 7; ++step) {
      // CliffWalking: up, then left into the wall; CartPole: left, right,
      // ...; neither episode ends.
      const bool cliff = (*env)->spec().max_episode_steps == 0;
      const int action = cliff ? (step == 0 ? 0 : 3) : step % 2;
      ASSERT_TRUE((*env)->Step(Action::Discrete(action), &result).ok());
      ASSERT_FALSE(result.terminated || result.truncated) << id;
      ASSERT_TRUE((*session)->OnStep(0, **env, result, step + 1).ok());
    }
    ASSERT_TRUE((*session)->Finish("stopped").ok());
    ASSERT_EQ((*session)->videos().size(), 1u) << id;
    const VideoRecord& video = (*session)->videos()[0];
    if ((*env)->spec().max_episode_steps == 0) {
      EXPECT_EQ(video.frames, 5) << id;
      EXPECT_EQ(video.ended, "frame cap") << id;
    } else {
      EXPECT_EQ(video.frames, 8) << id;  // The reset and 7 steps.
      EXPECT_EQ(video.ended, "stopped") << id;
    }
  }
}

}  // namespace
}  // namespace rl
