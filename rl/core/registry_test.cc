#include "rl/core/registry.h"

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct Shape {
  virtual ~Shape() = default;
  virtual int sides() const = 0;
};

struct Polygon : Shape {
  explicit Polygon(int n) : n(n) {}
  int sides() const override { return n; }
  int n;
};

absl::StatusOr<std::unique_ptr<Shape>> MakeTriangle(int scale) {
  if (scale <= 0) return absl::InvalidArgumentError("scale must be > 0");
  return std::make_unique<Polygon>(3);
}

TEST(RegistryTest, CreatesByNameAndPassesArguments) {
  Registry<Shape, int> registry("shape");
  EXPECT_TRUE(registry.Register("triangle", "three sides", &MakeTriangle));
  auto shape = registry.Create("triangle", 2);
  ASSERT_TRUE(shape.ok()) << shape.status();
  EXPECT_EQ((*shape)->sides(), 3);
  EXPECT_EQ(registry.Description("triangle"), "three sides");
  EXPECT_EQ(registry.Create("triangle", 0).status().message(),
            "scale must be > 0");
}

TEST(RegistryTest, UnknownNameListsTheValidOnes) {
  Registry<Shape, int> registry("shape");
  registry.Register("triangle", "", &MakeTriangle);
  registry.Register("square", "",
                    [](int) -> absl::StatusOr<std::unique_ptr<Shape>> {
                      return std::make_unique<Polygon>(4);
                    });
  EXPECT_THAT(registry.Names(), ElementsAre("square", "triangle"));
  EXPECT_TRUE(registry.CheckName("square").ok());
  EXPECT_EQ(registry.CheckName("hexagon").message(),
            "unknown shape 'hexagon': valid values are square, triangle");
  auto shape = registry.Create("hexagon", 1);
  EXPECT_EQ(shape.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(shape.status().message(),
              HasSubstr("unknown shape 'hexagon': valid values are square, "
                        "triangle"));
}

TEST(RegistryTest, SecondRegistrationOfANameIsRefused) {
  Registry<Shape, int> registry("shape");
  EXPECT_TRUE(registry.Register("triangle", "", &MakeTriangle));
  EXPECT_FALSE(registry.Register("triangle", "", &MakeTriangle));
  EXPECT_TRUE(registry.Contains("triangle"));
  EXPECT_FALSE(registry.Contains("circle"));
}

}  // namespace
}  // namespace rl
