// The two references every pipeline figure is divided by, measured in the
// same run on the same frames and encoder settings:
//
//   SeedMethod:    the seed's way (gym's Monitor/ImageEncoder): raw RGB
//                  frames written into an `ffmpeg` subprocess through a pipe.
//   EncoderLimit:  the `ffmpeg` tool encoding the same frames, already
//                  rendered, from a file: what the encoder alone can do.
//
// Both run Debian's `ffmpeg` command-line tool (package ffmpeg).
//
// Example:
//   FfmpegEncode encode{600, 400, 50, {"-c:v", "libx264", "-preset",
//   "medium"}}; RL_ASSIGN_OR_RETURN(SeedMethod seed, SeedMethod::Start(encode,
//   out_path)); for (...) RL_RETURN_IF_ERROR(seed.Write(frame));
//   RL_RETURN_IF_ERROR(seed.Finish());
#ifndef BENCHMARKS_FFMPEG_REFERENCE_H_
#define BENCHMARKS_FFMPEG_REFERENCE_H_

#include <cstdio>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "rl/core/frame.h"

namespace rl {

// What ffmpeg is asked to encode: raw RGB frames of this size and rate, with
// `codec_args` (e.g. {"-c:v", "libx264", "-preset", "medium", "-crf",
// "23"}) and the output container chosen from the output file's extension.
struct FfmpegEncode {
  int width = 0;
  int height = 0;
  int fps = 30;
  std::vector<std::string> codec_args;
};

// `arg` quoted for /bin/sh.
std::string ShellQuote(const std::string& arg);

// The `ffmpeg` binary to run: $RL_FFMPEG, else "ffmpeg" from $PATH. Fails
// with a hint to install Debian's ffmpeg package when it cannot be run.
absl::StatusOr<std::string> FindFfmpeg();

// The seed's method: an `ffmpeg` child reading raw RGB on its stdin.
class SeedMethod {
 public:
  static absl::StatusOr<SeedMethod> Start(const FfmpegEncode& encode,
                                          const std::string& output_path);
  SeedMethod(SeedMethod&& other) noexcept;
  SeedMethod& operator=(SeedMethod&&) = delete;
  ~SeedMethod();

  // Writes one RGB frame of the configured size into the pipe.
  absl::Status Write(const Frame& frame);
  // Closes the pipe and waits for ffmpeg; fails if it exited non-zero.
  absl::Status Finish();

 private:
  explicit SeedMethod(std::FILE* pipe) : pipe_(pipe) {}
  std::FILE* pipe_ = nullptr;
};

// Writes `frames` (RGB) one after another into a raw file for
// EncodeFromFile.
absl::Status WriteRawFrames(const std::vector<Frame>& frames,
                            const std::string& path);

// Runs `ffmpeg` on the raw RGB file at `raw_path` (frames of encode's size)
// and waits for it: the encoder-alone reference. Time it from outside.
absl::Status EncodeFromFile(const FfmpegEncode& encode,
                            const std::string& raw_path,
                            const std::string& output_path);

}  // namespace rl

#endif  // BENCHMARKS_FFMPEG_REFERENCE_H_
