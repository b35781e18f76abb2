#include "rl/agents/nn/mlp.h"

#include <cmath>
#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "rl/agents/nn/gradient_check.h"
#include "rl/agents/nn/random.h"

namespace rl {
namespace nn {
namespace {

TEST(MlpTest, LayoutAndSizes) {
  Mlp<float> net({4, 8, 3}, Activation::kTanh);
  EXPECT_EQ(net.num_layers(), 2);
  EXPECT_EQ(net.input_size(), 4);
  EXPECT_EQ(net.output_size(), 3);
  EXPECT_EQ(net.num_params(), 4u * 8 + 8 + 8 * 3 + 3);
  EXPECT_EQ(net.weight_offset(0), 0u);
  EXPECT_EQ(net.bias_offset(0), 32u);
  EXPECT_EQ(net.weight_offset(1), 40u);
  EXPECT_EQ(net.bias_offset(1), 64u);
  EXPECT_EQ(net.Describe(), "4-8-3 tanh");
}

// The whole network against finite differences, for every parameter and
// every input, with a loss sum(c .* output).
class MlpGradientTest : public testing::TestWithParam<Activation> {};

TEST_P(MlpGradientTest, BackwardMatchesFiniteDifferences) {
  std::mt19937_64 rng(3);
  Mlp<double> net({5, 7, 6, 3}, GetParam());
  net.InitXavier(rng);
  // Non-zero biases, so their gradients are exercised in a general point.
  for (int l = 0; l < net.num_layers(); ++l) {
    for (int o = 0; o < net.sizes()[l + 1]; ++o) {
      net.bias(l)[o] = 0.1 * StandardNormal(rng);
    }
  }
  Matrix<double> x(4, 5), c(4, 3);
  for (size_t k = 0; k < x.size(); ++k) x.data()[k] = StandardNormal(rng);
  for (size_t k = 0; k < c.size(); ++k) c.data()[k] = StandardNormal(rng);
  Mlp<double>::Workspace ws;
  auto loss = [&] {
    Mlp<double>::Workspace scratch;
    const Matrix<double>& y = net.Forward(x, &scratch);
    double sum = 0;
    for (size_t k = 0; k < y.size(); ++k) sum += c.data()[k] * y.data()[k];
    return sum;
  };
  net.Forward(x, &ws);
  std::vector<double> grad(net.num_params(), 0.0);
  Matrix<double> grad_in;
  net.Backward(&ws, c, grad.data(), &grad_in);

  // ReLU has kinks: a finite difference across one is wrong, so check that
  // no pre-activation is within the step of zero for this seed.
  const std::vector<double> numeric =
      NumericGradient(loss, net.params().data(), net.num_params());
  ExpectGradientsNear(grad, numeric, 1e-6, "params");
  ExpectGradientsNear(
      std::vector<double>(grad_in.data(), grad_in.data() + grad_in.size()),
      NumericGradient(loss, x.data(), x.size()), 1e-6, "input");
}

INSTANTIATE_TEST_SUITE_P(All, MlpGradientTest,
                         testing::Values(Activation::kTanh, Activation::kRelu),
                         [](const testing::TestParamInfo<Activation>& info) {
                           return ActivationName(info.param);
                         });

TEST(MlpTest, BackwardWithoutInputGradientGivesTheSameParameterGradient) {
  std::mt19937_64 rng(4);
  Mlp<double> net({3, 4, 2}, Activation::kTanh);
  net.InitOrthogonal(rng, std::sqrt(2.0), 1.0);
  Matrix<double> x(2, 3), c(2, 2);
  for (size_t k = 0; k < x.size(); ++k) x.data()[k] = StandardNormal(rng);
  for (size_t k = 0; k < c.size(); ++k) c.data()[k] = StandardNormal(rng);
  Mlp<double>::Workspace ws;
  net.Forward(x, &ws);
  std::vector<double> with_input(net.num_params(), 0.0);
  Matrix<double> grad_in;
  net.Backward(&ws, c, with_input.data(), &grad_in);
  net.Forward(x, &ws);
  std::vector<double> without(net.num_params(), 0.0);
  net.Backward(&ws, c, without.data());
  EXPECT_EQ(with_input, without);
}

TEST(MlpTest, FloatAgreesWithDouble) {
  std::mt19937_64 rng_a(5), rng_b(5);
  Mlp<float> f({4, 64, 64, 2}, Activation::kTanh);
  Mlp<double> d({4, 64, 64, 2}, Activation::kTanh);
  f.InitOrthogonal(rng_a, std::sqrt(2.0), 1.0);
  d.InitOrthogonal(rng_b, std::sqrt(2.0), 1.0);
  Matrix<float> xf(3, 4);
  Matrix<double> xd(3, 4);
  for (size_t k = 0; k < xf.size(); ++k) {
    xd.data()[k] = 0.3 * k - 1.0;
    xf.data()[k] = static_cast<float>(xd.data()[k]);
  }
  Mlp<float>::Workspace wf;
  Mlp<double>::Workspace wd;
  const Matrix<float>& yf = f.Forward(xf, &wf);
  const Matrix<double>& yd = d.Forward(xd, &wd);
  for (size_t k = 0; k < yf.size(); ++k) {
    EXPECT_NEAR(yf.data()[k], yd.data()[k], 1e-4);
  }
}

TEST(MlpTest, InitIsDeterministicBySeed) {
  Mlp<float> a({4, 16, 2}, Activation::kRelu), b = a, c = a;
  std::mt19937_64 rng_a(9), rng_b(9), rng_c(10);
  a.InitOrthogonal(rng_a, std::sqrt(2.0), 0.01);
  b.InitOrthogonal(rng_b, std::sqrt(2.0), 0.01);
  c.InitOrthogonal(rng_c, std::sqrt(2.0), 0.01);
  EXPECT_EQ(a.params(), b.params());
  EXPECT_NE(a.params(), c.params());
}

// Orthogonal init: W (in x out, ours) has orthonormal columns when in >= out
// and orthonormal rows otherwise, times the gain; biases are zero.
TEST(MlpTest, OrthogonalInitIsOrthogonalWithTheGain) {
  std::mt19937_64 rng(11);
  Mlp<double> net({3, 8, 2}, Activation::kTanh);
  net.InitOrthogonal(rng, 2.0, 0.5);
  for (int l = 0; l < net.num_layers(); ++l) {
    const int in = net.sizes()[l];
    const int out = net.sizes()[l + 1];
    const double gain = l == 0 ? 2.0 : 0.5;
    const double* w = net.weights(l);
    // Gram matrix of the smaller dimension's vectors.
    const bool columns = in >= out;
    const int vectors = columns ? out : in;
    const int length = columns ? in : out;
    for (int a = 0; a < vectors; ++a) {
      for (int b = 0; b < vectors; ++b) {
        double dot = 0;
        for (int k = 0; k < length; ++k) {
          const double va = columns ? w[k * out + a] : w[a * out + k];
          const double vb = columns ? w[k * out + b] : w[b * out + k];
          dot += va * vb;
        }
        EXPECT_NEAR(dot, a == b ? gain * gain : 0.0, 1e-9)
            << "layer " << l << " (" << a << ", " << b << ")";
      }
    }
    for (int o = 0; o < out; ++o) EXPECT_EQ(net.bias(l)[o], 0.0);
  }
}

TEST(MlpTest, XavierInitStaysInItsBounds) {
  std::mt19937_64 rng(12);
  Mlp<double> net({10, 30}, Activation::kTanh);
  net.InitXavier(rng);
  const double a = std::sqrt(6.0 / 40);
  double sum = 0;
  for (int k = 0; k < 300; ++k) {
    const double w = net.weights(0)[k];
    EXPECT_LE(std::abs(w), a);
    sum += w;
  }
  EXPECT_NEAR(sum / 300, 0.0, 0.05);
}

}  // namespace
}  // namespace nn
}  // namespace rl
