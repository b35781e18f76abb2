#include "rl/agents/nn/layers.h"

#include <cmath>

#include "absl/strings/str_cat.h"

namespace rl {
namespace nn {

std::string ActivationName(Activation activation) {
  switch (activation) {
    case Activation::kIdentity:
      return "identity";
    case Activation::kTanh:
      return "tanh";
    case Activation::kRelu:
      return "relu";
  }
  return "unknown";
}

absl::StatusOr<Activation> ParseActivation(absl::string_view name) {
  for (Activation activation :
       {Activation::kIdentity, Activation::kTanh, Activation::kRelu}) {
    if (name == ActivationName(activation)) return activation;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown activation '", name,
                   "': valid values are tanh, relu, identity"));
}

template <typename T>
void DenseForward(const Matrix<T>& x, const T* w, const T* b, int out,
                  Matrix<T>* y) {
  const int batch = x.rows();
  const int in = x.cols();
  y->Resize(batch, out);
  for (int r = 0; r < batch; ++r) {
    const T* __restrict xr = x.row(r);
    T* __restrict yr = y->row(r);
    for (int o = 0; o < out; ++o) yr[o] = b[o];
    for (int i = 0; i < in; ++i) {
      const T xi = xr[i];
      const T* __restrict wi = w + static_cast<size_t>(i) * out;
      for (int o = 0; o < out; ++o) yr[o] += xi * wi[o];
    }
  }
}

template <typename T>
void DenseBackward(const Matrix<T>& x, const T* w, int out, const Matrix<T>& dy,
                   T* dw, T* db, Matrix<T>* dx, std::vector<T>* scratch) {
  const int batch = x.rows();
  const int in = x.cols();
  for (int r = 0; r < batch; ++r) {
    const T* __restrict xr = x.row(r);
    const T* __restrict dyr = dy.row(r);
    for (int o = 0; o < out; ++o) db[o] += dyr[o];
    for (int i = 0; i < in; ++i) {
      const T xi = xr[i];
      T* __restrict dwi = dw + static_cast<size_t>(i) * out;
      for (int o = 0; o < out; ++o) dwi[o] += xi * dyr[o];
    }
  }
  if (dx == nullptr) return;
  // dx = dy W^T, as a sum of rows of W^T so the inner loop runs over
  // contiguous inputs.
  scratch->resize(static_cast<size_t>(in) * out);
  T* wt = scratch->data();
  for (int i = 0; i < in; ++i) {
    for (int o = 0; o < out; ++o)
      wt[static_cast<size_t>(o) * in + i] = w[static_cast<size_t>(i) * out + o];
  }
  dx->Resize(batch, in);
  for (int r = 0; r < batch; ++r) {
    const T* __restrict dyr = dy.row(r);
    T* __restrict dxr = dx->row(r);
    for (int i = 0; i < in; ++i) dxr[i] = 0;
    for (int o = 0; o < out; ++o) {
      const T g = dyr[o];
      const T* __restrict wto = wt + static_cast<size_t>(o) * in;
      for (int i = 0; i < in; ++i) dxr[i] += g * wto[i];
    }
  }
}

template <typename T>
void ActivationForward(Activation activation, Matrix<T>* values) {
  T* v = values->data();
  const size_t n = values->size();
  switch (activation) {
    case Activation::kIdentity:
      return;
    case Activation::kTanh:
      for (size_t k = 0; k < n; ++k) v[k] = std::tanh(v[k]);
      return;
    case Activation::kRelu:
      for (size_t k = 0; k < n; ++k) v[k] = v[k] > T(0) ? v[k] : T(0);
      return;
  }
}

template <typename T>
void ActivationBackward(Activation activation, const Matrix<T>& y,
                        Matrix<T>* grad) {
  const T* __restrict yv = y.data();
  T* __restrict g = grad->data();
  const size_t n = grad->size();
  switch (activation) {
    case Activation::kIdentity:
      return;
    case Activation::kTanh:
      for (size_t k = 0; k < n; ++k) g[k] *= T(1) - yv[k] * yv[k];
      return;
    case Activation::kRelu:
      for (size_t k = 0; k < n; ++k) g[k] = yv[k] > T(0) ? g[k] : T(0);
      return;
  }
}

#define RL_NN_INSTANTIATE(T)                                               \
  template void DenseForward<T>(const Matrix<T>&, const T*, const T*, int, \
                                Matrix<T>*);                               \
  template void DenseBackward<T>(const Matrix<T>&, const T*, int,          \
                                 const Matrix<T>&, T*, T*, Matrix<T>*,     \
                                 std::vector<T>*);                         \
  template void ActivationForward<T>(Activation, Matrix<T>*);              \
  template void ActivationBackward<T>(Activation, const Matrix<T>&, Matrix<T>*);

RL_NN_INSTANTIATE(float)
RL_NN_INSTANTIATE(double)
#undef RL_NN_INSTANTIATE

}  // namespace nn
}  // namespace rl
