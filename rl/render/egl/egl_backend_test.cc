// The egl backend: its GPU case needs a GPU (skipped, saying so, on
// machines without one, like CI); its device choice and its refusal of
// Mesa's software device are tested everywhere.
#include "rl/render/egl/egl_backend.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/render/egl_util.h"
#include "rl/render/render_backend.h"

namespace rl {
namespace egl {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Device Software() {
  Device device;
  device.extensions = "EGL_MESA_device_software";
  return device;
}

Device Gpu(std::string drm_file) {
  Device device;
  device.extensions = "EGL_EXT_device_drm";
  device.drm_file = std::move(drm_file);
  return device;
}

TEST(EglBackendTest, PicksTheFirstGpu) {
  absl::StatusOr<int> index = PickDevice(
      {Software(), Gpu("/dev/dri/card0"), Gpu("/dev/dri/card1")}, -1);
  ASSERT_TRUE(index.ok()) << index.status();
  EXPECT_EQ(*index, 1);
}

TEST(EglBackendTest, TheFlagPicksAnotherGpu) {
  absl::StatusOr<int> index =
      PickDevice({Gpu("/dev/dri/card0"), Gpu("/dev/dri/card1")}, 1);
  ASSERT_TRUE(index.ok()) << index.status();
  EXPECT_EQ(*index, 1);
}

TEST(EglBackendTest, RefusesTheSoftwareDeviceNamingLlvmpipe) {
  absl::StatusOr<int> index =
      PickDevice({Software(), Gpu("/dev/dri/card0")}, 0);
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(index.status().message(),
              HasSubstr("EGL device 0 is Mesa's software rasterizer"));
  EXPECT_THAT(index.status().message(),
              HasSubstr("use the llvmpipe render backend"));
  EXPECT_THAT(index.status().message(), HasSubstr("1: /dev/dri/card0"));
  // Library errors name no command-line flag: the flags layer adds that.
  EXPECT_THAT(index.status().message(), Not(HasSubstr("--")));
}

TEST(EglBackendTest, NoGpuIsUnavailableNamingLlvmpipe) {
  absl::StatusOr<int> index = PickDevice({Software()}, -1);
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(index.status().message(),
              HasSubstr("no GPU EGL device exists on this machine"));
  EXPECT_THAT(index.status().message(),
              HasSubstr("render on the CPU with the llvmpipe render backend"));
  EXPECT_THAT(index.status().message(), Not(HasSubstr("--")));
}

TEST(EglBackendTest, DeviceOutOfRange) {
  absl::StatusOr<int> index = PickDevice({Gpu("/dev/dri/card0")}, 3);
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(index.status().message(),
              HasSubstr("EGL device 3 does not exist"));
  EXPECT_THAT(index.status().message(), Not(HasSubstr("--")));
}

TEST(EglBackendTest, WarnsAboutASoftwareRenderer) {
  EXPECT_THAT(SoftwareRendererWarning("llvmpipe (LLVM 15.0.6, 256 bits)"),
              HasSubstr("warning: render backend egl got the software OpenGL "
                        "renderer"));
  EXPECT_EQ(SoftwareRendererWarning("NVIDIA GeForce RTX 3090/PCIe/SSE2"), "");
}

// Mesa's software device, asked for by index on this very machine: refused.
TEST(EglBackendTest, TheRealSoftwareDeviceIsRefused) {
  absl::StatusOr<std::vector<Device>> devices = QueryDevices("");
  ASSERT_TRUE(devices.ok()) << devices.status();
  int software = -1;
  for (int i = 0; i < static_cast<int>(devices->size()); ++i) {
    if ((*devices)[i].is_software()) software = i;
  }
  ASSERT_GE(software, 0) << "Mesa's software EGL device is missing";
  RenderBackendOptions options;
  options.egl_device = software;
  auto backend = RenderBackends().Create("egl", options);
  ASSERT_FALSE(backend.ok());
  EXPECT_THAT(backend.status().message(),
              HasSubstr("use the llvmpipe render backend"));
}

// The hardware case: a real GPU context, when this machine has a GPU.
TEST(EglBackendTest, GpuContext) {
  absl::StatusOr<std::vector<Device>> devices = QueryDevices("");
  ASSERT_TRUE(devices.ok()) << devices.status();
  if (!PickDevice(*devices, -1).ok()) {
    GTEST_SKIP() << "no GPU EGL device exists on this machine (EGL lists: "
                 << DescribeDevices(*devices)
                 << "), so the egl backend's hardware case cannot run here";
  }
  std::vector<std::string> log;
  RenderBackendOptions options;
  options.log = [&log](absl::string_view line) { log.emplace_back(line); };
  auto backend = RenderBackends().Create("egl", options);
  ASSERT_TRUE(backend.ok()) << backend.status();
  EXPECT_EQ((*backend)->name(), "egl");
  EXPECT_FALSE(IsSoftwareRenderer((*backend)->gl_renderer()))
      << (*backend)->gl_renderer();
  EXPECT_TRUE(log.empty());
  EXPECT_TRUE((*backend)->MakeCurrent().ok());
  EXPECT_TRUE((*backend)->ReleaseCurrent().ok());
}

}  // namespace
}  // namespace egl
}  // namespace rl
