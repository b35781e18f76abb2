// EGL boilerplate shared by the EGL-based render backends (llvmpipe, and egl
// for GPUs): error names, device enumeration, reference-counted display
// initialisation, and an OpenGL 3.3 context (core or compatibility profile)
// with no surface.
//
// A backend differs only in which display it picks; the rest is EglBackend:
//
//   RL_ASSIGN_OR_RETURN(std::vector<egl::Device> devices,
//                       egl::QueryDevices(kHint));
//   ... pick one ...
//   RL_ASSIGN_OR_RETURN(EGLDisplay display,
//                       egl::GetDeviceDisplay(device, kHint));
//   RL_ASSIGN_OR_RETURN(egl::DisplayRef ref,
//                       egl::DisplayRef::Acquire(display, kHint));
//   RL_ASSIGN_OR_RETURN(
//       auto backend, egl::EglBackend::Create("name", std::move(ref), kHint,
//                                             options.gl_profile));
//
// Internal to rl/render: only its backend folders (egl/, llvmpipe/,
// testing/) include it.
#ifndef RL_RENDER_EGL_UTIL_H_
#define RL_RENDER_EGL_UTIL_H_

#include <EGL/egl.h>
#include <EGL/eglext.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rl/render/render_backend.h"

namespace rl {
namespace egl {

// "EGL_BAD_MATCH" for EGL_BAD_MATCH, "EGL error 0x1234" for unknown codes.
std::string ErrorName(EGLint error);

// Every function here that can fail takes a `hint`: what the user can do
// about a failure (install this, try that backend), appended to the message.
// An empty hint leaves it off, for callers that combine several errors.

// UnavailableError("<message>: <hint>"), or just the message without a hint.
absl::Status Unavailable(absl::string_view message, absl::string_view hint);

// An error for a failed EGL call: "<what> failed (EGL_BAD_MATCH): <hint>",
// with the code read from (and cleared by) eglGetError(). `what` names the
// call and why it was made.
absl::Status EglError(absl::string_view what, absl::string_view hint);

// Whether the space-separated `extensions` (may be null) has `name`.
bool HasExtension(const char* extensions, absl::string_view name);

// Client extensions (eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS)); empty
// if the EGL library has none.
std::string ClientExtensions();

struct Device {
  EGLDeviceEXT handle = EGL_NO_DEVICE_EXT;
  std::string extensions;  // e.g. "EGL_MESA_device_software".
  std::string drm_file;    // e.g. "/dev/dri/card0"; empty for software.
  bool is_software() const;
};

// The EGL devices of every vendor (EGL_EXT_device_enumeration). Unavailable
// if the EGL library cannot enumerate devices.
absl::StatusOr<std::vector<Device>> QueryDevices(absl::string_view hint);

// The (not yet initialised) display of `device`, through
// eglGetPlatformDisplayEXT(EGL_PLATFORM_DEVICE_EXT, ...). Displays are
// per-device and per-process: asking twice gives the same EGLDisplay.
absl::StatusOr<EGLDisplay> GetDeviceDisplay(const Device& device,
                                            absl::string_view hint);

// The display of Mesa's surfaceless platform (EGL_MESA_platform_surfaceless).
absl::StatusOr<EGLDisplay> GetSurfacelessDisplay(absl::string_view hint);

// A counted use of an initialised display. eglInitialize and eglTerminate act
// on the whole process (displays are per device, per process), and
// terminating a display destroys every context on it, including other
// backends'. So a display is initialised by its first DisplayRef and never
// terminated while one is alive. Move-only.
//
// When the last DisplayRef goes, the display stays initialised anyway until
// TerminateUnusedDisplays() (or process exit, where Mesa terminates it).
// Re-initialising Mesa costs ~15 ms (it dlopens the driver again) and each
// initialise/terminate cycle of Mesa 22.3's llvmpipe loses ~100 bytes held by
// the unloaded driver; renderers come and go often (one per env), displays
// need not.
class DisplayRef {
 public:
  DisplayRef() = default;
  // Initialises `display` unless another DisplayRef already holds it.
  static absl::StatusOr<DisplayRef> Acquire(EGLDisplay display,
                                            absl::string_view hint);
  DisplayRef(DisplayRef&& other) noexcept;
  DisplayRef& operator=(DisplayRef&& other) noexcept;
  DisplayRef(const DisplayRef&) = delete;
  DisplayRef& operator=(const DisplayRef&) = delete;
  ~DisplayRef();

  EGLDisplay get() const { return display_; }
  // Display extensions (eglQueryString(display, EGL_EXTENSIONS)).
  std::string extensions() const;

 private:
  explicit DisplayRef(EGLDisplay display) : display_(display) {}
  void Reset();

  EGLDisplay display_ = EGL_NO_DISPLAY;
};

// Terminates every display initialised through DisplayRef that no DisplayRef
// holds now, unloading the driver; returns how many. For long-lived processes
// that are done rendering and want the memory back.
int TerminateUnusedDisplays();

// An OpenGL 3.3 context of the requested profile on a display, with no
// surface: rendering goes to framebuffer objects only
// (EGL_KHR_surfaceless_context).
class EglBackend : public RenderBackend {
 public:
  // Creates the context and reads GL_RENDERER and GL_VERSION from it; checks
  // that the context has `profile` (GL_CONTEXT_PROFILE_MASK), Unavailable
  // if the driver gave another or none. Leaves the calling thread's current
  // context as it was.
  static absl::StatusOr<std::unique_ptr<EglBackend>> Create(std::string name,
                                                            DisplayRef display,
                                                            std::string hint,
                                                            GlProfile profile);
  ~EglBackend() override;

  std::string name() const override { return name_; }
  absl::Status MakeCurrent() override;
  absl::Status ReleaseCurrent() override;
  std::string gl_renderer() const override { return gl_renderer_; }
  std::string gl_version() const override { return gl_version_; }
  GlProfile gl_profile() const override { return profile_; }

  EGLDisplay display() const { return display_.get(); }
  EGLContext context() const { return context_; }

 private:
  EglBackend(std::string name, DisplayRef display, std::string hint,
             GlProfile profile)
      : name_(std::move(name)),
        display_(std::move(display)),
        hint_(std::move(hint)),
        profile_(profile) {}

  // Makes the context current, fills gl_renderer_ and gl_version_ and checks
  // the profile.
  absl::Status ReadGlStrings();

  std::string name_;
  DisplayRef display_;
  std::string hint_;
  GlProfile profile_;
  EGLContext context_ = EGL_NO_CONTEXT;
  std::string gl_renderer_;
  std::string gl_version_;
};

}  // namespace egl
}  // namespace rl

#endif  // RL_RENDER_EGL_UTIL_H_
