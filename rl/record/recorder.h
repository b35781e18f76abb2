// Recorder: writes frames into a video file as they come.
//
// Implementations register by name and one-line description in Recorders()
// (one RegisterRecorder line in their own folder: rl/record/mp4/,
// rl/record/webm/; see rl/record/README.md) and are chosen by name; a
// recorder's name is also the file extension it writes ("mp4", "webm"). A
// recorder takes frames and knows nothing about envs or GL. Frames must all
// have the size given in the options; both Frame formats are taken: kRgb24 is
// converted to BT.709 limited-range yuv420p, kYuv420p (already BT.709 limited
// range) goes to the encoder as it is.
//
// Every recorder streams: a frame is encoded and written when it arrives, and
// the file is made crash-proof (a fragment or cluster ends) at least every
// `flush_interval_ms` of video and, behind an AsyncRecorder, of wall-clock
// time too: a process killed with SIGKILL leaves a file that plays every
// frame given more than about flush_interval_ms before the kill, however
// slowly the frames came. Memory does not grow with the number of frames.
//
// Files are created exclusively (an existing file or a symbolic link at
// `path` is an error, never overwritten or written through) and locked
// (flock) while written. When a write fails (disk full, file size limit),
// the file is cut back to its last complete fragment or cluster, so what is
// left plays cleanly, and the error is ResourceExhausted.
//
// By default the factories in Recorders() return the recorder behind an
// AsyncRecorder (async_recorder.h): WriteFrame() copies the frame into one
// of `queue_frames` reusable slots and returns, an encoder thread does the
// work, and WriteFrame() blocks while every slot is taken (back-pressure,
// never unbounded buffering). An error met on the encoder thread is returned
// by the next WriteFrame() or by Close(). `queue_frames = 0` encodes on the
// caller's thread instead.
//
// A Recorder is used from one thread at a time; distinct recorders may run
// on distinct threads at once.
//
// Example:
//   RecorderOptions options;
//   options.path = "videos/cartpole.mp4";
//   options.width = 600; options.height = 400; options.fps = 50;
//   RL_ASSIGN_OR_RETURN(auto recorder, Recorders().Create("mp4", options));
//   for (...) RL_RETURN_IF_ERROR(recorder->WriteFrame(frame));
//   RL_RETURN_IF_ERROR(recorder->Close());
#ifndef RL_RECORD_RECORDER_H_
#define RL_RECORD_RECORDER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rl/core/frame.h"
#include "rl/core/registry.h"

namespace rl {

struct RecorderOptions {
  // Output file, created: it must not exist yet (nor be a symbolic link).
  std::string path;
  // Frame size in pixels, 1..8192 each. Odd sizes are accepted: the encoder
  // works on the size rounded up to even (4:2:0 needs it, and so do some
  // hardware decoders), the extra column or row repeating the last one.
  int width = 0;
  int height = 0;
  int fps = 30;  // Frames per second, 1..240.

  // Quality. Constant quality (CRF-like): lower is better and larger.
  // mp4 (x264 crf): 1..51, default 23. webm (libvpx cq-level): 0..63,
  // default 32. Unset means the recorder's default. Every recorder takes
  // crf 16 (near transparent), as the conformance suite checks.
  std::optional<int> crf;
  // > 0: aim at this many kilobits per second instead of a constant
  // quality (crf is then ignored). 0..1000000.
  int bitrate_kbps = 0;

  // The chosen recorder's own settings, "key=value,key=value" (e.g. mp4:
  // "preset=veryfast"; webm: "speed=6,row_mt=1,tile_columns=2"); empty:
  // its defaults. Parsed and checked by that recorder when it opens (see
  // encoder_options.h and each recorder's folder for its keys): an unknown
  // key or a bad value is refused with the valid keys and ranges.
  std::string encoder_options;
  // Encoder threads, 0..64; 0: one per core.
  int threads = 0;

  // Frames between keyframes, 0..10000; 0 means one second (fps frames).
  // Seeking lands on keyframes.
  int keyframe_interval = 0;
  // Crash safety: the muxer completes a fragment (mp4) or cluster (webm) at
  // least this often in video time (and at every keyframe), and the
  // AsyncRecorder's encoder thread ends one once a frame has waited this
  // long in wall-clock time (a slow env), so a SIGKILL loses at most about
  // this much plus the queued frames. With queue_frames = 0 there is no
  // thread to keep the time: video time only. 10..60000 ms. Shorter costs a
  // little size (~100 bytes per fragment).
  int flush_interval_ms = 500;
  // Frames held between WriteFrame() and the encoder thread, 0..256; 0
  // encodes on the caller's thread. Each slot holds one frame (1.4 MB at
  // 1280x720 RGB).
  int queue_frames = 4;
};

// What a recorder actually writes, for sidecar files and the gallery.
struct EncoderInfo {
  std::string codec;      // FFmpeg's codec name: "h264", "vp9".
  std::string profile;    // "High", "0".
  std::string container;  // "mp4" (fragmented), "webm".
  int coded_width = 0;    // The size in the file: odd sizes rounded up.
  int coded_height = 0;
  // The effective settings, in a stable order: {"crf", "23"},
  // {"preset", "medium"}, {"keyframe_interval", "50"}... A
  // "keyframe_interval" setting is the most frames between two keyframes.
  std::vector<std::pair<std::string, std::string>> settings;
};

class Recorder {
 public:
  // Closes the file if Close() was not called (errors are then lost: call
  // Close() to see them).
  virtual ~Recorder() = default;

  // Encodes one frame. Fails with InvalidArgument on a size mismatch (the
  // recorder stays usable), or with the error of a write (disk full, file
  // too large) or of the encoder, which sticks: every later call returns
  // it, and the frames written before stay playable.
  virtual absl::Status WriteFrame(const Frame& frame) = 0;

  // Ends the open fragment or cluster and writes it to the file now, so the
  // frames written so far survive a crash; cheap when there is nothing to
  // write. The default does nothing.
  virtual absl::Status FlushFile() { return absl::OkStatus(); }

  // Flushes the encoder and finalizes the file. Idempotent: later calls
  // return the same status.
  virtual absl::Status Close() = 0;

  // Frames taken so far; after Close(), the frames in the file.
  virtual int64_t frames_written() const = 0;
  virtual const std::string& path() const = 0;
  virtual const EncoderInfo& info() const = 0;
};

using RecorderRegistry = Registry<Recorder, const RecorderOptions&>;

// The process-wide registry of recorders built into this binary.
RecorderRegistry& Recorders();

// A factory that opens a recorder encoding on the caller's thread.
using SyncRecorderFactory =
    std::function<absl::StatusOr<std::unique_ptr<Recorder>>(
        const RecorderOptions&)>;

// Checks a recorder's own settings (its crf range, its encoder_options)
// without opening anything: InvalidArgument saying which and the valid
// values.
using RecorderSettingsCheck =
    std::function<absl::Status(const RecorderOptions&)>;

// Registers `factory` in Recorders() as `name`: the registered factory
// checks the options every recorder shares (CheckCommonOptions) and the
// recorder's own (`check`), opens the recorder, and puts it behind an
// AsyncRecorder unless options.queue_frames is 0. The one line an
// implementation's .cc file needs:
//   const bool kRegistered =
//       RegisterRecorder("mp4", "H.264 ...", &Open, &CheckSettings);
bool RegisterRecorder(absl::string_view name, absl::string_view description,
                      SyncRecorderFactory factory, RecorderSettingsCheck check);

// InvalidArgument naming the recorder, the option, its value and the valid
// range, unless every option all recorders share is in range (path, size,
// fps, bitrate, threads, keyframe interval, flush interval, queue).
absl::Status CheckCommonOptions(absl::string_view recorder,
                                const RecorderOptions& options);

// Checks every setting of `options` but the path and the frame size for
// the recorder `name`, without opening anything: the shared ones (fps,
// bitrate, threads, keyframe and flush intervals, queue) and the
// recorder's own (crf range, encoder_options). An unknown name fails as
// Recorders().CheckName() does. For flags layers that check settings
// before any work starts.
absl::Status CheckRecorderSettings(absl::string_view name,
                                   const RecorderOptions& options);

// InvalidArgument "<recorder> recorder: <name> is <value>, valid range is
// <low>..<high>" unless low <= value <= high.
absl::Status CheckRange(absl::string_view recorder, absl::string_view name,
                        int value, int low, int high);

// InvalidArgument unless `frame` is options.width x options.height; the
// message names both sizes and the file.
absl::Status CheckFrame(absl::string_view recorder,
                        const RecorderOptions& options, const Frame& frame);

// The size an encoder works on: `size` rounded up to even.
inline int CodedSize(int size) { return (size + 1) & ~1; }

}  // namespace rl

#endif  // RL_RECORD_RECORDER_H_
