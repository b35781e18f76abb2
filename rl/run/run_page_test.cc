#include "rl/run/run_page.h"

#include <cmath>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "rl/record/scoped_css_check.h"

namespace rl {
namespace {

using ::testing::IsEmpty;

int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos;
       at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

// The data object the page starts with: RlRunPage.start(root, DATA, ...).
nlohmann::json PageData(const std::string& html) {
  const std::string start = "RlRunPage.start(root, ";
  const size_t at = html.rfind(start);
  if (at == std::string::npos) return nullptr;
  const size_t end = html.find(", {refreshSeconds:", at);
  return nlohmann::json::parse(
      html.substr(at + start.size(), end - at - start.size()), nullptr, false);
}

MetricTable Table(int rows) {
  MetricTable table;
  table.SetColumns({"step", "episode", "return", "loss"});
  for (int i = 0; i < rows; ++i) {
    table.Add(
        {10.0 * (i + 1), static_cast<double>(i), 5.0 + i, i == 1 ? NAN : 0.5});
  }
  return table;
}

TEST(RunPageHtml, EveryMetricEvalAndVideoInTheData) {
  const MetricTable table = Table(3);
  RunPageData data;
  data.title = "CartPole <ppo>";
  data.status_line = "done";
  data.metrics = &table;
  data.evals = {{0, 9, 1, 5}, {100, 50, 2, 5}};
  data.videos = {{"eval", 0, "videos/eval/a.mp4", 9, 0},
                 {"train", 20, "videos/b&c.mp4", 15, 1}};
  const std::string html = RunPageHtml(data, "runs/x", 0);
  EXPECT_EQ(html.find("http-equiv=\"refresh\""), std::string::npos);
  EXPECT_NE(html.find("<title>CartPole &lt;ppo&gt;</title>"),
            std::string::npos);
  const nlohmann::json page = PageData(html);
  ASSERT_TRUE(page.is_object()) << html;
  EXPECT_EQ(page["running"], false);
  EXPECT_EQ(page["metrics"]["columns"],
            nlohmann::json({"step", "episode", "return", "loss"}));
  EXPECT_EQ(page["metrics"]["rows"],
            nlohmann::json::parse("[[10,0,5,0.5],[20,1,6,null],[30,2,7,0.5]]"));
  EXPECT_EQ(page["evals"], nlohmann::json::parse("[[0,9,1,5],[100,50,2,5]]"));
  ASSERT_EQ(page["videos"].size(), 2u);
  EXPECT_EQ(page["videos"][1]["file"], "videos/b&c.mp4");
  EXPECT_EQ(page["videos"][1]["n"], 2);
  // The players, in training order, names escaped, captioned as the
  // charts' markers are.
  const size_t first = html.find("src=\"videos/eval/a.mp4\"");
  const size_t second = html.find("src=\"videos/b&amp;c.mp4\"");
  ASSERT_NE(first, std::string::npos);
  ASSERT_NE(second, std::string::npos);
  EXPECT_LT(first, second);
  EXPECT_EQ(Count(html, "<figure id=\"rl-run-video-"), 2);
  EXPECT_NE(html.find("2. training at step 20, episode 1, return 15"),
            std::string::npos);
  // The chart code is inline: the page needs no other file.
  EXPECT_NE(html.find("global.RlCharts = {"), std::string::npos);
  EXPECT_NE(html.find("global.RlRunPage = {"), std::string::npos);
  EXPECT_EQ(Count(html, "<script src="), 0);
}

// Text from the run (a title, a file name, the run folder's name: any
// bytes) never ends or breaks the page's script.
TEST(RunPageHtml, DataCannotCloseTheScript) {
  RunPageData data;
  data.title = "</script><!--<b>x";
  data.videos = {{"train", 0, "videos/</script>.mp4", 1, 0}};
  const std::string html = RunPageHtml(data, "runs/caf\xe9\"\n", 0);
  const nlohmann::json page = PageData(html);
  ASSERT_TRUE(page.is_object()) << html.substr(html.rfind("RlRunPage.start("));
  EXPECT_EQ(page["title"], "</script><!--<b>x");
  EXPECT_EQ(Count(html, "</script>"), 1);  // The page's own.
  EXPECT_EQ(Count(html, "<!--"), 0);
  // The folder name, invalid UTF-8 and all, reaches the script as JSON.
  EXPECT_NE(html.find("CSS.escape(\"runs/caf\xef\xbf\xbd\\\"\\n\")"),
            std::string::npos);
  EXPECT_NE(RunPageDataScript(data, "runs/caf\xe9").find("RlRunPage.update("),
            std::string::npos);
}

// Steps and episodes past a million are exact (metrics.csv writes them in
// full), the rest to 6 significant digits as the CSV has them; NaN is null.
TEST(RunPageHtml, WholeNumbersAreExact) {
  MetricTable table;
  table.SetColumns({"step", "episode", "return"});
  table.Add({1234567, 98765432, 0.1234567});
  table.Add({2000001, 98765433, NAN});
  RunPageData data;
  data.metrics = &table;
  data.evals = {{1234567, NAN, 2.5, 5}};
  const nlohmann::json page = PageData(RunPageHtml(data, "k", 0));
  ASSERT_TRUE(page.is_object());
  EXPECT_EQ(page["metrics"]["rows"],
            nlohmann::json::parse("[[1234567,98765432,0.123457],"
                                  "[2000001,98765433,null]]"));
  EXPECT_EQ(page["evals"], nlohmann::json::parse("[[1234567,null,2.5,5]]"));
}

// With --embed every player plays from a data: URI, evaluation videos
// included: loaded as a string with no files around (IPython's HTML()), the
// page plays them all; the data names the files only (no second copy).
TEST(RunPageHtml, EmbeddedPagePlaysEveryVideoWithoutFiles) {
  RunPageData data;
  data.videos = {{"train", 0, "videos/a.mp4", 9, 0},
                 {"eval", 10, "videos/eval/b.webm", 20, 0},
                 {"train", 20, "videos/c.mp4", 15, 1}};
  const EmbeddedVideos embedded = {
      {"videos/a.mp4", "data:video/mp4;base64,QQ=="},
      {"videos/eval/b.webm", "data:video/webm;base64,Qg=="},
      {"videos/c.mp4", "data:video/mp4;base64,Qw=="}};
  const std::string html = RunPageHtml(data, "k", 0, embedded);
  EXPECT_EQ(Count(html, " src=\"data:video/mp4;base64,"), 2);
  EXPECT_EQ(Count(html, " src=\"data:video/webm;base64,"), 1);
  EXPECT_EQ(Count(html, "base64,"), 3);
  EXPECT_LT(html.find("base64,QQ=="), html.find("base64,Qg=="));
  EXPECT_LT(html.find("base64,Qg=="), html.find("base64,Qw=="));
  for (int i = 1; i <= 3; ++i) {
    const std::string id = "rl-run-video-" + std::to_string(i);
    EXPECT_EQ(Count(html, "<figure id=\"" + id + "\">"), 1) << id;
  }
  // Not embedded (unreadable): linked.
  const std::string some = RunPageHtml(data, "k", 0, {});
  EXPECT_EQ(Count(some, " src=\"data:"), 0);
  EXPECT_EQ(Count(some, " src=\"videos/"), 3);
}

TEST(RunPageHtml, LinksBothGalleriesAndTheRunsOverview) {
  RunPageData data;
  data.videos = {{"train", 0, "videos/a.mp4", 1, 0}};
  const std::string train_only = RunPageHtml(data, "k", 0);
  EXPECT_NE(train_only.find("<a href=\"videos/index.html\">training gallery"),
            std::string::npos);
  EXPECT_EQ(train_only.find("videos/eval/index.html"), std::string::npos);
  EXPECT_EQ(train_only.find("all runs"), std::string::npos);
  data.videos = {{"eval", 0, "videos/eval/a.mp4", 1, 0}};
  data.runs_overview = true;
  const std::string with_eval = RunPageHtml(data, "k", 0);
  EXPECT_NE(with_eval.find(
                "<a href=\"videos/eval/index.html\">evaluation gallery</a>"),
            std::string::npos);
  EXPECT_NE(with_eval.find("<a href=\"../index.html\">all runs</a>"),
            std::string::npos);
}

// Inserted into a notebook cell, the page restyles nothing outside it:
// every rule is under the root element, which holds all the content.
TEST(RunPageHtml, CssIsScopedToThePage) {
  const MetricTable table = Table(2);
  RunPageData data;
  data.metrics = &table;
  data.videos = {{"train", 0, "videos/a.mp4", 1, 0}};
  EXPECT_THAT(ScopingProblems(RunPageHtml(data, "k", 0), "rl-run-page"),
              IsEmpty());
}

// While running, the page polls page_data.js (RunPageDataScript) instead of
// reloading, so a video being watched plays on; the script only does so when
// the page is a document of its own (run_page.js), never inserted into a
// notebook. The meta refresh is for browsers without JavaScript only
// (inserted into a page that runs scripts, a <noscript>'s content is text).
TEST(RunPageHtml, PollsItsDataWhileRunning) {
  RunPageData data;
  data.running = true;
  const std::string html = RunPageHtml(data, "runs/a\"b", 5);
  EXPECT_NE(html.find("<noscript><meta http-equiv=\"refresh\" "
                      "content=\"5\"></noscript>"),
            std::string::npos)
      << html;
  EXPECT_EQ(Count(html, "http-equiv=\"refresh\""), 1);
  EXPECT_NE(html.find("{refreshSeconds: 5}"), std::string::npos);
  EXPECT_NE(html.find("data-rl-run=\"runs/a&quot;b\""), std::string::npos);
  EXPECT_NE(html.find("root.parentNode !== document.body"), std::string::npos);
  EXPECT_EQ(PageData(html)["running"], true);
  const std::string script = RunPageDataScript(data, "runs/a\"b");
  EXPECT_EQ(script.rfind("RlRunPage.update(\"runs/a\\\"b\", {", 0), 0u)
      << script;
}

// Every row while few; then every k-th row (k a power of two) and the
// latest, never more than the limit: values metrics.csv holds, in order.
TEST(MetricTable, KeepsEveryKthRowAndTheLatest) {
  MetricTable table(100);
  table.SetColumns({"step", "return"});
  for (int i = 0; i < 1000; ++i) table.Add({double(i), double(i * i)});
  EXPECT_EQ(table.total(), 1000);
  EXPECT_EQ(table.stride(), 16);
  const std::vector<std::vector<double>> rows = table.Rows();
  ASSERT_LE(rows.size(), 101u);
  ASSERT_GE(rows.size(), 50u);
  for (size_t i = 0; i + 1 < rows.size(); ++i) {
    EXPECT_EQ(rows[i][0], 16.0 * i);
    EXPECT_EQ(rows[i][1], rows[i][0] * rows[i][0]);
  }
  EXPECT_EQ(rows.back()[0], 999);
  MetricTable few;
  for (int i = 0; i < 3; ++i) few.Add({double(i)});
  EXPECT_EQ(few.Rows().size(), 3u);
  EXPECT_EQ(few.stride(), 1);
}

// A long run's page stays light: PPO on CartPole for 1M steps ends about
// 10,000 episodes (metrics.csv: 14 columns), 50 evaluations, 30 videos.
TEST(RunPageHtml, AMillionStepRunsPageIsAFewHundredKilobytes) {
  MetricTable table;
  std::vector<std::string> columns = {"step", "episode", "return", "length",
                                      "steps_per_s"};
  for (int i = 0; i < 9; ++i) columns.push_back("stat" + std::to_string(i));
  table.SetColumns(columns);
  for (int e = 0; e < 20000; ++e) {
    std::vector<double> row = {50.0 * e, double(e), 123.456 + e % 377,
                               double(e % 500), 9876.54};
    for (int i = 0; i < 9; ++i) row.push_back(-0.000123457 * (e + i));
    table.Add(row);
  }
  RunPageData data;
  data.metrics = &table;
  for (int i = 0; i <= 50; ++i)
    data.evals.push_back({20000 * i, 456.789, 12.3456, 5});
  for (int i = 0; i < 30; ++i) {
    data.videos.push_back(
        {"train", 33333 * i,
         "videos/CartPole-v1-episode-1234-steps-5678-9012.mp4", 500, 1234});
  }
  const size_t bytes =
      RunPageHtml(data, "runs/CartPole-v1-ppo-seed0", 5).size();
  EXPECT_LT(bytes, 400u * 1024) << bytes;
  EXPECT_LE(table.Rows().size(), 1501u);
}

}  // namespace
}  // namespace rl
