// The one Renderer: OpenGL 3.3 core, whatever backend supplies the context.
//
// Each frame the canvas is tessellated on the CPU (tessellator.h) into one
// vertex array, uploaded with one glBufferData and drawn with one
// glDrawArrays into a framebuffer object (multisampled, then resolved with
// glBlitFramebuffer, for kMsaa), and read back with glReadPixels, straight
// into memory or into a pixel buffer object.
//
// For YUV on the GPU the same draw writes two targets (MRT): luma (R8) and
// full-resolution chroma (RG8); one more pass averages chroma over 2x2
// blocks into an R8 target cw x 2ch whose rows are the U plane then the V
// plane. So two glReadPixels fill a Frame's three planes exactly, with no
// conversion on the CPU.
//
// Orientation: canvas y = 0 (the top) is mapped to NDC y = -1, GL's bottom
// row, which is the first row glReadPixels returns. So the rows come back top
// first, as a Frame wants them, with no flip on the CPU. (The picture is
// upside down as GL sees it; nothing looks at it but us.)
#include "rl/render/renderer.h"

#include <GL/glcorearb.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "rl/canvas/canvas.h"
#include "rl/core/frame.h"
#include "rl/core/status_macros.h"
#include "rl/render/canvas_gl.h"
#include "rl/render/font.h"
#include "rl/render/render_backend.h"
#include "rl/render/tessellator.h"
#include "rl/render/yuv.h"

namespace rl {
namespace {

constexpr int kMaxSize = 8192;
constexpr int kMaxFramesInFlight = 16;
// How long Retrieve waits for the GPU before calling it hung.
constexpr GLuint64 kFenceTimeoutNs = 10'000'000'000ull;

using gl::CheckGl;
using gl::DrainGlErrors;
using gl::kCanvasFragmentShader;
using gl::kCanvasVertexShader;
using gl::LinkProgram;
using gl::MakeTexture;

// Two triangles covering the viewport, from gl_VertexID alone.
constexpr char kFullscreenVertexShader[] = R"glsl(#version 330 core
void main() {
  int i = gl_VertexID;
  gl_Position = vec4((i == 1 || i == 2 || i == 4) ? 1.0 : -1.0,
                     (i == 2 || i == 4 || i == 5) ? 1.0 : -1.0, 0.0, 1.0);
}
)glsl";

// Rows 0..ch-1: U, rows ch..2ch-1: V; each the mean of a 2x2 block of the
// full-resolution chroma, an odd last column or row counting twice.
constexpr char kChromaShader[] = R"glsl(#version 330 core
uniform sampler2D full_chroma;
uniform int chroma_height;
out vec4 out0;
void main() {
  ivec2 p = ivec2(gl_FragCoord.xy);
  bool v = p.y >= chroma_height;
  ivec2 a = ivec2(2 * p.x, 2 * (v ? p.y - chroma_height : p.y));
  ivec2 b = min(a + 1, textureSize(full_chroma, 0) - 1);
  vec2 sum = texelFetch(full_chroma, a, 0).rg +
             texelFetch(full_chroma, ivec2(b.x, a.y), 0).rg +
             texelFetch(full_chroma, ivec2(a.x, b.y), 0).rg +
             texelFetch(full_chroma, b, 0).rg;
  out0 = vec4(v ? sum.g * 0.25 : sum.r * 0.25, 0.0, 0.0, 1.0);
}
)glsl";

std::string FramebufferStatusName(GLenum status) {
  switch (status) {
    case GL_FRAMEBUFFER_UNDEFINED:
      return "GL_FRAMEBUFFER_UNDEFINED";
    case GL_FRAMEBUFFER_INCOMPLETE_ATTACHMENT:
      return "GL_FRAMEBUFFER_INCOMPLETE_ATTACHMENT";
    case GL_FRAMEBUFFER_INCOMPLETE_MISSING_ATTACHMENT:
      return "GL_FRAMEBUFFER_INCOMPLETE_MISSING_ATTACHMENT";
    case GL_FRAMEBUFFER_UNSUPPORTED:
      return "GL_FRAMEBUFFER_UNSUPPORTED";
    case GL_FRAMEBUFFER_INCOMPLETE_MULTISAMPLE:
      return "GL_FRAMEBUFFER_INCOMPLETE_MULTISAMPLE";
  }
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "framebuffer status 0x%04x",
                static_cast<unsigned>(status));
  return buffer;
}

absl::Status CheckFramebuffer(absl::string_view what) {
  const GLenum status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
  if (status == GL_FRAMEBUFFER_COMPLETE) return absl::OkStatus();
  return absl::InternalError(absl::StrCat(
      "the ", what,
      " framebuffer is incomplete: ", FramebufferStatusName(status)));
}

const char* FormatName(PixelFormat format) {
  return format == PixelFormat::kRgb24 ? "rgb24" : "yuv420p";
}

class GlRenderer : public Renderer {
 public:
  GlRenderer(std::unique_ptr<RenderBackend> backend,
             const RendererOptions& options)
      : backend_(std::move(backend)), options_(options) {}

  ~GlRenderer() override {
    // Without the context the objects cannot be named; they go with it when
    // the backend destroys it.
    if (!backend_->MakeCurrent().ok()) return;
    for (Slot& slot : slots_) {
      if (slot.fence != nullptr) glDeleteSync(slot.fence);
      glDeleteBuffers(1, &slot.pixel_buffer);
    }
    glDeleteProgram(program_);
    glDeleteProgram(chroma_program_);
    glDeleteVertexArrays(1, &vertex_array_);
    glDeleteVertexArrays(1, &empty_vertex_array_);
    glDeleteBuffers(1, &vertex_buffer_);
    glDeleteTextures(1, &font_texture_);
    glDeleteFramebuffers(1, &msaa_framebuffer_);
    glDeleteRenderbuffers(2, msaa_renderbuffers_);
    glDeleteFramebuffers(1, &framebuffer_);
    glDeleteTextures(2, targets_);
    glDeleteFramebuffers(1, &chroma_framebuffer_);
    glDeleteTextures(1, &chroma_texture_);
    backend_->ReleaseCurrent().IgnoreError();
  }

  absl::Status Init();

  absl::Status Render(const Canvas& canvas, Frame* frame) override;
  absl::Status Submit(const Canvas& canvas) override;
  absl::Status Retrieve(Frame* frame) override;
  int pending() const override { return pending_; }
  absl::Status DrawOnly(const Canvas& canvas) override;
  const RendererOptions& options() const override { return options_; }
  std::string Describe() const override;
  const RenderBackend& backend() const override { return *backend_; }

 private:
  // One frame in flight.
  struct Slot {
    GLuint pixel_buffer = 0;  // kPixelBuffers.
    GLsync fence = nullptr;
    std::vector<uint8_t> pixels;  // kDirect.
  };

  absl::Status InitGl();
  absl::Status CheckCanvas(const Canvas& canvas) const;
  // With the context current: draws `canvas` into the single-sampled
  // targets (and the chroma target for YUV on the GPU).
  absl::Status Draw(const Canvas& canvas);
  // Reads what Draw made: to `destination` in memory, or (null) at offset 0
  // of the bound GL_PIXEL_PACK_BUFFER.
  void ReadPixels(uint8_t* destination);
  // The clear values of the render targets for `color` (YUV on the GPU:
  // luma and chroma).
  void ClearValues(Color color, float values[2][4]) const;
  // Turns read-back bytes into `frame`.
  void Convert(const uint8_t* pixels, Frame* frame) const;

  int chroma_width() const { return (options_.width + 1) / 2; }
  int chroma_height() const { return (options_.height + 1) / 2; }

  std::unique_ptr<RenderBackend> backend_;  // Declared first: outlives GL.
  RendererOptions options_;
  bool gpu_yuv_ = false;
  size_t readback_bytes_ = 0;

  GLuint program_ = 0;
  GLint scale_location_ = -1;
  GLint color_matrix_location_ = -1;
  GLuint chroma_program_ = 0;
  GLuint vertex_array_ = 0;
  GLuint empty_vertex_array_ = 0;  // For the full-screen pass.
  GLuint vertex_buffer_ = 0;
  GLuint font_texture_ = 0;
  // Single-sampled targets: RGBA8, or luma R8 and chroma RG8.
  GLuint framebuffer_ = 0;
  GLuint targets_[2] = {0, 0};
  int target_count_ = 1;
  GLuint msaa_framebuffer_ = 0;
  GLuint msaa_renderbuffers_[2] = {0, 0};
  GLuint chroma_framebuffer_ = 0;
  GLuint chroma_texture_ = 0;
  float clear_[2][4] = {};
  float bar_clear_[2][4] = {};
  int scale_width_ = 0;  // What the `scale` uniform is set for.
  int scale_height_ = 0;

  std::vector<Slot> slots_;
  int oldest_ = 0;  // Slot of the oldest pending frame.
  int pending_ = 0;

  Tessellator tessellator_;
  // Reused across frames so steady-state rendering does not allocate.
  std::vector<Vertex> vertices_;
  std::vector<uint8_t> scratch_;  // Render()'s RGBA read-back.
};

absl::Status GlRenderer::Init() {
  RL_RETURN_IF_ERROR(backend_->MakeCurrent());
  const absl::Status status = InitGl();
  const absl::Status released = backend_->ReleaseCurrent();
  return status.ok() ? released : status;
}

absl::Status GlRenderer::InitGl() {
  DrainGlErrors();
  const int width = options_.width;
  const int height = options_.height;
  const bool software = IsSoftwareRenderer(backend_->gl_renderer());
  if (options_.yuv_conversion == YuvConversion::kAuto) {
    options_.yuv_conversion =
        software ? YuvConversion::kCpu : YuvConversion::kGpu;
  }
  if (options_.readback == Readback::kAuto) {
    options_.readback = software ? Readback::kDirect : Readback::kPixelBuffers;
  }
  gpu_yuv_ = options_.format == PixelFormat::kYuv420p &&
             options_.yuv_conversion == YuvConversion::kGpu;
  readback_bytes_ = gpu_yuv_
                        ? Frame::ByteSize(width, height, PixelFormat::kYuv420p)
                        : static_cast<size_t>(width) * height * 4;
  target_count_ = gpu_yuv_ ? 2 : 1;

  GLint max_samples = 0;
  glGetIntegerv(GL_MAX_SAMPLES, &max_samples);
  if (options_.antialiasing == Antialiasing::kMsaa) {
    options_.msaa_samples = std::min(options_.msaa_samples, max_samples);
    if (options_.msaa_samples < 2) {
      options_.antialiasing = Antialiasing::kNone;
      options_.msaa_samples = 0;
    }
  } else {
    options_.msaa_samples = 0;
  }
  GLint max_renderbuffer_size = 0;
  GLint max_texture_size = 0;
  GLint max_viewport[2] = {0, 0};
  glGetIntegerv(GL_MAX_RENDERBUFFER_SIZE, &max_renderbuffer_size);
  glGetIntegerv(GL_MAX_TEXTURE_SIZE, &max_texture_size);
  glGetIntegerv(GL_MAX_VIEWPORT_DIMS, max_viewport);
  const int max_side = std::min(max_renderbuffer_size, max_texture_size);
  const int max_width = std::min(max_side, max_viewport[0]);
  const int max_height = std::min(max_side, max_viewport[1]);
  if (width > max_width || height > max_height) {
    return absl::InvalidArgumentError(
        absl::StrCat("renderer size ", width, "x", height, " is larger than ",
                     backend_->gl_renderer(), " supports (", max_width, "x",
                     max_height, "); ask for a smaller frame"));
  }

  // Single-sampled targets: what is read back (and, for YUV on the GPU,
  // what the chroma pass samples).
  glGenFramebuffers(1, &framebuffer_);
  glBindFramebuffer(GL_FRAMEBUFFER, framebuffer_);
  if (gpu_yuv_) {
    targets_[0] = MakeTexture(GL_R8, GL_RED, width, height, GL_NEAREST);
    targets_[1] = MakeTexture(GL_RG8, GL_RG, width, height, GL_NEAREST);
  } else {
    targets_[0] = MakeTexture(GL_RGBA8, GL_RGBA, width, height, GL_NEAREST);
  }
  for (int i = 0; i < target_count_; ++i) {
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0 + i,
                           GL_TEXTURE_2D, targets_[i], 0);
  }
  const GLenum draw_buffers[2] = {GL_COLOR_ATTACHMENT0, GL_COLOR_ATTACHMENT1};
  glDrawBuffers(target_count_, draw_buffers);
  RL_RETURN_IF_ERROR(CheckGl(
      absl::StrCat("creating the ", width, "x", height, " render targets")));
  RL_RETURN_IF_ERROR(CheckFramebuffer("offscreen"));

  if (options_.msaa_samples > 0) {
    glGenFramebuffers(1, &msaa_framebuffer_);
    glBindFramebuffer(GL_FRAMEBUFFER, msaa_framebuffer_);
    glGenRenderbuffers(target_count_, msaa_renderbuffers_);
    for (int i = 0; i < target_count_; ++i) {
      glBindRenderbuffer(GL_RENDERBUFFER, msaa_renderbuffers_[i]);
      glRenderbufferStorageMultisample(
          GL_RENDERBUFFER, options_.msaa_samples,
          gpu_yuv_ ? (i == 0 ? GL_R8 : GL_RG8) : GL_RGBA8, width, height);
      glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0 + i,
                                GL_RENDERBUFFER, msaa_renderbuffers_[i]);
    }
    glDrawBuffers(target_count_, draw_buffers);
    glBindRenderbuffer(GL_RENDERBUFFER, 0);
    RL_RETURN_IF_ERROR(
        CheckGl(absl::StrCat("creating the multisampled targets (",
                             options_.msaa_samples, " samples)")));
    RL_RETURN_IF_ERROR(CheckFramebuffer("multisampled"));
  }

  if (gpu_yuv_) {
    glGenFramebuffers(1, &chroma_framebuffer_);
    glBindFramebuffer(GL_FRAMEBUFFER, chroma_framebuffer_);
    chroma_texture_ = MakeTexture(GL_R8, GL_RED, chroma_width(),
                                  2 * chroma_height(), GL_NEAREST);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D,
                           chroma_texture_, 0);
    RL_RETURN_IF_ERROR(CheckGl("creating the chroma target"));
    RL_RETURN_IF_ERROR(CheckFramebuffer("chroma"));
    RL_ASSIGN_OR_RETURN(chroma_program_, LinkProgram(kFullscreenVertexShader,
                                                     kChromaShader, "chroma"));
    glUseProgram(chroma_program_);
    glUniform1i(glGetUniformLocation(chroma_program_, "full_chroma"), 1);
    glUniform1i(glGetUniformLocation(chroma_program_, "chroma_height"),
                chroma_height());
    glGenVertexArrays(1, &empty_vertex_array_);
  }

  RL_ASSIGN_OR_RETURN(program_, LinkProgram(kCanvasVertexShader,
                                            kCanvasFragmentShader, "canvas"));
  scale_location_ = glGetUniformLocation(program_, "scale");
  color_matrix_location_ = glGetUniformLocation(program_, "color_matrix");
  if (scale_location_ < 0 || color_matrix_location_ < 0) {
    return absl::InternalError(
        "the shader program lacks the uniforms 'scale' or 'color_matrix'");
  }
  glUseProgram(program_);
  glUniform2f(scale_location_, 2.0f / width, 2.0f / height);
  scale_width_ = width;
  scale_height_ = height;
  // Row-major, transposed on upload.
  float matrix[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
  if (options_.format == PixelFormat::kYuv420p && gpu_yuv_) {
    for (int row = 0; row < 3; ++row) {
      for (int column = 0; column < 4; ++column) {
        matrix[4 * row + column] =
            static_cast<float>(kRgbToYuv709[row][column]);
      }
    }
  }
  glUniformMatrix4fv(color_matrix_location_, 1, GL_TRUE, matrix);
  const font::Atlas& atlas = font::GetAtlas();
  glUniform1i(glGetUniformLocation(program_, "font_atlas"), 0);
  glUniform2f(glGetUniformLocation(program_, "atlas_size"),
              static_cast<float>(atlas.width),
              static_cast<float>(atlas.height));
  glUniform1i(glGetUniformLocation(program_, "smooth_text"),
              options_.antialiasing != Antialiasing::kNone);
  glActiveTexture(GL_TEXTURE0);
  font_texture_ = MakeTexture(GL_R8, GL_RED, atlas.width, atlas.height,
                              GL_LINEAR, atlas.texels.data());
  if (gpu_yuv_) {
    glActiveTexture(GL_TEXTURE1);
    glBindTexture(GL_TEXTURE_2D, targets_[1]);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, font_texture_);
  }

  gl::MakeVertexArray(&vertex_array_, &vertex_buffer_);

  slots_.resize(options_.frames_in_flight);
  if (options_.readback == Readback::kPixelBuffers) {
    for (Slot& slot : slots_) {
      glGenBuffers(1, &slot.pixel_buffer);
      glBindBuffer(GL_PIXEL_PACK_BUFFER, slot.pixel_buffer);
      glBufferData(GL_PIXEL_PACK_BUFFER,
                   static_cast<GLsizeiptr>(readback_bytes_), nullptr,
                   GL_STREAM_READ);
    }
    glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
  }

  // The context is this renderer's alone, so fixed state is set once.
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_CULL_FACE);  // The y flip reverses every winding.
  glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE,
                      GL_ONE_MINUS_SRC_ALPHA);
  if (options_.msaa_samples > 0) glEnable(GL_MULTISAMPLE);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  ClearValues(options_.bar_color, bar_clear_);
  return CheckGl("setting up the shader programs and vertex array");
}

absl::Status GlRenderer::CheckCanvas(const Canvas& canvas) const {
  if (canvas.width() <= 0 || canvas.height() <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot render a ", canvas.width(), "x", canvas.height(),
                     " canvas: both sides must be > 0"));
  }
  return absl::OkStatus();
}

void GlRenderer::ClearValues(Color color, float values[2][4]) const {
  const float rgb[3] = {color.r / 255.0f, color.g / 255.0f, color.b / 255.0f};
  if (gpu_yuv_) {
    float yuv[3];
    for (int row = 0; row < 3; ++row) {
      yuv[row] = static_cast<float>(
          kRgbToYuv709[row][0] * rgb[0] + kRgbToYuv709[row][1] * rgb[1] +
          kRgbToYuv709[row][2] * rgb[2] + kRgbToYuv709[row][3]);
    }
    const float luma[4] = {yuv[0], 0, 0, 1};
    const float chroma[4] = {yuv[1], yuv[2], 0, 1};
    std::copy(luma, luma + 4, values[0]);
    std::copy(chroma, chroma + 4, values[1]);
  } else {
    const float rgba[4] = {rgb[0], rgb[1], rgb[2], 1};
    std::copy(rgba, rgba + 4, values[0]);
  }
}

absl::Status GlRenderer::Draw(const Canvas& canvas) {
  // The canvas' rectangle in the frame: the viewport maps the shader's
  // output onto it and clips every triangle to it, so the tessellation and
  // the shaders are those of a frame of the rectangle's size.
  const PixelRect area = options_.fit == Fit::kLetterbox
                             ? LetterboxRect(canvas.width(), canvas.height(),
                                             options_.width, options_.height)
                             : PixelRect{0, 0, options_.width, options_.height};
  const bool bars =
      area.width != options_.width || area.height != options_.height;
  tessellator_.Tessellate(canvas, area.width, area.height,
                          options_.antialiasing == Antialiasing::kAnalytic,
                          &vertices_);
  ClearValues(canvas.background(), clear_);

  glBindFramebuffer(GL_FRAMEBUFFER, options_.msaa_samples > 0
                                        ? msaa_framebuffer_
                                        : framebuffer_);
  if (bars) {
    for (int i = 0; i < target_count_; ++i) {
      glClearBufferfv(GL_COLOR, i, bar_clear_[i]);
    }
    glEnable(GL_SCISSOR_TEST);
    glScissor(area.x, area.y, area.width, area.height);
  }
  // Rows go top first (see the vertex shader), so y counts from the top.
  glViewport(area.x, area.y, area.width, area.height);
  for (int i = 0; i < target_count_; ++i) {
    glClearBufferfv(GL_COLOR, i, clear_[i]);
  }
  if (bars) glDisable(GL_SCISSOR_TEST);
  if (area.width != scale_width_ || area.height != scale_height_) {
    glUseProgram(program_);
    glUniform2f(scale_location_, 2.0f / area.width, 2.0f / area.height);
    scale_width_ = area.width;
    scale_height_ = area.height;
  }
  if (!vertices_.empty()) {
    glEnable(GL_BLEND);
    glUseProgram(program_);
    glBindVertexArray(vertex_array_);
    glBindBuffer(GL_ARRAY_BUFFER, vertex_buffer_);
    // A fresh store each frame (orphaning): no wait on last frame's draw.
    glBufferData(GL_ARRAY_BUFFER,
                 static_cast<GLsizeiptr>(vertices_.size() * sizeof(Vertex)),
                 vertices_.data(), GL_STREAM_DRAW);
    glDrawArrays(GL_TRIANGLES, 0, static_cast<GLsizei>(vertices_.size()));
  }

  if (options_.msaa_samples > 0) {
    glBindFramebuffer(GL_READ_FRAMEBUFFER, msaa_framebuffer_);
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, framebuffer_);
    for (int i = 0; i < target_count_; ++i) {
      GLenum buffers[2] = {GL_NONE, GL_NONE};
      buffers[i] = GL_COLOR_ATTACHMENT0 + i;
      glReadBuffer(GL_COLOR_ATTACHMENT0 + i);
      glDrawBuffers(target_count_, buffers);
      glBlitFramebuffer(0, 0, options_.width, options_.height, 0, 0,
                        options_.width, options_.height, GL_COLOR_BUFFER_BIT,
                        GL_NEAREST);
    }
    const GLenum all[2] = {GL_COLOR_ATTACHMENT0, GL_COLOR_ATTACHMENT1};
    glDrawBuffers(target_count_, all);
  }

  if (gpu_yuv_) {
    glBindFramebuffer(GL_FRAMEBUFFER, chroma_framebuffer_);
    glViewport(0, 0, chroma_width(), 2 * chroma_height());
    glDisable(GL_BLEND);
    glUseProgram(chroma_program_);
    glBindVertexArray(empty_vertex_array_);
    glDrawArrays(GL_TRIANGLES, 0, 6);
  }
  return CheckGl("drawing a frame");
}

void GlRenderer::ReadPixels(uint8_t* destination) {
  const int width = options_.width;
  const int height = options_.height;
  glBindFramebuffer(GL_READ_FRAMEBUFFER, framebuffer_);
  glReadBuffer(GL_COLOR_ATTACHMENT0);
  if (!gpu_yuv_) {
    // RGBA is the target's own layout, so Mesa copies it straight out;
    // packing to RGB on the CPU beats asking GL for GL_RGB (0.08 vs 0.5 ms
    // at 600x400 on llvmpipe).
    glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, destination);
    return;
  }
  glReadPixels(0, 0, width, height, GL_RED, GL_UNSIGNED_BYTE, destination);
  const size_t luma = static_cast<size_t>(width) * height;
  glBindFramebuffer(GL_READ_FRAMEBUFFER, chroma_framebuffer_);
  glReadBuffer(GL_COLOR_ATTACHMENT0);
  // With a pack buffer bound the pointer is an offset into it.
  glReadPixels(0, 0, chroma_width(), 2 * chroma_height(), GL_RED,
               GL_UNSIGNED_BYTE,
               destination == nullptr
                   ? reinterpret_cast<void*>(static_cast<uintptr_t>(luma))
                   : destination + luma);
}

void GlRenderer::Convert(const uint8_t* pixels, Frame* frame) const {
  frame->Reset(options_.width, options_.height, options_.format);
  if (gpu_yuv_) {
    std::memcpy(frame->data(), pixels, readback_bytes_);
  } else if (options_.format == PixelFormat::kYuv420p) {
    RgbaToYuv420p(pixels, options_.width, options_.height, frame);
  } else {
    RgbaToRgb(pixels, options_.width, options_.height, frame);
  }
}

absl::Status GlRenderer::Render(const Canvas& canvas, Frame* frame) {
  if (frame == nullptr) {
    return absl::InvalidArgumentError("Render needs a Frame to fill, got null");
  }
  RL_RETURN_IF_ERROR(CheckCanvas(canvas));
  if (pending_ > 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "Render was called with ", pending_,
        " submitted frame(s) not yet retrieved: Retrieve them first (frames "
        "come back in order)"));
  }
  RL_RETURN_IF_ERROR(backend_->MakeCurrent());
  absl::Status status = Draw(canvas);
  if (status.ok()) {
    if (gpu_yuv_) {
      // Straight into the frame's planes: no copy at all.
      frame->Reset(options_.width, options_.height, options_.format);
      ReadPixels(frame->data());
    } else {
      scratch_.resize(readback_bytes_);
      ReadPixels(scratch_.data());
      Convert(scratch_.data(), frame);
    }
    status = CheckGl("reading a frame back");
  }
  // Leave no context current, so the next call (or the destructor) may come
  // from any thread.
  const absl::Status released = backend_->ReleaseCurrent();
  return status.ok() ? released : status;
}

absl::Status GlRenderer::DrawOnly(const Canvas& canvas) {
  RL_RETURN_IF_ERROR(CheckCanvas(canvas));
  RL_RETURN_IF_ERROR(backend_->MakeCurrent());
  absl::Status status = Draw(canvas);
  glFinish();
  const absl::Status released = backend_->ReleaseCurrent();
  return status.ok() ? released : status;
}

absl::Status GlRenderer::Submit(const Canvas& canvas) {
  RL_RETURN_IF_ERROR(CheckCanvas(canvas));
  if (pending_ >= static_cast<int>(slots_.size())) {
    return absl::FailedPreconditionError(
        absl::StrCat("Submit with ", pending_,
                     " frames in flight, the most this renderer "
                     "allows (frames_in_flight): Retrieve one first"));
  }
  RL_RETURN_IF_ERROR(backend_->MakeCurrent());
  Slot& slot = slots_[(oldest_ + pending_) % slots_.size()];
  absl::Status status = Draw(canvas);
  if (status.ok()) {
    if (options_.readback == Readback::kPixelBuffers) {
      glBindBuffer(GL_PIXEL_PACK_BUFFER, slot.pixel_buffer);
      ReadPixels(nullptr);
      glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
      slot.fence = glFenceSync(GL_SYNC_GPU_COMMANDS_COMPLETE, 0);
      glFlush();  // Start the GPU now, not at Retrieve.
    } else {
      slot.pixels.resize(readback_bytes_);
      ReadPixels(slot.pixels.data());
    }
    status = CheckGl("submitting a frame");
    if (status.ok()) ++pending_;
  }
  const absl::Status released = backend_->ReleaseCurrent();
  return status.ok() ? released : status;
}

absl::Status GlRenderer::Retrieve(Frame* frame) {
  if (frame == nullptr) {
    return absl::InvalidArgumentError(
        "Retrieve needs a Frame to fill, got null");
  }
  if (pending_ == 0) {
    return absl::FailedPreconditionError(
        "Retrieve with no frame in flight: Submit a canvas first");
  }
  Slot& slot = slots_[oldest_];
  absl::Status status;
  if (options_.readback == Readback::kPixelBuffers) {
    RL_RETURN_IF_ERROR(backend_->MakeCurrent());
    const GLenum waited = glClientWaitSync(
        slot.fence, GL_SYNC_FLUSH_COMMANDS_BIT, kFenceTimeoutNs);
    if (waited == GL_TIMEOUT_EXPIRED || waited == GL_WAIT_FAILED) {
      status = absl::DeadlineExceededError(absl::StrCat(
          "the GPU did not finish a frame within ", kFenceTimeoutNs / 1e9,
          " s (", backend_->gl_renderer(), ")"));
    } else {
      glBindBuffer(GL_PIXEL_PACK_BUFFER, slot.pixel_buffer);
      const void* mapped = glMapBufferRange(
          GL_PIXEL_PACK_BUFFER, 0, static_cast<GLsizeiptr>(readback_bytes_),
          GL_MAP_READ_BIT);
      if (mapped == nullptr) {
        status = CheckGl("mapping a pixel buffer");
        if (status.ok()) {
          status = absl::InternalError("glMapBufferRange returned null");
        }
      } else {
        Convert(static_cast<const uint8_t*>(mapped), frame);
        glUnmapBuffer(GL_PIXEL_PACK_BUFFER);
      }
      glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
    }
    glDeleteSync(slot.fence);
    slot.fence = nullptr;
    const absl::Status released = backend_->ReleaseCurrent();
    if (status.ok()) status = released;
  } else {
    Convert(slot.pixels.data(), frame);
  }
  // The frame is consumed even on failure, so the pipeline does not jam.
  oldest_ = (oldest_ + 1) % slots_.size();
  --pending_;
  return status;
}

std::string GlRenderer::Describe() const {
  std::string antialiasing = options_.antialiasing == Antialiasing::kAnalytic
                                 ? "analytic antialiasing"
                             : options_.antialiasing == Antialiasing::kMsaa
                                 ? absl::StrCat(options_.msaa_samples, "x MSAA")
                                 : "no antialiasing";
  return absl::StrCat(
      options_.width, "x", options_.height, " ", FormatName(options_.format),
      ", ", antialiasing,
      options_.format == PixelFormat::kYuv420p
          ? (gpu_yuv_ ? ", YUV on the GPU" : ", YUV on the CPU")
          : "",
      options_.readback == Readback::kPixelBuffers
          ? absl::StrCat(", PBO readback (", slots_.size(), " in flight)")
          : ", direct readback",
      options_.fit == Fit::kLetterbox ? ", letterboxed" : "");
}

}  // namespace

PixelRect LetterboxRect(int canvas_width, int canvas_height, int frame_width,
                        int frame_height) {
  const double scale =
      std::min(static_cast<double>(frame_width) / canvas_width,
               static_cast<double>(frame_height) / canvas_height);
  PixelRect rect;
  rect.width = std::clamp(static_cast<int>(std::lround(canvas_width * scale)),
                          1, frame_width);
  rect.height = std::clamp(static_cast<int>(std::lround(canvas_height * scale)),
                           1, frame_height);
  rect.x = ((frame_width - rect.width) / 2) & ~1;
  rect.y = ((frame_height - rect.height) / 2) & ~1;
  return rect;
}

absl::StatusOr<std::unique_ptr<Renderer>> Renderer::Create(
    std::unique_ptr<RenderBackend> backend, const RendererOptions& options) {
  if (options.width < 1 || options.width > kMaxSize || options.height < 1 ||
      options.height > kMaxSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "renderer size ", options.width, "x", options.height,
        " is invalid: width and height must each be in 1..", kMaxSize));
  }
  if (options.frames_in_flight < 1 ||
      options.frames_in_flight > kMaxFramesInFlight) {
    return absl::InvalidArgumentError(
        absl::StrCat("frames_in_flight ", options.frames_in_flight,
                     " is invalid: it must be in 1..", kMaxFramesInFlight));
  }
  if (backend == nullptr) {
    return absl::InvalidArgumentError("Renderer::Create needs a backend");
  }
  auto renderer = std::make_unique<GlRenderer>(std::move(backend), options);
  // On failure the destructor deletes whatever Init made.
  RL_RETURN_IF_ERROR(renderer->Init());
  return renderer;
}

}  // namespace rl
