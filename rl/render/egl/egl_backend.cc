// The "egl" render backend (auto priority 300, tried first): a GPU through
// EGL's device platform (EGL_EXT_platform_device), with no X server. Mesa's
// software device is refused: that is the llvmpipe backend's job, and a user
// who asked for egl expects a GPU.
#include "rl/render/egl/egl_backend.h"

#include <EGL/egl.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "rl/core/status_macros.h"
#include "rl/render/egl_util.h"
#include "rl/render/render_backend.h"

namespace rl {
namespace egl {
namespace {

constexpr char kHint[] =
    "install the GPU's EGL driver (NVIDIA: libnvidia-egl; AMD/Intel: "
    "libegl-mesa0 with read/write access to /dev/dri), or render on the CPU "
    "with the llvmpipe render backend";

absl::StatusOr<std::unique_ptr<RenderBackend>> CreateEglBackend(
    const RenderBackendOptions& options) {
  RL_ASSIGN_OR_RETURN(std::vector<Device> devices, QueryDevices(kHint));
  RL_ASSIGN_OR_RETURN(const int index, PickDevice(devices, options.egl_device));
  RL_ASSIGN_OR_RETURN(EGLDisplay display,
                      GetDeviceDisplay(devices[index], kHint));
  RL_ASSIGN_OR_RETURN(DisplayRef display_ref,
                      DisplayRef::Acquire(display, kHint));
  RL_ASSIGN_OR_RETURN(std::unique_ptr<EglBackend> backend,
                      EglBackend::Create("egl", std::move(display_ref), kHint,
                                         options.gl_profile));
  const std::string warning = SoftwareRendererWarning(backend->gl_renderer());
  if (!warning.empty()) LogRenderBackendLine(options, warning);
  return std::unique_ptr<RenderBackend>(std::move(backend));
}

absl::StatusOr<std::unique_ptr<RenderBackend>> CreateEgl(
    const RenderBackendOptions& options) {
  absl::StatusOr<std::unique_ptr<RenderBackend>> backend =
      CreateEglBackend(options);
  // A device asked for by index is a choice: auto must not fall back.
  if (!backend.ok() && options.egl_device >= 0) {
    return NoAutoFallback(backend.status());
  }
  return backend;
}

[[maybe_unused]] const bool kRegistered = RenderBackends().Register(
    "egl",
    "a GPU through EGL's device platform, no X server (an EGL device index "
    "picks one)",
    /*auto_priority=*/300, &CreateEgl);

}  // namespace

std::string DescribeDevices(const std::vector<Device>& devices) {
  std::vector<std::string> entries;
  for (size_t i = 0; i < devices.size(); ++i) {
    const Device& device = devices[i];
    entries.push_back(absl::StrCat(
        i, ": ",
        device.is_software()      ? "Mesa's software rasterizer (not a GPU)"
        : device.drm_file.empty() ? "a GPU without a DRM device file"
                                  : device.drm_file));
  }
  return entries.empty() ? "none" : absl::StrJoin(entries, ", ");
}

absl::StatusOr<int> PickDevice(const std::vector<Device>& devices,
                               int requested) {
  const int count = static_cast<int>(devices.size());
  if (requested >= 0) {
    if (requested >= count) {
      return absl::InvalidArgumentError(
          absl::StrCat("EGL device ", requested, " does not exist: EGL lists ",
                       count, " device(s) here (", DescribeDevices(devices),
                       "); pick one of those, or -1 for the first GPU"));
    }
    if (devices[requested].is_software()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "EGL device ", requested,
          " is Mesa's software rasterizer, not a GPU, and the egl backend "
          "renders on GPUs only: use the llvmpipe render backend to render on "
          "the CPU (or pick a GPU among: ",
          DescribeDevices(devices), ")"));
    }
    return requested;
  }
  for (int i = 0; i < count; ++i) {
    if (!devices[i].is_software()) return i;
  }
  return absl::UnavailableError(absl::StrCat(
      "no GPU EGL device exists on this machine (EGL lists ", count,
      " device(s): ", DescribeDevices(devices), "): ", kHint));
}

std::string SoftwareRendererWarning(const std::string& gl_renderer) {
  if (!IsSoftwareRenderer(gl_renderer)) return "";
  return absl::StrCat(
      "warning: render backend egl got the software OpenGL renderer \"",
      gl_renderer,
      "\" from a hardware EGL device, so frames are drawn on the CPU; check "
      "the GPU driver, or choose the llvmpipe render backend if that is "
      "intended");
}

}  // namespace egl
}  // namespace rl
