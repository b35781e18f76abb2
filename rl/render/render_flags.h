// The render flags every binary that renders takes (train, play), in one
// place, with the same names, defaults and help everywhere:
//   --render_backend=auto  how to get an OpenGL context (help lists the
//                          registered backends, RenderBackends())
//   --egl_device=-1        the EGL device (GPU) egl uses; -1: the first GPU
//   --size=                frame size WIDTHxHEIGHT; empty: the env's own
//   --fit=letterbox        a 2D env at another aspect ratio: letterbox or
//                          stretch
//   --overlay              draw env id, episode, step and return in frames
//   --overlay_label=       a label of the user's drawn in frames
//   --scene_options=       the look of 3D (MuJoCo) envs: shadows,
//                          reflections, skybox, multisamples, shadow_size
//
// Library code below this layer never names a flag in its errors; this
// layer adds the flag (RenderFlagsFromCommandLine, WithRenderFlagContext).
//
// Example:
//   absl::ParseCommandLine(argc, argv);
//   absl::StatusOr<rl::RenderFlags> render = rl::RenderFlagsFromCommandLine();
//   if (!render.ok()) { ... print render.status(), exit 2 ... }
//   options.render_backend = render->render_backend;
#ifndef RL_RENDER_RENDER_FLAGS_H_
#define RL_RENDER_RENDER_FLAGS_H_

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rl/render/mujoco/mujoco_renderer.h"
#include "rl/render/renderer.h"

namespace rl {

// The render flags' values, checked.
struct RenderFlags {
  std::string render_backend = "auto";  // Built into this binary.
  int egl_device = -1;                  // -1, or a device index >= 0.
  int width = 0;                        // Both 0: the env's own size.
  int height = 0;
  Fit fit = Fit::kLetterbox;  // 2D envs at a --size of another aspect.
  bool overlay = false;
  std::string overlay_label;
  // 3D envs' look, checked (rl/render/mujoco/mujoco_renderer.h; size and
  // format are set by whoever renders).
  MujocoRendererOptions scene;
};

// The flags' values, or InvalidArgument naming the flag and its value, e.g.
// "--render_backend=foo: unknown render backend 'foo': valid values are
// auto, egl, glx, llvmpipe; on this machine: ...".
absl::StatusOr<RenderFlags> RenderFlagsFromCommandLine();

// `status` with the render flags in front of its message ("--render_backend=
// egl --egl_device=3: EGL device 3 does not exist ...") when it is the error
// of a render backend's creation (RenderBackendOfError); else `status`.
absl::Status WithRenderFlagContext(const absl::Status& status,
                                   const RenderFlags& flags);

// A frame size "WIDTHxHEIGHT" (e.g. "600x400"), each side 1..8192; ""
// means the env's own size (0x0).
absl::StatusOr<std::pair<int, int>> ParseFrameSize(absl::string_view text);

// --render_backend's help: every backend built in, with its description.
std::string RenderBackendFlagHelp();

}  // namespace rl

#endif  // RL_RENDER_RENDER_FLAGS_H_
