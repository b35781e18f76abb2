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
      // rl-baselines3-zoo's PPO settings for MountainCar-v0 (normalize:
      // true; n_envs 16, n_steps 16, gae_lambda 0.98, gamma 0.99, ent_coef 0),
      // but 10 epochs (SB3's default) instead of its 4: with 4, seed 1 never
      // reached -110 within 1M (best -110.4) and seeds 0-2 ended at -110 to
      // -119; with 10, seeds 0-3 reach it at 180k-220k and end at -97.5 to
      // -102.
      {"ppo", "MountainCar-v0", 1000000,
       "n_envs=16,n_steps=16,n_epochs=10,gamma=0.99,gae_lambda=0.98,"
       "ent_coef=0,normalize_observation=true,normalize_reward=true",
       "mean return >= -110 over 20 greedy episodes"},
      // MuJoCo (issue 13). rl-baselines3-zoo's PPO settings, from memory of
      // its ppo.yml (no network here): its MuJoCo default (normalize: true,
      // SB3's defaults otherwise) where it has no tuned row for the env.
      // Our 64x64 networks stand for the zoo's 256x256 (pi and vf) where it
      // has them: ours are hand-written kernels on one core, ten times
      // slower at 256 wide (800 vs 8,000 steps/s on HalfCheetah), and
      // they learn as fast per step where compared (HalfCheetah: 571 at
      // 40k, 561 with 256x256).
      {"ppo", "InvertedPendulum-v5", 100000,
       "normalize_observation=true,normalize_reward=true",
       "mean return >= 950 over 10 greedy episodes"},
      // The same for InvertedDoublePendulum (no target in issue 13; 9100 is
      // Gymnasium's reward_threshold for it, about 9350 the most an episode
      // of 1000 steps earns).
      {"ppo", "InvertedDoublePendulum-v5", 300000,
       "normalize_observation=true,normalize_reward=true",
       "mean return >= 9100 over 10 greedy episodes"},
      // The zoo's tuned Reacher-v3 row (normalize: true, its values rounded
      // to three digits).
      {"ppo", "Reacher-v5", 500000,
       "n_steps=512,batch_size=32,n_epochs=5,gamma=0.9,gae_lambda=1.0,"
       "learning_rate=1.04e-4,ent_coef=7.5e-8,clip_range=0.3,"
       "max_grad_norm=0.9,vf_coef=0.95,normalize_observation=true,"
       "normalize_reward=true",
       "mean return >= -6 over 10 greedy episodes (issue 13: -10, which "
       "the untrained policy nearly scores)"},
      // The zoo's tuned HalfCheetah-v3 row (normalize: true, log_std_init
      // -2, ortho_init false, ReLU), rounded, with 64x64 networks.
      {"ppo", "HalfCheetah-v5", 1000000,
       "n_steps=512,batch_size=64,n_epochs=20,gamma=0.98,gae_lambda=0.92,"
       "learning_rate=2e-5,ent_coef=4e-4,clip_range=0.1,max_grad_norm=0.8,"
       "vf_coef=0.58,log_std_init=-2,ortho_init=false,activation=relu,"
       "normalize_observation=true,normalize_reward=true",
       "mean return >= 1500 over 10 greedy episodes"},
      // No target in issue 13: the budget only. PPO's generic defaults
      // (SB3's): seed 0 reaches 2651 at 150k and 3314 at 1M, its
      // evaluations swinging between about 1000 and 3500 on the way. The
      // zoo's MuJoCo default (normalize) peaked at 3214 and ended at 1530;
      // its tuned Hopper-v3 row with 64x64 networks mostly stood still
      // (about 980, the healthy reward) and was at 304 at 500k; annealing the
      // learning rate
      // over the budget ended at 2299.
      {"ppo", "Hopper-v5", 1000000, "",
       "none (issue 13 asks what it reaches): 3314 over 10 greedy episodes "
       "at 1M, seed 0"},
      // MazeChase-v0 (issue 18): no zoo row. The zoo's PPO Atari settings
      // (n_envs 8, n_steps 128, batch 256, 4 epochs, clip 0.1, ent_coef
      // 0.01, learning rate and clip range falling linearly to 0) with our
      // 64x64 MLP on the 6x21x19 planes instead of its CNN, reward
      // normalisation instead of clipping, and a learning rate of 7e-4
      // instead of 2.5e-4 (constant 2.5e-4 first passed the target at 650k;
      // constant 7e-4 at 350k, then sagged to 908 by 500k). Target: twice
      // the random agent's mean return (424 over 1000 episodes).
      {"ppo", "MazeChase-v0", 1000000,
       "n_envs=8,n_steps=128,batch_size=256,n_epochs=4,learning_rate=7e-4,"
       "anneal_steps=1000000,clip_range=0.1,ent_coef=0.01,"
       "normalize_reward=true",
       "mean return >= 850 over 20 greedy episodes (twice the random "
       "agent's)"},
      // rl-baselines3-zoo's DQN schedule for CartPole-v1 (128 gradient
      // steps every 256 env steps), with 64x64 layers and Double DQN, and
      // two changes so the final policy holds: the target network moves
      // 10% of the way to the online one once per 256 env steps (tau=0.1,
      // a time constant of about 10 training rounds) instead of a copy
      // before every round (the zoo's target_update_interval=10), and the
      // learning rate falls linearly to 0 over the budget. The zoo's
      // schedule reaches 500 (seeds 0-7) but its greedy return keeps
      // swinging between 500 and ~100 (at 200k: 104, 159, 132 for seeds
      // 0-2; 256x256 layers swing too, to 80k). Annealing alone still
      // swings to the end (seed 1 ends at 74; over a 100k budget 75, 500,
      // 108) with a Huber loss of about 0.1: the greedy choice flips on small
      // changes of the net. So does tau=0.1 alone (seed 1: 86); tau=0.2
      // with annealing, lr 1e-3 or 5e-4, batch 256, a 200k buffer, eps 0.1
      // or gamma 0.98 did not help either. With both, the final policy
      // scores 500, 457, 500, 500, 500 for seeds 0-4 (20 greedy episodes);
      // the price is slower learning (400 first reached at 140k-170k).
      {"dqn", "CartPole-v1", 200000,
       "hidden=64,64,learning_rate=2.3e-3,buffer_size=100000,"
       "learning_starts=1000,batch_size=64,train_freq=256,gradient_steps=128,"
       "target_update_interval=256,tau=0.1,anneal_steps=200000,"
       "exploration_steps=8000,exploration_final_eps=0.04,double_dqn=true",
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
