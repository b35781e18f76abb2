// Test helper: gradients by central finite differences, in double precision,
// to check the analytic backward passes against.
//
// Example:
//   std::vector<double> numeric = NumericGradient(
//       [&] { return Loss(params); }, &params);
//   ExpectGradientsNear(analytic, numeric, 1e-6);
#ifndef RL_AGENTS_NN_GRADIENT_CHECK_H_
#define RL_AGENTS_NN_GRADIENT_CHECK_H_

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace rl {
namespace nn {

// d loss / d values[k] for every k, by (f(v + h) - f(v - h)) / 2h; `values`
// is restored afterwards.
inline std::vector<double> NumericGradient(const std::function<double()>& loss,
                                           double* values, size_t count,
                                           double h = 1e-6) {
  std::vector<double> grad(count);
  for (size_t k = 0; k < count; ++k) {
    const double saved = values[k];
    values[k] = saved + h;
    const double plus = loss();
    values[k] = saved - h;
    const double minus = loss();
    values[k] = saved;
    grad[k] = (plus - minus) / (2 * h);
  }
  return grad;
}

// Each analytic value within `tolerance` of the numeric one, relative to
// max(1, |numeric|).
inline void ExpectGradientsNear(const std::vector<double>& analytic,
                                const std::vector<double>& numeric,
                                double tolerance, const std::string& what) {
  ASSERT_EQ(analytic.size(), numeric.size()) << what;
  for (size_t k = 0; k < analytic.size(); ++k) {
    const double scale = std::max(1.0, std::abs(numeric[k]));
    EXPECT_NEAR(analytic[k] / scale, numeric[k] / scale, tolerance)
        << what << " [" << k << "]: analytic " << analytic[k] << ", numeric "
        << numeric[k];
  }
}

}  // namespace nn
}  // namespace rl

#endif  // RL_AGENTS_NN_GRADIENT_CHECK_H_
