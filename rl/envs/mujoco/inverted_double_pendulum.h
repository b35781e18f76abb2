// InvertedDoublePendulum-v5, as Gymnasium's
// mujoco/inverted_double_pendulum_v5.py: balance two poles, one on top of
// the other, on a sliding cart.
//
// Model (ours, from Gymnasium's documented inverted_double_pendulum.xml): a
// cart on a slider (range +/-1 m), two hinged poles of 0.6 m, a site "tip"
// at the top; one motor on the slider, gear 500, ctrlrange [-1, 1]; RK4,
// timestep 0.01 s, frame_skip 5 (dt 0.05 s, 20 fps).
// Observation Box(9,): cart x; sin and cos of both hinge angles; qvel
// clipped to +/-10; the slider's constraint force clipped to +/-10.
// Action Box(1,) in [-1, 1]; values outside are refused (mujoco_env.h).
// Reward: healthy_reward (10, only while not terminated) - (0.01 x_tip^2 +
// (z_tip - 2)^2) - (1e-3 w1^2 + 5e-3 w2^2), with (x_tip, z_tip) the tip's
// position after the step and w1, w2 the hinges' velocities. Terminated when
// z_tip <= 1 or the simulation diverges. Truncated at 1000 steps.
// Reset: qpos + U(-0.1, 0.1), qvel + 0.1 N(0, 1) (reset_noise_scale 0.1).
//
// Example:
//   RL_ASSIGN_OR_RETURN(auto env, InvertedDoublePendulum::Create());
//   env->Reset(0);
#ifndef RL_ENVS_MUJOCO_INVERTED_DOUBLE_PENDULUM_H_
#define RL_ENVS_MUJOCO_INVERTED_DOUBLE_PENDULUM_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "rl/envs/mujoco/mujoco_env.h"

namespace rl {

class InvertedDoublePendulum : public MujocoEnv {
 public:
  // Gymnasium's keyword arguments, with its defaults.
  struct Options {
    std::string xml_file;  // Empty: the built-in model.
    int frame_skip = 5;
    double healthy_reward = 10.0;
    double reset_noise_scale = 0.1;
  };
  static const char kXml[];

  // Errors: the model's (see LoadMjcf).
  static absl::StatusOr<std::unique_ptr<InvertedDoublePendulum>> Create(
      const Options& options);
  static absl::StatusOr<std::unique_ptr<InvertedDoublePendulum>> Create() {
    return Create(Options());
  }

 protected:
  void ResetState(std::mt19937_64& rng, Observation* observation) override;
  void StepState(const Action& action, StepResult* result) override;
  void WriteObservation(Observation* observation) const override;

 private:
  InvertedDoublePendulum(EnvSpec spec, MjModelPtr model,
                         const Options& options);

  Options options_;
};

}  // namespace rl

#endif  // RL_ENVS_MUJOCO_INVERTED_DOUBLE_PENDULUM_H_
