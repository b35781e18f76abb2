// ppo: Proximal Policy Optimization (Schulman et al. 2017) with the choices
// of Stable-Baselines3 / CleanRL; registered as "ppo". Discrete actions use
// a categorical policy over logits; Box actions a diagonal Gaussian whose
// mean is the actor's output and whose log standard deviation is a learned
// state-independent vector (initial log_std_init); sampled actions are
// clipped to the Box before they reach the env (the policy learns from the
// unclipped sample). Observations may be a Box or Discrete (one-hot).
//
// Rollouts are vectorized: the agent learns from n_envs envs stepped in
// lockstep (num_envs(); a Trainer drives them through ActBatch() and
// ObserveBatch()). Every n_steps lockstep steps it computes GAE(lambda)
// advantages, bootstrapping with gamma * V(final observation) added to the
// reward of a truncated step (never of a terminated one), and takes n_epochs
// passes of minibatch (batch_size samples) Adam steps on
//   clipped policy loss - ent_coef * entropy + vf_coef * 0.5 * (V - R)^2,
// advantages normalised per minibatch, the gradient's global norm clipped to
// max_grad_norm. Separate actor and critic MLPs, orthogonal init (gains
// sqrt(2) hidden, 0.01 actor output, 1 critic output). Optional: running
// observation and reward normalisation (SB3's VecNormalize), value clipping
// (clip_range_vf), early stop at 1.5 * target_kl, linear annealing of the
// learning rate and clip range to 0 over anneal_steps env steps.
#ifndef RL_AGENTS_PPO_AGENT_H_
#define RL_AGENTS_PPO_AGENT_H_

#include <cstdint>
#include <string>
#include <vector>

namespace rl {

struct PpoConfig {
  std::vector<int> hidden = {64, 64};
  std::string activation = "tanh";
  int n_envs = 1;
  int n_steps = 2048;
  int batch_size = 64;
  int n_epochs = 10;
  double learning_rate = 3e-4;
  double adam_eps = 1e-5;
  double gamma = 0.99;
  double gae_lambda = 0.95;
  double clip_range = 0.2;
  double clip_range_vf = 0;  // 0: no value clipping.
  double ent_coef = 0.0;
  double vf_coef = 0.5;
  double max_grad_norm = 0.5;
  double target_kl = 0;  // 0: no early stop.
  bool normalize_advantage = true;
  bool normalize_observation = false;
  bool normalize_reward = false;
  double clip_observation = 10;
  double clip_reward = 10;
  double log_std_init = 0.0;
  int64_t anneal_steps = 0;  // 0: constant learning rate and clip range.
  bool ortho_init = true;
};

}  // namespace rl

#endif  // RL_AGENTS_PPO_AGENT_H_
