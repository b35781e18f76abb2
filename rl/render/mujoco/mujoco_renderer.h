// MujocoRenderer: a MuJoCo scene (mjvScene) to a Frame, offscreen, through
// MuJoCo's own OpenGL renderer (mjr_render) on a context from any render
// backend.
//
// MuJoCo's renderer uses legacy OpenGL, so the backend must be created with
// RenderBackendOptions::gl_profile = GlProfile::kCompatibility (Create
// refuses a core-profile one, saying so). The renderer draws into MuJoCo's
// offscreen framebuffer (mjr_setBuffer(mjFB_OFFSCREEN)) of exactly the
// frame's size, resolves multisampling, reads RGBA back and converts it with
// the project's one conversion (yuv.h) to packed RGB or YUV 4:2:0 (BT.709,
// limited range), top row first (GL's rows come bottom first; the
// conversion walks them backwards, no extra copy).
//
// The scene is the env's (mujoco_scene.h): the renderer only reads it,
// except for the rendering flags it owns (shadows, reflections, skybox),
// which it sets on the scene before each render. The renderer holds an
// mjrContext made for one model (its textures, meshes, skins); render scenes
// of that model only.
//
// A 2D layer may go over the scene: Render(scene, overlay, &frame) draws a
// Canvas's shapes (not its background) over the picture, scaled to the
// frame, with the 2D Renderer's shaders and tessellator (canvas_gl.h): the
// project's overlays (overlay.h: env id, episode, step, return) and tile
// labels look the same on 3D frames as on 2D ones.
//
// Several scenes may share one frame (N envs in one video):
// RenderTiles() draws each scene into its own rectangle of the frame, over
// a background colour (the gaps), then the optional overlay (tile labels)
// over all; one readback for the lot.
//
// A MujocoRenderer owns its backend; it is used from one thread at a time,
// makes its context current for each call and releases it before
// returning, so it may be created, used and destroyed on different threads.
//
// MuJoCo ends the process (mju_error) when mjr_makeContext fails; Create
// checks what it can first (the context's profile, which also guarantees
// OpenGL 3.3, the frame size against GL_MAX_RENDERBUFFER_SIZE, the samples
// against GL_MAX_SAMPLES) so that the failures it knows of come back as
// errors.
//
// Example:
//   RenderBackendOptions backend_options;
//   backend_options.gl_profile = GlProfile::kCompatibility;
//   RL_ASSIGN_OR_RETURN(auto backend,
//                       RenderBackends().Create("auto", backend_options));
//   MujocoRendererOptions options;
//   options.width = 480;
//   options.height = 480;
//   options.format = PixelFormat::kYuv420p;
//   RL_ASSIGN_OR_RETURN(auto renderer, MujocoRenderer::Create(
//                                          std::move(backend), model,
//                                          options));
//   scene->Update(data);
//   RL_RETURN_IF_ERROR(renderer->Render(scene->scene(), &frame));
#ifndef RL_RENDER_MUJOCO_MUJOCO_RENDERER_H_
#define RL_RENDER_MUJOCO_MUJOCO_RENDERER_H_

#include <mujoco/mujoco.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "rl/canvas/canvas.h"
#include "rl/core/frame.h"
#include "rl/render/render_backend.h"
#include "rl/render/tessellator.h"

namespace rl {

// Visual defaults are chosen for speed on llvmpipe (the CPU); costs measured
// by mujoco_renderer_benchmark are in rl/render/mujoco/README.md.
struct MujocoRendererOptions {
  int width = 480;  // Frame size in pixels, 1..8192 each.
  int height = 480;
  PixelFormat format = PixelFormat::kRgb24;
  // Shadows (a shadow-map pass per light that casts them).
  bool shadows = false;
  // Reflections in reflective planes (the scene drawn once more, mirrored).
  bool reflections = false;
  // The model's skybox texture as background; off: a black background.
  bool skybox = true;
  // Multisample antialiasing samples (MuJoCo's offsamples); 0 for none.
  int multisamples = 0;
  // Side of the shadow map in pixels; 0 keeps the model's
  // (visual/quality/shadowsize, 4096 for the humanoid).
  int shadow_size = 1024;
};

// Sets the look options (shadows, reflections, skybox, multisamples,
// shadow_size) of `options` from "key=value,..." text, e.g.
// "shadows=true,multisamples=4"; booleans as true/false/1/0; "" changes
// nothing. InvalidArgument naming the key and listing the valid ones.
absl::Status ParseSceneOptions(absl::string_view text,
                               MujocoRendererOptions* options);
// The look part of `options` in the same form, every key, for logs.
std::string FormatSceneOptions(const MujocoRendererOptions& options);

// One scene's place in a tiled frame: a rectangle in frame pixels, (0, 0)
// the top left corner, inside the frame.
struct MujocoTile {
  mjvScene* scene = nullptr;
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
};

class MujocoRenderer {
 public:
  // Makes MuJoCo's rendering context for `model` (which must outlive the
  // renderer) on `backend`'s context. InvalidArgument for a bad size or
  // option, or a backend whose context is not a compatibility profile one;
  // FailedPrecondition when the context lacks what MuJoCo needs.
  static absl::StatusOr<std::unique_ptr<MujocoRenderer>> Create(
      std::unique_ptr<RenderBackend> backend, const mjModel* model,
      const MujocoRendererOptions& options);

  ~MujocoRenderer();
  MujocoRenderer(const MujocoRenderer&) = delete;
  MujocoRenderer& operator=(const MujocoRenderer&) = delete;

  // Draws `scene` (from mjv_updateScene on this renderer's model; its
  // shadow, reflection and skybox flags are set from the options) and reads
  // it back into `frame`, which is reset to the size and format (reuse one
  // Frame to avoid allocation).
  absl::Status Render(mjvScene* scene, Frame* frame);

  // The same, with `overlay`'s shapes drawn over the scene (its background
  // is not drawn), the canvas scaled to the frame size. The GL objects for
  // it are made on first use; renders without an overlay pay nothing.
  absl::Status Render(mjvScene* scene, const Canvas& overlay, Frame* frame);

  // Clears the frame to `background`, draws each tile's scene into its
  // rectangle (each with the camera's aspect ratio set by its rectangle),
  // then `overlay` (may be null) over the whole frame, and reads it back
  // once. InvalidArgument for a tile without a scene or outside the frame;
  // tiles may overlap (later ones win).
  absl::Status RenderTiles(absl::Span<const MujocoTile> tiles, Color background,
                           const Canvas* overlay, Frame* frame);

  const MujocoRendererOptions& options() const { return options_; }
  const RenderBackend& backend() const { return *backend_; }
  // e.g. "480x480 rgb24, MuJoCo mjr_render, no shadows, no reflections,
  // skybox", for logs and the gallery.
  std::string Describe() const;

 private:
  MujocoRenderer(std::unique_ptr<RenderBackend> backend,
                 const MujocoRendererOptions& options)
      : backend_(std::move(backend)), options_(options) {}
  absl::Status InitGl(const mjModel* model);
  // Render and RenderTiles once their arguments are checked.
  absl::Status RenderTilesChecked(absl::Span<const MujocoTile> tiles,
                                  const Color* background,
                                  const Canvas* overlay, Frame* frame);
  absl::Status RenderGl(absl::Span<const MujocoTile> tiles,
                        const Color* background, const Canvas* overlay,
                        Frame* frame);
  // With the context current: makes the overlay's program, vertex array and
  // font texture (once), and draws `overlay` into the bound framebuffer.
  absl::Status DrawOverlay(const Canvas& overlay);

  std::unique_ptr<RenderBackend> backend_;  // Declared first: outlives GL.
  MujocoRendererOptions options_;
  mjrContext context_;
  bool context_made_ = false;
  std::vector<uint8_t> rgba_;  // Read-back, reused across frames.

  // The 2D layer's GL objects; 0 until the first overlay.
  unsigned int overlay_program_ = 0;
  unsigned int overlay_vertex_array_ = 0;
  unsigned int overlay_vertex_buffer_ = 0;
  unsigned int font_texture_ = 0;
  Tessellator tessellator_;
  std::vector<Vertex> vertices_;
};

}  // namespace rl

#endif  // RL_RENDER_MUJOCO_MUJOCO_RENDERER_H_
