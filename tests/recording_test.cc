// Recording as a run does it (rl/run/play_episodes.h): the schedule
// picks the videos and nothing else is rendered; file names, sidecars and
// the gallery; both recorders. Crashes, full disks and lost permissions are
// in recording_crash_test.

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/envs/env.h"
#include "rl/record/video_decoder.h"
#include "rl/run/play_episodes.h"
#include "tests/recording_test_util.h"

namespace rl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// Every video of `run` decodes to the frames its sidecar says, and the
// sidecar is beside it.
void ExpectVideosMatchSidecars(const RunSummary& run, const std::string& dir,
                               const std::string& codec) {
  for (const VideoRecord& record : run.videos) {
    SCOPED_TRACE(record.file);
    const std::string stem = record.file.substr(0, record.file.rfind('.'));
    const std::string json = Slurp(dir + "/" + stem + ".json");
    EXPECT_THAT(json, HasSubstr("\"file\": \"" + record.file + "\""));
    EXPECT_THAT(json, HasSubstr(absl::StrCat("\"frames\": ", record.frames)));
    EXPECT_THAT(json, HasSubstr("\"codec\": \"" + codec + "\""));
    absl::StatusOr<DecodedVideo> video = DecodeVideo(dir + "/" + record.file);
    ASSERT_TRUE(video.ok()) << video.status();
    EXPECT_EQ(video->codec_name, codec);
    EXPECT_EQ(static_cast<int64_t>(video->frames.size()), record.frames);
    EXPECT_EQ(video->corrupt_packets, 0);
  }
}

TEST(RecordingTest, CappedCubicRecordsCubeEpisodesAndRendersNothingElse) {
  RunOptions options = SmallRun("capped");
  options.episodes = 10;
  draws = 0;
  std::ostringstream log;
  absl::StatusOr<RunSummary> run = PlayEpisodes(options, log);
  ASSERT_TRUE(run.ok()) << run.status();
  ASSERT_EQ(run->videos.size(), 3u);
  std::vector<int64_t> episodes;
  int64_t frames = 0;
  for (const VideoRecord& record : run->videos) {
    episodes.push_back(record.episode);
    frames += record.frames;
    EXPECT_EQ(record.ended, "terminated");
    EXPECT_EQ(record.trigger, "capped_cubic");
    EXPECT_EQ(record.file,
              absl::StrCat("CartPole-v1-episode-", record.episode, "-steps-",
                           record.first_step, "-", record.last_step, ".mp4"));
  }
  EXPECT_THAT(episodes, ElementsAre(0, 1, 8));
  EXPECT_EQ(draws.load(), frames) << "rendered frames that were not recorded";
  // The run steps in the names add up: episode 1 starts where 0 ended.
  EXPECT_EQ(run->videos[1].first_step, run->videos[0].last_step);
  EXPECT_EQ(run->episodes[0].frames, run->episodes[0].steps + 1);
  EXPECT_EQ(run->episodes[2].frames, 0);
  EXPECT_EQ(run->episodes[2].video_path, "");
  EXPECT_EQ(run->episodes[8].video_path,
            options.video_dir + "/" + run->videos[2].file);
  ExpectVideosMatchSidecars(*run, options.video_dir, "h264");
  EXPECT_THAT(GalleryVideos(options.video_dir),
              ElementsAre(run->videos[0].file, run->videos[1].file,
                          run->videos[2].file));
  EXPECT_THAT(log.str(), HasSubstr("CartPole-v1 episode 9: return"));
}

TEST(RecordingTest, RecordNoneRendersNothingAndWritesNothing) {
  RunOptions options = SmallRun("none");
  options.record.mode = RecordMode::kNone;
  options.episodes = 4;
  draws = 0;
  std::ostringstream log;
  absl::StatusOr<RunSummary> run = PlayEpisodes(options, log);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->episodes.size(), 4u);
  EXPECT_TRUE(run->videos.empty());
  EXPECT_EQ(draws.load(), 0);
  EXPECT_FALSE(Exists(options.video_dir));
}

TEST(RecordingTest, EveryNthEpisodeInWebmWithSidecarsAndGallery) {
  RunOptions options = SmallRun("every");
  UseRecorder("webm", options);
  options.record.mode = RecordMode::kEveryEpisodes;
  options.record.every = 2;
  options.record.name_prefix = "demo";
  options.episodes = 5;
  options.embed = true;
  draws = 0;
  std::ostringstream log;
  absl::StatusOr<RunSummary> run = PlayEpisodes(options, log);
  ASSERT_TRUE(run.ok()) << run.status();
  ASSERT_EQ(run->videos.size(), 3u);
  int64_t frames = 0;
  for (int i = 0; i < 3; ++i) {
    const VideoRecord& record = run->videos[i];
    EXPECT_EQ(record.episode, 2 * i);
    EXPECT_THAT(record.file,
                StartsWith(absl::StrCat("demo-episode-", 2 * i, "-steps-")));
    EXPECT_EQ(record.steps, run->episodes[2 * i].steps);
    EXPECT_EQ(record.video_return, run->episodes[2 * i].episode_return);
    EXPECT_EQ(record.recorder, "webm");
    EXPECT_EQ(record.encoder.codec, "vp9");
    frames += record.frames;
  }
  EXPECT_EQ(draws.load(), frames);
  ExpectVideosMatchSidecars(*run, options.video_dir, "vp9");
  const std::string json = Slurp(
      options.video_dir + "/" +
      run->videos[1].file.substr(0, run->videos[1].file.rfind('.')) + ".json");
  EXPECT_THAT(json, HasSubstr("\"env_id\": \"CartPole-v1\""));
  EXPECT_THAT(json, HasSubstr("\"episode\": 2"));
  EXPECT_THAT(json, HasSubstr("\"seed\": 3"));
  EXPECT_THAT(json, HasSubstr("\"render_backend\": \"llvmpipe\""));
  EXPECT_THAT(json, HasSubstr("\"speed\": \"8\""));
  EXPECT_THAT(json, HasSubstr("\"trigger\": \"every 2 episodes\""));
  // Embedded for notebooks, with a details link per video.
  const std::string html = Slurp(options.video_dir + "/index.html");
  EXPECT_THAT(html, HasSubstr("src=\"data:video/webm;base64,GkXfo"));
  EXPECT_THAT(html, HasSubstr("<a class=\"details\" href=\"demo-episode-4-"));
}

TEST(RecordingTest, StepTriggerWithVideoLengthRunsAcrossEpisodes) {
  RunOptions options = SmallRun("steps");
  options.record.mode = RecordMode::kEverySteps;
  options.record.every = 40;
  options.record.video_length = 30;
  options.episodes = 6;
  draws = 0;
  std::ostringstream log;
  absl::StatusOr<RunSummary> run = PlayEpisodes(options, log);
  ASSERT_TRUE(run.ok()) << run.status();
  int total_steps = 0;
  for (const EpisodeSummary& episode : run->episodes) {
    total_steps += episode.steps;
  }
  ASSERT_GE(run->videos.size(), 2u);
  EXPECT_EQ(run->videos.size(), (total_steps + 39) / 40);
  bool spans_episodes = false;
  int64_t frames = 0;
  for (size_t i = 0; i < run->videos.size(); ++i) {
    const VideoRecord& record = run->videos[i];
    SCOPED_TRACE(record.file);
    // Step id 40 i starts it: the env after 40 i + 1 steps.
    EXPECT_EQ(record.first_step, 40 * static_cast<int64_t>(i) + 1);
    const bool last = i + 1 == run->videos.size();
    if (!last) {
      EXPECT_EQ(record.frames, 30);
      EXPECT_EQ(record.ended, "video_length");
    }
    // Frames: one per step, plus a reset frame per episode it runs into.
    EXPECT_EQ(record.frames,
              record.steps + (record.last_episode - record.episode));
    EXPECT_EQ(record.last_step - record.first_step, record.steps - 1);
    spans_episodes |= record.last_episode != record.episode;
    frames += record.frames;
  }
  EXPECT_TRUE(spans_episodes) << "no video ran into a next episode";
  EXPECT_EQ(draws.load(), frames);
  ExpectVideosMatchSidecars(*run, options.video_dir, "h264");
}

TEST(RecordingTest, BadScheduleOrEncoderOptionsAreRefusedBeforeAnything) {
  struct Case {
    void (*change)(RunOptions&);
    std::string message;
  };
  const Case cases[] = {
      {[](RunOptions& o) { o.record.mode = RecordMode::kEverySteps; },
       "recording by steps needs record_every=N"},
      {[](RunOptions& o) { o.record.video_length = -3; }, "video_length is -3"},
      {[](RunOptions& o) { o.encoder.crf = 99; }, "crf is 99"},
      {[](RunOptions& o) {
         o.recorder = "webm";
         o.encoder.encoder_options = "speed=12";  // Not SmallRun's preset.
       },
       "webm recorder: speed is 12, valid range is 0..9"},
      {[](RunOptions& o) { o.encoder.encoder_options = "preset=fastest"; },
       "mp4 recorder: unknown preset 'fastest'"},
  };
  for (const Case& c : cases) {
    RunOptions options = SmallRun("refused");
    c.change(options);
    std::ostringstream log;
    absl::StatusOr<RunSummary> run = PlayEpisodes(options, log);
    EXPECT_EQ(run.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(run.status().message(), HasSubstr(c.message));
    EXPECT_FALSE(Exists(options.video_dir)) << c.message;
  }
}

}  // namespace
}  // namespace rl
