#include "rl/agents/dqn_agent.h"

#include <algorithm>
#include <cmath>
#include <memory>
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
#include "rl/agents/serialize.h"
#include "rl/core/status_macros.h"

namespace rl {
namespace {

constexpr char kName[] = "dqn";
constexpr uint32_t kStateVersion = 1;

void Bind(DqnConfig* c, ParamBinder* b) {
  b->IntList("hidden", &c->hidden, "hidden layer widths", 1, 4096);
  b->Choice("activation", &c->activation, "hidden activation",
            {"relu", "tanh"});
  b->Double("learning_rate", &c->learning_rate, "Adam step size", 0, 1);
  b->Double("adam_eps", &c->adam_eps, "Adam epsilon", 0, 1);
  b->Int("buffer_size", &c->buffer_size, "replay buffer capacity (steps)", 1,
         100000000);
  b->Int("learning_starts", &c->learning_starts,
         "env steps before the first update", 0, 1 << 30);
  b->Int("batch_size", &c->batch_size, "minibatch size", 1, 1 << 16);
  b->Double("gamma", &c->gamma, "discount factor", 0, 1);
  b->Int("train_freq", &c->train_freq, "env steps between updates", 1, 1 << 20);
  b->Int("gradient_steps", &c->gradient_steps, "gradient steps per update", 1,
         1 << 16);
  b->Int("target_update_interval", &c->target_update_interval,
         "env steps between target network updates", 1, 1 << 30);
  b->Double("tau", &c->tau, "target update coefficient (1 = hard copy)", 0, 1);
  b->Double("exploration_initial_eps", &c->exploration_initial_eps,
            "epsilon at the first step", 0, 1);
  b->Double("exploration_final_eps", &c->exploration_final_eps,
            "epsilon after exploration_steps", 0, 1);
  b->Int64("exploration_steps", &c->exploration_steps,
           "env steps over which epsilon falls linearly", 0, int64_t{1} << 50);
  b->Double("max_grad_norm", &c->max_grad_norm,
            "clip the gradient's global norm to this", 0, 1e9);
  b->Bool("double_dqn", &c->double_dqn,
          "Double DQN targets (online argmax, target value)");
  b->Choice("loss", &c->loss,
            "TD loss: huber (SB3's smooth L1) or mse (CleanRL's)",
            {"huber", "mse"});
  b->Int64("anneal_steps", &c->anneal_steps,
           "env steps over which learning_rate falls linearly to 0; "
           "0 = constant",
           0, int64_t{1} << 50);
}

// Uniform replay over the last buffer_size steps; grows as it fills.
struct ReplayBuffer {
  int capacity = 0;
  int dims = 0;
  int size = 0;
  int next = 0;  // Where the next step goes.
  std::vector<float> observations, next_observations, rewards;
  std::vector<int64_t> actions;
  std::vector<uint8_t> terminated;

  void Add(const float* obs, int64_t action, float reward,
           const float* next_obs, bool done) {
    if (size < capacity) {
      observations.resize(static_cast<size_t>(size + 1) * dims);
      next_observations.resize(static_cast<size_t>(size + 1) * dims);
      rewards.resize(size + 1);
      actions.resize(size + 1);
      terminated.resize(size + 1);
      ++size;
    }
    std::copy(obs, obs + dims,
              observations.data() + static_cast<size_t>(next) * dims);
    std::copy(next_obs, next_obs + dims,
              next_observations.data() + static_cast<size_t>(next) * dims);
    actions[next] = action;
    rewards[next] = reward;
    terminated[next] = done ? 1 : 0;
    next = (next + 1) % capacity;
  }
};

class DqnAgent : public Agent {
 public:
  DqnAgent(const DqnConfig& config, HyperParams hyperparams,
           ObservationEncoder encoder, int64_t actions,
           nn::Activation activation, uint64_t seed)
      : config_(config),
        hyperparams_(std::move(hyperparams)),
        encoder_(std::move(encoder)),
        actions_(actions),
        rng_(nn::MixSeed(seed, 2)) {
    std::vector<int> sizes = {encoder_.size()};
    sizes.insert(sizes.end(), config_.hidden.begin(), config_.hidden.end());
    sizes.push_back(static_cast<int>(actions_));
    q_ = nn::Mlp<float>(sizes, activation);
    // SB3 keeps torch's default init; Xavier is close and simple.
    std::mt19937_64 init_rng(nn::MixSeed(seed, 3));
    q_.InitXavier(init_rng);
    target_ = q_;
    grad_.assign(q_.num_params(), 0.0f);
    adam_ = nn::Adam<float>({q_.num_params()},
                            nn::AdamOptions{0.9, 0.999, config_.adam_eps});
    buffer_.capacity = config_.buffer_size;
    buffer_.dims = encoder_.size();
    act_input_.Resize(1, encoder_.size());
    encoded_.resize(encoder_.size());
    encoded_next_.resize(encoder_.size());
  }

  Action Act(const Observation& observation) override {
    absl::Status status = encoder_.Check(observation);
    if (!status.ok()) {
      // Act() cannot fail; the next Observe() reports it.
      pending_error_ = std::move(status);
      return Action::Discrete(0);
    }
    if (nn::UniformUnit(rng_) < Epsilon()) {
      return Action::Discrete(nn::UniformIndex(rng_, actions_));
    }
    return ActGreedy(observation);
  }

  Action ActGreedy(const Observation& observation) override {
    if (!encoder_.Check(observation).ok()) return Action::Discrete(0);
    encoder_.Encode(observation, act_input_.row(0));
    const nn::Matrix<float>& q = q_.Forward(act_input_, &act_ws_);
    return Action::Discrete(nn::Argmax(q.row(0), static_cast<int>(actions_)));
  }

  absl::Status Observe(const Transition& transition) override {
    if (!pending_error_.ok()) {
      absl::Status error = pending_error_;
      pending_error_ = absl::OkStatus();
      return error;
    }
    RL_RETURN_IF_ERROR(encoder_.Check(transition.observation));
    RL_RETURN_IF_ERROR(encoder_.Check(transition.result.observation));
    const int64_t action = transition.action.discrete;
    if (action < 0 || action >= actions_) {
      return absl::InvalidArgumentError(absl::StrCat(
          kName, ": action ", action, " outside Discrete(", actions_, ")"));
    }
    encoder_.Encode(transition.observation, encoded_.data());
    encoder_.Encode(transition.result.observation, encoded_next_.data());
    buffer_.Add(encoded_.data(), action,
                static_cast<float>(transition.result.reward),
                encoded_next_.data(), transition.result.terminated);
    ++steps_;
    if (steps_ > config_.learning_starts && steps_ % config_.train_freq == 0) {
      for (int g = 0; g < config_.gradient_steps; ++g) Update();
    }
    if (steps_ % config_.target_update_interval == 0) UpdateTarget();
    return absl::OkStatus();
  }

  HyperParams hyperparams() const override { return hyperparams_; }

  std::map<std::string, double> Stats() const override {
    return {
        {"epsilon", Epsilon()},    {"learning_rate", LearningRate()},
        {"loss", loss_},           {"q_mean", q_mean_},
        {"grad_norm", grad_norm_}, {"updates", static_cast<double>(updates_)}};
  }

  absl::StatusOr<std::string> SaveState() const override {
    ByteWriter out;
    WriteStateHead(kName, kStateVersion, &out);
    out.Floats(q_.params());
    out.Floats(target_.params());
    WriteAdamState(adam_, &out);
    out.I64(steps_);
    out.I64(updates_);
    out.F64(loss_);
    out.F64(q_mean_);
    out.F64(grad_norm_);
    out.Rng(rng_);
    // The replay buffer, so learning resumes exactly.
    out.I64(buffer_.size);
    out.I64(buffer_.next);
    out.Floats(buffer_.observations);
    out.Floats(buffer_.next_observations);
    out.Floats(buffer_.rewards);
    out.I64s(buffer_.actions);
    out.Bytes(buffer_.terminated);
    return out.Release();
  }

  absl::Status LoadState(absl::string_view state) override {
    ByteReader in(state, absl::StrCat(kName, " state"));
    RL_RETURN_IF_ERROR(ReadStateHead(kName, kStateVersion, &in));
    // Read into a copy, so a bad state leaves this agent as it was.
    nn::Mlp<float> q = q_, target = target_;
    nn::Adam<float> adam = adam_;
    const std::string net = absl::StrCat("Q network (", q_.Describe(), ")");
    RL_RETURN_IF_ERROR(in.FloatsExact(q.params().data(), q.num_params(), net));
    RL_RETURN_IF_ERROR(
        in.FloatsExact(target.params().data(), target.num_params(), net));
    RL_RETURN_IF_ERROR(ReadAdamState(&in, &adam));
    int64_t steps, updates, size, next;
    double loss, q_mean, grad_norm;
    std::mt19937_64 rng;
    RL_RETURN_IF_ERROR(in.I64(&steps));
    RL_RETURN_IF_ERROR(in.I64(&updates));
    RL_RETURN_IF_ERROR(in.F64(&loss));
    RL_RETURN_IF_ERROR(in.F64(&q_mean));
    RL_RETURN_IF_ERROR(in.F64(&grad_norm));
    RL_RETURN_IF_ERROR(in.Rng(&rng));
    ReplayBuffer buffer;
    buffer.capacity = buffer_.capacity;
    buffer.dims = buffer_.dims;
    RL_RETURN_IF_ERROR(in.I64(&size));
    RL_RETURN_IF_ERROR(in.I64(&next));
    if (size < 0 || size > buffer.capacity || next < 0 ||
        next >= buffer.capacity) {
      return in.Error(absl::StrCat("replay buffer of ", size,
                                   " steps does not fit this agent's "
                                   "buffer_size=",
                                   buffer.capacity));
    }
    buffer.size = static_cast<int>(size);
    buffer.next = static_cast<int>(next);
    const size_t values = static_cast<size_t>(size) * buffer.dims;
    buffer.observations.resize(values);
    buffer.next_observations.resize(values);
    buffer.rewards.resize(size);
    RL_RETURN_IF_ERROR(
        in.FloatsExact(buffer.observations.data(), values, "replay buffer"));
    RL_RETURN_IF_ERROR(in.FloatsExact(buffer.next_observations.data(), values,
                                      "replay buffer"));
    RL_RETURN_IF_ERROR(
        in.FloatsExact(buffer.rewards.data(), size, "replay buffer"));
    RL_RETURN_IF_ERROR(
        in.Indices(&buffer.actions, actions_, "replay buffer action"));
    RL_RETURN_IF_ERROR(in.Bytes(&buffer.terminated));
    if (buffer.actions.size() != static_cast<size_t>(size) ||
        buffer.terminated.size() != static_cast<size_t>(size)) {
      return in.Error("replay buffer arrays disagree in length");
    }
    RL_RETURN_IF_ERROR(in.ExpectEnd());
    q_ = std::move(q);
    target_ = std::move(target);
    adam_ = std::move(adam);
    steps_ = steps;
    updates_ = updates;
    loss_ = loss;
    q_mean_ = q_mean;
    grad_norm_ = grad_norm;
    rng_ = rng;
    buffer_ = std::move(buffer);
    return absl::OkStatus();
  }

 private:
  double Epsilon() const {
    return LinearSchedule(config_.exploration_initial_eps,
                          config_.exploration_final_eps,
                          config_.exploration_steps, steps_);
  }

  void Update() {
    const int batch = config_.batch_size;
    const int dims = buffer_.dims;
    const int n = static_cast<int>(actions_);
    batch_obs_.Resize(batch, dims);
    batch_next_.Resize(batch, dims);
    indices_.resize(batch);
    for (int b = 0; b < batch; ++b) {
      const int64_t i = nn::UniformIndex(rng_, buffer_.size);
      indices_[b] = i;
      std::copy_n(buffer_.observations.data() + i * dims, dims,
                  batch_obs_.row(b));
      std::copy_n(buffer_.next_observations.data() + i * dims, dims,
                  batch_next_.row(b));
    }
    // Targets, without gradient.
    const nn::Matrix<float>& q_next_target =
        target_.Forward(batch_next_, &target_ws_);
    const nn::Matrix<float>* q_next_online = nullptr;
    if (config_.double_dqn) q_next_online = &q_.Forward(batch_next_, &next_ws_);
    targets_.resize(batch);
    for (int b = 0; b < batch; ++b) {
      const int64_t i = indices_[b];
      double next_value = 0;
      if (!buffer_.terminated[i]) {
        const float* row = q_next_target.row(b);
        next_value = config_.double_dqn
                         ? row[nn::Argmax(q_next_online->row(b), n)]
                         : row[nn::Argmax(row, n)];
      }
      targets_[b] =
          static_cast<float>(buffer_.rewards[i] + config_.gamma * next_value);
    }
    // Huber loss on Q(s, a) and its gradient.
    const nn::Matrix<float>& q = q_.Forward(batch_obs_, &train_ws_);
    dq_.Resize(batch, n);
    dq_.SetZero();
    double loss = 0, q_sum = 0;
    for (int b = 0; b < batch; ++b) {
      const int64_t a = buffer_.actions[indices_[b]];
      const float error = q(b, a) - targets_[b];
      if (mse_loss_) {
        loss += error * error;
        dq_(b, a) = 2 * error / batch;
      } else {
        loss += nn::Huber(error, 1.0f);
        dq_(b, a) = nn::HuberGrad(error, 1.0f) / batch;
      }
      q_sum += q(b, a);
    }
    std::fill(grad_.begin(), grad_.end(), 0.0f);
    q_.Backward(&train_ws_, dq_, grad_.data());
    grad_norm_ = nn::ClipGlobalNorm<float>({{grad_.data(), grad_.size()}},
                                           config_.max_grad_norm);
    adam_.Step({{q_.params().data(), grad_.data()}}, LearningRate());
    ++updates_;
    loss_ = loss / batch;
    q_mean_ = q_sum / batch;
  }

  double LearningRate() const {
    if (config_.anneal_steps <= 0) return config_.learning_rate;
    return LinearSchedule(config_.learning_rate, 0.0, config_.anneal_steps,
                          steps_);
  }

  void UpdateTarget() {
    std::vector<float>& target = target_.params();
    const std::vector<float>& online = q_.params();
    if (config_.tau >= 1.0) {
      target = online;
      return;
    }
    const float tau = static_cast<float>(config_.tau);
    for (size_t k = 0; k < target.size(); ++k) {
      target[k] = tau * online[k] + (1.0f - tau) * target[k];
    }
  }

  DqnConfig config_;
  const bool mse_loss_ = config_.loss == "mse";  // Else Huber.
  HyperParams hyperparams_;
  ObservationEncoder encoder_;
  int64_t actions_;
  std::mt19937_64 rng_;
  nn::Mlp<float> q_, target_;
  nn::Adam<float> adam_;
  std::vector<float> grad_;
  ReplayBuffer buffer_;
  int64_t steps_ = 0;
  int64_t updates_ = 0;
  double loss_ = 0, q_mean_ = 0, grad_norm_ = 0;
  absl::Status pending_error_;
  // Scratch, not state.
  nn::Mlp<float>::Workspace act_ws_, train_ws_, target_ws_, next_ws_;
  nn::Matrix<float> act_input_, batch_obs_, batch_next_, dq_;
  std::vector<float> encoded_, encoded_next_, targets_;
  std::vector<int64_t> indices_;
};

absl::StatusOr<std::unique_ptr<Agent>> CreateDqnAgent(
    const AgentContext& context) {
  const Space& act = context.action_space;
  if (act.kind != Space::Kind::kDiscrete || act.n <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(kName, " needs a Discrete action space; ",
                     context.env_id.empty() ? "this env" : context.env_id,
                     " has ", act.ToString(), ": use ppo"));
  }
  RL_ASSIGN_OR_RETURN(
      ObservationEncoder encoder,
      ObservationEncoder::Create(context.observation_space, kName));
  DqnConfig config;
  ParamBinder binder(kName);
  Bind(&config, &binder);
  RL_RETURN_IF_ERROR(binder.Apply(DefaultHyperParams(kName, context.env_id)));
  RL_RETURN_IF_ERROR(binder.Apply(context.hyperparams));
  RL_ASSIGN_OR_RETURN(nn::Activation activation,
                      nn::ParseActivation(config.activation));
  return std::make_unique<DqnAgent>(config, binder.Values(), std::move(encoder),
                                    act.n, activation, context.seed);
}

const bool kRegistered = Agents().Register(
    kName,
    "Deep Q-Network: replay buffer, target network, epsilon-greedy "
    "(Discrete actions)",
    &CreateDqnAgent);

}  // namespace
}  // namespace rl
