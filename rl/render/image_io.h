// Writing frames to image files, for eyeballing what a test or tool drew.
//
// Example:
//   RL_RETURN_IF_ERROR(WritePpm(frame, "/tmp/frame.ppm"));
#ifndef RL_RENDER_IMAGE_IO_H_
#define RL_RENDER_IMAGE_IO_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "rl/core/frame.h"

namespace rl {

// Writes `frame` as a binary PPM (P6), which most image viewers open.
absl::Status WritePpm(const Frame& frame, absl::string_view path);

}  // namespace rl

#endif  // RL_RENDER_IMAGE_IO_H_
