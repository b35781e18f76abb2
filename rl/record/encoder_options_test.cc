#include "rl/record/encoder_options.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rl {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

constexpr absl::string_view kPresets[] = {"fast", "medium", "slow"};

TEST(EncoderOptionsTest, EmptyTextKeepsEveryDefault) {
  for (absl::string_view text : {"", "  "}) {
    auto parsed = EncoderOptions::Parse("test", text);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    int speed = 8;
    bool row_mt = true;
    std::string preset = "medium";
    EXPECT_TRUE(parsed->Int("speed", 0, 9, &speed).ok());
    EXPECT_TRUE(parsed->Bool("row_mt", &row_mt).ok());
    EXPECT_TRUE(parsed->Choice("preset", kPresets, &preset).ok());
    EXPECT_TRUE(parsed->Finish().ok());
    EXPECT_EQ(speed, 8);
    EXPECT_TRUE(row_mt);
    EXPECT_EQ(preset, "medium");
  }
}

TEST(EncoderOptionsTest, ReadsEachKindOfValue) {
  auto parsed =
      EncoderOptions::Parse("test", "speed=6, row_mt = 0,preset=slow,t=true");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  int speed = 8;
  bool row_mt = true;
  bool t = false;
  std::string preset = "medium";
  ASSERT_TRUE(parsed->Int("speed", 0, 9, &speed).ok());
  ASSERT_TRUE(parsed->Bool("row_mt", &row_mt).ok());
  ASSERT_TRUE(parsed->Bool("t", &t).ok());
  ASSERT_TRUE(parsed->Choice("preset", kPresets, &preset).ok());
  EXPECT_TRUE(parsed->Finish().ok());
  EXPECT_EQ(speed, 6);
  EXPECT_FALSE(row_mt);
  EXPECT_TRUE(t);
  EXPECT_EQ(preset, "slow");
}

TEST(EncoderOptionsTest, BadValuesSayTheValidOnes) {
  auto parsed = EncoderOptions::Parse("test", "speed=10,row_mt=2,preset=x");
  ASSERT_TRUE(parsed.ok());
  int speed = 8;
  bool row_mt = true;
  std::string preset;
  const absl::Status speed_error = parsed->Int("speed", 0, 9, &speed);
  EXPECT_EQ(speed_error.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(speed_error.message(),
            "test recorder: speed is 10, valid range is 0..9");
  EXPECT_EQ(speed, 8) << "a refused value leaves the default";
  EXPECT_EQ(parsed->Bool("row_mt", &row_mt).message(),
            "test recorder: row_mt is '2', valid values are 0, 1");
  EXPECT_EQ(parsed->Choice("preset", kPresets, &preset).message(),
            "test recorder: unknown preset 'x': valid values are fast medium "
            "slow");
}

TEST(EncoderOptionsTest, UnknownKeyListsTheValidKeys) {
  auto parsed = EncoderOptions::Parse("test", "speed=3,sped=4");
  ASSERT_TRUE(parsed.ok());
  int speed = 8;
  bool row_mt = true;
  ASSERT_TRUE(parsed->Int("speed", 0, 9, &speed).ok());
  ASSERT_TRUE(parsed->Bool("row_mt", &row_mt).ok());
  const absl::Status status = parsed->Finish();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(),
            "test recorder: unknown encoder option 'sped': valid options are "
            "speed (0..9), row_mt (0 or 1)");
}

TEST(EncoderOptionsTest, RecorderWithoutKeysSaysSo) {
  auto parsed = EncoderOptions::Parse("raw", "a=1");
  ASSERT_TRUE(parsed.ok());
  EXPECT_THAT(parsed->Finish().message(),
              AllOf(HasSubstr("raw recorder: unknown encoder option 'a'"),
                    HasSubstr("no encoder options")));
}

TEST(EncoderOptionsTest, MalformedTextIsRefused) {
  for (absl::string_view text : {"speed", "=3", "speed=3,", "a=1,,b=2"}) {
    auto parsed = EncoderOptions::Parse("test", text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(parsed.status().message(),
                AllOf(HasSubstr("test recorder: encoder options"),
                      HasSubstr("is not key=value")));
  }
  auto twice = EncoderOptions::Parse("test", "speed=3,speed=4");
  ASSERT_FALSE(twice.ok());
  EXPECT_THAT(twice.status().message(),
              HasSubstr("encoder option speed is given twice"));
}

}  // namespace
}  // namespace rl
