// Frames to and from image files: PPM for eyeballing what a test drew, PNG
// (through libavcodec's encoder and decoder, already a dependency) for
// golden images, which stay small because they compress well.
//
// Example:
//   RL_RETURN_IF_ERROR(WritePng(frame, "/tmp/frame.png"));
//   RL_ASSIGN_OR_RETURN(Frame golden, ReadPng("testdata/cartpole.png"));
#ifndef RL_RENDER_IMAGE_IO_H_
#define RL_RENDER_IMAGE_IO_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rl/core/frame.h"

namespace rl {

// Writes `frame` (kRgb24) as a binary PPM (P6), which most viewers open.
absl::Status WritePpm(const Frame& frame, absl::string_view path);

// Writes `frame` (kRgb24) as an 8-bit RGB PNG.
absl::Status WritePng(const Frame& frame, absl::string_view path);

// Reads a PNG (any colour type libavcodec decodes) as a kRgb24 frame.
absl::StatusOr<Frame> ReadPng(absl::string_view path);

}  // namespace rl

#endif  // RL_RENDER_IMAGE_IO_H_
