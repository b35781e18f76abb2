#include "rl/render/image_io.h"

#include <cstdlib>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/core/frame.h"

namespace rl {
namespace {

using ::testing::HasSubstr;

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return absl::StrCat(dir == nullptr ? "/tmp" : dir, "/", name);
}

TEST(ImageIoTest, PngRoundTrip) {
  for (auto [width, height] :
       {std::pair{1, 1}, std::pair{7, 3}, std::pair{600, 400}}) {
    Frame frame(width, height);
    for (size_t i = 0; i < frame.size_bytes(); ++i) {
      frame.data()[i] = static_cast<uint8_t>(i * 31 + 7);
    }
    const std::string path = TempPath(absl::StrCat(width, "x", height, ".png"));
    ASSERT_TRUE(WritePng(frame, path).ok());
    absl::StatusOr<Frame> read = ReadPng(path);
    ASSERT_TRUE(read.ok()) << read.status();
    ASSERT_EQ(read->width(), width);
    ASSERT_EQ(read->height(), height);
    EXPECT_TRUE(std::equal(frame.data(), frame.data() + frame.size_bytes(),
                           read->data()));
  }
}

TEST(ImageIoTest, Errors) {
  EXPECT_EQ(ReadPng(TempPath("missing.png")).status().code(),
            absl::StatusCode::kNotFound);
  Frame yuv(4, 4, PixelFormat::kYuv420p);
  EXPECT_EQ(WritePng(yuv, TempPath("yuv.png")).code(),
            absl::StatusCode::kInvalidArgument);
  Frame frame(2, 2);
  ASSERT_TRUE(WritePpm(frame, TempPath("x.ppm")).ok());
  absl::StatusOr<Frame> not_png = ReadPng(TempPath("x.ppm"));
  EXPECT_FALSE(not_png.ok());
  EXPECT_THAT(not_png.status().message(), HasSubstr("x.ppm"));
  EXPECT_FALSE(WritePng(frame, "/proc/nope/x.png").ok());
}

}  // namespace
}  // namespace rl
