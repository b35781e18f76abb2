// EnvPicture: what one or more envs look like at one moment, taken on the
// thread that steps them and turned into a Frame by a PictureRenderer there
// (the video session) or later on another thread (the live feed's). The one
// place where 2D and 3D envs part ways on their way to a frame:
//
//   2D envs     Env::Draw paints a Canvas (shapes, no GL); the picture is
//               that canvas, with the overlays drawn in and N envs tiled
//               into one grid (rl/envs/vector/tiling.h).
//   3D envs     MuJoCo envs (EnvSpec::scene_3d, rl/envs/mujoco) describe
//   (MuJoCo)    their scene as data: the picture holds one mjvScene per env
//               (MujocoEnv::UpdateScene, mjv_updateScene: no GL), each with
//               its cell of the grid, and a canvas of what goes over them
//               (overlays, tile labels; its background is not drawn).
//
// A PictureRenderer owns one render backend (by registry name) with the GL
// profile the env kind needs (core for 2D, compatibility for MuJoCo's
// legacy-GL mjr_render) and renders pictures to frames of one size and
// format: the 2D Renderer or the MujocoRenderer, then the same readback
// (RGB or YUV 4:2:0) and everything downstream.
//
// Cameras: each env's default camera (Gymnasium v5's); a tracking camera
// (the walkers') is put on its body for every picture. MuJoCo's own
// tracking moves only part of the way per update, which leaves a trained
// HalfCheetah (10 m/s) at the edge of the frame, as in Gymnasium's videos;
// ours keeps it where the camera config puts it. A picture keeps its scenes
// between Take() calls (no allocation per frame).
//
// Example (a video of one env):
//   EnvPicture picture;
//   RL_ASSIGN_OR_RETURN(auto renderer, PictureRenderer::Create(
//       options, /*scene_3d=*/env.spec().scene_3d));
//   RL_RETURN_IF_ERROR(picture.Take({&env}, {overlay}, PictureOptions()));
//   RL_RETURN_IF_ERROR(renderer->Render(picture, &frame));
#ifndef RL_PIPELINE_ENV_PICTURE_H_
#define RL_PIPELINE_ENV_PICTURE_H_

#include <mujoco/mujoco.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "rl/canvas/canvas.h"
#include "rl/core/frame.h"
#include "rl/envs/env.h"
#include "rl/envs/vector/tiling.h"
#include "rl/render/mujoco/mujoco_renderer.h"
#include "rl/render/mujoco/mujoco_scene.h"
#include "rl/render/overlay.h"
#include "rl/render/renderer.h"

namespace rl {

// How a picture lays out its envs.
struct PictureOptions {
  OverlayOptions overlay;  // For each env's OverlayInfo.
  TileOptions tiles;       // With more than one env.
};

class EnvPicture {
 public:
  EnvPicture() = default;
  // A 2D picture of a canvas drawn elsewhere.
  explicit EnvPicture(Canvas canvas) : canvas_(std::move(canvas)) {}
  EnvPicture(EnvPicture&&) = default;
  EnvPicture& operator=(EnvPicture&&) = default;

  // Takes the picture of `envs` (one, or several of the same id in a grid)
  // as they are now, each with its overlay (`overlays` is empty, or has one
  // per env). InvalidArgument for no envs, mixed ids, or overlays of
  // another count; Internal for a 3D env that is not a MuJoCo env.
  absl::Status Take(absl::Span<const Env* const> envs,
                    absl::Span<const OverlayInfo> overlays,
                    const PictureOptions& options);

  // Logical size (the env's render size, or the grid's): frames of any
  // size show the whole picture, scaled.
  int width() const { return canvas_.width(); }
  int height() const { return canvas_.height(); }
  bool has_scenes() const { return !scenes_.empty(); }
  const std::string& env_id() const { return env_id_; }
  // 2D: the whole picture. 3D: what goes over the scenes.
  const Canvas& canvas() const { return canvas_; }

 private:
  friend class PictureRenderer;
  struct Scene {
    // Keeps the model alive for as long as its scene (the live feed renders
    // after the envs may be gone).
    std::shared_ptr<const mjModel> model;
    std::unique_ptr<MujocoScene> scene;
    TileCell cell;  // In logical pixels.
  };
  absl::Status TakeScenes(absl::Span<const Env* const> envs,
                          const TileOptions& tiles);

  Canvas canvas_{1, 1};
  std::vector<Scene> scenes_;
  Color background_{0, 0, 0, 255};  // 3D: around and between the scenes.
  std::string env_id_;
};

struct PictureRendererOptions {
  std::string render_backend = "llvmpipe";  // A RenderBackends() name.
  int egl_device = -1;
  int width = 600;  // Frame size and format.
  int height = 400;
  PixelFormat format = PixelFormat::kYuv420p;
  // 2D pictures of another aspect ratio than the frame's (renderer.h); 3D
  // scenes render any aspect ratio undistorted.
  Fit fit = Fit::kLetterbox;
  // 3D look: shadows, reflections, skybox, multisampling (width, height
  // and format above win over the ones in here).
  MujocoRendererOptions scene;
};

class PictureRenderer {
 public:
  // Creates the backend now, with the profile the env kind needs, so one
  // that cannot start here fails at once (with the backend's own message).
  // 3D: MuJoCo's context is made on the first Render (it needs the model).
  static absl::StatusOr<std::unique_ptr<PictureRenderer>> Create(
      const PictureRendererOptions& options, bool scene_3d);
  ~PictureRenderer();

  // Renders `picture` into `frame` (resized to the options' size and
  // format). FailedPrecondition for a picture of the other kind (2D vs 3D)
  // than the renderer was made for.
  absl::Status Render(const EnvPicture& picture, Frame* frame);

  // The backend's registry name (what "auto" chose) and GL_RENDERER.
  const std::string& backend_name() const { return backend_name_; }
  const std::string& gl_renderer() const { return gl_renderer_; }

 private:
  PictureRenderer(const PictureRendererOptions& options, bool scene_3d)
      : options_(options), scene_3d_(scene_3d) {}
  absl::Status RenderScenes(const EnvPicture& picture, Frame* frame);

  const PictureRendererOptions options_;
  const bool scene_3d_;
  std::string backend_name_;
  std::string gl_renderer_;
  // 2D: the renderer. 3D: the backend until the first picture, then the
  // MuJoCo renderer that owns it, for pictures of env_id_.
  std::unique_ptr<Renderer> renderer_;
  std::unique_ptr<RenderBackend> backend_;
  std::unique_ptr<MujocoRenderer> scene_renderer_;
  std::string env_id_;
  std::vector<MujocoTile> tiles_;  // Reused.
};

}  // namespace rl

#endif  // RL_PIPELINE_ENV_PICTURE_H_
