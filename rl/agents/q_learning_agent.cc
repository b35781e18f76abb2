#include "rl/agents/q_learning_agent.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <random>
#include <vector>

#include "absl/strings/str_cat.h"
#include "rl/agents/agent.h"
#include "rl/agents/agent_util.h"
#include "rl/agents/defaults.h"
#include "rl/agents/hyperparams.h"
#include "rl/agents/nn/random.h"
#include "rl/agents/serialize.h"
#include "rl/core/status_macros.h"

namespace rl {
namespace {

constexpr char kName[] = "q_learning";
constexpr uint32_t kStateVersion = 1;

void Bind(QLearningConfig* config, ParamBinder* binder) {
  binder->Double("learning_rate", &config->learning_rate,
                 "step size of the Q update", 0, 1);
  binder->Double("gamma", &config->gamma, "discount factor", 0, 1);
  binder->Double("exploration_initial_eps", &config->exploration_initial_eps,
                 "epsilon at the first step", 0, 1);
  binder->Double("exploration_final_eps", &config->exploration_final_eps,
                 "epsilon after exploration_steps", 0, 1);
  binder->Int64("exploration_steps", &config->exploration_steps,
                "env steps over which epsilon falls linearly", 0,
                int64_t{1} << 50);
  binder->Double("initial_q", &config->initial_q,
                 "initial value of every Q entry (optimism explores)", -1e9,
                 1e9);
}

class QLearningAgent : public Agent {
 public:
  QLearningAgent(const QLearningConfig& config, HyperParams hyperparams,
                 int64_t states, int64_t actions, uint64_t seed)
      : config_(config),
        hyperparams_(std::move(hyperparams)),
        states_(states),
        actions_(actions),
        q_(static_cast<size_t>(states * actions), config.initial_q),
        rng_(nn::MixSeed(seed, 1)) {}

  Action Act(const Observation& observation) override {
    absl::StatusOr<int64_t> state = State(observation);
    if (!state.ok()) {
      pending_error_ = state.status();
      return Action::Discrete(nn::UniformIndex(rng_, actions_));
    }
    if (nn::UniformUnit(rng_) < Epsilon()) {
      return Action::Discrete(nn::UniformIndex(rng_, actions_));
    }
    // Greedy with random tie-breaking: unvisited states (all equal) are
    // explored evenly instead of always taking action 0.
    const double* q = Row(*state);
    const double best = *std::max_element(q, q + actions_);
    int64_t ties = 0;
    for (int64_t a = 0; a < actions_; ++a) ties += q[a] == best;
    int64_t pick = nn::UniformIndex(rng_, ties);
    for (int64_t a = 0; a < actions_; ++a) {
      if (q[a] == best && pick-- == 0) return Action::Discrete(a);
    }
    return Action::Discrete(0);  // Unreachable.
  }

  Action ActGreedy(const Observation& observation) override {
    absl::StatusOr<int64_t> state = State(observation);
    if (!state.ok()) return Action::Discrete(0);
    const double* q = Row(*state);
    return Action::Discrete(std::max_element(q, q + actions_) - q);
  }

  absl::Status Observe(const Transition& transition) override {
    if (!pending_error_.ok()) {
      absl::Status error = pending_error_;
      pending_error_ = absl::OkStatus();
      return error;
    }
    RL_ASSIGN_OR_RETURN(const int64_t state, State(transition.observation));
    const int64_t action = transition.action.discrete;
    if (action < 0 || action >= actions_) {
      return absl::InvalidArgumentError(absl::StrCat(
          kName, ": action ", action, " outside Discrete(", actions_, ")"));
    }
    const StepResult& result = transition.result;
    double target = result.reward;
    if (!result.terminated) {
      RL_ASSIGN_OR_RETURN(const int64_t next, State(result.observation));
      const double* q_next = Row(next);
      target += config_.gamma * *std::max_element(q_next, q_next + actions_);
    }
    double& q = q_[state * actions_ + action];
    const double td_error = target - q;
    q += config_.learning_rate * td_error;
    ++steps_;
    abs_td_error_ = 0.99 * abs_td_error_ + 0.01 * std::abs(td_error);
    return absl::OkStatus();
  }

  HyperParams hyperparams() const override { return hyperparams_; }

  std::map<std::string, double> Stats() const override {
    return {{"epsilon", Epsilon()},
            {"td_error", abs_td_error_},
            {"updates", static_cast<double>(steps_)}};
  }

  absl::StatusOr<std::string> SaveState() const override {
    ByteWriter out;
    WriteStateHead(kName, kStateVersion, &out);
    out.I64(states_);
    out.I64(actions_);
    out.Doubles(q_);
    out.I64(steps_);
    out.F64(abs_td_error_);
    out.Rng(rng_);
    return out.Release();
  }

  absl::Status LoadState(absl::string_view state) override {
    ByteReader in(state, absl::StrCat(kName, " state"));
    RL_RETURN_IF_ERROR(ReadStateHead(kName, kStateVersion, &in));
    int64_t states, actions;
    RL_RETURN_IF_ERROR(in.I64(&states));
    RL_RETURN_IF_ERROR(in.I64(&actions));
    if (states != states_ || actions != actions_) {
      return absl::FailedPreconditionError(absl::StrCat(
          kName, ": checkpoint's table is ", states, " states x ", actions,
          " actions, this agent's ", states_, " x ", actions_));
    }
    std::vector<double> q;
    int64_t steps;
    double abs_td_error;
    std::mt19937_64 rng;
    RL_RETURN_IF_ERROR(in.Doubles(&q));
    if (q.size() != q_.size()) return in.Error("Q table has the wrong size");
    RL_RETURN_IF_ERROR(in.I64(&steps));
    RL_RETURN_IF_ERROR(in.F64(&abs_td_error));
    RL_RETURN_IF_ERROR(in.Rng(&rng));
    RL_RETURN_IF_ERROR(in.ExpectEnd());
    q_ = std::move(q);
    steps_ = steps;
    abs_td_error_ = abs_td_error;
    rng_ = rng;
    return absl::OkStatus();
  }

 private:
  double Epsilon() const {
    return LinearSchedule(config_.exploration_initial_eps,
                          config_.exploration_final_eps,
                          config_.exploration_steps, steps_);
  }

  absl::StatusOr<int64_t> State(const Observation& observation) const {
    if (observation.size() != 1 ||
        std::floor(observation[0]) != observation[0] || observation[0] < 0 ||
        observation[0] >= static_cast<float>(states_)) {
      return absl::InvalidArgumentError(
          absl::StrCat(kName, ": observation is not a state index in Discrete(",
                       states_, ")"));
    }
    return static_cast<int64_t>(observation[0]);
  }

  const double* Row(int64_t state) const {
    return q_.data() + state * actions_;
  }

  QLearningConfig config_;
  HyperParams hyperparams_;
  int64_t states_;
  int64_t actions_;
  std::vector<double> q_;
  std::mt19937_64 rng_;
  int64_t steps_ = 0;
  double abs_td_error_ = 0;
  absl::Status pending_error_;
};

absl::StatusOr<std::unique_ptr<Agent>> CreateQLearningAgent(
    const AgentContext& context) {
  const Space& obs = context.observation_space;
  const Space& act = context.action_space;
  if (obs.kind != Space::Kind::kDiscrete ||
      act.kind != Space::Kind::kDiscrete) {
    return absl::InvalidArgumentError(absl::StrCat(
        kName, " needs Discrete observations and actions (toy-text envs); ",
        context.env_id.empty() ? "this env" : context.env_id, " has ",
        obs.ToString(), " observations and ", act.ToString(),
        " actions: use dqn or ppo"));
  }
  if (obs.n <= 0 || act.n <= 0 || obs.n > (int64_t{1} << 26) / act.n) {
    return absl::InvalidArgumentError(absl::StrCat(
        kName, ": a table of ", obs.n, " x ", act.n, " is empty or too large"));
  }
  QLearningConfig config;
  ParamBinder binder(kName);
  Bind(&config, &binder);
  RL_RETURN_IF_ERROR(binder.Apply(DefaultHyperParams(kName, context.env_id)));
  RL_RETURN_IF_ERROR(binder.Apply(context.hyperparams));
  return std::make_unique<QLearningAgent>(config, binder.Values(), obs.n, act.n,
                                          context.seed);
}

const bool kRegistered = Agents().Register(
    kName, "tabular Q-learning, epsilon-greedy (Discrete observations)",
    &CreateQLearningAgent);

}  // namespace
}  // namespace rl
