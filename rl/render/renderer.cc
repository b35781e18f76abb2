// The one Renderer: OpenGL 3.3 core, whatever backend supplies the context.
//
// Each frame the canvas is tessellated on the CPU into one vertex array
// (triangles with a colour per vertex), uploaded with one glBufferData and
// drawn with one glDrawArrays into a multisampled framebuffer object, which
// is resolved with glBlitFramebuffer and read back with glReadPixels.
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
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "rl/canvas/canvas.h"
#include "rl/core/frame.h"
#include "rl/core/status_macros.h"
#include "rl/render/render_backend.h"

namespace rl {
namespace {

constexpr int kMaxSize = 8192;
constexpr double kPi = 3.14159265358979323846;
// Circles get about one segment per pixel of on-screen radius, within these.
constexpr int kMinCircleSegments = 16;
constexpr int kMaxCircleSegments = 512;

struct Vertex {
  float x;  // Canvas (logical) coordinates.
  float y;
  uint8_t r;
  uint8_t g;
  uint8_t b;
  uint8_t a;
};
static_assert(sizeof(Vertex) == 12, "Vertex must be tightly packed");

constexpr char kVertexShader[] = R"glsl(#version 330 core
layout(location = 0) in vec2 position;
layout(location = 1) in vec4 color;
// 2 / canvas size: maps canvas (0, 0) to NDC (-1, -1) and the canvas' far
// corner to (1, 1). Canvas y grows down and lands on rows that glReadPixels
// returns first, so frames need no flip.
uniform vec2 scale;
flat out vec4 v_color;
void main() {
  gl_Position = vec4(position * scale - 1.0, 0.0, 1.0);
  v_color = color;
}
)glsl";

constexpr char kFragmentShader[] = R"glsl(#version 330 core
flat in vec4 v_color;
out vec4 frag_color;
void main() { frag_color = v_color; }
)glsl";

std::string GlErrorName(GLenum error) {
  switch (error) {
    case GL_INVALID_ENUM:
      return "GL_INVALID_ENUM";
    case GL_INVALID_VALUE:
      return "GL_INVALID_VALUE";
    case GL_INVALID_OPERATION:
      return "GL_INVALID_OPERATION";
    case GL_INVALID_FRAMEBUFFER_OPERATION:
      return "GL_INVALID_FRAMEBUFFER_OPERATION";
    case GL_OUT_OF_MEMORY:
      return "GL_OUT_OF_MEMORY";
    case GL_STACK_UNDERFLOW:
      return "GL_STACK_UNDERFLOW";
    case GL_STACK_OVERFLOW:
      return "GL_STACK_OVERFLOW";
  }
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "GL error 0x%04x",
                static_cast<unsigned>(error));
  return buffer;
}

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

// Clears any pending GL errors, so the next check sees only new ones.
void DrainGlErrors() {
  for (int i = 0; i < 16 && glGetError() != GL_NO_ERROR; ++i) {
  }
}

// An error if GL flagged one since the last check; `what` names the step.
absl::Status CheckGl(absl::string_view what) {
  const GLenum error = glGetError();
  if (error == GL_NO_ERROR) return absl::OkStatus();
  DrainGlErrors();
  const std::string message =
      absl::StrCat("OpenGL error ", GlErrorName(error), " while ", what);
  return error == GL_OUT_OF_MEMORY ? absl::ResourceExhaustedError(message)
                                   : absl::InternalError(message);
}

absl::StatusOr<GLuint> CompileShader(GLenum type, const char* source,
                                     absl::string_view kind) {
  const GLuint shader = glCreateShader(type);
  if (shader == 0) {
    return absl::InternalError(
        absl::StrCat("glCreateShader(", kind, ") failed"));
  }
  glShaderSource(shader, 1, &source, nullptr);
  glCompileShader(shader);
  GLint ok = GL_FALSE;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  if (ok != GL_TRUE) {
    GLint length = 0;
    glGetShaderiv(shader, GL_INFO_LOG_LENGTH, &length);
    std::string log(std::max(length, 1), '\0');
    glGetShaderInfoLog(shader, length, nullptr, log.data());
    glDeleteShader(shader);
    return absl::InternalError(
        absl::StrCat("compiling the ", kind, " shader failed: ", log.c_str()));
  }
  return shader;
}

absl::StatusOr<GLuint> LinkProgram() {
  RL_ASSIGN_OR_RETURN(GLuint vertex,
                      CompileShader(GL_VERTEX_SHADER, kVertexShader, "vertex"));
  absl::StatusOr<GLuint> fragment =
      CompileShader(GL_FRAGMENT_SHADER, kFragmentShader, "fragment");
  if (!fragment.ok()) {
    glDeleteShader(vertex);
    return fragment.status();
  }
  const GLuint program = glCreateProgram();
  glAttachShader(program, vertex);
  glAttachShader(program, *fragment);
  glLinkProgram(program);
  // The program keeps what it needs; the shaders go when it does.
  glDeleteShader(vertex);
  glDeleteShader(*fragment);
  GLint ok = GL_FALSE;
  glGetProgramiv(program, GL_LINK_STATUS, &ok);
  if (ok != GL_TRUE) {
    GLint length = 0;
    glGetProgramiv(program, GL_INFO_LOG_LENGTH, &length);
    std::string log(std::max(length, 1), '\0');
    glGetProgramInfoLog(program, length, nullptr, log.data());
    glDeleteProgram(program);
    return absl::InternalError(
        absl::StrCat("linking the shader program failed: ", log.c_str()));
  }
  return program;
}

bool IsFinite(const Point& p) {
  return std::isfinite(p.x) && std::isfinite(p.y);
}

double Cross(const Point& o, const Point& a, const Point& b) {
  return (static_cast<double>(a.x) - o.x) * (static_cast<double>(b.y) - o.y) -
         (static_cast<double>(a.y) - o.y) * (static_cast<double>(b.x) - o.x);
}

// Whether `p` is inside or on the triangle (a, b, c) of orientation `sign`.
bool InTriangle(const Point& p, const Point& a, const Point& b, const Point& c,
                double sign) {
  return sign * Cross(a, b, p) >= 0 && sign * Cross(b, c, p) >= 0 &&
         sign * Cross(c, a, p) >= 0;
}

class GlRenderer : public Renderer {
 public:
  GlRenderer(std::unique_ptr<RenderBackend> backend,
             const RendererOptions& options)
      : backend_(std::move(backend)),
        width_(options.width),
        height_(options.height),
        requested_samples_(options.msaa_samples) {}

  ~GlRenderer() override {
    // Without the context the objects cannot be named; they go with it when
    // the backend destroys it.
    if (!backend_->MakeCurrent().ok()) return;
    glDeleteProgram(program_);
    glDeleteVertexArrays(1, &vertex_array_);
    glDeleteBuffers(1, &vertex_buffer_);
    glDeleteFramebuffers(1, &msaa_framebuffer_);
    glDeleteRenderbuffers(1, &msaa_renderbuffer_);
    glDeleteFramebuffers(1, &resolve_framebuffer_);
    glDeleteRenderbuffers(1, &resolve_renderbuffer_);
    backend_->ReleaseCurrent().IgnoreError();
  }

  // Creates the GL objects, leaving no context current.
  absl::Status Init();

  absl::Status Render(const Canvas& canvas, Frame* frame) override;

  const RenderBackend& backend() const override { return *backend_; }
  int width() const override { return width_; }
  int height() const override { return height_; }

 private:
  absl::Status InitGl();
  absl::Status Draw(const Canvas& canvas, Frame* frame);

  // Appends triangles for `canvas` to vertices_, in canvas coordinates.
  void Tessellate(const Canvas& canvas);
  void AddTriangle(const Point& a, const Point& b, const Point& c,
                   const Color& color);
  void AddPolygon(const std::vector<Point>& points, const Color& color);
  void AddCircle(const Point& center, float radius, const Color& color);
  void AddLine(const Point& from, const Point& to, float width,
               const Color& color);

  std::unique_ptr<RenderBackend> backend_;  // Declared first: outlives GL.
  const int width_;
  const int height_;
  const int requested_samples_;
  int samples_ = 0;  // 0: single-sampled, drawn straight into resolve.

  GLuint program_ = 0;
  GLint scale_location_ = -1;
  GLuint vertex_array_ = 0;
  GLuint vertex_buffer_ = 0;
  GLuint msaa_framebuffer_ = 0;
  GLuint msaa_renderbuffer_ = 0;
  GLuint resolve_framebuffer_ = 0;
  GLuint resolve_renderbuffer_ = 0;

  // Device pixels per canvas pixel for the frame being tessellated.
  float scale_x_ = 1;
  float scale_y_ = 1;
  // Reused across frames so steady-state rendering does not allocate.
  std::vector<Vertex> vertices_;
  std::vector<int> ear_indices_;
  std::vector<uint8_t> rgba_;  // Read-back pixels before packing to RGB.
};

absl::Status GlRenderer::Init() {
  RL_RETURN_IF_ERROR(backend_->MakeCurrent());
  const absl::Status status = InitGl();
  const absl::Status released = backend_->ReleaseCurrent();
  return status.ok() ? released : status;
}

absl::Status GlRenderer::InitGl() {
  DrainGlErrors();
  GLint max_samples = 0;
  glGetIntegerv(GL_MAX_SAMPLES, &max_samples);
  samples_ = requested_samples_ <= 1 || max_samples <= 1
                 ? 0
                 : std::min(requested_samples_, max_samples);
  GLint max_renderbuffer_size = 0;
  GLint max_viewport[2] = {0, 0};
  glGetIntegerv(GL_MAX_RENDERBUFFER_SIZE, &max_renderbuffer_size);
  glGetIntegerv(GL_MAX_VIEWPORT_DIMS, max_viewport);
  const int max_width = std::min(max_renderbuffer_size, max_viewport[0]);
  const int max_height = std::min(max_renderbuffer_size, max_viewport[1]);
  if (width_ > max_width || height_ > max_height) {
    return absl::InvalidArgumentError(
        absl::StrCat("renderer size ", width_, "x", height_, " is larger than ",
                     backend_->gl_renderer(), " supports (", max_width, "x",
                     max_height, "); ask for a smaller frame"));
  }

  // Resolve target: single-sampled RGBA8, what glReadPixels reads.
  glGenRenderbuffers(1, &resolve_renderbuffer_);
  glBindRenderbuffer(GL_RENDERBUFFER, resolve_renderbuffer_);
  glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, width_, height_);
  glGenFramebuffers(1, &resolve_framebuffer_);
  glBindFramebuffer(GL_FRAMEBUFFER, resolve_framebuffer_);
  glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0,
                            GL_RENDERBUFFER, resolve_renderbuffer_);
  RL_RETURN_IF_ERROR(CheckGl(absl::StrCat("creating the ", width_, "x", height_,
                                          " RGBA8 resolve framebuffer")));
  GLenum status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
  if (status != GL_FRAMEBUFFER_COMPLETE) {
    return absl::InternalError(
        absl::StrCat("the resolve framebuffer is incomplete: ",
                     FramebufferStatusName(status)));
  }

  if (samples_ > 0) {
    glGenRenderbuffers(1, &msaa_renderbuffer_);
    glBindRenderbuffer(GL_RENDERBUFFER, msaa_renderbuffer_);
    glRenderbufferStorageMultisample(GL_RENDERBUFFER, samples_, GL_RGBA8,
                                     width_, height_);
    glGenFramebuffers(1, &msaa_framebuffer_);
    glBindFramebuffer(GL_FRAMEBUFFER, msaa_framebuffer_);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0,
                              GL_RENDERBUFFER, msaa_renderbuffer_);
    RL_RETURN_IF_ERROR(CheckGl(absl::StrCat("creating the ", width_, "x",
                                            height_, " RGBA8 framebuffer with ",
                                            samples_, " samples")));
    status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
    if (status != GL_FRAMEBUFFER_COMPLETE) {
      return absl::InternalError(absl::StrCat(
          "the multisampled framebuffer (", samples_,
          " samples) is incomplete: ", FramebufferStatusName(status),
          "; try msaa_samples = 0"));
    }
  }
  glBindRenderbuffer(GL_RENDERBUFFER, 0);

  RL_ASSIGN_OR_RETURN(program_, LinkProgram());
  scale_location_ = glGetUniformLocation(program_, "scale");
  if (scale_location_ < 0) {
    return absl::InternalError("the shader program has no uniform 'scale'");
  }

  glGenVertexArrays(1, &vertex_array_);
  glBindVertexArray(vertex_array_);
  glGenBuffers(1, &vertex_buffer_);
  glBindBuffer(GL_ARRAY_BUFFER, vertex_buffer_);
  glEnableVertexAttribArray(0);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, sizeof(Vertex),
                        reinterpret_cast<const void*>(offsetof(Vertex, x)));
  glEnableVertexAttribArray(1);
  glVertexAttribPointer(1, 4, GL_UNSIGNED_BYTE, GL_TRUE, sizeof(Vertex),
                        reinterpret_cast<const void*>(offsetof(Vertex, r)));

  // The context is this renderer's alone, so fixed state is set once.
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_CULL_FACE);  // The y flip reverses every winding.
  glEnable(GL_BLEND);
  glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE,
                      GL_ONE_MINUS_SRC_ALPHA);
  if (samples_ > 0) glEnable(GL_MULTISAMPLE);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glViewport(0, 0, width_, height_);
  return CheckGl("setting up the shader program and vertex array");
}

absl::Status GlRenderer::Render(const Canvas& canvas, Frame* frame) {
  if (frame == nullptr) {
    return absl::InvalidArgumentError("Render needs a Frame to fill, got null");
  }
  if (canvas.width() <= 0 || canvas.height() <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot render a ", canvas.width(), "x", canvas.height(),
                     " canvas: both sides must be > 0"));
  }
  RL_RETURN_IF_ERROR(backend_->MakeCurrent());
  const absl::Status status = Draw(canvas, frame);
  // Leave no context current, so the next call (or the destructor) may come
  // from any thread.
  const absl::Status released = backend_->ReleaseCurrent();
  return status.ok() ? released : status;
}

absl::Status GlRenderer::Draw(const Canvas& canvas, Frame* frame) {
  scale_x_ = static_cast<float>(width_) / canvas.width();
  scale_y_ = static_cast<float>(height_) / canvas.height();
  vertices_.clear();
  Tessellate(canvas);

  glBindFramebuffer(GL_FRAMEBUFFER,
                    samples_ > 0 ? msaa_framebuffer_ : resolve_framebuffer_);
  const Color background = canvas.background();
  glClearColor(background.r / 255.0f, background.g / 255.0f,
               background.b / 255.0f, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);

  if (!vertices_.empty()) {
    glUseProgram(program_);
    glUniform2f(scale_location_, 2.0f / canvas.width(), 2.0f / canvas.height());
    glBindVertexArray(vertex_array_);
    glBindBuffer(GL_ARRAY_BUFFER, vertex_buffer_);
    // A fresh store each frame (orphaning): no wait on last frame's draw.
    glBufferData(GL_ARRAY_BUFFER,
                 static_cast<GLsizeiptr>(vertices_.size() * sizeof(Vertex)),
                 vertices_.data(), GL_STREAM_DRAW);
    glDrawArrays(GL_TRIANGLES, 0, static_cast<GLsizei>(vertices_.size()));
  }

  if (samples_ > 0) {
    glBindFramebuffer(GL_READ_FRAMEBUFFER, msaa_framebuffer_);
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, resolve_framebuffer_);
    glBlitFramebuffer(0, 0, width_, height_, 0, 0, width_, height_,
                      GL_COLOR_BUFFER_BIT, GL_NEAREST);
  }

  frame->Reset(width_, height_);  // Keeps the allocation of a reused frame.
  // RGBA is the renderbuffer's own layout, so Mesa copies it straight out;
  // packing to RGB here beats asking GL for GL_RGB (0.11 vs 0.18 ms at
  // 600x400 on llvmpipe).
  const size_t pixels = static_cast<size_t>(width_) * height_;
  rgba_.resize(pixels * 4);
  glBindFramebuffer(GL_READ_FRAMEBUFFER, resolve_framebuffer_);
  glReadPixels(0, 0, width_, height_, GL_RGBA, GL_UNSIGNED_BYTE, rgba_.data());
  RL_RETURN_IF_ERROR(CheckGl("drawing and reading back a frame"));
  const uint8_t* from = rgba_.data();
  uint8_t* to = frame->data();
  for (size_t i = 0; i < pixels; ++i, from += 4, to += 3) {
    to[0] = from[0];
    to[1] = from[1];
    to[2] = from[2];
  }
  return absl::OkStatus();
}

void GlRenderer::Tessellate(const Canvas& canvas) {
  for (const Shape& shape : canvas.shapes()) {
    if (const auto* polygon = std::get_if<PolygonShape>(&shape)) {
      AddPolygon(polygon->points, polygon->color);
    } else if (const auto* circle = std::get_if<CircleShape>(&shape)) {
      AddCircle(circle->center, circle->radius, circle->color);
    } else if (const auto* line = std::get_if<LineShape>(&shape)) {
      AddLine(line->from, line->to, line->width, line->color);
    }
  }
}

void GlRenderer::AddTriangle(const Point& a, const Point& b, const Point& c,
                             const Color& color) {
  vertices_.push_back(Vertex{a.x, a.y, color.r, color.g, color.b, color.a});
  vertices_.push_back(Vertex{b.x, b.y, color.r, color.g, color.b, color.a});
  vertices_.push_back(Vertex{c.x, c.y, color.r, color.g, color.b, color.a});
}

void GlRenderer::AddPolygon(const std::vector<Point>& points,
                            const Color& color) {
  const int n = static_cast<int>(points.size());
  if (n < 3 || color.a == 0) return;
  double area2 = 0;  // Twice the signed area.
  for (int i = 0; i < n; ++i) {
    const Point& p = points[i];
    if (!IsFinite(p)) return;
    const Point& q = points[(i + 1) % n];
    area2 += static_cast<double>(p.x) * q.y - static_cast<double>(q.x) * p.y;
  }
  if (!(area2 != 0)) return;  // Degenerate (or NaN): nothing to fill.
  const double sign = area2 > 0 ? 1 : -1;

  // Convex (every turn the same way as the whole): a fan.
  bool convex = true;
  for (int i = 0; i < n && convex; ++i) {
    convex =
        sign * Cross(points[i], points[(i + 1) % n], points[(i + 2) % n]) >= 0;
  }
  if (convex) {
    for (int i = 1; i + 1 < n; ++i) {
      AddTriangle(points[0], points[i], points[i + 1], color);
    }
    return;
  }

  // Concave: ear clipping. An ear is a convex corner whose triangle holds no
  // other remaining vertex; cutting it off leaves a simple polygon.
  std::vector<int>& idx = ear_indices_;
  idx.resize(n);
  for (int i = 0; i < n; ++i) idx[i] = i;
  int m = n;
  int k = 0;
  int misses = 0;  // Corners looked at since the last ear.
  while (m > 3) {
    if (misses >= m) break;  // Not simple after all (or rounding): fan it.
    const int prev = idx[(k + m - 1) % m];
    const int cur = idx[k];
    const int next = idx[(k + 1) % m];
    const Point& a = points[prev];
    const Point& b = points[cur];
    const Point& c = points[next];
    const double turn = sign * Cross(a, b, c);
    bool ear = turn > 0;
    if (turn == 0) {
      // A straight (or doubled-back) corner: drop it, it covers no area.
      idx.erase(idx.begin() + k);
      --m;
      if (k >= m) k = 0;
      misses = 0;
      continue;
    }
    for (int j = 0; ear && j < m; ++j) {
      const int other = idx[j];
      if (other == prev || other == cur || other == next) continue;
      const Point& p = points[other];
      if ((p.x == a.x && p.y == a.y) || (p.x == c.x && p.y == c.y)) continue;
      if (InTriangle(p, a, b, c, sign)) ear = false;
    }
    if (ear) {
      AddTriangle(a, b, c, color);
      idx.erase(idx.begin() + k);
      --m;
      if (k >= m) k = 0;
      misses = 0;
    } else {
      k = (k + 1) % m;
      ++misses;
    }
  }
  for (int i = 1; i + 1 < m; ++i) {
    AddTriangle(points[idx[0]], points[idx[i]], points[idx[i + 1]], color);
  }
}

void GlRenderer::AddCircle(const Point& center, float radius,
                           const Color& color) {
  if (!(radius > 0) || !std::isfinite(radius) || !IsFinite(center) ||
      color.a == 0) {
    return;
  }
  const double radius_px = radius * std::max(scale_x_, scale_y_);
  const int segments = static_cast<int>(
      std::clamp(std::ceil(radius_px), static_cast<double>(kMinCircleSegments),
                 static_cast<double>(kMaxCircleSegments)));
  // The inscribed polygon is a little smaller than the disc; grow it so
  // their areas match.
  const double step = 2 * kPi / segments;
  const double r = radius * std::sqrt(step / std::sin(step));
  const double cos_step = std::cos(step);
  const double sin_step = std::sin(step);
  double dx = r;  // Rotated by `step` each segment.
  double dy = 0;
  const Point first{static_cast<float>(center.x + r), center.y};
  Point previous = first;
  for (int i = 1; i <= segments; ++i) {
    const double next_dx = dx * cos_step - dy * sin_step;
    dy = dx * sin_step + dy * cos_step;
    dx = next_dx;
    const Point point = i == segments
                            ? first
                            : Point{static_cast<float>(center.x + dx),
                                    static_cast<float>(center.y + dy)};
    AddTriangle(center, previous, point, color);
    previous = point;
  }
}

void GlRenderer::AddLine(const Point& from, const Point& to, float width,
                         const Color& color) {
  if (!(width > 0) || !std::isfinite(width) || !IsFinite(from) ||
      !IsFinite(to) || color.a == 0) {
    return;
  }
  const double dx = static_cast<double>(to.x) - from.x;
  const double dy = static_cast<double>(to.y) - from.y;
  const double length = std::hypot(dx, dy);
  if (!(length > 0)) return;  // No direction: flat ends leave nothing.
  // Half the width along the unit normal, in canvas pixels.
  double half = width / 2.0;
  // On screen the quad is (width * px_per_width) device pixels thick, where
  // the canvas-to-frame stretch sets px_per_width. Keep at least one device
  // pixel, so a thin line always covers a pixel centre and stays visible.
  const double device_length = std::hypot(dx * scale_x_, dy * scale_y_);
  const double px_per_width = scale_x_ * scale_y_ * length / device_length;
  half = std::max(half, 0.5 / px_per_width);
  const double nx = -dy / length * half;
  const double ny = dx / length * half;
  const Point a{static_cast<float>(from.x + nx),
                static_cast<float>(from.y + ny)};
  const Point b{static_cast<float>(from.x - nx),
                static_cast<float>(from.y - ny)};
  const Point c{static_cast<float>(to.x - nx), static_cast<float>(to.y - ny)};
  const Point d{static_cast<float>(to.x + nx), static_cast<float>(to.y + ny)};
  AddTriangle(a, b, c, color);
  AddTriangle(a, c, d, color);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Renderer>> Renderer::Create(
    std::unique_ptr<RenderBackend> backend, const RendererOptions& options) {
  if (options.width < 1 || options.width > kMaxSize || options.height < 1 ||
      options.height > kMaxSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "renderer size ", options.width, "x", options.height,
        " is invalid: width and height must each be in 1..", kMaxSize));
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
