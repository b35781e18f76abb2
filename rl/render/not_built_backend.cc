// Stands in for a render backend left out at build time (--config=no_egl,
// no_glx, no_llvmpipe): records its name, so the registry can say "'glx' was
// not built into this binary (built with --config=no_glx)" rather than
// "unknown". The BUILD file compiles this once per backend, with
// RL_NOT_BUILT_BACKEND set to the backend's name.
#include "rl/render/render_backend.h"

#ifndef RL_NOT_BUILT_BACKEND
#error "define RL_NOT_BUILT_BACKEND to the name of the backend left out"
#endif

namespace rl {
namespace {

[[maybe_unused]] const bool kRegistered = RenderBackends().RegisterNotBuilt(
    RL_NOT_BUILT_BACKEND, "built with --config=no_" RL_NOT_BUILT_BACKEND);

}  // namespace
}  // namespace rl
