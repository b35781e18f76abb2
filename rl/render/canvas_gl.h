// OpenGL pieces shared by the scene renderers (the 2D Renderer, and
// MujocoRenderer's 2D layer over a 3D scene): the canvas shaders, which
// draw a Tessellator's vertices, and GL error and object helpers. OpenGL
// 3.3, core or compatibility profile; every function needs a current
// context. Internal to rl/render.
#ifndef RL_RENDER_CANVAS_GL_H_
#define RL_RENDER_CANVAS_GL_H_

#include <GL/glcorearb.h>

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rl/render/render_backend.h"

namespace rl {
namespace gl {

// GLSL 330 shaders for Tessellator vertices (tessellator.h). Attributes:
// 0 position (frame pixels), 1 colour (normalised bytes), 2 st (coverage,
// font atlas coordinates). Uniforms: `scale` (2 / frame size: pixel (0, 0)
// lands on NDC (-1, -1), GL's bottom row), `color_matrix` (identity for
// RGB), `font_atlas` (texture unit), `atlas_size`, `smooth_text`. Output 0
// is straight RGB with coverage in alpha, for
// glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE,
// GL_ONE_MINUS_SRC_ALPHA); output 1 (chroma) is for the Renderer's YUV.
extern const char kCanvasVertexShader[];
extern const char kCanvasFragmentShader[];

// "GL_INVALID_ENUM", or "GL error 0x1234".
std::string GlErrorName(GLenum error);

// Clears any pending GL errors, so the next check sees only new ones.
void DrainGlErrors();

// An error if GL flagged one since the last check; `what` names the step.
// ResourceExhausted for GL_OUT_OF_MEMORY, Internal otherwise.
absl::Status CheckGl(absl::string_view what);

// Compiles and links a program; Internal with the driver's log on failure.
absl::StatusOr<GLuint> LinkProgram(const char* vertex_source,
                                   const char* fragment_source,
                                   absl::string_view kind);

// Whether the current context is of `wanted` profile (GL_CONTEXT_PROFILE_
// MASK): "" if so, else what the driver gave instead, e.g. `asked for an
// OpenGL compatibility profile context, the driver gave "4.5 (Core
// Profile) Mesa 22.3.6" (GL_CONTEXT_PROFILE_MASK 0x1)`, for a backend to
// return with its own hint.
std::string ProfileMismatch(GlProfile wanted, const std::string& gl_version);

// A vertex array and its buffer for Tessellator vertices, laid out as the
// canvas shaders read them (attributes 0 position, 1 colour, 2 st); both
// are left bound.
void MakeVertexArray(GLuint* vertex_array, GLuint* vertex_buffer);

// A 2D texture with clamped edges, no mipmaps, bound to the active unit.
GLuint MakeTexture(GLenum internal_format, GLenum format, int width, int height,
                   GLenum filter, const void* pixels = nullptr);

}  // namespace gl
}  // namespace rl

#endif  // RL_RENDER_CANVAS_GL_H_
