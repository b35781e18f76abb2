// Spaces: the set of valid observations or actions, with Gymnasium's meaning.
//   Discrete(n): integers 0..n-1.
//   Box(low, high, shape): float vectors with per-element bounds (may be
//   +/-infinity).
#ifndef RL_ENVS_SPACE_H_
#define RL_ENVS_SPACE_H_

#include <cstdint>
#include <string>
#include <vector>

namespace rl {

struct Space {
  enum class Kind { kDiscrete, kBox };

  static Space Discrete(int64_t n) {
    Space space;
    space.kind = Kind::kDiscrete;
    space.n = n;
    return space;
  }
  static Space Box(std::vector<float> low, std::vector<float> high) {
    Space space;
    space.kind = Kind::kBox;
    space.shape = {static_cast<int64_t>(low.size())};
    space.low = std::move(low);
    space.high = std::move(high);
    return space;
  }

  // Whether `values` lies inside a Box space (size and bounds).
  bool Contains(const std::vector<float>& values) const {
    if (kind != Kind::kBox || values.size() != low.size()) return false;
    for (size_t i = 0; i < values.size(); ++i) {
      if (!(values[i] >= low[i] && values[i] <= high[i])) return false;
    }
    return true;
  }
  // Whether `index` is a valid element of a Discrete space.
  bool Contains(int64_t index) const {
    return kind == Kind::kDiscrete && index >= 0 && index < n;
  }

  // Gymnasium's notation, e.g. "Discrete(2)" or "Box(4,)".
  std::string ToString() const {
    if (kind == Kind::kDiscrete) return "Discrete(" + std::to_string(n) + ")";
    return "Box(" + std::to_string(low.size()) + ",)";
  }

  Kind kind = Kind::kDiscrete;
  int64_t n = 0;               // Discrete only.
  std::vector<int64_t> shape;  // Box only.
  std::vector<float> low;      // Box only, one bound per element.
  std::vector<float> high;
};

}  // namespace rl

#endif  // RL_ENVS_SPACE_H_
