// OpenGL helpers shared by the scene renderers: see canvas_gl.h. Moved here
// unchanged from renderer.cc.
#include "rl/render/canvas_gl.h"

#include <GL/glcorearb.h>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "rl/core/status_macros.h"
#include "rl/render/tessellator.h"

namespace rl {
namespace gl {

const char kCanvasVertexShader[] = R"glsl(#version 330 core
layout(location = 0) in vec2 position;  // Frame pixels.
layout(location = 1) in vec4 color;
layout(location = 2) in vec2 st;
// 2 / frame size: maps pixel (0, 0) to NDC (-1, -1). Canvas y grows down and
// lands on rows that glReadPixels returns first, so frames need no flip.
uniform vec2 scale;
// Identity for RGB; RGB to BT.709 YUV (limited range) for YUV frames.
uniform mat4 color_matrix;
flat out vec4 v_color;
out vec2 v_st;
void main() {
  gl_Position = vec4(position * scale - 1.0, 0.0, 1.0);
  v_color = vec4((color_matrix * vec4(color.rgb, 1.0)).rgb, color.a);
  v_st = st;
}
)glsl";

// Coverage: for shapes (t < 0) the interpolated fringe value s; for text,
// the font atlas looked up "sharp bilinear": between two font pixels the
// weight ramps over one frame pixel, a box filter of the magnified bitmap.
const char kCanvasFragmentShader[] = R"glsl(#version 330 core
flat in vec4 v_color;
in vec2 v_st;
uniform sampler2D font_atlas;
uniform vec2 atlas_size;
uniform bool smooth_text;
layout(location = 0) out vec4 out0;  // RGB, or luma in .r.
layout(location = 1) out vec4 out1;  // YUV frames: chroma in .rg.
void main() {
  vec2 footprint = max(fwidth(v_st), vec2(1e-6));
  float coverage = v_st.x;
  if (v_st.y >= 0.0) {
    vec2 f = fract(v_st - 0.5);
    vec2 w = smooth_text ? clamp((f - 0.5) / footprint + 0.5, 0.0, 1.0)
                         : step(0.5, f);
    coverage = texture(font_atlas, (floor(v_st - 0.5) + 0.5 + w) / atlas_size).r;
    if (!smooth_text) coverage = step(0.5, coverage);
  }
  float alpha = v_color.a * clamp(coverage, 0.0, 1.0);
  out0 = vec4(v_color.rgb, alpha);
  out1 = vec4(v_color.g, v_color.b, 0.0, alpha);
}
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

namespace {

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

}  // namespace

absl::StatusOr<GLuint> LinkProgram(const char* vertex_source,
                                   const char* fragment_source,
                                   absl::string_view kind) {
  RL_ASSIGN_OR_RETURN(GLuint vertex,
                      CompileShader(GL_VERTEX_SHADER, vertex_source,
                                    absl::StrCat(kind, " vertex")));
  absl::StatusOr<GLuint> fragment = CompileShader(
      GL_FRAGMENT_SHADER, fragment_source, absl::StrCat(kind, " fragment"));
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
    return absl::InternalError(absl::StrCat(
        "linking the ", kind, " shader program failed: ", log.c_str()));
  }
  return program;
}

GLuint MakeTexture(GLenum internal_format, GLenum format, int width, int height,
                   GLenum filter, const void* pixels) {
  GLuint texture = 0;
  glGenTextures(1, &texture);
  glBindTexture(GL_TEXTURE_2D, texture);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexImage2D(GL_TEXTURE_2D, 0, internal_format, width, height, 0, format,
               GL_UNSIGNED_BYTE, pixels);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, filter);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, filter);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAX_LEVEL, 0);
  return texture;
}

std::string ProfileMismatch(GlProfile wanted, const std::string& gl_version) {
  GLint mask = 0;
  glGetIntegerv(GL_CONTEXT_PROFILE_MASK, &mask);
  const GLint bit = wanted == GlProfile::kCore
                        ? GL_CONTEXT_CORE_PROFILE_BIT
                        : GL_CONTEXT_COMPATIBILITY_PROFILE_BIT;
  if ((mask & bit) != 0) return "";
  return absl::StrCat("asked for an OpenGL ", GlProfileName(wanted),
                      " profile context, the driver gave \"", gl_version,
                      "\" (GL_CONTEXT_PROFILE_MASK 0x", absl::Hex(mask), ")");
}

void MakeVertexArray(GLuint* vertex_array, GLuint* vertex_buffer) {
  glGenVertexArrays(1, vertex_array);
  glBindVertexArray(*vertex_array);
  glGenBuffers(1, vertex_buffer);
  glBindBuffer(GL_ARRAY_BUFFER, *vertex_buffer);
  glEnableVertexAttribArray(0);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, sizeof(Vertex),
                        reinterpret_cast<const void*>(offsetof(Vertex, x)));
  glEnableVertexAttribArray(1);
  glVertexAttribPointer(1, 4, GL_UNSIGNED_BYTE, GL_TRUE, sizeof(Vertex),
                        reinterpret_cast<const void*>(offsetof(Vertex, r)));
  glEnableVertexAttribArray(2);
  glVertexAttribPointer(2, 2, GL_FLOAT, GL_FALSE, sizeof(Vertex),
                        reinterpret_cast<const void*>(offsetof(Vertex, s)));
}

}  // namespace gl
}  // namespace rl
