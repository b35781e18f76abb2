// HalfCheetah-v5, as Gymnasium's mujoco/half_cheetah_v5.py: a planar
// two-legged cat runs forward.
//
// Model (ours, from Gymnasium's documented half_cheetah.xml, the same
// cheetah as dm_control's): a torso of 1 m with a head, root slide joints
// along x and z and a hinge about y, back and front thigh, shin and foot
// hinges with their stiffness, damping and ranges; total mass 14 kg; six
// motors, gears 120 90 60 120 60 30, ctrlrange [-1, 1]; Euler, timestep
// 0.01 s, frame_skip 5 (dt 0.05 s, 20 fps).
// Observation Box(17,): qpos without the root x (8), qvel (9).
// Action Box(6,) in [-1, 1]; values outside are refused (mujoco_env.h).
// Reward: forward_reward_weight (1) * (x after - x before) / dt -
// ctrl_cost_weight (0.1) * sum(action^2), x of the root, the action as given.
// Never terminates (unless the simulation diverges); truncated at 1000.
// Reset: qpos + U(-0.1, 0.1), qvel + 0.1 N(0, 1) (reset_noise_scale 0.1).
//
// Example:
//   RL_ASSIGN_OR_RETURN(auto env, HalfCheetah::Create());
//   env->Reset(0);
#ifndef RL_ENVS_MUJOCO_HALF_CHEETAH_H_
#define RL_ENVS_MUJOCO_HALF_CHEETAH_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "rl/envs/mujoco/mujoco_env.h"

namespace rl {

class HalfCheetah : public MujocoEnv {
 public:
  // Gymnasium's keyword arguments, with its defaults.
  struct Options {
    std::string xml_file;  // Empty: the built-in model.
    int frame_skip = 5;
    double forward_reward_weight = 1.0;
    double ctrl_cost_weight = 0.1;
    double reset_noise_scale = 0.1;
    bool exclude_current_positions_from_observation = true;
  };
  static const char kXml[];

  // Errors: the model's (see LoadMjcf).
  static absl::StatusOr<std::unique_ptr<HalfCheetah>> Create(
      const Options& options);
  static absl::StatusOr<std::unique_ptr<HalfCheetah>> Create() {
    return Create(Options());
  }

  // The last step's forward velocity of the root, m/s.
  double x_velocity() const { return x_velocity_; }

 protected:
  void ResetState(std::mt19937_64& rng, Observation* observation) override;
  void StepState(const Action& action, StepResult* result) override;
  void WriteObservation(Observation* observation) const override;

 private:
  HalfCheetah(EnvSpec spec, MjModelPtr model, const Options& options);

  Options options_;
  double x_velocity_ = 0;
};

}  // namespace rl

#endif  // RL_ENVS_MUJOCO_HALF_CHEETAH_H_
