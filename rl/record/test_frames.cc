#include "rl/record/test_frames.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

namespace rl {
namespace {

uint8_t Clamp8(double value) {
  return static_cast<uint8_t>(std::clamp(std::lround(value), 0L, 255L));
}

}  // namespace

Frame MakeTestFrame(int width, int height, int index) {
  static constexpr Rgb kPalette[] = {
      {255, 0, 0},   {0, 255, 0},   {0, 0, 255},     {255, 255, 0},
      {0, 255, 255}, {255, 0, 255}, {255, 255, 255}, {16, 16, 16}};
  constexpr int kBlock = 32;
  Frame frame(width, height);
  const int grid_width = width / 2 / kBlock * kBlock;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      Rgb color;
      if (x < grid_width) {
        color = kPalette[(x / kBlock + 3 * (y / kBlock) + index) % 8];
      } else {
        color.r = static_cast<uint8_t>(255 * x / width);
        color.g = static_cast<uint8_t>(255 * y / height);
        color.b = static_cast<uint8_t>((index * 16) % 256);
      }
      uint8_t* pixel = frame.data() + (static_cast<size_t>(y) * width + x) * 3;
      pixel[0] = color.r;
      pixel[1] = color.g;
      pixel[2] = color.b;
    }
  }
  return frame;
}

Frame RgbToYuv420p(const Frame& rgb) {
  const int width = rgb.width();
  const int height = rgb.height();
  Frame yuv(width, height, PixelFormat::kYuv420p);
  // BT.709: Kr = 0.2126, Kb = 0.0722; limited range: Y 16..235, C 16..240.
  constexpr double kR = 0.2126, kB = 0.0722, kG = 1 - kR - kB;
  auto luma = [&](const Rgb& c) { return kR * c.r + kG * c.g + kB * c.b; };
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      yuv.plane(0)[static_cast<size_t>(y) * width + x] =
          Clamp8(16 + 219.0 / 255 * luma(rgb.at(x, y)));
    }
  }
  const int chroma_width = yuv.plane_stride(1);
  for (int cy = 0; cy < yuv.plane_height(1); ++cy) {
    for (int cx = 0; cx < chroma_width; ++cx) {
      double cb = 0, cr = 0;
      int count = 0;
      for (int y = 2 * cy; y < std::min(2 * cy + 2, height); ++y) {
        for (int x = 2 * cx; x < std::min(2 * cx + 2, width); ++x) {
          const Rgb c = rgb.at(x, y);
          const double l = luma(c);
          cb += (c.b - l) / (2 * (1 - kB));
          cr += (c.r - l) / (2 * (1 - kR));
          ++count;
        }
      }
      const size_t i = static_cast<size_t>(cy) * chroma_width + cx;
      yuv.plane(1)[i] = Clamp8(128 + 224.0 / 255 * cb / count);
      yuv.plane(2)[i] = Clamp8(128 + 224.0 / 255 * cr / count);
    }
  }
  return yuv;
}

Frame PadFrame(const Frame& frame, int width, int height) {
  Frame padded(width, height);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const Rgb color = frame.at(std::min(x, frame.width() - 1),
                                 std::min(y, frame.height() - 1));
      uint8_t* pixel = padded.data() + (static_cast<size_t>(y) * width + x) * 3;
      pixel[0] = color.r;
      pixel[1] = color.g;
      pixel[2] = color.b;
    }
  }
  return padded;
}

double Psnr(const Frame& expected, const Frame& actual) {
  double squared_error = 0;
  for (int y = 0; y < expected.height(); ++y) {
    for (int x = 0; x < expected.width(); ++x) {
      const Rgb e = expected.at(x, y);
      const Rgb a = actual.at(x, y);
      squared_error += (e.r - a.r) * (e.r - a.r) + (e.g - a.g) * (e.g - a.g) +
                       (e.b - a.b) * (e.b - a.b);
    }
  }
  const double mse =
      squared_error / (3.0 * expected.width() * expected.height());
  return mse == 0 ? 100.0 : 10.0 * std::log10(255.0 * 255.0 / mse);
}

int64_t PeakRssKib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) {
      return std::strtoll(line.c_str() + 6, nullptr, 10);
    }
  }
  return -1;
}

bool ResetPeakRss() {
  std::FILE* file = std::fopen("/proc/self/clear_refs", "w");
  if (file == nullptr) return false;
  const bool ok = std::fputs("5", file) >= 0;
  return std::fclose(file) == 0 && ok;
}

}  // namespace rl
