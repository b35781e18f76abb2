// play: loads a saved agent (a checkpoint the train binary wrote) and
// records greedy evaluation episodes of it, with a JSON sidecar per video and
// an index.html gallery.
//
//   bazel run //rl/run:play --
//       --checkpoint=runs/CartPole-v1-ppo-seed0/checkpoints/best.ckpt
//       --episodes=3 --video_dir=play
//
// The recording flags are train's (rl/record/record_flags.h: --recorder,
// --crf, --encoder_options, ...), except that without --record every
// episode is recorded, and without --name_prefix files start ENV-play.
//
// The env is made as the run made it: without --env_kwargs, with the
// kwargs of the run's config.json (RUN_DIR/config.json beside
// RUN_DIR/checkpoints/), since a checkpoint holds only the env id; an
// explicit --env_kwargs (also "--env_kwargs=", none) plays in that env
// instead, e.g. a policy trained on a non-slippery lake on a slippery one.
//
// Exit codes: 0 done; 2 bad flags; 3 the checkpoint cannot be used (missing,
// not a checkpoint, corrupt, or made for another env); 1 anything else
// (e.g. the video directory cannot be written); 130 stopped by a signal.
#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "rl/agents/agent.h"
#include "rl/agents/checkpoint.h"
#include "rl/envs/env.h"
#include "rl/envs/env_kwargs.h"
#include "rl/envs/env_kwargs_flag.h"
#include "rl/live/live_flags.h"
#include "rl/mpi/mpi_world.h"
#include "rl/pipeline/episode_loop.h"
#include "rl/pipeline/observer.h"
#include "rl/pipeline/trainer.h"
#include "rl/pipeline/video_session.h"
#include "rl/record/record_flags.h"
#include "rl/record/trigger.h"
#include "rl/render/render_flags.h"
#include "rl/run/cli.h"
#include "rl/run/play_episodes.h"
#include "rl/run/run_files.h"
#include "rl/run/run_flags.h"

ABSL_FLAG(std::string, checkpoint, "",
          "The checkpoint to play (RUN_DIR/checkpoints/best.ckpt or "
          "latest.ckpt). Required.");
ABSL_FLAG(std::string, env, "",
          "Env to play in; empty: the one the checkpoint was trained on. "
          "Must match the checkpoint's env and spaces.");
ABSL_FLAG(int, episodes, 3, "Greedy evaluation episodes to play and record.");
ABSL_FLAG(int64_t, seed, 0, "Seed of the episodes, >= 0.");
ABSL_FLAG(std::string, video_dir, "play",
          "Where the videos and index.html go; relative to the directory "
          "`bazel run` was started in.");
ABSL_FLAG(bool, realtime, false,
          "Step at the env's own frame rate (CartPole: 50 steps a second) "
          "instead of as fast as possible, to watch with --live.");

namespace {

// A line per finished episode.
class EpisodeLines : public rl::EpisodeObserver {
 public:
  absl::Status OnEpisodeEnd(const rl::EpisodeRecord& record) override {
    std::cout << "episode " << record.env_episode << ": return "
              << record.episode_return << ", " << record.length << " steps\n";
    return absl::OkStatus();
  }
};

// Prints "error: MESSAGE" and returns `code` (main's exit code).
int Fail(int code, absl::string_view message) {
  std::cerr << "error: " << message << "\n";
  return code;
}

// Flag values no later check would catch; "" if all are fine.
std::string CheckPlayFlags() {
  if (absl::GetFlag(FLAGS_checkpoint).empty()) {
    return "--checkpoint is required (e.g. "
           "runs/CartPole-v1-ppo-seed0/checkpoints/best.ckpt)";
  }
  if (const int episodes = absl::GetFlag(FLAGS_episodes); episodes < 1) {
    return absl::StrCat("--episodes must be >= 1 (got ", episodes, ")");
  }
  if (absl::StatusOr<int64_t> max = rl::MaxEpisodeStepsFromFlag(); !max.ok()) {
    return std::string(max.status().message());
  }
  if (const int64_t seed = absl::GetFlag(FLAGS_seed); seed < 0) {
    return absl::StrCat("--seed must be >= 0 (got ", seed, ")");
  }
  return "";
}

// A trained agent and the env it plays in.
struct Player {
  rl::Checkpoint checkpoint;
  std::string env_id;
  rl::EnvKwargs env_kwargs;
  std::unique_ptr<rl::Env> env;
  std::unique_ptr<rl::Agent> agent;
};

// The env's kwargs: --env_kwargs if given, else those of the checkpoint's
// run (its config.json, when it is for this env), else none. 0, or the exit
// code (2: a bad --env_kwargs; 3: the run's config.json says nonsense).
int ResolveEnvKwargs(const std::string& path, const rl::EnvKwargsFlag& flag,
                     Player* player) {
  if (flag.given) {
    if (absl::Status checked = rl::CheckEnvKwargsFlag(player->env_id, flag);
        !checked.ok()) {
      return Fail(2, checked.message());
    }
    player->env_kwargs = flag.kwargs;
    return 0;
  }
  const std::string config_path = rl::RunDirOfCheckpoint(path) + "/config.json";
  const nlohmann::json config = rl::ReadConfig(config_path);
  if (!config.is_object() || !config.contains("run") ||
      !config["run"].is_object() ||
      config["run"].value("env", "") != player->env_id) {
    return 0;  // No run of this env beside the checkpoint.
  }
  absl::StatusOr<rl::EnvKwargs> kwargs =
      rl::ConfigEnvKwargs(config, config_path);
  if (!kwargs.ok()) {
    return Fail(
        3, absl::StrCat("cannot use checkpoint: ", kwargs.status().message(),
                        "; or pass --env_kwargs"));
  }
  player->env_kwargs = *std::move(kwargs);
  if (!player->env_kwargs.empty()) {
    std::cout << "env kwargs " << rl::FormatEnvKwargs(player->env_kwargs)
              << " (from " << config_path << ")\n";
  }
  return 0;
}

// Reads and checks the checkpoint before anything is created; 0, or the
// exit code (3: the checkpoint cannot be used; 2: a bad --env or
// --env_kwargs).
int LoadPlayer(const std::string& path, const rl::EnvKwargsFlag& env_kwargs,
               Player* player) {
  auto checkpoint = rl::ReadCheckpoint(path);
  if (!checkpoint.ok()) {
    return Fail(3, absl::StrCat("cannot use checkpoint: ",
                                checkpoint.status().message()));
  }
  player->checkpoint = std::move(*checkpoint);
  const rl::CheckpointHeader& header = player->checkpoint.header;
  player->env_id = absl::GetFlag(FLAGS_env);
  if (player->env_id.empty()) player->env_id = header.env_id;
  if (player->env_id.empty()) {
    return Fail(2, absl::StrCat("the checkpoint ", path,
                                " does not name its env; pass --env"));
  }
  if (int code = ResolveEnvKwargs(path, env_kwargs, player); code != 0) {
    return code;
  }
  auto env = rl::CreateEnv(player->env_id, player->env_kwargs);
  if (!env.ok()) {
    // Kwargs of the run's config.json that the env no longer takes.
    return Fail(env_kwargs.given || player->env_kwargs.empty() ? 2 : 3,
                env.status().message());
  }
  player->env = std::move(*env);
  absl::Status matches = rl::CheckCheckpointMatches(
      header, header.agent, player->env_id, player->env->observation_space(),
      player->env->action_space());
  if (!matches.ok()) {
    return Fail(
        3, absl::StrCat("cannot use checkpoint: ", matches.message(),
                        env_kwargs.given ? absl::StrCat(" (the env made with "
                                                        "--env_kwargs=",
                                                        env_kwargs.text, ")")
                                         : ""));
  }
  auto agent = rl::RestoreAgent(player->checkpoint, path);
  if (!agent.ok()) {
    return Fail(
        3, absl::StrCat("cannot use checkpoint: ", agent.status().message()));
  }
  player->agent = std::move(*agent);
  return 0;
}

// What the videos are, from the flags: every episode as ENV-play-...
// unless --record or --name_prefix say otherwise.
rl::VideoSessionOptions VideoOptionsFromFlags(const rl::RenderFlags& render,
                                              const rl::RecordFlags& recording,
                                              const Player& player) {
  rl::VideoSessionOptions video;
  video.render_backend = render.render_backend;
  video.egl_device = render.egl_device;
  video.width = render.width;
  video.height = render.height;
  video.overlay = render.overlay;
  video.overlay_label = render.overlay_label;
  video.fit = render.fit;
  video.scene = render.scene;
  video.recorder = recording.recorder;
  video.fps = recording.fps;
  video.encoder = recording.encoder;
  video.embed = recording.embed;
  video.video_dir =
      rl::ResolveAgainstWorkingDirectory(absl::GetFlag(FLAGS_video_dir));
  video.record = recording.schedule;
  video.earlier_videos = rl::OverwriteFromFlag() ? rl::EarlierVideos::kReplace
                                                 : rl::EarlierVideos::kRefuse;
  if (!rl::RecordFlagGiven("record")) {
    video.record.mode = rl::RecordMode::kEveryEpisodes;
    if (!rl::RecordFlagGiven("record_every")) video.record.every = 1;
  }
  if (!rl::RecordFlagGiven("name_prefix")) {
    video.record.name_prefix = player.env_id + "-play";
  }
  const rl::CheckpointHeader& header = player.checkpoint.header;
  video.agent = header.agent;
  video.seed = static_cast<uint64_t>(absl::GetFlag(FLAGS_seed));
  video.env_kwargs = rl::FormatEnvKwargs(player.env_kwargs);
  video.gallery_title = absl::StrCat(
      player.env_id,
      video.env_kwargs.empty() ? "" : absl::StrCat(" (", video.env_kwargs, ")"),
      " ", header.agent, " after ", header.steps, " steps");
  return video;
}

// The loop of greedy episodes, each seeded from --seed as evaluations are,
// cut after --max_episode_steps (rl::EpisodeStepCap), paced by --realtime.
std::unique_ptr<rl::EpisodeLoop> GreedyLoop(Player* player,
                                            const std::string& path) {
  rl::EpisodeLoopOptions options = rl::GreedyLoopOptions(
      static_cast<uint64_t>(absl::GetFlag(FLAGS_seed)),
      rl::EpisodeStepCap(player->env->spec().max_episode_steps),
      absl::StrCat("playing ", path));
  if (absl::GetFlag(FLAGS_realtime)) {
    options.steps_per_second = std::max(1, player->env->spec().render_fps);
  }
  std::vector<std::unique_ptr<rl::Env>> envs;
  envs.push_back(std::move(player->env));
  return std::make_unique<rl::EpisodeLoop>(player->agent.get(), std::move(envs),
                                           std::move(options));
}

// The closing line: episodes, mean return (an episode cut short by a signal
// is said, and not counted), videos.
void ReportPlayed(const rl::EpisodeLoop& loop, const std::string& env_id,
                  size_t videos, const std::string& video_dir) {
  double sum = 0;
  for (const rl::EpisodeRecord& record : loop.episodes()) {
    sum += record.episode_return;
  }
  const int played = static_cast<int>(loop.episodes().size());
  int cut = 0;
  if (loop.steps_into_episode(0) > 0) {
    const rl::EpisodeLoop::EnvSlot& slot = loop.slot(0);
    // Its return says nothing about the policy.
    std::cout << "episode " << slot.episode << ": stopped after " << slot.length
              << " steps (return " << slot.episode_return
              << " so far; not counted in the mean)\n";
    cut = 1;
  }
  std::cout << "played " << played << " episode(s) of " << env_id;
  if (played > 0) std::cout << ", mean return " << sum / played;
  if (cut > 0) std::cout << " (and " << cut << " cut short, not counted)";
  std::cout << "; wrote " << videos << " video(s) and " << video_dir
            << "/index.html\n";
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Records greedy episodes of a trained agent from its checkpoint.\n"
      "Example: bazel run //rl/run:play -- "
      "--checkpoint=runs/CartPole-v1-ppo-seed0/checkpoints/best.ckpt");
  rl::ListProjectFlagsInHelp();
  absl::ParseCommandLine(argc, argv);
  // N copies would write the same videos over each other.
  if (rl::LaunchedByMpi()) {
    return Fail(2,
                "play runs as one process; start it without mpirun (train "
                "is the binary that runs data-parallel under mpirun)");
  }
  if (std::string error = CheckPlayFlags(); !error.empty()) {
    return Fail(2, error);
  }
  // --render_backend, --egl_device, --size, --overlay, --overlay_label.
  absl::StatusOr<rl::RenderFlags> render = rl::RenderFlagsFromCommandLine();
  if (!render.ok()) return Fail(2, render.status().message());
  // The recording flags (the same as train's), checked together.
  absl::StatusOr<rl::RecordFlags> recording = rl::RecordFlagsFromCommandLine();
  if (!recording.ok()) return Fail(2, recording.status().message());
  absl::StatusOr<rl::EnvKwargsFlag> env_kwargs =
      rl::EnvKwargsFlagFromCommandLine();
  if (!env_kwargs.ok()) return Fail(2, env_kwargs.status().message());
  const std::string path =
      rl::ResolveAgainstWorkingDirectory(absl::GetFlag(FLAGS_checkpoint));
  Player player;
  if (int code = LoadPlayer(path, *env_kwargs, &player); code != 0) {
    return code;
  }

  const rl::VideoSessionOptions video =
      VideoOptionsFromFlags(*render, *recording, player);
  auto session =
      rl::VideoSession::Create(video, player.env->spec(), &std::cout);
  if (!session.ok()) {
    // A bad value, or a --video_dir holding another run's videos.
    const bool users = absl::IsInvalidArgument(session.status()) ||
                       absl::IsFailedPrecondition(session.status());
    return Fail(users ? 2 : 1,
                rl::WithRenderFlagContext(
                    rl::WithVideoDirFlagContext(session.status()), *render)
                    .message());
  }
  auto live = rl::StartLiveViewFromFlags(video.video_dir, video.render_backend,
                                         video.egl_device, video.scene,
                                         std::cout, std::cerr);
  if (!live.ok()) {
    return Fail(absl::IsInvalidArgument(live.status()) ? 2 : 1,
                live.status().message());
  }
  // Every check has passed: only now is anything written.
  if (absl::Status prepared = (*session)->Prepare(); !prepared.ok()) {
    return Fail(1, prepared.message());
  }
  const rl::CheckpointHeader& header = player.checkpoint.header;
  rl::LiveEpisodes watch(
      live->get(), player.env_id,
      absl::StrCat(header.agent, " after ", header.steps, " steps (greedy)"));
  watch.WatchVideos(&(*session)->videos());
  const std::atomic<bool>& stop_requested = rl::StopOnSignals();
  std::unique_ptr<rl::EpisodeLoop> loop = GreedyLoop(&player, path);
  EpisodeLines lines;
  loop->AddObserver(session->get());  // First: it ends videos on the step.
  loop->AddObserver(&watch);
  loop->AddObserver(&lines);
  rl::EpisodeLoop::Budget budget;
  budget.episodes = absl::GetFlag(FLAGS_episodes);
  absl::Status played =
      loop->Run(budget, [&] { return stop_requested.load(); });
  if (!played.ok()) return Fail(1, played.message());
  if (absl::Status s =
          (*session)->Finish(stop_requested.load() ? "stopped" : "run ended");
      !s.ok()) {
    return Fail(1, s.message());
  }
  watch.AddVideos((*session)->videos());
  watch.ShowLast(loop->env(0));
  if (*live != nullptr) {
    (*live)->board().SetState(stop_requested.load() ? "stopped" : "finished");
  }
  ReportPlayed(*loop, player.env_id, (*session)->videos().size(),
               video.video_dir);
  if (stop_requested.load()) return 130;
  rl::LingerIfAsked(live->get(), stop_requested, std::cout);
  return 0;  // The episodes were complete; Ctrl-C only ended the lingering.
}
