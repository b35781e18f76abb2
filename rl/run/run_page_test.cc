#include "rl/run/run_page.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace rl {
namespace {

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

TEST(RunPageHtml, RefreshesWhileRunning) {
  const std::string html = RunPageHtml("t", {}, {}, {}, 1000, 5, "training");
  EXPECT_NE(html.find("<meta http-equiv=\"refresh\" content=\"5\">"),
            std::string::npos);
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
