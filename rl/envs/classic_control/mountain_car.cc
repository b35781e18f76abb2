#include "rl/envs/classic_control/mountain_car.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

#include "rl/envs/env_kwargs.h"

namespace rl {
namespace {

constexpr int kScreenWidth = 600;
constexpr int kScreenHeight = 400;
using C = MountainCarConstants;

EnvSpec MountainCarSpec(const char* id, int max_steps) {
  EnvSpec spec;
  spec.id = id;
  spec.max_episode_steps = max_steps;
  const float speed = static_cast<float>(C::kMaxSpeed);
  spec.observation_space =
      Space::Box({static_cast<float>(C::kMinPosition), -speed},
                 {static_cast<float>(C::kMaxPosition), speed});
  spec.render_width = kScreenWidth;
  spec.render_height = kScreenHeight;
  spec.render_fps = 30;
  return spec;
}

EnvSpec DiscreteSpec() {
  EnvSpec spec = MountainCarSpec("MountainCar-v0", 200);
  spec.action_space = Space::Discrete(3);
  spec.min_reward = -1;
  spec.max_reward = -1;
  return spec;
}

EnvSpec ContinuousSpec() {
  EnvSpec spec = MountainCarSpec("MountainCarContinuous-v0", 999);
  spec.action_space = Space::Box({-1}, {1});
  // Unbounded below: the penalty is on the unclipped action.
  spec.max_reward = 100;
  return spec;
}

const bool kRegistered =
    Envs().Register("MountainCar-v0",
                    "drive an underpowered car up a hill, 3 actions "
                    "(Gymnasium classic_control)",
                    []() -> absl::StatusOr<std::unique_ptr<Env>> {
                      return std::make_unique<MountainCar>();
                    }) &&
    Envs().Register("MountainCarContinuous-v0",
                    "drive an underpowered car up a hill, continuous force "
                    "(Gymnasium classic_control)",
                    []() -> absl::StatusOr<std::unique_ptr<Env>> {
                      return std::make_unique<MountainCarContinuous>();
                    });

// gym.make("MountainCar-v0", goal_velocity=...), and the same for
// MountainCarContinuous-v0.
template <typename Car>
bool RegisterGoalVelocity(const char* id) {
  return ConfigurableEnvs().Register(
      id, Envs().Description(id),
      [id](const EnvKwargs& kwargs) -> absl::StatusOr<std::unique_ptr<Env>> {
        double goal_velocity = 0;
        EnvKwargsReader reader(id, kwargs);
        reader.Double("goal_velocity", &goal_velocity);
        const absl::Status status = reader.Finish();
        if (!status.ok()) return status;
        return std::make_unique<Car>(goal_velocity);
      });
}

const bool kConfigurable =
    RegisterGoalVelocity<MountainCar>("MountainCar-v0") &&
    RegisterGoalVelocity<MountainCarContinuous>("MountainCarContinuous-v0");

double Height(double x) { return std::sin(3 * x) * 0.45 + 0.55; }

void WriteObservation(const std::array<double, 2>& state,
                      Observation* observation) {
  observation->resize(2);
  (*observation)[0] = static_cast<float>(state[0]);
  (*observation)[1] = static_cast<float>(state[1]);
}

// Gymnasium's render(), shared by both versions: pygame coordinates with y
// up, flipped per point here (canvas y is down); integer-positioned pygame
// shapes sit on pixel centres.
void DrawMountainCar(double pos, double goal_position, Canvas* canvas) {
  constexpr double kHeight = kScreenHeight;
  canvas->Reset(kScreenWidth, kScreenHeight, kWhite);
  const double world_width = C::kMaxPosition - C::kMinPosition;
  const double scale = kScreenWidth / world_width;
  const double carwidth = 40;
  const double carheight = 20;
  auto flip = [](double x, double y) {
    return Point{static_cast<float>(x), static_cast<float>(kHeight - y)};
  };
  auto pixel_centre = [](int x, int y) {
    return Point{x + 0.5f, static_cast<float>(kHeight - (y + 0.5))};
  };

  // The hill: 100 samples joined by 1-pixel lines (pygame's aalines).
  Point previous{};
  for (int i = 0; i < 100; ++i) {
    const double x =
        C::kMinPosition + (C::kMaxPosition - C::kMinPosition) * i / 99.0;
    const Point p = flip((x - C::kMinPosition) * scale, Height(x) * scale);
    if (i > 0) canvas->DrawLine(previous, p, 1, kBlack);
    previous = p;
  }

  const double clearance = 10;
  const double angle = std::cos(3 * pos);
  const double c = std::cos(angle), s = std::sin(angle);
  const double base_x = (pos - C::kMinPosition) * scale;
  const double base_y = clearance + Height(pos) * scale;
  const double l = -carwidth / 2, r = carwidth / 2, t = carheight, b = 0;
  std::vector<Point> car;
  for (const auto& [x, y] : {std::pair{l, b}, {l, t}, {r, t}, {r, b}}) {
    car.push_back(flip(x * c - y * s + base_x, x * s + y * c + base_y));
  }
  canvas->FillPolygon(std::move(car), kBlack);
  for (double wx : {carwidth / 4, -carwidth / 4}) {
    canvas->FillCircle(pixel_centre(static_cast<int>(wx * c + base_x),
                                    static_cast<int>(wx * s + base_y)),
                       static_cast<int>(carheight / 2.5),
                       Color{128, 128, 128, 255});
  }

  // The flag: a pole (gfxdraw.vline, rows flagy1..flagy2 inclusive) and a
  // yellow pennant.
  const int flagx = static_cast<int>((goal_position - C::kMinPosition) * scale);
  const int flagy1 = static_cast<int>(Height(goal_position) * scale);
  const int flagy2 = flagy1 + 50;
  canvas->DrawLine({flagx + 0.5f, static_cast<float>(kHeight - flagy1)},
                   {flagx + 0.5f, static_cast<float>(kHeight - flagy2 - 1)}, 1,
                   kBlack);
  canvas->FillPolygon({flip(flagx, flagy2), flip(flagx, flagy2 - 10),
                       flip(flagx + 25, flagy2 - 5)},
                      Color{204, 204, 0, 255});
}

}  // namespace

MountainCar::MountainCar(double goal_velocity)
    : Env(DiscreteSpec()), goal_velocity_(goal_velocity) {}

void MountainCar::ResetState(std::mt19937_64& rng, Observation* observation) {
  state_ = {UniformReal(rng, -0.6, -0.4), 0.0};
  WriteObservation(state_, observation);
}

void MountainCar::StepState(const Action& action, StepResult* result) {
  auto& [position, velocity] = state_;
  velocity +=
      (action.discrete - 1) * kForce + std::cos(3 * position) * (-kGravity);
  velocity = std::clamp(velocity, -kMaxSpeed, kMaxSpeed);
  position += velocity;
  position = std::clamp(position, kMinPosition, kMaxPosition);
  if (position == kMinPosition && velocity < 0) velocity = 0;
  result->terminated = position >= kGoalPosition && velocity >= goal_velocity_;
  result->reward = -1.0;
  WriteObservation(state_, &result->observation);
}

void MountainCar::Draw(Canvas* canvas) const {
  DrawMountainCar(state_[0], kGoalPosition, canvas);
}

MountainCarContinuous::MountainCarContinuous(double goal_velocity)
    : Env(ContinuousSpec()), goal_velocity_(goal_velocity) {}

void MountainCarContinuous::ResetState(std::mt19937_64& rng,
                                       Observation* observation) {
  state_ = {UniformReal(rng, -0.6, -0.4), 0.0};
  WriteObservation(state_, observation);
}

void MountainCarContinuous::StepState(const Action& action,
                                      StepResult* result) {
  double position = state_[0];
  double velocity = state_[1];
  const double a = action.continuous[0];
  const double force = std::min(std::max(a, -1.0), 1.0);
  velocity += force * kPower - 0.0025 * std::cos(3 * position);
  if (velocity > kMaxSpeed) velocity = kMaxSpeed;
  if (velocity < -kMaxSpeed) velocity = -kMaxSpeed;
  position += velocity;
  if (position > kMaxPosition) position = kMaxPosition;
  if (position < kMinPosition) position = kMinPosition;
  if (position == kMinPosition && velocity < 0) velocity = 0;
  const bool terminated =
      position >= kGoalPosition && velocity >= goal_velocity_;
  double reward = terminated ? 100.0 : 0.0;
  reward -= std::pow(a, 2) * 0.1;
  // Gymnasium keeps np.array([position, velocity], dtype=np.float32).
  state_ = {static_cast<float>(position), static_cast<float>(velocity)};
  result->terminated = terminated;
  result->reward = reward;
  WriteObservation(state_, &result->observation);
}

void MountainCarContinuous::Draw(Canvas* canvas) const {
  DrawMountainCar(state_[0], kGoalPosition, canvas);
}

}  // namespace rl
