// The "auto" render backend: the first backend that works on this machine,
// in order of auto priority (fastest first: a GPU, then the CPU, then an X
// server). See auto_backend.h.
#include "rl/render/auto_backend.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "rl/render/render_backend.h"

namespace rl {

absl::StatusOr<std::unique_ptr<RenderBackend>> CreateAutoBackend(
    const RenderBackendRegistry& registry,
    const RenderBackendOptions& options) {
  const std::vector<std::string> not_built = registry.NotBuiltNames();
  const std::string not_built_note =
      not_built.empty() ? ""
                        : absl::StrCat("; not built into this binary: ",
                                       absl::StrJoin(not_built, ", "));
  std::vector<std::string> failed;
  for (const std::string& name : registry.AutoOrder()) {
    absl::StatusOr<std::unique_ptr<RenderBackend>> backend =
        registry.Create(name, options);
    if (backend.ok()) {
      LogRenderBackendLine(
          options, absl::StrCat("render backend auto: using ", name, " (",
                                (*backend)->gl_renderer(), ")",
                                failed.empty()
                                    ? ", the first choice"
                                    : absl::StrCat(" because ",
                                                   absl::StrJoin(failed, "; ")),
                                not_built_note));
      return backend;
    }
    // A device asked for by number is a choice, not a preference: no quiet
    // fallback to the CPU when it is not there.
    if (IsNoAutoFallback(backend.status())) return backend.status();
    failed.push_back(
        absl::StrCat(name, " failed: ", backend.status().message()));
  }
  if (failed.empty()) {
    failed.push_back("no backend it could try is built into this binary");
  }
  return absl::UnavailableError(absl::StrCat(
      "render backend auto found no way to get an OpenGL context here: ",
      absl::StrJoin(failed, "; "), not_built_note));
}

}  // namespace rl
