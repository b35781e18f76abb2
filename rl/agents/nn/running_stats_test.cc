#include "rl/agents/nn/running_stats.h"

#include <cmath>
#include <vector>

#include "gtest/gtest.h"

namespace rl {
namespace nn {
namespace {

TEST(RunningMeanStdTest, MergedBatchesGiveTheStatisticsOfAllData) {
  RunningMeanStd stats(2);
  std::vector<float> all;
  for (int batch = 0; batch < 5; ++batch) {
    std::vector<float> values;
    for (int r = 0; r < 3 + batch; ++r) {
      values.push_back(static_cast<float>(r * 0.5 + batch));
      values.push_back(static_cast<float>(-2.0 * r * r));
    }
    stats.Update(values.data(), static_cast<int>(values.size() / 2));
    all.insert(all.end(), values.begin(), values.end());
  }
  const int n = static_cast<int>(all.size() / 2);
  for (int d = 0; d < 2; ++d) {
    double mean = 0, var = 0;
    for (int r = 0; r < n; ++r) mean += all[2 * r + d];
    mean /= n;
    for (int r = 0; r < n; ++r) var += std::pow(all[2 * r + d] - mean, 2);
    var /= n;
    // The 1e-4 pseudo-count at mean 0, variance 1 shifts them very slightly.
    EXPECT_NEAR(stats.mean()[d], mean, 1e-3 * std::max(1.0, std::abs(mean)));
    EXPECT_NEAR(stats.var()[d], var, 1e-3 * std::max(1.0, var));
  }
  EXPECT_NEAR(stats.count(), n, 1e-3);
}

TEST(RunningMeanStdTest, NormalizeCentresScalesAndClips) {
  RunningMeanStd stats(1);
  stats.Set({2.0}, {4.0}, 10);
  const float in[] = {6.0f};
  float out[1];
  stats.Normalize(in, out, 10);
  EXPECT_NEAR(out[0], 2.0f, 1e-6);
  stats.Normalize(in, out, 1.5);
  EXPECT_FLOAT_EQ(out[0], 1.5f);
}

}  // namespace
}  // namespace nn
}  // namespace rl
