// Hopper-v5, as Gymnasium's mujoco/hopper_v5.py: a planar one-legged robot
// hops forward without falling.
//
// Model (ours, from Gymnasium's documented hopper.xml, rewritten in local
// coordinates: MuJoCo 2.2's compiler still reads coordinate="global", later
// releases do not): a 0.4 m torso whose centre starts 1.25 m up, a thigh of
// 0.45 m, a leg of 0.5 m and a foot from -0.13 to +0.26 m; root slide
// joints along x and z (z reads the torso's height) and a hinge about y;
// thigh, leg and foot hinges (about -y, ranges -150..0, -150..0 and
// -45..45 degrees); three motors, gear 200, ctrlrange [-1, 1]; RK4,
// timestep 0.002 s, frame_skip 4 (dt 0.008 s, 125 fps).
// Observation Box(11,): qpos without the root x (5), qvel clipped to +/-10
// (6).
// Action Box(3,) in [-1, 1]; values outside are refused (mujoco_env.h).
// Reward: healthy_reward (1, only while healthy) + forward_reward_weight (1)
// * x velocity - ctrl_cost_weight (1e-3) * sum(action^2).
// Healthy: every element of qpos[2:] and qvel strictly inside
// healthy_state_range (-100, 100), z strictly inside healthy_z_range (0.7,
// inf) and the torso angle strictly inside healthy_angle_range (-0.2, 0.2).
// Terminated when unhealthy (terminate_when_unhealthy) or the simulation
// diverges; truncated at 1000 steps.
// Reset: qpos and qvel + U(-5e-3, 5e-3) (reset_noise_scale).
//
// Example:
//   RL_ASSIGN_OR_RETURN(auto env, Hopper::Create());
//   env->Reset(0);
#ifndef RL_ENVS_MUJOCO_HOPPER_H_
#define RL_ENVS_MUJOCO_HOPPER_H_

#include <limits>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "rl/envs/mujoco/mujoco_env.h"

namespace rl {

class Hopper : public MujocoEnv {
 public:
  // Gymnasium's keyword arguments, with its defaults.
  struct Options {
    std::string xml_file;  // Empty: the built-in model.
    int frame_skip = 4;
    double forward_reward_weight = 1.0;
    double ctrl_cost_weight = 1e-3;
    double healthy_reward = 1.0;
    bool terminate_when_unhealthy = true;
    std::pair<double, double> healthy_state_range{-100.0, 100.0};
    std::pair<double, double> healthy_z_range{
        0.7, std::numeric_limits<double>::infinity()};
    std::pair<double, double> healthy_angle_range{-0.2, 0.2};
    double reset_noise_scale = 5e-3;
    bool exclude_current_positions_from_observation = true;
  };
  static const char kXml[];

  // Errors: the model's (see LoadMjcf).
  static absl::StatusOr<std::unique_ptr<Hopper>> Create(const Options& options);
  static absl::StatusOr<std::unique_ptr<Hopper>> Create() {
    return Create(Options());
  }

  // Gymnasium's is_healthy for the current state.
  bool IsHealthy() const;
  // The last step's forward velocity of the root, m/s.
  double x_velocity() const { return x_velocity_; }

 protected:
  void ResetState(std::mt19937_64& rng, Observation* observation) override;
  void StepState(const Action& action, StepResult* result) override;
  void WriteObservation(Observation* observation) const override;

 private:
  Hopper(EnvSpec spec, MjModelPtr model, const Options& options);

  Options options_;
  double x_velocity_ = 0;
};

}  // namespace rl

#endif  // RL_ENVS_MUJOCO_HOPPER_H_
