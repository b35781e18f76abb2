#include "rl/agents/episode_runner.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "rl/agents/agent.h"
#include "rl/canvas/canvas.h"
#include "rl/core/frame.h"
#include "rl/core/status_macros.h"
#include "rl/envs/env.h"
#include "rl/record/gallery.h"
#include "rl/record/recorder.h"
#include "rl/render/render_backend.h"
#include "rl/render/renderer.h"

namespace rl {
namespace {

constexpr int kMaxFrameSide = 8192;

// mkdir -p.
absl::Status MakeDirectories(const std::string& path) {
  if (path.empty()) return absl::InvalidArgumentError("empty video directory");
  for (size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
    const std::string prefix = path.substr(0, slash);
    if (mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) {
      return absl::PermissionDeniedError(absl::StrCat(
          "cannot create video directory ", prefix, ": ", std::strerror(errno),
          "; choose a writable --video_dir"));
    }
    if (slash == std::string::npos) break;
  }
  struct stat info;
  if (stat(path.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "video directory ", path, " exists and is not a directory"));
  }
  return absl::OkStatus();
}

std::string FormatReturn(double value) {
  return absl::StrFormat("%.6g", value);
}

}  // namespace

absl::StatusOr<std::pair<int, int>> ParseFrameSize(absl::string_view text) {
  if (text.empty()) return std::pair<int, int>(0, 0);
  std::vector<absl::string_view> parts = absl::StrSplit(text, 'x');
  int width = 0;
  int height = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &width) ||
      !absl::SimpleAtoi(parts[1], &height)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bad frame size '", text, "': expected WIDTHxHEIGHT, e.g. 600x400"));
  }
  if (width < 1 || height < 1 || width > kMaxFrameSide ||
      height > kMaxFrameSide) {
    return absl::InvalidArgumentError(absl::StrCat("bad frame size '", text,
                                                   "': each side must be 1..",
                                                   kMaxFrameSide, " pixels"));
  }
  return std::pair<int, int>(width, height);
}

absl::StatusOr<std::vector<EpisodeSummary>> RunEpisodes(
    const RunOptions& options, std::ostream& log) {
  // Check every choice before doing any work.
  if (options.episodes < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("episodes must be >= 1, got ", options.episodes));
  }
  RL_ASSIGN_OR_RETURN(std::unique_ptr<Env> env, Envs().Create(options.env));
  RL_RETURN_IF_ERROR(Agents().CheckName(options.agent));
  RL_RETURN_IF_ERROR(Recorders().CheckName(options.recorder));
  RL_RETURN_IF_ERROR(RenderBackends().CheckName(options.render_backend));
  if ((options.width == 0) != (options.height == 0)) {
    return absl::InvalidArgumentError(
        "give both frame width and height, or neither");
  }
  const EnvSpec& spec = env->spec();
  const int width = options.width == 0 ? spec.render_width : options.width;
  const int height = options.height == 0 ? spec.render_height : options.height;
  const int fps = options.fps == 0 ? spec.render_fps : options.fps;
  RL_RETURN_IF_ERROR(MakeDirectories(options.video_dir));
  GalleryOptions gallery_options{
      absl::StrCat(spec.id, ": ", options.agent, " agent"), options.embed};
  std::vector<GalleryVideo> gallery;
  // Proves the directory is writable before the first episode.
  RL_RETURN_IF_ERROR(WriteGallery(options.video_dir, gallery, gallery_options));

  AgentContext context{spec.observation_space, spec.action_space, options.seed};
  RL_ASSIGN_OR_RETURN(std::unique_ptr<Agent> agent,
                      Agents().Create(options.agent, context));
  RL_ASSIGN_OR_RETURN(std::unique_ptr<RenderBackend> backend,
                      RenderBackends().Create(options.render_backend));
  const std::string gl_renderer = backend->gl_renderer();
  RL_ASSIGN_OR_RETURN(
      std::unique_ptr<Renderer> renderer,
      Renderer::Create(std::move(backend), RendererOptions{width, height}));

  auto stopped = [&options] {
    return options.stop_requested != nullptr &&
           options.stop_requested->load(std::memory_order_relaxed);
  };
  std::vector<EpisodeSummary> summaries;
  Canvas canvas(spec.render_width, spec.render_height);
  Frame frame;
  StepResult result;
  for (int episode = 0; episode < options.episodes && !stopped(); ++episode) {
    EpisodeSummary summary;
    summary.episode = episode;
    const std::string file =
        absl::StrCat(spec.id, "-episode-", episode, ".", options.recorder);
    summary.video_path = absl::StrCat(options.video_dir, "/", file);
    RecorderOptions recorder_options;
    recorder_options.path = summary.video_path;
    recorder_options.width = width;
    recorder_options.height = height;
    recorder_options.fps = fps;
    recorder_options.crf = options.crf;
    recorder_options.preset = options.preset;
    RL_ASSIGN_OR_RETURN(std::unique_ptr<Recorder> recorder,
                        Recorders().Create(options.recorder, recorder_options));

    // Gymnasium's convention: seed the first reset, continue the generator
    // after that, so the whole run follows from one seed.
    Observation observation = env->Reset(
        episode == 0 ? std::optional<uint64_t>(options.seed) : std::nullopt);
    absl::Status status = absl::OkStatus();
    auto record_frame = [&]() -> absl::Status {
      env->Draw(&canvas);
      RL_RETURN_IF_ERROR(renderer->Render(canvas, &frame));
      return recorder->WriteFrame(frame);
    };
    status = record_frame();
    while (status.ok() && !env->episode_over() && !stopped()) {
      const Action action = agent->Act(observation);
      status = env->Step(action, &result);
      if (!status.ok()) break;
      status = agent->Observe({observation, action, result});
      if (!status.ok()) break;
      observation = result.observation;
      ++summary.steps;
      summary.episode_return += result.reward;
      summary.terminated = result.terminated;
      summary.truncated = result.truncated;
      status = record_frame();
    }
    // Finish the video even when the episode failed: what was recorded
    // stays playable.
    const absl::Status closed = recorder->Close();
    summary.frames = recorder->frames_written();
    if (status.ok()) status = closed;
    RL_RETURN_IF_ERROR(status);

    gallery.push_back(GalleryVideo{
        file,
        absl::StrCat("Episode ", episode),
        {{"return", FormatReturn(summary.episode_return)},
         {"steps", absl::StrCat(summary.steps)},
         {"ended", summary.terminated  ? "terminated"
                   : summary.truncated ? "truncated (time limit)"
                                       : "stopped"},
         {"seed", absl::StrCat(options.seed)},
         {"size", absl::StrCat(width, "x", height, " @ ", fps, " fps")},
         {"renderer", absl::StrCat(options.render_backend, ": ", gl_renderer)},
         {"recorder", absl::StrCat(options.recorder, ", crf ", options.crf,
                                   ", ", options.preset)}}});
    RL_RETURN_IF_ERROR(
        WriteGallery(options.video_dir, gallery, gallery_options));
    log << absl::StrFormat("%s episode %d: return %s in %d steps -> %s\n",
                           spec.id, episode,
                           FormatReturn(summary.episode_return), summary.steps,
                           summary.video_path)
        << std::flush;
    summaries.push_back(std::move(summary));
  }
  return summaries;
}

}  // namespace rl
