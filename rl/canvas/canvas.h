// Canvas: the 2D picture an environment draws of its state, as a list of
// shapes. Envs fill a canvas; renderers (rl/render) turn it into pixels. The
// canvas itself knows nothing about OpenGL, so envs never touch GL.
//
// Coordinates are logical pixels of the canvas' own size, origin at the top
// left, x to the right, y down. A renderer scales the canvas to whatever frame
// size it was asked for. Shapes are painted in the order they were added.
//
// Example:
//   Canvas canvas(600, 400, kWhite);
//   canvas.FillPolygon({{275, 285}, {325, 285}, {325, 315}, {275, 315}},
//                      Color{0, 0, 0});
//   canvas.FillCircle({300, 292.5}, 5, Color{129, 132, 203});
//   canvas.DrawLine({0, 300}, {600, 300}, 1, Color{0, 0, 0});
//
//   // Composition: a 2x2 grid of half-size copies (what a vector env's tiled
//   // rendering does), each clipped to its own tile.
//   Canvas grid(600, 400, kBlack);
//   grid.DrawCanvas(canvas, {0, 0}, 0.5f);
//   grid.DrawCanvas(canvas, {300, 200}, 0.5f);
#ifndef RL_CANVAS_CANVAS_H_
#define RL_CANVAS_CANVAS_H_

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace rl {

struct Color {
  uint8_t r = 0;
  uint8_t g = 0;
  uint8_t b = 0;
  uint8_t a = 255;
  friend bool operator==(const Color& x, const Color& y) {
    return x.r == y.r && x.g == y.g && x.b == y.b && x.a == y.a;
  }
};

inline constexpr Color kWhite{255, 255, 255, 255};
inline constexpr Color kBlack{0, 0, 0, 255};

struct Point {
  float x = 0;
  float y = 0;
};

// An axis-aligned rectangle: top-left corner and size, in logical pixels.
// Empty (nothing) unless both sides are > 0.
struct Rect {
  float x = 0;
  float y = 0;
  float width = 0;
  float height = 0;
  bool empty() const { return !(width > 0 && height > 0); }
  // Whether the two share some area (touching edges do not count).
  bool Overlaps(const Rect& other) const {
    return !empty() && !other.empty() && x < other.x + other.width &&
           other.x < x + width && y < other.y + other.height &&
           other.y < y + height;
  }
};

// A filled simple polygon (convex or not, not self-intersecting), 3+ points.
struct PolygonShape {
  std::vector<Point> points;
  Color color;
};

// A filled disc.
struct CircleShape {
  Point center;
  float radius = 0;
  Color color;
};

// A straight segment of the given width (logical pixels), flat ends.
struct LineShape {
  Point from;
  Point to;
  float width = 1;
  Color color;
};

// A line of text in the renderer's built-in font: `top_left` is the top-left
// corner of the first glyph's cell, `height` the cell height in logical
// pixels (glyphs scale with it). Printable ASCII; other bytes draw as '?'.
struct TextShape {
  Point top_left;
  float height = 16;
  Color color;
  std::string text;
};

using Shape = std::variant<PolygonShape, CircleShape, LineShape, TextShape>;

class Canvas {
 public:
  // `width` x `height` logical pixels, both > 0, filled with `background`.
  Canvas(int width, int height, Color background = kWhite)
      : width_(width), height_(height), background_(background) {}

  int width() const { return width_; }
  int height() const { return height_; }
  Color background() const { return background_; }
  const std::vector<Shape>& shapes() const { return shapes_; }

  // Drops every shape and sets the background: start of a new picture.
  void Clear(Color background) {
    background_ = background;
    shapes_.clear();
  }
  // As Clear(), and sets a new logical size (both > 0).
  void Reset(int width, int height, Color background) {
    width_ = width;
    height_ = height;
    Clear(background);
  }

  void FillPolygon(std::vector<Point> points, Color color) {
    shapes_.push_back(PolygonShape{std::move(points), color});
  }
  void FillCircle(Point center, float radius, Color color) {
    shapes_.push_back(CircleShape{center, radius, color});
  }
  void DrawLine(Point from, Point to, float width, Color color) {
    shapes_.push_back(LineShape{from, to, width, color});
  }
  void DrawText(Point top_left, float height, Color color, std::string text) {
    shapes_.push_back(TextShape{top_left, height, color, std::move(text)});
  }
  // An axis-aligned filled rectangle with its top-left corner at (x, y).
  void FillRect(float x, float y, float width, float height, Color color) {
    FillPolygon(
        {{x, y}, {x + width, y}, {x + width, y + height}, {x, y + height}},
        color);
  }

  // Appends a copy of `source` scaled by `scale` (> 0) with its top-left
  // corner at `top_left`: first its background as a rectangle, then its
  // shapes in order, every coordinate, radius, line width and text height
  // multiplied by `scale`. The copy is clipped to the source's own bounds,
  // so what lies outside the source canvas (a cart that left the screen)
  // does not spill into neighbouring tiles: polygons are clipped exactly,
  // circles that cross the border become clipped polygons, lines are
  // clipped along their centre line, and text is kept only if its top-left
  // corner lies inside. `source` may be this canvas.
  void DrawCanvas(const Canvas& source, Point top_left, float scale);

 private:
  int width_;
  int height_;
  Color background_;
  std::vector<Shape> shapes_;
};

}  // namespace rl

#endif  // RL_CANVAS_CANVAS_H_
