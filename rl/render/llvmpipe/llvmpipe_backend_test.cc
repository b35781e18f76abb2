// The llvmpipe backend: a real OpenGL 3.3+ core context on Mesa's CPU
// rasterizer, with no X server.
#include <GL/glcorearb.h>

#include <cstdio>
#include <memory>
#include <thread>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/render/render_backend.h"

namespace rl {
namespace {

using ::testing::HasSubstr;

std::unique_ptr<RenderBackend> CreateLlvmpipe() {
  auto backend = RenderBackends().Create("llvmpipe");
  EXPECT_TRUE(backend.ok()) << backend.status();
  return backend.ok() ? *std::move(backend) : nullptr;
}

TEST(LlvmpipeBackendTest, NameAndRenderer) {
  std::unique_ptr<RenderBackend> backend = CreateLlvmpipe();
  ASSERT_NE(backend, nullptr);
  EXPECT_EQ(backend->name(), "llvmpipe");
  EXPECT_THAT(backend->gl_renderer(), HasSubstr("llvmpipe"));
}

TEST(LlvmpipeBackendTest, VersionIsAtLeast33) {
  std::unique_ptr<RenderBackend> backend = CreateLlvmpipe();
  ASSERT_NE(backend, nullptr);
  int major = 0;
  int minor = 0;
  ASSERT_EQ(std::sscanf(backend->gl_version().c_str(), "%d.%d", &major, &minor),
            2)
      << backend->gl_version();
  EXPECT_TRUE(major > 3 || (major == 3 && minor >= 3)) << backend->gl_version();
  EXPECT_THAT(backend->gl_version(), HasSubstr("Core Profile"));
}

TEST(LlvmpipeBackendTest, MakeCurrentGivesAWorkingContext) {
  std::unique_ptr<RenderBackend> backend = CreateLlvmpipe();
  ASSERT_NE(backend, nullptr);
  ASSERT_TRUE(backend->MakeCurrent().ok());
  // Twice is fine (already current).
  ASSERT_TRUE(backend->MakeCurrent().ok());
  const GLubyte* renderer = glGetString(GL_RENDERER);
  ASSERT_NE(renderer, nullptr);
  EXPECT_EQ(backend->gl_renderer(), reinterpret_cast<const char*>(renderer));
  GLint profile = 0;
  glGetIntegerv(GL_CONTEXT_PROFILE_MASK, &profile);
  EXPECT_TRUE(profile & GL_CONTEXT_CORE_PROFILE_BIT);
  EXPECT_EQ(glGetError(), static_cast<GLenum>(GL_NO_ERROR));
  EXPECT_TRUE(backend->ReleaseCurrent().ok());
  EXPECT_EQ(glGetString(GL_RENDERER), nullptr);  // Nothing current now.
}

TEST(LlvmpipeBackendTest, CompatibilityContextOnRequest) {
  RenderBackendOptions options;
  options.gl_profile = GlProfile::kCompatibility;
  auto backend = RenderBackends().Create("llvmpipe", options);
  ASSERT_TRUE(backend.ok()) << backend.status();
  EXPECT_EQ((*backend)->gl_profile(), GlProfile::kCompatibility);
  EXPECT_THAT((*backend)->gl_version(), HasSubstr("Compatibility Profile"));
  ASSERT_TRUE((*backend)->MakeCurrent().ok());
  GLint profile = 0;
  glGetIntegerv(GL_CONTEXT_PROFILE_MASK, &profile);
  EXPECT_TRUE(profile & GL_CONTEXT_COMPATIBILITY_PROFILE_BIT);
  EXPECT_EQ(glGetError(), static_cast<GLenum>(GL_NO_ERROR));
  EXPECT_TRUE((*backend)->ReleaseCurrent().ok());
}

TEST(LlvmpipeBackendTest, TwoBackendsSwitchAndOutliveEachOther) {
  std::unique_ptr<RenderBackend> first = CreateLlvmpipe();
  std::unique_ptr<RenderBackend> second = CreateLlvmpipe();
  ASSERT_NE(first, nullptr);
  ASSERT_NE(second, nullptr);
  ASSERT_TRUE(first->MakeCurrent().ok());
  ASSERT_TRUE(second->MakeCurrent().ok());
  ASSERT_TRUE(first->MakeCurrent().ok());
  ASSERT_TRUE(first->ReleaseCurrent().ok());
  // Destroying one must not terminate the display under the other.
  first.reset();
  ASSERT_TRUE(second->MakeCurrent().ok());
  EXPECT_NE(glGetString(GL_RENDERER), nullptr);
  EXPECT_TRUE(second->ReleaseCurrent().ok());
}

TEST(LlvmpipeBackendTest, ContextMovesBetweenThreads) {
  std::unique_ptr<RenderBackend> backend = CreateLlvmpipe();
  ASSERT_NE(backend, nullptr);
  ASSERT_TRUE(backend->MakeCurrent().ok());
  // Current here: another thread may not take it yet.
  absl::Status in_thread;
  std::thread([&] { in_thread = backend->MakeCurrent(); }).join();
  EXPECT_FALSE(in_thread.ok());
  EXPECT_THAT(in_thread.message(), HasSubstr("EGL_BAD_ACCESS"));
  ASSERT_TRUE(backend->ReleaseCurrent().ok());
  std::thread([&] {
    in_thread = backend->MakeCurrent();
    if (in_thread.ok() && glGetString(GL_RENDERER) == nullptr) {
      in_thread = absl::InternalError("no GL_RENDERER in the thread");
    }
    if (in_thread.ok()) in_thread = backend->ReleaseCurrent();
  }).join();
  EXPECT_TRUE(in_thread.ok()) << in_thread;
}

}  // namespace
}  // namespace rl
