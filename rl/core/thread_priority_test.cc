#include "rl/core/thread_priority.h"

#include <algorithm>
#include <thread>

#include "gtest/gtest.h"

namespace rl {
namespace {

TEST(ThreadPriorityTest, BackgroundIsNicerAndInheritedButOnlyOnce) {
  const int learner = ThisThreadNice();
  int background = 0, again = 0, child = 0;
  std::thread([&] {
    MakeThisThreadBackground();
    background = ThisThreadNice();
    MakeThisThreadBackground();  // Not nicer still.
    again = ThisThreadNice();
    std::thread([&] { child = ThisThreadNice(); }).join();
  }).join();
  // The nice value tops out at 19.
  const int expected = std::min(19, learner + kBackgroundNice);
  EXPECT_EQ(background, expected);
  EXPECT_EQ(again, expected);
  EXPECT_EQ(child, expected);  // Threads it starts are background too.
  EXPECT_EQ(ThisThreadNice(), learner);  // The caller's thread is untouched.
}

}  // namespace
}  // namespace rl
