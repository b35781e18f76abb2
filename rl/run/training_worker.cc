#include "rl/run/training_worker.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "rl/core/status_macros.h"
#include "rl/envs/env_kwargs.h"
#include "rl/live/live_feed.h"
#include "rl/live/live_view.h"
#include "rl/pipeline/trainer.h"
#include "rl/pipeline/video_session.h"
#include "rl/run/data_parallel.h"
#include "rl/run/run_files.h"

namespace rl {

std::string WorkerSettings(int64_t steps) {
  return nlohmann::json({{"steps", steps}}).dump();
}

int64_t MeetingInterval(int num_envs, int ranks) {
  return int64_t{64} * num_envs * ranks;
}

namespace {

// Counts the episodes this rank ends, for rank 0's total.
class EpisodeCounter : public EpisodeObserver {
 public:
  absl::Status OnEpisodeEnd(const EpisodeRecord& record) override {
    ++ended_;
    return absl::OkStatus();
  }
  int64_t TakeCount() {
    const int64_t count = ended_;
    ended_ = 0;
    return count;
  }

 private:
  int64_t ended_ = 0;
};

// Draws this rank's envs (a grid of its lockstep envs, each with its
// overlay) on its own feed thread while rank 0's live view has viewers, for
// the news.
class RankLive : public EpisodeObserver {
 public:
  RankLive(const LiveFeedOptions& options, const Trainer* trainer, int rank)
      : options_(options),
        trainer_(trainer),
        rank_(rank),
        returns_(trainer->num_envs(), 0.0),
        steps_(trainer->num_envs(), 0) {}

  // At each meeting: whether rank 0 has viewers now.
  void SetWatched(bool watched) {
    if (!watched) {
      viewer_.reset();
      return;
    }
    if (feed_ == nullptr && !failed_) {
      auto feed = LiveFeed::Create(options_);
      failed_ = !feed.ok();
      if (feed.ok()) feed_ = std::move(*feed);
    }
    if (feed_ != nullptr && viewer_ == nullptr) {
      viewer_ = std::make_unique<LiveFeed::Viewer>(feed_.get());
    }
  }

  absl::Status OnReset(int index, const EpisodeStart&,
                       const Env& env) override {
    returns_[index] = 0;
    steps_[index] = 0;
    return absl::OkStatus();
  }

  absl::Status OnStep(int index, const Env& env, const StepResult& result,
                      int64_t) override {
    returns_[index] += result.reward;
    ++steps_[index];
    if (index + 1 < trainer_->num_envs() || feed_ == nullptr ||
        !feed_->Wanted()) {
      return absl::OkStatus();
    }
    const int n = trainer_->num_envs();
    std::vector<const Env*> envs(n);
    std::vector<OverlayInfo> overlays(n);
    for (int i = 0; i < n; ++i) {
      envs[i] = &trainer_->env(i);
      overlays[i].env_id = absl::StrCat("rank ", rank_, " env ", i);
      overlays[i].episode = static_cast<int>(trainer_->run_episode(i));
      overlays[i].step = static_cast<int>(steps_[i]);
      overlays[i].episode_return = returns_[i];
    }
    absl::StatusOr<EnvPicture> picture = PictureOfEnvs(envs, overlays);
    if (picture.ok()) feed_->Offer(std::move(*picture));
    return absl::OkStatus();  // A live picture never stops training.
  }

  // The feed's picture if it is newer than the last one taken, else "".
  std::string TakeNewPicture() {
    if (feed_ == nullptr) return "";
    const LiveFeed::Picture picture = feed_->Latest();
    if (picture.jpeg == nullptr || picture.sequence == taken_) return "";
    taken_ = picture.sequence;
    return *picture.jpeg;
  }

 private:
  const LiveFeedOptions options_;
  const Trainer* const trainer_;
  const int rank_;
  std::vector<double> returns_;
  std::vector<int64_t> steps_;
  std::unique_ptr<LiveFeed> feed_;
  std::unique_ptr<LiveFeed::Viewer> viewer_;
  bool failed_ = false;
  int64_t taken_ = 0;
};

}  // namespace

absl::StatusOr<TrainingSummary> RunTrainingWorker(
    const TrainingRunOptions& options, std::ostream& out) {
  Collective* collective = options.trainer.collective;
  const int rank = collective->rank();
  std::unique_ptr<Trainer> trainer;
  if (options.resume.empty()) {
    RL_ASSIGN_OR_RETURN(trainer, Trainer::Create(options.trainer));
  } else {
    // The envs as the run made them (its config.json, which rank 0 rewrites
    // only after every rank has loaded the checkpoint).
    EnvKwargs env_kwargs = options.trainer.env_kwargs;
    const std::string config_path = options.run_dir + "/config.json";
    const nlohmann::json config = ReadConfig(config_path);
    if (!config.is_null()) {
      RL_ASSIGN_OR_RETURN(env_kwargs, ConfigEnvKwargs(config, config_path));
    }
    RL_ASSIGN_OR_RETURN(
        trainer, Trainer::Resume(options.resume, env_kwargs, collective));
  }
  // Rank 0's resolved budget, once its checks passed.
  std::string settings;
  RL_RETURN_IF_ERROR(collective->Broadcast(&settings));
  int64_t steps = 0;
  try {
    steps = nlohmann::json::parse(settings).at("steps").get<int64_t>();
  } catch (const nlohmann::json::exception& e) {
    return absl::InternalError(
        absl::StrCat("rank 0's run settings did not arrive whole: ", e.what()));
  }

  std::unique_ptr<VideoSession> videos;
  const std::string subdir = absl::StrCat("videos/rank", rank);
  const bool records =
      std::find(options.record_ranks.begin(), options.record_ranks.end(),
                rank) != options.record_ranks.end() &&
      options.video.record.mode != RecordMode::kNone;
  if (records) {
    VideoSessionOptions video = options.video;
    // In the calls, as rank 0's (training_run.cc: a background thread
    // would starve beside ranks that busy-poll).
    video.background = false;
    const std::string& env_id = trainer->options().env_id;
    video.video_dir = options.run_dir + "/" + subdir;
    video.agent = trainer->options().agent;
    video.seed = trainer->options().seed;
    video.env_kwargs = FormatEnvKwargs(trainer->options().env_kwargs);
    video.rank = rank;
    // Checked with the run directory, as rank 0's (training_run.cc).
    video.earlier_videos = EarlierVideos::kKeep;
    video.record.name_prefix = absl::StrCat(env_id, "-rank", rank);
    video.gallery_title =
        absl::StrCat(env_id, " ", video.agent, " training, rank ", rank);
    RL_ASSIGN_OR_RETURN(videos,
                        VideoSession::Create(video, trainer->env(0).spec(),
                                             /*log=*/nullptr));
    RL_RETURN_IF_ERROR(videos->Prepare());
    trainer->AddObserver(videos.get());
  }
  EpisodeCounter episodes;
  trainer->AddObserver(&episodes);
  std::unique_ptr<RankLive> live;
  if (options.rank_live.has_value()) {
    live = std::make_unique<RankLive>(*options.rank_live, trainer.get(), rank);
    trainer->AddObserver(live.get());
  }

  RankSync sync(collective,
                MeetingInterval(trainer->num_envs(), collective->size()));
  size_t sent = 0;
  sync.set_news([&]() -> std::string {
    nlohmann::json news = {{"episodes", episodes.TakeCount()}};
    nlohmann::json list = nlohmann::json::array();
    for (; videos != nullptr && sent < videos->videos().size(); ++sent) {
      const VideoRecord& record = videos->videos()[sent];
      list.push_back({{"file", subdir + "/" + record.file},
                      {"step", record.last_step},
                      {"episode", record.episode},
                      {"return", record.video_return},
                      {"frames", record.frames},
                      {"ended", record.ended}});
    }
    news["videos"] = list;
    // Then, after a newline, this rank's live picture if rank 0 has viewers
    // and a new one is ready (JPEG bytes).
    std::string text = news.dump() + "\n";
    if (live != nullptr) {
      live->SetWatched(sync.viewers());
      absl::StrAppend(&text, live->TakeNewPicture());
    }
    return text;
  });
  auto stop_asked = [&] {
    return options.stop_requested != nullptr && options.stop_requested->load();
  };
  absl::Status trained;
  while (trained.ok() && !sync.stopped() && trainer->steps() < steps) {
    trained = trainer->Run(
        steps, [&] { return sync.ShouldStop(trainer->steps(), stop_asked()); });
  }
  if (trained.ok()) trained = sync.error();
  if (videos != nullptr) {
    absl::Status finished =
        videos->Finish(sync.stopped() ? "stopped" : "run ended");
    if (trained.ok()) trained = finished;
  }
  RL_RETURN_IF_ERROR(trained);
  RL_RETURN_IF_ERROR(sync.Finish());
  TrainingSummary summary;
  summary.run_dir = options.run_dir;
  summary.steps = trainer->steps();
  summary.episodes = static_cast<int64_t>(trainer->episodes().size());
  summary.stopped = sync.stopped();
  return summary;
}

}  // namespace rl
