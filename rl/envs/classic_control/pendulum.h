// Pendulum-v1, as Gymnasium's classic_control/pendulum.py: swing a pendulum
// up and keep it upright with a bounded torque.
//
// Observation Box(3,): cos(theta), sin(theta), angular velocity (bounded to
// +/-8). Action Box(1,): torque in [-2, 2], clipped there as Gymnasium does.
// Reward -(theta^2 + 0.1 theta_dot^2 + 0.001 torque^2), theta normalised to
// [-pi, pi) (0 is upright), so in [-16.2736044, 0]. Never terminates;
// truncated at 200 steps. Semi-implicit Euler, dt = 0.05 s, g = 10.
// Reset: theta uniform in [-pi, pi), theta_dot uniform in [-1, 1).
// Renders 500x500 at 30 fps: a red rod on a black axle, and an arrow whose
// size and sense show the last torque (Gymnasium's clockwise.png, drawn
// here from shapes).
//
// Example:
//   Pendulum env;                 // Or Envs().Create("Pendulum-v1").
//   env.Reset(7);
//   StepResult result;
//   RL_RETURN_IF_ERROR(env.Step(Action::Continuous({1.5f}), &result));
#ifndef RL_ENVS_CLASSIC_CONTROL_PENDULUM_H_
#define RL_ENVS_CLASSIC_CONTROL_PENDULUM_H_

#include <array>
#include <optional>
#include <random>

#include "rl/envs/env.h"

namespace rl {

class Pendulum : public Env {
 public:
  // Gymnasium's constants.
  static constexpr double kMaxSpeed = 8.0;
  static constexpr double kMaxTorque = 2.0;
  static constexpr double kDt = 0.05;
  static constexpr double kMass = 1.0;
  static constexpr double kLength = 1.0;
  static constexpr double kDefaultGravity = 10.0;

  // `gravity` is Gymnasium's `g` argument (gym.make("Pendulum-v1", g=9.81)).
  explicit Pendulum(double gravity = kDefaultGravity);

  // theta (rad, 0 upright, unbounded as in Gymnasium), theta_dot, in double
  // precision; observations are float32 as Gymnasium's.
  using State = std::array<double, 2>;
  const State& state() const { return state_; }
  // For tests and demos: puts the env in `state` mid-episode.
  void SetState(const State& state) { state_ = state; }
  // The clipped torque of the last step; none right after Reset().
  std::optional<double> last_torque() const { return last_u_; }

  void Draw(Canvas* canvas) const override;

 protected:
  void ResetState(std::mt19937_64& rng, Observation* observation) override;
  void StepState(const Action& action, StepResult* result) override;

 private:
  void WriteObservation(Observation* observation) const;

  double gravity_;
  State state_{};
  std::optional<double> last_u_;
};

// Gymnasium's angle_normalize: x wrapped to [-pi, pi) with Python's modulo.
double AngleNormalize(double x);

}  // namespace rl

#endif  // RL_ENVS_CLASSIC_CONTROL_PENDULUM_H_
