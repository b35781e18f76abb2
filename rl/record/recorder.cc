#include "rl/record/recorder.h"

namespace rl {

RecorderRegistry& Recorders() {
  static auto* registry = new RecorderRegistry("recorder");
  return *registry;
}

}  // namespace rl
