#include "rl/record/record_flags.h"

#include <cstdint>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/record/recorder.h"

ABSL_DECLARE_FLAG(std::string, recorder);
ABSL_DECLARE_FLAG(std::string, record);
ABSL_DECLARE_FLAG(int64_t, record_every);
ABSL_DECLARE_FLAG(int64_t, video_length);
ABSL_DECLARE_FLAG(std::string, name_prefix);
ABSL_DECLARE_FLAG(int, fps);
ABSL_DECLARE_FLAG(int, crf);
ABSL_DECLARE_FLAG(int, bitrate);
ABSL_DECLARE_FLAG(std::string, encoder_options);
ABSL_DECLARE_FLAG(int, encoder_queue);
ABSL_DECLARE_FLAG(bool, embed);

namespace rl {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

// Parses `args` as the command line (after the program name), as a binary
// does: RecordFlagGiven() needs it.
void Parse(std::vector<std::string> args) {
  args.insert(args.begin(), "record_flags_test");
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  absl::ParseCommandLine(static_cast<int>(argv.size()), argv.data());
}

class RecordFlagsTest : public ::testing::Test {
 protected:
  void SetUp() override { Parse({}); }

 private:
  absl::FlagSaver saver_;  // Each test starts from the defaults.
};

// The message of the error RecordFlagsFromCommandLine() returns.
std::string Error() {
  absl::StatusOr<RecordFlags> flags = RecordFlagsFromCommandLine();
  EXPECT_FALSE(flags.ok());
  EXPECT_EQ(flags.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(flags.status().message());
}

TEST_F(RecordFlagsTest, DefaultsAreTheRecordersOwn) {
  absl::StatusOr<RecordFlags> flags = RecordFlagsFromCommandLine();
  ASSERT_TRUE(flags.ok()) << flags.status();
  EXPECT_EQ(flags->recorder, "mp4");
  EXPECT_EQ(flags->schedule.mode, RecordMode::kCappedCubic);
  EXPECT_EQ(flags->fps, 0);
  EXPECT_FALSE(flags->encoder.crf.has_value());
  // No shorthand given: the recorder's defaults (x264 medium) apply.
  EXPECT_EQ(flags->encoder.encoder_options, "");
  EXPECT_EQ(flags->encoder.queue_frames, 4);
  EXPECT_EQ(flags->encoder.flush_interval_ms, 500);
  EXPECT_FALSE(flags->embed);
}

TEST_F(RecordFlagsTest, ValuesArePassedOn) {
  absl::SetFlag(&FLAGS_recorder, "webm");
  absl::SetFlag(&FLAGS_record, "steps");
  absl::SetFlag(&FLAGS_record_every, 1000);
  absl::SetFlag(&FLAGS_crf, 40);
  absl::SetFlag(&FLAGS_bitrate, 300);
  absl::SetFlag(&FLAGS_encoder_options, "speed=6,row_mt=0");
  absl::SetFlag(&FLAGS_embed, true);
  absl::StatusOr<RecordFlags> flags = RecordFlagsFromCommandLine();
  ASSERT_TRUE(flags.ok()) << flags.status();
  EXPECT_EQ(flags->recorder, "webm");
  EXPECT_EQ(flags->schedule.mode, RecordMode::kEverySteps);
  EXPECT_EQ(flags->schedule.every, 1000);
  EXPECT_EQ(flags->encoder.crf, 40);
  EXPECT_EQ(flags->encoder.bitrate_kbps, 300);
  EXPECT_EQ(flags->encoder.encoder_options, "speed=6,row_mt=0");
  EXPECT_TRUE(flags->embed);
}

TEST_F(RecordFlagsTest, ErrorsNameTheFlagAndKeepTheReason) {
  absl::SetFlag(&FLAGS_recorder, "avi");
  EXPECT_THAT(Error(), AllOf(HasSubstr("--recorder: unknown recorder 'avi'"),
                             HasSubstr("valid values are mp4, webm")));
  absl::SetFlag(&FLAGS_recorder, "mp4");

  absl::SetFlag(&FLAGS_crf, 52);
  EXPECT_EQ(Error(), "--crf: mp4 recorder: crf is 52, valid range is 1..51");
  absl::SetFlag(&FLAGS_recorder, "webm");
  absl::SetFlag(&FLAGS_crf, 64);
  EXPECT_EQ(Error(), "--crf: webm recorder: crf is 64, valid range is 0..63");
  absl::SetFlag(&FLAGS_crf, -1);

  absl::SetFlag(&FLAGS_fps, 1000);
  EXPECT_THAT(Error(), HasSubstr("--fps: webm recorder: fps is 1000"));
  absl::SetFlag(&FLAGS_fps, 0);

  absl::SetFlag(&FLAGS_encoder_queue, -1);
  EXPECT_THAT(Error(), HasSubstr("--encoder_queue: webm recorder: "
                                 "queue_frames is -1, valid range is 0..256"));
  absl::SetFlag(&FLAGS_encoder_queue, 4);

  absl::SetFlag(&FLAGS_encoder_options, "speed=10");
  EXPECT_EQ(Error(),
            "--encoder_options: webm recorder: speed is 10, valid range is "
            "0..9");
  absl::SetFlag(&FLAGS_encoder_options, "preset=fast");
  EXPECT_THAT(Error(),
              AllOf(HasSubstr("--encoder_options: webm recorder: unknown "
                              "encoder option 'preset'"),
                    HasSubstr("speed (0..9), row_mt (0 or 1), tile_columns "
                              "(-1..6)")));
  absl::SetFlag(&FLAGS_encoder_options, "");

  absl::SetFlag(&FLAGS_record, "sometimes");
  EXPECT_THAT(Error(), HasSubstr("--record: unknown record mode 'sometimes'"));
  absl::SetFlag(&FLAGS_record, "steps");
  EXPECT_THAT(Error(), HasSubstr("--record_every: recording by steps needs "
                                 "record_every=N"));
  absl::SetFlag(&FLAGS_record, "every");
  absl::SetFlag(&FLAGS_video_length, -1);
  EXPECT_THAT(Error(), HasSubstr("--video_length: video_length is -1"));
  absl::SetFlag(&FLAGS_video_length, 0);
  absl::SetFlag(&FLAGS_name_prefix, "a/b");
  EXPECT_THAT(Error(), HasSubstr("--name_prefix: name_prefix 'a/b' contains"));
}

TEST_F(RecordFlagsTest, ShorthandsBecomeEncoderOptionsOfTheirRecorder) {
  Parse({"--recorder=webm", "--vp9_speed=6", "--vp9_row_mt=false",
         "--vp9_tile_columns=2"});
  absl::StatusOr<RecordFlags> flags = RecordFlagsFromCommandLine();
  ASSERT_TRUE(flags.ok()) << flags.status();
  EXPECT_EQ(flags->encoder.encoder_options, "speed=6,row_mt=0,tile_columns=2");
  EXPECT_TRUE(RecordFlagGiven("vp9_speed"));
  EXPECT_FALSE(RecordFlagGiven("preset"));

  Parse({"--recorder=mp4", "--preset=ultrafast"});
  flags = RecordFlagsFromCommandLine();
  ASSERT_TRUE(flags.ok()) << flags.status();
  EXPECT_EQ(flags->encoder.encoder_options, "preset=ultrafast");

  Parse({"--recorder=webm", "--vp9_speed=10"});
  EXPECT_EQ(Error(),
            "--vp9_speed: webm recorder: speed is 10, valid range "
            "is 0..9");
  Parse({"--recorder=webm", "--vp9_speed=4", "--encoder_options=speed=6"});
  EXPECT_THAT(Error(), AllOf(HasSubstr("--encoder_options: webm recorder: "),
                             HasSubstr("speed is given twice")));
}

TEST_F(RecordFlagsTest, ShorthandOfAnotherRecorderIsRefused) {
  Parse({"--recorder=webm", "--preset=fast"});
  EXPECT_THAT(Error(),
              AllOf(HasSubstr("--preset is an option of the mp4 recorder; "
                              "--recorder=webm "
                              "takes --vp9_speed, --vp9_row_mt, "
                              "--vp9_tile_columns, --encoder_options"),
                    HasSubstr("valid options are speed (0..9)")));
  Parse({"--recorder=mp4", "--vp9_tile_columns=2"});
  EXPECT_THAT(Error(), AllOf(HasSubstr("--vp9_tile_columns is an option of the "
                                       "webm recorder; "
                                       "--recorder=mp4 takes --preset, "
                                       "--encoder_options"),
                             HasSubstr("valid options are preset (ultrafast")));
}

TEST_F(RecordFlagsTest, HelpListsTheRegisteredRecorders) {
  const std::string help = RecorderNamesForHelp();
  for (const std::string& name : Recorders().Names()) {
    EXPECT_THAT(help, HasSubstr(absl::StrCat(name, " (",
                                             Recorders().Description(name))));
  }
  const absl::CommandLineFlag* flag = absl::FindCommandLineFlag("recorder");
  ASSERT_NE(flag, nullptr);
  EXPECT_THAT(flag->Help(),
              AllOf(HasSubstr("mp4 (H.264"), HasSubstr("webm (VP9")));
}

}  // namespace
}  // namespace rl
