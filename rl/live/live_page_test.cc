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
  EXPECT_THAT(ScopingProblems(LivePageHtml(), "rl-live-page"), IsEmpty());
}

}  // namespace
}  // namespace rl
