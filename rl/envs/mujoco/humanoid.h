// HumanoidDMC-v0: Gymnasium's Humanoid-v5 task (walk forward without
// falling, mujoco/humanoid_v5.py) on the humanoid that Debian ships with
// MuJoCo (libmujoco-samples: /usr/share/mujoco/model/humanoid/humanoid.xml,
// the DeepMind Control Suite's humanoid: 27 DoF, 21 motors with realistic
// gears), not on Gymnasium's humanoid.xml (24 DoF, 17 motors). Hence our id:
// observations, actions and returns are not comparable with Humanoid-v5's.
//
// Everything else follows Humanoid-v5:
// Observation Box(nq - 2 + nv + 10 (nbody - 1) + 6 (nbody - 1) + (nv - 6) +
// 6 (nbody - 1)): qpos without the root x and y; qvel; the bodies' cinert,
// cvel (the world body left out); qfrc_actuator without the free joint's 6;
// cfrc_ext (after mj_rnePostConstraint, as Gymnasium v5).
// Action Box(21,) in [-1, 1]; values outside are refused (mujoco_env.h).
// Reward: healthy_reward (5, only while healthy) + forward_reward_weight
// (1.25) * centre-of-mass x velocity - ctrl_cost_weight (0.1) *
// sum(ctrl^2) - min(contact_cost_weight (5e-7) * sum(cfrc_ext^2), 10).
// Healthy: the torso's z strictly inside healthy_z_range (1.0, 2.0);
// terminated when unhealthy (terminate_when_unhealthy) or the simulation
// diverges; truncated at 1000 steps.
// Reset: qpos and qvel + U(-1e-2, 1e-2) (reset_noise_scale).
// Timing: the model's timestep is 0.005 s; frame_skip 3 gives Gymnasium's
// control period, dt 0.015 s (its model: 0.003 s x 5).
//
// Example:
//   RL_ASSIGN_OR_RETURN(auto env, Humanoid::Create());
//   env->Reset(0);
#ifndef RL_ENVS_MUJOCO_HUMANOID_H_
#define RL_ENVS_MUJOCO_HUMANOID_H_

#include <memory>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "rl/envs/mujoco/mujoco_env.h"

namespace rl {

class Humanoid : public MujocoEnv {
 public:
  static constexpr char kDebianModel[] =
      "/usr/share/mujoco/model/humanoid/humanoid.xml";

  // Gymnasium's keyword arguments, with its defaults except frame_skip and
  // xml_file (see the header comment).
  struct Options {
    std::string xml_file = kDebianModel;
    int frame_skip = 3;
    double forward_reward_weight = 1.25;
    double ctrl_cost_weight = 0.1;
    double contact_cost_weight = 5e-7;
    double contact_cost_max = 10.0;
    double healthy_reward = 5.0;
    bool terminate_when_unhealthy = true;
    std::pair<double, double> healthy_z_range{1.0, 2.0};
    double reset_noise_scale = 1e-2;
  };

  // Errors: NotFound if the model file is missing (install
  // libmujoco-samples, or give xml_file); the model's; a model without a
  // free joint first.
  static absl::StatusOr<std::unique_ptr<Humanoid>> Create(
      const Options& options);
  static absl::StatusOr<std::unique_ptr<Humanoid>> Create() {
    return Create(Options());
  }

  // Gymnasium's is_healthy for the current state.
  bool IsHealthy() const;
  // The whole body's centre of mass along x.
  double MassCentreX() const;
  // The last step's centre-of-mass x velocity, m/s.
  double x_velocity() const { return x_velocity_; }

 protected:
  void ResetState(std::mt19937_64& rng, Observation* observation) override;
  void StepState(const Action& action, StepResult* result) override;
  void WriteObservation(Observation* observation) const override;

 private:
  Humanoid(EnvSpec spec, MjModelPtr model, const Options& options);

  Options options_;
  double x_velocity_ = 0;
};

}  // namespace rl

#endif  // RL_ENVS_MUJOCO_HUMANOID_H_
