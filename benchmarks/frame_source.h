// Where the pipeline benchmarks' frames come from: an env played by the
// random agent (seed 0, reset when an episode ends), stepped once per frame
// and rendered either the pipeline's way or the reference's way, so both
// sides of every comparison encode the same pictures:
//
//               kPipeline (ours, YUV 4:2:0)      kReference (RGB, as users do)
//   2D env      Draw -> Renderer                 Draw -> Renderer (RGB)
//   MuJoCo env  UpdateScene -> MujocoRenderer    UpdateScene -> mjr_render ->
//               (readback converted to YUV)      mjr_readPixels (RGB), rows
//                                                flipped (Gymnasium's loop)
//
// MuJoCo frames are drawn with the same visual settings on both sides:
// Look::kProject (MujocoRendererOptions' defaults, chosen for llvmpipe: no
// shadows, no reflections, no multisampling) or Look::kMujoco (MuJoCo's own
// defaults, what mujoco-record and Gymnasium show: shadows, reflections, 4x
// multisampling, the model's shadow map).
//
// Example:
//   Workload workload{"HumanoidDMC-v0", 480, 480, 300, 30};
//   RL_ASSIGN_OR_RETURN(auto source, FrameSource::Create(
//       workload, "llvmpipe", FrameSource::Way::kPipeline));
//   Frame frame;
//   RL_RETURN_IF_ERROR(source->Next(&frame));
#ifndef BENCHMARKS_FRAME_SOURCE_H_
#define BENCHMARKS_FRAME_SOURCE_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "rl/core/frame.h"

namespace rl {

// What is drawn and encoded in one measured video.
struct Workload {
  enum class Look { kProject, kMujoco };
  std::string env_id;  // A registered env: 2D, or a MuJoCo env.
  int width = 0;
  int height = 0;
  int frames = 0;              // Per measured video.
  int fps = 30;                // The video's rate (and keyframe interval).
  Look look = Look::kProject;  // MuJoCo envs only.

  // "CartPole-v1 600x400", "HumanoidDMC-v0 480x480 mujoco_look".
  std::string Describe() const;
};

class FrameSource {
 public:
  enum class Way { kPipeline, kReference };

  // Creates the env, the agent and the renderer on `backend` (a
  // RenderBackends() name; MuJoCo envs get a compatibility-profile context).
  static absl::StatusOr<std::unique_ptr<FrameSource>> Create(
      const Workload& workload, const std::string& backend, Way way);
  virtual ~FrameSource() = default;

  // Steps the env once (resetting after an episode) and renders the state
  // into `frame`: YUV 4:2:0 for kPipeline, RGB for kReference.
  virtual absl::Status Next(Frame* frame) = 0;
};

}  // namespace rl

#endif  // BENCHMARKS_FRAME_SOURCE_H_
