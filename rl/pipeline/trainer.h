// Trainer: trains an agent on an env for a budget of env steps, and
// Evaluate(): plays an agent's greedy policy. Both run the EpisodeLoop
// (episode_loop.h); no rendering or recording here: EpisodeObservers added
// by a caller (the train binary) draw, record and log.
//
// Envs: the trainer creates agent->num_envs() instances of the env (PPO's
// n_envs; 1 for the others) and steps them in lockstep through
// Agent::ActBatch()/ObserveBatch(). An env is reset when its episode ends
// (terminated or truncated, Gymnasium semantics), with a seed derived from
// the run seed, the env's index and its episode number (EpisodeSeed()), so
// every episode's randomness is known in advance.
//
// Reproducibility: the same options and seed give the same run, step for
// step, on the same binary. Steps are counted over all envs; Run() stops at
// the first lockstep step at or past the budget (so it may overshoot by up
// to num_envs() - 1 steps).
//
// Checkpoints and resuming: SaveCheckpoint() writes the agent's full
// learning state (Agent::SaveState()) and the trainer's: step and episode
// counters, the finished episodes, and for each env the seed and actions of
// its episode in progress. Resume() re-creates the agent and replays those
// actions in fresh envs, so the envs are exactly where they were. The
// guarantee: Run(N), SaveCheckpoint(), Resume(), Run(M) gives the same
// episodes, returns, statistics and parameters as one Run(M), bit for bit,
// for any N (also mid-episode or mid-rollout), on the same binary, for envs
// that are deterministic given their seed and actions (all of ours; replay
// checks it and fails clearly otherwise). Wall-clock fields differ.
//
// Example:
//   TrainerOptions options;
//   options.env_id = "CartPole-v1";
//   options.agent = "ppo";
//   options.seed = 1;
//   RL_ASSIGN_OR_RETURN(auto trainer, Trainer::Create(options));
//   trainer->AddObserver(&metrics);  // Optional.
//   RL_RETURN_IF_ERROR(trainer->Run(150000));
//   RL_ASSIGN_OR_RETURN(EvaluationResult eval,
//                       Evaluate(trainer->agent(), "CartPole-v1", 20, 1000));
//   // gym.make(id, **kwargs): options.env_kwargs = {{"is_slippery",
//   // "False"}}; evaluate with the same (Evaluate's last argument).
//   RL_RETURN_IF_ERROR(trainer->SaveCheckpoint("/tmp/ppo.ckpt"));
#ifndef RL_PIPELINE_TRAINER_H_
#define RL_PIPELINE_TRAINER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rl/agents/agent.h"
#include "rl/agents/checkpoint.h"
#include "rl/agents/serialize.h"
#include "rl/envs/env.h"
#include "rl/envs/env_kwargs.h"
#include "rl/pipeline/episode_loop.h"
#include "rl/pipeline/observer.h"

namespace rl {

struct TrainerOptions {
  std::string env_id = "CartPole-v1";
  // gym.make(env_id, **env_kwargs) for every env (CreateEnv); a checkpoint
  // does not hold them, so Resume() is given them again.
  EnvKwargs env_kwargs;
  std::string agent = "ppo";
  uint64_t seed = 0;
  // Overrides of the agent's defaults (rl/agents/defaults.cc).
  HyperParams hyperparams;
  // Data-parallel training (not owned; null: one process): this trainer is
  // rank r of collective->size(), stepping its own envs, whose global
  // indices r * n_envs + e seed their episodes (rank 0's are a single
  // process's), with an agent that stays in agreement with the other
  // ranks'. steps() counts every rank's steps. Rank 0 alone writes
  // checkpoints; a resume loads one on every rank (any rank count): rank 0
  // continues its envs' episodes, the others start new ones, seeded afresh
  // from the checkpoint's step.
  Collective* collective = nullptr;
};

class Trainer {
 public:
  // Checks the env and agent names and the hyper-parameters; creates the
  // agent (seeded with options.seed) and its envs.
  static absl::StatusOr<std::unique_ptr<Trainer>> Create(
      const TrainerOptions& options);
  // Continues a run saved by SaveCheckpoint() (see the guarantee above),
  // its envs made with `env_kwargs`: those the run was trained with (a run
  // directory's config.json has them; the checkpoint has its env id only).
  static absl::StatusOr<std::unique_ptr<Trainer>> Resume(
      const std::string& checkpoint_path, const EnvKwargs& env_kwargs = {},
      Collective* collective = nullptr);

  // Not owned; told of every reset, step and finished episode of training.
  void AddObserver(EpisodeObserver* observer) { loop_->AddObserver(observer); }

  // Trains until steps() >= total_steps (a total, not an increment), an
  // observer fails or `should_stop` (asked before every lockstep step) says
  // so.
  absl::Status Run(int64_t total_steps,
                   const std::function<bool()>& should_stop = nullptr);

  // Writes the agent and trainer state (see checkpoint.h).
  absl::Status SaveCheckpoint(const std::string& path) const;
  // What SaveCheckpoint() writes, in memory (to write later:
  // WriteCheckpoint()). Unimplemented for agents without a learning state.
  // RestoreAgent() of it is a copy of the agent as it is now, apart from
  // the run: an evaluation can play its ActGreedy() (the same as this
  // agent's now, and drawing nothing) on another thread while this trainer
  // trains on.
  absl::StatusOr<Checkpoint> MakeCheckpoint() const;
  // Options with the agent's resolved hyper-parameters (all of them).
  const TrainerOptions& options() const { return options_; }
  const AgentContext& context() const { return context_; }
  int64_t steps() const { return loop_->steps(); }
  const std::vector<EpisodeRecord>& episodes() const {
    return loop_->episodes();
  }
  Agent& agent() { return *agent_; }
  int num_envs() const { return loop_->num_envs(); }
  const Env& env(int index) const { return loop_->env(index); }
  // The episode number of env `index` in progress (or, between episodes,
  // the next one): in OnReset, the episode that just started.
  int64_t env_episode(int index) const { return loop_->slot(index).episode; }
  // The run's number of env `index`'s episode in progress (EpisodeStart).
  int64_t run_episode(int index) const {
    return loop_->slot(index).run_episode;
  }
  // Steps env `index` has taken in its episode in progress (0 if none).
  int64_t steps_into_episode(int index) const {
    return loop_->steps_into_episode(index);
  }

 private:
  Trainer() = default;
  absl::Status Init(const TrainerOptions& options);
  std::string SaveTrainerState() const;
  absl::Status LoadTrainerState(absl::string_view state,
                                absl::string_view source);
  // Env `e`'s episode in progress, read and replayed.
  absl::Status LoadEnvSlot(int e, absl::string_view source, ByteReader* in);
  absl::Status ReplayEpisode(int e, const Observation& saved,
                             absl::string_view source);

  TrainerOptions options_;
  // Episode seeds: EpisodeSeed(episode_seed_, env_index_offset_ + e, ...).
  uint64_t episode_seed_ = 0;
  int env_index_offset_ = 0;
  AgentContext context_;
  std::unique_ptr<Agent> agent_;
  std::unique_ptr<EpisodeLoop> loop_;
};

// Seed of episode `episode` of env `env_index` in a run seeded `seed`.
uint64_t EpisodeSeed(uint64_t seed, int env_index, int64_t episode);

// The loop options of greedy evaluation episodes: ActGreedy(), nothing
// learned, episode i starting from Reset(EpisodeSeed(seed, -1, i)), cut
// after `max_episode_steps`. Evaluate(), a training run's evaluations and
// `play` all use them, so their episodes are the same for the same seed.
EpisodeLoopOptions GreedyLoopOptions(uint64_t seed, int64_t max_episode_steps,
                                     std::string what);

struct EvaluationResult {
  std::vector<double> returns;
  std::vector<int64_t> lengths;
  double mean_return = 0;
  double std_return = 0;  // Population standard deviation.
  double mean_length = 0;
};

// Plays `episodes` episodes of `env_id` with agent.ActGreedy() and returns
// their returns and lengths. Episode i starts from Reset(EpisodeSeed(seed,
// -1, i)) (a stream training never uses). The agent's learning state is
// untouched, so evaluations can be interleaved with training. Episodes of an
// env without a time limit stop after `max_episode_steps` steps. The env is
// CreateEnv(env_id, env_kwargs): give the training envs' kwargs
// (trainer.options().env_kwargs), or the policy is judged on another env.
absl::StatusOr<EvaluationResult> Evaluate(Agent& agent,
                                          absl::string_view env_id,
                                          int episodes, uint64_t seed,
                                          int64_t max_episode_steps = 100000,
                                          const EnvKwargs& env_kwargs = {});

}  // namespace rl

#endif  // RL_PIPELINE_TRAINER_H_
