#include "rl/agents/defaults.h"

#include "rl/agents/hyperparams.h"

namespace rl {

const std::vector<DefaultsRow>& DefaultsTable() {
  // Keep in step with the table in rl/agents/README.md.
  static const auto* table = new std::vector<DefaultsRow>{
      // rl-baselines3-zoo's PPO settings for CartPole-v1.
      {"ppo", "CartPole-v1", 150000,
       "n_envs=8,n_steps=32,batch_size=256,n_epochs=20,gamma=0.98,"
       "gae_lambda=0.8,learning_rate=1e-3,ent_coef=0,anneal_steps=150000",
       "mean return >= 475 over 20 greedy episodes"},
      // rl-baselines3-zoo's PPO settings for Acrobot-v1 (normalize: true).
      {"ppo", "Acrobot-v1", 200000,
       "n_envs=16,n_steps=256,batch_size=64,n_epochs=4,gamma=0.99,"
       "gae_lambda=0.94,ent_coef=0,normalize_observation=true,"
       "normalize_reward=true",
       "mean return >= -100 over 20 greedy episodes"},
      // The zoo's Pendulum-v1 settings without gSDE, stabilised by an early
      // stop at 1.5 x target_kl and annealing.
      {"ppo", "Pendulum-v1", 300000,
       "n_envs=4,n_steps=1024,batch_size=64,n_epochs=10,gamma=0.9,"
       "gae_lambda=0.95,learning_rate=1e-3,anneal_steps=300000,"
       "target_kl=0.02,normalize_observation=true,normalize_reward=true",
       "mean return >= -400 over 20 greedy episodes"},
      // rl-baselines3-zoo's DQN schedule for CartPole-v1 (128 gradient
      // steps every 256 env steps), with 64x64 layers and Double DQN.
      {"dqn", "CartPole-v1", 200000,
       "hidden=64,64,learning_rate=2.3e-3,buffer_size=100000,"
       "learning_starts=1000,batch_size=64,train_freq=256,gradient_steps=128,"
       "target_update_interval=10,exploration_steps=8000,"
       "exploration_final_eps=0.04,double_dqn=true",
       "mean return >= 400 over 20 greedy episodes"},
      {"q_learning", "FrozenLake-v1", 300000,
       "learning_rate=0.02,gamma=0.99,exploration_steps=200000,"
       "exploration_final_eps=0.05",
       "success rate >= 0.7 over 1000 greedy episodes"},
  };
  return *table;
}

HyperParams DefaultHyperParams(absl::string_view agent,
                               absl::string_view env_id) {
  for (const DefaultsRow& row : DefaultsTable()) {
    if (agent == row.agent && env_id == row.env_id) {
      absl::StatusOr<HyperParams> params = ParseHyperParams(row.hyperparams);
      return params.ok() ? *params : HyperParams{};
    }
  }
  return {};
}

int64_t DefaultTrainingSteps(absl::string_view agent,
                             absl::string_view env_id) {
  for (const DefaultsRow& row : DefaultsTable()) {
    if (agent == row.agent && env_id == row.env_id) return row.steps;
  }
  return 0;
}

}  // namespace rl
