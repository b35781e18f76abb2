// train: plays an agent in an env for N episodes with no screen, records
// every episode to a video, and writes an index.html gallery beside them.
//
//   bazel run //rl/agents:train -- --env=CartPole-v1 --episodes=3 \
//       --video_dir=videos --embed
//
// Ctrl-C (SIGINT) or SIGTERM stops after the current step; the current
// video is finished and the gallery written. A second Ctrl-C kills at once
// (the fragmented MP4 still plays up to its last complete fragment).
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "rl/agents/agent.h"
#include "rl/agents/episode_runner.h"
#include "rl/envs/env.h"
#include "rl/record/recorder.h"
#include "rl/render/render_backend.h"

ABSL_FLAG(std::string, env, "CartPole-v1", "Gymnasium id of the env.");
ABSL_FLAG(std::string, agent, "random", "Agent to run.");
ABSL_FLAG(int, episodes, 3, "Episodes to play (each is recorded).");
ABSL_FLAG(uint64_t, seed, 0, "Seed of the env and the agent.");
ABSL_FLAG(std::string, render_backend, "llvmpipe",
          "How to get an OpenGL context with no screen.");
ABSL_FLAG(std::string, recorder, "mp4", "Video format.");
ABSL_FLAG(std::string, video_dir, "videos",
          "Where videos and index.html go; relative paths are relative to "
          "the directory `bazel run` was started in.");
ABSL_FLAG(std::string, size, "",
          "Frame size WIDTHxHEIGHT, e.g. 1280x720; empty: the env's own "
          "(600x400 for CartPole).");
ABSL_FLAG(int, fps, 0, "Video frame rate; 0: the env's own (50 for CartPole).");
ABSL_FLAG(int, crf, 23, "Quality, 0..51: lower is better and larger.");
ABSL_FLAG(std::string, preset, "medium",
          "x264 speed preset, ultrafast..veryslow.");
ABSL_FLAG(bool, embed, false,
          "Inline the videos in index.html (base64) so the page stands "
          "alone, e.g. in a notebook cell.");
ABSL_FLAG(bool, list, false,
          "List the envs, agents, render backends and recorders built in, "
          "and exit.");

namespace {

std::atomic<bool> stop_requested{false};

void OnStopSignal(int signal) {
  stop_requested.store(true);
  // The next Ctrl-C kills at once.
  std::signal(signal, SIG_DFL);
}

template <typename RegistryT>
void PrintRegistry(const char* title, const RegistryT& registry) {
  std::cout << title << ":\n";
  for (const std::string& name : registry.Names()) {
    std::cout << "  " << name << "  " << registry.Description(name) << "\n";
  }
}

std::string ResolveAgainstWorkingDirectory(const std::string& path) {
  if (path.empty() || path[0] == '/') return path;
  // `bazel run` starts the binary in its runfiles; the user meant their own
  // directory.
  const char* cwd = std::getenv("BUILD_WORKING_DIRECTORY");
  return cwd == nullptr ? path : absl::StrCat(cwd, "/", path);
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Plays an agent in an env headlessly and records every episode.\n"
      "Example: bazel run //rl/agents:train -- --env=CartPole-v1 "
      "--episodes=3 --video_dir=videos");
  absl::ParseCommandLine(argc, argv);
  if (absl::GetFlag(FLAGS_list)) {
    PrintRegistry("envs", rl::Envs());
    PrintRegistry("agents", rl::Agents());
    PrintRegistry("render backends", rl::RenderBackends());
    PrintRegistry("recorders", rl::Recorders());
    return 0;
  }

  rl::RunOptions options;
  options.env = absl::GetFlag(FLAGS_env);
  options.agent = absl::GetFlag(FLAGS_agent);
  options.episodes = absl::GetFlag(FLAGS_episodes);
  options.seed = absl::GetFlag(FLAGS_seed);
  options.render_backend = absl::GetFlag(FLAGS_render_backend);
  options.recorder = absl::GetFlag(FLAGS_recorder);
  options.video_dir =
      ResolveAgainstWorkingDirectory(absl::GetFlag(FLAGS_video_dir));
  auto size = rl::ParseFrameSize(absl::GetFlag(FLAGS_size));
  if (!size.ok()) {
    std::cerr << "error: --size: " << size.status().message() << "\n";
    return 2;
  }
  options.width = size->first;
  options.height = size->second;
  options.fps = absl::GetFlag(FLAGS_fps);
  options.crf = absl::GetFlag(FLAGS_crf);
  options.preset = absl::GetFlag(FLAGS_preset);
  options.embed = absl::GetFlag(FLAGS_embed);
  options.stop_requested = &stop_requested;
  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);

  auto episodes = rl::RunEpisodes(options, std::cout);
  if (!episodes.ok()) {
    std::cerr << "error: " << episodes.status().message() << "\n";
    return absl::IsInvalidArgument(episodes.status()) ? 2 : 1;
  }
  std::cout << "wrote " << episodes->size() << " video(s) and "
            << options.video_dir << "/index.html\n";
  if (stop_requested.load()) {
    std::cout << "stopped early by a signal; the videos written are "
                 "complete\n";
    return 130;
  }
  return 0;
}
