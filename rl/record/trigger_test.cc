#include "rl/record/trigger.h"

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rl {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::Not;

std::vector<int64_t> EpisodesStartingVideos(const VideoSchedule& schedule,
                                            int64_t episodes) {
  VideoTrigger trigger(schedule);
  std::vector<int64_t> started;
  for (int64_t e = 0; e < episodes; ++e) {
    if (trigger.StartsAtEpisode(e)) started.push_back(e);
  }
  return started;
}

// Gymnasium's capped_cubic_video_schedule: k^3 below 1000, then every
// 1000th episode.
TEST(TriggerTest, CappedCubicIsTheDefaultAndMatchesGymnasium) {
  EXPECT_THAT(EpisodesStartingVideos(VideoSchedule(), 5001),
              ElementsAreArray<int64_t>({0, 1, 8, 27, 64, 125, 216, 343, 512,
                                         729, 1000, 2000, 3000, 4000, 5000}));
  EXPECT_FALSE(CappedCubicVideoSchedule(-1));
  EXPECT_TRUE(CappedCubicVideoSchedule(int64_t{1000} * 1000 * 1000));
  EXPECT_FALSE(CappedCubicVideoSchedule(1331));  // 11^3, but >= 1000.
  EXPECT_FALSE(VideoTrigger(VideoSchedule()).StartsAtStep(0));
}

TEST(TriggerTest, EveryNthEpisode) {
  VideoSchedule schedule;
  schedule.mode = RecordMode::kEveryEpisodes;
  EXPECT_THAT(EpisodesStartingVideos(schedule, 4), ElementsAre(0, 1, 2, 3));
  schedule.every = 10;
  EXPECT_THAT(EpisodesStartingVideos(schedule, 35), ElementsAre(0, 10, 20, 30));
  EXPECT_EQ(VideoTrigger(schedule).Describe(), "every 10 episodes");
}

TEST(TriggerTest, EveryNSteps) {
  VideoSchedule schedule;
  schedule.mode = RecordMode::kEverySteps;
  schedule.every = 100;
  schedule.video_length = 20;
  VideoTrigger trigger(schedule);
  std::vector<int64_t> started;
  for (int64_t step = 0; step < 350; ++step) {
    if (trigger.StartsAtStep(step)) started.push_back(step);
  }
  EXPECT_THAT(started, ElementsAre(0, 100, 200, 300));
  EXPECT_FALSE(trigger.StartsAtEpisode(0));
  EXPECT_FALSE(trigger.IsFull(19));
  EXPECT_TRUE(trigger.IsFull(20));
  EXPECT_FALSE(trigger.EndsWithEpisode());
  EXPECT_EQ(trigger.Describe(), "every 100 steps, 20 frames max");
}

TEST(TriggerTest, NoneRecordsNothing) {
  VideoSchedule schedule;
  schedule.mode = RecordMode::kNone;
  VideoTrigger trigger(schedule);
  EXPECT_FALSE(trigger.RecordsAnything());
  EXPECT_TRUE(EpisodesStartingVideos(schedule, 100).empty());
  EXPECT_FALSE(trigger.StartsAtStep(0));
}

TEST(TriggerTest, WithoutVideoLengthVideosEndWithTheEpisode) {
  VideoTrigger trigger{VideoSchedule()};
  EXPECT_TRUE(trigger.EndsWithEpisode());
  EXPECT_FALSE(trigger.IsFull(1000000));
}

TEST(TriggerTest, ParsesModesAndListsTheValidOnes) {
  EXPECT_EQ(*ParseRecordMode("capped_cubic"), RecordMode::kCappedCubic);
  EXPECT_EQ(*ParseRecordMode("every"), RecordMode::kEveryEpisodes);
  EXPECT_EQ(*ParseRecordMode("steps"), RecordMode::kEverySteps);
  EXPECT_EQ(*ParseRecordMode("none"), RecordMode::kNone);
  const absl::Status status = ParseRecordMode("sometimes").status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(),
              HasSubstr("unknown record mode 'sometimes': valid values are "
                        "capped_cubic, every, steps, none"));
}

TEST(TriggerTest, ValidationSaysWhatToDo) {
  VideoSchedule steps;
  steps.mode = RecordMode::kEverySteps;
  // What to give, by option name; the flags layer names the flag.
  EXPECT_THAT(ValidateSchedule(steps).message(),
              HasSubstr("recording by steps needs record_every=N, the env "
                        "steps from one video's start to the next (e.g. "
                        "record_every=1000)"));
  VideoSchedule negative;
  negative.video_length = -1;
  EXPECT_THAT(ValidateSchedule(negative).message(),
              HasSubstr("video_length is -1"));
  VideoSchedule slash;
  slash.name_prefix = "a/b";
  EXPECT_THAT(ValidateSchedule(slash).message(),
              HasSubstr("it names files inside the video directory; choose "
                        "the video directory itself instead"));
  for (const VideoSchedule& bad : {steps, negative, slash}) {
    EXPECT_THAT(ValidateSchedule(bad).message(), Not(HasSubstr("--")))
        << "library errors name no command-line flag";
  }
  EXPECT_TRUE(ValidateSchedule(VideoSchedule()).ok());
}

TEST(TriggerTest, FileNamesSayEnvEpisodeAndSteps) {
  VideoSchedule schedule;
  EXPECT_EQ(NamePrefix(schedule, "ALE/Pong-v5"), "ALE_Pong-v5");
  schedule.name_prefix = "ppo";
  EXPECT_EQ(NamePrefix(schedule, "CartPole-v1"), "ppo");
  EXPECT_EQ(VideoFileStem("CartPole-v1", 8, 180, 203),
            "CartPole-v1-episode-8-steps-180-203");
  EXPECT_EQ(RecordingFileStem("CartPole-v1", 8, 180),
            "CartPole-v1-episode-8-steps-180-recording");
  EXPECT_EQ(EvaluationVideoStem("CartPole-v1-eval", 40000, 0),
            "CartPole-v1-eval-step-40000-episode-0");
}

}  // namespace
}  // namespace rl
