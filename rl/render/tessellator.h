// Tessellator: a Canvas as triangles in frame (device) pixels, on the CPU.
// Internal to the Renderer; separate so it can be tested without GL.
//
// Antialiasing is analytic: every polygon edge (lines and circles are
// polygons too) gets a one-pixel fringe whose coverage falls from 1 to 0
// across the edge, and the fill is inset by half a pixel to make room, so an
// edge's pixels get (about) the fraction of them the shape covers, like a
// box filter. Shapes thinner than a pixel get lighter instead of vanishing.
// This costs a few triangles per edge instead of MSAA's several samples per
// pixel and resolve pass, which on llvmpipe is most of the frame time.
// Without antialiasing, shapes are exact triangles and lines stay at least
// one pixel wide.
//
// Text becomes one quad per glyph, with texture coordinates into the font
// atlas (font.h); the fragment shader turns those into coverage.
//
// Example:
//   Tessellator tessellator;
//   std::vector<Vertex> vertices;
//   tessellator.Tessellate(canvas, 600, 400, /*antialias=*/true, &vertices);
#ifndef RL_RENDER_TESSELLATOR_H_
#define RL_RENDER_TESSELLATOR_H_

#include <cstdint>
#include <vector>

#include "rl/canvas/canvas.h"

namespace rl {

struct Vertex {
  float x;  // Frame pixels, (0, 0) the top left corner of the frame.
  float y;
  uint8_t r;  // Straight (not premultiplied) colour.
  uint8_t g;
  uint8_t b;
  uint8_t a;
  // Shapes: s is the coverage (0..1) and t is -1. Text: font atlas texel
  // coordinates (both >= 0).
  float s;
  float t;
};
static_assert(sizeof(Vertex) == 20, "Vertex must be tightly packed");

class Tessellator {
 public:
  // Replaces `out` with `canvas`'s shapes, in order, as a triangle list,
  // the canvas stretched to width x height pixels.
  void Tessellate(const Canvas& canvas, int width, int height, bool antialias,
                  std::vector<Vertex>* out);

 private:
  void AddPolygon(const std::vector<Point>& device_points, Color color);
  void AddCircle(const CircleShape& circle, Color color);
  void AddLine(const LineShape& line, Color color);
  void AddText(const TextShape& text);
  // Fills triangles_ with index triples of `points`; false if degenerate.
  bool Triangulate(const std::vector<Point>& points, double sign);
  void Emit(Point p, Color color, float s, float t = -1);

  std::vector<Vertex>* out_ = nullptr;
  bool antialias_ = true;
  float scale_x_ = 1;  // Frame pixels per canvas pixel.
  float scale_y_ = 1;
  // Reused across calls, so steady-state tessellation does not allocate.
  std::vector<Point> points_;   // A shape's points in frame pixels.
  std::vector<Point> corners_;  // The same without repeats.
  std::vector<Point> inner_;
  std::vector<Point> outer_;
  std::vector<int> triangles_;
  std::vector<int> ears_;
};

}  // namespace rl

#endif  // RL_RENDER_TESSELLATOR_H_
