// The render flags: defaults, checked values, errors that name the flag, and
// help made from the registry.
#include "rl/render/render_flags.h"

#include <string>
#include <utility>

#include "absl/flags/reflection.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/render/render_backend.h"

namespace rl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// Sets --NAME=VALUE as the command line would, for one test.
class RenderFlagsTest : public ::testing::Test {
 protected:
  void Set(absl::string_view name, absl::string_view value) {
    absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    ASSERT_NE(flag, nullptr) << name;
    std::string error;
    ASSERT_TRUE(flag->ParseFrom(value, &error)) << error;
  }

 private:
  absl::FlagSaver saver_;  // Puts every flag back after the test.
};

TEST_F(RenderFlagsTest, DefaultsAreTheEnvsSizeAndAuto) {
  absl::StatusOr<RenderFlags> flags = RenderFlagsFromCommandLine();
  ASSERT_TRUE(flags.ok()) << flags.status();
  EXPECT_EQ(flags->render_backend, "auto");
  EXPECT_EQ(flags->egl_device, -1);
  EXPECT_EQ(flags->width, 0);
  EXPECT_EQ(flags->height, 0);
  EXPECT_FALSE(flags->overlay);
  EXPECT_EQ(flags->overlay_label, "");
  EXPECT_EQ(flags->fit, Fit::kLetterbox);
  for (auto [name, value] :
       {std::pair{"render_backend", "auto"}, std::pair{"egl_device", "-1"},
        std::pair{"size", ""}, std::pair{"fit", "letterbox"},
        std::pair{"overlay", "false"}, std::pair{"overlay_label", ""}}) {
    const absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
    ASSERT_NE(flag, nullptr) << name;
    EXPECT_EQ(flag->DefaultValue(), value) << name;
  }
}

TEST_F(RenderFlagsTest, ReadsEveryFlag) {
  Set("render_backend", "llvmpipe");
  Set("egl_device", "1");
  Set("size", "601x401");
  Set("overlay", "true");
  Set("overlay_label", "run 7");
  Set("fit", "stretch");
  absl::StatusOr<RenderFlags> flags = RenderFlagsFromCommandLine();
  ASSERT_TRUE(flags.ok()) << flags.status();
  EXPECT_EQ(flags->render_backend, "llvmpipe");
  EXPECT_EQ(flags->egl_device, 1);
  EXPECT_EQ(flags->width, 601);
  EXPECT_EQ(flags->height, 401);
  EXPECT_TRUE(flags->overlay);
  EXPECT_EQ(flags->overlay_label, "run 7");
  EXPECT_EQ(flags->fit, Fit::kStretch);
}

TEST_F(RenderFlagsTest, AnUnknownFitNamesTheFlagAndTheValidValues) {
  Set("fit", "crop");
  absl::StatusOr<RenderFlags> flags = RenderFlagsFromCommandLine();
  ASSERT_FALSE(flags.ok());
  EXPECT_EQ(flags.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(flags.status().message(),
            "--fit=crop: unknown fit: valid values are letterbox, stretch");
}

TEST_F(RenderFlagsTest, AnUnknownBackendNamesTheFlagAndTheValidValues) {
  Set("render_backend", "foo");
  absl::StatusOr<RenderFlags> flags = RenderFlagsFromCommandLine();
  ASSERT_FALSE(flags.ok());
  EXPECT_EQ(flags.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(flags.status().message()),
              StartsWith("--render_backend=foo: unknown render backend 'foo': "
                         "valid values are auto, egl, glx, llvmpipe; on this "
                         "machine: "));
}

TEST_F(RenderFlagsTest, ABadSizeNamesTheFlag) {
  Set("size", "0x400");
  absl::StatusOr<RenderFlags> flags = RenderFlagsFromCommandLine();
  ASSERT_FALSE(flags.ok());
  EXPECT_EQ(flags.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(flags.status().message(),
            "--size=0x400: bad frame size '0x400': each side must be "
            "1..8192 pixels");
}

TEST_F(RenderFlagsTest, ANegativeEglDeviceOtherThanMinusOneIsRefused) {
  Set("egl_device", "-2");
  absl::StatusOr<RenderFlags> flags = RenderFlagsFromCommandLine();
  ASSERT_FALSE(flags.ok());
  EXPECT_EQ(flags.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(flags.status().message()),
              StartsWith("--egl_device=-2: "));
}

TEST(RenderFlagHelpTest, ListsEveryRegisteredBackendWithItsDescription) {
  const absl::CommandLineFlag* flag =
      absl::FindCommandLineFlag("render_backend");
  ASSERT_NE(flag, nullptr);
  const std::string help = flag->Help();
  EXPECT_EQ(help, RenderBackendFlagHelp());
  EXPECT_THAT(help, StartsWith("How to get an OpenGL context with no screen: "
                               "auto (the first that works here of egl, "
                               "llvmpipe, glx, in that order; it says which "
                               "on stderr); egl ("));
  for (const std::string& name : RenderBackends().Names()) {
    EXPECT_THAT(
        help, HasSubstr(absl::StrCat(name, " (",
                                     RenderBackends().Description(name), ")")));
  }
}

// A backend's error, as the library words it, gets the flags in front; any
// other error is left as it is.
TEST(RenderFlagContextTest, PutsTheRenderFlagsInFrontOfBackendErrors) {
  RenderBackendOptions options;
  options.egl_device = 99;
  options.log = [](absl::string_view) {};
  auto backend = RenderBackends().Create("auto", options);
  ASSERT_FALSE(backend.ok());
  RenderFlags flags;
  flags.egl_device = 99;
  const absl::Status status = WithRenderFlagContext(backend.status(), flags);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()),
              StartsWith("--render_backend=auto --egl_device=99: EGL device "
                         "99 does not exist"));
  EXPECT_TRUE(IsNoAutoFallback(status));  // Payloads are kept.

  flags.egl_device = -1;
  flags.render_backend = "metal";
  EXPECT_THAT(
      std::string(WithRenderFlagContext(
                      RenderBackends().Create("metal").status(), flags)
                      .message()),
      StartsWith("--render_backend=metal: unknown render backend 'metal'"));

  const absl::Status other = absl::UnavailableError("the disk is full");
  EXPECT_EQ(WithRenderFlagContext(other, flags), other);
  EXPECT_TRUE(WithRenderFlagContext(absl::OkStatus(), flags).ok());
}

TEST(FrameSizeTest, ParsesWidthByHeightAndRefusesTheRest) {
  EXPECT_EQ(*ParseFrameSize("600x400"), std::make_pair(600, 400));
  EXPECT_EQ(*ParseFrameSize("601x401"), std::make_pair(601, 401));
  EXPECT_EQ(*ParseFrameSize("8192x1"), std::make_pair(8192, 1));
  EXPECT_EQ(*ParseFrameSize(""), std::make_pair(0, 0));
  for (const char* bad : {"0x400", "600x0", "600", "x", "axb", "600x-1",
                          "9000x10", "600x400x3"}) {
    auto size = ParseFrameSize(bad);
    EXPECT_EQ(size.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(size.status().message(), HasSubstr(bad));
    EXPECT_THAT(size.status().message(), Not(HasSubstr("--"))) << bad;
  }
}

}  // namespace
}  // namespace rl
