#include "rl/envs/mujoco/hopper.h"

#include <algorithm>
#include <utility>

namespace rl {

const char Hopper::kXml[] = R"(
<mujoco model="hopper">
  <compiler angle="degree" inertiafromgeom="true"/>
  <default>
    <joint armature="1" damping="1" limited="true"/>
    <geom conaffinity="1" condim="1" contype="1" margin="0.001"
          rgba="0.8 0.6 .4 1" solimp=".8 .8 .01" solref=".02 1"/>
    <motor ctrllimited="true" ctrlrange="-.4 .4"/>
  </default>
  <option integrator="RK4" timestep="0.002"/>
  <!-- The floor below is drawn 2 km wide (Gymnasium's 20 m one ends
       under a trained runner); the model's extent, which sets the render
       clip planes and cameras' defaults, stays the one the original floor
       gave. Collisions with a plane are unbounded either way. -->
  <statistic extent="4"/>
  <asset>
    <!-- Gymnasium's visual assets, built-in textures only: a gradient sky
         and a checkered floor, so motion shows under the tracking camera.
         The physics does not see them. -->
    <texture builtin="gradient" height="100" rgb1=".4 .5 .6" rgb2="0 0 0"
             type="skybox" width="100"/>
    <texture builtin="checker" height="100" name="texplane" rgb1="0 0 0"
             rgb2="0.8 0.8 0.8" type="2d" width="100"/>
    <material name="MatPlane" reflectance="0.5" shininess="1" specular="1"
              texrepeat="3000 3000" texture="texplane"/>
  </asset>
  <worldbody>
    <light cutoff="100" diffuse="1 1 1" dir="-0 0 -1.3" directional="true"
           exponent="1" pos="0 0 1.3" specular=".1 .1 .1"/>
    <geom conaffinity="1" condim="3" material="MatPlane" name="floor"
          pos="0 0 0" rgba="0.8 0.9 0.8 1" size="1000 1000 .125" type="plane"/>
    <body name="torso" pos="0 0 1.25">
      <camera name="track" mode="trackcom" pos="0 -3 -0.25"
              xyaxes="1 0 0 0 0 1"/>
      <joint armature="0" axis="1 0 0" damping="0" limited="false"
             name="rootx" pos="0 0 0" stiffness="0" type="slide"/>
      <joint armature="0" axis="0 0 1" damping="0" limited="false"
             name="rootz" pos="0 0 0" ref="1.25" stiffness="0" type="slide"/>
      <joint armature="0" axis="0 1 0" damping="0" limited="false"
             name="rooty" pos="0 0 0" stiffness="0" type="hinge"/>
      <geom friction="0.9" fromto="0 0 0.2 0 0 -0.2" name="torso_geom"
            size="0.05" type="capsule"/>
      <body name="thigh" pos="0 0 -0.2">
        <joint axis="0 -1 0" name="thigh_joint" pos="0 0 0" range="-150 0"
               type="hinge"/>
        <geom friction="0.9" fromto="0 0 0 0 0 -0.45" name="thigh_geom"
              size="0.05" type="capsule"/>
        <body name="leg" pos="0 0 -0.45">
          <joint axis="0 -1 0" name="leg_joint" pos="0 0 0" range="-150 0"
                 type="hinge"/>
          <geom friction="0.9" fromto="0 0 0 0 0 -0.5" name="leg_geom"
                size="0.04" type="capsule"/>
          <body name="foot" pos="0 0 -0.5">
            <joint axis="0 -1 0" name="foot_joint" pos="0 0 0"
                   range="-45 45" type="hinge"/>
            <geom friction="2.0" fromto="-0.13 0 0 0.26 0 0"
                  name="foot_geom" size="0.06" type="capsule"/>
          </body>
        </body>
      </body>
    </body>
  </worldbody>
  <actuator>
    <motor ctrllimited="true" ctrlrange="-1.0 1.0" gear="200.0"
           joint="thigh_joint"/>
    <motor ctrllimited="true" ctrlrange="-1.0 1.0" gear="200.0"
           joint="leg_joint"/>
    <motor ctrllimited="true" ctrlrange="-1.0 1.0" gear="200.0"
           joint="foot_joint"/>
  </actuator>
</mujoco>
)";

namespace {

const bool kRegistered =
    Envs().Register("Hopper-v5",
                    "make a planar one-legged robot hop forward (Gymnasium "
                    "mujoco)",
                    &CreateMujocoEnv<Hopper>);

// gym.make("Hopper-v5", **kwargs) with Gymnasium's keyword names.
const bool kConfigurable = ConfigurableEnvs().Register(
    "Hopper-v5", Envs().Description("Hopper-v5"),
    [](const EnvKwargs& kwargs) -> absl::StatusOr<std::unique_ptr<Env>> {
      Hopper::Options o;
      EnvKwargsReader r("Hopper-v5", kwargs);
      r.String("xml_file", &o.xml_file);
      r.Int("frame_skip", &o.frame_skip, 1);
      r.Double("forward_reward_weight", &o.forward_reward_weight);
      r.Double("ctrl_cost_weight", &o.ctrl_cost_weight);
      r.Double("healthy_reward", &o.healthy_reward);
      r.Bool("terminate_when_unhealthy", &o.terminate_when_unhealthy);
      r.Range("healthy_state_range", &o.healthy_state_range);
      r.Range("healthy_z_range", &o.healthy_z_range);
      r.Range("healthy_angle_range", &o.healthy_angle_range);
      r.NonNegative("reset_noise_scale", &o.reset_noise_scale);
      r.Bool("exclude_current_positions_from_observation",
             &o.exclude_current_positions_from_observation);
      const absl::Status status = r.Finish();
      if (!status.ok()) return status;
      return AsEnv(Hopper::Create(o));
    });

bool Inside(double x, const std::pair<double, double>& range) {
  return range.first < x && x < range.second;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Hopper>> Hopper::Create(const Options& options) {
  auto model = LoadMjcf(options.xml_file, kXml, "hopper.xml");
  if (!model.ok()) return model.status();
  if ((*model)->nq < 3) {
    return absl::InvalidArgumentError(
        "Hopper-v5: the model must start with root x, z and angle joints, as "
        "Gymnasium's hopper.xml");
  }
  const int skip = options.exclude_current_positions_from_observation ? 1 : 0;
  EnvSpec spec = MujocoSpec("Hopper-v5", model->get(), options.frame_skip,
                            (*model)->nq - skip + (*model)->nv);
  return std::unique_ptr<Hopper>(
      new Hopper(std::move(spec), *std::move(model), options));
}

Hopper::Hopper(EnvSpec spec, MjModelPtr model, const Options& options)
    : MujocoEnv(std::move(spec), std::move(model), options.frame_skip,
                MujocoDrawView{/*right_axis=*/0, /*up_axis=*/2,
                               /*track_body=*/1, /*track_vertical=*/false,
                               /*metres_across=*/3.0, /*up_centre=*/0.9,
                               /*floor=*/true}),
      options_(options) {
  // Gymnasium v5's DEFAULT_CAMERA_CONFIG.
  set_camera_config(MujocoCameraConfig{/*track_body=*/2, /*distance=*/3.0,
                                       /*elevation=*/-20.0, std::nullopt,
                                       std::array<double, 3>{0.0, 0.0, 1.15}});
}

bool Hopper::IsHealthy() const {
  const mjData* d = data();
  for (int i = 2; i < model()->nq; ++i) {
    if (!Inside(d->qpos[i], options_.healthy_state_range)) return false;
  }
  for (int i = 0; i < model()->nv; ++i) {
    if (!Inside(d->qvel[i], options_.healthy_state_range)) return false;
  }
  return Inside(d->qpos[1], options_.healthy_z_range) &&
         Inside(d->qpos[2], options_.healthy_angle_range);
}

void Hopper::ResetState(std::mt19937_64& rng, Observation* observation) {
  ResetWithNoise(rng, options_.reset_noise_scale, VelocityNoise::kUniform);
  x_velocity_ = 0;
  WriteObservation(observation);
}

void Hopper::StepState(const Action& action, StepResult* result) {
  const double x_before = data()->qpos[0];
  if (!DoSimulation(action.continuous)) return EndDivergedStep(result);
  x_velocity_ = (data()->qpos[0] - x_before) / dt();
  double control = 0;
  for (float a : action.continuous) control += static_cast<double>(a) * a;
  const bool healthy = IsHealthy();
  result->reward = options_.forward_reward_weight * x_velocity_ +
                   (healthy ? options_.healthy_reward : 0.0) -
                   options_.ctrl_cost_weight * control;
  result->terminated = !healthy && options_.terminate_when_unhealthy;
  WriteObservation(&result->observation);
}

void Hopper::WriteObservation(Observation* observation) const {
  const int skip = options_.exclude_current_positions_from_observation ? 1 : 0;
  const int nq = model()->nq, nv = model()->nv;
  observation->resize(nq - skip + nv);
  float* out = observation->data();
  for (int i = skip; i < nq; ++i) *out++ = static_cast<float>(data()->qpos[i]);
  for (int i = 0; i < nv; ++i) {
    *out++ = static_cast<float>(std::clamp(data()->qvel[i], -10.0, 10.0));
  }
}

}  // namespace rl
