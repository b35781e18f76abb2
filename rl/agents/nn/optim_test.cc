#include "rl/agents/nn/optim.h"

#include <cmath>
#include <vector>

#include "gtest/gtest.h"

namespace rl {
namespace nn {
namespace {

// torch.optim.Adam's update written out in double, step by step.
TEST(AdamTest, MatchesTheReferenceUpdate) {
  const AdamOptions options{0.9, 0.999, 1e-8};
  Adam<double> adam({2}, options);
  std::vector<double> params = {1.0, -2.0};
  double m[2] = {0, 0}, v[2] = {0, 0}, ref[2] = {1.0, -2.0};
  const double lr = 0.1;
  for (int t = 1; t <= 5; ++t) {
    // Gradient of p0^2 + 3 p1^2; both updates get the same one.
    const std::vector<double> grad = {2 * params[0], 6 * params[1]};
    adam.Step({{params.data(), grad.data()}}, lr);
    for (int k = 0; k < 2; ++k) {
      m[k] = 0.9 * m[k] + 0.1 * grad[k];
      v[k] = 0.999 * v[k] + 0.001 * grad[k] * grad[k];
      const double c1 = 1 - std::pow(0.9, t), c2 = 1 - std::pow(0.999, t);
      ref[k] -= lr / c1 * m[k] / (std::sqrt(v[k]) / std::sqrt(c2) + 1e-8);
    }
    EXPECT_NEAR(params[0], ref[0], 1e-12);
    EXPECT_NEAR(params[1], ref[1], 1e-12);
  }
  EXPECT_EQ(adam.steps(), 5);
}

TEST(AdamTest, FirstStepMovesEveryParameterByTheLearningRate) {
  Adam<float> adam({3}, AdamOptions{});
  std::vector<float> params = {0, 0, 0};
  const std::vector<float> grad = {5.0f, -0.001f, 100.0f};
  adam.Step({{params.data(), grad.data()}}, 0.01);
  EXPECT_NEAR(params[0], -0.01f, 1e-6);
  EXPECT_NEAR(params[1], 0.01f, 1e-4);
  EXPECT_NEAR(params[2], -0.01f, 1e-6);
}

TEST(AdamTest, SeveralBlocksShareTheStepCounter) {
  Adam<double> joint({1, 1}, AdamOptions{});
  Adam<double> single({2}, AdamOptions{});
  std::vector<double> a = {1}, b = {2}, both = {1, 2};
  for (int t = 0; t < 3; ++t) {
    const std::vector<double> ga = {a[0]}, gb = {-b[0]};
    const std::vector<double> g = {both[0], -both[1]};
    joint.Step({{a.data(), ga.data()}, {b.data(), gb.data()}}, 0.05);
    single.Step({{both.data(), g.data()}}, 0.05);
  }
  EXPECT_DOUBLE_EQ(a[0], both[0]);
  EXPECT_DOUBLE_EQ(b[0], both[1]);
}

TEST(AdamTest, MinimisesAQuadratic) {
  Adam<double> adam({2}, AdamOptions{});
  std::vector<double> p = {3, -4};
  for (int t = 0; t < 2000; ++t) {
    const std::vector<double> g = {2 * (p[0] - 1), 2 * (p[1] + 2)};
    adam.Step({{p.data(), g.data()}}, 0.05);
  }
  EXPECT_NEAR(p[0], 1, 1e-3);
  EXPECT_NEAR(p[1], -2, 1e-3);
}

TEST(ClipGlobalNormTest, ScalesOnlyAboveTheLimit) {
  std::vector<float> a = {3}, b = {4};  // Joint norm 5.
  const double norm =
      ClipGlobalNorm<float>({{a.data(), 1}, {b.data(), 1}}, 1.0);
  EXPECT_DOUBLE_EQ(norm, 5.0);
  EXPECT_NEAR(std::hypot(a[0], b[0]), 1.0, 1e-5);
  EXPECT_NEAR(a[0] / b[0], 0.75, 1e-6);

  std::vector<float> small = {0.3f, 0.4f};
  EXPECT_NEAR(ClipGlobalNorm<float>({{small.data(), 2}}, 1.0), 0.5, 1e-7);
  EXPECT_EQ(small[0], 0.3f);
  EXPECT_EQ(small[1], 0.4f);
}

}  // namespace
}  // namespace nn
}  // namespace rl
