// The kernels of a multi-layer perceptron, on batches (one sample per row):
// a dense (fully connected) layer and elementwise activations, forward and
// backward. Hand-written loops shaped so the compiler vectorizes them
// (innermost loop over contiguous outputs, no reductions); fixed summation
// order, so results are bit-identical from run to run.
//
// Weights are stored input-major: W[i * out + o] connects input i to output
// o, so y = x W + b.
//
// Example:
//   DenseForward(x, w, b, /*out=*/64, &y);            // y = x W + b
//   ActivationForward(Activation::kTanh, &y);
//   ...
//   ActivationBackward(Activation::kTanh, y, &dy);    // dy *= tanh'(.)
//   DenseBackward(x, w, 64, dy, dw, db, &dx, &scratch);
#ifndef RL_AGENTS_NN_LAYERS_H_
#define RL_AGENTS_NN_LAYERS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rl/agents/nn/matrix.h"

namespace rl {
namespace nn {

enum class Activation { kIdentity, kTanh, kRelu };

// "identity", "tanh", "relu".
std::string ActivationName(Activation activation);
absl::StatusOr<Activation> ParseActivation(absl::string_view name);

// y = x W + b. x: batch x in; w: in x out; b: out. Resizes y to batch x out.
template <typename T>
void DenseForward(const Matrix<T>& x, const T* w, const T* b, int out,
                  Matrix<T>* y);

// Backward of DenseForward for dLoss/dy = `dy` (batch x out): ADDS x^T dy to
// dw (in x out) and the column sums of dy to db (out); if `dx` is not null,
// sets it to dy W^T (batch x in). `scratch` holds W^T between calls.
template <typename T>
void DenseBackward(const Matrix<T>& x, const T* w, int out, const Matrix<T>& dy,
                   T* dw, T* db, Matrix<T>* dx, std::vector<T>* scratch);

// Applies the activation in place.
template <typename T>
void ActivationForward(Activation activation, Matrix<T>* values);

// Multiplies `grad` (dLoss/d output) in place by the activation's
// derivative, expressed through its OUTPUT `y` (tanh' = 1 - y^2, relu' = y >
// 0), giving dLoss/d input.
template <typename T>
void ActivationBackward(Activation activation, const Matrix<T>& y,
                        Matrix<T>* grad);

}  // namespace nn
}  // namespace rl

#endif  // RL_AGENTS_NN_LAYERS_H_
