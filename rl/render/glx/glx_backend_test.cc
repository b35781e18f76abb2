// The glx backend and its private Xvfb: a real GLX context with no X display
// around, Xvfb stopped when the last user goes (and when the process dies),
// and errors that name what to do.
#include <GL/glcorearb.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/render/glx/xvfb.h"
#include "rl/render/render_backend.h"

namespace rl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Whether process `pid` is gone (or a zombie no one reaped yet).
bool IsGone(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  const size_t paren = line.rfind(')');
  return paren == std::string::npos || paren + 2 >= line.size() ||
         line[paren + 2] == 'Z';
}

bool GoneWithin(pid_t pid, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!IsGone(pid)) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

class GlxBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* display = std::getenv("DISPLAY");
    if (display != nullptr) saved_display_ = display;
    unsetenv("DISPLAY");  // Test the private Xvfb unless a test sets it.
  }
  void TearDown() override {
    if (saved_display_.empty()) {
      unsetenv("DISPLAY");
    } else {
      setenv("DISPLAY", saved_display_.c_str(), 1);
    }
  }
  std::string saved_display_;
};

TEST_F(GlxBackendTest, CoreContextOnAPrivateXvfb) {
  auto backend = RenderBackends().Create("glx");
  ASSERT_TRUE(backend.ok()) << backend.status();
  EXPECT_EQ((*backend)->name(), "glx");
  int major = 0;
  int minor = 0;
  ASSERT_EQ(
      std::sscanf((*backend)->gl_version().c_str(), "%d.%d", &major, &minor),
      2);
  EXPECT_TRUE(major > 3 || (major == 3 && minor >= 3))
      << (*backend)->gl_version();
  ASSERT_TRUE((*backend)->MakeCurrent().ok());
  const GLubyte* renderer = glGetString(GL_RENDERER);
  ASSERT_NE(renderer, nullptr);
  EXPECT_EQ((*backend)->gl_renderer(), reinterpret_cast<const char*>(renderer));
  GLint profile = 0;
  glGetIntegerv(GL_CONTEXT_PROFILE_MASK, &profile);
  EXPECT_TRUE(profile & GL_CONTEXT_CORE_PROFILE_BIT);
  EXPECT_TRUE((*backend)->ReleaseCurrent().ok());
  EXPECT_EQ(glGetString(GL_RENDERER), nullptr);
}

TEST_F(GlxBackendTest, CompatibilityContextOnRequest) {
  RenderBackendOptions options;
  options.gl_profile = GlProfile::kCompatibility;
  auto backend = RenderBackends().Create("glx", options);
  ASSERT_TRUE(backend.ok()) << backend.status();
  EXPECT_EQ((*backend)->gl_profile(), GlProfile::kCompatibility);
  EXPECT_THAT((*backend)->gl_version(), Not(HasSubstr("Core Profile")));
  ASSERT_TRUE((*backend)->MakeCurrent().ok());
  GLint profile = 0;
  glGetIntegerv(GL_CONTEXT_PROFILE_MASK, &profile);
  EXPECT_TRUE(profile & GL_CONTEXT_COMPATIBILITY_PROFILE_BIT);
  EXPECT_EQ(glGetError(), static_cast<GLenum>(GL_NO_ERROR));
  EXPECT_TRUE((*backend)->ReleaseCurrent().ok());
}

TEST_F(GlxBackendTest, XvfbIsSharedAndStopsWithTheLastBackend) {
  auto first = RenderBackends().Create("glx");
  ASSERT_TRUE(first.ok()) << first.status();
  pid_t pid = -1;
  {
    absl::StatusOr<std::shared_ptr<XvfbServer>> server = SharedXvfb();
    ASSERT_TRUE(server.ok()) << server.status();
    pid = (*server)->pid();
    EXPECT_THAT((*server)->display_name(), HasSubstr(":"));
  }
  auto second = RenderBackends().Create("glx");
  ASSERT_TRUE(second.ok()) << second.status();
  {
    absl::StatusOr<std::shared_ptr<XvfbServer>> server = SharedXvfb();
    ASSERT_TRUE(server.ok());
    EXPECT_EQ((*server)->pid(), pid);  // The same server.
  }
  first->reset();
  EXPECT_FALSE(IsGone(pid));
  second->reset();
  EXPECT_TRUE(IsGone(pid));  // The destructor waited for it.
}

TEST_F(GlxBackendTest, ContextMovesBetweenThreads) {
  auto backend = RenderBackends().Create("glx");
  ASSERT_TRUE(backend.ok()) << backend.status();
  ASSERT_TRUE((*backend)->MakeCurrent().ok());
  absl::Status in_thread;
  std::thread([&] { in_thread = (*backend)->MakeCurrent(); }).join();
  EXPECT_FALSE(in_thread.ok());
  ASSERT_TRUE((*backend)->ReleaseCurrent().ok());
  std::thread([&] {
    in_thread = (*backend)->MakeCurrent();
    if (in_thread.ok() && glGetString(GL_RENDERER) == nullptr) {
      in_thread = absl::InternalError("no GL_RENDERER in the thread");
    }
    if (in_thread.ok()) in_thread = (*backend)->ReleaseCurrent();
  }).join();
  EXPECT_TRUE(in_thread.ok()) << in_thread;
}

TEST_F(GlxBackendTest, UsesDisplayWhenSet) {
  absl::StatusOr<std::unique_ptr<XvfbServer>> server = XvfbServer::Start();
  ASSERT_TRUE(server.ok()) << server.status();
  setenv("DISPLAY", (*server)->display_name().c_str(), 1);
  auto backend = RenderBackends().Create("glx");
  ASSERT_TRUE(backend.ok()) << backend.status();
  ASSERT_TRUE((*backend)->MakeCurrent().ok());
  EXPECT_NE(glGetString(GL_RENDERER), nullptr);
  EXPECT_TRUE((*backend)->ReleaseCurrent().ok());
}

TEST_F(GlxBackendTest, AnUnreachableDisplayIsAnErrorNotAFallback) {
  setenv("DISPLAY", ":9876", 1);
  auto backend = RenderBackends().Create("glx");
  ASSERT_FALSE(backend.ok());
  EXPECT_EQ(backend.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(backend.status().message(),
              HasSubstr("cannot connect to X display ':9876' (from $DISPLAY)"));
  EXPECT_THAT(backend.status().message(), HasSubstr("Unset DISPLAY"));
  EXPECT_THAT(backend.status().message(),
              HasSubstr("use the llvmpipe render backend"));
  EXPECT_THAT(backend.status().message(), Not(HasSubstr("--")));
}

TEST_F(GlxBackendTest, MissingXvfbNamesThePackage) {
  XvfbOptions options;
  options.executable = "/nonexistent/Xvfb";
  absl::StatusOr<std::unique_ptr<XvfbServer>> server =
      XvfbServer::Start(options);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(server.status().message(), HasSubstr("apt-get install xvfb"));
  EXPECT_THAT(server.status().message(),
              HasSubstr("with the llvmpipe render backend"));
  EXPECT_THAT(server.status().message(), Not(HasSubstr("--")));
}

TEST_F(GlxBackendTest, AnXvfbThatFailsReportsItsOutput) {
  // /bin/false exits at once without writing a display number.
  XvfbOptions options;
  options.executable = "/bin/false";
  absl::StatusOr<std::unique_ptr<XvfbServer>> server =
      XvfbServer::Start(options);
  ASSERT_FALSE(server.ok());
  EXPECT_THAT(server.status().message(),
              HasSubstr("Xvfb exited before reporting a display"));
}

TEST_F(GlxBackendTest, XvfbDiesWithAProcessThatCrashes) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(fds[0]);
    absl::StatusOr<std::unique_ptr<XvfbServer>> server = XvfbServer::Start();
    const pid_t xvfb = server.ok() ? (*server)->pid() : -1;
    (void)!write(fds[1], &xvfb, sizeof(xvfb));
    // A crash: no destructor runs.
    raise(SIGKILL);
  }
  close(fds[1]);
  pid_t xvfb = -1;
  ASSERT_EQ(read(fds[0], &xvfb, sizeof(xvfb)),
            static_cast<ssize_t>(sizeof(xvfb)));
  close(fds[0]);
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_GT(xvfb, 0);
  EXPECT_TRUE(GoneWithin(xvfb, std::chrono::seconds(5)))
      << "Xvfb " << xvfb << " outlived the process that started it";
}

}  // namespace
}  // namespace rl
