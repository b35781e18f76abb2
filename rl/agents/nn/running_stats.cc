#include "rl/agents/nn/running_stats.h"

#include <algorithm>
#include <cmath>

namespace rl {
namespace nn {

RunningMeanStd::RunningMeanStd(int dims) : mean_(dims, 0.0), var_(dims, 1.0) {}

void RunningMeanStd::Update(const float* values, int rows) {
  if (rows <= 0) return;
  const int n = dims();
  for (int d = 0; d < n; ++d) {
    double batch_mean = 0;
    for (int r = 0; r < rows; ++r) batch_mean += values[r * n + d];
    batch_mean /= rows;
    double batch_var = 0;
    for (int r = 0; r < rows; ++r) {
      const double diff = values[r * n + d] - batch_mean;
      batch_var += diff * diff;
    }
    batch_var /= rows;
    const double total = count_ + rows;
    const double delta = batch_mean - mean_[d];
    const double m2 = var_[d] * count_ + batch_var * rows +
                      delta * delta * count_ * rows / total;
    mean_[d] += delta * rows / total;
    var_[d] = m2 / total;
  }
  count_ += rows;
}

void RunningMeanStd::Merge(const std::vector<double>& batch_mean,
                           const std::vector<double>& batch_var, double count) {
  if (count <= 0) return;
  const double total = count_ + count;
  for (int d = 0; d < dims(); ++d) {
    const double delta = batch_mean[d] - mean_[d];
    const double m2 = var_[d] * count_ + batch_var[d] * count +
                      delta * delta * count_ * count / total;
    mean_[d] += delta * count / total;
    var_[d] = m2 / total;
  }
  count_ = total;
}

void RunningMeanStd::Normalize(const float* in, float* out, double clip) const {
  for (int d = 0; d < dims(); ++d) {
    const double z = (in[d] - mean_[d]) / std::sqrt(var_[d] + 1e-8);
    out[d] = static_cast<float>(std::clamp(z, -clip, clip));
  }
}

}  // namespace nn
}  // namespace rl
