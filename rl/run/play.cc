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
#include "rl/agents/agent.h"
#include "rl/agents/checkpoint.h"
#include "rl/envs/env.h"
#include "rl/live/live_flags.h"
#include "rl/pipeline/episode_loop.h"
#include "rl/pipeline/observer.h"
#include "rl/pipeline/trainer.h"
#include "rl/pipeline/video_session.h"
#include "rl/record/record_flags.h"
#include "rl/record/trigger.h"
#include "rl/render/render_flags.h"
#include "rl/run/cli.h"

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
ABSL_FLAG(int64_t, max_episode_steps, 10000,
          "Stop an episode of an env without a time limit after this many "
          "steps, >= 1.");

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

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Records greedy episodes of a trained agent from its checkpoint.\n"
      "Example: bazel run //rl/run:play -- "
      "--checkpoint=runs/CartPole-v1-ppo-seed0/checkpoints/best.ckpt");
  absl::ParseCommandLine(argc, argv);
  const std::string path =
      rl::ResolveAgainstWorkingDirectory(absl::GetFlag(FLAGS_checkpoint));
  if (path.empty()) {
    std::cerr << "error: --checkpoint is required (e.g. "
                 "runs/CartPole-v1-ppo-seed0/checkpoints/best.ckpt)\n";
    return 2;
  }
  const int episodes = absl::GetFlag(FLAGS_episodes);
  if (episodes < 1) {
    std::cerr << "error: --episodes must be >= 1 (got " << episodes << ")\n";
    return 2;
  }
  const int64_t max_steps = absl::GetFlag(FLAGS_max_episode_steps);
  if (max_steps < 1) {
    std::cerr << "error: --max_episode_steps must be >= 1 (got " << max_steps
              << ")\n";
    return 2;
  }
  const int64_t seed = absl::GetFlag(FLAGS_seed);
  if (seed < 0) {
    std::cerr << "error: --seed must be >= 0 (got " << seed << ")\n";
    return 2;
  }
  // --render_backend, --egl_device, --size, --overlay, --overlay_label.
  absl::StatusOr<rl::RenderFlags> render = rl::RenderFlagsFromCommandLine();
  if (!render.ok()) {
    std::cerr << "error: " << render.status().message() << "\n";
    return 2;
  }

  // The recording flags (the same as train's), checked together.
  absl::StatusOr<rl::RecordFlags> recording = rl::RecordFlagsFromCommandLine();
  if (!recording.ok()) {
    std::cerr << "error: " << recording.status().message() << "\n";
    return 2;
  }

  // Read and check the checkpoint before anything is created.
  auto checkpoint = rl::ReadCheckpoint(path);
  if (!checkpoint.ok()) {
    std::cerr << "error: cannot use checkpoint: "
              << checkpoint.status().message() << "\n";
    return 3;
  }
  std::string env_id = absl::GetFlag(FLAGS_env);
  if (env_id.empty()) env_id = checkpoint->header.env_id;
  if (env_id.empty()) {
    std::cerr << "error: the checkpoint " << path
              << " does not name its env; pass --env\n";
    return 2;
  }
  auto env = rl::Envs().Create(env_id);
  if (!env.ok()) {
    std::cerr << "error: " << env.status().message() << "\n";
    return 2;
  }
  absl::Status matches = rl::CheckCheckpointMatches(
      checkpoint->header, checkpoint->header.agent, env_id,
      (*env)->observation_space(), (*env)->action_space());
  if (!matches.ok()) {
    std::cerr << "error: cannot use checkpoint: " << matches.message() << "\n";
    return 3;
  }
  auto agent = rl::RestoreAgent(*checkpoint, path);
  if (!agent.ok()) {
    std::cerr << "error: cannot use checkpoint: " << agent.status().message()
              << "\n";
    return 3;
  }

  rl::VideoSessionOptions video;
  video.render_backend = render->render_backend;
  video.egl_device = render->egl_device;
  video.width = render->width;
  video.height = render->height;
  video.overlay = render->overlay;
  video.overlay_label = render->overlay_label;
  video.recorder = recording->recorder;
  video.fps = recording->fps;
  video.encoder = recording->encoder;
  video.embed = recording->embed;
  video.video_dir =
      rl::ResolveAgainstWorkingDirectory(absl::GetFlag(FLAGS_video_dir));
  // play records every episode as ENV-play-... unless told otherwise.
  video.record = recording->schedule;
  if (!rl::RecordFlagGiven("record")) {
    video.record.mode = rl::RecordMode::kEveryEpisodes;
    if (!rl::RecordFlagGiven("record_every")) video.record.every = 1;
  }
  if (!rl::RecordFlagGiven("name_prefix")) {
    video.record.name_prefix = env_id + "-play";
  }
  video.agent = checkpoint->header.agent;
  video.seed = static_cast<uint64_t>(seed);
  video.gallery_title =
      absl::StrCat(env_id, " ", checkpoint->header.agent, " after ",
                   checkpoint->header.steps, " steps");
  auto session = rl::VideoSession::Create(video, (*env)->spec(), &std::cout);
  if (!session.ok()) {
    std::cerr << "error: "
              << rl::WithRenderFlagContext(session.status(), *render).message()
              << "\n";
    return absl::IsInvalidArgument(session.status()) ? 2 : 1;
  }
  auto live =
      rl::StartLiveViewFromFlags(video.video_dir, video.render_backend,
                                 video.egl_device, std::cout, std::cerr);
  if (!live.ok()) {
    std::cerr << "error: " << live.status().message() << "\n";
    return absl::IsInvalidArgument(live.status()) ? 2 : 1;
  }
  // Every check has passed: only now is anything written.
  if (absl::Status prepared = (*session)->Prepare(); !prepared.ok()) {
    std::cerr << "error: " << prepared.message() << "\n";
    return 1;
  }
  rl::LiveEpisodes watch(
      live->get(), env_id,
      absl::StrCat(checkpoint->header.agent, " after ",
                   checkpoint->header.steps, " steps (greedy)"));
  watch.WatchVideos(&(*session)->videos());
  const std::atomic<bool>& stop_requested = rl::StopOnSignals();

  rl::EpisodeLoopOptions loop_options;
  loop_options.learn = false;
  loop_options.reset_seed = [&video](int, int64_t episode) {
    return std::optional<uint64_t>(rl::EpisodeSeed(video.seed, -1, episode));
  };
  loop_options.max_episode_steps = max_steps;
  if (absl::GetFlag(FLAGS_realtime)) {
    loop_options.steps_per_second = std::max(1, (*env)->spec().render_fps);
  }
  loop_options.what = absl::StrCat("playing ", path);
  std::vector<std::unique_ptr<rl::Env>> envs;
  envs.push_back(std::move(*env));
  rl::EpisodeLoop loop(agent->get(), std::move(envs), std::move(loop_options));
  EpisodeLines lines;
  loop.AddObserver(session->get());  // First: it ends videos on the step.
  loop.AddObserver(&watch);
  loop.AddObserver(&lines);
  rl::EpisodeLoop::Budget budget;
  budget.episodes = episodes;
  auto fail = [](const absl::Status& status) {
    std::cerr << "error: " << status.message() << "\n";
    return 1;
  };
  if (absl::Status s = loop.Run(budget, [&] { return stop_requested.load(); });
      !s.ok()) {
    return fail(s);
  }
  double sum = 0;
  for (const rl::EpisodeRecord& record : loop.episodes()) {
    sum += record.episode_return;
  }
  const int played = static_cast<int>(loop.episodes().size());
  int cut = 0;  // An episode stopped by a signal before its end.
  if (const rl::EpisodeLoop::EnvSlot& slot = loop.slot(0);
      slot.started && slot.length > 0) {
    // Its return says nothing about the policy.
    std::cout << "episode " << slot.episode << ": stopped after " << slot.length
              << " steps (return " << slot.episode_return
              << " so far; not counted in the mean)\n";
    cut = 1;
  }
  if (absl::Status s =
          (*session)->Finish(stop_requested.load() ? "stopped" : "run ended");
      !s.ok()) {
    return fail(s);
  }
  watch.AddVideos((*session)->videos());
  if (*live != nullptr) {
    (*live)->board().SetState(stop_requested.load() ? "stopped" : "finished");
  }
  std::cout << "played " << played << " episode(s) of " << env_id;
  if (played > 0) std::cout << ", mean return " << sum / played;
  if (cut > 0) std::cout << " (and " << cut << " cut short, not counted)";
  std::cout << "; wrote " << (*session)->videos().size() << " video(s) and "
            << video.video_dir << "/index.html\n";
  if (stop_requested.load()) return 130;
  rl::LingerIfAsked(live->get(), stop_requested, std::cout);
  return 0;  // The episodes were complete; Ctrl-C only ended the lingering.
}
