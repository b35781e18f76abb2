// InvertedPendulum-v5, as Gymnasium's mujoco/inverted_pendulum_v5.py: keep a
// pole upright on a cart that slides along a rail.
//
// Model (ours, written from Gymnasium's documented inverted_pendulum.xml): a
// cart on a slider joint (range +/-1 m) and a hinged pole of 0.6 m; one
// motor on the slider, gear 100, ctrlrange [-3, 3]; RK4, timestep 0.02 s,
// frame_skip 2 (dt 0.04 s, 25 fps).
// Observation Box(4,): cart position, pole angle, their velocities.
// Action Box(1,) in [-3, 3]; values outside are refused (mujoco_env.h).
// Reward 1 per step while the pole stands; terminated when |angle| > 0.2 rad
// or the state is not finite (then reward 0). Truncated at 1000 steps.
// Reset: qpos and qvel each uniform within +/-reset_noise_scale (0.01).
//
// Example:
//   RL_ASSIGN_OR_RETURN(auto env, InvertedPendulum::Create());
//   env->Reset(0);
//   StepResult result;
//   RL_RETURN_IF_ERROR(env->Step(Action::Continuous({0.0f}), &result));
#ifndef RL_ENVS_MUJOCO_INVERTED_PENDULUM_H_
#define RL_ENVS_MUJOCO_INVERTED_PENDULUM_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "rl/envs/mujoco/mujoco_env.h"

namespace rl {

class InvertedPendulum : public MujocoEnv {
 public:
  // Gymnasium's keyword arguments, with its defaults.
  struct Options {
    std::string xml_file;  // Empty: the built-in model.
    int frame_skip = 2;
    double reset_noise_scale = 0.01;
  };
  // The built-in MJCF model.
  static const char kXml[];

  // Errors: the model's (see LoadMjcf).
  static absl::StatusOr<std::unique_ptr<InvertedPendulum>> Create(
      const Options& options);
  static absl::StatusOr<std::unique_ptr<InvertedPendulum>> Create() {
    return Create(Options());
  }

 protected:
  void ResetState(std::mt19937_64& rng, Observation* observation) override;
  void StepState(const Action& action, StepResult* result) override;
  void WriteObservation(Observation* observation) const override;

 private:
  InvertedPendulum(EnvSpec spec, MjModelPtr model, const Options& options);

  Options options_;
};

}  // namespace rl

#endif  // RL_ENVS_MUJOCO_INVERTED_PENDULUM_H_
