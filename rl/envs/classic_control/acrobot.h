// Acrobot-v1, as Gymnasium's classic_control/acrobot.py (Sutton 1996; the
// "book" dynamics, Gymnasium's default): two links hang from a pivot, the
// joint between them is driven; swing the tip above a line one link length
// over the pivot.
//
// Observation Box(6,): cos/sin of theta1 and theta2 (theta2 relative to the
// first link), the angular velocities (bounded to +/-4 pi and +/-9 pi).
// Actions Discrete(3): torque -1, 0, +1 on the middle joint. Reward -1 per
// step, 0 on the terminating one. Terminates when
// -cos(theta1) - cos(theta1 + theta2) > 1; truncated at 500 steps. One step
// is one RK4 step of dt = 0.2 s (Gymnasium's rk4 over [0, dt]); angles are
// wrapped to [-pi, pi], velocities clipped. Reset: the four state values
// uniform in [-0.1, 0.1), rounded to float32 as Gymnasium does. Renders
// 500x500 at 15 fps.
//
// Example:
//   Acrobot env;              // Or Envs().Create("Acrobot-v1").
//   env.Reset(0);
//   StepResult result;
//   RL_RETURN_IF_ERROR(env.Step(Action::Discrete(2), &result));
#ifndef RL_ENVS_CLASSIC_CONTROL_ACROBOT_H_
#define RL_ENVS_CLASSIC_CONTROL_ACROBOT_H_

#include <array>
#include <random>

#include "rl/envs/env.h"

namespace rl {

class Acrobot : public Env {
 public:
  // Gymnasium's constants.
  static constexpr double kDt = 0.2;
  static constexpr double kLinkLength1 = 1.0;
  static constexpr double kLinkLength2 = 1.0;
  static constexpr double kLinkMass1 = 1.0;
  static constexpr double kLinkMass2 = 1.0;
  static constexpr double kLinkComPos1 = 0.5;
  static constexpr double kLinkComPos2 = 0.5;
  static constexpr double kLinkMoi = 1.0;
  static constexpr double kMaxVel1 = 4 * M_PI;
  static constexpr double kMaxVel2 = 9 * M_PI;

  // Gymnasium's book_or_nips switch: kBook (the default) has the term the
  // NIPS paper left out.
  enum class Dynamics { kBook, kNips };

  explicit Acrobot(Dynamics dynamics = Dynamics::kBook);

  // theta1, theta2, dtheta1, dtheta2.
  using State = std::array<double, 4>;
  const State& state() const { return state_; }
  // For tests and demos: puts the env in `state` mid-episode.
  void SetState(const State& state) { state_ = state; }

  void Draw(Canvas* canvas) const override;

 protected:
  void ResetState(std::mt19937_64& rng, Observation* observation) override;
  void StepState(const Action& action, StepResult* result) override;

 private:
  using Augmented = std::array<double, 5>;  // State and torque.
  Augmented Derivatives(const Augmented& s) const;
  void WriteObservation(Observation* observation) const;

  Dynamics dynamics_;
  State state_{};
};

}  // namespace rl

#endif  // RL_ENVS_CLASSIC_CONTROL_ACROBOT_H_
