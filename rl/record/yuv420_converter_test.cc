#include "rl/record/yuv420_converter.h"

#include <cstdint>
#include <cstdlib>
#include <vector>

#include "gtest/gtest.h"
#include "rl/core/frame.h"
#include "rl/record/test_frames.h"

namespace rl {
namespace {

struct Planes {
  Planes(int width, int height)
      : y(width * height), u(width * height / 4), v(width * height / 4) {
    pointers[0] = y.data();
    pointers[1] = u.data();
    pointers[2] = v.data();
    strides[0] = width;
    strides[1] = strides[2] = width / 2;
  }
  std::vector<uint8_t> y, u, v;
  uint8_t* pointers[3];
  int strides[3];
};

TEST(Yuv420ConverterTest, YuvFramesAreCopiedAndOddSizesPadded) {
  Frame yuv(3, 3, PixelFormat::kYuv420p);
  for (size_t i = 0; i < yuv.size_bytes(); ++i) yuv.data()[i] = 10 + i;
  auto converter = Yuv420Converter::Create(3, 3);
  ASSERT_TRUE(converter.ok());
  EXPECT_EQ((*converter)->coded_width(), 4);
  EXPECT_EQ((*converter)->coded_height(), 4);
  Planes planes(4, 4);
  ASSERT_TRUE((*converter)->Convert(yuv, planes.pointers, planes.strides).ok());
  // Luma 3x3 (10..18) grown to 4x4 by repeating the last column and row.
  EXPECT_EQ(planes.y, (std::vector<uint8_t>{10, 11, 12, 12, 13, 14, 15, 15, 16,
                                            17, 18, 18, 16, 17, 18, 18}));
  // Chroma is 2x2 already (ceil(3 / 2)).
  EXPECT_EQ(planes.u, (std::vector<uint8_t>{19, 20, 21, 22}));
  EXPECT_EQ(planes.v, (std::vector<uint8_t>{23, 24, 25, 26}));
}

// libswscale's BT.709 conversion agrees with the formulas (within 1 code
// value for luma, 2 for chroma), including the 2x2 chroma averaging.
TEST(Yuv420ConverterTest, RgbConversionMatchesBt709LimitedRange) {
  const Frame rgb = MakeTestFrame(64, 32, 5);
  const Frame expected = RgbToYuv420p(rgb);
  auto converter = Yuv420Converter::Create(64, 32);
  ASSERT_TRUE(converter.ok());
  Planes planes(64, 32);
  ASSERT_TRUE((*converter)->Convert(rgb, planes.pointers, planes.strides).ok());
  int worst[3] = {0, 0, 0};
  const std::vector<uint8_t>* actual[3] = {&planes.y, &planes.u, &planes.v};
  for (int p = 0; p < 3; ++p) {
    for (size_t i = 0; i < actual[p]->size(); ++i) {
      worst[p] =
          std::max(worst[p], std::abs((*actual[p])[i] - expected.plane(p)[i]));
    }
  }
  EXPECT_LE(worst[0], 1);
  EXPECT_LE(worst[1], 2);
  EXPECT_LE(worst[2], 2);
  // White and black land on the limited range's ends.
  Frame white(2, 2);
  for (size_t i = 0; i < white.size_bytes(); ++i) white.data()[i] = 255;
  auto small = Yuv420Converter::Create(2, 2);
  Planes out(2, 2);
  ASSERT_TRUE((*small)->Convert(white, out.pointers, out.strides).ok());
  EXPECT_EQ(out.y[0], 235);
  EXPECT_EQ(out.u[0], 128);
  EXPECT_EQ(out.v[0], 128);
}

TEST(Yuv420ConverterTest, RejectsBadSizes) {
  EXPECT_FALSE(Yuv420Converter::Create(0, 4).ok());
  EXPECT_FALSE(Yuv420Converter::Create(4, 8193).ok());
  auto converter = Yuv420Converter::Create(4, 4);
  Planes planes(4, 4);
  EXPECT_EQ((*converter)
                ->Convert(Frame(2, 2), planes.pointers, planes.strides)
                .code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace rl
