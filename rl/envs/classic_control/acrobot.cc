#include "rl/envs/classic_control/acrobot.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

namespace rl {
namespace {

constexpr int kScreenDim = 500;

EnvSpec AcrobotSpec() {
  EnvSpec spec;
  spec.id = "Acrobot-v1";
  spec.max_episode_steps = 500;
  const float v1 = static_cast<float>(Acrobot::kMaxVel1);
  const float v2 = static_cast<float>(Acrobot::kMaxVel2);
  spec.observation_space =
      Space::Box({-1, -1, -1, -1, -v1, -v2}, {1, 1, 1, 1, v1, v2});
  spec.action_space = Space::Discrete(3);
  spec.min_reward = -1;
  spec.max_reward = 0;
  spec.render_width = kScreenDim;
  spec.render_height = kScreenDim;
  spec.render_fps = 15;
  return spec;
}

const bool kRegistered = Envs().Register(
    "Acrobot-v1", "swing up a two-link pendulum (Gymnasium classic_control)",
    []() -> absl::StatusOr<std::unique_ptr<Env>> {
      return std::make_unique<Acrobot>();
    });

// Gymnasium's wrap(): steps of (M - m) until m <= x <= M.
double Wrap(double x, double m, double big_m) {
  const double diff = big_m - m;
  while (x > big_m) x = x - diff;
  while (x < m) x = x + diff;
  return x;
}

}  // namespace

Acrobot::Acrobot(Dynamics dynamics) : Env(AcrobotSpec()), dynamics_(dynamics) {}

void Acrobot::ResetState(std::mt19937_64& rng, Observation* observation) {
  // np_random.uniform(-0.1, 0.1, size=(4,)).astype(np.float32).
  for (double& value : state_) {
    value = static_cast<float>(UniformReal(rng, -0.1, 0.1));
  }
  WriteObservation(observation);
}

// Gymnasium's _dsdt, term for term in the same order (so rounding matches).
Acrobot::Augmented Acrobot::Derivatives(const Augmented& s) const {
  const double m1 = kLinkMass1, m2 = kLinkMass2, l1 = kLinkLength1;
  const double lc1 = kLinkComPos1, lc2 = kLinkComPos2;
  const double i1 = kLinkMoi, i2 = kLinkMoi;
  const double g = 9.8;
  const double a = s[4];
  const double theta1 = s[0], theta2 = s[1];
  const double dtheta1 = s[2], dtheta2 = s[3];
  const double d1 =
      m1 * (lc1 * lc1) +
      m2 * (l1 * l1 + lc2 * lc2 + 2 * l1 * lc2 * std::cos(theta2)) + i1 + i2;
  const double d2 = m2 * (lc2 * lc2 + l1 * lc2 * std::cos(theta2)) + i2;
  const double phi2 = m2 * lc2 * g * std::cos(theta1 + theta2 - M_PI / 2.0);
  const double phi1 = -m2 * l1 * lc2 * (dtheta2 * dtheta2) * std::sin(theta2) -
                      2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * std::sin(theta2) +
                      (m1 * lc1 + m2 * l1) * g * std::cos(theta1 - M_PI / 2) +
                      phi2;
  double ddtheta2;
  if (dynamics_ == Dynamics::kNips) {
    ddtheta2 =
        (a + d2 / d1 * phi1 - phi2) / (m2 * (lc2 * lc2) + i2 - (d2 * d2) / d1);
  } else {
    ddtheta2 = (a + d2 / d1 * phi1 -
                m2 * l1 * lc2 * (dtheta1 * dtheta1) * std::sin(theta2) - phi2) /
               (m2 * (lc2 * lc2) + i2 - (d2 * d2) / d1);
  }
  const double ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
  return {dtheta1, dtheta2, ddtheta1, ddtheta2, 0.0};
}

void Acrobot::StepState(const Action& action, StepResult* result) {
  static constexpr double kTorques[3] = {-1.0, 0.0, 1.0};
  const Augmented y0 = {state_[0], state_[1], state_[2], state_[3],
                        kTorques[action.discrete]};
  // Gymnasium's rk4(derivs, y0, [0, dt]): one classic Runge-Kutta step.
  const double dt = kDt;
  const double dt2 = dt / 2.0;
  auto add = [](const Augmented& y, double h, const Augmented& k) {
    Augmented out;
    for (int i = 0; i < 5; ++i) out[i] = y[i] + h * k[i];
    return out;
  };
  const Augmented k1 = Derivatives(y0);
  const Augmented k2 = Derivatives(add(y0, dt2, k1));
  const Augmented k3 = Derivatives(add(y0, dt2, k2));
  const Augmented k4 = Derivatives(add(y0, dt, k3));
  for (int i = 0; i < 4; ++i) {
    state_[i] = y0[i] + dt / 6.0 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
  }
  state_[0] = Wrap(state_[0], -M_PI, M_PI);
  state_[1] = Wrap(state_[1], -M_PI, M_PI);
  state_[2] = std::min(std::max(state_[2], -kMaxVel1), kMaxVel1);
  state_[3] = std::min(std::max(state_[3], -kMaxVel2), kMaxVel2);
  result->terminated =
      -std::cos(state_[0]) - std::cos(state_[1] + state_[0]) > 1.0;
  result->reward = result->terminated ? 0.0 : -1.0;
  WriteObservation(&result->observation);
}

void Acrobot::WriteObservation(Observation* observation) const {
  observation->resize(6);
  float* o = observation->data();
  o[0] = static_cast<float>(std::cos(state_[0]));
  o[1] = static_cast<float>(std::sin(state_[0]));
  o[2] = static_cast<float>(std::cos(state_[1]));
  o[3] = static_cast<float>(std::sin(state_[1]));
  o[4] = static_cast<float>(state_[2]);
  o[5] = static_cast<float>(state_[3]);
}

void Acrobot::Draw(Canvas* canvas) const {
  // Gymnasium's render(): pygame coordinates with y up, the surface flipped
  // at the end; flipped per point here. Integer-positioned pygame circles
  // sit on pixel centres.
  constexpr double kDim = kScreenDim;
  canvas->Reset(kScreenDim, kScreenDim, kWhite);
  const double bound = kLinkLength1 + kLinkLength2 + 0.2;
  const double scale = kDim / (bound * 2);
  const double offset = kDim / 2;
  auto flip = [](double x, double y) {
    return Point{static_cast<float>(x), static_cast<float>(kDim - y)};
  };
  const double s0 = state_[0], s1 = state_[1];
  const double p1[2] = {-kLinkLength1 * std::cos(s0) * scale,
                        kLinkLength1 * std::sin(s0) * scale};
  // Gymnasium's xys[:, ::-1]: the points with their coordinates swapped.
  const double joints[2][2] = {{0, 0}, {p1[1], p1[0]}};
  const double thetas[2] = {s0 - M_PI / 2, s0 + s1 - M_PI / 2};
  const double lengths[2] = {kLinkLength1 * scale, kLinkLength2 * scale};

  // The target line, one link length above the pivot (pygame.draw.line,
  // 1 pixel, on row offset + scale).
  const double line_y = 1 * scale + offset;
  canvas->DrawLine(flip(-2.2 * scale + offset, line_y + 0.5),
                   flip(2.2 * scale + offset, line_y + 0.5), 1, kBlack);

  for (int i = 0; i < 2; ++i) {
    const double x = joints[i][0] + offset;
    const double y = joints[i][1] + offset;
    const double l = 0, r = lengths[i], t = 0.1 * scale, b = -0.1 * scale;
    const double c = std::cos(thetas[i]), s = std::sin(thetas[i]);
    std::vector<Point> link;
    for (const auto& [px, py] : {std::pair{l, b}, {l, t}, {r, t}, {r, b}}) {
      link.push_back(flip(px * c - py * s + x, px * s + py * c + y));
    }
    canvas->FillPolygon(std::move(link), Color{0, 204, 204, 255});
    canvas->FillCircle({static_cast<int>(x) + 0.5f,
                        static_cast<float>(kDim - (static_cast<int>(y) + 0.5))},
                       static_cast<int>(0.1 * scale), Color{204, 204, 0, 255});
  }
}

}  // namespace rl
