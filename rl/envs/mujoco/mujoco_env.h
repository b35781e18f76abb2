// MujocoEnv: the base of the MuJoCo env family (Gymnasium's
// gymnasium/envs/mujoco/mujoco_env.py, in C++ on MuJoCo 2.2's C API).
//
// A MuJoCo env owns its mjModel and mjData (RAII, see MjModelPtr/MjDataPtr),
// compiled from MJCF: the env's own model, a string compiled into the binary,
// or any file given by path (Gymnasium's `xml_file`). Physics only: no GL.
//
//   Step(action):  the action (checked by Env: size, finite; and here:
//                  within the action space's bounds, see below) is written
//                  to data->ctrl, then mj_step runs frame_skip times;
//                  dt() = timestep * frame_skip.
//   Bounds:        a Box action with a value outside the action space (the
//                  actuators' ctrlrange) is refused: Step() returns
//                  InvalidArgument naming the index, the value and the
//                  bounds, and the env is unchanged. Gymnasium passes such
//                  actions on and MuJoCo clamps ctrl silently, which hides
//                  an agent's scaling bugs; agents clip their actions to the
//                  bounds themselves (PPO does; the random agent samples
//                  within them).
//   Reset():       mj_resetData, then the derived env adds its reset noise
//                  (drawn from the Env base class's generator only, with
//                  UniformReal/Normal) and calls SetSimState (mj_forward).
//   Divergence:    if the simulation produces a non-finite qpos/qvel/qacc or
//                  MuJoCo reports a bad qpos/qvel/qacc (it then silently
//                  resets mjData to the model's initial state), the step
//                  terminates the episode instead: terminated = true, reward
//                  0, the state and observation restored to those before the
//                  step, diverged() true until the next Reset(). Gymnasium
//                  would go on with MuJoCo's reset state (or NaNs); ending
//                  the episode keeps NaN out of agents and videos.
//
// model() and data() are read-only views for a scene renderer. The env
// describes its 3D scene as data, without GL: DefaultCamera() (Gymnasium
// v5's DEFAULT_CAMERA_CONFIG) and UpdateScene() (mjv_updateScene into a
// caller's mjvScene); the spec says so (EnvSpec::scene_3d), and videos and
// the live view render that scene with MuJoCo's renderer
// (rl/pipeline/env_picture.h, rl/render/mujoco). Draw() paints only a 2D
// schematic, for callers that want a canvas: a flat projection of the geoms
// (capsules as thick lines, other geoms as discs of their bounding radius)
// onto two world axes, tracking one body, with a caption saying so.
//
// MuJoCo's own warnings (e.g. the bad-qacc one) go through its default
// handler, which prints them and appends them to MUJOCO_LOG.TXT in the
// working directory; the handler is a process-wide global of MuJoCo's that
// this library leaves alone.
//
// Example:
//   RL_ASSIGN_OR_RETURN(MjModelPtr model, LoadMjcfString(kXml, "cart.xml"));
//   // ... in a derived env's constructor:
//   //   MujocoEnv(spec, std::move(model), /*frame_skip=*/2, draw_view)
#ifndef RL_ENVS_MUJOCO_MUJOCO_ENV_H_
#define RL_ENVS_MUJOCO_MUJOCO_ENV_H_

#include <array>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "mujoco/mujoco.h"
#include "rl/canvas/canvas.h"
#include "rl/core/mujoco_model.h"
#include "rl/envs/env.h"
#include "rl/envs/env_kwargs.h"

namespace rl {

// `xml_file` if not empty (a path), else the built-in `xml` named `name`.
absl::StatusOr<MjModelPtr> LoadMjcf(const std::string& xml_file,
                                    absl::string_view xml,
                                    absl::string_view name);

// How Draw() projects the scene: world axes (0 x, 1 y, 2 z) drawn to the
// right and up, the body whose position is kept at the centre along the
// horizontal axis (0: none, the world), and how many metres the canvas
// spans horizontally.
struct MujocoDrawView {
  int right_axis = 0;
  int up_axis = 2;
  int track_body = 0;
  bool track_vertical = false;  // Also follow the body along the up axis.
  double metres_across = 4.0;
  double up_centre = 1.0;  // World coordinate at the canvas' centre (up).
  bool floor = true;       // Draw the z = 0 floor line.
};

// Gymnasium's DEFAULT_CAMERA_CONFIG for an env, as data (no GL): the body
// the camera tracks (0: none, a free camera), and what differs from
// mjv_defaultFreeCamera's framing of the whole model.
struct MujocoCameraConfig {
  int track_body = 0;
  std::optional<double> distance;
  std::optional<double> elevation;
  std::optional<double> azimuth;
  std::optional<std::array<double, 3>> lookat;
};

class MujocoEnv : public Env {
 public:
  // Read-only views for a scene renderer; valid for the env's lifetime.
  const mjModel* model() const { return model_.get(); }
  // The model, for holders that may outlive the env (the live feed's
  // thread renders scenes of it after a run's envs are gone). Never
  // changed after the env's construction.
  std::shared_ptr<const mjModel> shared_model() const { return model_; }
  const mjData* data() const { return data_.get(); }

  int frame_skip() const { return frame_skip_; }
  // Seconds per env step: the model's timestep times frame_skip.
  double dt() const { return model_->opt.timestep * frame_skip_; }
  // True after a step that ended the episode because the simulation
  // diverged (see the header comment); false again after Reset().
  bool diverged() const { return diverged_; }

  // For tests and demos: puts the simulation in (qpos, qvel) mid-episode,
  // as Gymnasium's set_state (then mj_forward). Errors: InvalidArgument for
  // sizes other than the model's nq and nv.
  absl::Status SetState(absl::Span<const double> qpos,
                        absl::Span<const double> qvel);

  // The env's default camera for a scene renderer: mjv_defaultFreeCamera,
  // then the env's MujocoCameraConfig; mjCAMERA_TRACKING when it tracks a
  // body.
  mjvCamera DefaultCamera() const;
  // Fills `scene` (made by mjv_makeScene for model()) from the current state
  // with mjv_updateScene, every category, no perturbation: the 3D scene as
  // data, no GL. Call it on the thread that steps the env. MuJoCo's API takes
  // a mutable mjData; it writes only its warning counters there.
  void UpdateScene(const mjvOption* option, mjvCamera* camera,
                   mjvScene* scene) const;

  // Refuses a value outside the action space's bounds (see the header
  // comment).
  absl::Status CheckBoxAction(const Action& action) const override;

  // The 2D schematic (see the header comment).
  void Draw(Canvas* canvas) const override;

 protected:
  // `model` must not be null. frame_skip >= 1.
  MujocoEnv(EnvSpec spec, MjModelPtr model, int frame_skip,
            MujocoDrawView view);

  mjData* mutable_data() { return data_.get(); }

  void set_camera_config(const MujocoCameraConfig& config) {
    camera_config_ = config;
  }

  // Writes the observation of the current state.
  virtual void WriteObservation(Observation* observation) const = 0;

  // mj_resetData: qpos = qpos0 (Gymnasium's init_qpos), qvel = 0.
  void ResetSimulation();
  // Sets qpos/qvel from the current ones (sizes nq, nv) and runs
  // mj_forward, as Gymnasium's set_state.
  void SetSimState(const double* qpos, const double* qvel);
  // Writes `action` into ctrl and steps frame_skip times. Returns false if
  // the simulation diverged; the state before the call is then restored and
  // diverged() is true. With `post_constraint`, ends with
  // mj_rnePostConstraint (cacc, cfrc_int, cfrc_ext), as Gymnasium v5 does.
  bool DoSimulation(const std::vector<float>& action,
                    bool post_constraint = false);
  // For a diverged step: terminated, reward 0, the restored state's
  // observation.
  void EndDivergedStep(StepResult* result);

  // Gymnasium's MujocoEnv.reset: ResetSimulation, clear diverged().
  void BeginReset();

  enum class VelocityNoise { kUniform, kNormal };
  // The reset most of Gymnasium's MuJoCo envs share: BeginReset, then
  // qpos = init_qpos + U(-scale, scale) per element, then qvel = U(-scale,
  // scale) or scale * N(0, 1) per element (drawn after all of qpos), then
  // SetSimState.
  void ResetWithNoise(std::mt19937_64& rng, double scale,
                      VelocityNoise velocity_noise);

 private:
  std::shared_ptr<const mjModel> model_;
  MjDataPtr data_;
  int frame_skip_;
  MujocoDrawView view_;
  MujocoCameraConfig camera_config_;
  bool diverged_ = false;
  std::vector<double> saved_qpos_;
  std::vector<double> saved_qvel_;
  std::vector<double> saved_act_;
};

// Gymnasium's MujocoEnv action space: Box over the actuators' ctrlrange
// (unbounded for actuators without ctrllimited).
Space MujocoActionSpace(const mjModel* model);
// Box(n,) over (-inf, inf), Gymnasium's MuJoCo observation spaces.
Space UnboundedBox(int n);

// The spec every env of the family shares: Gymnasium's time limit (1000
// steps), an unbounded Box(observation_size,) observation, the actuators'
// Box action, 480x480 frames (Gymnasium's default) at 1 / dt frames a second.
// Rewards are unbounded unless the env narrows them.
EnvSpec MujocoSpec(std::string id, const mjModel* model, int frame_skip,
                   int observation_size);

// For registrations: a created env as a StatusOr<unique_ptr<Env>>.
template <typename T>
absl::StatusOr<std::unique_ptr<Env>> AsEnv(
    absl::StatusOr<std::unique_ptr<T>> env) {
  if (!env.ok()) return env.status();
  return std::unique_ptr<Env>(*std::move(env));
}
template <typename T>
absl::StatusOr<std::unique_ptr<Env>> CreateMujocoEnv() {
  return AsEnv(T::Create());
}

// Index of the body named `name`, or an InvalidArgument error naming the
// model's file and the missing body (for models given by xml_file).
absl::StatusOr<int> FindBody(const mjModel* model, const char* name);

}  // namespace rl

#endif  // RL_ENVS_MUJOCO_MUJOCO_ENV_H_
