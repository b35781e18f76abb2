// The "auto" render backend: the first of egl, llvmpipe and glx that works
// on this machine, in that order (fastest first; glx last because it needs
// an X server). It logs which one it chose and why the earlier ones did not
// work, and returns that backend itself (name() is "egl", "llvmpipe" or
// "glx"). An EGL device chosen by index (egl_device >= 0) must work: its
// failure is the answer, not a reason to fall back.
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "rl/render/render_backend.h"

namespace rl {
namespace {

absl::StatusOr<std::unique_ptr<RenderBackend>> CreateAuto(
    const RenderBackendOptions& options) {
  std::vector<std::string> skipped;
  for (const char* name : {"egl", "llvmpipe", "glx"}) {
    if (!RenderBackends().Contains(name)) {
      skipped.push_back(absl::StrCat(name, " is not built into this binary"));
      continue;
    }
    absl::StatusOr<std::unique_ptr<RenderBackend>> backend =
        RenderBackends().Create(name, options);
    if (!backend.ok() && std::string(name) == "egl" &&
        options.egl_device >= 0) {
      // A device asked for by number is a choice, not a preference: no
      // quiet fallback to the CPU when it is not there.
      return backend.status();
    }
    if (backend.ok()) {
      LogRenderBackendLine(
          options,
          absl::StrCat(
              "render backend auto: using ", name, " (",
              (*backend)->gl_renderer(), ")",
              skipped.empty()
                  ? ", the first choice"
                  : absl::StrCat(" because ", absl::StrJoin(skipped, "; "))));
      return backend;
    }
    skipped.push_back(
        absl::StrCat(name, " failed: ", backend.status().message()));
  }
  return absl::UnavailableError(absl::StrCat(
      "render backend auto found no way to get an OpenGL context here: ",
      absl::StrJoin(skipped, "; ")));
}

[[maybe_unused]] const bool kRegistered = RenderBackends().Register(
    "auto", "the first that works of egl (GPU), llvmpipe (CPU), glx (X server)",
    &CreateAuto);

}  // namespace
}  // namespace rl
