#include "rl/agents/nn/distributions.h"

#include <cmath>
#include <vector>

#include "rl/agents/nn/random.h"

namespace rl {
namespace nn {
namespace {

// log softmax of one row into `out`.
template <typename T>
void LogSoftmax(const T* z, int n, T* out) {
  T max = z[0];
  for (int k = 1; k < n; ++k) max = z[k] > max ? z[k] : max;
  T sum = 0;
  for (int k = 0; k < n; ++k) sum += std::exp(z[k] - max);
  const T lse = max + std::log(sum);
  for (int k = 0; k < n; ++k) out[k] = z[k] - lse;
}

constexpr double kHalfLog2Pi = 0.91893853320467274178;  // log(2 pi) / 2

}  // namespace

template <typename T>
void CategoricalForward(const Matrix<T>& logits, const int64_t* actions,
                        T* log_prob, T* entropy) {
  const int n = logits.cols();
  std::vector<T> logp(n);
  for (int r = 0; r < logits.rows(); ++r) {
    LogSoftmax(logits.row(r), n, logp.data());
    if (log_prob != nullptr) log_prob[r] = logp[actions[r]];
    if (entropy != nullptr) {
      T h = 0;
      for (int k = 0; k < n; ++k) h -= std::exp(logp[k]) * logp[k];
      entropy[r] = h;
    }
  }
}

template <typename T>
void CategoricalBackward(const Matrix<T>& logits, const int64_t* actions,
                         const T* dlog_prob, const T* dentropy,
                         Matrix<T>* dlogits) {
  const int n = logits.cols();
  dlogits->Resize(logits.rows(), n);
  std::vector<T> logp(n);
  for (int r = 0; r < logits.rows(); ++r) {
    LogSoftmax(logits.row(r), n, logp.data());
    T h = 0;
    for (int k = 0; k < n; ++k) h -= std::exp(logp[k]) * logp[k];
    const T glp = dlog_prob != nullptr ? dlog_prob[r] : T(0);
    const T gh = dentropy != nullptr ? dentropy[r] : T(0);
    T* d = dlogits->row(r);
    for (int k = 0; k < n; ++k) {
      const T p = std::exp(logp[k]);
      // d log p_a / dz_k = [k == a] - p_k;  dH / dz_k = -p_k (log p_k + H).
      d[k] =
          glp * ((k == actions[r] ? T(1) : T(0)) - p) - gh * p * (logp[k] + h);
    }
  }
}

template <typename T>
int64_t CategoricalSample(const T* logits, int n, std::mt19937_64& rng) {
  std::vector<double> logp(n);
  std::vector<double> z(logits, logits + n);
  LogSoftmax(z.data(), n, logp.data());
  const double draw = UniformUnit(rng);
  double cumulative = 0;
  for (int k = 0; k < n; ++k) {
    cumulative += std::exp(logp[k]);
    if (draw < cumulative) return k;
  }
  // Rounding left the total just below the draw: the last outcome was due.
  return n - 1;
}

template <typename T>
int64_t Argmax(const T* values, int n) {
  int64_t best = 0;
  for (int k = 1; k < n; ++k) {
    if (values[k] > values[best]) best = k;
  }
  return best;
}

template <typename T>
void GaussianForward(const Matrix<T>& mean, const T* log_std,
                     const Matrix<T>& actions, T* log_prob, T* entropy) {
  const int dims = mean.cols();
  T entropy_value = 0;
  T log_norm = 0;  // sum over dims of log_std + log(2 pi) / 2
  for (int d = 0; d < dims; ++d) {
    entropy_value += log_std[d] + T(0.5 + kHalfLog2Pi);
    log_norm += log_std[d] + T(kHalfLog2Pi);
  }
  for (int r = 0; r < mean.rows(); ++r) {
    if (log_prob != nullptr) {
      T sum = 0;
      for (int d = 0; d < dims; ++d) {
        const T z = (actions(r, d) - mean(r, d)) * std::exp(-log_std[d]);
        sum -= T(0.5) * z * z;
      }
      log_prob[r] = sum - log_norm;
    }
    if (entropy != nullptr) entropy[r] = entropy_value;
  }
}

template <typename T>
void GaussianBackward(const Matrix<T>& mean, const T* log_std,
                      const Matrix<T>& actions, const T* dlog_prob,
                      const T* dentropy, Matrix<T>* dmean, T* dlog_std) {
  const int dims = mean.cols();
  dmean->Resize(mean.rows(), dims);
  for (int r = 0; r < mean.rows(); ++r) {
    const T glp = dlog_prob != nullptr ? dlog_prob[r] : T(0);
    const T gh = dentropy != nullptr ? dentropy[r] : T(0);
    for (int d = 0; d < dims; ++d) {
      const T inv_var = std::exp(T(-2) * log_std[d]);
      const T diff = actions(r, d) - mean(r, d);
      // d log p / d mean = diff / var;  d log p / d log_std = diff^2/var - 1;
      // d H / d log_std = 1.
      (*dmean)(r, d) = glp * diff * inv_var;
      dlog_std[d] += glp * (diff * diff * inv_var - T(1)) + gh;
    }
  }
}

#define RL_NN_INSTANTIATE(T)                                                \
  template void CategoricalForward<T>(const Matrix<T>&, const int64_t*, T*, \
                                      T*);                                  \
  template void CategoricalBackward<T>(const Matrix<T>&, const int64_t*,    \
                                       const T*, const T*, Matrix<T>*);     \
  template int64_t CategoricalSample<T>(const T*, int, std::mt19937_64&);   \
  template int64_t Argmax<T>(const T*, int);                                \
  template void GaussianForward<T>(const Matrix<T>&, const T*,              \
                                   const Matrix<T>&, T*, T*);               \
  template void GaussianBackward<T>(const Matrix<T>&, const T*,             \
                                    const Matrix<T>&, const T*, const T*,   \
                                    Matrix<T>*, T*);

RL_NN_INSTANTIATE(float)
RL_NN_INSTANTIATE(double)
#undef RL_NN_INSTANTIATE

}  // namespace nn
}  // namespace rl
