#include "rl/canvas/canvas.h"

#include <algorithm>
#include <cmath>
#include <type_traits>
#include <variant>

namespace rl {
namespace {

// The clip window: the source canvas, in its own coordinates.
struct Bounds {
  float x0, y0, x1, y1;
  bool Contains(Point p) const {
    return p.x >= x0 && p.x <= x1 && p.y >= y0 && p.y <= y1;
  }
};

// Sutherland-Hodgman against one edge of the window. `inside(p)` says which
// side is kept; `cross(a, b)` gives the edge's intersection with segment ab.
template <typename Inside, typename Cross>
std::vector<Point> ClipEdge(const std::vector<Point>& in, Inside inside,
                            Cross cross) {
  std::vector<Point> out;
  if (in.empty()) return out;
  out.reserve(in.size() + 2);
  Point previous = in.back();
  bool previous_inside = inside(previous);
  for (const Point& current : in) {
    const bool current_inside = inside(current);
    if (current_inside) {
      if (!previous_inside) out.push_back(cross(previous, current));
      out.push_back(current);
    } else if (previous_inside) {
      out.push_back(cross(previous, current));
    }
    previous = current;
    previous_inside = current_inside;
  }
  return out;
}

Point CrossX(Point a, Point b, float x) {
  const float t = (x - a.x) / (b.x - a.x);
  return {x, a.y + t * (b.y - a.y)};
}
Point CrossY(Point a, Point b, float y) {
  const float t = (y - a.y) / (b.y - a.y);
  return {a.x + t * (b.x - a.x), y};
}

std::vector<Point> ClipPolygon(std::vector<Point> points, const Bounds& b) {
  points = ClipEdge(
      points, [&](Point p) { return p.x >= b.x0; },
      [&](Point p, Point q) { return CrossX(p, q, b.x0); });
  points = ClipEdge(
      points, [&](Point p) { return p.x <= b.x1; },
      [&](Point p, Point q) { return CrossX(p, q, b.x1); });
  points = ClipEdge(
      points, [&](Point p) { return p.y >= b.y0; },
      [&](Point p, Point q) { return CrossY(p, q, b.y0); });
  points = ClipEdge(
      points, [&](Point p) { return p.y <= b.y1; },
      [&](Point p, Point q) { return CrossY(p, q, b.y1); });
  return points;
}

// Liang-Barsky: clips segment ab to the window; false if nothing is left.
bool ClipSegment(Point* a, Point* b, const Bounds& w) {
  const float dx = b->x - a->x;
  const float dy = b->y - a->y;
  float t0 = 0;
  float t1 = 1;
  const float p[4] = {-dx, dx, -dy, dy};
  const float q[4] = {a->x - w.x0, w.x1 - a->x, a->y - w.y0, w.y1 - a->y};
  for (int i = 0; i < 4; ++i) {
    if (p[i] == 0) {
      if (q[i] < 0) return false;  // Parallel to this edge and outside it.
      continue;
    }
    const float t = q[i] / p[i];
    if (p[i] < 0) {
      t0 = std::max(t0, t);
    } else {
      t1 = std::min(t1, t);
    }
    if (t0 > t1) return false;
  }
  const Point start = *a;
  *a = {start.x + t0 * dx, start.y + t0 * dy};
  *b = {start.x + t1 * dx, start.y + t1 * dy};
  return true;
}

// A circle as a polygon fine enough that the chord error stays under a
// quarter of a logical pixel.
std::vector<Point> CirclePolygon(Point center, float radius) {
  const int segments = std::clamp(
      static_cast<int>(
          std::ceil(M_PI / std::acos(std::max(0.0, 1.0 - 0.25 / radius)))),
      16, 256);
  std::vector<Point> points(segments);
  for (int i = 0; i < segments; ++i) {
    const double angle = 2 * M_PI * i / segments;
    points[i] = {center.x + radius * static_cast<float>(std::cos(angle)),
                 center.y + radius * static_cast<float>(std::sin(angle))};
  }
  return points;
}

}  // namespace

void Canvas::DrawCanvas(const Canvas& source, Point top_left, float scale) {
  if (&source == this) {  // Drawing a canvas into itself: copy it first.
    const Canvas copy = source;
    DrawCanvas(copy, top_left, scale);
    return;
  }
  const Bounds bounds{0, 0, static_cast<float>(source.width()),
                      static_cast<float>(source.height())};
  auto place = [&](Point p) {
    return Point{top_left.x + p.x * scale, top_left.y + p.y * scale};
  };
  FillRect(top_left.x, top_left.y, source.width() * scale,
           source.height() * scale, source.background());
  auto add_polygon = [&](std::vector<Point> points, Color color) {
    points = ClipPolygon(std::move(points), bounds);
    if (points.size() < 3) return;
    for (Point& p : points) p = place(p);
    FillPolygon(std::move(points), color);
  };
  for (const Shape& shape : source.shapes()) {
    std::visit(
        [&](const auto& s) {
          using T = std::decay_t<decltype(s)>;
          if constexpr (std::is_same_v<T, PolygonShape>) {
            bool inside = true;
            for (const Point& p : s.points)
              inside = inside && bounds.Contains(p);
            if (inside) {
              std::vector<Point> points = s.points;
              for (Point& p : points) p = place(p);
              FillPolygon(std::move(points), s.color);
            } else {
              add_polygon(s.points, s.color);
            }
          } else if constexpr (std::is_same_v<T, CircleShape>) {
            const Point c = s.center;
            const float r = s.radius;
            if (c.x - r >= bounds.x0 && c.x + r <= bounds.x1 &&
                c.y - r >= bounds.y0 && c.y + r <= bounds.y1) {
              FillCircle(place(c), r * scale, s.color);
            } else if (c.x + r > bounds.x0 && c.x - r < bounds.x1 &&
                       c.y + r > bounds.y0 && c.y - r < bounds.y1 && r > 0) {
              add_polygon(CirclePolygon(c, r), s.color);
            }
          } else if constexpr (std::is_same_v<T, LineShape>) {
            Point from = s.from;
            Point to = s.to;
            if (ClipSegment(&from, &to, bounds)) {
              DrawLine(place(from), place(to), s.width * scale, s.color);
            }
          } else if constexpr (std::is_same_v<T, TextShape>) {
            if (bounds.Contains(s.top_left)) {
              DrawText(place(s.top_left), s.height * scale, s.color, s.text);
            }
          }
        },
        shape);
  }
}

}  // namespace rl
