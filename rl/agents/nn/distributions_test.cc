#include "rl/agents/nn/distributions.h"

#include <cmath>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "rl/agents/nn/gradient_check.h"
#include "rl/agents/nn/random.h"

namespace rl {
namespace nn {
namespace {

TEST(CategoricalTest, LogProbAndEntropyOfKnownLogits) {
  Matrix<double> logits(2, 3);
  // Row 0 uniform; row 1 log(1), log(2), log(5) -> probabilities 1/8, 2/8, 5/8.
  for (int k = 0; k < 3; ++k) logits(0, k) = 7.0;
  logits(1, 0) = 0;
  logits(1, 1) = std::log(2.0);
  logits(1, 2) = std::log(5.0);
  const int64_t actions[] = {1, 2};
  double log_prob[2], entropy[2];
  CategoricalForward(logits, actions, log_prob, entropy);
  EXPECT_NEAR(log_prob[0], std::log(1.0 / 3), 1e-12);
  EXPECT_NEAR(entropy[0], std::log(3.0), 1e-12);
  EXPECT_NEAR(log_prob[1], std::log(5.0 / 8), 1e-12);
  const double p[] = {1.0 / 8, 2.0 / 8, 5.0 / 8};
  double h = 0;
  for (double q : p) h -= q * std::log(q);
  EXPECT_NEAR(entropy[1], h, 1e-12);
}

TEST(CategoricalTest, IsStableForHugeLogits) {
  Matrix<float> logits(1, 2);
  logits(0, 0) = 1000;
  logits(0, 1) = -1000;
  const int64_t action = 1;
  float log_prob, entropy;
  CategoricalForward(logits, &action, &log_prob, &entropy);
  EXPECT_TRUE(std::isfinite(log_prob));
  EXPECT_NEAR(log_prob, -2000, 1e-2);
  EXPECT_NEAR(entropy, 0, 1e-6);
}

// Loss = sum_r (a_r log_prob_r + b_r entropy_r) for random a, b.
TEST(CategoricalTest, BackwardMatchesFiniteDifferences) {
  std::mt19937_64 rng(1);
  Matrix<double> logits(4, 3);
  for (size_t k = 0; k < logits.size(); ++k) {
    logits.data()[k] = StandardNormal(rng);
  }
  const int64_t actions[] = {0, 2, 1, 2};
  double a[4], b[4];
  for (int r = 0; r < 4; ++r) {
    a[r] = StandardNormal(rng);
    b[r] = StandardNormal(rng);
  }
  auto loss = [&] {
    double log_prob[4], entropy[4], sum = 0;
    CategoricalForward(logits, actions, log_prob, entropy);
    for (int r = 0; r < 4; ++r) sum += a[r] * log_prob[r] + b[r] * entropy[r];
    return sum;
  };
  Matrix<double> dlogits;
  CategoricalBackward(logits, actions, a, b, &dlogits);
  ExpectGradientsNear(
      std::vector<double>(dlogits.data(), dlogits.data() + dlogits.size()),
      NumericGradient(loss, logits.data(), logits.size()), 1e-7, "dlogits");
}

TEST(CategoricalTest, SamplesFollowTheSoftmax) {
  std::mt19937_64 rng(2);
  const float logits[] = {0.0f, std::log(3.0f)};  // p = 1/4, 3/4
  int ones = 0;
  const int draws = 20000;
  for (int i = 0; i < draws; ++i) ones += CategoricalSample(logits, 2, rng);
  EXPECT_NEAR(ones / static_cast<double>(draws), 0.75, 0.01);
}

TEST(ArgmaxTest, TakesTheLowestIndexOnTies) {
  const double values[] = {1, 3, 3, 2};
  EXPECT_EQ(Argmax(values, 4), 1);
}

TEST(GaussianTest, LogProbAndEntropyOfAStandardNormal) {
  Matrix<double> mean(1, 2), actions(1, 2);
  mean(0, 0) = 0;
  mean(0, 1) = 1;
  actions(0, 0) = 1;
  actions(0, 1) = 1;
  const double log_std[] = {0.0, std::log(2.0)};
  double log_prob, entropy;
  GaussianForward(mean, log_std, actions, &log_prob, &entropy);
  const double expected = (-0.5 - 0.5 * std::log(2 * M_PI)) +
                          (-std::log(2.0) - 0.5 * std::log(2 * M_PI));
  EXPECT_NEAR(log_prob, expected, 1e-12);
  EXPECT_NEAR(entropy, 2 * (0.5 + 0.5 * std::log(2 * M_PI)) + std::log(2.0),
              1e-12);
}

TEST(GaussianTest, BackwardMatchesFiniteDifferences) {
  std::mt19937_64 rng(3);
  Matrix<double> mean(3, 2), actions(3, 2);
  for (size_t k = 0; k < mean.size(); ++k) {
    mean.data()[k] = StandardNormal(rng);
    actions.data()[k] = StandardNormal(rng);
  }
  std::vector<double> log_std = {-0.3, 0.4};
  double a[3], b[3];
  for (int r = 0; r < 3; ++r) {
    a[r] = StandardNormal(rng);
    b[r] = StandardNormal(rng);
  }
  auto loss = [&] {
    double log_prob[3], entropy[3], sum = 0;
    GaussianForward(mean, log_std.data(), actions, log_prob, entropy);
    for (int r = 0; r < 3; ++r) sum += a[r] * log_prob[r] + b[r] * entropy[r];
    return sum;
  };
  Matrix<double> dmean;
  std::vector<double> dlog_std(2, 0.0);
  GaussianBackward(mean, log_std.data(), actions, a, b, &dmean,
                   dlog_std.data());
  ExpectGradientsNear(
      std::vector<double>(dmean.data(), dmean.data() + dmean.size()),
      NumericGradient(loss, mean.data(), mean.size()), 1e-7, "dmean");
  ExpectGradientsNear(dlog_std,
                      NumericGradient(loss, log_std.data(), log_std.size()),
                      1e-7, "dlog_std");
}

TEST(HuberTest, ValuesAndDerivative) {
  EXPECT_DOUBLE_EQ(Huber(0.5, 1.0), 0.125);
  EXPECT_DOUBLE_EQ(Huber(-3.0, 1.0), 2.5);
  EXPECT_DOUBLE_EQ(HuberGrad(0.5, 1.0), 0.5);
  EXPECT_DOUBLE_EQ(HuberGrad(-3.0, 1.0), -1.0);
  EXPECT_DOUBLE_EQ(HuberGrad(3.0, 1.0), 1.0);
  for (double x : {-2.0, -0.7, 0.3, 1.5}) {
    const double h = 1e-6;
    EXPECT_NEAR(HuberGrad(x, 1.0),
                (Huber(x + h, 1.0) - Huber(x - h, 1.0)) / (2 * h), 1e-7);
  }
}

}  // namespace
}  // namespace nn
}  // namespace rl
