// Policy distributions and losses with their gradients, for batches:
//   Categorical over logits (discrete actions),
//   diagonal Gaussian with a state-independent log standard deviation
//   (continuous actions),
//   the Huber loss (DQN).
// Each *Backward takes dLoss/d(log-prob) and dLoss/d(entropy) per sample and
// gives dLoss/d(inputs), so a policy-gradient loss is written on log-probs
// and entropies and chained into the network.
//
// Example (PPO, discrete):
//   CategoricalForward(logits, actions, log_prob, entropy);
//   ... dlog_prob[r] = dLoss/dlog_prob[r], dentropy[r] = -ent_coef / batch
//   CategoricalBackward(logits, actions, dlog_prob, dentropy, &dlogits);
#ifndef RL_AGENTS_NN_DISTRIBUTIONS_H_
#define RL_AGENTS_NN_DISTRIBUTIONS_H_

#include <cstdint>
#include <random>

#include "rl/agents/nn/matrix.h"

namespace rl {
namespace nn {

// Per row r of `logits` (batch x n): log softmax(logits)[actions[r]] into
// log_prob[r] and the entropy of softmax(logits) into entropy[r]. Either
// output may be null.
template <typename T>
void CategoricalForward(const Matrix<T>& logits, const int64_t* actions,
                        T* log_prob, T* entropy);

// Sets dlogits (batch x n) to dLoss/dlogits given dLoss/dlog_prob and
// dLoss/dentropy per row (either may be null: zero).
template <typename T>
void CategoricalBackward(const Matrix<T>& logits, const int64_t* actions,
                         const T* dlog_prob, const T* dentropy,
                         Matrix<T>* dlogits);

// An index drawn from softmax(logits[0..n)).
template <typename T>
int64_t CategoricalSample(const T* logits, int n, std::mt19937_64& rng);

// The index of the largest value; the lowest such index on ties.
template <typename T>
int64_t Argmax(const T* values, int n);

// Per row r: log N(actions[r]; mean[r], exp(log_std)^2), summed over the
// dimensions, into log_prob[r]; the entropy (the same for every row) into
// entropy[r]. Either output may be null.
template <typename T>
void GaussianForward(const Matrix<T>& mean, const T* log_std,
                     const Matrix<T>& actions, T* log_prob, T* entropy);

// Sets dmean (batch x dims) and ADDS to dlog_std (dims) the gradients given
// dLoss/dlog_prob and dLoss/dentropy per row (either may be null: zero).
template <typename T>
void GaussianBackward(const Matrix<T>& mean, const T* log_std,
                      const Matrix<T>& actions, const T* dlog_prob,
                      const T* dentropy, Matrix<T>* dmean, T* dlog_std);

// Huber loss of an error x with threshold delta: x^2 / 2 for |x| <= delta,
// delta (|x| - delta / 2) beyond (torch's smooth_l1_loss with beta = delta =
// 1). And its derivative.
template <typename T>
T Huber(T x, T delta) {
  const T a = x < T(0) ? -x : x;
  return a <= delta ? T(0.5) * x * x : delta * (a - T(0.5) * delta);
}
template <typename T>
T HuberGrad(T x, T delta) {
  return x > delta ? delta : (x < -delta ? -delta : x);
}

}  // namespace nn
}  // namespace rl

#endif  // RL_AGENTS_NN_DISTRIBUTIONS_H_
