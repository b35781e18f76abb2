#include "rl/render/tessellator.h"

#include <algorithm>
#include <cmath>
#include <variant>
#include <vector>

#include "rl/canvas/canvas.h"
#include "rl/render/font.h"

namespace rl {
namespace {

constexpr double kPi = 3.14159265358979323846;
// Circles get about one segment per pixel of on-screen radius, within these.
constexpr int kMinCircleSegments = 16;
constexpr int kMaxCircleSegments = 512;
// How far (in multiples of the fringe offset) a sharp corner's inset and
// outset may reach; beyond it the corner is blunted.
constexpr double kMiterLimit = 3;

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

}  // namespace

void Tessellator::Tessellate(const Canvas& canvas, int width, int height,
                             bool antialias, std::vector<Vertex>* out) {
  out_ = out;
  out_->clear();
  antialias_ = antialias;
  scale_x_ = static_cast<float>(width) / canvas.width();
  scale_y_ = static_cast<float>(height) / canvas.height();
  for (const Shape& shape : canvas.shapes()) {
    if (const auto* polygon = std::get_if<PolygonShape>(&shape)) {
      if (polygon->color.a == 0) continue;
      points_.clear();
      for (const Point& p : polygon->points) {
        points_.push_back({p.x * scale_x_, p.y * scale_y_});
      }
      AddPolygon(points_, polygon->color);
    } else if (const auto* circle = std::get_if<CircleShape>(&shape)) {
      AddCircle(*circle, circle->color);
    } else if (const auto* line = std::get_if<LineShape>(&shape)) {
      AddLine(*line, line->color);
    } else if (const auto* text = std::get_if<TextShape>(&shape)) {
      AddText(*text);
    }
  }
  out_ = nullptr;
}

void Tessellator::Emit(Point p, Color color, float s, float t) {
  out_->push_back(Vertex{p.x, p.y, color.r, color.g, color.b, color.a, s, t});
}

bool Tessellator::Triangulate(const std::vector<Point>& points, double sign) {
  triangles_.clear();
  const int n = static_cast<int>(points.size());
  // Convex (every turn the same way as the whole): a fan.
  bool convex = true;
  for (int i = 0; i < n && convex; ++i) {
    convex =
        sign * Cross(points[i], points[(i + 1) % n], points[(i + 2) % n]) >= 0;
  }
  if (convex) {
    for (int i = 1; i + 1 < n; ++i) {
      triangles_.insert(triangles_.end(), {0, i, i + 1});
    }
    return true;
  }
  // Concave: ear clipping. An ear is a convex corner whose triangle holds no
  // other remaining vertex; cutting it off leaves a simple polygon.
  std::vector<int>& idx = ears_;
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
      triangles_.insert(triangles_.end(), {prev, cur, next});
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
    triangles_.insert(triangles_.end(), {idx[0], idx[i], idx[i + 1]});
  }
  return true;
}

void Tessellator::AddPolygon(const std::vector<Point>& input, Color color) {
  if (input.size() < 3 || color.a == 0) return;
  // Drop repeated points (they have no edge direction).
  std::vector<Point>& points = corners_;
  points.clear();
  for (const Point& p : input) {
    if (!IsFinite(p)) return;
    if (!points.empty() && p.x == points.back().x && p.y == points.back().y) {
      continue;
    }
    points.push_back(p);
  }
  while (points.size() > 1 && points.front().x == points.back().x &&
         points.front().y == points.back().y) {
    points.pop_back();
  }
  const int n = static_cast<int>(points.size());
  if (n < 3) return;
  double area2 = 0;  // Twice the signed area.
  double perimeter = 0;
  for (int i = 0; i < n; ++i) {
    const Point& p = points[i];
    const Point& q = points[(i + 1) % n];
    area2 += static_cast<double>(p.x) * q.y - static_cast<double>(q.x) * p.y;
    perimeter += std::hypot(static_cast<double>(q.x) - p.x,
                            static_cast<double>(q.y) - p.y);
  }
  if (!(area2 != 0)) return;  // Degenerate (or NaN): nothing to fill.
  const double sign = area2 > 0 ? 1 : -1;
  const std::vector<Point>& corners = points;
  Triangulate(corners, sign);

  if (!antialias_) {
    for (int index : triangles_) Emit(corners[index], color, 1);
    return;
  }

  // Thickness of the shape: the short side of the rectangle with this area
  // and perimeter, or for rounder shapes (no such rectangle) 4 A / P, a
  // disc's diameter. Below one pixel the fill shrinks to its middle and the
  // coverage to what the shape really covers, so thin shapes get fainter,
  // not fatter.
  const double area = std::abs(area2) / 2;
  const double discriminant = perimeter * perimeter / 4 - 4 * area;
  const double thickness = discriminant >= 0
                               ? (perimeter / 2 - std::sqrt(discriminant)) / 2
                               : 4 * area / perimeter;
  const double inset = std::min(0.5, thickness / 2);
  const double outset = 0.5;
  const float inner_coverage =
      thickness >= 1 ? 1.0f
                     : static_cast<float>(2 * thickness / (1 + thickness));

  inner_.resize(n);
  std::vector<Point>& outer = outer_;
  outer.resize(n);
  // Outward unit normal of edge i (from corner i to corner i + 1).
  auto normal = [&](int i, double* nx, double* ny) {
    const Point& p = corners[i];
    const Point& q = corners[(i + 1) % n];
    const double dx = static_cast<double>(q.x) - p.x;
    const double dy = static_cast<double>(q.y) - p.y;
    const double length = std::hypot(dx, dy);
    *nx = sign * dy / length;
    *ny = -sign * dx / length;
  };
  double prev_nx;
  double prev_ny;
  normal(n - 1, &prev_nx, &prev_ny);
  for (int i = 0; i < n; ++i) {
    double nx;
    double ny;
    normal(i, &nx, &ny);
    // The miter: the offset that moves both edges by one unit.
    double mx = prev_nx + nx;
    double my = prev_ny + ny;
    const double denominator = 1 + prev_nx * nx + prev_ny * ny;
    if (denominator < 1e-6) {
      mx = nx;  // The edge doubles back: no corner to speak of.
      my = ny;
    } else {
      mx /= denominator;
      my /= denominator;
    }
    const double length = std::hypot(mx, my);
    if (length > kMiterLimit) {
      mx *= kMiterLimit / length;
      my *= kMiterLimit / length;
    }
    const Point& p = corners[i];
    inner_[i] = Point{static_cast<float>(p.x - inset * mx),
                      static_cast<float>(p.y - inset * my)};
    outer[i] = Point{static_cast<float>(p.x + outset * mx),
                     static_cast<float>(p.y + outset * my)};
    prev_nx = nx;
    prev_ny = ny;
  }
  for (int index : triangles_) Emit(inner_[index], color, inner_coverage);
  for (int i = 0; i < n; ++i) {
    const int j = (i + 1) % n;
    Emit(inner_[i], color, inner_coverage);
    Emit(inner_[j], color, inner_coverage);
    Emit(outer[j], color, 0);
    Emit(inner_[i], color, inner_coverage);
    Emit(outer[j], color, 0);
    Emit(outer[i], color, 0);
  }
}

void Tessellator::AddCircle(const CircleShape& circle, Color color) {
  const Point& center = circle.center;
  const float radius = circle.radius;
  if (!(radius > 0) || !std::isfinite(radius) || !IsFinite(center) ||
      color.a == 0) {
    return;
  }
  const double rx = radius * scale_x_;  // An ellipse when stretched unevenly.
  const double ry = radius * scale_y_;
  const int segments = static_cast<int>(std::clamp(
      std::ceil(std::max(rx, ry)), static_cast<double>(kMinCircleSegments),
      static_cast<double>(kMaxCircleSegments)));
  // The inscribed polygon is a little smaller than the disc; grow it so
  // their areas match.
  const double step = 2 * kPi / segments;
  const double grow = std::sqrt(step / std::sin(step));
  const double cx = center.x * static_cast<double>(scale_x_);
  const double cy = center.y * static_cast<double>(scale_y_);
  const double cos_step = std::cos(step);
  const double sin_step = std::sin(step);
  double dx = 1;  // Unit vector rotated by `step` each segment.
  double dy = 0;
  points_.clear();
  for (int i = 0; i < segments; ++i) {
    points_.push_back(Point{static_cast<float>(cx + grow * rx * dx),
                            static_cast<float>(cy + grow * ry * dy)});
    const double next_dx = dx * cos_step - dy * sin_step;
    dy = dx * sin_step + dy * cos_step;
    dx = next_dx;
  }
  AddPolygon(points_, color);
}

void Tessellator::AddLine(const LineShape& line, Color color) {
  const Point& from = line.from;
  const Point& to = line.to;
  const float width = line.width;
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
  if (!antialias_) {
    // On screen the quad is (width * px_per_width) device pixels thick,
    // where the canvas-to-frame stretch sets px_per_width. Keep at least
    // one device pixel, so a thin line always covers a pixel centre.
    const double device_length = std::hypot(dx * scale_x_, dy * scale_y_);
    const double px_per_width = scale_x_ * scale_y_ * length / device_length;
    half = std::max(half, 0.5 / px_per_width);
  }
  const double nx = -dy / length * half;
  const double ny = dx / length * half;
  points_.clear();
  points_.push_back({static_cast<float>((from.x + nx) * scale_x_),
                     static_cast<float>((from.y + ny) * scale_y_)});
  points_.push_back({static_cast<float>((from.x - nx) * scale_x_),
                     static_cast<float>((from.y - ny) * scale_y_)});
  points_.push_back({static_cast<float>((to.x - nx) * scale_x_),
                     static_cast<float>((to.y - ny) * scale_y_)});
  points_.push_back({static_cast<float>((to.x + nx) * scale_x_),
                     static_cast<float>((to.y + ny) * scale_y_)});
  AddPolygon(points_, color);
}

void Tessellator::AddText(const TextShape& text) {
  const Color color = text.color;
  if (!(text.height > 0) || !std::isfinite(text.height) ||
      !IsFinite(text.top_left) || color.a == 0) {
    return;
  }
  const double cell_w = text.height * font::kAdvance * scale_x_;  // Pixels.
  const double cell_h = text.height * scale_y_;
  // Texels per pixel; each quad reaches one pixel (at most one texel, the
  // padding) past its cell so the filtered edge of ink at the cell border is
  // not cut off.
  const double texels_x = font::kCellWidth / cell_w;
  const double texels_y = font::kCellHeight / cell_h;
  const double pad_x = std::min(1.0, 1 / texels_x);  // Pixels.
  const double pad_y = std::min(1.0, 1 / texels_y);
  const double x0 = text.top_left.x * static_cast<double>(scale_x_);
  const double y0 = text.top_left.y * static_cast<double>(scale_y_);
  for (size_t i = 0; i < text.text.size(); ++i) {
    const char c = text.text[i];
    if (c == ' ') continue;
    const font::Cell cell = font::AtlasCell(c);
    const double left = x0 + i * cell_w - pad_x;
    const double right = x0 + (i + 1) * cell_w + pad_x;
    const double top = y0 - pad_y;
    const double bottom = y0 + cell_h + pad_y;
    const float s0 = static_cast<float>(cell.x - pad_x * texels_x);
    const float s1 =
        static_cast<float>(cell.x + font::kCellWidth + pad_x * texels_x);
    const float t0 = static_cast<float>(cell.y - pad_y * texels_y);
    const float t1 =
        static_cast<float>(cell.y + font::kCellHeight + pad_y * texels_y);
    const Point a{static_cast<float>(left), static_cast<float>(top)};
    const Point b{static_cast<float>(right), static_cast<float>(top)};
    const Point c2{static_cast<float>(right), static_cast<float>(bottom)};
    const Point d{static_cast<float>(left), static_cast<float>(bottom)};
    Emit(a, color, s0, t0);
    Emit(b, color, s1, t0);
    Emit(c2, color, s1, t1);
    Emit(a, color, s0, t0);
    Emit(c2, color, s1, t1);
    Emit(d, color, s0, t1);
  }
}

}  // namespace rl
