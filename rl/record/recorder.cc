#include "rl/record/recorder.h"

#include <map>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "rl/core/status_macros.h"
#include "rl/record/async_recorder.h"

namespace rl {
namespace {

constexpr int kMaxSize = 8192;
constexpr int kMaxFps = 240;

// Each registered recorder's own settings check, beside Recorders().
struct SettingsChecks {
  absl::Mutex mutex;
  std::map<std::string, RecorderSettingsCheck, std::less<>> checks
      ABSL_GUARDED_BY(mutex);
};

SettingsChecks& Checks() {
  static auto* checks = new SettingsChecks;
  return *checks;
}

RecorderSettingsCheck CheckFor(absl::string_view name) {
  SettingsChecks& checks = Checks();
  absl::MutexLock lock(&checks.mutex);
  auto it = checks.checks.find(name);
  return it == checks.checks.end() ? nullptr : it->second;
}

// The shared ranges that do not depend on the file or the frame size.
absl::Status CheckSharedSettings(absl::string_view recorder,
                                 const RecorderOptions& options) {
  RL_RETURN_IF_ERROR(CheckRange(recorder, "fps", options.fps, 1, kMaxFps));
  RL_RETURN_IF_ERROR(
      CheckRange(recorder, "bitrate_kbps", options.bitrate_kbps, 0, 1000000));
  RL_RETURN_IF_ERROR(CheckRange(recorder, "threads", options.threads, 0, 64));
  RL_RETURN_IF_ERROR(CheckRange(recorder, "keyframe_interval",
                                options.keyframe_interval, 0, 10000));
  RL_RETURN_IF_ERROR(CheckRange(recorder, "flush_interval_ms",
                                options.flush_interval_ms, 10, 60000));
  return CheckRange(recorder, "queue_frames", options.queue_frames, 0, 256);
}

}  // namespace

RecorderRegistry& Recorders() {
  static auto* registry = new RecorderRegistry("recorder");
  return *registry;
}

absl::Status CheckRange(absl::string_view recorder, absl::string_view name,
                        int value, int low, int high) {
  if (value >= low && value <= high) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(recorder, " recorder: ", name, " is ", value,
                   ", valid range is ", low, "..", high));
}

absl::Status CheckCommonOptions(absl::string_view recorder,
                                const RecorderOptions& options) {
  if (options.path.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(recorder, " recorder: the output path is empty"));
  }
  RL_RETURN_IF_ERROR(CheckRange(recorder, "width", options.width, 1, kMaxSize));
  RL_RETURN_IF_ERROR(
      CheckRange(recorder, "height", options.height, 1, kMaxSize));
  return CheckSharedSettings(recorder, options);
}

absl::Status CheckRecorderSettings(absl::string_view name,
                                   const RecorderOptions& options) {
  RL_RETURN_IF_ERROR(Recorders().CheckName(name));
  RL_RETURN_IF_ERROR(CheckSharedSettings(name, options));
  RecorderSettingsCheck check = CheckFor(name);
  return check ? check(options) : absl::OkStatus();
}

absl::Status CheckFrame(absl::string_view recorder,
                        const RecorderOptions& options, const Frame& frame) {
  if (frame.width() == options.width && frame.height() == options.height) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat(recorder, " recorder: frame is ", frame.width(), "x",
                   frame.height(), " but '", options.path, "' was opened for ",
                   options.width, "x", options.height));
}

bool RegisterRecorder(absl::string_view name, absl::string_view description,
                      SyncRecorderFactory factory,
                      RecorderSettingsCheck check) {
  if (check) {
    SettingsChecks& checks = Checks();
    absl::MutexLock lock(&checks.mutex);
    checks.checks.emplace(std::string(name), check);
  }
  return Recorders().Register(
      std::string(name), std::string(description),
      [name = std::string(name), factory = std::move(factory),
       check = std::move(check)](const RecorderOptions& options)
          -> absl::StatusOr<std::unique_ptr<Recorder>> {
        RL_RETURN_IF_ERROR(CheckCommonOptions(name, options));
        if (check) RL_RETURN_IF_ERROR(check(options));
        RL_ASSIGN_OR_RETURN(std::unique_ptr<Recorder> recorder,
                            factory(options));
        if (options.queue_frames == 0) return recorder;
        return std::unique_ptr<Recorder>(
            std::make_unique<AsyncRecorder>(std::move(recorder), options));
      });
}

}  // namespace rl
