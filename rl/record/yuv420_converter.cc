#include "rl/record/yuv420_converter.h"

#include <algorithm>
#include <cstring>
#include <memory>

#include "absl/strings/str_cat.h"

extern "C" {
#include <libavutil/error.h>
#include <libavutil/pixfmt.h>
#include <libswscale/swscale.h>
}

namespace rl {

Yuv420Converter::Yuv420Converter(int width, int height)
    : width_(width),
      height_(height),
      coded_width_((width + 1) & ~1),
      coded_height_((height + 1) & ~1) {}

Yuv420Converter::~Yuv420Converter() { sws_freeContext(to_yuv_); }

absl::StatusOr<std::unique_ptr<Yuv420Converter>> Yuv420Converter::Create(
    int width, int height) {
  if (width < 1 || height < 1 || width > 8192 || height > 8192) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot convert ", width, "x", height, " frames: sides are 1..8192"));
  }
  return std::unique_ptr<Yuv420Converter>(new Yuv420Converter(width, height));
}

absl::Status Yuv420Converter::Convert(const Frame& frame,
                                      uint8_t* const planes[3],
                                      const int strides[3]) {
  if (frame.width() != width_ || frame.height() != height_) {
    return absl::InvalidArgumentError(
        absl::StrCat("frame is ", frame.width(), "x", frame.height(),
                     ", the converter expects ", width_, "x", height_));
  }
  if (frame.format() == PixelFormat::kYuv420p) {
    CopyYuv(frame, planes, strides);
    return absl::OkStatus();
  }
  return ConvertRgb(frame, planes, strides);
}

void Yuv420Converter::CopyYuv(const Frame& frame, uint8_t* const planes[3],
                              const int strides[3]) const {
  for (int p = 0; p < 3; ++p) {
    const int source_width = frame.plane_stride(p);
    const int source_height = frame.plane_height(p);
    const int target_width = p == 0 ? coded_width_ : coded_width_ / 2;
    const int target_height = p == 0 ? coded_height_ : coded_height_ / 2;
    const uint8_t* source = frame.plane(p);
    for (int y = 0; y < target_height; ++y) {
      const uint8_t* row =
          source +
          static_cast<size_t>(std::min(y, source_height - 1)) * source_width;
      uint8_t* target = planes[p] + static_cast<size_t>(y) * strides[p];
      std::memcpy(target, row, source_width);
      // Only luma of an odd width is short (chroma is ceil(width / 2)).
      for (int x = source_width; x < target_width; ++x) {
        target[x] = row[source_width - 1];
      }
    }
  }
}

absl::Status Yuv420Converter::ConvertRgb(const Frame& frame,
                                         uint8_t* const planes[3],
                                         const int strides[3]) {
  if (to_yuv_ == nullptr) {
    to_yuv_ =
        sws_getContext(coded_width_, coded_height_, AV_PIX_FMT_RGB24,
                       coded_width_, coded_height_, AV_PIX_FMT_YUV420P,
                       SWS_AREA | SWS_ACCURATE_RND, nullptr, nullptr, nullptr);
    if (to_yuv_ == nullptr) {
      return absl::InternalError("creating the RGB to YUV converter");
    }
    // Full-range RGB in, BT.709 limited-range YUV out, as streams are
    // tagged.
    const int* bt709 = sws_getCoefficients(SWS_CS_ITU709);
    if (sws_setColorspaceDetails(to_yuv_, bt709, /*srcRange=*/1, bt709,
                                 /*dstRange=*/0, /*brightness=*/0,
                                 /*contrast=*/1 << 16,
                                 /*saturation=*/1 << 16) < 0) {
      return absl::InternalError(
          "libswscale cannot convert RGB to BT.709 limited-range YUV");
    }
    if (coded_width_ != width_ || coded_height_ != height_) {
      padded_rgb_.resize(static_cast<size_t>(coded_width_) * coded_height_ * 3);
    }
  }
  const uint8_t* rgb = frame.data();
  int rgb_stride = frame.stride();
  if (!padded_rgb_.empty()) {
    // Repeat the last column and row up to the coded size.
    const size_t row_bytes = static_cast<size_t>(frame.stride());
    const size_t padded_row_bytes = static_cast<size_t>(coded_width_) * 3;
    for (int y = 0; y < coded_height_; ++y) {
      const uint8_t* source =
          frame.data() + std::min(y, height_ - 1) * row_bytes;
      uint8_t* target = padded_rgb_.data() + y * padded_row_bytes;
      std::memcpy(target, source, row_bytes);
      if (padded_row_bytes > row_bytes) {
        std::memcpy(target + row_bytes, source + row_bytes - 3, 3);
      }
    }
    rgb = padded_rgb_.data();
    rgb_stride = static_cast<int>(padded_row_bytes);
  }
  const int rows =
      sws_scale(to_yuv_, &rgb, &rgb_stride, 0, coded_height_, planes, strides);
  if (rows < 0) {
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(rows, text, sizeof(text));
    return absl::InternalError(absl::StrCat("converting RGB to YUV: ", text));
  }
  return absl::OkStatus();
}

}  // namespace rl
