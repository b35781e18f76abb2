// The "egl" render backend's device choice, exposed for its tests. Internal
// to //rl/render/egl.
#ifndef RL_RENDER_EGL_EGL_BACKEND_H_
#define RL_RENDER_EGL_EGL_BACKEND_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "rl/render/egl_util.h"

namespace rl {
namespace egl {

// "0: /dev/dri/card0", "1: Mesa's software rasterizer (not a GPU)": one
// entry per device, for messages.
std::string DescribeDevices(const std::vector<Device>& devices);

// Which of `devices` the egl backend uses. `requested` >= 0 is an index into
// `devices` (RenderBackendOptions::egl_device); it must exist and not be
// Mesa's software device (InvalidArgument naming the llvmpipe backend
// otherwise). -1
// takes the first hardware device, Unavailable if there is none.
absl::StatusOr<int> PickDevice(const std::vector<Device>& devices,
                               int requested);

// The warning egl logs when a hardware device's driver still gave a software
// GL_RENDERER; empty when `gl_renderer` is a GPU.
std::string SoftwareRendererWarning(const std::string& gl_renderer);

}  // namespace egl
}  // namespace rl

#endif  // RL_RENDER_EGL_EGL_BACKEND_H_
