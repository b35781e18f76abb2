// The "glx" render backend: an OpenGL 3.3 context (core, or compatibility
// when asked) through GLX on an X server, the stack the seed used (Xvfb +
// GLX), without the Python.
//
// With $DISPLAY set it connects there and fails loudly if it cannot (it does
// not quietly start another server). Without, it starts a private Xvfb
// (xvfb.h), shared by every glx backend of the process and stopped when the
// last one goes. The context renders into framebuffer objects only; a 1x1
// pbuffer is its drawable because GLX wants one.
//
// Xlib's default error handler exits the process; this backend installs one
// (once per process) that records the error for the failing call instead.
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "rl/core/status_macros.h"
#include "rl/render/canvas_gl.h"
#include "rl/render/glx/xvfb.h"
#include "rl/render/render_backend.h"

// Last: Xlib defines macros (Status, Bool, None) that clash with Abseil.
#include <GL/glx.h>
#include <GL/glxext.h>
#include <X11/Xlib.h>
#undef Status

namespace rl {
namespace {

constexpr char kHint[] =
    "use the llvmpipe render backend, which needs no X server";

// The last X error on this thread, as text; empty if none since Clear.
thread_local std::string last_x_error;

int RecordXError(Display* display, XErrorEvent* event) {
  char text[256] = "";
  XGetErrorText(display, event->error_code, text, sizeof(text));
  last_x_error =
      absl::StrCat(text, " (X error ", static_cast<int>(event->error_code),
                   ", request ", static_cast<int>(event->request_code), ")");
  return 0;
}

void InitXlibOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    XInitThreads();
    XSetErrorHandler(&RecordXError);
  });
}

std::string XErrorSuffix() {
  return last_x_error.empty() ? "" : absl::StrCat(": ", last_x_error);
}

class GlxBackend : public RenderBackend {
 public:
  static absl::StatusOr<std::unique_ptr<RenderBackend>> Create(
      const RenderBackendOptions& options);
  ~GlxBackend() override;

  std::string name() const override { return "glx"; }
  absl::Status MakeCurrent() override;
  absl::Status ReleaseCurrent() override;
  std::string gl_renderer() const override { return gl_renderer_; }
  std::string gl_version() const override { return gl_version_; }
  GlProfile gl_profile() const override { return profile_; }

 private:
  explicit GlxBackend(GlProfile profile) : profile_(profile) {}
  absl::Status Init();

  const GlProfile profile_;
  std::shared_ptr<XvfbServer> xvfb_;  // Null when $DISPLAY is used.
  std::string display_name_;
  Display* display_ = nullptr;
  GLXPbuffer pbuffer_ = 0;
  GLXContext context_ = nullptr;
  std::string gl_renderer_;
  std::string gl_version_;
  // The thread the context is current on, if any. Mesa's GLX lets a second
  // thread make a context current while it still is on the first, which is
  // undefined behaviour; EGL refuses (EGL_BAD_ACCESS), and so do we.
  std::mutex owner_mutex_;
  std::thread::id owner_;
};

absl::StatusOr<std::unique_ptr<RenderBackend>> GlxBackend::Create(
    const RenderBackendOptions& options) {
  InitXlibOnce();
  std::unique_ptr<GlxBackend> backend(new GlxBackend(options.gl_profile));
  const char* display = std::getenv("DISPLAY");
  std::string where;
  if (display != nullptr && display[0] != '\0') {
    backend->display_name_ = display;
    where = absl::StrCat("X display '", display, "' (from $DISPLAY)");
  } else {
    RL_ASSIGN_OR_RETURN(backend->xvfb_, SharedXvfb());
    backend->display_name_ = backend->xvfb_->display_name();
    where = absl::StrCat("the private Xvfb on ", backend->display_name_);
  }
  backend->display_ = XOpenDisplay(backend->display_name_.c_str());
  if (backend->display_ == nullptr) {
    return absl::UnavailableError(absl::StrCat(
        "cannot connect to ", where,
        ": is the X server running, and may this user connect (xhost, "
        "XAUTHORITY)? Unset DISPLAY to let the glx backend start its own "
        "Xvfb, or ",
        kHint));
  }
  absl::Status status = backend->Init();
  if (!status.ok()) {
    return absl::Status(status.code(),
                        absl::StrCat("glx on ", where, ": ", status.message()));
  }
  return std::unique_ptr<RenderBackend>(std::move(backend));
}

absl::Status GlxBackend::Init() {
  int error_base = 0;
  int event_base = 0;
  int major = 0;
  int minor = 0;
  if (!glXQueryExtension(display_, &error_base, &event_base) ||
      !glXQueryVersion(display_, &major, &minor)) {
    return absl::UnavailableError(absl::StrCat(
        "the X server has no GLX extension (start Xvfb with +extension GLX); ",
        kHint));
  }
  if (major < 1 || (major == 1 && minor < 3)) {
    return absl::UnavailableError(
        absl::StrCat("GLX ", major, ".", minor,
                     " is too old: 1.3 or newer is needed; ", kHint));
  }
  const int screen = DefaultScreen(display_);
  const char* extensions = glXQueryExtensionsString(display_, screen);
  const std::string padded =
      absl::StrCat(" ", extensions ? extensions : "", " ");
  auto create_context =
      reinterpret_cast<PFNGLXCREATECONTEXTATTRIBSARBPROC>(glXGetProcAddressARB(
          reinterpret_cast<const GLubyte*>("glXCreateContextAttribsARB")));
  if (padded.find(" GLX_ARB_create_context_profile ") == std::string::npos ||
      create_context == nullptr) {
    return absl::UnavailableError(
        absl::StrCat("GLX cannot create ", GlProfileName(profile_),
                     "-profile contexts (no GLX_ARB_create_context_profile; "
                     "install libglx-mesa0); ",
                     kHint));
  }

  // clang-format off
  const int config_attributes[] = {
      GLX_DRAWABLE_TYPE, GLX_PBUFFER_BIT,
      GLX_RENDER_TYPE, GLX_RGBA_BIT,
      GLX_RED_SIZE, 8,
      GLX_GREEN_SIZE, 8,
      GLX_BLUE_SIZE, 8,
      None,
  };
  // clang-format on
  int count = 0;
  GLXFBConfig* configs =
      glXChooseFBConfig(display_, screen, config_attributes, &count);
  if (configs == nullptr || count < 1) {
    if (configs != nullptr) XFree(configs);
    return absl::UnavailableError(absl::StrCat(
        "glXChooseFBConfig found no RGB8 config with pbuffers; ", kHint));
  }
  const GLXFBConfig config = configs[0];
  XFree(configs);

  const int profile_bit = profile_ == GlProfile::kCore
                              ? GLX_CONTEXT_CORE_PROFILE_BIT_ARB
                              : GLX_CONTEXT_COMPATIBILITY_PROFILE_BIT_ARB;
  // clang-format off
  const int context_attributes[] = {
      GLX_CONTEXT_MAJOR_VERSION_ARB, 3,
      GLX_CONTEXT_MINOR_VERSION_ARB, 3,
      GLX_CONTEXT_PROFILE_MASK_ARB, profile_bit,
      None,
  };
  const int pbuffer_attributes[] = {
      GLX_PBUFFER_WIDTH, 1,
      GLX_PBUFFER_HEIGHT, 1,
      None,
  };
  // clang-format on
  last_x_error.clear();
  context_ =
      create_context(display_, config, nullptr, True, context_attributes);
  XSync(display_, False);
  if (context_ == nullptr) {
    return absl::UnavailableError(absl::StrCat(
        "glXCreateContextAttribsARB (OpenGL 3.3 ", GlProfileName(profile_),
        " profile) failed", XErrorSuffix(),
        profile_ == GlProfile::kCompatibility
            ? " (the driver may offer no compatibility profile)"
            : "",
        "; ", kHint));
  }
  pbuffer_ = glXCreatePbuffer(display_, config, pbuffer_attributes);
  XSync(display_, False);
  if (pbuffer_ == 0) {
    return absl::UnavailableError(absl::StrCat("glXCreatePbuffer (1x1) failed",
                                               XErrorSuffix(), "; ", kHint));
  }

  // Read the GL strings, then put back whatever the thread had current.
  Display* previous_display = glXGetCurrentDisplay();
  const GLXContext previous_context = glXGetCurrentContext();
  const GLXDrawable previous_draw = glXGetCurrentDrawable();
  const GLXDrawable previous_read = glXGetCurrentReadDrawable();
  absl::Status status = MakeCurrent();
  if (status.ok()) {
    const GLubyte* renderer = glGetString(GL_RENDERER);
    const GLubyte* version = glGetString(GL_VERSION);
    if (renderer == nullptr || version == nullptr) {
      status = absl::UnavailableError(absl::StrCat(
          "glGetString(GL_RENDERER/GL_VERSION) returned nothing with the "
          "GLX context current; ",
          kHint));
    } else {
      gl_renderer_ = reinterpret_cast<const char*>(renderer);
      gl_version_ = reinterpret_cast<const char*>(version);
      if (std::string mismatch = gl::ProfileMismatch(profile_, gl_version_);
          !mismatch.empty()) {
        status = absl::UnavailableError(absl::StrCat(mismatch, "; ", kHint));
      }
    }
  }
  if (previous_context != nullptr) {
    glXMakeContextCurrent(previous_display, previous_draw, previous_read,
                          previous_context);
    std::lock_guard<std::mutex> lock(owner_mutex_);
    owner_ = std::thread::id();
  } else {
    const absl::Status released = ReleaseCurrent();
    if (status.ok()) status = released;
  }
  return status;
}

GlxBackend::~GlxBackend() {
  if (display_ != nullptr) {
    if (context_ != nullptr) {
      if (glXGetCurrentContext() == context_) {
        glXMakeContextCurrent(display_, None, None, nullptr);
      }
      // A context current on another thread is destroyed once released
      // there (GLX defers it).
      glXDestroyContext(display_, context_);
    }
    if (pbuffer_ != 0) glXDestroyPbuffer(display_, pbuffer_);
    XCloseDisplay(display_);
  }
  // xvfb_ goes last: the X connection is closed before the server stops.
}

absl::Status GlxBackend::MakeCurrent() {
  std::lock_guard<std::mutex> lock(owner_mutex_);
  const std::thread::id self = std::this_thread::get_id();
  if (owner_ != std::thread::id() && owner_ != self) {
    return absl::FailedPreconditionError(
        "the glx context is current on another thread: release it there "
        "(ReleaseCurrent) before making it current here");
  }
  if (owner_ == self && glXGetCurrentContext() == context_) {
    return absl::OkStatus();
  }
  last_x_error.clear();
  if (!glXMakeContextCurrent(display_, pbuffer_, pbuffer_, context_)) {
    return absl::UnavailableError(absl::StrCat(
        "glXMakeContextCurrent (making the glx context current) failed",
        XErrorSuffix()));
  }
  owner_ = self;
  return absl::OkStatus();
}

absl::Status GlxBackend::ReleaseCurrent() {
  std::lock_guard<std::mutex> lock(owner_mutex_);
  if (owner_ != std::this_thread::get_id()) return absl::OkStatus();
  owner_ = std::thread::id();
  if (glXGetCurrentContext() != context_) return absl::OkStatus();
  last_x_error.clear();
  if (!glXMakeContextCurrent(display_, None, None, nullptr)) {
    return absl::UnavailableError(
        absl::StrCat("glXMakeContextCurrent (releasing the glx context) failed",
                     XErrorSuffix()));
  }
  return absl::OkStatus();
}

[[maybe_unused]] const bool kRegistered = RenderBackends().Register(
    "glx",
    "GLX on an X server: $DISPLAY, or a private Xvfb it starts and stops",
    /*auto_priority=*/100, &GlxBackend::Create);

}  // namespace
}  // namespace rl
