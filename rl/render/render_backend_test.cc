// The registry of render backends as //rl/render:backends builds it: every
// backend named, errors that say what was asked, what is valid and what
// works here.
#include "rl/render/render_backend.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rl {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(RenderBackendsTest, ListsEveryBackend) {
  EXPECT_THAT(RenderBackends().Names(),
              ElementsAre("auto", "egl", "glx", "llvmpipe"));
  EXPECT_THAT(RenderBackends().Description("llvmpipe"), HasSubstr("llvmpipe"));
  EXPECT_THAT(RenderBackends().Description("glx"), HasSubstr("Xvfb"));
  EXPECT_THAT(RenderBackends().Description("egl"), HasSubstr("GPU"));
}

TEST(RenderBackendsTest, UnknownNameSaysWhatWasAskedValidAndAvailable) {
  std::vector<std::string> log;
  RenderBackendOptions options;
  options.log = [&log](absl::string_view line) { log.emplace_back(line); };
  auto backend = RenderBackends().Create("vulkan", options);
  ASSERT_FALSE(backend.ok());
  EXPECT_EQ(backend.status().code(), absl::StatusCode::kInvalidArgument);
  const std::string message(backend.status().message());
  EXPECT_THAT(message, HasSubstr("unknown render backend 'vulkan'"));
  EXPECT_THAT(message, HasSubstr("valid values are auto, egl, glx, llvmpipe"));
  // What works on this machine (CI: llvmpipe and glx; no GPU).
  EXPECT_THAT(message, HasSubstr("on this machine: "));
  EXPECT_THAT(message, HasSubstr("llvmpipe: works (llvmpipe"));
  EXPECT_THAT(message, HasSubstr("glx: works ("));
  EXPECT_THAT(message, HasSubstr("egl: "));
  EXPECT_TRUE(log.empty());  // Probing is quiet.
  EXPECT_EQ(RenderBackends().CheckName("vulkan").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(RenderBackends().CheckName("glx").ok());
}

TEST(RenderBackendsTest, ProbeHasALinePerBackendButAuto) {
  const std::vector<std::string> lines = RenderBackends().Probe({});
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_THAT(lines[0], HasSubstr("egl: "));
  EXPECT_THAT(lines[1], HasSubstr("glx: works"));
  EXPECT_THAT(lines[2], HasSubstr("llvmpipe: works"));
}

TEST(RenderBackendsTest, SoftwareRendererNames) {
  EXPECT_TRUE(IsSoftwareRenderer("llvmpipe (LLVM 15.0.6, 256 bits)"));
  EXPECT_TRUE(IsSoftwareRenderer("softpipe"));
  EXPECT_TRUE(IsSoftwareRenderer("Software Rasterizer"));
  EXPECT_TRUE(IsSoftwareRenderer("Google SwiftShader"));
  EXPECT_FALSE(IsSoftwareRenderer("NVIDIA GeForce RTX 3090/PCIe/SSE2"));
  EXPECT_FALSE(IsSoftwareRenderer("AMD Radeon RX 6800 (navi21, LLVM 15.0.6)"));
  EXPECT_FALSE(IsSoftwareRenderer("Mesa Intel(R) UHD Graphics 620 (KBL GT2)"));
}

TEST(RenderBackendRegistryTest, LogsEachNoticeOncePerProcess) {
  EXPECT_TRUE(RenderBackends().FirstTimeLogged("a notice only this test logs"));
  EXPECT_FALSE(
      RenderBackends().FirstTimeLogged("a notice only this test logs"));
  EXPECT_TRUE(RenderBackends().FirstTimeLogged("another notice"));
}

}  // namespace
}  // namespace rl
