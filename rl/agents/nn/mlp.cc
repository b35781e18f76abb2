#include "rl/agents/nn/mlp.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "rl/agents/nn/random.h"

namespace rl {
namespace nn {

void OrthogonalMatrix(std::mt19937_64& rng, int rows, int cols, double gain,
                      std::vector<double>* out) {
  // As torch: draw a normal (big x small) matrix, orthonormalise its small
  // number of columns (QR by modified Gram-Schmidt, signs fixed so R has a
  // positive diagonal), transpose back if rows < cols.
  const int big = std::max(rows, cols);
  const int small = std::min(rows, cols);
  std::vector<double> q(static_cast<size_t>(big) * small);  // column-major
  for (double& value : q) value = StandardNormal(rng);
  for (int c = 0; c < small; ++c) {
    double* col = q.data() + static_cast<size_t>(c) * big;
    for (int p = 0; p < c; ++p) {
      const double* prev = q.data() + static_cast<size_t>(p) * big;
      double dot = 0;
      for (int k = 0; k < big; ++k) dot += prev[k] * col[k];
      for (int k = 0; k < big; ++k) col[k] -= dot * prev[k];
    }
    double norm = 0;
    for (int k = 0; k < big; ++k) norm += col[k] * col[k];
    norm = std::sqrt(norm);
    // A normal matrix is rank-deficient with probability zero; guard anyway.
    if (norm < 1e-12) {
      for (int k = 0; k < big; ++k) col[k] = k == c ? 1.0 : 0.0;
      norm = 1.0;
    }
    for (int k = 0; k < big; ++k) col[k] /= norm;
  }
  out->assign(static_cast<size_t>(rows) * cols, 0.0);
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      // rows >= cols: out = Q (big=rows, small=cols); else out = Q^T.
      const double value = rows >= cols ? q[static_cast<size_t>(c) * big + r]
                                        : q[static_cast<size_t>(r) * big + c];
      (*out)[static_cast<size_t>(r) * cols + c] = gain * value;
    }
  }
}

template <typename T>
Mlp<T>::Mlp(std::vector<int> sizes, Activation activation)
    : sizes_(std::move(sizes)), activation_(activation) {
  size_t offset = 0;
  for (int l = 0; l + 1 < static_cast<int>(sizes_.size()); ++l) {
    weight_offset_.push_back(offset);
    offset += static_cast<size_t>(sizes_[l]) * sizes_[l + 1];
    bias_offset_.push_back(offset);
    offset += sizes_[l + 1];
  }
  params_.assign(offset, T(0));
}

template <typename T>
std::string Mlp<T>::Describe() const {
  return absl::StrCat(absl::StrJoin(sizes_, "-"), " ",
                      ActivationName(activation_));
}

template <typename T>
void Mlp<T>::InitOrthogonal(std::mt19937_64& rng, double hidden_gain,
                            double output_gain) {
  std::vector<double> matrix;
  for (int l = 0; l < num_layers(); ++l) {
    const int in = sizes_[l];
    const int out = sizes_[l + 1];
    const double gain = l + 1 == num_layers() ? output_gain : hidden_gain;
    // torch's weight is out x in; ours is its transpose.
    OrthogonalMatrix(rng, out, in, gain, &matrix);
    T* w = weights(l);
    for (int o = 0; o < out; ++o) {
      for (int i = 0; i < in; ++i) {
        w[static_cast<size_t>(i) * out + o] =
            static_cast<T>(matrix[static_cast<size_t>(o) * in + i]);
      }
    }
    std::fill(bias(l), bias(l) + out, T(0));
  }
}

template <typename T>
void Mlp<T>::InitXavier(std::mt19937_64& rng) {
  for (int l = 0; l < num_layers(); ++l) {
    const int in = sizes_[l];
    const int out = sizes_[l + 1];
    const double a = std::sqrt(6.0 / (in + out));
    T* w = weights(l);
    for (size_t k = 0; k < static_cast<size_t>(in) * out; ++k) {
      w[k] = static_cast<T>(a * (2.0 * UniformUnit(rng) - 1.0));
    }
    std::fill(bias(l), bias(l) + out, T(0));
  }
}

template <typename T>
const Matrix<T>& Mlp<T>::Forward(const Matrix<T>& x, Workspace* ws) const {
  const int layers = num_layers();
  ws->values.resize(layers + 1);
  ws->values[0] = x;  // Copy: Backward needs it and x may change.
  for (int l = 0; l < layers; ++l) {
    DenseForward(ws->values[l], weights(l), bias(l), sizes_[l + 1],
                 &ws->values[l + 1]);
    if (l + 1 < layers) ActivationForward(activation_, &ws->values[l + 1]);
  }
  return ws->values[layers];
}

template <typename T>
void Mlp<T>::Backward(Workspace* ws, const Matrix<T>& grad_out, T* grad,
                      Matrix<T>* grad_in) const {
  const int layers = num_layers();
  ws->grad = grad_out;
  for (int l = layers - 1; l >= 0; --l) {
    if (l + 1 < layers) {
      ActivationBackward(activation_, ws->values[l + 1], &ws->grad);
    }
    Matrix<T>* dx = l > 0 ? &ws->grad_next : grad_in;
    DenseBackward(ws->values[l], weights(l), sizes_[l + 1], ws->grad,
                  grad + weight_offset_[l], grad + bias_offset_[l], dx,
                  &ws->scratch);
    if (l > 0) std::swap(ws->grad, ws->grad_next);
  }
}

template class Mlp<float>;
template class Mlp<double>;

}  // namespace nn
}  // namespace rl
