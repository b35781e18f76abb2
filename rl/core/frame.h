// Frame: one picture travelling from a renderer to a recorder.
//
// Pixels are packed RGB, 8 bits per channel, rows top to bottom with no
// padding (stride == 3 * width). Recorders take frames and know nothing about
// where they came from.
#ifndef RL_CORE_FRAME_H_
#define RL_CORE_FRAME_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace rl {

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
  Frame(int width, int height)
      : width_(width),
        height_(height),
        pixels_(static_cast<size_t>(width) * height * 3) {}

  int width() const { return width_; }
  int height() const { return height_; }
  int stride() const { return width_ * 3; }
  uint8_t* data() { return pixels_.data(); }
  const uint8_t* data() const { return pixels_.data(); }
  size_t size_bytes() const { return pixels_.size(); }

  // Pixel at column x, row y (row 0 is the top). No bounds check.
  Rgb at(int x, int y) const {
    const uint8_t* p = &pixels_[(static_cast<size_t>(y) * width_ + x) * 3];
    return Rgb{p[0], p[1], p[2]};
  }

 private:
  int width_ = 0;
  int height_ = 0;
  std::vector<uint8_t> pixels_;
};

}  // namespace rl

#endif  // RL_CORE_FRAME_H_
