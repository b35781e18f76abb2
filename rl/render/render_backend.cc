#include "rl/render/render_backend.h"

namespace rl {

RenderBackendRegistry& RenderBackends() {
  static auto* registry = new RenderBackendRegistry("render backend");
  return *registry;
}

}  // namespace rl
