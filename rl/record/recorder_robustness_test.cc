// What happens to every recorder ("mp4", "webm") when things go wrong:
// the process is killed with SIGKILL mid-video, the disk fills up, the file
// outgrows its size limit, write permission is taken away; and what memory
// a long video costs. Each case runs in a forked child (the parent stays
// single-threaded when it forks); the parent then decodes what the child
// left behind.

#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rl/core/frame.h"
#include "rl/record/async_recorder.h"
#include "rl/record/child_process.h"
#include "rl/record/recorder.h"
#include "rl/record/test_frames.h"
#include "rl/record/video_decoder.h"

#if defined(__SANITIZE_ADDRESS__)
// AddressSanitizer keeps freed memory in a quarantine (256 MB by default)
// to catch use-after-free, which makes peak RSS grow with the number of
// allocations however constant the live memory is. Without the quarantine
// the peak memory test measures what it means to.
extern "C" const char* __asan_default_options() {
  return "quarantine_size_mb=0:thread_local_quarantine_size_kb=0";
}
#endif

namespace rl {
namespace {

using ::testing::HasSubstr;

// See recorder_conformance_test.cc: measured 40.8-42.5 dB at these settings.
constexpr double kMinPsnrDb = 35.0;
// Peak RSS of a 10,000-frame recording may exceed a 1,000-frame one's by
// at most this much: a leak of ~200 bytes per frame would show.
constexpr int64_t kMaxPeakGrowthKib = 2048;

std::string TempPath(absl::string_view name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return absl::StrCat(dir != nullptr ? dir : "/tmp", "/", name);
}

std::string StatusText(const absl::Status& status) {
  return absl::StrCat(absl::StatusCodeToString(status.code()), ": ",
                      status.message());
}

class RecorderRobustnessTest : public ::testing::TestWithParam<std::string> {
 protected:
  const std::string& recorder() const { return GetParam(); }

  RecorderOptions Options(const std::string& path, int width, int height,
                          int fps) const {
    RecorderOptions options;
    options.path = path;
    options.width = width;
    options.height = height;
    options.fps = fps;
    options.crf = recorder() == "mp4" ? 18 : 16;
    if (recorder() == "mp4") options.encoder_options = "preset=veryfast";
    return options;
  }

  std::string Path(absl::string_view name) const {
    return TempPath(absl::StrCat(recorder(), "-", name, ".", recorder()));
  }

  // Frame i of `video` is test frame i (padded), for every frame.
  void ExpectFramesMatch(const DecodedVideo& video,
                         const RecorderOptions& options) const {
    for (size_t i = 0; i < video.frames.size(); ++i) {
      const Frame input =
          PadFrame(MakeTestFrame(options.width, options.height, i), video.width,
                   video.height);
      EXPECT_GT(Psnr(input, video.frames[i]), kMinPsnrDb) << "frame " << i;
    }
  }
};

// Writes `frames` test frames; the first error, if any.
absl::Status WriteFrames(Recorder& recorder, const RecorderOptions& options,
                         int first, int frames) {
  for (int i = first; i < first + frames; ++i) {
    absl::Status status =
        recorder.WriteFrame(MakeTestFrame(options.width, options.height, i));
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

// A big-endian number of `size` bytes at `at`.
uint64_t BigEndian(const std::string& bytes, size_t at, int size) {
  uint64_t value = 0;
  for (int i = 0; i < size; ++i) value = value << 8 | uint8_t(bytes[at + i]);
  return value;
}

// "" if `path` is a whole number of MP4 boxes ending with a complete
// fragment's mdat (or a finished file's mfra); else what is wrong.
std::string CheckEndsOnAFragment(const std::string& path) {
  const std::string bytes = ReadAll(path);
  size_t at = 0;
  std::string last;
  while (at < bytes.size()) {
    if (bytes.size() - at < 8) return absl::StrCat("torn box header at ", at);
    uint64_t size = BigEndian(bytes, at, 4);
    last = bytes.substr(at + 4, 4);
    if (size == 1) size = BigEndian(bytes, at + 8, 8);
    if (size < 8 || size > bytes.size() - at) {
      return absl::StrCat("box '", last, "' at ", at, " of ", size,
                          " bytes runs past the end (", bytes.size(), ")");
    }
    at += size;
  }
  if (last != "mdat" && last != "mfra") return "the last box is " + last;
  return "";
}

// An EBML variable-size integer at `at`: its value (the length marker
// cleared unless `keep_marker`, as IDs keep it) and its length; length 0 if
// torn.
std::pair<uint64_t, int> Vint(const std::string& bytes, size_t at,
                              bool keep_marker) {
  if (at >= bytes.size()) return {0, 0};
  const uint8_t first = bytes[at];
  int length = 1;
  while (length <= 8 && !(first & (0x80 >> (length - 1)))) ++length;
  if (length > 8 || at + length > bytes.size()) return {0, 0};
  uint64_t value = keep_marker ? first : first & (0xff >> length);
  for (int i = 1; i < length; ++i) value = value << 8 | uint8_t(bytes[at + i]);
  return {value, length};
}

// "" if `path` is the EBML header and a Segment whose children are whole
// elements, the last a Cluster (or a finished file's Cues); else what is
// wrong.
std::string CheckEndsOnACluster(const std::string& path) {
  const std::string bytes = ReadAll(path);
  constexpr uint64_t kSegment = 0x18538067, kCluster = 0x1F43B675,
                     kCues = 0x1C53BB6B;
  size_t at = 0;
  uint64_t last = 0;
  bool in_segment = false;
  while (at < bytes.size()) {
    const auto [id, id_length] = Vint(bytes, at, true);
    const auto [size, size_length] = Vint(bytes, at + id_length, false);
    if (id_length == 0 || size_length == 0) {
      return absl::StrCat("torn element header at ", at);
    }
    at += id_length + size_length;
    if (id == kSegment && !in_segment) {
      in_segment = true;  // Its children follow, whatever its size says.
      continue;
    }
    if (size > bytes.size() - at) {
      return absl::StrCat("element 0x", absl::Hex(id), " at ", at, " of ", size,
                          " bytes runs past the end (", bytes.size(), ")");
    }
    at += size;
    last = id;
  }
  if (last != kCluster && last != kCues) {
    return absl::StrCat("the last element is 0x", absl::Hex(last));
  }
  return "";
}

// For a child: records `frames` test frames, each followed by `pause`,
// waits `linger`, and kills itself with SIGKILL mid-video (the recorder is
// never closed). Returns only on an error, which it says.
int RecordThenDie(const std::string& recorder, const RecorderOptions& options,
                  int frames, absl::Duration pause, absl::Duration linger,
                  const Say& say) {
  absl::StatusOr<std::unique_ptr<Recorder>> opened =
      Recorders().Create(recorder, options);
  absl::Status status = opened.status();
  for (int i = 0; i < frames && status.ok(); ++i) {
    status =
        (*opened)->WriteFrame(MakeTestFrame(options.width, options.height, i));
    absl::SleepFor(pause);
  }
  if (!status.ok()) {
    say(StatusText(status));
    return 1;
  }
  absl::SleepFor(linger);
  raise(SIGKILL);
  return 1;
}

// SIGKILL while frames are still being written: the file plays up to the
// last fragment or cluster completed before the kill. At most the open
// fragment (flush_interval_ms plus a frame) and the queued frames are lost.
TEST_P(RecorderRobustnessTest, KilledMidVideoLeavesAPlayablePrefix) {
  for (int queue_frames : {0, 4}) {
    SCOPED_TRACE(absl::StrCat("queue_frames ", queue_frames));
    RecorderOptions options = Options(
        Path(absl::StrCat("killed-q", queue_frames)), 160, 120, /*fps=*/10);
    options.queue_frames = queue_frames;
    constexpr int kFrames = 47;
    const ChildResult child = RunInChild([&](const Say& say) {
      return RecordThenDie(recorder(), options, kFrames, absl::ZeroDuration(),
                           absl::ZeroDuration(), say);
    });
    ASSERT_TRUE(child.killed_by_sigkill())
        << child.Describe() << ": " << child.message;

    absl::StatusOr<DecodedVideo> video = DecodeVideo(options.path);
    ASSERT_TRUE(video.ok()) << video.status();
    const int frames_per_flush = options.flush_interval_ms * options.fps / 1000;
    const int max_lost = frames_per_flush + 1 + queue_frames + 1;
    EXPECT_GE(video->frames.size(), kFrames - max_lost);
    EXPECT_LE(video->frames.size(), kFrames);
    // Synchronously, the kill comes between writes: the file ends on a
    // fragment boundary. The encoder thread may be killed mid-write, which
    // leaves one torn packet at the end (players skip it).
    EXPECT_LE(video->corrupt_packets, queue_frames == 0 ? 0 : 1);
    ExpectFramesMatch(*video, options);
  }
}

// Crash safety in wall-clock time: frames that come slowly (a slow env, 5
// frames/s into a 30 fps video, so that the 500 ms fragment of video time
// would take 3 s to fill) are in the file within about flush_interval_ms
// of being given, not only when video time says so.
TEST_P(RecorderRobustnessTest, SlowFramesReachTheFileWithinTheFlushInterval) {
  RecorderOptions options = Options(Path("slow"), 160, 120, /*fps=*/30);
  ASSERT_EQ(options.flush_interval_ms, 500);
  constexpr int kFrames = 10;
  const ChildResult child = RunInChild([&](const Say& say) {
    // The last frame waits 200 ms, then the interval and a margin for a
    // loaded machine.
    return RecordThenDie(recorder(), options, kFrames, absl::Milliseconds(200),
                         absl::Milliseconds(options.flush_interval_ms + 700),
                         say);
  });
  ASSERT_TRUE(child.killed_by_sigkill())
      << child.Describe() << ": " << child.message;
  absl::StatusOr<DecodedVideo> video = DecodeVideo(options.path);
  ASSERT_TRUE(video.ok()) << video.status();
  EXPECT_EQ(video->frames.size(), kFrames);
  EXPECT_EQ(video->corrupt_packets, 0);
  ExpectFramesMatch(*video, options);
}

// A video file is created, never written through a symbolic link planted
// at its name (whether the link points at a file or at nothing) nor over
// an existing file: a clear error, and the other file is untouched.
TEST_P(RecorderRobustnessTest, PlantedLinkOrExistingFileIsRefused) {
  const std::string dir = TempPath(absl::StrCat(recorder(), "-planted"));
  ASSERT_EQ(mkdir(dir.c_str(), 0755), 0) << std::strerror(errno);
  const std::string victim = dir + "/victim";
  std::ofstream(victim) << "precious";
  const std::string link = dir + "/link." + recorder();
  ASSERT_EQ(symlink(victim.c_str(), link.c_str()), 0);
  const std::string dangling = dir + "/dangling." + recorder();
  const std::string nowhere = dir + "/created-through-the-link";
  ASSERT_EQ(symlink(nowhere.c_str(), dangling.c_str()), 0);
  const std::string existing = dir + "/existing." + recorder();
  std::ofstream(existing) << "an older video";

  const struct {
    std::string path;
    absl::StatusCode code;
    std::string says;
  } cases[] = {
      {link, absl::StatusCode::kFailedPrecondition, "symbolic link"},
      {dangling, absl::StatusCode::kFailedPrecondition, "symbolic link"},
      {existing, absl::StatusCode::kAlreadyExists, "move it away"},
  };
  for (const auto& [path, code, says] : cases) {
    SCOPED_TRACE(path);
    absl::StatusOr<std::unique_ptr<Recorder>> opened =
        Recorders().Create(recorder(), Options(path, 64, 48, 10));
    ASSERT_FALSE(opened.ok());
    EXPECT_EQ(opened.status().code(), code);
    EXPECT_THAT(opened.status().message(), HasSubstr(path));
    EXPECT_THAT(opened.status().message(), HasSubstr(says));
  }
  EXPECT_EQ(ReadAll(victim), "precious");
  EXPECT_EQ(ReadAll(existing), "an older video");
  struct stat info;
  EXPECT_NE(lstat(nowhere.c_str(), &info), 0) << nowhere << " was created";
}

// A full disk, for real: a 512 KiB tmpfs mounted in a private mount
// namespace of the child. The first video fits and stays intact; the
// second fails with a clear, sticky ResourceExhausted error naming the
// file, and what was written of it before stays playable.
TEST_P(RecorderRobustnessTest, FullDiskIsAClearErrorAndEarlierVideosSurvive) {
  const std::string outside = TempPath(absl::StrCat(recorder(), "-full-disk"));
  ASSERT_EQ(mkdir(outside.c_str(), 0755), 0) << std::strerror(errno);
  const std::string disk = outside + "/disk";
  ASSERT_EQ(mkdir(disk.c_str(), 0755), 0) << std::strerror(errno);
  const RecorderOptions first =
      Options(disk + "/first." + recorder(), 160, 120, 10);
  const RecorderOptions second =
      Options(disk + "/second." + recorder(), 640, 480, 10);
  const ChildResult child = RunInChild([&](const Say& say) {
    if (unshare(CLONE_NEWNS) != 0 ||
        mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
        mount("tmpfs", disk.c_str(), "tmpfs", 0, "size=512k") != 0) {
      say(absl::StrCat("cannot mount a small tmpfs here (",
                       std::strerror(errno), ")"));
      return kChildSkipped;
    }
    auto record = [&](const RecorderOptions& options, int frames) {
      absl::StatusOr<std::unique_ptr<Recorder>> opened =
          Recorders().Create(recorder(), options);
      if (!opened.ok()) return opened.status();
      absl::Status status = WriteFrames(**opened, options, 0, frames);
      absl::Status closed = (*opened)->Close();
      if (status.ok()) return closed;
      if (closed != status) {
        return absl::InternalError(absl::StrCat("Close() said '",
                                                closed.ToString(), "' after '",
                                                status.ToString(), "'"));
      }
      return status;
    };
    absl::Status status = record(first, 20);
    if (!status.ok()) {
      say(absl::StrCat("first video: ", StatusText(status)));
      return 1;
    }
    // ~3 KB per frame at this size: 512 KiB fill up within 300 frames.
    status = record(second, 300);
    say(StatusText(status));
    // Copy both out of the namespace for the parent to decode.
    for (const std::string name : {"first", "second"}) {
      const std::string from = absl::StrCat(disk, "/", name, ".", recorder());
      std::ifstream in(from, std::ios::binary);
      std::ofstream(absl::StrCat(outside, "/", name, ".", recorder()),
                    std::ios::binary)
          << in.rdbuf();
    }
    return 0;
  });
  if (child.skipped()) GTEST_SKIP() << child.message;
  ASSERT_TRUE(child.exited_ok()) << child.Describe() << ": " << child.message;
  std::cout << "the error: " << child.message;
  EXPECT_THAT(child.message, HasSubstr("RESOURCE_EXHAUSTED"));
  EXPECT_THAT(child.message, HasSubstr("No space left on device"));
  EXPECT_THAT(child.message, HasSubstr(second.path));

  absl::StatusOr<DecodedVideo> intact =
      DecodeVideo(absl::StrCat(outside, "/first.", recorder()));
  ASSERT_TRUE(intact.ok()) << intact.status();
  EXPECT_EQ(intact->frames.size(), 20);
  EXPECT_EQ(intact->corrupt_packets, 0);
  ExpectFramesMatch(*intact, first);
  // The failed video was cut back to its last complete fragment or
  // cluster: no torn data at its end, every frame in it decodes cleanly.
  const std::string cut_path = absl::StrCat(outside, "/second.", recorder());
  EXPECT_EQ(recorder() == "mp4" ? CheckEndsOnAFragment(cut_path)
                                : CheckEndsOnACluster(cut_path),
            "");
  absl::StatusOr<DecodedVideo> cut = DecodeVideo(cut_path);
  ASSERT_TRUE(cut.ok()) << cut.status();
  EXPECT_GT(cut->frames.size(), 0);
  EXPECT_LT(cut->frames.size(), 300);
  EXPECT_EQ(cut->corrupt_packets, 0);
  ExpectFramesMatch(*cut, second);
}

// The same through the file size limit (RLIMIT_FSIZE, EFBIG), which needs
// no privileges: where tmpfs cannot be mounted, this still runs.
TEST_P(RecorderRobustnessTest, FileSizeLimitIsAClearStickyError) {
  const RecorderOptions options = Options(Path("size-limit"), 160, 120, 10);
  const ChildResult child = RunInChild([&](const Say& say) {
    signal(SIGXFSZ, SIG_IGN);  // write() then fails with EFBIG instead.
    const rlimit limit = {20000, 20000};
    if (setrlimit(RLIMIT_FSIZE, &limit) != 0) return kChildSkipped;
    absl::StatusOr<std::unique_ptr<Recorder>> opened =
        Recorders().Create(recorder(), options);
    if (!opened.ok()) {
      say(StatusText(opened.status()));
      return 1;
    }
    Recorder& recorder = **opened;
    absl::Status error;
    int frames = 0;
    for (; frames < 1000 && error.ok(); ++frames) {
      error = recorder.WriteFrame(MakeTestFrame(160, 120, frames));
    }
    say(StatusText(error));
    if (error.ok()) return 10;
    if (recorder.WriteFrame(MakeTestFrame(160, 120, 0)) != error) return 11;
    if (recorder.Close() != error) return 12;
    return 0;
  });
  ASSERT_TRUE(child.exited_ok())
      << "10: no error, 11: not sticky, 12: Close() differs; wait status "
      << child.Describe() << ": " << child.message;
  std::cout << "the error: " << child.message;
  EXPECT_THAT(child.message, HasSubstr("RESOURCE_EXHAUSTED"));
  EXPECT_THAT(child.message, HasSubstr("File too large"));
  EXPECT_THAT(child.message, HasSubstr(options.path));

  absl::StatusOr<DecodedVideo> video = DecodeVideo(options.path);
  ASSERT_TRUE(video.ok()) << video.status();
  EXPECT_GE(video->frames.size(), options.fps);
  ExpectFramesMatch(*video, options);
}

// Write permission taken away mid-recording. An open file stays writable
// (POSIX checks permission when a file is opened), so the video being
// written is finished; the next one cannot be created and fails clearly.
// Tests run as root, which ignores permission bits, so the child also
// gives up root (becomes `nobody`) when the directory is made read-only.
TEST_P(RecorderRobustnessTest, RemovedWritePermissionStopsTheNextVideoOnly) {
  const std::string dir = TempPath(absl::StrCat(recorder(), "-read-only"));
  ASSERT_EQ(mkdir(dir.c_str(), 0755), 0) << std::strerror(errno);
  const RecorderOptions first =
      Options(dir + "/first." + recorder(), 96, 64, 10);
  const RecorderOptions second =
      Options(dir + "/second." + recorder(), 96, 64, 10);
  const RecorderOptions third =
      Options(dir + "/third." + recorder(), 96, 64, 10);
  const ChildResult child = RunInChild([&](const Say& say) {
    auto open = [&](const RecorderOptions& options) {
      return Recorders().Create(recorder(), options);
    };
    auto a = open(first);
    if (!a.ok() || !WriteFrames(**a, first, 0, 15).ok() ||
        !(*a)->Close().ok()) {
      say("first video failed");
      return 1;
    }
    auto b = open(second);
    if (!b.ok() || !WriteFrames(**b, second, 0, 10).ok()) {
      say("second video failed to start");
      return 1;
    }
    if (chmod(dir.c_str(), 0555) != 0) return 2;
    if (geteuid() == 0 && (setgroups(0, nullptr) != 0 || setgid(65534) != 0 ||
                           setuid(65534) != 0)) {
      say(absl::StrCat("cannot give up root: ", std::strerror(errno)));
      return kChildSkipped;
    }
    absl::Status status = WriteFrames(**b, second, 10, 10);
    if (status.ok()) status = (*b)->Close();
    if (!status.ok()) {
      say(absl::StrCat("the open video failed: ", StatusText(status)));
      return 1;
    }
    auto c = open(third);
    say(StatusText(c.status()));
    return c.ok() ? 1 : 0;
  });
  chmod(dir.c_str(), 0755);
  if (child.skipped()) GTEST_SKIP() << child.message;
  ASSERT_TRUE(child.exited_ok()) << child.Describe() << ": " << child.message;
  std::cout << "the error: " << child.message;
  EXPECT_THAT(child.message, HasSubstr("PERMISSION_DENIED"));
  EXPECT_THAT(child.message, HasSubstr("Permission denied"));
  EXPECT_THAT(child.message, HasSubstr(third.path));
  EXPECT_THAT(child.message, HasSubstr("writable"));

  for (const auto& [options, frames] :
       {std::make_pair(first, 15), std::make_pair(second, 20)}) {
    absl::StatusOr<DecodedVideo> video = DecodeVideo(options.path);
    ASSERT_TRUE(video.ok()) << video.status();
    EXPECT_EQ(video->frames.size(), frames) << options.path;
    EXPECT_EQ(video->corrupt_packets, 0);
    ExpectFramesMatch(*video, options);
  }
  struct stat info;
  EXPECT_NE(stat(third.path.c_str(), &info), 0);
}

// Peak resident memory of a process recording 10,000 frames is that of one
// recording 1,000: frames stream through, nothing accumulates. Each count
// runs in a fresh child whose peak (VmHWM) is reset before it starts.
TEST_P(RecorderRobustnessTest, PeakMemoryDoesNotGrowWithVideoLength) {
  auto peak_kib = [&](int frames) -> int64_t {
    const RecorderOptions options =
        Options(Path(absl::StrCat("memory-", frames)), 96, 64, 50);
    const ChildResult child = RunInChild([&](const Say& say) {
      // The frames are made up front so that only the recorder allocates.
      const Frame rgb[2] = {MakeTestFrame(96, 64, 0), MakeTestFrame(96, 64, 1)};
      ResetPeakRss();
      absl::StatusOr<std::unique_ptr<Recorder>> opened =
          Recorders().Create(recorder(), options);
      if (!opened.ok()) return 1;
      for (int i = 0; i < frames; ++i) {
        if (!(*opened)->WriteFrame(rgb[i % 2]).ok()) return 1;
      }
      if (!(*opened)->Close().ok()) return 1;
      say(absl::StrCat(PeakRssKib()));
      return 0;
    });
    int64_t kib = -1;
    if (!child.exited_ok() ||
        !absl::SimpleAtoi(absl::StripAsciiWhitespace(child.message), &kib)) {
      ADD_FAILURE() << "child recording " << frames
                    << " frames failed: " << child.message;
    }
    return kib;
  };
  const int64_t peak_1000 = peak_kib(1000);
  const int64_t peak_10000 = peak_kib(10000);
  ASSERT_GT(peak_1000, 0);
  ASSERT_GT(peak_10000, 0);
  RecordProperty("peak_rss_kib_1000_frames", std::to_string(peak_1000));
  RecordProperty("peak_rss_kib_10000_frames", std::to_string(peak_10000));
  std::cout << recorder() << ": peak RSS " << peak_1000
            << " KiB (1,000 frames), " << peak_10000
            << " KiB (10,000 frames)\n";
  EXPECT_LE(peak_10000 - peak_1000, kMaxPeakGrowthKib);
}

INSTANTIATE_TEST_SUITE_P(AllRecorders, RecorderRobustnessTest,
                         ::testing::Values("mp4", "webm"));

}  // namespace
}  // namespace rl
