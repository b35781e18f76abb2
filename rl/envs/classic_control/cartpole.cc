#include "rl/envs/classic_control/cartpole.h"

#include <cmath>
#include <limits>
#include <memory>

#include "rl/envs/env_kwargs.h"

namespace rl {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

EnvSpec CartPoleSpec(bool sutton_barto_reward) {
  EnvSpec spec;
  spec.id = "CartPole-v1";
  spec.max_episode_steps = 500;
  const float x = static_cast<float>(CartPole::kXThreshold * 2);
  const float theta = static_cast<float>(CartPole::kThetaThresholdRadians * 2);
  spec.observation_space =
      Space::Box({-x, -kInf, -theta, -kInf}, {x, kInf, theta, kInf});
  spec.action_space = Space::Discrete(2);
  spec.min_reward = sutton_barto_reward ? -1 : 1;
  spec.max_reward = sutton_barto_reward ? 0 : 1;
  spec.render_width = 600;
  spec.render_height = 400;
  spec.render_fps = 50;
  return spec;
}

const bool kRegistered = Envs().Register(
    "CartPole-v1", "balance a pole on a cart (Gymnasium classic_control)",
    []() -> absl::StatusOr<std::unique_ptr<Env>> {
      return std::make_unique<CartPole>();
    });

// gym.make("CartPole-v1", sutton_barto_reward=...).
const bool kConfigurable = ConfigurableEnvs().Register(
    "CartPole-v1", Envs().Description("CartPole-v1"),
    [](const EnvKwargs& kwargs) -> absl::StatusOr<std::unique_ptr<Env>> {
      bool sutton_barto_reward = false;
      EnvKwargsReader reader("CartPole-v1", kwargs);
      reader.Bool("sutton_barto_reward", &sutton_barto_reward);
      const absl::Status status = reader.Finish();
      if (!status.ok()) return status;
      return std::make_unique<CartPole>(sutton_barto_reward);
    });

}  // namespace

CartPole::CartPole(bool sutton_barto_reward)
    : Env(CartPoleSpec(sutton_barto_reward)),
      sutton_barto_reward_(sutton_barto_reward) {}

void CartPole::ResetState(std::mt19937_64& rng, Observation* observation) {
  for (double& value : state_) value = UniformReal(rng, -0.05, 0.05);
  WriteObservation(observation);
}

void CartPole::StepState(const Action& action, StepResult* result) {
  auto& [x, x_dot, theta, theta_dot] = state_;
  const double force = action.discrete == 1 ? kForceMag : -kForceMag;
  const double costheta = std::cos(theta);
  const double sintheta = std::sin(theta);
  const double temp =
      (force + kPoleMassLength * theta_dot * theta_dot * sintheta) / kTotalMass;
  const double thetaacc =
      (kGravity * sintheta - costheta * temp) /
      (kLength * (4.0 / 3.0 - kMassPole * costheta * costheta / kTotalMass));
  const double xacc = temp - kPoleMassLength * thetaacc * costheta / kTotalMass;
  // Gymnasium's default "euler" integrator: positions use the old velocities.
  x = x + kTau * x_dot;
  x_dot = x_dot + kTau * xacc;
  theta = theta + kTau * theta_dot;
  theta_dot = theta_dot + kTau * thetaacc;

  result->terminated = x < -kXThreshold || x > kXThreshold ||
                       theta < -kThetaThresholdRadians ||
                       theta > kThetaThresholdRadians;
  if (sutton_barto_reward_) {
    result->reward = result->terminated ? -1.0 : 0.0;
  } else {
    result->reward = 1.0;
  }
  WriteObservation(&result->observation);
}

void CartPole::WriteObservation(Observation* observation) const {
  observation->assign(state_.begin(), state_.end());
}

void CartPole::Draw(Canvas* canvas) const {
  // Gymnasium's render(): pygame coordinates with y up, flipped at the end;
  // here y is flipped per point (canvas y is down).
  const int width = spec().render_width;
  const int height = spec().render_height;
  canvas->Reset(width, height, kWhite);
  const double world_width = kXThreshold * 2;
  const double scale = width / world_width;
  const double pole_width = 10.0;
  const double pole_length = scale * (2 * kLength);
  const double cart_width = 50.0;
  const double cart_height = 30.0;
  const double axle_offset = cart_height / 4.0;
  const double cart_x = state_[0] * scale + width / 2.0;
  const double cart_y = 100;  // Top of the cart, in y-up coordinates.
  auto flip = [height](double x, double y) {
    return Point{static_cast<float>(x), static_cast<float>(height - y)};
  };

  {
    const double l = -cart_width / 2, r = cart_width / 2;
    const double t = cart_height / 2, b = -cart_height / 2;
    canvas->FillPolygon(
        {flip(l + cart_x, b + cart_y), flip(l + cart_x, t + cart_y),
         flip(r + cart_x, t + cart_y), flip(r + cart_x, b + cart_y)},
        Color{0, 0, 0});
  }
  {
    const double l = -pole_width / 2, r = pole_width / 2;
    const double t = pole_length - pole_width / 2, b = -pole_width / 2;
    // pygame's Vector2.rotate_rad(-theta): positive theta leans right.
    const double c = std::cos(-state_[2]), s = std::sin(-state_[2]);
    std::vector<Point> pole;
    for (const auto& [px, py] : {std::pair{l, b}, {l, t}, {r, t}, {r, b}}) {
      const double rx = px * c - py * s;
      const double ry = px * s + py * c;
      pole.push_back(flip(rx + cart_x, ry + cart_y + axle_offset));
    }
    canvas->FillPolygon(std::move(pole), Color{202, 152, 101});
  }
  // pygame's int(polewidth / 2).
  canvas->FillCircle(flip(cart_x, cart_y + axle_offset), 5,
                     Color{129, 132, 203});
  // The track: a 1-pixel horizontal line across the whole width.
  // pygame row `cart_y` (y up) is the pixel row height - 1 - cart_y; the line
  // is centred on that row so it covers exactly one pixel row.
  canvas->DrawLine(flip(0, cart_y + 0.5), flip(width, cart_y + 0.5), 1,
                   Color{0, 0, 0});
}

}  // namespace rl
