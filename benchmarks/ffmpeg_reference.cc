#include "benchmarks/ffmpeg_reference.h"

#include <sys/wait.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace rl {
namespace {

std::string Command(const std::string& ffmpeg, const FfmpegEncode& encode,
                    const std::string& input, const std::string& output) {
  std::vector<std::string> args = {
      ffmpeg,      "-hide_banner",
      "-loglevel", "error",
      "-nostdin",  "-y",
      "-f",        "rawvideo",
      "-pix_fmt",  "rgb24",
      "-s",        absl::StrCat(encode.width, "x", encode.height),
      "-r",        absl::StrCat(encode.fps),
      "-i",        input};
  args.insert(args.end(), encode.codec_args.begin(), encode.codec_args.end());
  args.push_back(output);
  std::vector<std::string> quoted;
  for (const std::string& arg : args) quoted.push_back(ShellQuote(arg));
  return absl::StrJoin(quoted, " ");
}

absl::Status ExitStatus(int status, const std::string& command) {
  if (status == -1) {
    return absl::InternalError(
        absl::StrCat("cannot run ", command, ": ", std::strerror(errno)));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return absl::InternalError(absl::StrCat("ffmpeg failed (status ", status,
                                            "); the command was: ", command));
  }
  return absl::OkStatus();
}

}  // namespace

std::string ShellQuote(const std::string& arg) {
  std::string quoted = "'";
  for (char c : arg) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

absl::StatusOr<std::string> FindFfmpeg() {
  const char* configured = std::getenv("RL_FFMPEG");
  const std::string ffmpeg = configured != nullptr ? configured : "ffmpeg";
  const std::string probe = absl::StrCat(
      ShellQuote(ffmpeg), " -hide_banner -version >/dev/null 2>&1");
  if (std::system(probe.c_str()) != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot run '", ffmpeg,
        "', needed for the reference measurements: apt-get install ffmpeg "
        "(tools/setup.sh does), or set RL_FFMPEG to its path"));
  }
  return ffmpeg;
}

absl::StatusOr<SeedMethod> SeedMethod::Start(const FfmpegEncode& encode,
                                             const std::string& output_path) {
  absl::StatusOr<std::string> ffmpeg = FindFfmpeg();
  if (!ffmpeg.ok()) return ffmpeg.status();
  const std::string command = Command(*ffmpeg, encode, "-", output_path);
  std::FILE* pipe = popen(command.c_str(), "w");
  if (pipe == nullptr) {
    return absl::InternalError(
        absl::StrCat("cannot start ", command, ": ", std::strerror(errno)));
  }
  return SeedMethod(pipe);
}

SeedMethod::SeedMethod(SeedMethod&& other) noexcept
    : pipe_(std::exchange(other.pipe_, nullptr)) {}

SeedMethod::~SeedMethod() {
  if (pipe_ != nullptr) pclose(pipe_);
}

absl::Status SeedMethod::Write(const Frame& frame) {
  if (pipe_ == nullptr) return absl::FailedPreconditionError("pipe closed");
  if (std::fwrite(frame.data(), 1, frame.size_bytes(), pipe_) !=
      frame.size_bytes()) {
    return absl::InternalError(absl::StrCat(
        "writing a frame into ffmpeg's pipe: ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

absl::Status SeedMethod::Finish() {
  if (pipe_ == nullptr) return absl::OkStatus();
  const int status = pclose(std::exchange(pipe_, nullptr));
  return ExitStatus(status, "ffmpeg (pipe)");
}

absl::Status WriteRawFrames(const std::vector<Frame>& frames,
                            const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) {
    return absl::InternalError(
        absl::StrCat("cannot create ", path, ": ", std::strerror(errno)));
  }
  bool ok = true;
  for (const Frame& frame : frames) {
    ok = ok && std::fwrite(frame.data(), 1, frame.size_bytes(), file) ==
                   frame.size_bytes();
  }
  ok = std::fclose(file) == 0 && ok;
  if (!ok) {
    return absl::InternalError(
        absl::StrCat("cannot write ", path, ": ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

absl::Status EncodeFromFile(const FfmpegEncode& encode,
                            const std::string& raw_path,
                            const std::string& output_path) {
  absl::StatusOr<std::string> ffmpeg = FindFfmpeg();
  if (!ffmpeg.ok()) return ffmpeg.status();
  const std::string command = Command(*ffmpeg, encode, raw_path, output_path);
  return ExitStatus(std::system(command.c_str()), command);
}

}  // namespace rl
