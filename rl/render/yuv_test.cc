#include "rl/render/yuv.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "rl/core/frame.h"

namespace rl {
namespace {

// The BT.709 limited-range formula in double precision, rounded.
int Reference(int plane, double r, double g, double b) {
  const double* c = kRgbToYuv709[plane];
  return static_cast<int>(std::lround(
      255 * (c[0] * r / 255 + c[1] * g / 255 + c[2] * b / 255 + c[3])));
}

TEST(YuvTest, KnownColours) {
  struct Case {
    uint8_t r, g, b;
    int y, u, v;
  };
  // BT.709 limited range: black 16/128/128, white 235/128/128.
  for (const Case& c :
       {Case{0, 0, 0, 16, 128, 128}, Case{255, 255, 255, 235, 128, 128},
        Case{255, 0, 0, 63, 102, 240}, Case{0, 255, 0, 173, 42, 26},
        Case{0, 0, 255, 32, 240, 118}}) {
    std::vector<uint8_t> rgba = {c.r, c.g, c.b, 255};
    Frame frame(1, 1, PixelFormat::kYuv420p);
    RgbaToYuv420p(rgba.data(), 1, 1, &frame);
    EXPECT_EQ(frame.plane(0)[0], c.y) << int(c.r) << "," << int(c.g);
    EXPECT_EQ(frame.plane(1)[0], c.u) << int(c.r) << "," << int(c.g);
    EXPECT_EQ(frame.plane(2)[0], c.v) << int(c.r) << "," << int(c.g);
  }
}

// Sizes that exercise the SIMD loops (4 luma, 4 chroma blocks at a time),
// their scalar tails, and odd edges, where the last column or row pairs
// with itself.
class YuvSizeTest : public ::testing::TestWithParam<std::pair<int, int>> {};

INSTANTIATE_TEST_SUITE_P(Sizes, YuvSizeTest,
                         ::testing::Values(std::pair{5, 3}, std::pair{37, 6},
                                           std::pair{64, 4}, std::pair{1, 1},
                                           std::pair{17, 9}));

TEST_P(YuvSizeTest, MatchesTheFormulaAndAveragesChroma) {
  const auto [width, height] = GetParam();
  const int chroma_width = (width + 1) / 2;
  const int chroma_height = (height + 1) / 2;
  std::vector<uint8_t> rgba(width * height * 4);
  for (size_t i = 0; i < rgba.size(); ++i) {
    rgba[i] = static_cast<uint8_t>((i * 73 + 11) % 256);
  }
  Frame frame(width, height, PixelFormat::kYuv420p);
  RgbaToYuv420p(rgba.data(), width, height, &frame);
  ASSERT_EQ(
      frame.size_bytes(),
      static_cast<size_t>(width * height + 2 * chroma_width * chroma_height));
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const uint8_t* p = &rgba[(y * width + x) * 4];
      EXPECT_NEAR(frame.plane(0)[y * width + x], Reference(0, p[0], p[1], p[2]),
                  1);
    }
  }
  for (int cy = 0; cy < chroma_height; ++cy) {
    for (int cx = 0; cx < chroma_width; ++cx) {
      double sum[3] = {0, 0, 0};
      for (int dy = 0; dy < 2; ++dy) {
        for (int dx = 0; dx < 2; ++dx) {
          const int x = std::min(2 * cx + dx, width - 1);
          const int y = std::min(2 * cy + dy, height - 1);
          for (int k = 0; k < 3; ++k) sum[k] += rgba[(y * width + x) * 4 + k];
        }
      }
      for (int plane = 1; plane <= 2; ++plane) {
        EXPECT_NEAR(frame.plane(plane)[cy * chroma_width + cx],
                    Reference(plane, sum[0] / 4, sum[1] / 4, sum[2] / 4), 1)
            << "plane " << plane << " at " << cx << "," << cy;
      }
    }
  }
}

TEST(YuvTest, RgbaToRgbDropsAlpha) {
  for (int width : {1, 2, 5}) {
    std::vector<uint8_t> rgba;
    std::vector<uint8_t> want;
    for (int i = 0; i < width * 3; ++i) {  // Three rows.
      for (int c = 0; c < 4; ++c) {
        rgba.push_back(static_cast<uint8_t>(4 * i + c));
        if (c < 3) want.push_back(static_cast<uint8_t>(4 * i + c));
      }
    }
    Frame frame(width, 3);
    RgbaToRgb(rgba.data(), width, 3, &frame);
    EXPECT_EQ(
        std::vector<uint8_t>(frame.data(), frame.data() + frame.size_bytes()),
        want);
  }
}

// A buffer stored bottom row first, read with a negative stride, converts
// exactly as the same picture stored top first.
TEST(YuvTest, BottomUpRowsWithNegativeStride) {
  for (auto [width, height] :
       {std::pair{7, 5}, std::pair{16, 9}, std::pair{1, 1}, std::pair{33, 2}}) {
    std::vector<uint8_t> top_first(static_cast<size_t>(width) * height * 4);
    uint32_t state = 12345;
    for (uint8_t& byte : top_first) {
      state = state * 1103515245 + 12345;
      byte = static_cast<uint8_t>(state >> 16);
    }
    const size_t row = static_cast<size_t>(width) * 4;
    std::vector<uint8_t> bottom_first(top_first.size());
    for (int y = 0; y < height; ++y) {
      std::copy_n(top_first.data() + y * row, row,
                  bottom_first.data() + (height - 1 - y) * row);
    }
    const uint8_t* top_row = bottom_first.data() + (height - 1) * row;
    const ptrdiff_t stride = -static_cast<ptrdiff_t>(row);

    Frame expected(width, height, PixelFormat::kYuv420p);
    Frame actual(width, height, PixelFormat::kYuv420p);
    RgbaToYuv420p(top_first.data(), width, height, &expected);
    RgbaToYuv420p(top_row, stride, width, height, &actual);
    EXPECT_TRUE(std::equal(expected.data(),
                           expected.data() + expected.size_bytes(),
                           actual.data()))
        << width << "x" << height << " yuv420p";

    Frame expected_rgb(width, height);
    Frame actual_rgb(width, height);
    RgbaToRgb(top_first.data(), width, height, &expected_rgb);
    RgbaToRgb(top_row, stride, width, height, &actual_rgb);
    EXPECT_TRUE(std::equal(expected_rgb.data(),
                           expected_rgb.data() + expected_rgb.size_bytes(),
                           actual_rgb.data()))
        << width << "x" << height << " rgb24";
    EXPECT_EQ(actual_rgb.at(0, 0).r, top_first[0]);
  }
}

}  // namespace
}  // namespace rl
