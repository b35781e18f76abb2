#include "rl/envs/classic_control/pendulum.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include "rl/envs/env_kwargs.h"

namespace rl {
namespace {

constexpr int kScreenDim = 500;
constexpr Color kRodColor{204, 77, 77, 255};

EnvSpec PendulumSpec() {
  EnvSpec spec;
  spec.id = "Pendulum-v1";
  spec.max_episode_steps = 200;
  const float speed = static_cast<float>(Pendulum::kMaxSpeed);
  spec.observation_space = Space::Box({-1, -1, -speed}, {1, 1, speed});
  const float torque = static_cast<float>(Pendulum::kMaxTorque);
  spec.action_space = Space::Box({-torque}, {torque});
  // -(pi^2 + 0.1 * 8^2 + 0.001 * 2^2), Gymnasium's documented minimum.
  spec.min_reward = -(M_PI * M_PI + 0.1 * 64 + 0.001 * 4);
  spec.max_reward = 0;
  spec.render_width = kScreenDim;
  spec.render_height = kScreenDim;
  spec.render_fps = 30;
  return spec;
}

const bool kRegistered = Envs().Register(
    "Pendulum-v1", "swing a pendulum up (Gymnasium classic_control)",
    []() -> absl::StatusOr<std::unique_ptr<Env>> {
      return std::make_unique<Pendulum>();
    });

// gym.make("Pendulum-v1", g=...).
const bool kConfigurable = ConfigurableEnvs().Register(
    "Pendulum-v1", Envs().Description("Pendulum-v1"),
    [](const EnvKwargs& kwargs) -> absl::StatusOr<std::unique_ptr<Env>> {
      double g = Pendulum::kDefaultGravity;
      EnvKwargsReader reader("Pendulum-v1", kwargs);
      reader.Finite("g", &g);
      const absl::Status status = reader.Finish();
      if (!status.ok()) return status;
      return std::make_unique<Pendulum>(g);
    });

// pygame.math.Vector2(x, y).rotate_rad(angle).
Point Rotate(double x, double y, double angle) {
  const double c = std::cos(angle), s = std::sin(angle);
  return Point{static_cast<float>(x * c - y * s),
               static_cast<float>(x * s + y * c)};
}

// Gymnasium's clockwise.png, drawn from shapes: a black arc of 270 degrees
// with an arrowhead, fitting a `size` x `size` square centred on `center`
// (canvas coordinates, y down). `clockwise` as seen on screen.
void DrawTorqueArrow(Point center, double size, bool clockwise,
                     Canvas* canvas) {
  const double outer = 0.42 * size;
  const double inner = 0.28 * size;
  const double start = M_PI * 150 / 180;  // From the lower left...
  const double sweep = M_PI * 270 / 180;  // ...three quarters round.
  constexpr int kSegments = 36;
  const double mirror = clockwise ? 1.0 : -1.0;
  auto at = [&](double radius, double angle) {
    // Angles grow clockwise on screen (y down); mirroring x reverses that.
    return Point{
        static_cast<float>(center.x + mirror * radius * std::cos(angle)),
        static_cast<float>(center.y + radius * std::sin(angle))};
  };
  const double end = start + sweep * 0.85;  // Leave room for the head.
  std::vector<Point> band;
  for (int i = 0; i <= kSegments; ++i) {
    band.push_back(at(outer, start + (end - start) * i / kSegments));
  }
  for (int i = kSegments; i >= 0; --i) {
    band.push_back(at(inner, start + (end - start) * i / kSegments));
  }
  canvas->FillPolygon(std::move(band), kBlack);
  const double middle = (outer + inner) / 2;
  const double half_base = 0.16 * size;
  canvas->FillPolygon({at(middle + half_base, end), at(middle - half_base, end),
                       at(middle, start + sweep)},
                      kBlack);
}

}  // namespace

double AngleNormalize(double x) {
  // CPython's float modulo: fmod, moved into [0, 2 pi) when it came out
  // negative.
  double mod = std::fmod(x + M_PI, 2 * M_PI);
  if (mod < 0) mod += 2 * M_PI;
  return mod - M_PI;
}

Pendulum::Pendulum(double gravity) : Env(PendulumSpec()), gravity_(gravity) {}

void Pendulum::ResetState(std::mt19937_64& rng, Observation* observation) {
  state_[0] = UniformReal(rng, -M_PI, M_PI);
  state_[1] = UniformReal(rng, -1.0, 1.0);
  last_u_.reset();
  WriteObservation(observation);
}

void Pendulum::StepState(const Action& action, StepResult* result) {
  const double th = state_[0];
  const double thdot = state_[1];
  const double u = std::clamp(static_cast<double>(action.continuous[0]),
                              -kMaxTorque, kMaxTorque);
  last_u_ = u;
  const double normalized = AngleNormalize(th);
  const double costs =
      normalized * normalized + 0.1 * thdot * thdot + 0.001 * (u * u);
  double newthdot = thdot + (3 * gravity_ / (2 * kLength) * std::sin(th) +
                             3.0 / (kMass * kLength * kLength) * u) *
                                kDt;
  newthdot = std::clamp(newthdot, -kMaxSpeed, kMaxSpeed);
  state_[0] = th + newthdot * kDt;
  state_[1] = newthdot;
  result->reward = -costs;
  WriteObservation(&result->observation);
}

void Pendulum::WriteObservation(Observation* observation) const {
  observation->resize(3);
  (*observation)[0] = static_cast<float>(std::cos(state_[0]));
  (*observation)[1] = static_cast<float>(std::sin(state_[0]));
  (*observation)[2] = static_cast<float>(state_[1]);
}

void Pendulum::Draw(Canvas* canvas) const {
  // Gymnasium's render(): pygame coordinates, the surface flipped vertically
  // at the end; here y is flipped per point. Integer-positioned pygame
  // circles are centred on their pixel's centre.
  constexpr double kDim = kScreenDim;
  canvas->Reset(kScreenDim, kScreenDim, kWhite);
  const double bound = 2.2;
  const double scale = kDim / (bound * 2);
  const int offset = kScreenDim / 2;
  const double rod_length = 1 * scale;
  const double rod_width = 0.2 * scale;
  auto flip = [](double x, double y) {
    return Point{static_cast<float>(x), static_cast<float>(kDim - y)};
  };
  auto pixel_centre = [](int x, int y) {
    return Point{x + 0.5f, static_cast<float>(kDim - (y + 0.5))};
  };
  const double angle = state_[0] + M_PI / 2;

  const double l = 0, r = rod_length, t = rod_width / 2, b = -rod_width / 2;
  std::vector<Point> rod;
  for (const auto& [x, y] : {std::pair{l, b}, {l, t}, {r, t}, {r, b}}) {
    const Point p = Rotate(x, y, angle);
    rod.push_back(flip(p.x + offset, p.y + offset));
  }
  canvas->FillPolygon(std::move(rod), kRodColor);
  const float end_radius = static_cast<int>(rod_width / 2);
  canvas->FillCircle(pixel_centre(offset, offset), end_radius, kRodColor);
  const Point end = Rotate(rod_length, 0, angle);
  canvas->FillCircle(pixel_centre(static_cast<int>(end.x + offset),
                                  static_cast<int>(end.y + offset)),
                     end_radius, kRodColor);

  if (last_u_.has_value() && *last_u_ != 0) {
    // The image is scale * |u| / 2 square, centred on the axle; flipped
    // left-right for positive (counter-clockwise) torque.
    DrawTorqueArrow(flip(offset, offset), scale * std::abs(*last_u_) / 2,
                    /*clockwise=*/*last_u_ < 0, canvas);
  }
  canvas->FillCircle(pixel_centre(offset, offset),
                     static_cast<int>(0.05 * scale), kBlack);
}

}  // namespace rl
