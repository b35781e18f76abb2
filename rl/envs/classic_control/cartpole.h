// CartPole-v1, as Gymnasium's classic_control/cartpole.py (Barto, Sutton &
// Anderson 1983): push a cart left (action 0) or right (1) to keep a pole
// upright.
//
// Observation Box(4,): cart position, cart velocity, pole angle (rad), pole
// angular velocity. Reward 1 for every step, including the terminating one.
// Terminates when |x| > 2.4 or |theta| > 12 degrees; truncated at 500 steps.
// Euler integration with tau = 0.02 s. Renders 600x400 at 50 fps.
//
// sutton_barto_reward (Gymnasium 1.x's keyword argument, default false):
// reward 0 for every step that does not terminate and -1 for the one that
// does, as in Sutton & Barto's formulation. (Gymnasium also gives -1 for
// steps after termination; here such a step is refused, as for every env.)
//
// Example:
//   CartPole env;  // Or Envs().Create("CartPole-v1").
//   CartPole sutton_barto(/*sutton_barto_reward=*/true);
#ifndef RL_ENVS_CLASSIC_CONTROL_CARTPOLE_H_
#define RL_ENVS_CLASSIC_CONTROL_CARTPOLE_H_

#include <array>
#include <random>

#include "rl/envs/env.h"

namespace rl {

class CartPole : public Env {
 public:
  // Gymnasium's constants.
  static constexpr double kGravity = 9.8;
  static constexpr double kMassCart = 1.0;
  static constexpr double kMassPole = 0.1;
  static constexpr double kTotalMass = kMassCart + kMassPole;
  static constexpr double kLength = 0.5;  // Half the pole's length.
  static constexpr double kPoleMassLength = kMassPole * kLength;
  static constexpr double kForceMag = 10.0;
  static constexpr double kTau = 0.02;
  static constexpr double kThetaThresholdRadians = 12 * 2 * M_PI / 360;
  static constexpr double kXThreshold = 2.4;

  explicit CartPole(bool sutton_barto_reward = false);
  bool sutton_barto_reward() const { return sutton_barto_reward_; }

  // x, x_dot, theta, theta_dot, in double precision as Gymnasium keeps it
  // (observations are its float32 copy).
  using State = std::array<double, 4>;
  const State& state() const { return state_; }
  // For tests and demos: puts the env in `state` mid-episode.
  void SetState(const State& state) { state_ = state; }

  void Draw(Canvas* canvas) const override;

 protected:
  void ResetState(std::mt19937_64& rng, Observation* observation) override;
  void StepState(const Action& action, StepResult* result) override;

 private:
  void WriteObservation(Observation* observation) const;

  bool sutton_barto_reward_;
  State state_{};
};

}  // namespace rl

#endif  // RL_ENVS_CLASSIC_CONTROL_CARTPOLE_H_
