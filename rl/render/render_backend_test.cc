#include "rl/render/render_backend.h"

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rl {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

TEST(RenderBackendsTest, ListsLlvmpipe) {
  EXPECT_THAT(RenderBackends().Names(), Contains("llvmpipe"));
  EXPECT_THAT(RenderBackends().Description("llvmpipe"), HasSubstr("llvmpipe"));
}

TEST(RenderBackendsTest, UnknownNameListsValidNames) {
  auto backend = RenderBackends().Create("nope");
  ASSERT_FALSE(backend.ok());
  EXPECT_EQ(backend.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(backend.status().message(), HasSubstr("nope"));
  EXPECT_THAT(backend.status().message(), HasSubstr("llvmpipe"));
}

}  // namespace
}  // namespace rl
