// "auto" picks the first backend that works and says which and why.
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/render/render_backend.h"

namespace rl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(AutoBackendTest, ChoosesAWorkingBackendAndSaysWhy) {
  std::vector<std::string> log;
  RenderBackendOptions options;
  options.log = [&log](absl::string_view line) { log.emplace_back(line); };
  auto backend = RenderBackends().Create("auto", options);
  ASSERT_TRUE(backend.ok()) << backend.status();
  ASSERT_EQ(log.size(), 1u);
  EXPECT_THAT(log[0], HasSubstr(absl::StrCat("render backend auto: using ",
                                             (*backend)->name())));
  EXPECT_THAT(log[0], HasSubstr((*backend)->gl_renderer()));
  if ((*backend)->name() != "egl") {
    // No GPU here: egl was tried first and the log says why it failed.
    EXPECT_EQ((*backend)->name(), "llvmpipe");
    EXPECT_THAT(log[0], HasSubstr("because egl failed: no GPU EGL device"));
  }
  EXPECT_TRUE((*backend)->MakeCurrent().ok());
  EXPECT_TRUE((*backend)->ReleaseCurrent().ok());
}

// Auto passes the profile on: the backend it picks gives what was asked.
TEST(AutoBackendTest, GivesTheProfileAskedFor) {
  RenderBackendOptions options;
  options.log = [](absl::string_view) {};
  options.gl_profile = GlProfile::kCompatibility;
  auto backend = RenderBackends().Create("auto", options);
  ASSERT_TRUE(backend.ok()) << backend.status();
  EXPECT_EQ((*backend)->gl_profile(), GlProfile::kCompatibility);
  EXPECT_THAT((*backend)->gl_version(), Not(HasSubstr("Core Profile")));
}

// An EGL device asked for by index names a device: if it does not exist,
// that is the error, not a quiet switch to the CPU.
TEST(AutoBackendTest, AMissingEglDeviceAskedForByIndexIsAnError) {
  RenderBackendOptions options;
  options.egl_device = 99;
  options.log = [](absl::string_view) {};
  auto backend = RenderBackends().Create("auto", options);
  ASSERT_FALSE(backend.ok()) << (*backend)->name();
  EXPECT_EQ(backend.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(backend.status().message(),
              HasSubstr("EGL device 99 does not exist"));
  // The flags layer (render_flags) names the flag; the library does not.
  EXPECT_THAT(backend.status().message(), Not(HasSubstr("--")));
  EXPECT_TRUE(IsNoAutoFallback(backend.status()));
  EXPECT_EQ(RenderBackendOfError(backend.status()), "egl");
}

TEST(AutoBackendTest, LogsToStandardErrorByDefault) {
  testing::internal::CaptureStderr();
  auto backend = RenderBackends().Create("auto");
  const std::string err = testing::internal::GetCapturedStderr();
  ASSERT_TRUE(backend.ok()) << backend.status();
  EXPECT_THAT(err, HasSubstr("render backend auto: using"));
}

}  // namespace
}  // namespace rl
