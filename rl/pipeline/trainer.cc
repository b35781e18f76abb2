#include "rl/pipeline/trainer.h"

#include <cmath>
#include <cstring>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "rl/agents/hyperparams.h"
#include "rl/agents/nn/random.h"
#include "rl/agents/serialize.h"
#include "rl/core/status_macros.h"

namespace rl {
namespace {

// 2: the run's episode numbers (EpisodeStart) of the episodes in progress
// and the next one.
constexpr uint32_t kTrainerStateVersion = 2;

absl::Status WithContext(const absl::Status& status, absl::string_view what) {
  if (status.ok()) return status;
  return absl::Status(status.code(),
                      absl::StrCat(what, ": ", status.message()));
}

absl::Status ReadEpisodeRecord(ByteReader* in, EpisodeRecord* r) {
  uint32_t env_index;
  uint64_t stats;
  RL_RETURN_IF_ERROR(in->I64(&r->episode));
  RL_RETURN_IF_ERROR(in->U32(&env_index));
  r->env_index = static_cast<int>(env_index);
  RL_RETURN_IF_ERROR(in->I64(&r->env_episode));
  RL_RETURN_IF_ERROR(in->I64(&r->step));
  RL_RETURN_IF_ERROR(in->F64(&r->episode_return));
  RL_RETURN_IF_ERROR(in->I64(&r->length));
  RL_RETURN_IF_ERROR(in->Bool(&r->terminated));
  RL_RETURN_IF_ERROR(in->Bool(&r->truncated));
  RL_RETURN_IF_ERROR(in->F64(&r->seconds));
  RL_RETURN_IF_ERROR(in->U64(&stats));
  if (stats > in->remaining() / 16) return in->Error("corrupt episode record");
  for (uint64_t k = 0; k < stats; ++k) {
    std::string name;
    double value;
    RL_RETURN_IF_ERROR(in->String(&name));
    RL_RETURN_IF_ERROR(in->F64(&value));
    r->stats[name] = value;
  }
  return absl::OkStatus();
}

}  // namespace

uint64_t EpisodeSeed(uint64_t seed, int env_index, int64_t episode) {
  return nn::MixSeed(
      nn::MixSeed(seed, static_cast<uint64_t>(env_index) + 0x100),
      static_cast<uint64_t>(episode));
}

absl::Status Trainer::Init(const TrainerOptions& options) {
  options_ = options;
  RL_RETURN_IF_ERROR(Envs().CheckName(options.env_id));
  RL_RETURN_IF_ERROR(Agents().CheckName(options.agent));
  RL_ASSIGN_OR_RETURN(std::unique_ptr<Env> first,
                      CreateEnv(options.env_id, options.env_kwargs));
  context_.observation_space = first->observation_space();
  context_.action_space = first->action_space();
  context_.seed = options.seed;
  context_.env_id = options.env_id;
  context_.hyperparams = options.hyperparams;
  context_.collective = options.collective;
  RL_ASSIGN_OR_RETURN(agent_, CreateAgent(options.agent, context_));
  // From here on the resolved hyper-parameters describe the run.
  options_.hyperparams = agent_->hyperparams();
  context_.hyperparams = options_.hyperparams;
  const int n = agent_->num_envs();
  if (n < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("agent '", options.agent, "' asks for ", n, " envs"));
  }
  std::vector<std::unique_ptr<Env>> envs;
  envs.push_back(std::move(first));
  for (int e = 1; e < n; ++e) {
    RL_ASSIGN_OR_RETURN(std::unique_ptr<Env> env,
                        CreateEnv(options.env_id, options.env_kwargs));
    envs.push_back(std::move(env));
  }
  EpisodeLoopOptions loop;
  loop.learn = true;
  episode_seed_ = options.seed;
  if (IsDataParallel(options.collective)) {
    env_index_offset_ = options.collective->rank() * n;
    loop.step_weight = options.collective->size();
  }
  loop.reset_seed = [this](int env_index, int64_t episode) {
    return std::optional<uint64_t>(
        EpisodeSeed(episode_seed_, env_index_offset_ + env_index, episode));
  };
  loop.what = absl::StrCat("training ", options.agent, " on ", options.env_id);
  loop_ = std::make_unique<EpisodeLoop>(agent_.get(), std::move(envs),
                                        std::move(loop));
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<Trainer>> Trainer::Create(
    const TrainerOptions& options) {
  std::unique_ptr<Trainer> trainer(new Trainer());
  RL_RETURN_IF_ERROR(trainer->Init(options));
  return trainer;
}

absl::Status Trainer::Run(int64_t total_steps,
                          const std::function<bool()>& should_stop) {
  EpisodeLoop::Budget budget;
  budget.steps = total_steps;
  return loop_->Run(budget, should_stop);
}

std::string Trainer::SaveTrainerState() const {
  ByteWriter out;
  out.U32(kTrainerStateVersion);
  out.I64(loop_->steps());
  out.F64(loop_->Elapsed());
  out.U32(static_cast<uint32_t>(loop_->num_envs()));
  out.I64(loop_->episodes_started());
  const bool discrete = context_.action_space.kind == Space::Kind::kDiscrete;
  for (int e = 0; e < loop_->num_envs(); ++e) {
    const EpisodeLoop::EnvSlot& slot = loop_->slot(e);
    out.I64(slot.episode);
    out.F64(slot.episode_return);
    out.I64(slot.length);
    out.Bool(slot.started);
    out.I64(slot.run_episode);
    out.U64(slot.actions.size());
    for (const Action& action : slot.actions) {
      if (discrete) {
        out.I64(action.discrete);
      } else {
        out.Floats(action.continuous);
      }
    }
    out.Floats(loop_->observation(e));
  }
  out.U64(loop_->episodes().size());
  for (const EpisodeRecord& r : loop_->episodes()) {
    out.I64(r.episode);
    out.U32(static_cast<uint32_t>(r.env_index));
    out.I64(r.env_episode);
    out.I64(r.step);
    out.F64(r.episode_return);
    out.I64(r.length);
    out.Bool(r.terminated);
    out.Bool(r.truncated);
    out.F64(r.seconds);
    out.U64(r.stats.size());
    for (const auto& [name, value] : r.stats) {
      out.String(name);
      out.F64(value);
    }
  }
  return out.Release();
}

absl::Status Trainer::SaveCheckpoint(const std::string& path) const {
  RL_ASSIGN_OR_RETURN(Checkpoint checkpoint, MakeCheckpoint());
  return WriteCheckpoint(path, checkpoint);
}

absl::StatusOr<Checkpoint> Trainer::MakeCheckpoint() const {
  Checkpoint checkpoint;
  CheckpointHeader& header = checkpoint.header;
  header.agent = options_.agent;
  header.env_id = options_.env_id;
  header.observation_space = context_.observation_space;
  header.action_space = context_.action_space;
  header.seed = options_.seed;
  header.steps = loop_->steps();
  header.hyperparams = agent_->hyperparams();
  RL_ASSIGN_OR_RETURN(checkpoint.agent_state, agent_->SaveState());
  checkpoint.trainer_state = SaveTrainerState();
  return checkpoint;
}

absl::Status Trainer::LoadEnvSlot(int e, absl::string_view source,
                                  ByteReader* in) {
  EpisodeLoop::EnvSlot& slot = loop_->mutable_slot(e);
  uint64_t count;
  RL_RETURN_IF_ERROR(in->I64(&slot.episode));
  RL_RETURN_IF_ERROR(in->F64(&slot.episode_return));
  RL_RETURN_IF_ERROR(in->I64(&slot.length));
  RL_RETURN_IF_ERROR(in->Bool(&slot.started));
  RL_RETURN_IF_ERROR(in->I64(&slot.run_episode));
  RL_RETURN_IF_ERROR(in->U64(&count));
  if (count > in->remaining() / 8 + 1 ||
      count != static_cast<uint64_t>(slot.length)) {
    return in->Error(absl::StrCat("env ", e, ": ", count,
                                  " actions for an episode of ", slot.length,
                                  " steps"));
  }
  const bool discrete = context_.action_space.kind == Space::Kind::kDiscrete;
  slot.actions.resize(count);
  for (Action& action : slot.actions) {
    if (discrete) {
      RL_RETURN_IF_ERROR(in->I64(&action.discrete));
    } else {
      RL_RETURN_IF_ERROR(in->Floats(&action.continuous));
    }
  }
  Observation saved;
  RL_RETURN_IF_ERROR(in->Floats(&saved));
  if (!slot.started) return absl::OkStatus();
  return ReplayEpisode(e, saved, source);
}

absl::Status Trainer::ReplayEpisode(int e, const Observation& saved,
                                    absl::string_view source) {
  // Bring the env back to where it was: same seed, same actions.
  EpisodeLoop::EnvSlot& slot = loop_->mutable_slot(e);
  Observation& observation = loop_->mutable_observation(e);
  const size_t count = slot.actions.size();
  const std::string what =
      absl::StrCat("checkpoint ", source, ": replaying env ", e, " (",
                   options_.env_id, ") to step ", count, " of its episode");
  slot.env->Reset(loop_->ResetSeed(e, slot.episode), &observation);
  StepResult result;
  for (size_t k = 0; k < count; ++k) {
    RL_RETURN_IF_ERROR(
        WithContext(slot.env->Step(slot.actions[k], &result), what));
    if ((result.terminated || result.truncated) && k + 1 < count) {
      return absl::FailedPreconditionError(
          absl::StrCat(what, ": the episode ended early at step ", k + 1,
                       "; the env is not deterministic given its seed and "
                       "actions, so the run cannot resume mid-episode"));
    }
  }
  if (count > 0) observation = result.observation;
  if (observation.size() != saved.size() ||
      std::memcmp(observation.data(), saved.data(), 4 * saved.size()) != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        what,
        ": the observation differs from the saved one; the env is not "
        "deterministic given its seed and actions (or changed since "
        "the checkpoint), so the run cannot resume mid-episode"));
  }
  return absl::OkStatus();
}

absl::Status Trainer::LoadTrainerState(absl::string_view state,
                                       absl::string_view source) {
  ByteReader in(state, absl::StrCat("checkpoint ", source, ": trainer state"));
  uint32_t version, envs;
  RL_RETURN_IF_ERROR(in.U32(&version));
  if (version != kTrainerStateVersion) {
    return in.Error(absl::StrCat("version ", version, ", this build reads ",
                                 kTrainerStateVersion));
  }
  int64_t steps, episodes_started;
  double seconds_before;
  RL_RETURN_IF_ERROR(in.I64(&steps));
  RL_RETURN_IF_ERROR(in.F64(&seconds_before));
  RL_RETURN_IF_ERROR(in.U32(&envs));
  RL_RETURN_IF_ERROR(in.I64(&episodes_started));
  if (envs != static_cast<uint32_t>(loop_->num_envs())) {
    return in.Error(absl::StrCat("saved with ", envs, " envs, the agent has ",
                                 loop_->num_envs()));
  }
  loop_->set_steps(steps);
  loop_->set_seconds_before(seconds_before);
  if (env_index_offset_ > 0) {
    // A data-parallel rank other than 0: the envs and episodes saved are
    // rank 0's. This rank's envs start new episodes, seeded from the step
    // so they do not repeat its episodes before the checkpoint.
    episode_seed_ = nn::MixSeed(options_.seed, static_cast<uint64_t>(steps));
    return absl::OkStatus();
  }
  loop_->set_episodes_started(episodes_started);
  for (uint32_t e = 0; e < envs; ++e) {
    RL_RETURN_IF_ERROR(LoadEnvSlot(static_cast<int>(e), source, &in));
  }
  uint64_t records;
  RL_RETURN_IF_ERROR(in.U64(&records));
  if (records > in.remaining() / 50) {
    return in.Error(absl::StrCat(records, " episode records do not fit"));
  }
  std::vector<EpisodeRecord>& episodes = loop_->mutable_episodes();
  episodes.resize(records);
  for (EpisodeRecord& record : episodes) {
    RL_RETURN_IF_ERROR(ReadEpisodeRecord(&in, &record));
  }
  return in.ExpectEnd();
}

absl::StatusOr<std::unique_ptr<Trainer>> Trainer::Resume(
    const std::string& checkpoint_path, const EnvKwargs& env_kwargs,
    Collective* collective) {
  RL_ASSIGN_OR_RETURN(Checkpoint checkpoint, ReadCheckpoint(checkpoint_path));
  const CheckpointHeader& header = checkpoint.header;
  if (checkpoint.trainer_state.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "checkpoint ", checkpoint_path,
        " holds an agent without a trainer state (SaveAgent(), not "
        "Trainer::SaveCheckpoint()); load it with LoadAgent()"));
  }
  TrainerOptions options;
  options.env_id = header.env_id;
  options.env_kwargs = env_kwargs;
  options.agent = header.agent;
  options.seed = header.seed;
  options.hyperparams = header.hyperparams;
  options.collective = collective;
  std::unique_ptr<Trainer> trainer(new Trainer());
  RL_RETURN_IF_ERROR(WithContext(trainer->Init(options),
                                 absl::StrCat("checkpoint ", checkpoint_path,
                                              ": cannot re-create its run")));
  RL_RETURN_IF_ERROR(
      WithContext(CheckCheckpointMatches(header, header.agent, header.env_id,
                                         trainer->context_.observation_space,
                                         trainer->context_.action_space),
                  absl::StrCat("checkpoint ", checkpoint_path)));
  RL_RETURN_IF_ERROR(
      WithContext(trainer->agent_->LoadState(checkpoint.agent_state),
                  absl::StrCat("checkpoint ", checkpoint_path)));
  RL_RETURN_IF_ERROR(
      trainer->LoadTrainerState(checkpoint.trainer_state, checkpoint_path));
  return trainer;
}

EpisodeLoopOptions GreedyLoopOptions(uint64_t seed, int64_t max_episode_steps,
                                     std::string what) {
  EpisodeLoopOptions options;
  options.learn = false;
  options.reset_seed = [seed](int, int64_t episode) {
    return std::optional<uint64_t>(EpisodeSeed(seed, -1, episode));
  };
  options.max_episode_steps = max_episode_steps;
  options.what = std::move(what);
  return options;
}

absl::StatusOr<EvaluationResult> Evaluate(Agent& agent,
                                          absl::string_view env_id,
                                          int episodes, uint64_t seed,
                                          int64_t max_episode_steps,
                                          const EnvKwargs& env_kwargs) {
  if (episodes < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("Evaluate: episodes=", episodes, ", want at least 1"));
  }
  RL_ASSIGN_OR_RETURN(std::unique_ptr<Env> env,
                      CreateEnv(std::string(env_id), env_kwargs));
  std::vector<std::unique_ptr<Env>> envs;
  envs.push_back(std::move(env));
  EpisodeLoop loop(&agent, std::move(envs),
                   GreedyLoopOptions(seed, max_episode_steps,
                                     absl::StrCat("evaluating on ", env_id)));
  EpisodeLoop::Budget budget;
  budget.episodes = episodes;
  RL_RETURN_IF_ERROR(loop.Run(budget));
  EvaluationResult result;
  for (const EpisodeRecord& record : loop.episodes()) {
    result.returns.push_back(record.episode_return);
    result.lengths.push_back(record.length);
  }
  double sum = 0, sum_sq = 0, length_sum = 0;
  for (int i = 0; i < episodes; ++i) {
    sum += result.returns[i];
    length_sum += static_cast<double>(result.lengths[i]);
  }
  result.mean_return = sum / episodes;
  for (double r : result.returns) {
    sum_sq += (r - result.mean_return) * (r - result.mean_return);
  }
  result.std_return = std::sqrt(sum_sq / episodes);
  result.mean_length = length_sum / episodes;
  return result;
}

}  // namespace rl
