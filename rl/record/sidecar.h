// Sidecar: the JSON file written beside each video with what it shows and
// how it was made (env id and kwargs, episode, steps, return, seed, render
// backend, codec and settings), and the same facts for the gallery page.
//
// Example (videos/CartPole-v1-episode-0-steps-0-23.json):
//   {"file": "CartPole-v1-episode-0-steps-0-23.mp4", "env_id": "CartPole-v1",
//    "env_kwargs": "", "episode": 0, "last_episode": 0, "first_step": 0,
//    "last_step": 23, "frames": 24, "steps": 23, "return": 23, "ended":
//    "terminated", "seed": 0, "agent": "random", "render_backend": "llvmpipe",
//    ..., "recorder": "mp4", "codec": "h264", "settings": {"crf": "23", ...}}
//
//   RL_RETURN_IF_ERROR(WriteSidecar("videos/x.json", record));
//   gallery.push_back(ToGalleryVideo(record, "x.json"));
#ifndef RL_RECORD_SIDECAR_H_
#define RL_RECORD_SIDECAR_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "rl/record/gallery.h"
#include "rl/record/recorder.h"

namespace rl {

struct VideoRecord {
  std::string file;  // The video's file name, in the sidecar's directory.
  std::string env_id;
  // The env's keyword arguments, gym.make(env_id, **kwargs), in canonical
  // form (FormatEnvKwargs: "key=value,...", keys sorted); "" for none.
  // Always written, so readers need no default.
  std::string env_kwargs;
  int64_t episode = 0;       // Episode of the first frame (0-based).
  int64_t last_episode = 0;  // Episode of the last frame.
  // Env steps of the run the first and last frames show (0: the state
  // before the run's first step).
  int64_t first_step = 0;
  int64_t last_step = 0;
  int64_t frames = 0;
  int64_t steps = 0;        // Env steps shown (frames minus reset frames).
  double video_return = 0;  // Sum of the rewards of the steps shown.
  // Why the video ended: "terminated", "truncated" (time limit),
  // "video_length", "frame cap" (an env without a time limit, see
  // VideoSessionOptions), "next video" (a trigger started another),
  // "stopped" (a stop request), "run ended" (no episodes left).
  std::string ended;
  uint64_t seed = 0;
  std::string agent;
  std::string render_backend;
  std::string gl_renderer;  // GL_RENDERER of the context.
  std::string recorder;     // "mp4", "webm".
  EncoderInfo encoder;
  int width = 0;  // Frame size asked for (the coded size is in `encoder`).
  int height = 0;
  int fps = 0;
  std::string trigger;  // VideoTrigger::Describe().
  // Data-parallel training (rl/mpi): the rank whose env the video shows;
  // -1 (one process): not written.
  int rank = -1;
};

// The record as a JSON object, written with nlohmann-json (UTF-8,
// two-space indented, keys in a fixed order; a non-finite return is null).
std::string SidecarJson(const VideoRecord& record);

// Writes SidecarJson(record) to `path` atomically.
absl::Status WriteSidecar(const std::string& path, const VideoRecord& record);

// The gallery's entry for the video: title, facts, and a link to
// `sidecar_file` (relative to the page).
GalleryVideo ToGalleryVideo(const VideoRecord& record,
                            absl::string_view sidecar_file);

// The shortest decimal form of `value` that reads back the same ("23",
// "0.1", "1e+100"); "null" if it is not finite. For the gallery's facts.
std::string ShortestNumber(double value);

}  // namespace rl

#endif  // RL_RECORD_SIDECAR_H_
