#include "rl/live/live_page.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/record/scoped_css_check.h"

namespace rl {
namespace {

using ::testing::IsEmpty;

// In an IFrame or inserted into a notebook cell, the page restyles nothing
// outside it: every rule is under the root element, which holds the content
// (the script after it only reaches elements by their ids).
TEST(LivePageTest, CssIsScopedToThePage) {
  const std::string& html = LivePageHtml();
  EXPECT_GE(StyleSelectors(html).size(), 20u);
  EXPECT_THAT(UnscopedSelectors(html, ".rl-live-page"), IsEmpty());
  const size_t root = html.find("<body>\n<div class=\"rl-live-page\">");
  ASSERT_NE(root, std::string::npos);
  EXPECT_LT(root, html.find("<h1"));
  EXPECT_LT(html.find("<ul id=\"videos\">"), html.find("</div>\n<script>"));
}

}  // namespace
}  // namespace rl
