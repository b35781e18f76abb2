// RenderBackend: one way to obtain an OpenGL 3.3 core context with no screen.
//
// A backend only creates a context and makes it current; all drawing is done
// by the one Renderer (renderer.h), the same code for every backend. Backends
// register themselves by name (llvmpipe, egl, glx, ...) in RenderBackends()
// and are chosen by the --render_backend flag.
//
// Example:
//   RL_ASSIGN_OR_RETURN(std::unique_ptr<RenderBackend> backend,
//                       RenderBackends().Create("llvmpipe"));
//   RL_RETURN_IF_ERROR(backend->MakeCurrent());
#ifndef RL_RENDER_RENDER_BACKEND_H_
#define RL_RENDER_RENDER_BACKEND_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "rl/core/registry.h"

namespace rl {

class RenderBackend {
 public:
  virtual ~RenderBackend() = default;

  // The registered name, e.g. "llvmpipe".
  virtual std::string name() const = 0;

  // Makes this backend's context current on the calling thread. A context is
  // current on at most one thread at a time; call this before any GL work
  // on a thread, and again after another backend was made current there.
  virtual absl::Status MakeCurrent() = 0;

  // Releases the context from the calling thread (so another thread may make
  // it current).
  virtual absl::Status ReleaseCurrent() = 0;

  // GL_RENDERER and GL_VERSION of the context, e.g. "llvmpipe (LLVM 15.0.6,
  // 256 bits)" and "4.5 (Core Profile) Mesa 22.3.6".
  virtual std::string gl_renderer() const = 0;
  virtual std::string gl_version() const = 0;
};

// Factories take no arguments; options arrive through flags of their own.
using RenderBackendRegistry = Registry<RenderBackend>;

// The process-wide registry of backends built into this binary.
RenderBackendRegistry& RenderBackends();

}  // namespace rl

#endif  // RL_RENDER_RENDER_BACKEND_H_
