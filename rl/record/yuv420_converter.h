// Yuv420Converter: turns any Frame a recorder takes into what 4:2:0
// encoders take: BT.709 limited-range planar yuv420p at the coded size
// (width and height rounded up to even), the extra column or row repeating
// the last one.
//
//   kRgb24 frames are converted by libswscale with the BT.709 matrix; the
//   chroma of each 2x2 block is the mean of its four pixels (SWS_AREA), so
//   sharp edges of rendered frames neither ring nor bleed.
//   kYuv420p frames are already in that format (rl/core/frame.h) and are
//   copied plane by plane, padded.
//
// Example:
//   RL_ASSIGN_OR_RETURN(auto converter, Yuv420Converter::Create(601, 401));
//   // converter->coded_width() == 602, planes sized for 602x402.
//   RL_RETURN_IF_ERROR(converter->Convert(frame, planes, strides));
#ifndef RL_RECORD_YUV420_CONVERTER_H_
#define RL_RECORD_YUV420_CONVERTER_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "rl/core/frame.h"

struct SwsContext;

namespace rl {

class Yuv420Converter {
 public:
  // `width` x `height`: the frames' size, 1..8192 each.
  static absl::StatusOr<std::unique_ptr<Yuv420Converter>> Create(int width,
                                                                 int height);
  ~Yuv420Converter();
  Yuv420Converter(const Yuv420Converter&) = delete;
  Yuv420Converter& operator=(const Yuv420Converter&) = delete;

  int coded_width() const { return coded_width_; }
  int coded_height() const { return coded_height_; }

  // Writes `frame` (width x height, either format; the caller checked the
  // size) into the Y, U and V planes `planes[0..2]` with row strides
  // `strides[0..2]`: Y is coded_width x coded_height, U and V half that.
  absl::Status Convert(const Frame& frame, uint8_t* const planes[3],
                       const int strides[3]);

 private:
  Yuv420Converter(int width, int height);
  absl::Status ConvertRgb(const Frame& frame, uint8_t* const planes[3],
                          const int strides[3]);
  void CopyYuv(const Frame& frame, uint8_t* const planes[3],
               const int strides[3]) const;

  const int width_;
  const int height_;
  const int coded_width_;
  const int coded_height_;
  SwsContext* to_yuv_ = nullptr;     // Owned; made for the first RGB frame.
  std::vector<uint8_t> padded_rgb_;  // Only for odd sizes.
};

}  // namespace rl

#endif  // RL_RECORD_YUV420_CONVERTER_H_
