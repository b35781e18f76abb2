#include "rl/render/egl_util.h"

#include <EGL/egl.h>

#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rl {
namespace egl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kHint[] = "the hint";

TEST(EglUtilTest, ErrorNames) {
  EXPECT_EQ(ErrorName(EGL_BAD_MATCH), "EGL_BAD_MATCH");
  EXPECT_EQ(ErrorName(EGL_BAD_ACCESS), "EGL_BAD_ACCESS");
  EXPECT_EQ(ErrorName(0x1234), "EGL error 0x1234");
}

TEST(EglUtilTest, HasExtensionMatchesWholeNames) {
  EXPECT_TRUE(HasExtension("EGL_A EGL_B_long", "EGL_A"));
  EXPECT_TRUE(HasExtension("EGL_A  EGL_B_long ", "EGL_B_long"));
  EXPECT_FALSE(HasExtension("EGL_A EGL_B_long", "EGL_B"));
  EXPECT_FALSE(HasExtension(nullptr, "EGL_A"));
  EXPECT_FALSE(HasExtension("", "EGL_A"));
}

TEST(EglUtilTest, EglErrorNamesTheCallTheCodeAndTheHint) {
  // Provoke EGL_BAD_DISPLAY.
  EXPECT_EQ(eglQueryString(reinterpret_cast<EGLDisplay>(0x1), EGL_VENDOR),
            nullptr);
  const absl::Status status = EglError("eglQueryString (a test)", kHint);
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(status.message(),
            "eglQueryString (a test) failed (EGL_BAD_DISPLAY): the hint");
}

TEST(EglUtilTest, UnavailableAppendsANonEmptyHint) {
  EXPECT_EQ(Unavailable("no luck", kHint).message(), "no luck: the hint");
  EXPECT_EQ(Unavailable("no luck", "").message(), "no luck");
  EXPECT_EQ(Unavailable("no luck", "").code(), absl::StatusCode::kUnavailable);
}

TEST(EglUtilTest, FindsMesasSoftwareDevice) {
  absl::StatusOr<std::vector<Device>> devices = QueryDevices(kHint);
  ASSERT_TRUE(devices.ok()) << devices.status();
  int software = 0;
  for (const Device& device : *devices) software += device.is_software();
  EXPECT_GE(software, 1);
}

TEST(EglUtilTest, DisplayIsReferenceCounted) {
  absl::StatusOr<std::vector<Device>> devices = QueryDevices(kHint);
  ASSERT_TRUE(devices.ok()) << devices.status();
  const Device* software = nullptr;
  for (const Device& device : *devices) {
    if (device.is_software()) software = &device;
  }
  ASSERT_NE(software, nullptr);
  absl::StatusOr<EGLDisplay> display = GetDeviceDisplay(*software, kHint);
  ASSERT_TRUE(display.ok()) << display.status();
  absl::StatusOr<EGLDisplay> again = GetDeviceDisplay(*software, kHint);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(*display, *again);  // One display per device per process.

  absl::StatusOr<DisplayRef> first = DisplayRef::Acquire(*display, kHint);
  ASSERT_TRUE(first.ok()) << first.status();
  {
    absl::StatusOr<DisplayRef> second = DisplayRef::Acquire(*display, kHint);
    ASSERT_TRUE(second.ok()) << second.status();
    DisplayRef moved = *std::move(second);
    EXPECT_EQ(moved.get(), *display);
  }
  // Still initialised: the first reference is alive.
  EXPECT_NE(eglQueryString(*display, EGL_VERSION), nullptr);
  EXPECT_EQ(TerminateUnusedDisplays(), 0);
  EXPECT_NE(eglQueryString(*display, EGL_VERSION), nullptr);
  *first = DisplayRef();
  // Kept after the last reference goes, until asked.
  EXPECT_NE(eglQueryString(*display, EGL_VERSION), nullptr);
  EXPECT_EQ(TerminateUnusedDisplays(), 1);
  EXPECT_EQ(eglQueryString(*display, EGL_VERSION), nullptr);
  EXPECT_EQ(eglGetError(), EGL_NOT_INITIALIZED);
  // And it can start again.
  absl::StatusOr<DisplayRef> again_ref = DisplayRef::Acquire(*display, kHint);
  ASSERT_TRUE(again_ref.ok()) << again_ref.status();
  EXPECT_NE(eglQueryString(*display, EGL_VERSION), nullptr);
}

TEST(EglUtilTest, SurfacelessFallbackWorks) {
  absl::StatusOr<EGLDisplay> display = GetSurfacelessDisplay(kHint);
  ASSERT_TRUE(display.ok()) << display.status();
  absl::StatusOr<DisplayRef> ref = DisplayRef::Acquire(*display, kHint);
  ASSERT_TRUE(ref.ok()) << ref.status();
  absl::StatusOr<std::unique_ptr<EglBackend>> backend =
      EglBackend::Create("test", *std::move(ref), kHint, GlProfile::kCore);
  ASSERT_TRUE(backend.ok()) << backend.status();
  EXPECT_EQ((*backend)->name(), "test");
  EXPECT_THAT((*backend)->gl_renderer(), HasSubstr("llvmpipe"));
  EXPECT_EQ((*backend)->gl_profile(), GlProfile::kCore);
  EXPECT_THAT((*backend)->gl_version(), HasSubstr("Core Profile"));
}

TEST(EglUtilTest, CompatibilityProfileOnRequest) {
  absl::StatusOr<EGLDisplay> display = GetSurfacelessDisplay(kHint);
  ASSERT_TRUE(display.ok()) << display.status();
  absl::StatusOr<DisplayRef> ref = DisplayRef::Acquire(*display, kHint);
  ASSERT_TRUE(ref.ok()) << ref.status();
  absl::StatusOr<std::unique_ptr<EglBackend>> backend = EglBackend::Create(
      "test", *std::move(ref), kHint, GlProfile::kCompatibility);
  ASSERT_TRUE(backend.ok()) << backend.status();
  EXPECT_EQ((*backend)->gl_profile(), GlProfile::kCompatibility);
  EXPECT_THAT((*backend)->gl_version(), Not(HasSubstr("Core Profile")));
  EXPECT_THAT((*backend)->gl_version(), HasSubstr("Compatibility Profile"));
}

}  // namespace
}  // namespace egl
}  // namespace rl
