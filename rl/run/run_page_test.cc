#include "rl/run/run_page.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
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

TEST(RunPageHtml, CurveEvalsAndVideosInOrder) {
  const std::vector<CurvePoint> curve = {{10, 5}, {20, 15}, {30, 25}};
  const std::vector<EvalPoint> evals = {{0, 9, 1}, {100, 50, 2}};
  const std::vector<PageVideo> videos = {
      {"eval", 0, "videos/eval/a.mp4", 9, 0},
      {"train", 20, "videos/b&c.mp4", 15, 1}};
  const std::string html =
      RunPageHtml("CartPole <ppo>", curve, evals, videos, 100, 0, "done");
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_EQ(html.find("http-equiv=\"refresh\""), std::string::npos);
  EXPECT_NE(html.find("<title>CartPole &lt;ppo&gt;</title>"),
            std::string::npos);
  // Training curve: x from 60 (step 0) to 880 (step 100); y from 20 (max
  // 50) to 280 (min 5). Step 10, return 5 is at (142.0, 280.0).
  EXPECT_NE(html.find("points=\"142.0,280.0 224.0,"), std::string::npos)
      << html;
  EXPECT_EQ(Count(html, "<circle class=\"eval\""), 2);
  EXPECT_EQ(Count(html, "<circle class=\"video\""), 2);
  // Videos link in training order, names escaped.
  const size_t first = html.find("href=\"videos/eval/a.mp4\"");
  const size_t second = html.find("href=\"videos/b&amp;c.mp4\"");
  ASSERT_NE(first, std::string::npos);
  ASSERT_NE(second, std::string::npos);
  EXPECT_LT(first, second);
  EXPECT_EQ(Count(html, "<video "), 2);
}

// With --embed every player plays from a data: URI, evaluation videos
// included: loaded as a string with no files around (IPython's HTML()), the
// page plays them all. The curve's markers go to the players on the page.
TEST(RunPageHtml, EmbeddedPagePlaysEveryVideoWithoutFiles) {
  const std::vector<PageVideo> videos = {
      {"train", 0, "videos/a.mp4", 9, 0},
      {"eval", 10, "videos/eval/b.webm", 20, 0},
      {"train", 20, "videos/c.mp4", 15, 1}};
  const EmbeddedVideos embedded = {
      {"videos/a.mp4", "data:video/mp4;base64,QQ=="},
      {"videos/eval/b.webm", "data:video/webm;base64,Qg=="},
      {"videos/c.mp4", "data:video/mp4;base64,Qw=="}};
  const std::string html = RunPageHtml("t", {{0, 9}, {20, 15}}, {{10, 20, 0}},
                                       videos, 100, 0, "finished", embedded);
  EXPECT_EQ(Count(html, "<video "), 3);
  EXPECT_EQ(Count(html, " src=\"data:video/mp4;base64,"), 2);
  EXPECT_EQ(Count(html, " src=\"data:video/webm;base64,"), 1);
  EXPECT_EQ(Count(html, " src=\"data:"), Count(html, " src="));
  EXPECT_LT(html.find("base64,QQ=="), html.find("base64,Qg=="));
  EXPECT_LT(html.find("base64,Qg=="), html.find("base64,Qw=="));
  for (int i = 1; i <= 3; ++i) {
    const std::string id = "rl-run-video-" + std::to_string(i);
    EXPECT_EQ(Count(html, "<a href=\"#" + id + "\">"), 1) << id;
    EXPECT_EQ(Count(html, "<figure id=\"" + id + "\">"), 1) << id;
  }
  // Not embedded (unreadable): linked.
  const std::string some = RunPageHtml("t", {}, {}, videos, 100, 0, "", {});
  EXPECT_EQ(Count(some, " src=\"data:"), 0);
  EXPECT_EQ(Count(some, " src=\"videos/"), 3);
}

TEST(RunPageHtml, LinksBothGalleries) {
  const std::string train_only = RunPageHtml(
      "t", {}, {}, {{"train", 0, "videos/a.mp4", 1, 0}}, 100, 0, "");
  EXPECT_NE(train_only.find("<a href=\"videos/index.html\">training gallery"),
            std::string::npos);
  EXPECT_EQ(train_only.find("videos/eval/index.html"), std::string::npos);
  const std::string with_eval = RunPageHtml(
      "t", {}, {}, {{"eval", 0, "videos/eval/a.mp4", 1, 0}}, 100, 0, "");
  EXPECT_NE(with_eval.find(
                "<a href=\"videos/eval/index.html\">evaluation gallery</a>"),
            std::string::npos);
}

// Inserted into a notebook cell, the page restyles nothing outside it:
// every rule is under the root element, which holds all the content.
TEST(RunPageHtml, CssIsScopedToThePage) {
  const std::string html = RunPageHtml(
      "t", {{1, 1}}, {}, {{"train", 0, "videos/a.mp4", 1, 0}}, 100, 0, "");
  EXPECT_THAT(ScopingProblems(html, "rl-run-page"), IsEmpty());
}

// While running, the page reloads itself: by a script that only does so
// when the page is a document of its own, so that the page inserted into a
// notebook cell does not reload the notebook, as a meta refresh does
// wherever it is inserted. The meta refresh is there for browsers without
// JavaScript only (inserted into a page that runs scripts, a <noscript>'s
// content is text).
TEST(RunPageHtml, RefreshesWhileRunning) {
  const std::string html = RunPageHtml("t", {}, {}, {}, 1000, 5, "training");
  EXPECT_NE(html.find("<noscript data-refresh-s=\"5\"><meta "
                      "http-equiv=\"refresh\" content=\"5\"></noscript>"),
            std::string::npos)
      << html;
  EXPECT_EQ(Count(html, "http-equiv=\"refresh\""), 1);
  EXPECT_NE(html.find("self.parentNode !== document.head"), std::string::npos);
  EXPECT_LT(html.find("<noscript"), html.find("<script>"));
  EXPECT_NE(html.find("<svg"), std::string::npos);  // Empty curve, axes.
  EXPECT_EQ(Count(html, "<polyline"), 0);
}

TEST(RunPageHtml, IsOneDocumentWithTheDataFilledIn) {
  const std::string html =
      RunPageHtml("{{status}} & co", {{10, 1.5}}, {}, {}, 100, 0, "finished");
  // Only the title's own "{{" (twice: <title> and <h1>): every slot of the
  // template is filled, and a value is never substituted again.
  EXPECT_EQ(Count(html, "{{"), 2) << html;
  EXPECT_NE(html.find("<title>{{status}} &amp; co</title>"), std::string::npos)
      << "a title is escaped and not substituted again";
  EXPECT_EQ(html.find("http-equiv=\"refresh\""), std::string::npos);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(html.substr(html.size() - 15), "</body></html>\n");
  EXPECT_NE(html.find("<p class=\"status\">finished</p>"), std::string::npos);
}

}  // namespace
}  // namespace rl
