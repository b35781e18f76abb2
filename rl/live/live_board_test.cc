#include "rl/live/live_board.h"

#include <limits>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace rl {
namespace {

int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = 0; (at = text.find(what, at)) != std::string::npos; ++at) {
    ++n;
  }
  return n;
}

TEST(LiveBoardTest, StatusHoldsTheRunsFacts) {
  LiveBoard board;
  board.SetRun("Cart\"Pole\" / ppo", 5000);
  board.SetState("training");
  board.SetProgress(1200, 3);
  board.AddEpisode(100, 10);
  board.AddEpisode(250, std::numeric_limits<double>::quiet_NaN());
  board.AddEval(0, 9.5, 1.25);
  board.AddVideo({"eval", "videos/eval/a.mp4", 0, 0, 11, 10, "terminated"});
  const std::string json = board.StatusJson(0, 2, "no \"GL\"");
  EXPECT_TRUE(absl::StrContains(json, "\"title\":\"Cart\\\"Pole\\\" / ppo\""))
      << json;
  EXPECT_TRUE(absl::StrContains(json, "\"state\":\"training\""));
  EXPECT_TRUE(absl::StrContains(json, "\"step\":1200,\"total_steps\":5000"));
  EXPECT_TRUE(absl::StrContains(json, "\"episodes\":3,\"viewers\":2"));
  EXPECT_TRUE(absl::StrContains(json, "\"picture_error\":\"no \\\"GL\\\"\""));
  EXPECT_TRUE(absl::StrContains(json, "\"points\":[[100,10.0],[250,null]]"))
      << json;
  EXPECT_TRUE(absl::StrContains(json, "\"evals\":[[0,9.5,1.25]]"));
  EXPECT_TRUE(absl::StrContains(
      json,
      "{\"kind\":\"eval\",\"file\":\"videos/eval/a.mp4\",\"episode\":0,"
      "\"step\":0,\"frames\":11,\"return\":10.0,\"ended\":\"terminated\"}"));
}

TEST(LiveBoardTest, KeepsEachRanksLatestPicture) {
  LiveBoard board;
  EXPECT_EQ(board.RankPicture(1), nullptr);
  EXPECT_TRUE(
      absl::StrContains(board.StatusJson(0, 0, ""), "\"rank_pictures\":[]"));
  board.SetRankPicture(2, "jpeg of rank 2");
  board.SetRankPicture(1, "first of rank 1");
  board.SetRankPicture(1, "second of rank 1");
  ASSERT_NE(board.RankPicture(1), nullptr);
  EXPECT_EQ(*board.RankPicture(1), "second of rank 1");
  EXPECT_EQ(*board.RankPicture(2), "jpeg of rank 2");
  EXPECT_EQ(board.RankPicture(0), nullptr);
  // Ranks in order, with how many pictures each sent (the page reloads a
  // rank's picture when its count changes).
  const std::string json = board.StatusJson(0, 0, "");
  EXPECT_TRUE(absl::StrContains(json, "\"rank_pictures\":[[1,2],[2,1]]"))
      << json;
}

TEST(LiveBoardTest, PagesTheCurve) {
  LiveBoard board;
  const int n = LiveBoard::kMaxPointsPerReply + 10;
  for (int i = 0; i < n; ++i) board.AddEpisode(i, i);
  const std::string first = board.StatusJson(0, 0, "");
  EXPECT_EQ(Count(first, "],["), LiveBoard::kMaxPointsPerReply - 1);
  EXPECT_TRUE(absl::StrContains(first, absl::StrCat("\"total_points\":", n)));
  const std::string rest =
      board.StatusJson(LiveBoard::kMaxPointsPerReply, 0, "");
  EXPECT_TRUE(absl::StrContains(
      rest, absl::StrCat("\"since\":", LiveBoard::kMaxPointsPerReply)));
  EXPECT_EQ(Count(rest, "],["), 9);
  // Past the end: nothing, and `since` says where the end is.
  const std::string past = board.StatusJson(n + 100, 0, "");
  EXPECT_TRUE(absl::StrContains(past, absl::StrCat("\"since\":", n)));
  EXPECT_TRUE(absl::StrContains(past, "\"points\":[]"));
}

}  // namespace
}  // namespace rl
