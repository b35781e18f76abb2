// Trainer: trains an agent on an env for a budget of env steps, and
// Evaluate(): plays an agent's greedy policy. No rendering or recording here;
// TrainerHooks let a caller (the train binary) draw, record, log and stop.
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
//   RL_RETURN_IF_ERROR(trainer->Run(150000));
//   RL_ASSIGN_OR_RETURN(EvaluationResult eval,
//                       Evaluate(trainer->agent(), "CartPole-v1", 20, 1000));
//   RL_RETURN_IF_ERROR(trainer->SaveCheckpoint("/tmp/ppo.ckpt"));
#ifndef RL_PIPELINE_TRAINER_H_
#define RL_PIPELINE_TRAINER_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rl/agents/agent.h"
#include "rl/agents/checkpoint.h"
#include "rl/envs/env.h"

namespace rl {

struct TrainerOptions {
  std::string env_id = "CartPole-v1";
  std::string agent = "ppo";
  uint64_t seed = 0;
  // Overrides of the agent's defaults (rl/agents/defaults.cc).
  HyperParams hyperparams;
};

struct EpisodeRecord {
  int64_t episode = 0;      // 0, 1, ... in the order episodes finished.
  int env_index = 0;        // Which of the lockstep envs.
  int64_t env_episode = 0;  // That env's episode number.
  int64_t step = 0;         // Env steps (all envs) when it finished.
  double episode_return = 0;
  int64_t length = 0;
  bool terminated = false;
  bool truncated = false;
  double seconds = 0;  // Wall time since training began; not reproducible.
  std::map<std::string, double> stats;  // Agent::Stats() when it finished.
};

// Optional callbacks; an error from one stops Run() with that error.
struct TrainerHooks {
  // An env started an episode (after Reset(); the env can Draw()).
  std::function<absl::Status(int env_index, const Env& env)> on_reset;
  // An env took a step (before the agent learns from it).
  std::function<absl::Status(int env_index, const Env& env,
                             const StepResult& result)>
      on_step;
  std::function<absl::Status(const EpisodeRecord& record)> on_episode_end;
  // Checked before every lockstep step; true stops Run() cleanly (OK).
  std::function<bool()> should_stop;
};

class Trainer {
 public:
  // Checks the env and agent names and the hyper-parameters; creates the
  // agent (seeded with options.seed) and its envs.
  static absl::StatusOr<std::unique_ptr<Trainer>> Create(
      const TrainerOptions& options);
  // Continues a run saved by SaveCheckpoint() (see the guarantee above).
  static absl::StatusOr<std::unique_ptr<Trainer>> Resume(
      const std::string& checkpoint_path);

  // Trains until steps() >= total_steps (a total, not an increment), a hook
  // fails or should_stop says so.
  absl::Status Run(int64_t total_steps, const TrainerHooks& hooks = {});

  // Writes the agent and trainer state (see checkpoint.h).
  absl::Status SaveCheckpoint(const std::string& path) const;

  // Options with the agent's resolved hyper-parameters (all of them).
  const TrainerOptions& options() const { return options_; }
  const AgentContext& context() const { return context_; }
  int64_t steps() const { return steps_; }
  const std::vector<EpisodeRecord>& episodes() const { return episodes_; }
  Agent& agent() { return *agent_; }
  int num_envs() const { return static_cast<int>(slots_.size()); }
  const Env& env(int index) const { return *slots_[index].env; }
  // The episode number of env `index` in progress (or, between episodes,
  // the next one): in on_reset, the episode that just started.
  int64_t env_episode(int index) const { return slots_[index].episode; }

 private:
  struct EnvSlot {
    std::unique_ptr<Env> env;
    int64_t episode = 0;  // This env's current episode number.
    double episode_return = 0;
    int64_t length = 0;
    bool started = false;
    std::vector<Action> actions;  // Of the episode in progress, for replay.
  };

  Trainer() = default;
  absl::Status Init(const TrainerOptions& options);
  absl::Status StartEpisode(int index, const TrainerHooks& hooks);
  std::string SaveTrainerState() const;
  absl::Status LoadTrainerState(absl::string_view state,
                                absl::string_view source);
  double Elapsed() const;

  TrainerOptions options_;
  AgentContext context_;
  std::unique_ptr<Agent> agent_;
  std::vector<EnvSlot> slots_;
  int64_t steps_ = 0;
  std::vector<EpisodeRecord> episodes_;
  double seconds_before_ = 0;  // Wall time of the run before a resume.
  int64_t start_ticks_ = 0;    // steady_clock at Create()/Resume().

  // Per lockstep step; members to reuse their memory.
  std::vector<Observation> observations_;
  std::vector<Action> actions_;
  std::vector<StepResult> results_;
  std::vector<Transition> transitions_;
};

// Seed of episode `episode` of env `env_index` in a run seeded `seed`.
uint64_t EpisodeSeed(uint64_t seed, int env_index, int64_t episode);

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
// env without a time limit stop after `max_episode_steps` steps.
absl::StatusOr<EvaluationResult> Evaluate(Agent& agent,
                                          absl::string_view env_id,
                                          int episodes, uint64_t seed,
                                          int64_t max_episode_steps = 100000);

}  // namespace rl

#endif  // RL_PIPELINE_TRAINER_H_
