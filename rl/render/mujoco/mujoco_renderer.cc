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
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "rl/canvas/canvas.h"
#include "rl/core/frame.h"
#include "rl/core/status_macros.h"
#include "rl/render/canvas_gl.h"
#include "rl/render/font.h"
#include "rl/render/mujoco/mujoco_scene.h"
#include "rl/render/render_backend.h"
#include "rl/render/tessellator.h"
#include "rl/render/yuv.h"

namespace rl {
namespace {

constexpr int kMaxSize = 8192;
constexpr int kMaxMultisamples = 16;

using gl::CheckGl;
using gl::DrainGlErrors;

// GL state the overlay pass changes, put back afterwards so that MuJoCo's
// next frame finds what it left.
class SavedState {
 public:
  SavedState() {
    blend_ = glIsEnabled(GL_BLEND);
    depth_test_ = glIsEnabled(GL_DEPTH_TEST);
    cull_face_ = glIsEnabled(GL_CULL_FACE);
    scissor_test_ = glIsEnabled(GL_SCISSOR_TEST);
    stencil_test_ = glIsEnabled(GL_STENCIL_TEST);
    glGetIntegerv(GL_BLEND_SRC_RGB, &blend_src_rgb_);
    glGetIntegerv(GL_BLEND_DST_RGB, &blend_dst_rgb_);
    glGetIntegerv(GL_BLEND_SRC_ALPHA, &blend_src_alpha_);
    glGetIntegerv(GL_BLEND_DST_ALPHA, &blend_dst_alpha_);
    glGetIntegerv(GL_ACTIVE_TEXTURE, &active_texture_);
    glActiveTexture(GL_TEXTURE0);
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &texture_);
    glGetIntegerv(GL_CURRENT_PROGRAM, &program_);
    glGetIntegerv(GL_VERTEX_ARRAY_BINDING, &vertex_array_);
    glGetIntegerv(GL_ARRAY_BUFFER_BINDING, &array_buffer_);
    glGetIntegerv(GL_VIEWPORT, viewport_);
  }
  ~SavedState() {
    Set(GL_BLEND, blend_);
    Set(GL_DEPTH_TEST, depth_test_);
    Set(GL_CULL_FACE, cull_face_);
    Set(GL_SCISSOR_TEST, scissor_test_);
    Set(GL_STENCIL_TEST, stencil_test_);
    glBlendFuncSeparate(blend_src_rgb_, blend_dst_rgb_, blend_src_alpha_,
                        blend_dst_alpha_);
    glUseProgram(program_);
    glBindVertexArray(vertex_array_);
    glBindBuffer(GL_ARRAY_BUFFER, array_buffer_);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, texture_);
    glActiveTexture(active_texture_);
    glViewport(viewport_[0], viewport_[1], viewport_[2], viewport_[3]);
  }

 private:
  static void Set(GLenum capability, GLboolean enabled) {
    if (enabled) {
      glEnable(capability);
    } else {
      glDisable(capability);
    }
  }

  GLboolean blend_, depth_test_, cull_face_, scissor_test_, stencil_test_;
  GLint blend_src_rgb_ = 0, blend_dst_rgb_ = 0, blend_src_alpha_ = 0,
        blend_dst_alpha_ = 0;
  GLint active_texture_ = 0, texture_ = 0, program_ = 0, vertex_array_ = 0,
        array_buffer_ = 0;
  GLint viewport_[4] = {0, 0, 0, 0};
};

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
  RL_RETURN_IF_ERROR(CheckGl(
      "making MuJoCo's rendering context (GL_OUT_OF_MEMORY: try a smaller "
      "frame or shadow map)"));

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
  glDeleteProgram(overlay_program_);
  glDeleteVertexArrays(1, &overlay_vertex_array_);
  glDeleteBuffers(1, &overlay_vertex_buffer_);
  glDeleteTextures(1, &font_texture_);
  backend_->ReleaseCurrent().IgnoreError();
}

absl::Status MujocoRenderer::Render(mjvScene* scene, Frame* frame) {
  if (scene == nullptr || frame == nullptr) {
    return absl::InvalidArgumentError(
        "MujocoRenderer::Render needs a scene and a Frame to fill, got null");
  }
  const MujocoTile whole{scene, 0, 0, options_.width, options_.height};
  return RenderTilesChecked({&whole, 1}, nullptr, nullptr, frame);
}

absl::Status MujocoRenderer::Render(mjvScene* scene, const Canvas& overlay,
                                    Frame* frame) {
  if (scene == nullptr || frame == nullptr) {
    return absl::InvalidArgumentError(
        "MujocoRenderer::Render needs a scene and a Frame to fill, got null");
  }
  const MujocoTile whole{scene, 0, 0, options_.width, options_.height};
  return RenderTilesChecked({&whole, 1}, nullptr, &overlay, frame);
}

absl::Status MujocoRenderer::RenderTiles(absl::Span<const MujocoTile> tiles,
                                         Color background,
                                         const Canvas* overlay, Frame* frame) {
  if (frame == nullptr) {
    return absl::InvalidArgumentError(
        "MujocoRenderer::RenderTiles needs a Frame to fill, got null");
  }
  for (size_t i = 0; i < tiles.size(); ++i) {
    const MujocoTile& tile = tiles[i];
    if (tile.scene == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("tile ", i, " has no scene"));
    }
    if (tile.width < 1 || tile.height < 1 || tile.x < 0 || tile.y < 0 ||
        tile.x + tile.width > options_.width ||
        tile.y + tile.height > options_.height) {
      return absl::InvalidArgumentError(
          absl::StrCat("tile ", i, " (", tile.width, "x", tile.height, " at ",
                       tile.x, ",", tile.y, ") is not inside the ",
                       options_.width, "x", options_.height, " frame"));
    }
  }
  return RenderTilesChecked(tiles, &background, overlay, frame);
}

absl::Status MujocoRenderer::RenderTilesChecked(
    absl::Span<const MujocoTile> tiles, const Color* background,
    const Canvas* overlay, Frame* frame) {
  for (const MujocoTile& tile : tiles) {
    tile.scene->flags[mjRND_SHADOW] = options_.shadows;
    tile.scene->flags[mjRND_REFLECTION] = options_.reflections;
    tile.scene->flags[mjRND_SKYBOX] = options_.skybox;
  }
  CurrentContext current(backend_.get());
  RL_RETURN_IF_ERROR(current.Make());
  RL_RETURN_IF_ERROR(RenderGl(tiles, background, overlay, frame));
  return current.Release();
}

absl::Status MujocoRenderer::RenderGl(absl::Span<const MujocoTile> tiles,
                                      const Color* background,
                                      const Canvas* overlay, Frame* frame) {
  const int width = options_.width;
  const int height = options_.height;
  DrainGlErrors();
  mjr_setBuffer(mjFB_OFFSCREEN, &context_);
  if (background != nullptr) {
    // MuJoCo clears each viewport itself; the gaps between are ours.
    GLfloat saved_clear[4];
    glGetFloatv(GL_COLOR_CLEAR_VALUE, saved_clear);
    glDisable(GL_SCISSOR_TEST);
    glViewport(0, 0, width, height);
    glClearColor(background->r / 255.0f, background->g / 255.0f,
                 background->b / 255.0f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
    glClearColor(saved_clear[0], saved_clear[1], saved_clear[2],
                 saved_clear[3]);
  }
  for (const MujocoTile& tile : tiles) {
    // GL's rows count from the bottom.
    const mjrRect viewport = {tile.x, height - tile.y - tile.height, tile.width,
                              tile.height};
    mjr_render(viewport, tile.scene, &context_);
  }

  if (context_.offSamples > 0) {
    glBindFramebuffer(GL_READ_FRAMEBUFFER, context_.offFBO);
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, context_.offFBO_r);
    glBlitFramebuffer(0, 0, width, height, 0, 0, width, height,
                      GL_COLOR_BUFFER_BIT, GL_NEAREST);
    glBindFramebuffer(GL_FRAMEBUFFER, context_.offFBO_r);
  } else {
    glBindFramebuffer(GL_FRAMEBUFFER, context_.offFBO);
  }
  RL_RETURN_IF_ERROR(CheckGl("rendering a MuJoCo scene"));
  if (overlay != nullptr) RL_RETURN_IF_ERROR(DrawOverlay(*overlay));
  glReadBuffer(GL_COLOR_ATTACHMENT0);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  const size_t row = static_cast<size_t>(width) * 4;
  rgba_.resize(row * height);
  glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba_.data());
  RL_RETURN_IF_ERROR(CheckGl("reading back a MuJoCo scene"));

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

absl::Status MujocoRenderer::DrawOverlay(const Canvas& overlay) {
  if (overlay.width() <= 0 || overlay.height() <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot draw a ", overlay.width(), "x", overlay.height(),
                     " overlay canvas: both sides must be > 0"));
  }
  const int width = options_.width;
  const int height = options_.height;
  tessellator_.Tessellate(overlay, width, height, /*antialias=*/true,
                          &vertices_);
  if (vertices_.empty()) return absl::OkStatus();
  // The shaders put canvas y = 0 on GL's bottom row; here GL's top row is
  // the frame's top (the readback flips), so flip the vertices instead.
  for (Vertex& vertex : vertices_) vertex.y = height - vertex.y;

  SavedState saved;
  if (overlay_program_ == 0) {
    RL_ASSIGN_OR_RETURN(overlay_program_,
                        gl::LinkProgram(gl::kCanvasVertexShader,
                                        gl::kCanvasFragmentShader, "overlay"));
    glUseProgram(overlay_program_);
    glUniform2f(glGetUniformLocation(overlay_program_, "scale"), 2.0f / width,
                2.0f / height);
    const float identity[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    glUniformMatrix4fv(glGetUniformLocation(overlay_program_, "color_matrix"),
                       1, GL_TRUE, identity);
    const font::Atlas& atlas = font::GetAtlas();
    glUniform1i(glGetUniformLocation(overlay_program_, "font_atlas"), 0);
    glUniform2f(glGetUniformLocation(overlay_program_, "atlas_size"),
                static_cast<float>(atlas.width),
                static_cast<float>(atlas.height));
    glUniform1i(glGetUniformLocation(overlay_program_, "smooth_text"), 1);
    glActiveTexture(GL_TEXTURE0);
    font_texture_ = gl::MakeTexture(GL_R8, GL_RED, atlas.width, atlas.height,
                                    GL_LINEAR, atlas.texels.data());
    gl::MakeVertexArray(&overlay_vertex_array_, &overlay_vertex_buffer_);
    RL_RETURN_IF_ERROR(CheckGl("setting up the overlay pass"));
  }
  glViewport(0, 0, width, height);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_CULL_FACE);
  glDisable(GL_SCISSOR_TEST);
  glDisable(GL_STENCIL_TEST);
  glEnable(GL_BLEND);
  glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE,
                      GL_ONE_MINUS_SRC_ALPHA);
  glUseProgram(overlay_program_);
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, font_texture_);
  glBindVertexArray(overlay_vertex_array_);
  glBindBuffer(GL_ARRAY_BUFFER, overlay_vertex_buffer_);
  glBufferData(GL_ARRAY_BUFFER,
               static_cast<GLsizeiptr>(vertices_.size() * sizeof(Vertex)),
               vertices_.data(), GL_STREAM_DRAW);
  glDrawArrays(GL_TRIANGLES, 0, static_cast<GLsizei>(vertices_.size()));
  return CheckGl("drawing the overlay over a MuJoCo scene");
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

absl::Status ParseSceneOptions(absl::string_view text,
                               MujocoRendererOptions* options) {
  constexpr char kValid[] =
      "valid keys: shadows, reflections, skybox (true/false), multisamples "
      "(0..16), shadow_size (0 = the model's, or 64..8192)";
  for (absl::string_view item :
       absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    const std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(item, absl::MaxSplits('=', 1));
    const absl::string_view key = absl::StripAsciiWhitespace(kv.first);
    const absl::string_view value = absl::StripAsciiWhitespace(kv.second);
    bool* flag = key == "shadows"       ? &options->shadows
                 : key == "reflections" ? &options->reflections
                 : key == "skybox"      ? &options->skybox
                                        : nullptr;
    if (flag != nullptr) {
      if (!absl::SimpleAtob(value, flag)) {
        return absl::InvalidArgumentError(absl::StrCat(
            "scene option ", key, "='", value, "' is not true or false"));
      }
      continue;
    }
    int* number = key == "multisamples"  ? &options->multisamples
                  : key == "shadow_size" ? &options->shadow_size
                                         : nullptr;
    if (number == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown scene option '", key, "'; ", kValid));
    }
    const bool samples = number == &options->multisamples;
    if (!absl::SimpleAtoi(value, number) ||
        (samples ? (*number < 0 || *number > 16)
                 : (*number != 0 && (*number < 64 || *number > 8192)))) {
      return absl::InvalidArgumentError(absl::StrCat(
          "scene option ", key, "='", value, "' is out of range; ", kValid));
    }
  }
  return absl::OkStatus();
}

std::string FormatSceneOptions(const MujocoRendererOptions& options) {
  return absl::StrCat("shadows=", options.shadows ? "true" : "false",
                      ",reflections=", options.reflections ? "true" : "false",
                      ",skybox=", options.skybox ? "true" : "false",
                      ",multisamples=", options.multisamples,
                      ",shadow_size=", options.shadow_size);
}

}  // namespace rl
