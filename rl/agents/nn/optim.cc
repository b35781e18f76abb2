#include "rl/agents/nn/optim.h"

#include <cmath>

namespace rl {
namespace nn {

template <typename T>
Adam<T>::Adam(std::vector<size_t> block_sizes, AdamOptions options)
    : options_(options) {
  for (size_t size : block_sizes) {
    m_.emplace_back(size, T(0));
    v_.emplace_back(size, T(0));
  }
}

template <typename T>
void Adam<T>::Step(const std::vector<std::pair<T*, const T*>>& blocks,
                   double learning_rate) {
  ++steps_;
  const double c1 = 1.0 - std::pow(options_.beta1, static_cast<double>(steps_));
  const double c2 = 1.0 - std::pow(options_.beta2, static_cast<double>(steps_));
  const T step_size = static_cast<T>(learning_rate / c1);
  const T inv_sqrt_c2 = static_cast<T>(1.0 / std::sqrt(c2));
  const T beta1 = static_cast<T>(options_.beta1);
  const T beta2 = static_cast<T>(options_.beta2);
  const T one_minus_beta1 = static_cast<T>(1.0 - options_.beta1);
  const T one_minus_beta2 = static_cast<T>(1.0 - options_.beta2);
  const T eps = static_cast<T>(options_.eps);
  for (size_t b = 0; b < blocks.size() && b < m_.size(); ++b) {
    T* __restrict p = blocks[b].first;
    const T* __restrict g = blocks[b].second;
    T* __restrict m = m_[b].data();
    T* __restrict v = v_[b].data();
    const size_t n = m_[b].size();
    for (size_t k = 0; k < n; ++k) {
      m[k] = beta1 * m[k] + one_minus_beta1 * g[k];
      v[k] = beta2 * v[k] + one_minus_beta2 * g[k] * g[k];
      p[k] -= step_size * m[k] / (std::sqrt(v[k]) * inv_sqrt_c2 + eps);
    }
  }
}

template <typename T>
double ClipGlobalNorm(const std::vector<std::pair<T*, size_t>>& blocks,
                      double max_norm) {
  double sum = 0;
  for (const auto& [grad, size] : blocks) {
    for (size_t k = 0; k < size; ++k) {
      sum += static_cast<double>(grad[k]) * static_cast<double>(grad[k]);
    }
  }
  const double norm = std::sqrt(sum);
  if (norm > max_norm) {
    const T scale = static_cast<T>(max_norm / (norm + 1e-6));
    for (const auto& [grad, size] : blocks) {
      for (size_t k = 0; k < size; ++k) grad[k] *= scale;
    }
  }
  return norm;
}

template class Adam<float>;
template class Adam<double>;
template double ClipGlobalNorm<float>(
    const std::vector<std::pair<float*, size_t>>&, double);
template double ClipGlobalNorm<double>(
    const std::vector<std::pair<double*, size_t>>&, double);

}  // namespace nn
}  // namespace rl
