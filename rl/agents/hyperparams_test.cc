#include "rl/agents/hyperparams.h"

#include "gtest/gtest.h"
#include "rl/agents/agent.h"

namespace rl {
namespace {

TEST(ParseHyperParamsTest, KeyValuePairsAndLists) {
  auto params =
      ParseHyperParams("learning_rate=3e-4, hidden=64,64,128 ,double_dqn=true");
  ASSERT_TRUE(params.ok()) << params.status();
  EXPECT_EQ(*params, (HyperParams{{"learning_rate", "3e-4"},
                                  {"hidden", "64,64,128"},
                                  {"double_dqn", "true"}}));
  EXPECT_TRUE(ParseHyperParams("")->empty());
}

TEST(ParseHyperParamsTest, Errors) {
  auto no_key = ParseHyperParams("64,lr=1");
  EXPECT_EQ(no_key.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(no_key.status().message().find("is not key=value"),
            absl::string_view::npos);
  EXPECT_EQ(ParseHyperParams("=3").status().code(),
            absl::StatusCode::kInvalidArgument);
  auto twice = ParseHyperParams("gamma=0.9,gamma=0.99");
  EXPECT_NE(twice.status().message().find("'gamma' is given twice"),
            absl::string_view::npos);
}

TEST(FormatTest, RoundTrips) {
  const HyperParams params = {{"a", "1"}, {"hidden", "64,64"}, {"z", "x"}};
  EXPECT_EQ(FormatHyperParams(params), "a=1,hidden=64,64,z=x");
  EXPECT_EQ(*ParseHyperParams(FormatHyperParams(params)), params);
  EXPECT_EQ(FormatDouble(3e-4), "0.0003");
  EXPECT_EQ(FormatDouble(10), "10");
  EXPECT_EQ(FormatDouble(0.1), "0.1");
  EXPECT_EQ(FormatDouble(1e-5), "1e-05");
  EXPECT_EQ(std::stod(FormatDouble(1.0 / 3)), 1.0 / 3);
}

struct Config {
  int n = 4;
  int64_t big = 10;
  double rate = 0.5;
  bool flag = false;
  std::string mode = "a";
  std::vector<int> sizes = {1, 2};
};

ParamBinder Bind(Config* c) {
  ParamBinder binder("test_agent");
  binder.Int("n", &c->n, "an int", 1, 10);
  binder.Int64("big", &c->big, "a big int", 0, int64_t{1} << 40);
  binder.Double("rate", &c->rate, "a rate", 0, 1);
  binder.Bool("flag", &c->flag, "a flag");
  binder.Choice("mode", &c->mode, "a mode", {"a", "b"});
  binder.IntList("sizes", &c->sizes, "sizes", 1, 100);
  return binder;
}

TEST(ParamBinderTest, SetsAndReadsBack) {
  Config c;
  ParamBinder binder = Bind(&c);
  ASSERT_TRUE(binder
                  .Apply({{"n", "7"},
                          {"big", "1099511627776"},
                          {"rate", "0.25"},
                          {"flag", "true"},
                          {"mode", "b"},
                          {"sizes", "3,4,5"}})
                  .ok());
  EXPECT_EQ(c.n, 7);
  EXPECT_EQ(c.big, int64_t{1} << 40);
  EXPECT_EQ(c.rate, 0.25);
  EXPECT_TRUE(c.flag);
  EXPECT_EQ(c.mode, "b");
  EXPECT_EQ(c.sizes, (std::vector<int>{3, 4, 5}));
  EXPECT_EQ(binder.Values(), (HyperParams{{"big", "1099511627776"},
                                          {"flag", "true"},
                                          {"mode", "b"},
                                          {"n", "7"},
                                          {"rate", "0.25"},
                                          {"sizes", "3,4,5"}}));
  EXPECT_EQ(binder.Describe().size(), 6u);
}

TEST(ParamBinderTest, ErrorsSayWhatIsWrongAndChangeNothing) {
  Config c;
  ParamBinder binder = Bind(&c);
  absl::Status unknown = binder.Apply({{"n", "5"}, {"lr", "1"}});
  EXPECT_EQ(unknown.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(unknown.message(),
            "test_agent: unknown hyper-parameter 'lr': valid keys are big, "
            "flag, mode, n, rate, sizes");
  EXPECT_EQ(c.n, 4);

  absl::Status range = binder.Apply({{"mode", "b"}, {"n", "11"}});
  EXPECT_EQ(range.message(),
            "test_agent: hyper-parameter n=11 is outside [1, 10]");
  EXPECT_EQ(c.mode, "a");  // Rolled back.
  EXPECT_NE(
      binder.Apply({{"rate", "abc"}}).message().find("not a finite number"),
      std::string::npos);
  EXPECT_NE(
      binder.Apply({{"rate", "nan"}}).message().find("not a finite number"),
      std::string::npos);
  EXPECT_NE(binder.Apply({{"flag", "yes"}}).message().find("not true, false"),
            std::string::npos);
  EXPECT_NE(binder.Apply({{"mode", "c"}}).message().find("not one of a|b"),
            std::string::npos);
  EXPECT_NE(binder.Apply({{"sizes", "3,0"}}).message().find("in [1, 100]"),
            std::string::npos);
  EXPECT_NE(binder.Apply({{"n", "2.5"}}).message().find("not an integer"),
            std::string::npos);
}

TEST(CreateAgentTest, AnAgentWithoutHyperParametersRefusesSome) {
  AgentContext context{Space::Box({0}, {1}), Space::Discrete(2), 0};
  context.hyperparams = {{"learning_rate", "1"}};
  const auto agent = CreateAgent("random", context);
  ASSERT_EQ(agent.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(agent.status().message(),
            "agent 'random' takes no hyper-parameters, got 'learning_rate=1'");
  context.hyperparams.clear();
  EXPECT_TRUE(CreateAgent("random", context).ok());
  EXPECT_EQ(CreateAgent("randm", context).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace rl
