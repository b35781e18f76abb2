#include "rl/envs/mujoco/mujoco_env.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace rl {
namespace {

constexpr Color kBackground{24, 28, 36, 255};
constexpr Color kFloor{120, 140, 120, 255};
constexpr Color kFloorTick{70, 90, 70, 255};
constexpr Color kCaption{200, 200, 200, 255};

bool AllFinite(const mjtNum* values, int n) {
  for (int i = 0; i < n; ++i) {
    if (!std::isfinite(values[i])) return false;
  }
  return true;
}

int BadStateWarnings(const mjData* data) {
  return data->warning[mjWARN_BADQPOS].number +
         data->warning[mjWARN_BADQVEL].number +
         data->warning[mjWARN_BADQACC].number;
}

Color GeomColor(const mjModel* model, int geom) {
  const float* rgba = model->geom_rgba + 4 * geom;
  auto channel = [](float v) {
    return static_cast<uint8_t>(std::clamp(v, 0.0f, 1.0f) * 255.0f + 0.5f);
  };
  return Color{channel(rgba[0]), channel(rgba[1]), channel(rgba[2]), 255};
}

EnvSpec WithScene(EnvSpec spec) {
  spec.scene_3d = true;
  return spec;
}

}  // namespace

absl::StatusOr<MjModelPtr> LoadMjcf(const std::string& xml_file,
                                    absl::string_view xml,
                                    absl::string_view name) {
  if (!xml_file.empty()) return LoadMjcfFile(xml_file);
  return LoadMjcfString(xml, name);
}

Space MujocoActionSpace(const mjModel* model) {
  std::vector<float> low(model->nu, -std::numeric_limits<float>::infinity());
  std::vector<float> high(model->nu, std::numeric_limits<float>::infinity());
  for (int i = 0; i < model->nu; ++i) {
    if (model->actuator_ctrllimited[i]) {
      low[i] = static_cast<float>(model->actuator_ctrlrange[2 * i]);
      high[i] = static_cast<float>(model->actuator_ctrlrange[2 * i + 1]);
    }
  }
  return Space::Box(std::move(low), std::move(high));
}

Space UnboundedBox(int n) {
  return Space::Box(-std::numeric_limits<float>::infinity(),
                    std::numeric_limits<float>::infinity(), {n});
}

EnvSpec MujocoSpec(std::string id, const mjModel* model, int frame_skip,
                   int observation_size) {
  EnvSpec spec;
  spec.id = std::move(id);
  spec.max_episode_steps = 1000;
  spec.observation_space = UnboundedBox(observation_size);
  spec.action_space = MujocoActionSpace(model);
  spec.render_width = 480;
  spec.render_height = 480;
  spec.render_fps =
      std::max(1, static_cast<int>(std::lround(
                      1.0 / (model->opt.timestep * std::max(frame_skip, 1)))));
  return spec;
}

absl::StatusOr<int> FindBody(const mjModel* model, const char* name) {
  const int id = mj_name2id(model, mjOBJ_BODY, name);
  if (id < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("MuJoCo model has no body named '", name,
                     "', which this env needs; use a model that has one"));
  }
  return id;
}

MujocoEnv::MujocoEnv(EnvSpec spec, MjModelPtr model, int frame_skip,
                     MujocoDrawView view)
    : Env(WithScene(std::move(spec))),
      model_(std::move(model)),
      data_(mj_makeData(model_.get())),
      frame_skip_(std::max(frame_skip, 1)),
      view_(view),
      saved_qpos_(model_->nq),
      saved_qvel_(model_->nv),
      saved_act_(model_->na) {
  mj_forward(model_.get(), data_.get());
}

absl::Status MujocoEnv::SetState(absl::Span<const double> qpos,
                                 absl::Span<const double> qvel) {
  if (static_cast<int>(qpos.size()) != model_->nq ||
      static_cast<int>(qvel.size()) != model_->nv) {
    return absl::InvalidArgumentError(absl::StrCat(
        id(), ": SetState got ", qpos.size(), " qpos and ", qvel.size(),
        " qvel values; the model has nq = ", model_->nq,
        " and nv = ", model_->nv));
  }
  SetSimState(qpos.data(), qvel.data());
  diverged_ = false;
  return absl::OkStatus();
}

absl::Status MujocoEnv::CheckBoxAction(const Action& action) const {
  const Space& space = action_space();
  for (size_t i = 0; i < action.continuous.size(); ++i) {
    const float value = action.continuous[i];
    if (value >= space.low[i] && value <= space.high[i]) continue;
    return absl::InvalidArgumentError(absl::StrCat(
        id(), ": action value ", i, " is ", value,
        ", outside the action space's bounds [", space.low[i], ", ",
        space.high[i],
        "] (the actuator's ctrlrange); MuJoCo envs refuse it "
        "rather than clamp it silently: clip actions to the bounds in the "
        "agent (PPO does)"));
  }
  return absl::OkStatus();
}

void MujocoEnv::ResetSimulation() { mj_resetData(model_.get(), data_.get()); }

void MujocoEnv::BeginReset() {
  ResetSimulation();
  diverged_ = false;
}

void MujocoEnv::ResetWithNoise(std::mt19937_64& rng, double scale,
                               VelocityNoise velocity_noise) {
  BeginReset();
  mjData* d = data_.get();
  for (int i = 0; i < model_->nq; ++i) {
    d->qpos[i] = model_->qpos0[i] + UniformReal(rng, -scale, scale);
  }
  for (int i = 0; i < model_->nv; ++i) {
    d->qvel[i] = velocity_noise == VelocityNoise::kUniform
                     ? UniformReal(rng, -scale, scale)
                     : scale * Normal(rng, 0.0, 1.0);
  }
  SetSimState(d->qpos, d->qvel);
}

void MujocoEnv::SetSimState(const double* qpos, const double* qvel) {
  if (qpos != data_->qpos) mju_copy(data_->qpos, qpos, model_->nq);
  if (qvel != data_->qvel) mju_copy(data_->qvel, qvel, model_->nv);
  if (model_->na > 0) mju_zero(data_->act, model_->na);
  mj_forward(model_.get(), data_.get());
}

bool MujocoEnv::DoSimulation(const std::vector<float>& action,
                             bool post_constraint) {
  const mjModel* m = model_.get();
  mjData* d = data_.get();
  std::copy(d->qpos, d->qpos + m->nq, saved_qpos_.begin());
  std::copy(d->qvel, d->qvel + m->nv, saved_qvel_.begin());
  std::copy(d->act, d->act + m->na, saved_act_.begin());
  const int n = std::min(static_cast<int>(action.size()), m->nu);
  for (int i = 0; i < n; ++i) d->ctrl[i] = action[i];
  const int warnings_before = BadStateWarnings(d);
  for (int i = 0; i < frame_skip_; ++i) mj_step(m, d);
  if (post_constraint) mj_rnePostConstraint(m, d);
  const bool ok = BadStateWarnings(d) == warnings_before &&
                  AllFinite(d->qpos, m->nq) && AllFinite(d->qvel, m->nv) &&
                  AllFinite(d->qacc, m->nv);
  if (ok) return true;
  // Back to the last finite state; MuJoCo may have reset mjData already.
  mju_copy(d->qpos, saved_qpos_.data(), m->nq);
  mju_copy(d->qvel, saved_qvel_.data(), m->nv);
  if (m->na > 0) mju_copy(d->act, saved_act_.data(), m->na);
  mju_zero(d->ctrl, m->nu);
  mj_forward(m, d);
  if (post_constraint) mj_rnePostConstraint(m, d);
  diverged_ = true;
  return false;
}

void MujocoEnv::EndDivergedStep(StepResult* result) {
  result->reward = 0;
  result->terminated = true;
  WriteObservation(&result->observation);
}

mjvCamera MujocoEnv::DefaultCamera() const {
  mjvCamera camera;
  mjv_defaultFreeCamera(model_.get(), &camera);
  const MujocoCameraConfig& config = camera_config_;
  if (config.track_body > 0 && config.track_body < model_->nbody) {
    camera.type = mjCAMERA_TRACKING;
    camera.trackbodyid = config.track_body;
  }
  if (config.distance.has_value()) camera.distance = *config.distance;
  if (config.elevation.has_value()) camera.elevation = *config.elevation;
  if (config.azimuth.has_value()) camera.azimuth = *config.azimuth;
  if (config.lookat.has_value()) {
    for (int i = 0; i < 3; ++i) camera.lookat[i] = (*config.lookat)[i];
  }
  return camera;
}

void MujocoEnv::UpdateScene(const mjvOption* option, mjvCamera* camera,
                            mjvScene* scene) const {
  mjv_updateScene(model_.get(), data_.get(), option, /*pert=*/nullptr, camera,
                  mjCAT_ALL, scene);
}

void MujocoEnv::Draw(Canvas* canvas) const {
  const int width = spec().render_width;
  const int height = spec().render_height;
  canvas->Reset(width, height, kBackground);
  const mjModel* m = model_.get();
  const mjData* d = data_.get();
  const double scale = width / view_.metres_across;  // Pixels per metre.
  const int right = view_.right_axis, up = view_.up_axis;
  const double* tracked = d->xpos + 3 * view_.track_body;
  const double centre_right = view_.track_body > 0 ? tracked[right] : 0.0;
  const double centre_up = view_.track_vertical ? tracked[up] : view_.up_centre;
  auto project = [&](const double* p) {
    return Point{
        static_cast<float>(width / 2.0 + (p[right] - centre_right) * scale),
        static_cast<float>(height / 2.0 - (p[up] - centre_up) * scale)};
  };
  auto on_canvas = [&](Point p, float r) {
    return std::isfinite(p.x) && std::isfinite(p.y) && p.x - r >= 0 &&
           p.y - r >= 0 && p.x + r <= width && p.y + r <= height;
  };
  if (view_.floor && up == 2) {
    const double floor_y = height / 2.0 + centre_up * scale;
    if (floor_y > 0 && floor_y < height) {
      canvas->FillRect(0, static_cast<float>(floor_y), width,
                       static_cast<float>(height - floor_y), kFloor);
      // Ticks every half metre, so motion along the floor shows while the
      // view tracks the body.
      const double left = centre_right - width / 2.0 / scale;
      for (double x = std::ceil(left / 0.5) * 0.5;
           x <= centre_right + width / 2.0 / scale; x += 0.5) {
        const float px =
            static_cast<float>(width / 2.0 + (x - centre_right) * scale);
        if (px < 1 || px > width - 1) continue;
        canvas->DrawLine(
            {px, static_cast<float>(floor_y)},
            {px, static_cast<float>(std::min<double>(floor_y + 10, height))}, 2,
            kFloorTick);
      }
    }
  }
  for (int g = 0; g < m->ngeom; ++g) {
    if (m->geom_type[g] == mjGEOM_PLANE || m->geom_rgba[4 * g + 3] == 0) {
      continue;
    }
    const double* pos = d->geom_xpos + 3 * g;
    const Color color = GeomColor(m, g);
    if (m->geom_type[g] == mjGEOM_CAPSULE ||
        m->geom_type[g] == mjGEOM_CYLINDER) {
      // The geom's local z axis is its length; size[1] its half-length.
      const double* mat = d->geom_xmat + 9 * g;
      const double half = m->geom_size[3 * g + 1];
      double a[3], b[3];
      for (int k = 0; k < 3; ++k) {
        a[k] = pos[k] + mat[3 * k + 2] * half;
        b[k] = pos[k] - mat[3 * k + 2] * half;
      }
      const float radius = static_cast<float>(m->geom_size[3 * g] * scale);
      const Point pa = project(a), pb = project(b);
      if (radius <= 0 || !on_canvas(pa, radius) || !on_canvas(pb, radius)) {
        continue;
      }
      canvas->DrawLine(pa, pb, std::max(2 * radius, 1.0f), color);
      canvas->FillCircle(pa, std::max(radius, 0.5f), color);
      canvas->FillCircle(pb, std::max(radius, 0.5f), color);
    } else {
      const float radius = static_cast<float>(
          std::min(m->geom_rbound[g], 0.5 * view_.metres_across) * scale);
      const Point p = project(pos);
      if (radius <= 0 || !on_canvas(p, radius)) continue;
      canvas->FillCircle(p, radius, color);
    }
  }
  canvas->DrawText({8, 8}, 14, kCaption,
                   absl::StrCat(id(), "  step ", elapsed_steps()));
  canvas->DrawText({8, 26}, 12, kCaption,
                   "2D schematic; videos and the live view show the 3D scene");
}

}  // namespace rl
