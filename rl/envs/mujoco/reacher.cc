#include "rl/envs/mujoco/reacher.h"

#include <cmath>
#include <utility>

namespace rl {

const char Reacher::kXml[] = R"(
<mujoco model="reacher">
  <compiler angle="radian" inertiafromgeom="true"/>
  <default>
    <joint armature="1" damping="1" limited="true"/>
    <geom contype="0" friction="1 0.1 0.1" rgba="0.7 0.7 0 1"/>
  </default>
  <option gravity="0 0 -9.81" integrator="RK4" timestep="0.01"/>
  <worldbody>
    <geom conaffinity="0" contype="0" name="ground" pos="0 0 0"
          rgba="0.9 0.9 0.9 1" size="1 1 10" type="plane"/>
    <geom conaffinity="0" fromto="-.3 -.3 .01 .3 -.3 .01" name="sideS"
          rgba="0.9 0.4 0.6 1" size=".02" type="capsule"/>
    <geom conaffinity="0" fromto=" .3 -.3 .01 .3 .3 .01" name="sideE"
          rgba="0.9 0.4 0.6 1" size=".02" type="capsule"/>
    <geom conaffinity="0" fromto="-.3 .3 .01 .3 .3 .01" name="sideN"
          rgba="0.9 0.4 0.6 1" size=".02" type="capsule"/>
    <geom conaffinity="0" fromto="-.3 -.3 .01 -.3 .3 .01" name="sideW"
          rgba="0.9 0.4 0.6 1" size=".02" type="capsule"/>
    <geom conaffinity="0" contype="0" fromto="0 0 0 0 0 0.02" name="root"
          rgba="0.9 0.4 0.6 1" size=".011" type="cylinder"/>
    <body name="body0" pos="0 0 .01">
      <geom fromto="0 0 0 0.1 0 0" name="link0" rgba="0.0 0.4 0.6 1"
            size=".01" type="capsule"/>
      <joint axis="0 0 1" limited="false" name="joint0" pos="0 0 0"
             type="hinge"/>
      <body name="body1" pos="0.1 0 0">
        <joint axis="0 0 1" limited="true" name="joint1" pos="0 0 0"
               range="-3.0 3.0" type="hinge"/>
        <geom fromto="0 0 0 0.1 0 0" name="link1" rgba="0.0 0.4 0.6 1"
              size=".01" type="capsule"/>
        <body name="fingertip" pos="0.11 0 0">
          <geom contype="0" name="fingertip" pos="0 0 0"
                rgba="0.0 0.8 0.6 1" size=".01" type="sphere"/>
        </body>
      </body>
    </body>
    <body name="target" pos=".1 -.1 .01">
      <joint armature="0" axis="1 0 0" damping="0" limited="true"
             name="target_x" pos="0 0 0" range="-.27 .27" ref=".1"
             stiffness="0" type="slide"/>
      <joint armature="0" axis="0 1 0" damping="0" limited="true"
             name="target_y" pos="0 0 0" range="-.27 .27" ref="-.1"
             stiffness="0" type="slide"/>
      <geom conaffinity="0" contype="0" name="target" pos="0 0 0"
            rgba="0.9 0.2 0.2 1" size=".009" type="sphere"/>
    </body>
  </worldbody>
  <actuator>
    <motor ctrllimited="true" ctrlrange="-1.0 1.0" gear="200.0"
           joint="joint0"/>
    <motor ctrllimited="true" ctrlrange="-1.0 1.0" gear="200.0"
           joint="joint1"/>
  </actuator>
</mujoco>
)";

namespace {

const bool kRegistered =
    Envs().Register("Reacher-v5",
                    "reach a random target with a two-link arm (Gymnasium "
                    "mujoco)",
                    &CreateMujocoEnv<Reacher>);

// gym.make("Reacher-v5", **kwargs) with Gymnasium's keyword names.
const bool kConfigurable = ConfigurableEnvs().Register(
    "Reacher-v5", Envs().Description("Reacher-v5"),
    [](const EnvKwargs& kwargs) -> absl::StatusOr<std::unique_ptr<Env>> {
      Reacher::Options o;
      EnvKwargsReader r("Reacher-v5", kwargs);
      r.String("xml_file", &o.xml_file);
      r.Int("frame_skip", &o.frame_skip, 1);
      r.Double("reward_dist_weight", &o.reward_dist_weight);
      r.Double("reward_control_weight", &o.reward_control_weight);
      const absl::Status status = r.Finish();
      if (!status.ok()) return status;
      return AsEnv(Reacher::Create(o));
    });

}  // namespace

absl::StatusOr<std::unique_ptr<Reacher>> Reacher::Create(
    const Options& options) {
  auto model = LoadMjcf(options.xml_file, kXml, "reacher.xml");
  if (!model.ok()) return model.status();
  auto fingertip = FindBody(model->get(), "fingertip");
  if (!fingertip.ok()) return fingertip.status();
  auto target = FindBody(model->get(), "target");
  if (!target.ok()) return target.status();
  if ((*model)->nq != 4 || (*model)->nv != 4) {
    return absl::InvalidArgumentError(
        "Reacher-v5: the model must have 4 joints (two arm hinges, the "
        "target's two slides), as Gymnasium's reacher.xml");
  }
  EnvSpec spec = MujocoSpec("Reacher-v5", model->get(), options.frame_skip, 10);
  // Gymnasium registers Reacher with a 50-step limit, not the family's 1000.
  spec.max_episode_steps = 50;
  return std::unique_ptr<Reacher>(new Reacher(
      std::move(spec), *std::move(model), options, *fingertip, *target));
}

Reacher::Reacher(EnvSpec spec, MjModelPtr model, const Options& options,
                 int fingertip, int target)
    : MujocoEnv(std::move(spec), std::move(model), options.frame_skip,
                MujocoDrawView{/*right_axis=*/0, /*up_axis=*/1,
                               /*track_body=*/0, /*track_vertical=*/false,
                               /*metres_across=*/0.8, /*up_centre=*/0.0,
                               /*floor=*/false}),
      options_(options),
      fingertip_(fingertip),
      target_(target) {
  // Gymnasium v5's DEFAULT_CAMERA_CONFIG.
  set_camera_config(MujocoCameraConfig{/*track_body=*/0});
}

double Reacher::Distance() const {
  const double* f = data()->xpos + 3 * fingertip_;
  const double* t = data()->xpos + 3 * target_;
  return std::sqrt((f[0] - t[0]) * (f[0] - t[0]) +
                   (f[1] - t[1]) * (f[1] - t[1]) +
                   (f[2] - t[2]) * (f[2] - t[2]));
}

void Reacher::ResetState(std::mt19937_64& rng, Observation* observation) {
  BeginReset();
  mjData* d = mutable_data();
  for (int i = 0; i < model()->nq; ++i) {
    d->qpos[i] = model()->qpos0[i] + UniformReal(rng, -0.1, 0.1);
  }
  double goal[2];
  do {
    goal[0] = UniformReal(rng, -0.2, 0.2);
    goal[1] = UniformReal(rng, -0.2, 0.2);
  } while (std::sqrt(goal[0] * goal[0] + goal[1] * goal[1]) >= 0.2);
  d->qpos[2] = goal[0];
  d->qpos[3] = goal[1];
  for (int i = 0; i < model()->nv; ++i) {
    d->qvel[i] = UniformReal(rng, -0.005, 0.005);
  }
  d->qvel[2] = 0;
  d->qvel[3] = 0;
  SetSimState(d->qpos, d->qvel);
  WriteObservation(observation);
}

void Reacher::StepState(const Action& action, StepResult* result) {
  double control = 0;
  for (float a : action.continuous) control += static_cast<double>(a) * a;
  const double reward = -options_.reward_dist_weight * Distance() -
                        options_.reward_control_weight * control;
  if (!DoSimulation(action.continuous)) return EndDivergedStep(result);
  WriteObservation(&result->observation);
  result->reward = reward;
}

void Reacher::WriteObservation(Observation* observation) const {
  const mjData* d = data();
  const double* f = d->xpos + 3 * fingertip_;
  const double* t = d->xpos + 3 * target_;
  *observation = {static_cast<float>(std::cos(d->qpos[0])),
                  static_cast<float>(std::cos(d->qpos[1])),
                  static_cast<float>(std::sin(d->qpos[0])),
                  static_cast<float>(std::sin(d->qpos[1])),
                  static_cast<float>(d->qpos[2]),
                  static_cast<float>(d->qpos[3]),
                  static_cast<float>(d->qvel[0]),
                  static_cast<float>(d->qvel[1]),
                  static_cast<float>(f[0] - t[0]),
                  static_cast<float>(f[1] - t[1])};
}

}  // namespace rl
