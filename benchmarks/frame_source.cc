#include "benchmarks/frame_source.h"

#include <mujoco/mujoco.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "rl/agents/agent.h"
#include "rl/canvas/canvas.h"
#include "rl/core/mujoco_model.h"
#include "rl/core/status_macros.h"
#include "rl/envs/env.h"
#include "rl/envs/mujoco/mujoco_env.h"
#include "rl/render/mujoco/mujoco_renderer.h"
#include "rl/render/mujoco/mujoco_scene.h"
#include "rl/render/render_backend.h"
#include "rl/render/renderer.h"

namespace rl {
namespace {

// The env played by the random agent (seed 0): the same states every time.
class EnvPlayer {
 public:
  static absl::StatusOr<EnvPlayer> Create(const std::string& env_id) {
    EnvPlayer player;
    RL_ASSIGN_OR_RETURN(player.env_, Envs().Create(env_id));
    AgentContext context{player.env_->observation_space(),
                         player.env_->action_space(), 0};
    RL_ASSIGN_OR_RETURN(player.agent_, Agents().Create("random", context));
    player.observation_ = player.env_->Reset(0);
    return player;
  }

  // Steps once, resetting first after an episode; true if it reset.
  absl::StatusOr<bool> Step() {
    const bool reset = env_->episode_over();
    if (reset) observation_ = env_->Reset();
    RL_RETURN_IF_ERROR(env_->Step(agent_->Act(observation_), &result_));
    observation_ = result_.observation;
    return reset;
  }

  Env& env() { return *env_; }

 private:
  std::unique_ptr<Env> env_;
  std::unique_ptr<Agent> agent_;
  Observation observation_;
  StepResult result_;
};

absl::StatusOr<std::unique_ptr<RenderBackend>> MakeBackend(
    const std::string& name, GlProfile profile) {
  RenderBackendOptions options;
  options.gl_profile = profile;
  options.log = [](absl::string_view) {};
  return RenderBackends().Create(name, options);
}

// 2D: the env draws a canvas, the 2D renderer reads it back (both ways; the
// reference as RGB, the seed's method).
class CanvasSource : public FrameSource {
 public:
  CanvasSource(EnvPlayer player, std::unique_ptr<Renderer> renderer)
      : player_(std::move(player)), renderer_(std::move(renderer)) {}

  absl::Status Next(Frame* frame) override {
    RL_RETURN_IF_ERROR(player_.Step().status());
    player_.env().Draw(&canvas_);
    return renderer_->Render(canvas_, frame);
  }

 private:
  EnvPlayer player_;
  std::unique_ptr<Renderer> renderer_;
  Canvas canvas_{1, 1};
};

// A MuJoCo env, its scene (the env's default camera) and the player.
struct MujocoPlayer {
  static absl::StatusOr<MujocoPlayer> Create(EnvPlayer player) {
    auto* env = dynamic_cast<MujocoEnv*>(&player.env());
    if (env == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          player.env().id(), " has a 3D scene but is not a MuJoCo env"));
    }
    RL_ASSIGN_OR_RETURN(std::unique_ptr<MujocoScene> scene,
                        MujocoScene::Create(env->model()));
    *scene->camera() = env->DefaultCamera();
    scene->SnapCameraToTarget(env->data());
    return MujocoPlayer{std::move(player), env, std::move(scene)};
  }

  // Steps and fills the scene from the new state.
  absl::Status Step() {
    RL_ASSIGN_OR_RETURN(const bool reset, player.Step());
    if (reset) scene->SnapCameraToTarget(env->data());
    env->UpdateScene(scene->option(), scene->camera(), scene->scene());
    return absl::OkStatus();
  }

  EnvPlayer player;
  MujocoEnv* env;
  std::unique_ptr<MujocoScene> scene;
};

// Ours: MujocoRenderer, YUV 4:2:0 for the recorders.
class MujocoRendererSource : public FrameSource {
 public:
  MujocoRendererSource(MujocoPlayer player,
                       std::unique_ptr<MujocoRenderer> renderer)
      : player_(std::move(player)), renderer_(std::move(renderer)) {}

  absl::Status Next(Frame* frame) override {
    RL_RETURN_IF_ERROR(player_.Step());
    return renderer_->Render(player_.scene->scene(), frame);
  }

 private:
  MujocoPlayer player_;
  std::unique_ptr<MujocoRenderer> renderer_;
};

// MuJoCo's own way, as Gymnasium's MujocoRenderer and mujoco-record do it:
// the context stays current, offscreen buffer sized through the model,
// mjr_render, mjr_readPixels (RGB, bottom row first), rows flipped.
class ReadPixelsSource : public FrameSource {
 public:
  static absl::StatusOr<std::unique_ptr<FrameSource>> Create(
      MujocoPlayer player, std::unique_ptr<RenderBackend> backend,
      const Workload& workload) {
    std::unique_ptr<ReadPixelsSource> source(
        new ReadPixelsSource(std::move(player), std::move(backend), workload));
    RL_RETURN_IF_ERROR(source->backend_->MakeCurrent());
    const mjModel* model = source->player_.env->model();
    MjModelPtr copy(mj_copyModel(nullptr, model));
    if (copy == nullptr) return absl::ResourceExhaustedError("mj_copyModel");
    copy->vis.global.offwidth = workload.width;
    copy->vis.global.offheight = workload.height;
    if (workload.look == Workload::Look::kProject) {
      // The same settings as MujocoRendererOptions' defaults.
      const MujocoRendererOptions defaults;
      copy->vis.quality.offsamples = defaults.multisamples;
      copy->vis.quality.shadowsize = defaults.shadow_size;
    }
    mjr_defaultContext(&source->context_);
    mjr_makeContext(copy.get(), &source->context_, mjFONTSCALE_100);
    source->context_made_ = true;
    mjr_setBuffer(mjFB_OFFSCREEN, &source->context_);
    if (source->context_.currentBuffer != mjFB_OFFSCREEN ||
        source->context_.offWidth != workload.width ||
        source->context_.offHeight != workload.height) {
      return absl::FailedPreconditionError(
          "MuJoCo could not make its offscreen buffer at the frame's size");
    }
    return source;
  }

  ~ReadPixelsSource() override {
    if (context_made_) mjr_freeContext(&context_);
    backend_->ReleaseCurrent().IgnoreError();
  }

  absl::Status Next(Frame* frame) override {
    RL_RETURN_IF_ERROR(player_.Step());
    mjvScene* scene = player_.scene->scene();
    const bool mujoco_look = look_ == Workload::Look::kMujoco;
    const MujocoRendererOptions defaults;
    scene->flags[mjRND_SHADOW] = mujoco_look || defaults.shadows;
    scene->flags[mjRND_REFLECTION] = mujoco_look || defaults.reflections;
    scene->flags[mjRND_SKYBOX] = mujoco_look || defaults.skybox;
    const int width = context_.offWidth;
    const int height = context_.offHeight;
    const mjrRect viewport = {0, 0, width, height};
    mjr_setBuffer(mjFB_OFFSCREEN, &context_);
    mjr_render(viewport, scene, &context_);
    rgb_.resize(static_cast<size_t>(width) * height * 3);
    mjr_readPixels(rgb_.data(), nullptr, viewport, &context_);
    frame->Reset(width, height, PixelFormat::kRgb24);
    const size_t row = static_cast<size_t>(width) * 3;
    for (int y = 0; y < height; ++y) {
      std::memcpy(frame->data() + row * y, rgb_.data() + row * (height - 1 - y),
                  row);
    }
    return absl::OkStatus();
  }

 private:
  ReadPixelsSource(MujocoPlayer player, std::unique_ptr<RenderBackend> backend,
                   const Workload& workload)
      : player_(std::move(player)),
        backend_(std::move(backend)),
        look_(workload.look) {}

  MujocoPlayer player_;
  std::unique_ptr<RenderBackend> backend_;
  Workload::Look look_;
  mjrContext context_;
  bool context_made_ = false;
  std::vector<uint8_t> rgb_;
};

}  // namespace

std::string Workload::Describe() const {
  return absl::StrCat(env_id, " ", width, "x", height,
                      look == Look::kMujoco ? " mujoco_look" : "");
}

absl::StatusOr<std::unique_ptr<FrameSource>> FrameSource::Create(
    const Workload& workload, const std::string& backend, Way way) {
  RL_ASSIGN_OR_RETURN(EnvPlayer player, EnvPlayer::Create(workload.env_id));
  const PixelFormat format =
      way == Way::kPipeline ? PixelFormat::kYuv420p : PixelFormat::kRgb24;
  if (!player.env().spec().scene_3d) {
    RL_ASSIGN_OR_RETURN(std::unique_ptr<RenderBackend> gl,
                        MakeBackend(backend, GlProfile::kCore));
    RendererOptions options;
    options.width = workload.width;
    options.height = workload.height;
    options.format = format;
    RL_ASSIGN_OR_RETURN(std::unique_ptr<Renderer> renderer,
                        Renderer::Create(std::move(gl), options));
    return std::make_unique<CanvasSource>(std::move(player),
                                          std::move(renderer));
  }
  RL_ASSIGN_OR_RETURN(MujocoPlayer mujoco,
                      MujocoPlayer::Create(std::move(player)));
  RL_ASSIGN_OR_RETURN(std::unique_ptr<RenderBackend> gl,
                      MakeBackend(backend, GlProfile::kCompatibility));
  if (way == Way::kReference) {
    return ReadPixelsSource::Create(std::move(mujoco), std::move(gl), workload);
  }
  MujocoRendererOptions options;
  options.width = workload.width;
  options.height = workload.height;
  options.format = format;
  if (workload.look == Workload::Look::kMujoco) {
    const mjModel* model = mujoco.env->model();
    options.shadows = true;
    options.reflections = true;
    options.skybox = true;
    options.multisamples = model->vis.quality.offsamples;
    options.shadow_size = 0;  // The model's.
  }
  RL_ASSIGN_OR_RETURN(
      std::unique_ptr<MujocoRenderer> renderer,
      MujocoRenderer::Create(std::move(gl), mujoco.env->model(), options));
  return std::make_unique<MujocoRendererSource>(std::move(mujoco),
                                                std::move(renderer));
}

}  // namespace rl
