// DecodeVideo: reads a whole video file back through libavformat/libavcodec,
// for tests of recorders. Frames come out as packed RGB at the decoded
// (coded) size, converted with the colour matrix and range the stream is
// tagged with.
//
// Example:
//   RL_ASSIGN_OR_RETURN(DecodedVideo video, DecodeVideo(path));
//   EXPECT_EQ(video.codec_name, "h264");
//   EXPECT_EQ(video.frames.size(), 50);
#ifndef RL_RECORD_VIDEO_DECODER_H_
#define RL_RECORD_VIDEO_DECODER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rl/core/frame.h"

namespace rl {

struct DecodedVideo {
  std::string codec_name;  // FFmpeg's short name: "h264", "vp9".
  std::string profile;     // "High"; empty if unknown.
  std::string pix_fmt;     // "yuv420p".
  int width = 0;           // Decoded size, which may be padded to even.
  int height = 0;
  std::vector<Frame> frames;        // In presentation order, as RGB.
  std::vector<double> pts_seconds;  // One per frame.
  std::vector<bool> keyframes;      // One per frame: a keyframe?
  double duration_seconds = 0;      // The stream's, else the container's.
  int avg_frame_rate_num = 0;       // The stream's average frame rate.
  int avg_frame_rate_den = 1;
  // FFmpeg's names of the colour tags: "bt709", "tv" (limited range), or
  // "unknown"/"unspecified".
  std::string color_primaries;
  std::string color_transfer;
  std::string color_space;
  std::string color_range;
  std::string chroma_location;  // "left", "center", "unspecified".
  // Packets the decoder rejected as invalid and skipped, as players do: the
  // torn last fragment of a file whose writer hit a full disk.
  int corrupt_packets = 0;
};

// Decodes the best video stream of the file at `path`.
absl::StatusOr<DecodedVideo> DecodeVideo(absl::string_view path);

}  // namespace rl

#endif  // RL_RECORD_VIDEO_DECODER_H_
