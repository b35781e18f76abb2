#include "rl/live/jpeg_encoder.h"

#include <cstdlib>

#include "gtest/gtest.h"
#include "rl/core/frame.h"
#include "rl/live/test_util.h"

namespace rl {
namespace {

// Left half red, right half blue, a white square in the middle.
Frame TestPicture(int width, int height) {
  Frame frame(width, height, PixelFormat::kRgb24);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      uint8_t* p = frame.data() + y * frame.stride() + x * 3;
      const bool center = std::abs(x - width / 2) < width / 8 &&
                          std::abs(y - height / 2) < height / 8;
      p[0] = center || x < width / 2 ? 230 : 20;
      p[1] = center ? 230 : 20;
      p[2] = center || x >= width / 2 ? 230 : 20;
    }
  }
  return frame;
}

void ExpectNear(Rgb got, int r, int g, int b, const char* where) {
  EXPECT_NEAR(got.r, r, 12) << where;
  EXPECT_NEAR(got.g, g, 12) << where;
  EXPECT_NEAR(got.b, b, 12) << where;
}

TEST(JpegEncoderTest, DecodesToThePictureItWasGiven) {
  auto encoder = JpegEncoder::Create(320, 240);
  ASSERT_TRUE(encoder.ok()) << encoder.status();
  auto jpeg = (*encoder)->Encode(TestPicture(320, 240));
  ASSERT_TRUE(jpeg.ok()) << jpeg.status();
  ASSERT_GT(jpeg->size(), 100u);
  EXPECT_EQ(static_cast<unsigned char>((*jpeg)[0]), 0xFF);  // SOI marker.
  EXPECT_EQ(static_cast<unsigned char>((*jpeg)[1]), 0xD8);
  auto decoded = DecodeJpeg(*jpeg);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  ASSERT_EQ(decoded->width(), 320);
  ASSERT_EQ(decoded->height(), 240);
  // Full-range colours come back as they went in (no washed-out greys).
  ExpectNear(decoded->at(40, 40), 230, 20, 20, "red half");
  ExpectNear(decoded->at(280, 200), 20, 20, 230, "blue half");
  ExpectNear(decoded->at(160, 120), 230, 230, 230, "white square");
}

TEST(JpegEncoderTest, EncodesManyPicturesInARow) {
  auto encoder = JpegEncoder::Create(64, 48);
  ASSERT_TRUE(encoder.ok()) << encoder.status();
  for (int i = 0; i < 20; ++i) {
    auto jpeg = (*encoder)->Encode(TestPicture(64, 48));
    ASSERT_TRUE(jpeg.ok()) << i << ": " << jpeg.status();
    ASSERT_TRUE(DecodeJpeg(*jpeg).ok()) << i;
  }
}

TEST(JpegEncoderTest, RefusesBadSizesQualitiesAndFrames) {
  EXPECT_FALSE(JpegEncoder::Create(0, 10).ok());
  EXPECT_FALSE(JpegEncoder::Create(10, 9000).ok());
  auto quality = JpegEncoder::Create(64, 48, 40);
  ASSERT_FALSE(quality.ok());
  EXPECT_NE(quality.status().message().find("2..31"), std::string::npos);
  auto encoder = JpegEncoder::Create(64, 48);
  ASSERT_TRUE(encoder.ok());
  auto wrong_size = (*encoder)->Encode(TestPicture(32, 48));
  ASSERT_FALSE(wrong_size.ok());
  EXPECT_NE(wrong_size.status().message().find("64x48"), std::string::npos);
  Frame yuv(64, 48, PixelFormat::kYuv420p);
  EXPECT_FALSE((*encoder)->Encode(yuv).ok());
}

}  // namespace
}  // namespace rl
