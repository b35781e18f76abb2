// MuJoCo's own recorder as its users run it: Debian's `mujoco-record`
// sample (libmujoco-samples; /usr/share/doc/libmujoco-samples/examples/
// record.cc) writes raw RGB frames into a named pipe that an `ffmpeg` child
// encodes. Debian builds the sample on GLFW, so it needs an X display: it
// runs on a private Xvfb (GLX on Mesa's llvmpipe), as a user without a
// screen would run it under xvfb-run. Without a display it stops with
// "Could not initialize GLFW" and waits for Enter.
//
// What it draws is its own: MuJoCo's default look (shadows, reflections, the
// model's multisampling and shadow map), a free camera, the model with no
// controls (the humanoid falls), a time stamp, and a depth image read back
// with the colours and pasted into the corner. The frame size comes from the
// model (offwidth/offheight): Prepare saves a copy with the size asked for.
//
// Example:
//   RL_ASSIGN_OR_RETURN(auto record, MujocoRecord::Prepare(
//       "/usr/share/mujoco/model/humanoid/humanoid.xml", 480, 480, 30, 100,
//       dir));
//   RL_RETURN_IF_ERROR(record->Run({"-c:v", "libx264"}, dir + "/out.mp4"));
#ifndef BENCHMARKS_MUJOCO_RECORD_H_
#define BENCHMARKS_MUJOCO_RECORD_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace rl {

class XvfbServer;

class MujocoRecord {
 public:
  // Finds mujoco-record and ffmpeg, starts Xvfb, saves the model at
  // `width`x`height` (a binary .mjb in `dir`), makes the named pipe, and
  // picks the simulated duration that gives `frames` frames at `fps`.
  // FailedPrecondition when mujoco-record, ffmpeg or Xvfb is missing.
  static absl::StatusOr<std::unique_ptr<MujocoRecord>> Prepare(
      const std::string& model_path, int width, int height, int fps, int frames,
      const std::string& dir);
  ~MujocoRecord();

  // Runs mujoco-record into the pipe and ffmpeg (`codec_args`, output's
  // container) out of it, and waits for both. Fails if ffmpeg does, or if
  // mujoco-record wrote no frames.
  absl::Status Run(const std::vector<std::string>& codec_args,
                   const std::string& output_path);

  int frames() const { return frames_; }
  int width() const { return width_; }
  int height() const { return height_; }

 private:
  MujocoRecord() = default;

  std::shared_ptr<XvfbServer> xvfb_;
  std::string command_;  // mujoco-record's, with DISPLAY set.
  std::string model_;    // The saved .mjb.
  std::string pipe_;     // The named pipe.
  int width_ = 0;
  int height_ = 0;
  int fps_ = 0;
  int frames_ = 0;
};

}  // namespace rl

#endif  // BENCHMARKS_MUJOCO_RECORD_H_
