// MujocoRenderer: mjr_render into MuJoCo's offscreen framebuffer, then the
// project's readback and conversion (yuv.h). See mujoco_renderer.h.
//
// Readback is done here rather than with mjr_readPixels: the same resolve
// blit and glReadPixels, but in RGBA, the framebuffer's own layout (Mesa
// copies it straight out; RGB costs a repack on the driver's side), handed
// to RgbaToRgb / RgbaToYuv420p with a negative row stride to flip it.
#include "rl/render/mujoco/mujoco_renderer.h"

#include <GL/glcorearb.h>
#include <mujoco/mujoco.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "rl/core/frame.h"
#include "rl/core/status_macros.h"
#include "rl/render/mujoco/mujoco_scene.h"
#include "rl/render/render_backend.h"
#include "rl/render/yuv.h"

namespace rl {
namespace {

constexpr int kMaxSize = 8192;
constexpr int kMaxMultisamples = 16;

// Clears pending GL errors, so the next check sees only new ones.
void DrainGlErrors() {
  for (int i = 0; i < 16 && glGetError() != GL_NO_ERROR; ++i) {
  }
}

absl::Status CheckGl(const char* what) {
  const GLenum error = glGetError();
  if (error == GL_NO_ERROR) return absl::OkStatus();
  DrainGlErrors();
  const std::string message = absl::StrCat(
      "OpenGL error 0x", absl::Hex(error), " while ", what,
      " (GL_OUT_OF_MEMORY is 0x505: try a smaller frame or shadow map)");
  return error == GL_OUT_OF_MEMORY ? absl::ResourceExhaustedError(message)
                                   : absl::InternalError(message);
}

// Releases the backend's context when it goes out of scope.
class CurrentContext {
 public:
  explicit CurrentContext(RenderBackend* backend) : backend_(backend) {}
  ~CurrentContext() { backend_->ReleaseCurrent().IgnoreError(); }
  absl::Status Make() { return backend_->MakeCurrent(); }
  absl::Status Release() { return backend_->ReleaseCurrent(); }

 private:
  RenderBackend* backend_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<MujocoRenderer>> MujocoRenderer::Create(
    std::unique_ptr<RenderBackend> backend, const mjModel* model,
    const MujocoRendererOptions& options) {
  if (options.width < 1 || options.width > kMaxSize || options.height < 1 ||
      options.height > kMaxSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "MuJoCo renderer size ", options.width, "x", options.height,
        " is invalid: width and height must each be in 1..", kMaxSize));
  }
  if (options.multisamples < 0 || options.multisamples > kMaxMultisamples) {
    return absl::InvalidArgumentError(
        absl::StrCat("multisamples ", options.multisamples,
                     " is invalid: it must be in 0..", kMaxMultisamples));
  }
  if (options.shadow_size < 0 || options.shadow_size > kMaxSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "shadow_size ", options.shadow_size, " is invalid: it must be in 0..",
        kMaxSize, " (0 keeps the model's)"));
  }
  if (model == nullptr) {
    return absl::InvalidArgumentError("MujocoRenderer needs a model, got null");
  }
  if (backend == nullptr) {
    return absl::InvalidArgumentError(
        "MujocoRenderer needs a render backend, got null");
  }
  if (backend->gl_profile() != GlProfile::kCompatibility) {
    return absl::InvalidArgumentError(absl::StrCat(
        "MuJoCo's renderer uses legacy OpenGL and needs a compatibility "
        "profile context, but the ",
        backend->name(), " backend's context is ",
        GlProfileName(backend->gl_profile()),
        " profile: create the backend with gl_profile = "
        "GlProfile::kCompatibility"));
  }
  std::unique_ptr<MujocoRenderer> renderer(
      new MujocoRenderer(std::move(backend), options));
  CurrentContext current(renderer->backend_.get());
  RL_RETURN_IF_ERROR(current.Make());
  RL_RETURN_IF_ERROR(renderer->InitGl(model));
  RL_RETURN_IF_ERROR(current.Release());
  return renderer;
}

absl::Status MujocoRenderer::InitGl(const mjModel* model) {
  DrainGlErrors();
  GLint max_renderbuffer = 0;
  GLint max_samples = 0;
  glGetIntegerv(GL_MAX_RENDERBUFFER_SIZE, &max_renderbuffer);
  glGetIntegerv(GL_MAX_SAMPLES, &max_samples);
  if (options_.width > max_renderbuffer || options_.height > max_renderbuffer) {
    return absl::InvalidArgumentError(absl::StrCat(
        "MuJoCo renderer size ", options_.width, "x", options_.height,
        " exceeds what ", backend_->gl_renderer(), " can render offscreen (",
        max_renderbuffer, " pixels a side)"));
  }
  options_.multisamples = std::min(options_.multisamples, max_samples);

  // MuJoCo sizes its offscreen buffer, multisampling and shadow map from the
  // model's visual settings when it makes the context: a copy of the model
  // with ours, dropped once the context is made (the context keeps no
  // pointer into it).
  MjModelPtr copy(mj_copyModel(nullptr, model));
  if (copy == nullptr) {
    return absl::ResourceExhaustedError(
        "mj_copyModel could not copy the model to size the offscreen buffer");
  }
  copy->vis.global.offwidth = options_.width;
  copy->vis.global.offheight = options_.height;
  copy->vis.quality.offsamples = options_.multisamples;
  if (options_.shadow_size > 0) {
    copy->vis.quality.shadowsize = options_.shadow_size;
  }
  mjr_defaultContext(&context_);
  mjr_makeContext(copy.get(), &context_, mjFONTSCALE_100);
  context_made_ = true;
  RL_RETURN_IF_ERROR(CheckGl("making MuJoCo's rendering context"));

  // As MuJoCo's own recorder sample does: check that rendering will really
  // go offscreen, at the size asked for.
  mjr_setBuffer(mjFB_OFFSCREEN, &context_);
  if (context_.currentBuffer != mjFB_OFFSCREEN) {
    return absl::FailedPreconditionError(absl::StrCat(
        "MuJoCo could not select its offscreen framebuffer on ",
        backend_->gl_renderer(), " (", backend_->gl_version(), ")"));
  }
  if (context_.offWidth != options_.width ||
      context_.offHeight != options_.height) {
    return absl::InternalError(
        absl::StrCat("MuJoCo made a ", context_.offWidth, "x",
                     context_.offHeight, " offscreen buffer where ",
                     options_.width, "x", options_.height, " was asked for"));
  }
  return CheckGl("selecting MuJoCo's offscreen framebuffer");
}

MujocoRenderer::~MujocoRenderer() {
  if (!context_made_) return;
  // Without the context the GL objects cannot be named; they go with it.
  if (!backend_->MakeCurrent().ok()) return;
  mjr_freeContext(&context_);
  backend_->ReleaseCurrent().IgnoreError();
}

absl::Status MujocoRenderer::Render(mjvScene* scene, Frame* frame) {
  if (scene == nullptr || frame == nullptr) {
    return absl::InvalidArgumentError(
        "MujocoRenderer::Render needs a scene and a Frame to fill, got null");
  }
  scene->flags[mjRND_SHADOW] = options_.shadows;
  scene->flags[mjRND_REFLECTION] = options_.reflections;
  scene->flags[mjRND_SKYBOX] = options_.skybox;
  CurrentContext current(backend_.get());
  RL_RETURN_IF_ERROR(current.Make());
  RL_RETURN_IF_ERROR(RenderGl(scene, frame));
  return current.Release();
}

absl::Status MujocoRenderer::RenderGl(mjvScene* scene, Frame* frame) {
  const int width = options_.width;
  const int height = options_.height;
  DrainGlErrors();
  mjr_setBuffer(mjFB_OFFSCREEN, &context_);
  const mjrRect viewport = {0, 0, width, height};
  mjr_render(viewport, scene, &context_);

  if (context_.offSamples > 0) {
    glBindFramebuffer(GL_READ_FRAMEBUFFER, context_.offFBO);
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, context_.offFBO_r);
    glBlitFramebuffer(0, 0, width, height, 0, 0, width, height,
                      GL_COLOR_BUFFER_BIT, GL_NEAREST);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, context_.offFBO_r);
  } else {
    glBindFramebuffer(GL_READ_FRAMEBUFFER, context_.offFBO);
  }
  glReadBuffer(GL_COLOR_ATTACHMENT0);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  const size_t row = static_cast<size_t>(width) * 4;
  rgba_.resize(row * height);
  glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba_.data());
  RL_RETURN_IF_ERROR(CheckGl("rendering and reading back a MuJoCo scene"));

  // GL's first row is the bottom one: start at the top, walk backwards.
  const uint8_t* top_row = rgba_.data() + row * (height - 1);
  const ptrdiff_t stride = -static_cast<ptrdiff_t>(row);
  frame->Reset(width, height, options_.format);
  if (options_.format == PixelFormat::kYuv420p) {
    RgbaToYuv420p(top_row, stride, width, height, frame);
  } else {
    RgbaToRgb(top_row, stride, width, height, frame);
  }
  return absl::OkStatus();
}

std::string MujocoRenderer::Describe() const {
  return absl::StrCat(
      options_.width, "x", options_.height, " ",
      options_.format == PixelFormat::kRgb24 ? "rgb24" : "yuv420p",
      ", MuJoCo mjr_render, ", options_.shadows ? "shadows" : "no shadows",
      ", ", options_.reflections ? "reflections" : "no reflections", ", ",
      options_.skybox ? "skybox" : "no skybox",
      options_.multisamples > 0
          ? absl::StrCat(", ", options_.multisamples, "x MSAA")
          : "");
}

}  // namespace rl
