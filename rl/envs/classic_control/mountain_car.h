// MountainCar-v0 and MountainCarContinuous-v0, as Gymnasium's
// classic_control/mountain_car.py and continuous_mountain_car.py (Moore,
// 1990): an underpowered car in a valley must rock back and forth to reach
// the flag on the right hill.
//
// Both: observation Box(2,): position in [-1.2, 0.6], velocity in
// [-0.07, 0.07]. Height sin(3 x) * 0.45 + 0.55, gravity 0.0025; the left
// wall is inelastic (velocity set to 0). Reset: position uniform in
// [-0.6, -0.4), velocity 0. Render 600x400 at 30 fps.
//
// MountainCar-v0: actions Discrete(3): push left, none, right (force
// 0.001). Reward -1 per step. Terminates at position >= 0.5 with velocity
// >= goal_velocity; truncated at 200 steps.
//
// MountainCarContinuous-v0: action Box(1,) in [-1, 1], the force times
// 0.0015 (clipped to [-1, 1] for the dynamics, but the reward is
// -0.1 * action^2 of the unclipped action, as Gymnasium's). +100 on reaching
// position >= 0.45 with velocity >= goal_velocity, which terminates;
// truncated at 999 steps. The state is stored in float32 after every step,
// as Gymnasium stores it.
//
// goal_velocity is Gymnasium's keyword argument of both (default 0):
// gym.make("MountainCar-v0", goal_velocity=0.01) must arrive faster.
//
// Example:
//   MountainCar env;          // Or Envs().Create("MountainCar-v0").
//   MountainCar fast(/*goal_velocity=*/0.01);
//   env.Reset(0);
//   StepResult result;
//   RL_RETURN_IF_ERROR(env.Step(Action::Discrete(2), &result));
#ifndef RL_ENVS_CLASSIC_CONTROL_MOUNTAIN_CAR_H_
#define RL_ENVS_CLASSIC_CONTROL_MOUNTAIN_CAR_H_

#include <array>
#include <random>

#include "rl/envs/env.h"

namespace rl {

// Gymnasium's constants, shared by both versions.
struct MountainCarConstants {
  static constexpr double kMinPosition = -1.2;
  static constexpr double kMaxPosition = 0.6;
  static constexpr double kMaxSpeed = 0.07;
  static constexpr double kGravity = 0.0025;
};

class MountainCar : public Env, public MountainCarConstants {
 public:
  static constexpr double kGoalPosition = 0.5;
  static constexpr double kForce = 0.001;

  explicit MountainCar(double goal_velocity = 0);
  double goal_velocity() const { return goal_velocity_; }

  // Position, velocity.
  using State = std::array<double, 2>;
  const State& state() const { return state_; }
  // For tests and demos: puts the env in `state` mid-episode.
  void SetState(const State& state) { state_ = state; }

  void Draw(Canvas* canvas) const override;

 protected:
  void ResetState(std::mt19937_64& rng, Observation* observation) override;
  void StepState(const Action& action, StepResult* result) override;

 private:
  double goal_velocity_;
  State state_{};
};

class MountainCarContinuous : public Env, public MountainCarConstants {
 public:
  static constexpr double kGoalPosition = 0.45;
  static constexpr double kPower = 0.0015;

  explicit MountainCarContinuous(double goal_velocity = 0);
  double goal_velocity() const { return goal_velocity_; }

  // Position, velocity (float32 after the first step, as Gymnasium's).
  using State = std::array<double, 2>;
  const State& state() const { return state_; }
  // For tests and demos: puts the env in `state` mid-episode.
  void SetState(const State& state) { state_ = state; }

  void Draw(Canvas* canvas) const override;

 protected:
  void ResetState(std::mt19937_64& rng, Observation* observation) override;
  void StepState(const Action& action, StepResult* result) override;

 private:
  double goal_velocity_;
  State state_{};
};

}  // namespace rl

#endif  // RL_ENVS_CLASSIC_CONTROL_MOUNTAIN_CAR_H_
