#include "rl/run/play_episodes.h"

#include <memory>
#include <optional>
#include <sstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "rl/agents/agent.h"
#include "rl/core/status_macros.h"
#include "rl/envs/env.h"
#include "rl/pipeline/video_session.h"

namespace rl {
namespace {

std::string FormatReturn(double value) {
  return absl::StrFormat("%.6g", value);
}

}  // namespace

absl::StatusOr<RunSummary> PlayEpisodes(const RunOptions& options,
                                        std::ostream& log) {
  // Check every choice before doing any work.
  if (options.episodes < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("episodes must be >= 1, got ", options.episodes));
  }
  RL_ASSIGN_OR_RETURN(std::unique_ptr<Env> env, Envs().Create(options.env));
  RL_RETURN_IF_ERROR(Agents().CheckName(options.agent));
  const EnvSpec& spec = env->spec();
  VideoSessionOptions video_options;
  video_options.render_backend = options.render_backend;
  video_options.egl_device = options.egl_device;
  video_options.overlay = options.overlay;
  video_options.overlay_label = options.overlay_label;
  video_options.recorder = options.recorder;
  video_options.video_dir = options.video_dir;
  video_options.width = options.width;
  video_options.height = options.height;
  video_options.fps = options.fps;
  video_options.record = options.record;
  video_options.encoder = options.encoder;
  video_options.embed = options.embed;
  video_options.gallery_title =
      absl::StrCat(spec.id, ": ", options.agent, " agent");
  video_options.agent = options.agent;
  video_options.seed = options.seed;
  // Video lines follow the line of the episode they end in.
  std::ostringstream video_log;
  auto flush_video_log = [&] {
    log << video_log.str() << std::flush;
    video_log.str("");
  };
  RL_ASSIGN_OR_RETURN(std::unique_ptr<VideoSession> videos,
                      VideoSession::Create(video_options, spec, &video_log));

  AgentContext context;
  context.observation_space = spec.observation_space;
  context.action_space = spec.action_space;
  context.seed = options.seed;
  context.env_id = spec.id;
  RL_ASSIGN_OR_RETURN(std::unique_ptr<Agent> agent,
                      Agents().Create(options.agent, context));
  // Everything is checked: only now is anything written.
  RL_RETURN_IF_ERROR(videos->Prepare());

  auto stopped = [&options] {
    return options.stop_requested != nullptr &&
           options.stop_requested->load(std::memory_order_relaxed);
  };
  RunSummary run;
  StepResult result;
  LiveEpisodes live(options.live, spec.id,
                    absl::StrCat(options.agent, " agent, seed ", options.seed));
  for (int episode = 0; episode < options.episodes && !stopped(); ++episode) {
    EpisodeSummary summary;
    summary.episode = episode;
    // Gymnasium's convention: seed the first reset, continue the generator
    // after that, so the whole run follows from one seed.
    Observation observation = env->Reset(
        episode == 0 ? std::optional<uint64_t>(options.seed) : std::nullopt);
    absl::Status status = videos->OnReset(*env, episode);
    live.OnReset(*env, episode);
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
      status = videos->OnStep(*env, result);
      live.OnStep(*env, result.reward);
    }
    // On an error the video in progress is closed by the session's
    // destructor: what was recorded stays playable.
    if (!status.ok()) {
      flush_video_log();
      return status;
    }
    log << absl::StrFormat("%s episode %d: return %s in %d steps\n", spec.id,
                           episode, FormatReturn(summary.episode_return),
                           summary.steps);
    flush_video_log();
    run.episodes.push_back(std::move(summary));
    live.OnEpisodeEnd();
    live.AddVideos(videos->videos());
  }
  RL_RETURN_IF_ERROR(videos->Finish(stopped() ? "stopped" : "run ended"));
  live.AddVideos(videos->videos());
  flush_video_log();
  for (EpisodeSummary& summary : run.episodes) {
    summary.frames = videos->FramesOfEpisode(summary.episode);
    summary.video_path = videos->FirstVideoOfEpisode(summary.episode);
  }
  run.videos = videos->videos();
  return run;
}

absl::StatusOr<std::vector<EpisodeSummary>> RunEpisodes(
    const RunOptions& options, std::ostream& log) {
  RL_ASSIGN_OR_RETURN(RunSummary run, PlayEpisodes(options, log));
  return std::move(run.episodes);
}

}  // namespace rl
