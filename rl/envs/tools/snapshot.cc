// Renders one frame of an env (or a tiled vector of envs) to a PPM file, for
// eyeballing what an env draws. A development tool, not part of the build's
// default targets (tagged manual).
//
//   bazel run //rl/envs/tools:snapshot -- --env=MazeChase-v0 --steps=30
//     --out=/tmp/maze.ppm
//   bazel run //rl/envs/tools:snapshot -- --env=FrozenLake-v1
//     --env_kwargs=map_name=8x8 --out=/tmp/lake.ppm
#include <cmath>
#include <cstdio>
#include <memory>
#include <random>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/status/status.h"
#include "rl/canvas/canvas.h"
#include "rl/core/frame.h"
#include "rl/core/status_macros.h"
#include "rl/envs/env.h"
#include "rl/envs/env_kwargs_flag.h"
#include "rl/envs/vector/vector_env.h"
#include "rl/render/image_io.h"
#include "rl/render/render_backend.h"
#include "rl/render/renderer.h"

ABSL_FLAG(std::string, env, "CartPole-v1", "env id");
ABSL_FLAG(int, steps, 0, "random steps before the snapshot");
ABSL_FLAG(uint64_t, seed, 0, "reset seed and action seed");
ABSL_FLAG(std::string, out, "/tmp/snapshot.ppm", "output PPM");
ABSL_FLAG(int, width, 0, "frame width (0: the env's)");
ABSL_FLAG(int, height, 0, "frame height (0: the env's)");
ABSL_FLAG(int, num_envs, 1,
          "with more than 1, a vector env of that many copies, drawn tiled");
ABSL_FLAG(double, action, NAN,
          "take this action every step (a Discrete index, or every element "
          "of a Box action) instead of random ones");

namespace rl {
namespace {

Action RandomAction(const Space& space, std::mt19937_64& rng) {
  if (space.kind == Space::Kind::kDiscrete) {
    return Action::Discrete(UniformInt(rng, space.n));
  }
  std::vector<float> values(space.low.size());
  for (size_t i = 0; i < values.size(); ++i) {
    values[i] =
        static_cast<float>(UniformReal(rng, space.low[i], space.high[i]));
  }
  return Action::Continuous(values);
}

absl::Status Run() {
  const int num_envs = absl::GetFlag(FLAGS_num_envs);
  RL_ASSIGN_OR_RETURN(const EnvKwargsFlag kwargs,
                      EnvKwargsFlagFromCommandLine());
  RL_RETURN_IF_ERROR(CheckEnvKwargsFlag(absl::GetFlag(FLAGS_env), kwargs));
  RL_ASSIGN_OR_RETURN(
      std::unique_ptr<VectorEnv> envs,
      VectorEnv::Create(absl::GetFlag(FLAGS_env), kwargs.kwargs, num_envs));
  std::mt19937_64 rng(absl::GetFlag(FLAGS_seed));
  VectorStepResult batch;
  envs->Reset(absl::GetFlag(FLAGS_seed), &batch);
  const Space& space = envs->single_spec().action_space;
  std::vector<Action> actions(num_envs);
  for (int i = 0; i < absl::GetFlag(FLAGS_steps); ++i) {
    for (Action& action : actions) {
      action = RandomAction(space, rng);
      const double fixed = absl::GetFlag(FLAGS_action);
      if (!std::isnan(fixed)) {
        action.discrete = static_cast<int64_t>(fixed);
        for (float& value : action.continuous) {
          value = static_cast<float>(fixed);
        }
      }
    }
    RL_RETURN_IF_ERROR(envs->Step(actions, &batch));
  }
  Canvas canvas(1, 1);
  if (num_envs == 1) {
    envs->env(0).Draw(&canvas);
  } else {
    envs->Draw(&canvas);
  }
  const int width = absl::GetFlag(FLAGS_width) > 0 ? absl::GetFlag(FLAGS_width)
                                                   : canvas.width();
  const int height = absl::GetFlag(FLAGS_height) > 0
                         ? absl::GetFlag(FLAGS_height)
                         : canvas.height();
  RL_ASSIGN_OR_RETURN(auto backend, RenderBackends().Create("llvmpipe"));
  RendererOptions options;
  options.width = width;
  options.height = height;
  RL_ASSIGN_OR_RETURN(auto renderer,
                      Renderer::Create(std::move(backend), options));
  Frame frame;
  RL_RETURN_IF_ERROR(renderer->Render(canvas, &frame));
  return WritePpm(frame, absl::GetFlag(FLAGS_out));
}

}  // namespace
}  // namespace rl

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const absl::Status status = rl::Run();
  if (!status.ok()) {
    std::fprintf(stderr, "%s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
