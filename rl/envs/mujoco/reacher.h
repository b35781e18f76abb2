// Reacher-v5, as Gymnasium's mujoco/reacher_v5.py: move a two-link arm's
// fingertip to a random target in the plane.
//
// Model (ours, from Gymnasium's documented reacher.xml): two 0.1 m links on
// hinges about z (the second limited to +/-3 rad), a fingertip 0.11 m past
// the second joint, a target on two slide joints (+/-0.27 m) inside a
// 0.6 m square arena; two motors, gear 200, ctrlrange [-1, 1]; RK4,
// timestep 0.01 s, frame_skip 2 (dt 0.02 s, 50 fps).
// Observation Box(10,): cos and sin of both arm angles, the target's x and y,
// the arm's two angular velocities, fingertip - target (x, y).
// Action Box(2,) in [-1, 1]; values outside are refused (mujoco_env.h).
// Reward: -reward_dist_weight (1) * |fingertip - target| -
// reward_control_weight (1) * sum(action^2), as Gymnasium's v5 code computes
// it: from the state before the physics step and the action as given.
// Never terminates (unless the simulation diverges); truncated at 50 steps
// (Gymnasium's registered limit for Reacher, unlike the family's 1000).
// Reset: arm angles + U(-0.1, 0.1); the target uniform in the disc of
// radius 0.2 (rejection sampling in the square of side 0.4); arm velocities
// U(-0.005, 0.005), the target's 0. These scales are fixed, as Gymnasium's.
//
// Example:
//   RL_ASSIGN_OR_RETURN(auto env, Reacher::Create());
//   env->Reset(0);
#ifndef RL_ENVS_MUJOCO_REACHER_H_
#define RL_ENVS_MUJOCO_REACHER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "rl/envs/mujoco/mujoco_env.h"

namespace rl {

class Reacher : public MujocoEnv {
 public:
  // Gymnasium's keyword arguments, with its defaults.
  struct Options {
    std::string xml_file;  // Empty: the built-in model.
    int frame_skip = 2;
    double reward_dist_weight = 1.0;
    double reward_control_weight = 1.0;
  };
  static const char kXml[];

  // Errors: the model's (see LoadMjcf); a model without bodies "fingertip"
  // and "target" or with other than 4 joints.
  static absl::StatusOr<std::unique_ptr<Reacher>> Create(
      const Options& options);
  static absl::StatusOr<std::unique_ptr<Reacher>> Create() {
    return Create(Options());
  }

  // |fingertip - target| in the current state.
  double Distance() const;

 protected:
  void ResetState(std::mt19937_64& rng, Observation* observation) override;
  void StepState(const Action& action, StepResult* result) override;
  void WriteObservation(Observation* observation) const override;

 private:
  Reacher(EnvSpec spec, MjModelPtr model, const Options& options, int fingertip,
          int target);

  Options options_;
  int fingertip_;
  int target_;
};

}  // namespace rl

#endif  // RL_ENVS_MUJOCO_REACHER_H_
