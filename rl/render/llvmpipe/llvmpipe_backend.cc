// The "llvmpipe" render backend: Mesa's CPU rasterizer through EGL, with no X
// server and no GPU. Picks the EGL device that is Mesa's software device
// (EGL_MESA_device_software); where the EGL library cannot enumerate devices,
// falls back to Mesa's surfaceless platform.
#include <EGL/egl.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "rl/core/status_macros.h"
#include "rl/render/egl_util.h"
#include "rl/render/render_backend.h"

namespace rl {
namespace {

constexpr char kHint[] =
    "install libegl-mesa0 and libgl1-mesa-dri (the project's setup script "
    "does), or try the glx render backend";

// The display of Mesa's software device, else the surfaceless platform's.
absl::StatusOr<EGLDisplay> SoftwareDisplay() {
  // No hints inside: the combined error gets kHint once.
  absl::StatusOr<std::vector<egl::Device>> devices = egl::QueryDevices("");
  std::string why_not_device;
  if (devices.ok()) {
    for (const egl::Device& device : *devices) {
      if (device.is_software()) return egl::GetDeviceDisplay(device, kHint);
    }
    why_not_device = absl::StrCat(
        "none of the ", devices->size(),
        " EGL devices is Mesa's software device (EGL_MESA_device_software)");
  } else {
    why_not_device = std::string(devices.status().message());
  }
  absl::StatusOr<EGLDisplay> surfaceless = egl::GetSurfacelessDisplay("");
  if (surfaceless.ok()) return surfaceless;
  return egl::Unavailable(
      absl::StrCat("no EGL display for Mesa's llvmpipe: ", why_not_device,
                   "; and the surfaceless fallback failed too: ",
                   surfaceless.status().message()),
      kHint);
}

absl::StatusOr<std::unique_ptr<RenderBackend>> CreateLlvmpipe(
    const RenderBackendOptions& options) {
  RL_ASSIGN_OR_RETURN(EGLDisplay display, SoftwareDisplay());
  RL_ASSIGN_OR_RETURN(egl::DisplayRef display_ref,
                      egl::DisplayRef::Acquire(display, kHint));
  RL_ASSIGN_OR_RETURN(
      std::unique_ptr<egl::EglBackend> backend,
      egl::EglBackend::Create("llvmpipe", std::move(display_ref), kHint,
                              options.gl_profile));
  // The surfaceless platform prefers a GPU when there is one; llvmpipe (or,
  // with GALLIUM_DRIVER=softpipe, its slower sibling) is what was asked for.
  const std::string& renderer = backend->gl_renderer();
  if (!absl::StrContains(renderer, "llvmpipe") &&
      !absl::StrContains(renderer, "softpipe")) {
    return absl::UnavailableError(absl::StrCat(
        "the llvmpipe backend got the OpenGL renderer \"", renderer,
        "\", not Mesa's software rasterizer: set LIBGL_ALWAYS_SOFTWARE=1, or "
        "use a GPU render backend (such as egl) for this GPU"));
  }
  return std::unique_ptr<RenderBackend>(std::move(backend));
}

[[maybe_unused]] const bool kRegistered = RenderBackends().Register(
    "llvmpipe", "Mesa's llvmpipe CPU rasterizer through EGL, no X server",
    /*auto_priority=*/200, &CreateLlvmpipe);

}  // namespace
}  // namespace rl
