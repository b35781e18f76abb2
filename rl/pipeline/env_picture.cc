#include "rl/pipeline/env_picture.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <variant>

#include "absl/strings/str_cat.h"
#include "rl/core/status_macros.h"
#include "rl/envs/mujoco/mujoco_env.h"
#include "rl/render/render_backend.h"

namespace rl {
namespace {

// Transparent: the layer over 3D scenes must not hide them.
constexpr Color kClear{0, 0, 0, 0};

// Room for the model's own geoms and MuJoCo's decorations (lights, frames,
// contact points when shown), far less than mjv_makeScene's usual 2000 and
// so cheap to make for every live picture.
int SceneGeoms(const mjModel* model) { return 2 * model->ngeom + 100; }

}  // namespace

absl::Status EnvPicture::Take(absl::Span<const Env* const> envs,
                              absl::Span<const OverlayInfo> overlays,
                              const PictureOptions& options) {
  const int n = static_cast<int>(envs.size());
  if (n == 0) return absl::InvalidArgumentError("a picture needs an env");
  if (!overlays.empty() && static_cast<int>(overlays.size()) != n) {
    return absl::InvalidArgumentError(absl::StrCat(
        "a picture of ", n, " envs got ", overlays.size(), " overlays"));
  }
  const EnvSpec& spec = envs[0]->spec();
  for (const Env* env : envs) {
    if (env->id() != spec.id) {
      return absl::InvalidArgumentError(absl::StrCat(
          "a picture shows envs of one id, got ", spec.id, " and ", env->id()));
    }
  }
  env_id_ = spec.id;
  const bool scene_3d = spec.scene_3d;
  // Overlays stay off the env's own HUD.
  OverlayOptions overlay = options.overlay;
  if (!spec.hud.empty()) overlay.keep_clear = spec.hud;
  // Each env's tile: its drawing (2D) or its overlay alone (3D).
  auto draw_tile = [&](int i, Canvas* tile) {
    if (scene_3d) {
      tile->Reset(spec.render_width, spec.render_height, kClear);
    } else {
      envs[i]->Draw(tile);
    }
    if (!overlays.empty()) DrawOverlay(overlays[i], overlay, tile);
  };
  if (n == 1) {
    draw_tile(0, &canvas_);
  } else {
    std::vector<Canvas> tiles(n, Canvas(1, 1));
    for (int i = 0; i < n; ++i) draw_tile(i, &tiles[i]);
    TileCanvases(tiles, options.tiles, &canvas_);
  }
  if (!scene_3d) {
    scenes_.clear();
    return absl::OkStatus();
  }
  background_ = options.tiles.gap_color;
  return TakeScenes(envs, options.tiles);
}

absl::Status EnvPicture::TakeScenes(absl::Span<const Env* const> envs,
                                    const TileOptions& tiles) {
  const int n = static_cast<int>(envs.size());
  scenes_.resize(n);
  for (int i = 0; i < n; ++i) {
    const auto* env = dynamic_cast<const MujocoEnv*>(envs[i]);
    if (env == nullptr) {
      return absl::InternalError(absl::StrCat(
          envs[i]->id(),
          " says it has a 3D scene but is not a MuJoCo env (rl/envs/mujoco)"));
    }
    Scene& scene = scenes_[i];
    if (scene.scene == nullptr || scene.model.get() != env->model()) {
      scene.model = env->shared_model();
      MujocoSceneOptions scene_options;
      scene_options.max_geoms = SceneGeoms(env->model());
      RL_ASSIGN_OR_RETURN(scene.scene,
                          MujocoScene::Create(env->model(), scene_options));
      *scene.scene->camera() = env->DefaultCamera();
    }
    // On the body, not MuJoCo's part of the way (see the header).
    scene.scene->SnapCameraToTarget(env->data());
    env->UpdateScene(scene.scene->option(), scene.scene->camera(),
                     scene.scene->scene());
    const EnvSpec& spec = env->spec();
    scene.cell =
        n == 1 ? TileCell{0, 0, static_cast<float>(spec.render_width),
                          static_cast<float>(spec.render_height)}
               : GridCell(i, n, spec.render_width, spec.render_height, tiles);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<PictureRenderer>> PictureRenderer::Create(
    const PictureRendererOptions& options, bool scene_3d) {
  std::unique_ptr<PictureRenderer> renderer(
      new PictureRenderer(options, scene_3d));
  RenderBackendOptions backend_options;
  backend_options.egl_device = options.egl_device;
  backend_options.gl_profile =
      scene_3d ? GlProfile::kCompatibility : GlProfile::kCore;
  RL_ASSIGN_OR_RETURN(
      std::unique_ptr<RenderBackend> backend,
      RenderBackends().Create(options.render_backend, backend_options));
  renderer->backend_name_ = backend->name();
  renderer->gl_renderer_ = backend->gl_renderer();
  if (scene_3d) {
    renderer->backend_ = std::move(backend);
    return renderer;
  }
  RendererOptions renderer_options;
  renderer_options.width = options.width;
  renderer_options.height = options.height;
  renderer_options.format = options.format;
  renderer_options.fit = options.fit;
  RL_ASSIGN_OR_RETURN(renderer->renderer_,
                      Renderer::Create(std::move(backend), renderer_options));
  return renderer;
}

PictureRenderer::~PictureRenderer() = default;

absl::Status PictureRenderer::Render(const EnvPicture& picture, Frame* frame) {
  if (picture.has_scenes() != scene_3d_) {
    return absl::FailedPreconditionError(
        absl::StrCat("a renderer made for ", scene_3d_ ? "3D" : "2D",
                     " envs got a picture of ", picture.env_id(), ", which is ",
                     picture.has_scenes() ? "3D" : "2D"));
  }
  if (!scene_3d_) return renderer_->Render(picture.canvas(), frame);
  return RenderScenes(picture, frame);
}

absl::Status PictureRenderer::RenderScenes(const EnvPicture& picture,
                                           Frame* frame) {
  if (scene_renderer_ == nullptr || picture.env_id() != env_id_) {
    // MuJoCo's context holds one model's meshes and textures: pictures of
    // another env need a context of their own (a fresh backend of the
    // same kind, as "auto" chose it).
    if (backend_ == nullptr) {
      scene_renderer_.reset();
      RenderBackendOptions backend_options;
      backend_options.egl_device = options_.egl_device;
      backend_options.gl_profile = GlProfile::kCompatibility;
      RL_ASSIGN_OR_RETURN(
          backend_, RenderBackends().Create(backend_name_, backend_options));
    }
    MujocoRendererOptions scene_options = options_.scene;
    scene_options.width = options_.width;
    scene_options.height = options_.height;
    scene_options.format = options_.format;
    RL_ASSIGN_OR_RETURN(
        scene_renderer_,
        MujocoRenderer::Create(std::move(backend_),
                               picture.scenes_[0].model.get(), scene_options));
    env_id_ = picture.env_id();
  }
  // Logical pixels to frame pixels, each edge rounded, so neighbouring
  // cells neither overlap nor leave a seam.
  const double sx = static_cast<double>(options_.width) / picture.width();
  const double sy = static_cast<double>(options_.height) / picture.height();
  tiles_.clear();
  for (const EnvPicture::Scene& scene : picture.scenes_) {
    const TileCell& c = scene.cell;
    const int x0 = std::clamp(static_cast<int>(std::lround(c.x * sx)), 0,
                              options_.width - 1);
    const int y0 = std::clamp(static_cast<int>(std::lround(c.y * sy)), 0,
                              options_.height - 1);
    const int x1 =
        std::clamp(static_cast<int>(std::lround((c.x + c.width) * sx)), x0 + 1,
                   options_.width);
    const int y1 =
        std::clamp(static_cast<int>(std::lround((c.y + c.height) * sy)), y0 + 1,
                   options_.height);
    tiles_.push_back({scene.scene->scene(), x0, y0, x1 - x0, y1 - y0});
  }
  const Canvas& layer = picture.canvas();
  const bool has_layer = std::any_of(
      layer.shapes().begin(), layer.shapes().end(), [](const Shape& shape) {
        return std::visit([](const auto& s) { return s.color.a != 0; }, shape);
      });
  return scene_renderer_->RenderTiles(tiles_, picture.background_,
                                      has_layer ? &layer : nullptr, frame);
}

}  // namespace rl
