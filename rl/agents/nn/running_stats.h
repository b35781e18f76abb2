// RunningMeanStd: running mean and variance of vectors, merged batch by batch
// (Chan et al.'s parallel algorithm, as Stable-Baselines3's RunningMeanStd),
// for normalising observations and rewards.
//
// Example:
//   RunningMeanStd stats(4);
//   stats.Update(batch.data(), batch.rows());
//   stats.Normalize(observation.data(), normalized.data(), /*clip=*/10);
#ifndef RL_AGENTS_NN_RUNNING_STATS_H_
#define RL_AGENTS_NN_RUNNING_STATS_H_

#include <vector>

namespace rl {
namespace nn {

class RunningMeanStd {
 public:
  RunningMeanStd() = default;
  // Starts at mean 0, variance 1 with a pseudo-count of 1e-4, as SB3, so the
  // first batch dominates at once.
  explicit RunningMeanStd(int dims);

  int dims() const { return static_cast<int>(mean_.size()); }
  // Merges `rows` vectors of dims() floats, row-major.
  void Update(const float* values, int rows);
  // Merges a batch given by its per-dimension mean and (population)
  // variance over `count` vectors.
  void Merge(const std::vector<double>& batch_mean,
             const std::vector<double>& batch_var, double count);
  // out = clip((in - mean) / sqrt(var + 1e-8), -clip, clip), dims() values.
  void Normalize(const float* in, float* out, double clip) const;

  const std::vector<double>& mean() const { return mean_; }
  const std::vector<double>& var() const { return var_; }
  double count() const { return count_; }
  // For checkpoints.
  void Set(std::vector<double> mean, std::vector<double> var, double count) {
    mean_ = std::move(mean);
    var_ = std::move(var);
    count_ = count;
  }

 private:
  std::vector<double> mean_;
  std::vector<double> var_;
  double count_ = 1e-4;
};

}  // namespace nn
}  // namespace rl

#endif  // RL_AGENTS_NN_RUNNING_STATS_H_
