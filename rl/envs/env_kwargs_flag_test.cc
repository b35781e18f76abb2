// --env_kwargs: parsed, checked against the env, errors naming the flag.
#include "rl/envs/env_kwargs_flag.h"

#include <cstdlib>
#include <string>

#include "absl/flags/parse.h"
#include "absl/flags/reflection.h"
#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rl {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Sets --env_kwargs as the command line would, for one test.
class EnvKwargsFlagTest : public ::testing::Test {
 protected:
  // The flag asks absl whether it was on the command line, which absl
  // answers only after ParseCommandLine: an empty one here.
  static void SetUpTestSuite() {
    static char name[] = "env_kwargs_flag_test";
    static char* argv[] = {name, nullptr};
    absl::ParseCommandLine(1, argv);
  }

  void Set(absl::string_view value) {
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag("env_kwargs");
    ASSERT_NE(flag, nullptr);
    std::string error;
    ASSERT_TRUE(flag->ParseFrom(value, &error)) << error;
  }

 private:
  absl::FlagSaver saver_;  // Puts the flag back after the test.
};

TEST_F(EnvKwargsFlagTest, RelativeModelPathIsTakenFromWhereBazelRunStarted) {
  setenv("BUILD_WORKING_DIRECTORY", "/home/me/project", 1);
  Set("xml_file=models/cheetah.xml,frame_skip=2");
  absl::StatusOr<EnvKwargsFlag> flag = EnvKwargsFlagFromCommandLine();
  ASSERT_TRUE(flag.ok()) << flag.status();
  EXPECT_EQ(flag->kwargs.at("xml_file"), "/home/me/project/models/cheetah.xml");
  EXPECT_EQ(flag->kwargs.at("frame_skip"), "2");
  Set("xml_file=/abs/model.xml");
  flag = EnvKwargsFlagFromCommandLine();
  ASSERT_TRUE(flag.ok()) << flag.status();
  EXPECT_EQ(flag->kwargs.at("xml_file"), "/abs/model.xml");
  unsetenv("BUILD_WORKING_DIRECTORY");
}

TEST_F(EnvKwargsFlagTest, DefaultIsNone) {
  absl::StatusOr<EnvKwargsFlag> flag = EnvKwargsFlagFromCommandLine();
  ASSERT_TRUE(flag.ok()) << flag.status();
  EXPECT_TRUE(flag->kwargs.empty());
  EXPECT_FALSE(flag->given);
  EXPECT_TRUE(CheckEnvKwargsFlag("CartPole-v1", *flag).ok());
}

TEST_F(EnvKwargsFlagTest, ReadsAndChecksTheKwargs) {
  Set("is_slippery=False, map_name=8x8");
  absl::StatusOr<EnvKwargsFlag> flag = EnvKwargsFlagFromCommandLine();
  ASSERT_TRUE(flag.ok()) << flag.status();
  EXPECT_EQ(flag->kwargs,
            (EnvKwargs{{"is_slippery", "False"}, {"map_name", "8x8"}}));
  EXPECT_TRUE(CheckEnvKwargsFlag("FrozenLake-v1", *flag).ok());
}

TEST_F(EnvKwargsFlagTest, ErrorsNameTheFlag) {
  Set("is_slippery");
  absl::Status syntax = EnvKwargsFlagFromCommandLine().status();
  EXPECT_EQ(syntax.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(syntax.message()),
              StartsWith("--env_kwargs=is_slippery: "));

  Set("slippery=False");
  absl::StatusOr<EnvKwargsFlag> unknown = EnvKwargsFlagFromCommandLine();
  ASSERT_TRUE(unknown.ok());
  absl::Status status = CheckEnvKwargsFlag("FrozenLake-v1", *unknown);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              StartsWith("--env_kwargs=slippery=False: FrozenLake-v1: "
                         "unknown keyword argument slippery"));
  EXPECT_THAT(status.message(), HasSubstr("is_slippery"));
  EXPECT_THAT(status.message(), HasSubstr("max_episode_steps"));
  // An env without family kwargs says what it takes.
  status = CheckEnvKwargsFlag("Acrobot-v1", *unknown);
  EXPECT_THAT(status.message(), HasSubstr("takes only max_episode_steps"));
  // A bad value says what was expected.
  Set("map_name=9x9");
  status = CheckEnvKwargsFlag("FrozenLake-v1", *EnvKwargsFlagFromCommandLine());
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              StartsWith("--env_kwargs=map_name=9x9: "));
  // A wrong env id is --env's error, not this flag's.
  status = CheckEnvKwargsFlag("Nope-v0", *EnvKwargsFlagFromCommandLine());
  EXPECT_THAT(std::string(status.message()),
              StartsWith("unknown env 'Nope-v0'"));
}

}  // namespace
}  // namespace rl
