// The "auto" render backend, the registry's own entry: the backends it tries
// and their order come from the registry (auto priorities). Internal to
// //rl/render:render_backend; use RenderBackends().Create("auto").
#ifndef RL_RENDER_AUTO_BACKEND_H_
#define RL_RENDER_AUTO_BACKEND_H_

#include <memory>

#include "absl/status/statusor.h"
#include "rl/render/render_backend.h"

namespace rl {

// Creates the first backend of registry.AutoOrder() that works here, and
// returns it (its name() is its own, never "auto"). Logs which one it chose
// and why the earlier ones did not work (and which of the project's backends
// are not built in). A backend error marked NoAutoFallback (an EGL device
// asked for by index that does not work) is returned as it is: the options
// named something, so no other backend stands in for it.
absl::StatusOr<std::unique_ptr<RenderBackend>> CreateAutoBackend(
    const RenderBackendRegistry& registry, const RenderBackendOptions& options);

}  // namespace rl

#endif  // RL_RENDER_AUTO_BACKEND_H_
