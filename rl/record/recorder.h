// Recorder: writes frames into a video file as they come.
//
// Implementations register by name in Recorders() and are chosen by the
// --recorder flag; a recorder's name is also the file extension it writes
// ("mp4", "webm"). A recorder takes frames and knows nothing about
// envs or GL. Frames must all have the size given in the options.
//
// Example:
//   RecorderOptions options;
//   options.path = "videos/cartpole-episode-0.mp4";
//   options.width = 600; options.height = 400; options.fps = 50;
//   RL_ASSIGN_OR_RETURN(auto recorder, Recorders().Create("mp4", options));
//   for (...) RL_RETURN_IF_ERROR(recorder->WriteFrame(frame));
//   RL_RETURN_IF_ERROR(recorder->Close());
#ifndef RL_RECORD_RECORDER_H_
#define RL_RECORD_RECORDER_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "rl/core/frame.h"
#include "rl/core/registry.h"

namespace rl {

struct RecorderOptions {
  std::string path;  // Output file, created or truncated.
  // Frame size in pixels, 1..8192 each. Odd sizes are accepted: the encoder
  // works on the size rounded up to even (4:2:0 needs it), the extra column
  // or row repeating the last one.
  int width = 0;
  int height = 0;
  int fps = 30;  // Frames per second, 1..240.
  // Constant rate factor (quality): lower is better and larger. 0..51 for
  // H.264; 23 is libx264's default.
  int crf = 23;
  // Encoder speed/size trade-off, e.g. libx264's "ultrafast".."veryslow".
  std::string preset = "medium";
};

class Recorder {
 public:
  // Closes the file if Close() was not called (errors are then lost: call
  // Close() to see them).
  virtual ~Recorder() = default;

  // Encodes one frame. Fails on a size mismatch or a write error (disk
  // full, file gone); the frames written before stay playable.
  virtual absl::Status WriteFrame(const Frame& frame) = 0;

  // Flushes the encoder and finalizes the file. Idempotent.
  virtual absl::Status Close() = 0;

  virtual int64_t frames_written() const = 0;
  virtual const std::string& path() const = 0;
};

using RecorderRegistry = Registry<Recorder, const RecorderOptions&>;

// The process-wide registry of recorders built into this binary.
RecorderRegistry& Recorders();

}  // namespace rl

#endif  // RL_RECORD_RECORDER_H_
