#include "rl/agents/ppo_agent.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>
#include <random>

#include "absl/strings/str_cat.h"
#include "rl/agents/agent.h"
#include "rl/agents/agent_util.h"
#include "rl/agents/defaults.h"
#include "rl/agents/hyperparams.h"
#include "rl/agents/nn/distributions.h"
#include "rl/agents/nn/mlp.h"
#include "rl/agents/nn/optim.h"
#include "rl/agents/nn/random.h"
#include "rl/agents/nn/running_stats.h"
#include "rl/agents/serialize.h"
#include "rl/core/status_macros.h"

namespace rl {
namespace {

constexpr char kName[] = "ppo";
constexpr uint32_t kStateVersion = 1;

void Bind(PpoConfig* c, ParamBinder* b) {
  b->IntList("hidden", &c->hidden, "hidden layer widths (actor and critic)", 1,
             4096);
  b->Choice("activation", &c->activation, "hidden activation",
            {"tanh", "relu"});
  b->Int("n_envs", &c->n_envs, "envs stepped in lockstep", 1, 1024);
  b->Int("n_steps", &c->n_steps, "steps per env per rollout", 1, 1 << 20);
  b->Int("batch_size", &c->batch_size, "minibatch size", 2, 1 << 24);
  b->Int("n_epochs", &c->n_epochs, "passes over each rollout", 1, 1000);
  b->Double("learning_rate", &c->learning_rate, "Adam step size", 0, 1);
  b->Double("adam_eps", &c->adam_eps, "Adam epsilon", 0, 1);
  b->Double("gamma", &c->gamma, "discount factor", 0, 1);
  b->Double("gae_lambda", &c->gae_lambda, "GAE lambda", 0, 1);
  b->Double("clip_range", &c->clip_range, "policy ratio clip", 0, 10);
  b->Double("clip_range_vf", &c->clip_range_vf,
            "value clip around the old value; 0 = off", 0, 1e9);
  b->Double("ent_coef", &c->ent_coef, "entropy bonus coefficient", -1e3, 1e3);
  b->Double("vf_coef", &c->vf_coef, "value loss coefficient", 0, 1e3);
  b->Double("max_grad_norm", &c->max_grad_norm,
            "clip the gradient's global norm to this", 0, 1e9);
  b->Double("target_kl", &c->target_kl,
            "stop an update's epochs when approx KL > 1.5x this; 0 = off", 0,
            1e9);
  b->Bool("normalize_advantage", &c->normalize_advantage,
          "normalise advantages per minibatch");
  b->Bool("normalize_observation", &c->normalize_observation,
          "running mean/std observation normalisation");
  b->Bool("normalize_reward", &c->normalize_reward,
          "scale rewards by the running std of the discounted return");
  b->Double("clip_observation", &c->clip_observation,
            "clip normalised observations to +-this", 0, 1e9);
  b->Double("clip_reward", &c->clip_reward, "clip normalised rewards to +-this",
            0, 1e9);
  b->Double("log_std_init", &c->log_std_init,
            "initial log std of the Gaussian policy (Box actions)", -20, 5);
  b->Int64("anneal_steps", &c->anneal_steps,
           "env steps over which learning_rate and clip_range fall "
           "linearly to 0; 0 = constant",
           0, int64_t{1} << 50);
  b->Bool("ortho_init", &c->ortho_init,
          "orthogonal init (else Xavier uniform)");
}

class PpoAgent : public Agent {
 public:
  PpoAgent(const PpoConfig& config, HyperParams hyperparams,
           ObservationEncoder encoder, Space action_space,
           nn::Activation activation, uint64_t seed, Collective* collective)
      : config_(config),
        hyperparams_(std::move(hyperparams)),
        encoder_(std::move(encoder)),
        action_space_(std::move(action_space)),
        discrete_(action_space_.kind == Space::Kind::kDiscrete),
        action_dims_(discrete_ ? static_cast<int>(action_space_.n)
                               : static_cast<int>(action_space_.low.size())),
        dims_(encoder_.size()),
        collective_(IsDataParallel(collective) ? collective : nullptr),
        rank_(collective_ != nullptr ? collective_->rank() : 0),
        world_(collective_ != nullptr ? collective_->size() : 1),
        local_batch_size_(config_.batch_size / world_),
        // Rank 0 samples as one process would; the others draw their own.
        rng_(rank_ == 0 ? nn::MixSeed(seed, 4)
                        : nn::MixSeed(nn::MixSeed(seed, 4), rank_)) {
    std::vector<int> sizes = {dims_};
    sizes.insert(sizes.end(), config_.hidden.begin(), config_.hidden.end());
    std::vector<int> actor_sizes = sizes, critic_sizes = sizes;
    actor_sizes.push_back(action_dims_);
    critic_sizes.push_back(1);
    actor_ = nn::Mlp<float>(actor_sizes, activation);
    critic_ = nn::Mlp<float>(critic_sizes, activation);
    std::mt19937_64 init_rng(nn::MixSeed(seed, 5));
    if (config_.ortho_init) {
      actor_.InitOrthogonal(init_rng, std::sqrt(2.0), 0.01);
      critic_.InitOrthogonal(init_rng, std::sqrt(2.0), 1.0);
    } else {
      actor_.InitXavier(init_rng);
      critic_.InitXavier(init_rng);
    }
    log_std_.assign(discrete_ ? 0 : action_dims_,
                    static_cast<float>(config_.log_std_init));
    actor_grad_.assign(actor_.num_params(), 0.0f);
    critic_grad_.assign(critic_.num_params(), 0.0f);
    log_std_grad_.assign(log_std_.size(), 0.0f);
    adam_ = nn::Adam<float>(
        {actor_.num_params(), critic_.num_params(), log_std_.size()},
        nn::AdamOptions{0.9, 0.999, config_.adam_eps});
    if (config_.normalize_observation) obs_rms_ = nn::RunningMeanStd(dims_);
    ret_rms_ = nn::RunningMeanStd(1);
    obs_synced_ = obs_rms_;
    ret_synced_ = ret_rms_;
    obs_moments_.assign(collective_ != nullptr ? 1 + 2 * dims_ : 0, 0.0);
    ret_moments_.assign(collective_ != nullptr ? 3 : 0, 0.0);
    discounted_returns_.assign(config_.n_envs, 0.0);

    const size_t n = static_cast<size_t>(config_.n_steps) * config_.n_envs;
    buf_obs_.assign(n * dims_, 0.0f);
    buf_discrete_actions_.assign(discrete_ ? n : 0, 0);
    buf_continuous_actions_.assign(discrete_ ? 0 : n * action_dims_, 0.0f);
    buf_log_probs_.assign(n, 0.0f);
    buf_values_.assign(n, 0.0f);
    buf_rewards_.assign(n, 0.0f);
    buf_dones_.assign(n, 0);
    advantages_.assign(n, 0.0f);
    returns_.assign(n, 0.0f);
  }

  int num_envs() const override { return config_.n_envs; }
  bool trains_data_parallel() const override { return true; }

  std::vector<float> Parameters() const override {
    std::vector<float> all(actor_.params());
    all.insert(all.end(), critic_.params().begin(), critic_.params().end());
    all.insert(all.end(), log_std_.begin(), log_std_.end());
    return all;
  }

  // Data-parallel: every rank takes rank 0's initial parameters.
  absl::Status StartDataParallel() {
    if (collective_ == nullptr) return absl::OkStatus();
    ByteWriter out;
    out.Floats(actor_.params());
    out.Floats(critic_.params());
    out.Floats(log_std_);
    std::string bytes = out.Release();
    RL_RETURN_IF_ERROR(collective_->Broadcast(&bytes));
    ByteReader in(bytes, "rank 0's initial parameters");
    RL_RETURN_IF_ERROR(
        in.FloatsExact(actor_.params().data(), actor_.num_params(), "actor"));
    RL_RETURN_IF_ERROR(in.FloatsExact(critic_.params().data(),
                                      critic_.num_params(), "critic"));
    RL_RETURN_IF_ERROR(
        in.FloatsExact(log_std_.data(), log_std_.size(), "log_std"));
    return in.ExpectEnd();
  }

  Action Act(const Observation& observation) override {
    single_obs_.assign(1, observation);
    ActBatch(single_obs_, &single_actions_);
    return single_actions_[0];
  }

  absl::Status Observe(const Transition& transition) override {
    single_transitions_.clear();
    single_transitions_.push_back(transition);
    return ObserveBatch(single_transitions_);
  }

  void ActBatch(const std::vector<Observation>& observations,
                std::vector<Action>* actions) override {
    const int n_envs = config_.n_envs;
    actions->resize(observations.size());
    absl::Status status = CheckBatch(observations.size(), "ActBatch");
    for (size_t e = 0; status.ok() && e < observations.size(); ++e) {
      status = encoder_.Check(observations[e]);
    }
    if (status.ok() && pending_) {
      status = absl::FailedPreconditionError(absl::StrCat(
          kName, ": ActBatch called twice without ObserveBatch in between"));
    }
    if (!status.ok()) {
      pending_error_ = status;
      for (Action& action : *actions) action = NeutralAction();
      return;
    }
    act_input_.Resize(n_envs, dims_);
    for (int e = 0; e < n_envs; ++e) {
      encoder_.Encode(observations[e], act_input_.row(e));
    }
    if (config_.normalize_observation) {
      AddMoments(act_input_.data(), n_envs, dims_, &obs_moments_);
      obs_rms_.Update(act_input_.data(), n_envs);
      for (int e = 0; e < n_envs; ++e) {
        obs_rms_.Normalize(act_input_.row(e), act_input_.row(e),
                           config_.clip_observation);
      }
    }
    const nn::Matrix<float>& out = actor_.Forward(act_input_, &act_ws_);
    const nn::Matrix<float>& values = critic_.Forward(act_input_, &value_ws_);
    const size_t base = static_cast<size_t>(t_) * n_envs;
    std::copy_n(act_input_.data(), static_cast<size_t>(n_envs) * dims_,
                buf_obs_.data() + base * dims_);
    for (int e = 0; e < n_envs; ++e) {
      const size_t i = base + e;
      buf_values_[i] = values(e, 0);
      if (discrete_) {
        const int64_t a = nn::CategoricalSample(out.row(e), action_dims_, rng_);
        buf_discrete_actions_[i] = a;
        (*actions)[e] = Action::Discrete(a);
      } else {
        std::vector<float> clipped(action_dims_);
        float* sample = buf_continuous_actions_.data() + i * action_dims_;
        for (int d = 0; d < action_dims_; ++d) {
          sample[d] =
              out(e, d) + std::exp(log_std_[d]) *
                              static_cast<float>(nn::StandardNormal(rng_));
          clipped[d] = std::clamp(sample[d], action_space_.low[d],
                                  action_space_.high[d]);
        }
        (*actions)[e] = Action::Continuous(std::move(clipped));
      }
    }
    // Log-probabilities of the samples under the acting policy.
    if (discrete_) {
      nn::CategoricalForward<float>(out, buf_discrete_actions_.data() + base,
                                    buf_log_probs_.data() + base, nullptr);
    } else {
      sample_matrix_.Resize(n_envs, action_dims_);
      std::copy_n(buf_continuous_actions_.data() + base * action_dims_,
                  static_cast<size_t>(n_envs) * action_dims_,
                  sample_matrix_.data());
      nn::GaussianForward<float>(out, log_std_.data(), sample_matrix_,
                                 buf_log_probs_.data() + base, nullptr);
    }
    pending_ = true;
  }

  Action ActGreedy(const Observation& observation) override {
    if (!encoder_.Check(observation).ok()) return NeutralAction();
    greedy_input_.Resize(1, dims_);
    encoder_.Encode(observation, greedy_input_.row(0));
    if (config_.normalize_observation) {
      obs_rms_.Normalize(greedy_input_.row(0), greedy_input_.row(0),
                         config_.clip_observation);
    }
    const nn::Matrix<float>& out = actor_.Forward(greedy_input_, &greedy_ws_);
    if (discrete_)
      return Action::Discrete(nn::Argmax(out.row(0), action_dims_));
    std::vector<float> mean(action_dims_);
    for (int d = 0; d < action_dims_; ++d) {
      mean[d] =
          std::clamp(out(0, d), action_space_.low[d], action_space_.high[d]);
    }
    return Action::Continuous(std::move(mean));
  }

  absl::Status ObserveBatch(
      const std::vector<Transition>& transitions) override {
    if (!pending_error_.ok()) {
      absl::Status error = pending_error_;
      pending_error_ = absl::OkStatus();
      return error;
    }
    RL_RETURN_IF_ERROR(CheckBatch(transitions.size(), "ObserveBatch"));
    if (!pending_) {
      return absl::FailedPreconditionError(
          absl::StrCat(kName, ": ObserveBatch without an ActBatch before it"));
    }
    for (const Transition& transition : transitions) {
      RL_RETURN_IF_ERROR(encoder_.Check(transition.result.observation));
    }
    const int n_envs = config_.n_envs;
    const size_t base = static_cast<size_t>(t_) * n_envs;
    // Rewards, scaled as SB3's VecNormalize when asked.
    if (config_.normalize_reward) {
      std::vector<float> returns(n_envs);
      for (int e = 0; e < n_envs; ++e) {
        discounted_returns_[e] = discounted_returns_[e] * config_.gamma +
                                 transitions[e].result.reward;
        returns[e] = static_cast<float>(discounted_returns_[e]);
      }
      AddMoments(returns.data(), n_envs, 1, &ret_moments_);
      ret_rms_.Update(returns.data(), n_envs);
    }
    const double reward_scale = config_.normalize_reward
                                    ? 1.0 / std::sqrt(ret_rms_.var()[0] + 1e-8)
                                    : 1.0;
    std::vector<int> truncated;
    for (int e = 0; e < n_envs; ++e) {
      const StepResult& result = transitions[e].result;
      double reward = result.reward * reward_scale;
      if (config_.normalize_reward) {
        reward = std::clamp(reward, -config_.clip_reward, config_.clip_reward);
      }
      buf_rewards_[base + e] = static_cast<float>(reward);
      const bool done = result.terminated || result.truncated;
      buf_dones_[base + e] = done ? 1 : 0;
      if (result.truncated && !result.terminated) truncated.push_back(e);
      if (done) discounted_returns_[e] = 0;
    }
    // A time-limit truncation is not the end of the MDP: bootstrap with the
    // value of the observation it stopped in (SB3's treatment).
    if (!truncated.empty()) {
      EncodeForValue(transitions, truncated);
      const nn::Matrix<float>& v = critic_.Forward(value_input_, &value_ws_);
      for (size_t k = 0; k < truncated.size(); ++k) {
        buf_rewards_[base + truncated[k]] +=
            static_cast<float>(config_.gamma * v(static_cast<int>(k), 0));
      }
    }
    pending_ = false;
    steps_ += static_cast<int64_t>(n_envs) * world_;  // Every rank's steps.
    ++t_;
    if (t_ == config_.n_steps) {
      std::vector<int> all(n_envs);
      std::iota(all.begin(), all.end(), 0);
      EncodeForValue(transitions, all);
      const nn::Matrix<float>& v = critic_.Forward(value_input_, &value_ws_);
      std::vector<float> last_values(n_envs);
      for (int e = 0; e < n_envs; ++e) last_values[e] = v(e, 0);
      ComputeAdvantages(last_values);
      RL_RETURN_IF_ERROR(Update());
      t_ = 0;
    }
    return absl::OkStatus();
  }

  HyperParams hyperparams() const override { return hyperparams_; }

  std::map<std::string, double> Stats() const override {
    std::map<std::string, double> stats = {
        {"policy_loss", policy_loss_},
        {"value_loss", value_loss_},
        {"entropy", entropy_},
        {"approx_kl", approx_kl_},
        {"clip_fraction", clip_fraction_},
        {"explained_variance", explained_variance_},
        {"learning_rate", learning_rate_},
        {"value_mean", value_mean_},
        {"updates", static_cast<double>(updates_)}};
    if (!discrete_) {
      double std_sum = 0;
      for (float s : log_std_) std_sum += std::exp(s);
      stats["std"] = std_sum / log_std_.size();
    }
    return stats;
  }

  absl::StatusOr<std::string> SaveState() const override {
    if (pending_) {
      return absl::FailedPreconditionError(absl::StrCat(
          kName, ": cannot save between ActBatch and ObserveBatch"));
    }
    ByteWriter out;
    WriteStateHead(kName, kStateVersion, &out);
    out.Floats(actor_.params());
    out.Floats(critic_.params());
    out.Floats(log_std_);
    WriteAdamState(adam_, &out);
    // Data-parallel: the statistics all ranks agreed on at the last update
    // (this rank's since then are in its rollout, which a data-parallel
    // resume starts afresh).
    const nn::RunningMeanStd& obs_rms =
        collective_ != nullptr ? obs_synced_ : obs_rms_;
    const nn::RunningMeanStd& ret_rms =
        collective_ != nullptr ? ret_synced_ : ret_rms_;
    out.Doubles(obs_rms.mean());
    out.Doubles(obs_rms.var());
    out.F64(obs_rms.count());
    out.Doubles(ret_rms.mean());
    out.Doubles(ret_rms.var());
    out.F64(ret_rms.count());
    out.Doubles(discounted_returns_);
    out.I64(steps_);
    out.I64(updates_);
    out.I64(t_);
    out.Rng(rng_);
    out.Doubles({policy_loss_, value_loss_, entropy_, approx_kl_,
                 clip_fraction_, explained_variance_, learning_rate_,
                 value_mean_});
    // The rollout so far (the first t_ steps matter; all is simpler).
    out.Floats(buf_obs_);
    out.I64s(buf_discrete_actions_);
    out.Floats(buf_continuous_actions_);
    out.Floats(buf_log_probs_);
    out.Floats(buf_values_);
    out.Floats(buf_rewards_);
    out.Bytes(buf_dones_);
    return out.Release();
  }

  absl::Status LoadState(absl::string_view state) override {
    ByteReader in(state, absl::StrCat(kName, " state"));
    RL_RETURN_IF_ERROR(ReadStateHead(kName, kStateVersion, &in));
    // Into copies, so a bad state leaves the agent untouched.
    nn::Mlp<float> actor = actor_, critic = critic_;
    std::vector<float> log_std = log_std_;
    nn::Adam<float> adam = adam_;
    RL_RETURN_IF_ERROR(in.FloatsExact(
        actor.params().data(), actor.num_params(),
        absl::StrCat("actor network (", actor_.Describe(), ")")));
    RL_RETURN_IF_ERROR(in.FloatsExact(
        critic.params().data(), critic.num_params(),
        absl::StrCat("critic network (", critic_.Describe(), ")")));
    RL_RETURN_IF_ERROR(
        in.FloatsExact(log_std.data(), log_std.size(), "log_std"));
    RL_RETURN_IF_ERROR(ReadAdamState(&in, &adam));
    std::vector<double> obs_mean, obs_var, ret_mean, ret_var, returns, stats;
    double obs_count, ret_count;
    RL_RETURN_IF_ERROR(in.Doubles(&obs_mean));
    RL_RETURN_IF_ERROR(in.Doubles(&obs_var));
    RL_RETURN_IF_ERROR(in.F64(&obs_count));
    RL_RETURN_IF_ERROR(in.Doubles(&ret_mean));
    RL_RETURN_IF_ERROR(in.Doubles(&ret_var));
    RL_RETURN_IF_ERROR(in.F64(&ret_count));
    RL_RETURN_IF_ERROR(in.Doubles(&returns));
    if (obs_mean.size() != obs_rms_.mean().size() ||
        obs_var.size() != obs_mean.size() || ret_mean.size() != 1 ||
        ret_var.size() != 1 || returns.size() != discounted_returns_.size()) {
      return in.Error(
          "normalisation statistics do not match this agent's "
          "normalize_observation or n_envs");
    }
    int64_t steps, updates, t;
    std::mt19937_64 rng;
    RL_RETURN_IF_ERROR(in.I64(&steps));
    RL_RETURN_IF_ERROR(in.I64(&updates));
    RL_RETURN_IF_ERROR(in.I64(&t));
    if (t < 0 || t >= config_.n_steps) {
      return in.Error(
          absl::StrCat("rollout position ", t,
                       " outside this agent's n_steps=", config_.n_steps));
    }
    RL_RETURN_IF_ERROR(in.Rng(&rng));
    RL_RETURN_IF_ERROR(in.Doubles(&stats));
    if (stats.size() != 8)
      return in.Error("statistics block has the wrong size");
    std::vector<float> obs(buf_obs_.size()),
        cont(buf_continuous_actions_.size()), log_probs(buf_log_probs_.size()),
        values(buf_values_.size()), rewards(buf_rewards_.size());
    std::vector<int64_t> discrete;
    std::vector<uint8_t> dones;
    RL_RETURN_IF_ERROR(in.FloatsExact(obs.data(), obs.size(), "rollout"));
    RL_RETURN_IF_ERROR(in.Indices(&discrete, action_dims_, "rollout action"));
    if (discrete.size() != buf_discrete_actions_.size()) {
      return in.Error("rollout actions do not match this agent's spaces");
    }
    RL_RETURN_IF_ERROR(in.FloatsExact(cont.data(), cont.size(), "rollout"));
    RL_RETURN_IF_ERROR(
        in.FloatsExact(log_probs.data(), log_probs.size(), "rollout"));
    RL_RETURN_IF_ERROR(in.FloatsExact(values.data(), values.size(), "rollout"));
    RL_RETURN_IF_ERROR(
        in.FloatsExact(rewards.data(), rewards.size(), "rollout"));
    RL_RETURN_IF_ERROR(in.Bytes(&dones));
    if (dones.size() != buf_dones_.size())
      return in.Error("rollout has the wrong size");
    RL_RETURN_IF_ERROR(in.ExpectEnd());

    actor_ = std::move(actor);
    critic_ = std::move(critic);
    log_std_ = std::move(log_std);
    adam_ = std::move(adam);
    if (config_.normalize_observation) {
      obs_rms_.Set(std::move(obs_mean), std::move(obs_var), obs_count);
    }
    ret_rms_.Set(std::move(ret_mean), std::move(ret_var), ret_count);
    discounted_returns_ = std::move(returns);
    steps_ = steps;
    updates_ = updates;
    t_ = static_cast<int>(t);
    rng_ = rng;
    policy_loss_ = stats[0];
    value_loss_ = stats[1];
    entropy_ = stats[2];
    approx_kl_ = stats[3];
    clip_fraction_ = stats[4];
    explained_variance_ = stats[5];
    learning_rate_ = stats[6];
    value_mean_ = stats[7];
    buf_obs_ = std::move(obs);
    buf_discrete_actions_ = std::move(discrete);
    buf_continuous_actions_ = std::move(cont);
    buf_log_probs_ = std::move(log_probs);
    buf_values_ = std::move(values);
    buf_rewards_ = std::move(rewards);
    buf_dones_ = std::move(dones);
    pending_ = false;
    pending_error_ = absl::OkStatus();
    obs_synced_ = obs_rms_;
    ret_synced_ = ret_rms_;
    if (collective_ != nullptr) {
      // Data-parallel: the checkpoint holds one rank's partial rollout at
      // most, so every rank starts a new one together; each rank draws its
      // own actions again.
      t_ = 0;
      if (rank_ > 0) rng_.seed(nn::MixSeed(rng_(), rank_));
      if (rank_ > 0)
        std::fill(discounted_returns_.begin(), discounted_returns_.end(), 0.0);
      std::fill(obs_moments_.begin(), obs_moments_.end(), 0.0);
      std::fill(ret_moments_.begin(), ret_moments_.end(), 0.0);
    }
    return absl::OkStatus();
  }

 private:
  absl::Status CheckBatch(size_t size, absl::string_view call) const {
    if (static_cast<int>(size) == config_.n_envs) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrCat(
        kName, ": ", call, " got ", size,
        " envs, the agent has n_envs=", config_.n_envs,
        "; step that many envs in lockstep (rl/pipeline/trainer.h does)"));
  }

  Action NeutralAction() const {
    if (discrete_) return Action::Discrete(0);
    std::vector<float> middle(action_dims_);
    for (int d = 0; d < action_dims_; ++d) {
      middle[d] = std::clamp(0.0f, action_space_.low[d], action_space_.high[d]);
    }
    return Action::Continuous(std::move(middle));
  }

  // value_input_ = the (normalised, without updating the statistics) next
  // observations of envs `which`.
  void EncodeForValue(const std::vector<Transition>& transitions,
                      const std::vector<int>& which) {
    value_input_.Resize(static_cast<int>(which.size()), dims_);
    for (size_t k = 0; k < which.size(); ++k) {
      float* row = value_input_.row(static_cast<int>(k));
      encoder_.Encode(transitions[which[k]].result.observation, row);
      if (config_.normalize_observation) {
        obs_rms_.Normalize(row, row, config_.clip_observation);
      }
    }
  }

  void ComputeAdvantages(const std::vector<float>& last_values) {
    const int n_envs = config_.n_envs;
    const double gamma = config_.gamma, lambda = config_.gae_lambda;
    std::vector<double> last_gae(n_envs, 0.0);
    for (int t = config_.n_steps - 1; t >= 0; --t) {
      for (int e = 0; e < n_envs; ++e) {
        const size_t i = static_cast<size_t>(t) * n_envs + e;
        const double next_nonterminal = buf_dones_[i] ? 0.0 : 1.0;
        const double next_value =
            t == config_.n_steps - 1 ? last_values[e] : buf_values_[i + n_envs];
        const double delta = buf_rewards_[i] +
                             gamma * next_value * next_nonterminal -
                             buf_values_[i];
        last_gae[e] = delta + gamma * lambda * next_nonterminal * last_gae[e];
        advantages_[i] = static_cast<float>(last_gae[e]);
        returns_[i] = static_cast<float>(last_gae[e] + buf_values_[i]);
      }
    }
  }

  struct MinibatchResult {
    double policy_loss = 0, value_loss = 0, entropy = 0, approx_kl = 0,
           clip_fraction = 0;
  };

  // Adds count, sums and sums of squares of `rows` vectors of `dims` to
  // *moments (data-parallel only: merged across ranks at each update).
  static void AddMoments(const float* values, int rows, int dims,
                         std::vector<double>* moments) {
    if (moments->empty()) return;
    double* m = moments->data();
    m[0] += rows;
    for (int r = 0; r < rows; ++r) {
      for (int d = 0; d < dims; ++d) {
        const double v = values[r * dims + d];
        m[1 + d] += v;
        m[1 + dims + d] += v * v;
      }
    }
  }

  // Data-parallel: the running statistics become the last agreed ones
  // merged with every rank's values since (as one batch, Chan et al.), the
  // same on every rank.
  absl::Status SyncStatistics(std::vector<double>* moments,
                              nn::RunningMeanStd* synced,
                              nn::RunningMeanStd* stats) {
    if (moments->empty()) return absl::OkStatus();
    RL_RETURN_IF_ERROR(
        collective_->SumDoubles(moments->data(), moments->size()));
    const int dims = static_cast<int>((moments->size() - 1) / 2);
    const double count = (*moments)[0];
    if (count > 0 && synced->dims() == dims) {
      std::vector<double> mean(dims), var(dims);
      for (int d = 0; d < dims; ++d) {
        mean[d] = (*moments)[1 + d] / count;
        var[d] =
            std::max(0.0, (*moments)[1 + dims + d] / count - mean[d] * mean[d]);
      }
      synced->Merge(mean, var, count);
    }
    *stats = *synced;
    std::fill(moments->begin(), moments->end(), 0.0);
    return absl::OkStatus();
  }

  absl::Status Update() {
    const int total = config_.n_steps * config_.n_envs;
    // Progress at the start of this rollout, as CleanRL's anneal_lr.
    const int64_t rollout_start = steps_ - total;
    const double frac =
        config_.anneal_steps > 0
            ? std::max(0.0, 1.0 - static_cast<double>(rollout_start) /
                                      config_.anneal_steps)
            : 1.0;
    learning_rate_ = config_.learning_rate * frac;
    const double clip = config_.clip_range * frac;

    if (collective_ != nullptr) {
      if (config_.normalize_observation) {
        RL_RETURN_IF_ERROR(
            SyncStatistics(&obs_moments_, &obs_synced_, &obs_rms_));
      }
      if (config_.normalize_reward) {
        RL_RETURN_IF_ERROR(
            SyncStatistics(&ret_moments_, &ret_synced_, &ret_rms_));
      }
    }
    // Data-parallel: each rank takes its share of every minibatch
    // (batch_size is the minibatch the optimiser sees, over all ranks).
    const int batch_size = local_batch_size_;
    std::vector<int> order(total);
    std::iota(order.begin(), order.end(), 0);
    double policy_loss = 0, value_loss = 0, entropy = 0, kl = 0, clipped = 0;
    int minibatches = 0;
    bool stop = false;
    for (int epoch = 0; epoch < config_.n_epochs && !stop; ++epoch) {
      for (int i = total - 1; i > 0; --i) {
        std::swap(order[i], order[nn::UniformIndex(rng_, i + 1)]);
      }
      for (int start = 0; start < total; start += batch_size) {
        const int size = std::min(batch_size, total - start);
        MinibatchResult result = Minibatch(order.data() + start, size, clip);
        if (collective_ != nullptr) RL_RETURN_IF_ERROR(Average(&result));
        if (config_.target_kl > 0 &&
            result.approx_kl > 1.5 * config_.target_kl) {
          stop = true;  // SB3: skip this step and the rest of the update.
          kl += result.approx_kl;
          ++minibatches;
          break;
        }
        ApplyGradients();
        policy_loss += result.policy_loss;
        value_loss += result.value_loss;
        entropy += result.entropy;
        kl += result.approx_kl;
        clipped += result.clip_fraction;
        ++minibatches;
      }
    }
    const double n = std::max(1, minibatches);
    policy_loss_ = policy_loss / n;
    value_loss_ = value_loss / n;
    entropy_ = entropy / n;
    approx_kl_ = kl / n;
    clip_fraction_ = clipped / n;
    // Explained variance of the rollout's values for its returns.
    double mean_r = 0, mean_d = 0;
    for (int i = 0; i < total; ++i) {
      mean_r += returns_[i];
      mean_d += returns_[i] - buf_values_[i];
    }
    mean_r /= total;
    mean_d /= total;
    double var_r = 0, var_d = 0;
    for (int i = 0; i < total; ++i) {
      var_r += std::pow(returns_[i] - mean_r, 2);
      var_d += std::pow(returns_[i] - buf_values_[i] - mean_d, 2);
    }
    explained_variance_ = var_r > 0 ? 1.0 - var_d / var_r : 0.0;
    double value_sum = 0;
    for (int i = 0; i < total; ++i) value_sum += buf_values_[i];
    value_mean_ = value_sum / total;
    ++updates_;
    return absl::OkStatus();
  }

  // Data-parallel: the gradients and the minibatch's statistics become
  // their means over all ranks (one collective call), so every rank takes
  // the same optimiser step and the same early-stop decision.
  absl::Status Average(MinibatchResult* result) {
    const size_t grads =
        actor_grad_.size() + critic_grad_.size() + log_std_grad_.size();
    sync_buffer_.resize(grads + 5);
    float* out = sync_buffer_.data();
    out = std::copy(actor_grad_.begin(), actor_grad_.end(), out);
    out = std::copy(critic_grad_.begin(), critic_grad_.end(), out);
    out = std::copy(log_std_grad_.begin(), log_std_grad_.end(), out);
    double* stats[] = {&result->policy_loss, &result->value_loss,
                       &result->entropy, &result->approx_kl,
                       &result->clip_fraction};
    for (double* stat : stats) *out++ = static_cast<float>(*stat);
    RL_RETURN_IF_ERROR(
        collective_->SumFloats(sync_buffer_.data(), sync_buffer_.size()));
    const float scale = 1.0f / static_cast<float>(world_);
    const float* in = sync_buffer_.data();
    for (float& g : actor_grad_) g = *in++ * scale;
    for (float& g : critic_grad_) g = *in++ * scale;
    for (float& g : log_std_grad_) g = *in++ * scale;
    for (double* stat : stats) *stat = *in++ * scale;
    return absl::OkStatus();
  }

  // Forward and backward of the loss on samples `index[0..size)`; leaves
  // the gradients in *_grad_.
  MinibatchResult Minibatch(const int* index, int size, double clip) {
    mb_obs_.Resize(size, dims_);
    mb_adv_.resize(size);
    mb_actions_.resize(discrete_ ? size : 0);
    if (!discrete_) mb_cont_.Resize(size, action_dims_);
    for (int b = 0; b < size; ++b) {
      const int i = index[b];
      std::copy_n(buf_obs_.data() + static_cast<size_t>(i) * dims_, dims_,
                  mb_obs_.row(b));
      mb_adv_[b] = advantages_[i];
      if (discrete_) {
        mb_actions_[b] = buf_discrete_actions_[i];
      } else {
        std::copy_n(buf_continuous_actions_.data() +
                        static_cast<size_t>(i) * action_dims_,
                    action_dims_, mb_cont_.row(b));
      }
    }
    if (config_.normalize_advantage && size > 1) {
      double mean = 0, var = 0;
      for (float a : mb_adv_) mean += a;
      mean /= size;
      for (float a : mb_adv_) var += (a - mean) * (a - mean);
      const double std = std::sqrt(var / (size - 1));  // torch's unbiased std
      for (float& a : mb_adv_)
        a = static_cast<float>((a - mean) / (std + 1e-8));
    }

    const nn::Matrix<float>& out = actor_.Forward(mb_obs_, &train_actor_ws_);
    const nn::Matrix<float>& v = critic_.Forward(mb_obs_, &train_critic_ws_);
    log_prob_.resize(size);
    entropy_values_.resize(size);
    if (discrete_) {
      nn::CategoricalForward(out, mb_actions_.data(), log_prob_.data(),
                             entropy_values_.data());
    } else {
      nn::GaussianForward(out, log_std_.data(), mb_cont_, log_prob_.data(),
                          entropy_values_.data());
    }
    MinibatchResult result;
    dlog_prob_.resize(size);
    dentropy_.assign(size, static_cast<float>(-config_.ent_coef / size));
    dvalue_.Resize(size, 1);
    for (int b = 0; b < size; ++b) {
      const int i = index[b];
      const double log_ratio = log_prob_[b] - buf_log_probs_[i];
      const double ratio = std::exp(log_ratio);
      const double adv = mb_adv_[b];
      const double unclipped = -adv * ratio;
      const double clipped = -adv * std::clamp(ratio, 1.0 - clip, 1.0 + clip);
      // max(unclipped, clipped): the gradient flows through the ratio only
      // when the unclipped term is the larger (or they are equal).
      result.policy_loss += std::max(unclipped, clipped);
      dlog_prob_[b] =
          unclipped >= clipped ? static_cast<float>(-adv * ratio / size) : 0.0f;
      result.approx_kl += (ratio - 1) - log_ratio;
      result.clip_fraction += std::abs(ratio - 1) > clip ? 1.0 : 0.0;
      result.entropy += entropy_values_[b];

      const double value = v(b, 0);
      const double target = returns_[i];
      double error = value - target;
      double grad = error;
      if (config_.clip_range_vf > 0) {
        const double old = buf_values_[i];
        const double clipped_value =
            old + std::clamp(value - old, -config_.clip_range_vf,
                             config_.clip_range_vf);
        const double clipped_error = clipped_value - target;
        if (clipped_error * clipped_error > error * error) {
          error = clipped_error;
          grad = std::abs(value - old) < config_.clip_range_vf ? clipped_error
                                                               : 0.0;
        }
      }
      result.value_loss += 0.5 * error * error;
      dvalue_(b, 0) = static_cast<float>(config_.vf_coef * grad / size);
    }
    result.policy_loss /= size;
    result.value_loss /= size;
    result.entropy /= size;
    result.approx_kl /= size;
    result.clip_fraction /= size;

    std::fill(actor_grad_.begin(), actor_grad_.end(), 0.0f);
    std::fill(critic_grad_.begin(), critic_grad_.end(), 0.0f);
    std::fill(log_std_grad_.begin(), log_std_grad_.end(), 0.0f);
    if (discrete_) {
      nn::CategoricalBackward(out, mb_actions_.data(), dlog_prob_.data(),
                              dentropy_.data(), &dout_);
    } else {
      nn::GaussianBackward(out, log_std_.data(), mb_cont_, dlog_prob_.data(),
                           dentropy_.data(), &dout_, log_std_grad_.data());
    }
    actor_.Backward(&train_actor_ws_, dout_, actor_grad_.data());
    critic_.Backward(&train_critic_ws_, dvalue_, critic_grad_.data());
    return result;
  }

  void ApplyGradients() {
    nn::ClipGlobalNorm<float>({{actor_grad_.data(), actor_grad_.size()},
                               {critic_grad_.data(), critic_grad_.size()},
                               {log_std_grad_.data(), log_std_grad_.size()}},
                              config_.max_grad_norm);
    adam_.Step({{actor_.params().data(), actor_grad_.data()},
                {critic_.params().data(), critic_grad_.data()},
                {log_std_.data(), log_std_grad_.data()}},
               learning_rate_);
  }

  const PpoConfig config_;
  const HyperParams hyperparams_;
  const ObservationEncoder encoder_;
  const Space action_space_;
  const bool discrete_;
  const int action_dims_;  // Logits (Discrete) or action values (Box).
  const int dims_;         // Network inputs.
  // Data-parallel training (null, 0, 1 for one process).
  Collective* const collective_;
  const int rank_;
  const int world_;
  const int local_batch_size_;  // This rank's share of a minibatch.

  // Learning state (saved).
  std::mt19937_64 rng_;
  nn::Mlp<float> actor_, critic_;
  std::vector<float> log_std_;
  nn::Adam<float> adam_;
  nn::RunningMeanStd obs_rms_, ret_rms_;
  // Data-parallel: the statistics as of the last update (the same on every
  // rank) and this rank's moments since.
  nn::RunningMeanStd obs_synced_, ret_synced_;
  std::vector<double> obs_moments_, ret_moments_;
  std::vector<float> sync_buffer_;
  std::vector<double> discounted_returns_;
  int64_t steps_ = 0;
  int64_t updates_ = 0;
  int t_ = 0;  // Lockstep steps in the current rollout.
  std::vector<float> buf_obs_, buf_continuous_actions_, buf_log_probs_,
      buf_values_, buf_rewards_;
  std::vector<int64_t> buf_discrete_actions_;
  std::vector<uint8_t> buf_dones_;
  double policy_loss_ = 0, value_loss_ = 0, entropy_ = 0, approx_kl_ = 0,
         clip_fraction_ = 0, explained_variance_ = 0, learning_rate_ = 0,
         value_mean_ = 0;

  // Between ActBatch and ObserveBatch.
  bool pending_ = false;
  absl::Status pending_error_;

  // Scratch.
  std::vector<float> actor_grad_, critic_grad_, log_std_grad_;
  std::vector<float> advantages_, returns_;
  nn::Mlp<float>::Workspace act_ws_, value_ws_, greedy_ws_, train_actor_ws_,
      train_critic_ws_;
  nn::Matrix<float> act_input_, greedy_input_, value_input_, sample_matrix_,
      mb_obs_, mb_cont_, dout_, dvalue_;
  std::vector<float> mb_adv_, log_prob_, entropy_values_, dlog_prob_, dentropy_;
  std::vector<int64_t> mb_actions_;
  std::vector<Observation> single_obs_;
  std::vector<Action> single_actions_;
  std::vector<Transition> single_transitions_;
};

absl::StatusOr<std::unique_ptr<Agent>> CreatePpoAgent(
    const AgentContext& context) {
  const Space& act = context.action_space;
  if (act.kind == Space::Kind::kDiscrete) {
    if (act.n <= 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(kName, ": empty action space ", act.ToString()));
    }
  } else {
    if (act.low.empty() || act.low.size() != act.high.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat(kName, ": malformed action space ", act.ToString()));
    }
    for (size_t d = 0; d < act.low.size(); ++d) {
      if (!std::isfinite(act.low[d]) || !std::isfinite(act.high[d])) {
        return absl::InvalidArgumentError(
            absl::StrCat(kName, ": action space ", act.ToString(),
                         " is unbounded in element ", d,
                         "; PPO clips its Gaussian samples to the Box"));
      }
    }
  }
  RL_ASSIGN_OR_RETURN(
      ObservationEncoder encoder,
      ObservationEncoder::Create(context.observation_space, kName));
  PpoConfig config;
  ParamBinder binder(kName);
  Bind(&config, &binder);
  RL_RETURN_IF_ERROR(binder.Apply(DefaultHyperParams(kName, context.env_id)));
  RL_RETURN_IF_ERROR(binder.Apply(context.hyperparams));
  const int world =
      IsDataParallel(context.collective) ? context.collective->size() : 1;
  if (world == 1 && config.batch_size > config.n_steps * config.n_envs) {
    return absl::InvalidArgumentError(absl::StrCat(
        kName, ": batch_size=", config.batch_size,
        " exceeds the rollout, n_steps * n_envs = ", config.n_steps, " * ",
        config.n_envs, " = ", config.n_steps * config.n_envs));
  }
  if (config.batch_size % world != 0 ||
      config.batch_size / world > config.n_steps * config.n_envs) {
    return absl::InvalidArgumentError(absl::StrCat(
        kName, ": batch_size=", config.batch_size,
        " is the minibatch over all ", world,
        " ranks, each taking an equal share of at most its rollout (n_steps "
        "* n_envs = ",
        config.n_steps * config.n_envs, "): pick a multiple of ", world,
        " up to ", config.n_steps * config.n_envs * world));
  }
  RL_ASSIGN_OR_RETURN(nn::Activation activation,
                      nn::ParseActivation(config.activation));
  auto agent = std::make_unique<PpoAgent>(config, binder.Values(),
                                          std::move(encoder), act, activation,
                                          context.seed, context.collective);
  RL_RETURN_IF_ERROR(agent->StartDataParallel());
  return agent;
}

const bool kRegistered = Agents().Register(
    kName,
    "Proximal Policy Optimization: clipped objective, GAE, vectorized "
    "rollouts (Discrete or Box actions)",
    &CreatePpoAgent);

}  // namespace
}  // namespace rl
