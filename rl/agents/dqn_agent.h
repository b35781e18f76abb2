// dqn: Deep Q-Network (Mnih et al. 2015) for Discrete actions, with the
// choices of Stable-Baselines3's DQN; registered as "dqn". Observations may
// be a Box (used as they are) or Discrete (one-hot).
//
// Every env step goes into a replay buffer (the true next observation and
// `terminated`, so time-limit truncations still bootstrap). After
// learning_starts steps, every train_freq steps it takes gradient_steps
// minibatch steps of Adam on the Huber loss between Q(s, a) and
//   y = r + gamma * (1 - terminated) * Q_target(s', argmax_a' Q(s', a'))
// (Double DQN, double_dqn=true) or max_a' Q_target(s', a') (classic), with
// the gradient's global norm clipped to max_grad_norm. Every
// target_update_interval env steps the target network moves to
//   target = tau * online + (1 - tau) * target   (tau = 1: a hard copy).
// Epsilon-greedy exploration, epsilon falling linearly over
// exploration_steps env steps. Optionally the learning rate falls linearly
// to 0 over anneal_steps env steps, which freezes a converged policy
// instead of letting it oscillate.
#ifndef RL_AGENTS_DQN_AGENT_H_
#define RL_AGENTS_DQN_AGENT_H_

#include <cstdint>
#include <string>
#include <vector>

namespace rl {

struct DqnConfig {
  std::vector<int> hidden = {64, 64};
  std::string activation = "relu";
  double learning_rate = 1e-4;
  double adam_eps = 1e-8;
  int buffer_size = 100000;
  int learning_starts = 1000;
  int batch_size = 32;
  double gamma = 0.99;
  int train_freq = 4;
  int gradient_steps = 1;
  int target_update_interval = 10000;
  double tau = 1.0;
  double exploration_initial_eps = 1.0;
  double exploration_final_eps = 0.05;
  int64_t exploration_steps = 100000;
  double max_grad_norm = 10;
  bool double_dqn = false;
  int64_t anneal_steps = 0;  // 0: constant learning rate.
  // The TD loss: "huber" (SB3's smooth L1, threshold 1) or "mse" (CleanRL's
  // squared error). With CleanRL's CartPole settings (train_freq 10, one
  // gradient step, a hard target copy every 500 steps, lr 2.5e-4, 120-84
  // ReLU layers) Huber diverges here (Q mean 2,218 at 40k steps, where true
  // values stay under 100) and MSE learns (greedy 500 by 40k-60k, seeds 0-2).
  std::string loss = "huber";
};

}  // namespace rl

#endif  // RL_AGENTS_DQN_AGENT_H_
