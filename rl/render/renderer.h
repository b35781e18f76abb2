// Renderer: turns a Canvas into a Frame with OpenGL, offscreen.
//
// One code path (OpenGL 3.3 core) for every backend: the backend only
// supplies the current context. The canvas is scaled to the renderer's frame
// size and drawn antialiased (multisampled framebuffer, resolved before
// readback). Frames come out top row first, packed RGB.
//
// A Renderer owns its backend and its GL objects; it is used from one thread
// at a time. Each call makes its context current and releases it before
// returning (about 10 us on llvmpipe), so a renderer may be created, used and
// destroyed on different threads, and leaves no context current behind.
//
// Shapes with non-finite coordinates, no area, a radius or width <= 0, or
// alpha 0 draw nothing. Lines stay at least one frame pixel wide.
//
// Example:
//   RL_ASSIGN_OR_RETURN(auto backend, RenderBackends().Create("llvmpipe"));
//   RL_ASSIGN_OR_RETURN(auto renderer,
//                       Renderer::Create(std::move(backend), {600, 400}));
//   Frame frame;
//   RL_RETURN_IF_ERROR(renderer->Render(canvas, &frame));
#ifndef RL_RENDER_RENDERER_H_
#define RL_RENDER_RENDERER_H_

#include <memory>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "rl/canvas/canvas.h"
#include "rl/core/frame.h"
#include "rl/render/render_backend.h"

namespace rl {

struct RendererOptions {
  int width = 600;  // Frame size in pixels, 1..8192 each.
  int height = 400;
  // 0 or 1 turns antialiasing off; more than the driver's GL_MAX_SAMPLES
  // (4 on llvmpipe) is clamped to it.
  int msaa_samples = 4;
};

class Renderer {
 public:
  // Fails with InvalidArgument on a bad size, or with the backend's error
  // when no context can be made.
  static absl::StatusOr<std::unique_ptr<Renderer>> Create(
      std::unique_ptr<RenderBackend> backend, const RendererOptions& options);

  virtual ~Renderer() = default;

  // Draws `canvas` (scaled to the frame size) and reads the pixels back into
  // `frame`, which is resized as needed (reuse one Frame to avoid
  // allocation).
  virtual absl::Status Render(const Canvas& canvas, Frame* frame) = 0;

  virtual const RenderBackend& backend() const = 0;
  virtual int width() const = 0;
  virtual int height() const = 0;
};

}  // namespace rl

#endif  // RL_RENDER_RENDERER_H_
