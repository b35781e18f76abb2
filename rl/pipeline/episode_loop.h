// EpisodeLoop: the one loop that plays an agent in envs. Training, the
// evaluations during training, `train --episodes` and `play` all run it;
// what differs is said by EpisodeLoopOptions, and what is done with each
// reset, step and finished episode (record a video, draw the live view,
// write metrics) by the EpisodeObservers added to it. The loop includes
// none of them.
//
// Envs step in lockstep: one action per env per step, from
// Agent::ActBatch() (Act() when there is one env), or ActGreedy() per env
// when the loop does not learn. An env is reset when its episode ends
// (terminated or truncated, Gymnasium semantics; or after
// max_episode_steps), seeded by options.reset_seed.
//
// Example (greedy episodes of a trained agent, recorded):
//   EpisodeLoopOptions options;
//   options.learn = false;
//   options.reset_seed = [](int, int64_t episode) { return EpisodeSeed(
//       seed, -1, episode); };
//   EpisodeLoop loop(&agent, std::move(envs), options);
//   loop.AddObserver(video_session.get());
//   RL_RETURN_IF_ERROR(loop.Run(EpisodeLoop::Budget{.episodes = 3}));
//   for (const EpisodeRecord& r : loop.episodes()) ...
#ifndef RL_PIPELINE_EPISODE_LOOP_H_
#define RL_PIPELINE_EPISODE_LOOP_H_

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "rl/agents/agent.h"
#include "rl/envs/env.h"
#include "rl/pipeline/observer.h"

namespace rl {

struct EpisodeLoopOptions {
  // True: the agent explores (Act) and learns (Observe) from every step.
  // False: it plays ActGreedy() and learns nothing.
  bool learn = true;
  // The seed of env `env_index`'s episode `env_episode`; nullopt continues
  // the env's own generator (Gymnasium's convention after the first
  // reset). Unset: every reset continues the generator.
  std::function<std::optional<uint64_t>(int env_index, int64_t env_episode)>
      reset_seed;
  // > 0: an episode still running after this many steps ends there
  // (reported as truncated), for envs without a time limit of their own.
  int64_t max_episode_steps = 0;
  // > 0: at most this many lockstep steps a second (to watch a run at the
  // env's own pace); 0: as fast as possible.
  double steps_per_second = 0;
  // Said first in errors from the env or agent ("training ppo on ...").
  std::string what = "playing";
  // What one env step adds to steps(): data-parallel training counts every
  // rank's steps (all ranks step in lockstep), so it is the rank count.
  int64_t step_weight = 1;
};

class EpisodeLoop {
 public:
  // When Run() returns. Steps are counted over all envs.
  struct Budget {
    int64_t steps = std::numeric_limits<int64_t>::max();     // A total.
    int64_t episodes = std::numeric_limits<int64_t>::max();  // A total.
  };

  // `agent` outlives the loop; `envs` are stepped in lockstep (>= 1).
  EpisodeLoop(Agent* agent, std::vector<std::unique_ptr<Env>> envs,
              EpisodeLoopOptions options);

  // Not owned; called in the order added.
  void AddObserver(EpisodeObserver* observer) {
    observers_.push_back(observer);
  }

  // Steps until steps() >= budget.steps, episodes().size() >=
  // budget.episodes, or `should_stop` (asked before every lockstep step)
  // says so; an error from the env, the agent or an observer stops it with
  // that error. The first Run() starts every env's first episode; after an
  // episode ends the env starts its next at once, unless that episode met
  // the episode budget (then the next Run() starts it).
  absl::Status Run(const Budget& budget,
                   const std::function<bool()>& should_stop = nullptr);

  int num_envs() const { return static_cast<int>(slots_.size()); }
  const Env& env(int index) const { return *slots_[index].env; }
  int64_t steps() const { return steps_; }
  const std::vector<EpisodeRecord>& episodes() const { return episodes_; }
  // Wall-clock seconds of the run (an earlier part of it included).
  double Elapsed() const;

  // One env and its episode in progress (or, between episodes, the next).
  struct EnvSlot {
    std::unique_ptr<Env> env;
    int64_t episode = 0;       // This env's current episode number (its own).
    int64_t run_episode = -1;  // The run's number of it (EpisodeStart).
    double episode_return = 0;
    int64_t length = 0;
    bool started = false;
    std::vector<Action> actions;  // Of the episode in progress, if learning.
  };
  const EnvSlot& slot(int index) const { return slots_[index]; }
  // Steps env `index` has taken in its episode in progress; 0 between
  // episodes (e.g. after the episode budget was met).
  int64_t steps_into_episode(int index) const {
    return slots_[index].started ? slots_[index].length : 0;
  }
  // Env `index`'s current observation.
  const Observation& observation(int index) const {
    return observations_[index];
  }

  // For saving and restoring a run (Trainer's checkpoints).
  EnvSlot& mutable_slot(int index) { return slots_[index]; }
  Observation& mutable_observation(int index) { return observations_[index]; }
  std::vector<EpisodeRecord>& mutable_episodes() { return episodes_; }
  void set_steps(int64_t steps) { steps_ = steps; }
  // The run's number for the next episode to start.
  int64_t episodes_started() const { return episodes_started_; }
  void set_episodes_started(int64_t count) { episodes_started_ = count; }
  void set_seconds_before(double seconds);
  // The seed options.reset_seed gives (nullopt if unset).
  std::optional<uint64_t> ResetSeed(int env_index, int64_t env_episode) const;

 private:
  absl::Status StartEpisode(int index);
  absl::Status ChooseActions();
  absl::Status EndEpisode(int index, const StepResult& result);
  void Pace();

  Agent* const agent_;
  const EpisodeLoopOptions options_;
  std::vector<EnvSlot> slots_;
  std::vector<EpisodeObserver*> observers_;
  int64_t steps_ = 0;
  int64_t episodes_started_ = 0;
  std::vector<EpisodeRecord> episodes_;
  double seconds_before_ = 0;    // Wall time of the run before a resume.
  int64_t start_ticks_ = 0;      // steady_clock when the loop was made.
  int64_t next_step_ticks_ = 0;  // For steps_per_second.

  // Per lockstep step; members to reuse their memory.
  std::vector<Observation> observations_;
  std::vector<Action> actions_;
  std::vector<StepResult> results_;
  std::vector<Transition> transitions_;
};

}  // namespace rl

#endif  // RL_PIPELINE_EPISODE_LOOP_H_
