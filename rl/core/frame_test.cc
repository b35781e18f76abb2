#include "rl/core/frame.h"

#include "gtest/gtest.h"

namespace rl {
namespace {

TEST(FrameTest, RgbIsOnePackedPlane) {
  Frame frame(5, 3);
  EXPECT_EQ(frame.format(), PixelFormat::kRgb24);
  EXPECT_EQ(frame.plane_count(), 1);
  EXPECT_EQ(frame.stride(), 15);
  EXPECT_EQ(frame.size_bytes(), 45u);
  frame.data()[(2 * 5 + 4) * 3 + 1] = 200;  // Green of the last pixel.
  EXPECT_EQ(frame.at(4, 2), (Rgb{0, 200, 0}));
}

TEST(FrameTest, Yuv420pPlanesRoundChromaUpForOddSizes) {
  Frame frame(5, 3, PixelFormat::kYuv420p);
  EXPECT_EQ(frame.plane_count(), 3);
  EXPECT_EQ(frame.plane_stride(0), 5);
  EXPECT_EQ(frame.plane_height(0), 3);
  EXPECT_EQ(frame.plane_stride(1), 3);
  EXPECT_EQ(frame.plane_height(1), 2);
  EXPECT_EQ(frame.plane(1) - frame.plane(0), 15);
  EXPECT_EQ(frame.plane(2) - frame.plane(1), 6);
  EXPECT_EQ(frame.size_bytes(), 15u + 6 + 6);
}

TEST(FrameTest, ResetChangesFormatAndSize) {
  Frame frame(4, 4);
  frame.Reset(2, 2, PixelFormat::kYuv420p);
  EXPECT_EQ(frame.size_bytes(), 4u + 1 + 1);
  frame.Reset(2, 2);
  EXPECT_EQ(frame.size_bytes(), 12u);
}

}  // namespace
}  // namespace rl
