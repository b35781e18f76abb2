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
#include "rl/envs/env_kwargs.h"
#include "rl/pipeline/episode_loop.h"
#include "rl/pipeline/observer.h"
#include "rl/pipeline/video_session.h"

namespace rl {
namespace {

std::string FormatReturn(double value) {
  return absl::StrFormat("%.6g", value);
}

// Prints a line per finished episode, then the lines of the videos that
// ended in it (the session writes those to `video_lines`).
class EpisodeLog : public EpisodeObserver {
 public:
  EpisodeLog(std::string env_id, std::ostream* log,
             std::ostringstream* video_lines)
      : env_id_(std::move(env_id)), log_(log), video_lines_(video_lines) {}
  absl::Status OnEpisodeEnd(const EpisodeRecord& record) override {
    *log_ << absl::StrFormat(
        "%s episode %d: return %s in %d steps\n", env_id_, record.env_episode,
        FormatReturn(record.episode_return), record.length);
    FlushVideoLines();
    return absl::OkStatus();
  }
  void FlushVideoLines() {
    *log_ << video_lines_->str() << std::flush;
    video_lines_->str("");
  }

 private:
  const std::string env_id_;
  std::ostream* const log_;
  std::ostringstream* const video_lines_;
};

EpisodeSummary Summarize(const EpisodeRecord& record) {
  EpisodeSummary summary;
  summary.episode = static_cast<int>(record.env_episode);
  summary.steps = static_cast<int>(record.length);
  summary.episode_return = record.episode_return;
  summary.terminated = record.terminated;
  summary.truncated = record.truncated;
  return summary;
}

VideoSessionOptions VideoOptions(const RunOptions& options,
                                 const EnvSpec& spec) {
  VideoSessionOptions video_options;
  video_options.render_backend = options.render_backend;
  video_options.egl_device = options.egl_device;
  video_options.overlay = options.overlay;
  video_options.overlay_label = options.overlay_label;
  video_options.fit = options.fit;
  video_options.scene = options.scene;
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
  video_options.env_kwargs = FormatEnvKwargs(options.env_kwargs);
  video_options.earlier_videos =
      options.overwrite ? EarlierVideos::kReplace : EarlierVideos::kRefuse;
  return video_options;
}

// An episode stopped mid-way: listed as far as it went.
absl::Status AddEpisodeInProgress(const EpisodeLoop& loop, EpisodeLog* log,
                                  RunSummary* run) {
  if (loop.steps_into_episode(0) == 0) return absl::OkStatus();
  const EpisodeLoop::EnvSlot& cut = loop.slot(0);
  EpisodeRecord record;
  record.env_episode = cut.episode;
  record.length = cut.length;
  record.episode_return = cut.episode_return;
  RL_RETURN_IF_ERROR(log->OnEpisodeEnd(record));
  run->episodes.push_back(Summarize(record));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RunSummary> PlayEpisodes(const RunOptions& options,
                                        std::ostream& log) {
  // Check every choice before doing any work.
  if (options.episodes < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("episodes must be >= 1, got ", options.episodes));
  }
  RL_ASSIGN_OR_RETURN(std::unique_ptr<Env> env,
                      CreateEnv(options.env, options.env_kwargs));
  RL_RETURN_IF_ERROR(Agents().CheckName(options.agent));
  const EnvSpec& spec = env->spec();
  const VideoSessionOptions video_options = VideoOptions(options, spec);
  // Video lines follow the line of the episode they end in.
  std::ostringstream video_log;
  absl::StatusOr<std::unique_ptr<VideoSession>> created =
      VideoSession::Create(video_options, spec, &video_log);
  if (!created.ok()) return WithVideoDirFlagContext(created.status());
  std::unique_ptr<VideoSession> videos = *std::move(created);

  AgentContext context;
  context.observation_space = spec.observation_space;
  context.action_space = spec.action_space;
  context.seed = options.seed;
  context.env_id = spec.id;
  RL_ASSIGN_OR_RETURN(std::unique_ptr<Agent> agent,
                      Agents().Create(options.agent, context));
  // Everything is checked: only now is anything written.
  if (absl::Status prepared = videos->Prepare(); !prepared.ok()) {
    return absl::Status(
        prepared.code(),
        absl::StrCat(prepared.message(), "; choose a writable --video_dir"));
  }

  std::vector<std::unique_ptr<Env>> envs;
  envs.push_back(std::move(env));
  EpisodeLoopOptions loop_options;
  loop_options.learn = true;
  // Gymnasium's convention: seed the first reset, continue the generator
  // after that, so the whole run follows from one seed.
  const uint64_t seed = options.seed;
  loop_options.reset_seed = [seed](int, int64_t episode) {
    return episode == 0 ? std::optional<uint64_t>(seed) : std::nullopt;
  };
  loop_options.max_episode_steps = options.max_episode_steps;
  loop_options.what = absl::StrCat("playing ", options.agent, " in ", spec.id);
  EpisodeLoop loop(agent.get(), std::move(envs), std::move(loop_options));
  EpisodeLog episode_log(spec.id, &log, &video_log);
  LiveEpisodes live(options.live, spec.id,
                    absl::StrCat(options.agent, " agent, seed ", options.seed));
  live.WatchVideos(&videos->videos());
  loop.AddObserver(videos.get());  // First: it ends videos on the step.
  loop.AddObserver(&episode_log);
  loop.AddObserver(&live);
  EpisodeLoop::Budget budget;
  budget.episodes = options.episodes;
  auto stopped = [&options] {
    return options.stop_requested != nullptr &&
           options.stop_requested->load(std::memory_order_relaxed);
  };
  // On an error the video in progress is closed by the session's
  // destructor: what was recorded stays playable.
  if (absl::Status status = loop.Run(budget, stopped); !status.ok()) {
    episode_log.FlushVideoLines();
    return status;
  }
  RunSummary run;
  for (const EpisodeRecord& record : loop.episodes()) {
    run.episodes.push_back(Summarize(record));
  }
  RL_RETURN_IF_ERROR(AddEpisodeInProgress(loop, &episode_log, &run));
  RL_RETURN_IF_ERROR(videos->Finish(stopped() ? "stopped" : "run ended"));
  live.AddVideos(videos->videos());
  live.ShowLast(loop.env(0));
  episode_log.FlushVideoLines();
  for (EpisodeSummary& summary : run.episodes) {
    summary.frames = videos->FramesOfEpisode(summary.episode);
    summary.video_path = videos->FirstVideoOfEpisode(summary.episode);
  }
  run.videos = videos->videos();
  return run;
}

absl::Status WithVideoDirFlagContext(absl::Status status) {
  if (!absl::IsFailedPrecondition(status)) return status;
  return absl::FailedPreconditionError(
      absl::StrCat("--video_dir: ", status.message(),
                   " (--overwrite deletes them and their sidecars first)"));
}

absl::StatusOr<std::vector<EpisodeSummary>> RunEpisodes(
    const RunOptions& options, std::ostream& log) {
  RL_ASSIGN_OR_RETURN(RunSummary run, PlayEpisodes(options, log));
  return std::move(run.episodes);
}

}  // namespace rl
