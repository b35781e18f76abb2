#include "rl/envs/mujoco/inverted_double_pendulum.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace rl {

const char InvertedDoublePendulum::kXml[] = R"(
<mujoco model="cartpole">
  <compiler inertiafromgeom="true"/>
  <default>
    <joint damping="0.05"/>
    <geom contype="0" friction="1 0.1 0.1" rgba="0.7 0.7 0 1"/>
  </default>
  <option gravity="1e-5 0 -9.81" integrator="RK4" timestep="0.01"/>
  <size nstack="3000"/>
  <worldbody>
    <geom name="floor" pos="0 0 -3.0" rgba="0.8 0.9 0.8 1" size="40 40 40"
          type="plane"/>
    <geom name="rail" pos="0 0 0" quat="0.707 0 0.707 0" rgba="0.3 0.3 0.7 1"
          size="0.02 1" type="capsule"/>
    <body name="cart" pos="0 0 0">
      <joint axis="1 0 0" limited="true" margin="0.01" name="slider"
             pos="0 0 0" range="-1 1" type="slide"/>
      <geom name="cart" pos="0 0 0" quat="0.707 0 0.707 0" size="0.1 0.1"
            type="capsule"/>
      <body name="pole" pos="0 0 0">
        <joint axis="0 1 0" name="hinge" pos="0 0 0" type="hinge"/>
        <geom fromto="0 0 0 0 0 0.6" name="cpole" rgba="0 0.7 0.7 1"
              size="0.045 0.3" type="capsule"/>
        <body name="pole2" pos="0 0 0.6">
          <joint axis="0 1 0" name="hinge2" pos="0 0 0" type="hinge"/>
          <geom fromto="0 0 0 0 0 0.6" name="cpole2" rgba="0 0.7 0.7 1"
                size="0.045 0.3" type="capsule"/>
          <site name="tip" pos="0 0 .6" size="0.01 0.01"/>
        </body>
      </body>
    </body>
  </worldbody>
  <actuator>
    <motor ctrllimited="true" ctrlrange="-1 1" gear="500" joint="slider"
           name="slide"/>
  </actuator>
</mujoco>
)";

namespace {

const bool kRegistered = Envs().Register(
    "InvertedDoublePendulum-v5",
    "balance two stacked poles on a sliding cart (Gymnasium mujoco)",
    &CreateMujocoEnv<InvertedDoublePendulum>);

// gym.make("InvertedDoublePendulum-v5", **kwargs) with Gymnasium's keyword
// names.
const bool kConfigurable = ConfigurableEnvs().Register(
    "InvertedDoublePendulum-v5",
    Envs().Description("InvertedDoublePendulum-v5"),
    [](const EnvKwargs& kwargs) -> absl::StatusOr<std::unique_ptr<Env>> {
      InvertedDoublePendulum::Options o;
      EnvKwargsReader r("InvertedDoublePendulum-v5", kwargs);
      r.String("xml_file", &o.xml_file);
      r.Int("frame_skip", &o.frame_skip, 1);
      r.Double("healthy_reward", &o.healthy_reward);
      r.NonNegative("reset_noise_scale", &o.reset_noise_scale);
      const absl::Status status = r.Finish();
      if (!status.ok()) return status;
      return AsEnv(InvertedDoublePendulum::Create(o));
    });

double Clip(double x) { return std::clamp(x, -10.0, 10.0); }

}  // namespace

absl::StatusOr<std::unique_ptr<InvertedDoublePendulum>>
InvertedDoublePendulum::Create(const Options& options) {
  auto model = LoadMjcf(options.xml_file, kXml, "inverted_double_pendulum.xml");
  if (!model.ok()) return model.status();
  if ((*model)->nq != 3 || (*model)->nsite < 1) {
    return absl::InvalidArgumentError(
        "InvertedDoublePendulum-v5: the model must have 3 joints (slider, "
        "two hinges) and a tip site, as Gymnasium's "
        "inverted_double_pendulum.xml");
  }
  EnvSpec spec = MujocoSpec("InvertedDoublePendulum-v5", model->get(),
                            options.frame_skip, 9);
  spec.max_reward = std::max(options.healthy_reward, 0.0);
  return std::unique_ptr<InvertedDoublePendulum>(
      new InvertedDoublePendulum(std::move(spec), *std::move(model), options));
}

InvertedDoublePendulum::InvertedDoublePendulum(EnvSpec spec, MjModelPtr model,
                                               const Options& options)
    : MujocoEnv(std::move(spec), std::move(model), options.frame_skip,
                MujocoDrawView{/*right_axis=*/0, /*up_axis=*/2,
                               /*track_body=*/0, /*track_vertical=*/false,
                               /*metres_across=*/3.2, /*up_centre=*/0.6,
                               /*floor=*/false}),
      options_(options) {
  // Gymnasium v5's DEFAULT_CAMERA_CONFIG.
  set_camera_config(MujocoCameraConfig{
      /*track_body=*/0, /*distance=*/4.1225, std::nullopt, std::nullopt,
      std::array<double, 3>{0.0, 0.0, 0.1225}});
}

void InvertedDoublePendulum::ResetState(std::mt19937_64& rng,
                                        Observation* observation) {
  ResetWithNoise(rng, options_.reset_noise_scale, VelocityNoise::kNormal);
  WriteObservation(observation);
}

void InvertedDoublePendulum::StepState(const Action& action,
                                       StepResult* result) {
  if (!DoSimulation(action.continuous)) return EndDivergedStep(result);
  WriteObservation(&result->observation);
  const double x = data()->site_xpos[0];
  const double y = data()->site_xpos[2];
  const bool terminated = y <= 1;
  const double v1 = data()->qvel[1], v2 = data()->qvel[2];
  const double dist_penalty = 0.01 * x * x + (y - 2) * (y - 2);
  const double vel_penalty = 1e-3 * v1 * v1 + 5e-3 * v2 * v2;
  const double alive_bonus = terminated ? 0.0 : options_.healthy_reward;
  result->terminated = terminated;
  result->reward = alive_bonus - dist_penalty - vel_penalty;
}

void InvertedDoublePendulum::WriteObservation(Observation* observation) const {
  const mjData* d = data();
  *observation = {static_cast<float>(d->qpos[0]),
                  static_cast<float>(std::sin(d->qpos[1])),
                  static_cast<float>(std::sin(d->qpos[2])),
                  static_cast<float>(std::cos(d->qpos[1])),
                  static_cast<float>(std::cos(d->qpos[2])),
                  static_cast<float>(Clip(d->qvel[0])),
                  static_cast<float>(Clip(d->qvel[1])),
                  static_cast<float>(Clip(d->qvel[2])),
                  static_cast<float>(Clip(d->qfrc_constraint[0]))};
}

}  // namespace rl
