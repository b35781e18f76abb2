// JpegEncoder: RGB frames to baseline JPEG pictures, for the live view's
// MJPEG stream (every browser shows one in a plain <img>, no plugin, and a
// viewer can join at any picture, unlike a video stream that needs a
// keyframe and a header first).
//
// FFmpeg's mjpeg encoder (libavcodec, already a dependency), fed through
// libswscale as full-range BT.601 YUV 4:2:0: JFIF's colour model, the one
// browsers decode JPEG with. About 2 ms a 600x400 picture on one core.
//
// Example:
//   RL_ASSIGN_OR_RETURN(auto encoder, JpegEncoder::Create(600, 400));
//   RL_ASSIGN_OR_RETURN(std::string jpeg, encoder->Encode(rgb_frame));
#ifndef RL_LIVE_JPEG_ENCODER_H_
#define RL_LIVE_JPEG_ENCODER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "rl/core/frame.h"

namespace rl {

class JpegEncoder {
 public:
  // `quality`: FFmpeg's qscale, 2 (best, biggest) to 31; 4 keeps the
  // envs' thin lines and text crisp at ~30 KB a 600x400 picture.
  static absl::StatusOr<std::unique_ptr<JpegEncoder>> Create(int width,
                                                             int height,
                                                             int quality = 4);
  virtual ~JpegEncoder() = default;

  // `frame` must be kRgb24 of the encoder's size.
  virtual absl::StatusOr<std::string> Encode(const Frame& frame) = 0;

  virtual int width() const = 0;
  virtual int height() const = 0;
};

}  // namespace rl

#endif  // RL_LIVE_JPEG_ENCODER_H_
