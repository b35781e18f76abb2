#include "rl/run/run_files.h"

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace rl {
namespace {

TEST(ConfigEnvKwargs, ReadsTheRunsAndNoneWhenAbsent) {
  const nlohmann::json config = nlohmann::json::parse(
      R"({"run": {"env": "FrozenLake-v1",
                  "env_kwargs": "is_slippery=False,map_name=8x8"}})");
  absl::StatusOr<EnvKwargs> kwargs = ConfigEnvKwargs(config, "c.json");
  ASSERT_TRUE(kwargs.ok()) << kwargs.status();
  EXPECT_EQ(*kwargs,
            (EnvKwargs{{"is_slippery", "False"}, {"map_name", "8x8"}}));
  // Written before env kwargs existed, or unreadable: none.
  for (const char* text : {R"({"run": {"env": "CartPole-v1"}})", "null",
                           R"({"run": {"env_kwargs": ""}})"}) {
    kwargs = ConfigEnvKwargs(nlohmann::json::parse(text), "c.json");
    ASSERT_TRUE(kwargs.ok()) << text;
    EXPECT_TRUE(kwargs->empty()) << text;
  }
  for (const char* text :
       {R"({"run": {"env_kwargs": 3}})", R"({"run": {"env_kwargs": "x"}})"}) {
    const absl::Status bad =
        ConfigEnvKwargs(nlohmann::json::parse(text), "c.json").status();
    EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument) << text;
    EXPECT_NE(bad.message().find("c.json: run.env_kwargs"), std::string::npos)
        << bad;
  }
}

TEST(ConfigValue, KeepsNumbersAndBooleansTyped) {
  EXPECT_EQ(ConfigValue("42"), nlohmann::json(42));
  EXPECT_EQ(ConfigValue("-3"), nlohmann::json(-3));
  EXPECT_EQ(ConfigValue("1e-05"), nlohmann::json(1e-05));
  EXPECT_EQ(ConfigValue("0.2"), nlohmann::json(0.2));
  EXPECT_EQ(ConfigValue("true"), nlohmann::json(true));
  EXPECT_EQ(ConfigValue("false"), nlohmann::json(false));
  // Anything else stays text: lists, names, JSON's missing numbers.
  for (const char* text : {"64,64", "tanh", "", "inf", "nan", " 1", "007"}) {
    EXPECT_EQ(ConfigValue(text), nlohmann::json(text)) << text;
  }
}

TEST(ConfigInt, ReadsNumbersAndTheStringsOfOlderRuns) {
  const nlohmann::json config = {{"run",
                                  {{"steps", 4000},
                                   {"old", "300"},
                                   {"record_eval", true},
                                   {"env", "CartPole-v1"}}}};
  EXPECT_EQ(ConfigInt(config, "steps"), 4000);
  EXPECT_EQ(ConfigInt(config, "old"), 300);
  EXPECT_EQ(ConfigInt(config, "record_eval"), 1);
  EXPECT_EQ(ConfigInt(config, "env"), std::nullopt);
  EXPECT_EQ(ConfigInt(config, "missing"), std::nullopt);
}

TEST(RunDirOfCheckpoint, IsTheDirectoryAboveCheckpoints) {
  EXPECT_EQ(RunDirOfCheckpoint("/r/run/checkpoints/best.ckpt"), "/r/run");
  EXPECT_EQ(RunDirOfCheckpoint("/r/elsewhere/x.ckpt"), "/r/elsewhere");
  EXPECT_EQ(RunDirOfCheckpoint("checkpoints/latest.ckpt"), ".");
  EXPECT_EQ(RunDirOfCheckpoint("x.ckpt"), ".");
}

}  // namespace
}  // namespace rl
