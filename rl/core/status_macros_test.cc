#include "rl/core/status_macros.h"

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gtest/gtest.h"

namespace rl {
namespace {

absl::Status FailIfNegative(int x) {
  if (x < 0) return absl::InvalidArgumentError("negative");
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<int>> MakeBoxed(int x) {
  RL_RETURN_IF_ERROR(FailIfNegative(x));
  return std::make_unique<int>(x);
}

absl::StatusOr<int> DoubleBoxed(int x) {
  RL_ASSIGN_OR_RETURN(std::unique_ptr<int> boxed, MakeBoxed(x));
  int twice = 0;
  RL_ASSIGN_OR_RETURN(twice, absl::StatusOr<int>(*boxed * 2));
  return twice;
}

TEST(StatusMacrosTest, PassesValuesThrough) {
  absl::StatusOr<int> result = DoubleBoxed(21);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(*result, 42);
}

TEST(StatusMacrosTest, PropagatesTheFirstError) {
  absl::StatusOr<int> result = DoubleBoxed(-1);
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(result.status().message(), "negative");
}

}  // namespace
}  // namespace rl
