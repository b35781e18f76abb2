// RenderBackend: one way to obtain an OpenGL context with no screen, of the
// profile a scene renderer asks for (RenderBackendOptions::gl_profile):
// OpenGL 3.3 core for the 2D Renderer (renderer.h), OpenGL 3.3 compatibility
// for renderers that use legacy OpenGL (MuJoCo's mjr_*, rl/render/mujoco).
//
// A backend only creates a context and makes it current; all drawing is done
// by the scene renderers, the same code for every backend. Each
// backend lives in a folder of its own (rl/render/egl, llvmpipe, glx) and
// registers itself in RenderBackends() with a name, a one-line description
// and an auto priority; everything that lists backends (KnownNames(), auto's
// order, a binary's --list and flag help, the valid values in errors, the
// conformance suite) reads this registry. "auto", the registry's own entry,
// creates the first backend that works, by auto priority.
//
// A binary links //rl/render:backends for all of them; a build with
// --config=no_egl / no_glx / no_llvmpipe (.bazelrc) leaves one out, and the
// registry then says so by name instead of calling it unknown. Adding a
// backend: rl/render/README.md.
//
// Example:
//   RenderBackendOptions options;
//   options.egl_device = 1;  // The second EGL device, on a multi-GPU box.
//   options.gl_profile = GlProfile::kCompatibility;  // For legacy GL.
//   RL_ASSIGN_OR_RETURN(std::unique_ptr<RenderBackend> backend,
//                       RenderBackends().Create("auto", options));
//   RL_RETURN_IF_ERROR(backend->MakeCurrent());
#ifndef RL_RENDER_RENDER_BACKEND_H_
#define RL_RENDER_RENDER_BACKEND_H_

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "rl/core/registry.h"

namespace rl {

// The OpenGL profile of a backend's context.
enum class GlProfile {
  // OpenGL 3.3 or newer, core profile: the 2D Renderer's.
  kCore,
  // OpenGL 3.3 or newer, compatibility profile: core plus the legacy
  // fixed-function API, for renderers written against it (MuJoCo's).
  kCompatibility,
};

// "core" or "compatibility", for messages.
const char* GlProfileName(GlProfile profile);

class RenderBackend {
 public:
  virtual ~RenderBackend() = default;

  // The registered name of the backend that made the context, e.g.
  // "llvmpipe" (never "auto": auto returns the backend it chose).
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

  // The profile of the context: the one RenderBackendOptions::gl_profile
  // asked for (a backend that cannot give it fails to create, never hands
  // out another).
  virtual GlProfile gl_profile() const = 0;
};

// Whether `gl_renderer` (a GL_RENDERER string) names a software rasterizer
// (llvmpipe, softpipe, swrast, SwiftShader, ...), not a GPU.
bool IsSoftwareRenderer(absl::string_view gl_renderer);

// What a backend may be told at creation; each backend reads what concerns
// it and ignores the rest.
struct RenderBackendOptions {
  // egl: index of the EGL device to use, as listed in egl's errors; -1 picks
  // the first GPU (hardware) device.
  int egl_device = -1;
  // The profile of the context, as the scene renderer that will use it
  // needs: kCore for Renderer, kCompatibility for legacy-GL renderers.
  // Every backend honours it or fails with Unavailable saying why.
  GlProfile gl_profile = GlProfile::kCore;
  // Where auto's choice and warnings (a software GL_RENDERER on egl) go, one
  // line per call; unset means standard error.
  std::function<void(absl::string_view)> log;
};

// Sends `line` to options.log, or, when that is unset, to standard error the
// first time this process logs that line.
void LogRenderBackendLine(const RenderBackendOptions& options,
                          absl::string_view line);

// Whether lines LogRenderBackendLine() sends to standard error (no
// options.log) are printed: true unless a binary was asked for errors only
// (train --quiet). A backend's errors are statuses, never these lines.
void ShowRenderBackendNotices(bool show);

// Marks `status` (an error of a backend's factory) as final for auto: the
// options named something that does not work (an EGL device asked for by
// index), so auto returns this error instead of trying the next backend.
absl::Status NoAutoFallback(absl::Status status);
bool IsNoAutoFallback(const absl::Status& status);

// The name of the backend whose creation failed with `status`, as
// RenderBackendRegistry::Create() marks its errors (also for a name that is
// not built in); empty for any other status. Lets a flags layer say which
// of its flags the error is about.
std::string RenderBackendOfError(const absl::Status& status);

// The backends built into a binary, by name; see the file comment.
class RenderBackendRegistry {
 public:
  using Factory = std::function<absl::StatusOr<std::unique_ptr<RenderBackend>>(
      const RenderBackendOptions&)>;

  // The auto priority of a backend that auto never tries (auto itself, test
  // doubles).
  static constexpr int kNotTriedByAuto = 0;

  // `project_backends`: every backend this project has, built in or not, as
  // (name, Bazel target) pairs: so that a name the binary lacks is reported
  // as "not built into this binary", naming its target, not as unknown. The
  // default is the list in rl/render/BUILD.
  using BackendTargets = std::vector<std::pair<std::string, std::string>>;
  RenderBackendRegistry();
  explicit RenderBackendRegistry(BackendTargets project_backends);

  // Registers a backend; returns true (to initialise a namespace-scope
  // constant), or false if `name` was taken. `description` is one line for
  // --list and flag help. Auto tries the backends with a positive
  // `auto_priority`, highest first (ties by name): egl (a GPU) 300,
  // llvmpipe (the CPU) 200, glx (needs an X server) 100.
  bool Register(std::string name, std::string description, int auto_priority,
                Factory factory);
  // Records that backend `name` was left out of this binary at build time;
  // `how` says how, e.g. "built with --config=no_glx".
  bool RegisterNotBuilt(std::string name, std::string how);

  // Built-in backends (auto included), sorted; and whether one is built in.
  std::vector<std::string> Names() const { return registry_.Names(); }
  bool Contains(absl::string_view name) const {
    return registry_.Contains(name);
  }
  // The one-line description `name` registered with; auto's names the
  // backends it tries, in order.
  std::string Description(absl::string_view name) const;
  // `name`'s auto priority; kNotTriedByAuto for names not built in.
  int AutoPriority(absl::string_view name) const;

  // The built-in backends auto tries, in the order it tries them.
  std::vector<std::string> AutoOrder() const;

  // Every backend this project has, built in or not, and those built in
  // (test doubles too), sorted: auto, egl, glx, llvmpipe, ...
  std::vector<std::string> KnownNames() const;

  // The project's backends that are not built into this binary, sorted.
  std::vector<std::string> NotBuiltNames() const;

  // OK if `name` is built in. Otherwise InvalidArgument naming what was
  // asked for, whether it was left out of the build (and how) or is not a
  // backend at all, the valid values, and which backends work on this
  // machine (found by trying each, so the error path costs a few hundred
  // ms: it may start Xvfb).
  absl::Status CheckName(absl::string_view name,
                         const RenderBackendOptions& options = {}) const;

  // Creates backend `name`; a name that is not built in fails as CheckName.
  // Errors carry the name for RenderBackendOfError().
  absl::StatusOr<std::unique_ptr<RenderBackend>> Create(
      absl::string_view name, const RenderBackendOptions& options = {}) const;

  // One line per built-in backend but auto: "llvmpipe: works (llvmpipe (LLVM
  // 15.0.6, 256 bits))" or "egl: unavailable: <why>". Creates (and drops)
  // each backend to find out.
  std::vector<std::string> Probe(const RenderBackendOptions& options) const;

  // True the first time `line` is asked about in this process: backends'
  // notices to standard error are printed once (LogRenderBackendLine).
  bool FirstTimeLogged(absl::string_view line);

 private:
  std::string NotBuiltHow(absl::string_view name) const;

  Registry<RenderBackend, const RenderBackendOptions&> registry_;
  const BackendTargets project_backends_;
  mutable absl::Mutex mutex_;
  std::map<std::string, int, std::less<>> auto_priority_
      ABSL_GUARDED_BY(mutex_);
  std::set<std::string> logged_ ABSL_GUARDED_BY(mutex_);
  std::vector<std::pair<std::string, std::string>> not_built_
      ABSL_GUARDED_BY(mutex_);
};

// The process-wide registry of backends built into this binary.
RenderBackendRegistry& RenderBackends();

}  // namespace rl

#endif  // RL_RENDER_RENDER_BACKEND_H_
