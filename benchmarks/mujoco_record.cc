#include "benchmarks/mujoco_record.h"

#include <fcntl.h>
#include <mujoco/mujoco.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "benchmarks/ffmpeg_reference.h"
#include "rl/core/mujoco_model.h"
#include "rl/core/status_macros.h"
#include "rl/render/glx/xvfb.h"

namespace rl {
namespace {

constexpr char kMujocoRecord[] = "/usr/bin/mujoco-record";

// The simulated duration after which record.cc's loop has rendered exactly
// `frames` frames: it renders when more than 1/fps of simulated time has
// passed since the last frame (or while that is still at time 0), then
// steps.
double DurationFor(double timestep, int fps, int frames) {
  double time = 0;
  double frame_time = 0;
  int count = 0;
  while (true) {
    if (time - frame_time > 1.0 / fps || frame_time == 0) {
      frame_time = time;
      if (++count == frames) return time + timestep / 2;
    }
    time += timestep;
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<MujocoRecord>> MujocoRecord::Prepare(
    const std::string& model_path, int width, int height, int fps, int frames,
    const std::string& dir) {
  if (access(kMujocoRecord, X_OK) != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no ", kMujocoRecord, ": apt-get install libmujoco-samples"));
  }
  RL_RETURN_IF_ERROR(FindFfmpeg().status());
  std::unique_ptr<MujocoRecord> record(new MujocoRecord());
  RL_ASSIGN_OR_RETURN(record->xvfb_, SharedXvfb());
  RL_ASSIGN_OR_RETURN(MjModelPtr model, LoadMjcfFile(model_path));
  model->vis.global.offwidth = width;
  model->vis.global.offheight = height;
  record->model_ = absl::StrCat(dir, "/mujoco-record-model.mjb");
  mj_saveModel(model.get(), record->model_.c_str(), nullptr, 0);
  record->pipe_ = absl::StrCat(dir, "/mujoco-record.rgb");
  unlink(record->pipe_.c_str());
  if (mkfifo(record->pipe_.c_str(), 0600) != 0) {
    return absl::InternalError(
        absl::StrCat("mkfifo ", record->pipe_, ": ", std::strerror(errno)));
  }
  record->width_ = width;
  record->height_ = height;
  record->fps_ = fps;
  record->frames_ = frames;
  const double duration = DurationFor(model->opt.timestep, fps, frames);
  record->command_ = absl::StrFormat(
      "DISPLAY=%s %s %s %.17g %d %s >/dev/null 2>&1 </dev/null",
      ShellQuote(record->xvfb_->display_name()), kMujocoRecord,
      ShellQuote(record->model_), duration, fps, ShellQuote(record->pipe_));
  return record;
}

MujocoRecord::~MujocoRecord() {
  if (!pipe_.empty()) unlink(pipe_.c_str());
  if (!model_.empty()) unlink(model_.c_str());
}

absl::Status MujocoRecord::Run(const std::vector<std::string>& codec_args,
                               const std::string& output_path) {
  std::remove(output_path.c_str());
  const FfmpegEncode encode{width_, height_, fps_, codec_args};
  absl::Status encoded;
  std::thread ffmpeg(
      [&] { encoded = EncodeFromFile(encode, pipe_, output_path); });
  // The sample exits with 1 whether it worked or not (and on an error waits
  // for Enter, here /dev/null): its status says nothing.
  (void)!std::system(command_.c_str());
  // If it never opened the pipe, ffmpeg still waits in open(): let it in,
  // to read end of file and fail.
  const int fd = open(pipe_.c_str(), O_WRONLY | O_NONBLOCK);
  if (fd >= 0) close(fd);
  ffmpeg.join();
  RL_RETURN_IF_ERROR(encoded);
  struct stat info;
  if (stat(output_path.c_str(), &info) != 0 || info.st_size == 0) {
    return absl::InternalError(absl::StrCat(
        "mujoco-record wrote no frames; its command was: ", command_));
  }
  return absl::OkStatus();
}

}  // namespace rl
