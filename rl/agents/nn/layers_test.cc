#include "rl/agents/nn/layers.h"

#include <random>
#include <vector>

#include "gtest/gtest.h"
#include "rl/agents/nn/gradient_check.h"
#include "rl/agents/nn/random.h"

namespace rl {
namespace nn {
namespace {

void FillNormal(std::mt19937_64& rng, double* values, size_t count) {
  for (size_t k = 0; k < count; ++k) values[k] = StandardNormal(rng);
}

TEST(DenseTest, ForwardIsXTimesWPlusB) {
  Matrix<double> x(2, 3);
  const double xs[] = {1, 2, 3, -1, 0, 2};
  std::copy(xs, xs + 6, x.data());
  // W is in x out = 3 x 2, input-major.
  const double w[] = {1, 0, 0, 1, 2, -1};
  const double b[] = {0.5, -0.5};
  Matrix<double> y;
  DenseForward(x, w, b, 2, &y);
  ASSERT_EQ(y.rows(), 2);
  ASSERT_EQ(y.cols(), 2);
  EXPECT_DOUBLE_EQ(y(0, 0), 1 * 1 + 3 * 2 + 0.5);
  EXPECT_DOUBLE_EQ(y(0, 1), 2 * 1 + 3 * -1 - 0.5);
  EXPECT_DOUBLE_EQ(y(1, 0), -1 + 2 * 2 + 0.5);
  EXPECT_DOUBLE_EQ(y(1, 1), 0 + 2 * -1 - 0.5);
}

// Loss = sum(c .* y) for fixed random c, so dLoss/dy = c.
TEST(DenseTest, BackwardMatchesFiniteDifferences) {
  std::mt19937_64 rng(1);
  const int batch = 4, in = 5, out = 3;
  Matrix<double> x(batch, in);
  std::vector<double> w(in * out), b(out);
  Matrix<double> c(batch, out);
  FillNormal(rng, x.data(), x.size());
  FillNormal(rng, w.data(), w.size());
  FillNormal(rng, b.data(), b.size());
  FillNormal(rng, c.data(), c.size());
  auto loss = [&] {
    Matrix<double> y;
    DenseForward(x, w.data(), b.data(), out, &y);
    double sum = 0;
    for (size_t k = 0; k < y.size(); ++k) sum += c.data()[k] * y.data()[k];
    return sum;
  };
  std::vector<double> dw(w.size(), 0.0), db(b.size(), 0.0), scratch;
  Matrix<double> dx;
  DenseBackward(x, w.data(), out, c, dw.data(), db.data(), &dx, &scratch);
  ExpectGradientsNear(dw, NumericGradient(loss, w.data(), w.size()), 1e-7,
                      "dW");
  ExpectGradientsNear(db, NumericGradient(loss, b.data(), b.size()), 1e-7,
                      "db");
  ExpectGradientsNear(std::vector<double>(dx.data(), dx.data() + dx.size()),
                      NumericGradient(loss, x.data(), x.size()), 1e-7, "dx");
}

TEST(DenseTest, BackwardAddsToTheParameterGradients) {
  Matrix<double> x(1, 1);
  x(0, 0) = 2;
  const double w[] = {3};
  Matrix<double> dy(1, 1);
  dy(0, 0) = 1;
  double dw = 10, db = 20;
  std::vector<double> scratch;
  DenseBackward<double>(x, w, 1, dy, &dw, &db, nullptr, &scratch);
  EXPECT_DOUBLE_EQ(dw, 12);
  EXPECT_DOUBLE_EQ(db, 21);
}

class ActivationTest : public testing::TestWithParam<Activation> {};

TEST_P(ActivationTest, BackwardMatchesFiniteDifferences) {
  std::mt19937_64 rng(2);
  Matrix<double> x(3, 4), c(3, 4);
  FillNormal(rng, x.data(), x.size());
  FillNormal(rng, c.data(), c.size());
  // Keep ReLU's inputs away from its kink, where the derivative jumps.
  for (size_t k = 0; k < x.size(); ++k) {
    if (std::abs(x.data()[k]) < 0.1) x.data()[k] = 0.5;
  }
  auto loss = [&] {
    Matrix<double> y = x;
    ActivationForward(GetParam(), &y);
    double sum = 0;
    for (size_t k = 0; k < y.size(); ++k) sum += c.data()[k] * y.data()[k];
    return sum;
  };
  Matrix<double> y = x;
  ActivationForward(GetParam(), &y);
  Matrix<double> grad = c;
  ActivationBackward(GetParam(), y, &grad);
  ExpectGradientsNear(
      std::vector<double>(grad.data(), grad.data() + grad.size()),
      NumericGradient(loss, x.data(), x.size()), 1e-7,
      ActivationName(GetParam()));
}

INSTANTIATE_TEST_SUITE_P(All, ActivationTest,
                         testing::Values(Activation::kIdentity,
                                         Activation::kTanh, Activation::kRelu),
                         [](const testing::TestParamInfo<Activation>& info) {
                           return ActivationName(info.param);
                         });

TEST(ActivationTest, ParsesNamesAndRefusesOthers) {
  EXPECT_EQ(*ParseActivation("relu"), Activation::kRelu);
  EXPECT_EQ(*ParseActivation("tanh"), Activation::kTanh);
  const auto bad = ParseActivation("sigmoid");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("tanh, relu"), absl::string_view::npos)
      << bad.status();
}

}  // namespace
}  // namespace nn
}  // namespace rl
