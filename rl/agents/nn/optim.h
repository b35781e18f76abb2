// Adam (Kingma & Ba 2015) and gradient clipping by global norm, on flat
// parameter blocks (e.g. Mlp::params()).
//
// Adam follows torch.optim.Adam (no weight decay): with bias corrections
// c1 = 1 - beta1^t and c2 = 1 - beta2^t,
//   m = beta1 m + (1 - beta1) g,  v = beta2 v + (1 - beta2) g^2,
//   p -= lr / c1 * m / (sqrt(v) / sqrt(c2) + eps).
// Several blocks may share one Adam (one step counter, as one optimiser over
// all of them): Step() takes a list of (params, grads) pairs in a fixed
// order.
//
// Example:
//   Adam<float> adam({actor.num_params(), critic.num_params()}, {.eps = 1e-5});
//   ClipGlobalNorm({grad_actor, grad_critic}, /*max_norm=*/0.5);
//   adam.Step({{actor.params().data(), grad_actor.data()},
//              {critic.params().data(), grad_critic.data()}}, lr);
#ifndef RL_AGENTS_NN_OPTIM_H_
#define RL_AGENTS_NN_OPTIM_H_

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace rl {
namespace nn {

struct AdamOptions {
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
};

template <typename T>
class Adam {
 public:
  Adam() = default;
  Adam(std::vector<size_t> block_sizes, AdamOptions options);

  // One update of every block; `blocks` pairs each block's params with its
  // gradient, in the order of the constructor's sizes.
  void Step(const std::vector<std::pair<T*, const T*>>& blocks,
            double learning_rate);

  const AdamOptions& options() const { return options_; }
  int64_t steps() const { return steps_; }
  // Moments, for checkpoints: first[b] and second[b] belong to block b.
  std::vector<std::vector<T>>& first_moments() { return m_; }
  std::vector<std::vector<T>>& second_moments() { return v_; }
  const std::vector<std::vector<T>>& first_moments() const { return m_; }
  const std::vector<std::vector<T>>& second_moments() const { return v_; }
  void set_steps(int64_t steps) { steps_ = steps; }

 private:
  AdamOptions options_;
  int64_t steps_ = 0;
  std::vector<std::vector<T>> m_;
  std::vector<std::vector<T>> v_;
};

// Scales the gradients so their joint L2 norm is at most `max_norm` (as
// torch.nn.utils.clip_grad_norm_: by max_norm / (norm + 1e-6) when norm
// exceeds max_norm). Returns the norm before clipping. `blocks` pairs each
// gradient block with its size.
template <typename T>
double ClipGlobalNorm(const std::vector<std::pair<T*, size_t>>& blocks,
                      double max_norm);

}  // namespace nn
}  // namespace rl

#endif  // RL_AGENTS_NN_OPTIM_H_
