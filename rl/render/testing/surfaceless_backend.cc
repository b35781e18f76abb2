// The "surfaceless" render backend, for tests only: Mesa's llvmpipe reached
// through EGL's surfaceless platform (EGL_MESA_platform_surfaceless) instead
// of the device platform the llvmpipe backend uses. A real backend (a context
// of its own, on a display of its own) that proves what adding one takes:
// this folder, plus one dep line in the binary that should carry it (here,
// //tests:render_conformance_test, which then runs its suite on it too).
#include <EGL/egl.h>

#include <memory>
#include <utility>

#include "absl/status/statusor.h"
#include "rl/core/status_macros.h"
#include "rl/render/egl_util.h"
#include "rl/render/render_backend.h"

namespace rl {
namespace {

constexpr char kHint[] =
    "install libegl-mesa0 and libgl1-mesa-dri (the project's setup script "
    "does)";

absl::StatusOr<std::unique_ptr<RenderBackend>> CreateSurfaceless(
    const RenderBackendOptions& options) {
  RL_ASSIGN_OR_RETURN(EGLDisplay display, egl::GetSurfacelessDisplay(kHint));
  RL_ASSIGN_OR_RETURN(egl::DisplayRef display_ref,
                      egl::DisplayRef::Acquire(display, kHint));
  RL_ASSIGN_OR_RETURN(
      std::unique_ptr<egl::EglBackend> backend,
      egl::EglBackend::Create("surfaceless", std::move(display_ref), kHint,
                              options.gl_profile));
  return std::unique_ptr<RenderBackend>(std::move(backend));
}

// Auto never picks a test double.
[[maybe_unused]] const bool kRegistered = RenderBackends().Register(
    "surfaceless",
    "test only: Mesa through EGL's surfaceless platform, no X server",
    RenderBackendRegistry::kNotTriedByAuto, &CreateSurfaceless);

}  // namespace
}  // namespace rl
