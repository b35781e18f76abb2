#include "rl/render/egl_util.h"

#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <GL/glcorearb.h>

#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "rl/core/status_macros.h"
#include "rl/render/canvas_gl.h"

namespace rl {
namespace egl {
namespace {

// Process-wide count of DisplayRefs per display initialised by Acquire.
struct DisplayCounts {
  absl::Mutex mutex;
  std::map<EGLDisplay, int> counts ABSL_GUARDED_BY(mutex);
};

DisplayCounts& Counts() {
  static auto* counts = new DisplayCounts;
  return *counts;
}

// For messages about a missing client extension.
std::string DescribeClientExtensions(const std::string& client) {
  if (client.empty()) {
    return "the EGL library lists no client extensions at all, so GLVND found "
           "no EGL vendor library such as Mesa's";
  }
  return absl::StrCat("client extensions are \"", client, "\"");
}

template <typename Proc>
Proc GetProc(const char* name) {
  return reinterpret_cast<Proc>(eglGetProcAddress(name));
}

}  // namespace

std::string ErrorName(EGLint error) {
  switch (error) {
#define RL_EGL_ERROR_CASE(e) \
  case e:                    \
    return #e;
    RL_EGL_ERROR_CASE(EGL_SUCCESS)
    RL_EGL_ERROR_CASE(EGL_NOT_INITIALIZED)
    RL_EGL_ERROR_CASE(EGL_BAD_ACCESS)
    RL_EGL_ERROR_CASE(EGL_BAD_ALLOC)
    RL_EGL_ERROR_CASE(EGL_BAD_ATTRIBUTE)
    RL_EGL_ERROR_CASE(EGL_BAD_CONFIG)
    RL_EGL_ERROR_CASE(EGL_BAD_CONTEXT)
    RL_EGL_ERROR_CASE(EGL_BAD_CURRENT_SURFACE)
    RL_EGL_ERROR_CASE(EGL_BAD_DISPLAY)
    RL_EGL_ERROR_CASE(EGL_BAD_MATCH)
    RL_EGL_ERROR_CASE(EGL_BAD_NATIVE_PIXMAP)
    RL_EGL_ERROR_CASE(EGL_BAD_NATIVE_WINDOW)
    RL_EGL_ERROR_CASE(EGL_BAD_PARAMETER)
    RL_EGL_ERROR_CASE(EGL_BAD_SURFACE)
    RL_EGL_ERROR_CASE(EGL_CONTEXT_LOST)
    RL_EGL_ERROR_CASE(EGL_BAD_DEVICE_EXT)
#undef RL_EGL_ERROR_CASE
  }
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "EGL error 0x%04x",
                static_cast<unsigned>(error));
  return buffer;
}

absl::Status Unavailable(absl::string_view message, absl::string_view hint) {
  return absl::UnavailableError(
      hint.empty() ? std::string(message) : absl::StrCat(message, ": ", hint));
}

absl::Status EglError(absl::string_view what, absl::string_view hint) {
  return Unavailable(
      absl::StrCat(what, " failed (", ErrorName(eglGetError()), ")"), hint);
}

bool HasExtension(const char* extensions, absl::string_view name) {
  if (extensions == nullptr) return false;
  for (absl::string_view extension :
       absl::StrSplit(extensions, ' ', absl::SkipEmpty())) {
    if (extension == name) return true;
  }
  return false;
}

std::string ClientExtensions() {
  const char* extensions = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
  // Without EGL_EXT_client_extensions this fails with EGL_BAD_DISPLAY; the
  // error is not interesting, so clear it.
  if (extensions == nullptr) eglGetError();
  return extensions == nullptr ? "" : extensions;
}

bool Device::is_software() const {
  return HasExtension(extensions.c_str(), "EGL_MESA_device_software");
}

absl::StatusOr<std::vector<Device>> QueryDevices(absl::string_view hint) {
  const std::string client = ClientExtensions();
  if (!HasExtension(client.c_str(), "EGL_EXT_device_enumeration") &&
      !HasExtension(client.c_str(), "EGL_EXT_device_base")) {
    return Unavailable(
        absl::StrCat("the EGL library cannot enumerate devices (no "
                     "EGL_EXT_device_enumeration; ",
                     DescribeClientExtensions(client), ")"),
        hint);
  }
  auto query_devices = GetProc<PFNEGLQUERYDEVICESEXTPROC>("eglQueryDevicesEXT");
  auto query_device_string =
      GetProc<PFNEGLQUERYDEVICESTRINGEXTPROC>("eglQueryDeviceStringEXT");
  if (query_devices == nullptr || query_device_string == nullptr) {
    return Unavailable(
        "eglGetProcAddress found no eglQueryDevicesEXT or "
        "eglQueryDeviceStringEXT although EGL_EXT_device_enumeration is "
        "advertised",
        hint);
  }
  EGLint count = 0;
  if (!query_devices(0, nullptr, &count)) {
    return EglError("eglQueryDevicesEXT (counting EGL devices)", hint);
  }
  std::vector<EGLDeviceEXT> handles(count);
  if (count > 0 && !query_devices(count, handles.data(), &count)) {
    return EglError("eglQueryDevicesEXT (listing EGL devices)", hint);
  }
  handles.resize(count);
  std::vector<Device> devices;
  for (EGLDeviceEXT handle : handles) {
    Device device;
    device.handle = handle;
    const char* extensions = query_device_string(handle, EGL_EXTENSIONS);
    if (extensions != nullptr) device.extensions = extensions;
    if (HasExtension(extensions, "EGL_EXT_device_drm")) {
      const char* file = query_device_string(handle, EGL_DRM_DEVICE_FILE_EXT);
      if (file != nullptr) device.drm_file = file;
    }
    eglGetError();  // A device without a string is not an error here.
    devices.push_back(std::move(device));
  }
  return devices;
}

absl::StatusOr<EGLDisplay> GetDeviceDisplay(const Device& device,
                                            absl::string_view hint) {
  const std::string client = ClientExtensions();
  if (!HasExtension(client.c_str(), "EGL_EXT_platform_device")) {
    return Unavailable(
        absl::StrCat("the EGL library has no device platform (no "
                     "EGL_EXT_platform_device; ",
                     DescribeClientExtensions(client), ")"),
        hint);
  }
  auto get_platform_display =
      GetProc<PFNEGLGETPLATFORMDISPLAYEXTPROC>("eglGetPlatformDisplayEXT");
  if (get_platform_display == nullptr) {
    return Unavailable("eglGetProcAddress found no eglGetPlatformDisplayEXT",
                       hint);
  }
  EGLDisplay display =
      get_platform_display(EGL_PLATFORM_DEVICE_EXT, device.handle, nullptr);
  if (display == EGL_NO_DISPLAY) {
    return EglError("eglGetPlatformDisplayEXT(EGL_PLATFORM_DEVICE_EXT)", hint);
  }
  return display;
}

absl::StatusOr<EGLDisplay> GetSurfacelessDisplay(absl::string_view hint) {
  const std::string client = ClientExtensions();
  if (!HasExtension(client.c_str(), "EGL_MESA_platform_surfaceless")) {
    return Unavailable(
        absl::StrCat("the EGL library has no surfaceless platform (no "
                     "EGL_MESA_platform_surfaceless; ",
                     DescribeClientExtensions(client), ")"),
        hint);
  }
  auto get_platform_display =
      GetProc<PFNEGLGETPLATFORMDISPLAYEXTPROC>("eglGetPlatformDisplayEXT");
  if (get_platform_display == nullptr) {
    return Unavailable("eglGetProcAddress found no eglGetPlatformDisplayEXT",
                       hint);
  }
  EGLDisplay display = get_platform_display(EGL_PLATFORM_SURFACELESS_MESA,
                                            EGL_DEFAULT_DISPLAY, nullptr);
  if (display == EGL_NO_DISPLAY) {
    return EglError("eglGetPlatformDisplayEXT(EGL_PLATFORM_SURFACELESS_MESA)",
                    hint);
  }
  return display;
}

absl::StatusOr<DisplayRef> DisplayRef::Acquire(EGLDisplay display,
                                               absl::string_view hint) {
  DisplayCounts& counts = Counts();
  absl::MutexLock lock(&counts.mutex);
  auto it = counts.counts.find(display);
  if (it == counts.counts.end()) {
    EGLint major = 0;
    EGLint minor = 0;
    if (!eglInitialize(display, &major, &minor)) {
      return EglError(
          "eglInitialize (starting the EGL display; Mesa prints why above, "
          "e.g. when it cannot load its driver)",
          hint);
    }
    if (major < 1 || (major == 1 && minor < 4)) {
      eglTerminate(display);
      return Unavailable(
          absl::StrCat("EGL ", major, ".", minor,
                       " is too old: EGL 1.4 or newer is needed"),
          hint);
    }
    it = counts.counts.emplace(display, 0).first;
  }
  ++it->second;
  return DisplayRef(display);
}

DisplayRef::DisplayRef(DisplayRef&& other) noexcept
    : display_(std::exchange(other.display_, EGL_NO_DISPLAY)) {}

DisplayRef& DisplayRef::operator=(DisplayRef&& other) noexcept {
  if (this != &other) {
    Reset();
    display_ = std::exchange(other.display_, EGL_NO_DISPLAY);
  }
  return *this;
}

DisplayRef::~DisplayRef() { Reset(); }

void DisplayRef::Reset() {
  if (display_ == EGL_NO_DISPLAY) return;
  DisplayCounts& counts = Counts();
  absl::MutexLock lock(&counts.mutex);
  auto it = counts.counts.find(display_);
  if (it != counts.counts.end()) --it->second;
  // Stays initialised: see TerminateUnusedDisplays().
  display_ = EGL_NO_DISPLAY;
}

int TerminateUnusedDisplays() {
  DisplayCounts& counts = Counts();
  absl::MutexLock lock(&counts.mutex);
  int terminated = 0;
  for (auto it = counts.counts.begin(); it != counts.counts.end();) {
    if (it->second == 0) {
      eglTerminate(it->first);
      it = counts.counts.erase(it);
      ++terminated;
    } else {
      ++it;
    }
  }
  return terminated;
}

std::string DisplayRef::extensions() const {
  const char* extensions = eglQueryString(display_, EGL_EXTENSIONS);
  return extensions == nullptr ? "" : extensions;
}

absl::StatusOr<std::unique_ptr<EglBackend>> EglBackend::Create(
    std::string name, DisplayRef display, std::string hint, GlProfile profile) {
  const std::string extensions = display.extensions();
  if (!HasExtension(extensions.c_str(), "EGL_KHR_surfaceless_context")) {
    return Unavailable(
        absl::StrCat("the EGL display cannot make a context current without a "
                     "surface (no EGL_KHR_surfaceless_context among \"",
                     extensions, "\")"),
        hint);
  }
  const char* egl_version = eglQueryString(display.get(), EGL_VERSION);
  if (!HasExtension(extensions.c_str(), "EGL_KHR_create_context") &&
      (egl_version == nullptr || absl::StartsWith(egl_version, "1.4"))) {
    return Unavailable(absl::StrCat("the EGL display cannot create versioned ",
                                    GlProfileName(profile),
                                    "-profile contexts (no EGL 1.5 and no "
                                    "EGL_KHR_create_context)"),
                       hint);
  }
  if (!eglBindAPI(EGL_OPENGL_API)) {
    return EglError("eglBindAPI(EGL_OPENGL_API) (selecting desktop OpenGL)",
                    hint);
  }

  // The context draws into framebuffer objects only, so any config will do;
  // with EGL_KHR_no_config_context none is needed at all.
  EGLConfig config = EGL_NO_CONFIG_KHR;
  if (!HasExtension(extensions.c_str(), "EGL_KHR_no_config_context")) {
    // clang-format off
    const EGLint config_attributes[] = {
        EGL_SURFACE_TYPE, 0,  // Any: no surface is ever made.
        EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT,
        EGL_RED_SIZE, 8,
        EGL_GREEN_SIZE, 8,
        EGL_BLUE_SIZE, 8,
        EGL_NONE,
    };
    // clang-format on
    EGLint count = 0;
    if (!eglChooseConfig(display.get(), config_attributes, &config, 1,
                         &count)) {
      return EglError("eglChooseConfig (finding an OpenGL RGB8 config)", hint);
    }
    if (count < 1) {
      return Unavailable(
          "eglChooseConfig found no config for desktop OpenGL with 8-bit RGB",
          hint);
    }
  }

  const EGLint profile_bit = profile == GlProfile::kCore
                                 ? EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT
                                 : EGL_CONTEXT_OPENGL_COMPATIBILITY_PROFILE_BIT;
  // clang-format off
  const EGLint context_attributes[] = {
      EGL_CONTEXT_MAJOR_VERSION, 3,
      EGL_CONTEXT_MINOR_VERSION, 3,
      EGL_CONTEXT_OPENGL_PROFILE_MASK, profile_bit,
      EGL_NONE,
  };
  // clang-format on
  std::unique_ptr<EglBackend> backend(new EglBackend(
      std::move(name), std::move(display), std::move(hint), profile));
  backend->context_ = eglCreateContext(backend->display(), config,
                                       EGL_NO_CONTEXT, context_attributes);
  if (backend->context_ == EGL_NO_CONTEXT) {
    return EglError(
        absl::StrCat("eglCreateContext (an OpenGL 3.3 ", GlProfileName(profile),
                     " profile context; the driver may support only an older "
                     "version",
                     profile == GlProfile::kCompatibility
                         ? ", or no compatibility profile"
                         : "",
                     ")"),
        backend->hint_);
  }

  // Read the GL strings with the context current, then put back whatever
  // context the calling thread had.
  const EGLDisplay previous_display = eglGetCurrentDisplay();
  const EGLContext previous_context = eglGetCurrentContext();
  const EGLSurface previous_draw = eglGetCurrentSurface(EGL_DRAW);
  const EGLSurface previous_read = eglGetCurrentSurface(EGL_READ);
  const absl::Status read = backend->ReadGlStrings();
  absl::Status restored;
  if (previous_context != EGL_NO_CONTEXT) {
    if (!eglMakeCurrent(previous_display, previous_draw, previous_read,
                        previous_context)) {
      restored = EglError("eglMakeCurrent (restoring the caller's context)",
                          backend->hint_);
    }
  } else {
    restored = backend->ReleaseCurrent();
  }
  RL_RETURN_IF_ERROR(read);
  RL_RETURN_IF_ERROR(restored);
  return backend;
}

absl::Status EglBackend::ReadGlStrings() {
  RL_RETURN_IF_ERROR(MakeCurrent());
  const GLubyte* renderer = glGetString(GL_RENDERER);
  const GLubyte* version = glGetString(GL_VERSION);
  if (renderer == nullptr || version == nullptr) {
    return Unavailable(
        "glGetString(GL_RENDERER/GL_VERSION) returned nothing with the new "
        "context current (is GLVND's libOpenGL dispatching to the EGL "
        "vendor?)",
        hint_);
  }
  gl_renderer_ = reinterpret_cast<const char*>(renderer);
  gl_version_ = reinterpret_cast<const char*>(version);
  if (std::string mismatch = gl::ProfileMismatch(profile_, gl_version_);
      !mismatch.empty()) {
    return Unavailable(mismatch, hint_);
  }
  return absl::OkStatus();
}

EglBackend::~EglBackend() {
  if (context_ == EGL_NO_CONTEXT) return;
  eglBindAPI(EGL_OPENGL_API);
  if (eglGetCurrentContext() == context_) {
    eglMakeCurrent(display(), EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
  }
  // A context still current on another thread is destroyed once released.
  eglDestroyContext(display(), context_);
  // display_ (a DisplayRef) then drops this backend's use of the display.
}

absl::Status EglBackend::MakeCurrent() {
  // The current context is tracked per client API, and a new thread starts
  // with OpenGL ES: bind desktop OpenGL first (cheap, thread-local).
  if (!eglBindAPI(EGL_OPENGL_API)) {
    return EglError("eglBindAPI(EGL_OPENGL_API)", hint_);
  }
  if (eglGetCurrentContext() == context_) return absl::OkStatus();
  if (!eglMakeCurrent(display(), EGL_NO_SURFACE, EGL_NO_SURFACE, context_)) {
    return EglError(
        absl::StrCat("eglMakeCurrent (making the ", name_,
                     " context current with no surface; EGL_BAD_ACCESS means "
                     "it is current on another thread)"),
        hint_);
  }
  return absl::OkStatus();
}

absl::Status EglBackend::ReleaseCurrent() {
  if (!eglBindAPI(EGL_OPENGL_API)) {
    return EglError("eglBindAPI(EGL_OPENGL_API)", hint_);
  }
  if (eglGetCurrentContext() != context_) return absl::OkStatus();
  if (!eglMakeCurrent(display(), EGL_NO_SURFACE, EGL_NO_SURFACE,
                      EGL_NO_CONTEXT)) {
    return EglError(
        absl::StrCat("eglMakeCurrent (releasing the ", name_, " context)"),
        hint_);
  }
  return absl::OkStatus();
}

}  // namespace egl
}  // namespace rl
