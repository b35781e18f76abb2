#include "rl/envs/mujoco/half_cheetah.h"

#include <utility>

namespace rl {

const char HalfCheetah::kXml[] = R"(
<mujoco model="cheetah">
  <compiler angle="radian" inertiafromgeom="true" settotalmass="14"/>
  <default>
    <joint armature=".1" damping=".01" limited="true" solimplimit="0 .8 .03"
           solreflimit=".02 1" stiffness="8"/>
    <geom conaffinity="0" condim="3" contype="1" friction=".4 .1 .1"
          rgba="0.8 0.6 .4 1" solimp="0.0 0.8 0.01" solref="0.02 1"/>
    <motor ctrllimited="true" ctrlrange="-1 1"/>
  </default>
  <size nstack="300000" nuser_geom="1"/>
  <option gravity="0 0 -9.81" timestep="0.01"/>
  <!-- The floor below is drawn 2 km wide (Gymnasium's 40 m one ends
       under a trained runner); the model's extent, which sets the render
       clip planes and cameras' defaults, stays the one the original floor
       gave. Collisions with a plane are unbounded either way. -->
  <statistic extent="8"/>
  <asset>
    <!-- Gymnasium's visual assets, built-in textures only: a gradient sky
         and a checkered floor, so motion shows under the tracking camera.
         The physics does not see them. -->
    <texture builtin="gradient" height="100" rgb1="1 1 1" rgb2="0 0 0"
             type="skybox" width="100"/>
    <texture builtin="checker" height="100" name="texplane" rgb1="0 0 0"
             rgb2="0.8 0.8 0.8" type="2d" width="100"/>
    <material name="MatPlane" reflectance="0.5" shininess="1" specular="1"
              texrepeat="1500 1500" texture="texplane"/>
  </asset>
  <worldbody>
    <light cutoff="100" diffuse="1 1 1" dir="-0 0 -1.3" directional="true"
           exponent="1" pos="0 0 1.3" specular=".1 .1 .1"/>
    <geom conaffinity="1" condim="3" material="MatPlane" name="floor"
          pos="0 0 0" rgba="0.8 0.9 0.8 1" size="1000 1000 40" type="plane"/>
    <body name="torso" pos="0 0 .7">
      <camera name="track" mode="trackcom" pos="0 -3 0.3"
              xyaxes="1 0 0 0 0 1"/>
      <joint armature="0" axis="1 0 0" damping="0" limited="false"
             name="rootx" pos="0 0 0" stiffness="0" type="slide"/>
      <joint armature="0" axis="0 0 1" damping="0" limited="false"
             name="rootz" pos="0 0 0" stiffness="0" type="slide"/>
      <joint armature="0" axis="0 1 0" damping="0" limited="false"
             name="rooty" pos="0 0 0" stiffness="0" type="hinge"/>
      <geom fromto="-.5 0 0 .5 0 0" name="torso" size="0.046" type="capsule"/>
      <geom axisangle="0 1 0 .87" name="head" pos=".6 0 .1"
            size="0.046 .15" type="capsule"/>
      <body name="bthigh" pos="-.5 0 0">
        <joint axis="0 1 0" damping="6" name="bthigh" pos="0 0 0"
               range="-.52 1.05" stiffness="240" type="hinge"/>
        <geom axisangle="0 1 0 -3.8" name="bthigh" pos=".1 0 -.13"
              size="0.046 .145" type="capsule"/>
        <body name="bshin" pos=".16 0 -.25">
          <joint axis="0 1 0" damping="4.5" name="bshin" pos="0 0 0"
                 range="-.785 .785" stiffness="180" type="hinge"/>
          <geom axisangle="0 1 0 -2.03" name="bshin" pos="-.14 0 -.07"
                rgba="0.9 0.6 0.6 1" size="0.046 .15" type="capsule"/>
          <body name="bfoot" pos="-.28 0 -.14">
            <joint axis="0 1 0" damping="3" name="bfoot" pos="0 0 0"
                   range="-.4 .785" stiffness="120" type="hinge"/>
            <geom axisangle="0 1 0 -.27" name="bfoot" pos=".03 0 -.097"
                  rgba="0.9 0.6 0.6 1" size="0.046 .094" type="capsule"/>
          </body>
        </body>
      </body>
      <body name="fthigh" pos=".5 0 0">
        <joint axis="0 1 0" damping="4.5" name="fthigh" pos="0 0 0"
               range="-1 .7" stiffness="180" type="hinge"/>
        <geom axisangle="0 1 0 .52" name="fthigh" pos="-.07 0 -.12"
              size="0.046 .133" type="capsule"/>
        <body name="fshin" pos="-.14 0 -.24">
          <joint axis="0 1 0" damping="3" name="fshin" pos="0 0 0"
                 range="-1.2 .87" stiffness="120" type="hinge"/>
          <geom axisangle="0 1 0 -.6" name="fshin" pos=".065 0 -.09"
                rgba="0.9 0.6 0.6 1" size="0.046 .106" type="capsule"/>
          <body name="ffoot" pos=".13 0 -.18">
            <joint axis="0 1 0" damping="1.5" name="ffoot" pos="0 0 0"
                   range="-.5 .5" stiffness="60" type="hinge"/>
            <geom axisangle="0 1 0 -.6" name="ffoot" pos=".045 0 -.07"
                  rgba="0.9 0.6 0.6 1" size="0.046 .07" type="capsule"/>
          </body>
        </body>
      </body>
    </body>
  </worldbody>
  <actuator>
    <motor gear="120" joint="bthigh" name="bthigh"/>
    <motor gear="90" joint="bshin" name="bshin"/>
    <motor gear="60" joint="bfoot" name="bfoot"/>
    <motor gear="120" joint="fthigh" name="fthigh"/>
    <motor gear="60" joint="fshin" name="fshin"/>
    <motor gear="30" joint="ffoot" name="ffoot"/>
  </actuator>
</mujoco>
)";

namespace {

const bool kRegistered = Envs().Register(
    "HalfCheetah-v5", "make a planar cheetah run forward (Gymnasium mujoco)",
    &CreateMujocoEnv<HalfCheetah>);

// gym.make("HalfCheetah-v5", **kwargs) with Gymnasium's keyword names.
const bool kConfigurable = ConfigurableEnvs().Register(
    "HalfCheetah-v5", Envs().Description("HalfCheetah-v5"),
    [](const EnvKwargs& kwargs) -> absl::StatusOr<std::unique_ptr<Env>> {
      HalfCheetah::Options o;
      EnvKwargsReader r("HalfCheetah-v5", kwargs);
      r.String("xml_file", &o.xml_file);
      r.Int("frame_skip", &o.frame_skip, 1);
      r.Double("forward_reward_weight", &o.forward_reward_weight);
      r.Double("ctrl_cost_weight", &o.ctrl_cost_weight);
      r.NonNegative("reset_noise_scale", &o.reset_noise_scale);
      r.Bool("exclude_current_positions_from_observation",
             &o.exclude_current_positions_from_observation);
      const absl::Status status = r.Finish();
      if (!status.ok()) return status;
      return AsEnv(HalfCheetah::Create(o));
    });

}  // namespace

absl::StatusOr<std::unique_ptr<HalfCheetah>> HalfCheetah::Create(
    const Options& options) {
  auto model = LoadMjcf(options.xml_file, kXml, "half_cheetah.xml");
  if (!model.ok()) return model.status();
  const int skip = options.exclude_current_positions_from_observation ? 1 : 0;
  EnvSpec spec = MujocoSpec("HalfCheetah-v5", model->get(), options.frame_skip,
                            (*model)->nq - skip + (*model)->nv);
  return std::unique_ptr<HalfCheetah>(
      new HalfCheetah(std::move(spec), *std::move(model), options));
}

HalfCheetah::HalfCheetah(EnvSpec spec, MjModelPtr model, const Options& options)
    : MujocoEnv(std::move(spec), std::move(model), options.frame_skip,
                MujocoDrawView{/*right_axis=*/0, /*up_axis=*/2,
                               /*track_body=*/1, /*track_vertical=*/false,
                               /*metres_across=*/4.0, /*up_centre=*/0.6,
                               /*floor=*/true}),
      options_(options) {
  // Gymnasium v5's DEFAULT_CAMERA_CONFIG (tracking the torso: Gymnasium's
  // videos follow the runner).
  set_camera_config(MujocoCameraConfig{/*track_body=*/1, /*distance=*/4.0});
}

void HalfCheetah::ResetState(std::mt19937_64& rng, Observation* observation) {
  ResetWithNoise(rng, options_.reset_noise_scale, VelocityNoise::kNormal);
  x_velocity_ = 0;
  WriteObservation(observation);
}

void HalfCheetah::StepState(const Action& action, StepResult* result) {
  const double x_before = data()->qpos[0];
  if (!DoSimulation(action.continuous)) return EndDivergedStep(result);
  x_velocity_ = (data()->qpos[0] - x_before) / dt();
  double control = 0;
  for (float a : action.continuous) control += static_cast<double>(a) * a;
  result->reward = options_.forward_reward_weight * x_velocity_ -
                   options_.ctrl_cost_weight * control;
  WriteObservation(&result->observation);
}

void HalfCheetah::WriteObservation(Observation* observation) const {
  const int skip = options_.exclude_current_positions_from_observation ? 1 : 0;
  const int nq = model()->nq, nv = model()->nv;
  observation->resize(nq - skip + nv);
  float* out = observation->data();
  for (int i = skip; i < nq; ++i) *out++ = static_cast<float>(data()->qpos[i]);
  for (int i = 0; i < nv; ++i) *out++ = static_cast<float>(data()->qvel[i]);
}

}  // namespace rl
