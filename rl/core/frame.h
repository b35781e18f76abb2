// Frame: one picture travelling from a renderer to a recorder.
//
// Two pixel formats:
//   kRgb24:   packed RGB, 8 bits per channel, one plane, rows top to bottom,
//             stride 3 * width, no padding.
//   kYuv420p: planar Y, U, V (BT.709, limited range: Y 16..235, U/V
//             16..240), the format encoders take. Y is width x height; U and
//             V are ceil(width/2) x ceil(height/2) each (chroma of each 2x2
//             block, averaged). Planes are stored one after another, rows
//             top to bottom, no padding. A renderer may produce it on the GPU
//             so fewer bytes cross and the encoder needs no conversion.
// Recorders take frames and know nothing about where they came from.
#ifndef RL_CORE_FRAME_H_
#define RL_CORE_FRAME_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace rl {

enum class PixelFormat { kRgb24, kYuv420p };

struct Rgb {
  uint8_t r = 0;
  uint8_t g = 0;
  uint8_t b = 0;
  friend bool operator==(const Rgb& a, const Rgb& b) {
    return a.r == b.r && a.g == b.g && a.b == b.b;
  }
};

class Frame {
 public:
  Frame() = default;
  Frame(int width, int height, PixelFormat format = PixelFormat::kRgb24) {
    Reset(width, height, format);
  }

  // Changes size and format; keeps the allocation when it is big enough.
  void Reset(int width, int height, PixelFormat format = PixelFormat::kRgb24) {
    width_ = width;
    height_ = height;
    format_ = format;
    pixels_.resize(ByteSize(width, height, format));
  }

  int width() const { return width_; }
  int height() const { return height_; }
  PixelFormat format() const { return format_; }
  int plane_count() const { return format_ == PixelFormat::kRgb24 ? 1 : 3; }

  // Plane `i` (0 for RGB; 0 = Y, 1 = U, 2 = V for YUV).
  uint8_t* plane(int i) { return pixels_.data() + PlaneOffset(i); }
  const uint8_t* plane(int i) const { return pixels_.data() + PlaneOffset(i); }
  // Bytes per row and rows of plane `i`.
  int plane_stride(int i) const {
    if (format_ == PixelFormat::kRgb24) return width_ * 3;
    return i == 0 ? width_ : ChromaWidth();
  }
  int plane_height(int i) const {
    return format_ == PixelFormat::kRgb24 || i == 0 ? height_ : ChromaHeight();
  }

  // Plane 0 and its stride; for RGB frames, the whole picture.
  int stride() const { return plane_stride(0); }
  uint8_t* data() { return pixels_.data(); }
  const uint8_t* data() const { return pixels_.data(); }
  size_t size_bytes() const { return pixels_.size(); }

  // RGB pixel at column x, row y (row 0 is the top). kRgb24 only; no bounds
  // check.
  Rgb at(int x, int y) const {
    const uint8_t* p = &pixels_[(static_cast<size_t>(y) * width_ + x) * 3];
    return Rgb{p[0], p[1], p[2]};
  }

  static size_t ByteSize(int width, int height, PixelFormat format) {
    const size_t pixels = static_cast<size_t>(width) * height;
    if (format == PixelFormat::kRgb24) return pixels * 3;
    const size_t chroma =
        static_cast<size_t>((width + 1) / 2) * ((height + 1) / 2);
    return pixels + 2 * chroma;
  }

 private:
  int ChromaWidth() const { return (width_ + 1) / 2; }
  int ChromaHeight() const { return (height_ + 1) / 2; }
  size_t PlaneOffset(int i) const {
    if (i == 0) return 0;
    const size_t luma = static_cast<size_t>(width_) * height_;
    const size_t chroma = static_cast<size_t>(ChromaWidth()) * ChromaHeight();
    return i == 1 ? luma : luma + chroma;
  }

  int width_ = 0;
  int height_ = 0;
  PixelFormat format_ = PixelFormat::kRgb24;
  std::vector<uint8_t> pixels_;
};

}  // namespace rl

#endif  // RL_CORE_FRAME_H_
