#include "rl/envs/mujoco/humanoid.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"

namespace rl {
namespace {

const bool kRegistered = Envs().Register(
    "HumanoidDMC-v0",
    "Gymnasium's Humanoid-v5 task on the DeepMind Control humanoid that "
    "Debian's libmujoco-samples ships",
    &CreateMujocoEnv<Humanoid>);

// gym.make("HumanoidDMC-v0", **kwargs) with Gymnasium's keyword names.
const bool kConfigurable = ConfigurableEnvs().Register(
    "HumanoidDMC-v0", Envs().Description("HumanoidDMC-v0"),
    [](const EnvKwargs& kwargs) -> absl::StatusOr<std::unique_ptr<Env>> {
      Humanoid::Options o;
      EnvKwargsReader r("HumanoidDMC-v0", kwargs);
      r.String("xml_file", &o.xml_file);
      r.Int("frame_skip", &o.frame_skip, 1);
      r.Double("forward_reward_weight", &o.forward_reward_weight);
      r.Double("ctrl_cost_weight", &o.ctrl_cost_weight);
      r.Double("contact_cost_weight", &o.contact_cost_weight);
      std::pair<double, double> contact_cost_range{
          -std::numeric_limits<double>::infinity(), o.contact_cost_max};
      r.Range("contact_cost_range", &contact_cost_range);
      o.contact_cost_max = contact_cost_range.second;
      r.Double("healthy_reward", &o.healthy_reward);
      r.Bool("terminate_when_unhealthy", &o.terminate_when_unhealthy);
      r.Range("healthy_z_range", &o.healthy_z_range);
      r.NonNegative("reset_noise_scale", &o.reset_noise_scale);
      const absl::Status status = r.Finish();
      if (!status.ok()) return status;
      return AsEnv(Humanoid::Create(o));
    });

int ObservationSize(const mjModel* m) {
  const int bodies = m->nbody - 1;
  return (m->nq - 2) + m->nv + 10 * bodies + 6 * bodies + (m->nv - 6) +
         6 * bodies;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Humanoid>> Humanoid::Create(
    const Options& options) {
  auto model = LoadMjcfFile(options.xml_file);
  if (!model.ok()) {
    if (options.xml_file == kDebianModel &&
        model.status().code() == absl::StatusCode::kNotFound) {
      return absl::NotFoundError(
          absl::StrCat(model.status().message(),
                       "; it comes with Debian's libmujoco-samples package "
                       "(tools/setup.sh installs it)"));
    }
    return model.status();
  }
  if ((*model)->njnt < 1 || (*model)->jnt_type[0] != mjJNT_FREE) {
    return absl::InvalidArgumentError(absl::StrCat(
        "HumanoidDMC-v0: model '", options.xml_file,
        "' must start with a free joint (the torso's), as a humanoid does"));
  }
  EnvSpec spec = MujocoSpec("HumanoidDMC-v0", model->get(), options.frame_skip,
                            ObservationSize(model->get()));
  return std::unique_ptr<Humanoid>(
      new Humanoid(std::move(spec), *std::move(model), options));
}

Humanoid::Humanoid(EnvSpec spec, MjModelPtr model, const Options& options)
    : MujocoEnv(std::move(spec), std::move(model), options.frame_skip,
                MujocoDrawView{/*right_axis=*/0, /*up_axis=*/2,
                               /*track_body=*/1, /*track_vertical=*/false,
                               /*metres_across=*/3.0, /*up_centre=*/1.0,
                               /*floor=*/true}),
      options_(options) {
  // Gymnasium v5's DEFAULT_CAMERA_CONFIG.
  set_camera_config(MujocoCameraConfig{/*track_body=*/1, /*distance=*/4.0,
                                       /*elevation=*/-20.0, std::nullopt,
                                       std::array<double, 3>{0.0, 0.0, 2.0}});
}

bool Humanoid::IsHealthy() const {
  const double z = data()->qpos[2];
  return options_.healthy_z_range.first < z &&
         z < options_.healthy_z_range.second;
}

double Humanoid::MassCentreX() const {
  double mass = 0, moment = 0;
  for (int b = 0; b < model()->nbody; ++b) {
    mass += model()->body_mass[b];
    moment += model()->body_mass[b] * data()->xipos[3 * b];
  }
  return mass > 0 ? moment / mass : 0.0;
}

void Humanoid::ResetState(std::mt19937_64& rng, Observation* observation) {
  // As Gymnasium: mj_resetData and mj_forward only, so the first
  // observation's cfrc_ext is zero (mj_rnePostConstraint runs after steps).
  ResetWithNoise(rng, options_.reset_noise_scale, VelocityNoise::kUniform);
  x_velocity_ = 0;
  WriteObservation(observation);
}

void Humanoid::StepState(const Action& action, StepResult* result) {
  const double x_before = MassCentreX();
  if (!DoSimulation(action.continuous, /*post_constraint=*/true)) {
    return EndDivergedStep(result);
  }
  // xipos is from the last mj_step's mj_forward, as Gymnasium's.
  x_velocity_ = (MassCentreX() - x_before) / dt();
  const mjData* d = data();
  double control = 0;
  for (int i = 0; i < model()->nu; ++i) control += d->ctrl[i] * d->ctrl[i];
  double contact = 0;
  for (int i = 6; i < 6 * model()->nbody; ++i) {
    contact += d->cfrc_ext[i] * d->cfrc_ext[i];
  }
  const double contact_cost = std::min(options_.contact_cost_weight * contact,
                                       options_.contact_cost_max);
  const bool healthy = IsHealthy();
  result->reward = options_.forward_reward_weight * x_velocity_ +
                   (healthy ? options_.healthy_reward : 0.0) -
                   options_.ctrl_cost_weight * control - contact_cost;
  result->terminated = !healthy && options_.terminate_when_unhealthy;
  WriteObservation(&result->observation);
}

void Humanoid::WriteObservation(Observation* observation) const {
  const mjModel* m = model();
  const mjData* d = data();
  observation->resize(ObservationSize(m));
  float* out = observation->data();
  auto put = [&out](const mjtNum* from, int n) {
    for (int i = 0; i < n; ++i) *out++ = static_cast<float>(from[i]);
  };
  put(d->qpos + 2, m->nq - 2);
  put(d->qvel, m->nv);
  put(d->cinert + 10, 10 * (m->nbody - 1));
  put(d->cvel + 6, 6 * (m->nbody - 1));
  put(d->qfrc_actuator + 6, m->nv - 6);
  put(d->cfrc_ext + 6, 6 * (m->nbody - 1));
}

}  // namespace rl
