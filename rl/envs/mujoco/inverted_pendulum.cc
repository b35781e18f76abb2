#include "rl/envs/mujoco/inverted_pendulum.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace rl {

const char InvertedPendulum::kXml[] = R"(
<mujoco model="inverted pendulum">
  <compiler inertiafromgeom="true"/>
  <default>
    <joint armature="0" damping="1" limited="true"/>
    <geom contype="0" friction="1 0.1 0.1" rgba="0.7 0.7 0 1"/>
    <motor ctrlrange="-3 3"/>
  </default>
  <option gravity="0 0 -9.81" integrator="RK4" timestep="0.02"/>
  <size nstack="3000"/>
  <worldbody>
    <geom name="rail" pos="0 0 0" quat="0.707 0 0.707 0" rgba="0.3 0.3 0.7 1"
          size="0.02 1" type="capsule" group="3"/>
    <body name="cart" pos="0 0 0">
      <joint axis="1 0 0" limited="true" name="slider" pos="0 0 0"
             range="-1 1" type="slide"/>
      <geom name="cart" pos="0 0 0" quat="0.707 0 0.707 0" size="0.1 0.1"
            type="capsule"/>
      <body name="pole" pos="0 0 0">
        <joint axis="0 1 0" name="hinge" pos="0 0 0" range="-90 90"
               type="hinge"/>
        <geom fromto="0 0 0 0.001 0 0.6" name="cpole" rgba="0 0.7 0.7 1"
              size="0.049 0.3" type="capsule"/>
      </body>
    </body>
  </worldbody>
  <actuator>
    <motor ctrllimited="true" ctrlrange="-3 3" gear="100" joint="slider"
           name="slide"/>
  </actuator>
</mujoco>
)";

namespace {

const bool kRegistered =
    Envs().Register("InvertedPendulum-v5",
                    "keep a pole upright on a sliding cart (Gymnasium mujoco)",
                    &CreateMujocoEnv<InvertedPendulum>);

// gym.make("InvertedPendulum-v5", **kwargs) with Gymnasium's keyword names.
const bool kConfigurable = ConfigurableEnvs().Register(
    "InvertedPendulum-v5", Envs().Description("InvertedPendulum-v5"),
    [](const EnvKwargs& kwargs) -> absl::StatusOr<std::unique_ptr<Env>> {
      InvertedPendulum::Options o;
      EnvKwargsReader r("InvertedPendulum-v5", kwargs);
      r.String("xml_file", &o.xml_file);
      r.Int("frame_skip", &o.frame_skip, 1);
      r.NonNegative("reset_noise_scale", &o.reset_noise_scale);
      const absl::Status status = r.Finish();
      if (!status.ok()) return status;
      return AsEnv(InvertedPendulum::Create(o));
    });

}  // namespace

absl::StatusOr<std::unique_ptr<InvertedPendulum>> InvertedPendulum::Create(
    const Options& options) {
  auto model = LoadMjcf(options.xml_file, kXml, "inverted_pendulum.xml");
  if (!model.ok()) return model.status();
  EnvSpec spec;
  spec.id = "InvertedPendulum-v5";
  spec.max_episode_steps = 1000;
  spec.observation_space = UnboundedBox((*model)->nq + (*model)->nv);
  spec.action_space = MujocoActionSpace(model->get());
  spec.min_reward = 0;
  spec.max_reward = 1;
  spec.render_width = 480;
  spec.render_height = 480;
  spec.render_fps = static_cast<int>(std::lround(
      1.0 / ((*model)->opt.timestep * std::max(options.frame_skip, 1))));
  return std::unique_ptr<InvertedPendulum>(
      new InvertedPendulum(std::move(spec), *std::move(model), options));
}

InvertedPendulum::InvertedPendulum(EnvSpec spec, MjModelPtr model,
                                   const Options& options)
    : MujocoEnv(std::move(spec), std::move(model), options.frame_skip,
                MujocoDrawView{/*right_axis=*/0, /*up_axis=*/2,
                               /*track_body=*/0, /*track_vertical=*/false,
                               /*metres_across=*/3.0, /*up_centre=*/0.2,
                               /*floor=*/false}),
      options_(options) {
  // Gymnasium v5's DEFAULT_CAMERA_CONFIG.
  set_camera_config(MujocoCameraConfig{/*track_body=*/0, /*distance=*/2.04});
}

void InvertedPendulum::ResetState(std::mt19937_64& rng,
                                  Observation* observation) {
  ResetWithNoise(rng, options_.reset_noise_scale, VelocityNoise::kUniform);
  WriteObservation(observation);
}

void InvertedPendulum::StepState(const Action& action, StepResult* result) {
  if (!DoSimulation(action.continuous)) return EndDivergedStep(result);
  WriteObservation(&result->observation);
  const bool terminated = std::abs(data()->qpos[1]) > 0.2;
  result->terminated = terminated;
  result->reward = terminated ? 0.0 : 1.0;
}

void InvertedPendulum::WriteObservation(Observation* observation) const {
  const int nq = model()->nq, nv = model()->nv;
  observation->resize(nq + nv);
  for (int i = 0; i < nq; ++i) {
    (*observation)[i] = static_cast<float>(data()->qpos[i]);
  }
  for (int i = 0; i < nv; ++i) {
    (*observation)[nq + i] = static_cast<float>(data()->qvel[i]);
  }
}

}  // namespace rl
