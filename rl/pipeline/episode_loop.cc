#include "rl/pipeline/episode_loop.h"

#include <chrono>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "rl/core/status_macros.h"

namespace rl {
namespace {

int64_t NowTicks() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

absl::Status WithContext(const absl::Status& status, absl::string_view what) {
  if (status.ok()) return status;
  return absl::Status(status.code(),
                      absl::StrCat(what, ": ", status.message()));
}

}  // namespace

EpisodeLoop::EpisodeLoop(Agent* agent, std::vector<std::unique_ptr<Env>> envs,
                         EpisodeLoopOptions options)
    : agent_(agent), options_(std::move(options)) {
  slots_.resize(envs.size());
  for (size_t e = 0; e < envs.size(); ++e) slots_[e].env = std::move(envs[e]);
  observations_.resize(envs.size());
  actions_.resize(envs.size());
  results_.resize(envs.size());
  start_ticks_ = NowTicks();
  next_step_ticks_ = start_ticks_;
}

double EpisodeLoop::Elapsed() const {
  return seconds_before_ + (NowTicks() - start_ticks_) * 1e-9;
}

void EpisodeLoop::set_seconds_before(double seconds) {
  seconds_before_ = seconds;
  start_ticks_ = NowTicks();
}

std::optional<uint64_t> EpisodeLoop::ResetSeed(int env_index,
                                               int64_t env_episode) const {
  if (!options_.reset_seed) return std::nullopt;
  return options_.reset_seed(env_index, env_episode);
}

absl::Status EpisodeLoop::StartEpisode(int index) {
  EnvSlot& slot = slots_[index];
  slot.env->Reset(ResetSeed(index, slot.episode), &observations_[index]);
  slot.episode_return = 0;
  slot.length = 0;
  slot.started = true;
  slot.run_episode = episodes_started_++;
  slot.actions.clear();
  const EpisodeStart start{slot.run_episode, slot.episode, steps_};
  for (EpisodeObserver* observer : observers_) {
    RL_RETURN_IF_ERROR(observer->OnReset(index, start, *slot.env));
  }
  return absl::OkStatus();
}

absl::Status EpisodeLoop::ChooseActions() {
  const int n = num_envs();
  if (!options_.learn) {
    for (int e = 0; e < n; ++e)
      actions_[e] = agent_->ActGreedy(observations_[e]);
  } else if (n == 1) {
    actions_[0] = agent_->Act(observations_[0]);
  } else {
    agent_->ActBatch(observations_, &actions_);
    if (static_cast<int>(actions_.size()) != n) {
      return absl::InternalError(
          absl::StrCat(options_.what, ": the agent returned ", actions_.size(),
                       " actions for ", n, " envs"));
    }
  }
  return absl::OkStatus();
}

absl::Status EpisodeLoop::EndEpisode(int index, const StepResult& result) {
  EnvSlot& slot = slots_[index];
  EpisodeRecord record;
  record.episode = slot.run_episode;
  record.env_index = index;
  record.env_episode = slot.episode;
  record.step = steps_;
  record.episode_return = slot.episode_return;
  record.length = slot.length;
  record.terminated = result.terminated;
  // Truncated by the env, or cut by the loop (max_episode_steps).
  record.truncated = result.truncated || !result.terminated;
  record.seconds = Elapsed();
  if (options_.learn) record.stats = agent_->Stats();
  episodes_.push_back(record);
  ++slot.episode;
  slot.started = false;
  for (EpisodeObserver* observer : observers_) {
    RL_RETURN_IF_ERROR(observer->OnEpisodeEnd(record));
  }
  return absl::OkStatus();
}

void EpisodeLoop::Pace() {
  if (options_.steps_per_second <= 0) return;
  next_step_ticks_ += static_cast<int64_t>(1e9 / options_.steps_per_second);
  const int64_t wait = next_step_ticks_ - NowTicks();
  if (wait > 0) std::this_thread::sleep_for(std::chrono::nanoseconds(wait));
}

absl::Status EpisodeLoop::Run(const Budget& budget,
                              const std::function<bool()>& should_stop) {
  const int n = num_envs();
  auto budget_met = [&] {
    return steps_ >= budget.steps ||
           static_cast<int64_t>(episodes_.size()) >= budget.episodes;
  };
  if (budget_met()) return absl::OkStatus();
  for (int e = 0; e < n; ++e) {
    if (!slots_[e].started) RL_RETURN_IF_ERROR(StartEpisode(e));
  }
  while (!budget_met()) {
    if (should_stop && should_stop()) break;
    Pace();
    RL_RETURN_IF_ERROR(ChooseActions());
    const int64_t steps_after = steps_ + n * options_.step_weight;
    for (int e = 0; e < n; ++e) {
      EnvSlot& slot = slots_[e];
      RL_RETURN_IF_ERROR(WithContext(
          slot.env->Step(actions_[e], &results_[e]),
          absl::StrCat(options_.what, " (env ", e, ", step ", steps_, ")")));
      if (options_.learn) slot.actions.push_back(actions_[e]);
      slot.episode_return += results_[e].reward;
      ++slot.length;
      for (EpisodeObserver* observer : observers_) {
        RL_RETURN_IF_ERROR(
            observer->OnStep(e, *slot.env, results_[e], steps_after));
      }
    }
    if (options_.learn) {
      transitions_.clear();
      for (int e = 0; e < n; ++e) {
        transitions_.push_back(
            Transition{observations_[e], actions_[e], results_[e]});
      }
      RL_RETURN_IF_ERROR(WithContext(
          n == 1 ? agent_->Observe(transitions_[0])
                 : agent_->ObserveBatch(transitions_),
          absl::StrCat(options_.what, ": the agent at step ", steps_)));
    }
    steps_ = steps_after;
    for (int e = 0; e < n; ++e) {
      const StepResult& result = results_[e];
      const bool cut = options_.max_episode_steps > 0 &&
                       slots_[e].length >= options_.max_episode_steps;
      if (!(result.terminated || result.truncated || cut)) {
        observations_[e].swap(results_[e].observation);
        continue;
      }
      RL_RETURN_IF_ERROR(EndEpisode(e, result));
      if (!budget_met() || budget.episodes == Budget().episodes) {
        RL_RETURN_IF_ERROR(StartEpisode(e));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace rl
