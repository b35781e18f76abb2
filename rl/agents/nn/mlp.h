// Mlp: a multi-layer perceptron with all its parameters in one flat vector,
// so optimisers, gradient clipping, target-network copies and checkpoints
// treat it as one block of numbers.
//
// Layout of params(): for each linear layer l, its weights (in_l x out_l,
// input-major as in layers.h) then its bias (out_l). Hidden layers apply the
// activation; the output layer is linear.
//
// Forward() keeps the activations in a Workspace, which Backward() needs;
// one Workspace per concurrent use (e.g. one for acting, one for learning).
//
// Example:
//   Mlp<float> net({4, 64, 64, 2}, Activation::kTanh);
//   net.InitOrthogonal(rng, std::sqrt(2.0), 0.01);
//   Mlp<float>::Workspace ws;
//   const Matrix<float>& logits = net.Forward(observations, &ws);
//   ... dlogits = dLoss/dlogits ...
//   std::vector<float> grad(net.num_params(), 0.0f);
//   net.Backward(ws, dlogits, grad.data());
#ifndef RL_AGENTS_NN_MLP_H_
#define RL_AGENTS_NN_MLP_H_

#include <cstddef>
#include <random>
#include <string>
#include <vector>

#include "rl/agents/nn/layers.h"
#include "rl/agents/nn/matrix.h"

namespace rl {
namespace nn {

template <typename T>
class Mlp {
 public:
  struct Workspace {
    // values[0] is the input, values[l + 1] the output of layer l (after
    // its activation).
    std::vector<Matrix<T>> values;
    Matrix<T> grad;       // dLoss/d(current layer output) during Backward.
    Matrix<T> grad_next;  // dLoss/d(current layer input).
    std::vector<T> scratch;
  };

  Mlp() = default;
  // `sizes`: inputs, hidden widths..., outputs; at least two entries, all
  // positive. Parameters start at zero: call an Init*().
  Mlp(std::vector<int> sizes, Activation activation);

  const std::vector<int>& sizes() const { return sizes_; }
  Activation activation() const { return activation_; }
  int num_layers() const { return static_cast<int>(sizes_.size()) - 1; }
  int input_size() const { return sizes_.front(); }
  int output_size() const { return sizes_.back(); }
  size_t num_params() const { return params_.size(); }
  // e.g. "4-64-64-2 tanh".
  std::string Describe() const;

  std::vector<T>& params() { return params_; }
  const std::vector<T>& params() const { return params_; }
  T* weights(int layer) { return params_.data() + weight_offset_[layer]; }
  const T* weights(int layer) const {
    return params_.data() + weight_offset_[layer];
  }
  T* bias(int layer) { return params_.data() + bias_offset_[layer]; }
  const T* bias(int layer) const {
    return params_.data() + bias_offset_[layer];
  }
  size_t weight_offset(int layer) const { return weight_offset_[layer]; }
  size_t bias_offset(int layer) const { return bias_offset_[layer]; }

  // Orthogonal weights (Saxe et al. 2014, as torch.nn.init.orthogonal_):
  // gain `hidden_gain` for hidden layers, `output_gain` for the last; zero
  // biases. The usual choice for PPO: sqrt(2), and 0.01 (policy) or 1
  // (value).
  void InitOrthogonal(std::mt19937_64& rng, double hidden_gain,
                      double output_gain);
  // Glorot/Xavier uniform weights, U(-a, a) with a = sqrt(6 / (in + out));
  // zero biases.
  void InitXavier(std::mt19937_64& rng);

  // Output for a batch `x` (batch x input_size); the reference points into
  // `ws` and stays valid until its next use.
  const Matrix<T>& Forward(const Matrix<T>& x, Workspace* ws) const;

  // Backward of the last Forward() on `ws` for dLoss/d output = `grad_out`
  // (batch x output_size): ADDS dLoss/d params to `grad` (num_params()
  // values); if `grad_in` is not null, sets it to dLoss/d input.
  void Backward(Workspace* ws, const Matrix<T>& grad_out, T* grad,
                Matrix<T>* grad_in = nullptr) const;

 private:
  std::vector<int> sizes_;
  Activation activation_ = Activation::kTanh;
  std::vector<T> params_;
  std::vector<size_t> weight_offset_;
  std::vector<size_t> bias_offset_;
};

// Fills `out` (rows x cols, row-major) with a matrix whose rows (if rows <=
// cols) or columns (otherwise) are orthonormal, times `gain`; what
// torch.nn.init.orthogonal_ does for a rows x cols weight.
void OrthogonalMatrix(std::mt19937_64& rng, int rows, int cols, double gain,
                      std::vector<double>* out);

}  // namespace nn
}  // namespace rl

#endif  // RL_AGENTS_NN_MLP_H_
