// Spaces: the set of valid observations or actions, with Gymnasium's meaning.
//   Discrete(n): integers 0..n-1. As an observation it is one float holding
//                the index (FrozenLake's state 5 is {5.0f}).
//   Box(low, high, shape): float arrays with per-element bounds (may be
//                +/-infinity), stored flat in row-major order.
//
// Example:
//   Space actions = Space::Discrete(2);
//   actions.Contains(1);                                     // true
//   Space obs = Space::Box({-1, -1, -8}, {1, 1, 8});         // Box(3,)
//   obs.Contains(std::vector<float>{0.5f, -0.5f, 9.0f});     // false
//   Space grid = Space::Box(0, 1, {6, 21, 19});              // Box(6, 21, 19)
#ifndef RL_ENVS_SPACE_H_
#define RL_ENVS_SPACE_H_

#include <cmath>
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
  // A one-dimensional Box, shape (low.size(),).
  static Space Box(std::vector<float> low, std::vector<float> high) {
    const int64_t size = static_cast<int64_t>(low.size());
    return Box(std::move(low), std::move(high), {size});
  }
  // A Box of any shape; low and high hold one bound per element (the product
  // of `shape`), row-major.
  static Space Box(std::vector<float> low, std::vector<float> high,
                   std::vector<int64_t> shape) {
    Space space;
    space.kind = Kind::kBox;
    space.shape = std::move(shape);
    space.low = std::move(low);
    space.high = std::move(high);
    return space;
  }
  // A Box with the same bounds for every element.
  static Space Box(float low, float high, std::vector<int64_t> shape) {
    int64_t size = 1;
    for (int64_t dim : shape) size *= dim;
    return Box(std::vector<float>(size, low), std::vector<float>(size, high),
               std::move(shape));
  }

  // Floats in one element: 1 for Discrete, the product of the shape for Box.
  int64_t flat_size() const {
    return kind == Kind::kDiscrete ? 1 : static_cast<int64_t>(low.size());
  }

  // Whether `values` is an element: for Box, the size and every bound; for
  // Discrete, one whole number in 0..n-1.
  bool Contains(const std::vector<float>& values) const {
    if (kind == Kind::kDiscrete) {
      return values.size() == 1 && std::floor(values[0]) == values[0] &&
             Contains(static_cast<int64_t>(values[0]));
    }
    if (values.size() != low.size()) return false;
    for (size_t i = 0; i < values.size(); ++i) {
      if (!(values[i] >= low[i] && values[i] <= high[i])) return false;
    }
    return true;
  }
  // Whether `index` is a valid element of a Discrete space.
  bool Contains(int64_t index) const {
    return kind == Kind::kDiscrete && index >= 0 && index < n;
  }

  // Gymnasium's notation, e.g. "Discrete(2)", "Box(4,)" or "Box(6, 21, 19)".
  std::string ToString() const {
    if (kind == Kind::kDiscrete) return "Discrete(" + std::to_string(n) + ")";
    std::string text = "Box(";
    for (size_t i = 0; i < shape.size(); ++i) {
      if (i > 0) text += ", ";
      text += std::to_string(shape[i]);
    }
    return text + (shape.size() == 1 ? ",)" : ")");
  }

  Kind kind = Kind::kDiscrete;
  int64_t n = 0;               // Discrete only.
  std::vector<int64_t> shape;  // Box only.
  std::vector<float> low;      // Box only, one bound per element.
  std::vector<float> high;
};

}  // namespace rl

#endif  // RL_ENVS_SPACE_H_
