// Tiny envs with known answers, for the agents' tests. Linking
// //rl/agents:test_envs registers them in Envs():
//
//   test/Truncated5-v0   Box(1) observation always {0}, Discrete(2) actions,
//                        reward 1 per step, truncated (time limit) after 5
//                        steps, never terminated. With gamma = 0.5 the true
//                        value of every state is 1 / (1 - 0.5) = 2.
//   test/Terminated5-v0  The same, but terminated after 5 steps: values
//                        1.9375, 1.875, 1.75, 1.5, 1 by position, mean
//                        1.6125; an agent that cannot see the position
//                        settles around that mean, well below 2.
//   test/Bandit-v0       One-step episodes, Box(1) observation {0},
//                        Discrete(3) actions; action 2 pays 1, others 0.
//   test/ContinuousBandit-v0  One-step episodes, Box(1) observation {0},
//                        Box(1) action in [-2, 2]; reward -(a - 1)^2.
//   test/Chain-v0        Discrete(5) states, Discrete(2) actions (0 left, 1
//                        right), start in 0; reaching state 4 pays 1 and
//                        terminates; time limit 20 steps. With gamma = 0.9,
//                        Q*(s, right) = 0.9^(3 - s) and Q*(s, left) =
//                        0.9 * V*(max(s - 1, 0)).
#ifndef RL_AGENTS_TEST_ENVS_H_
#define RL_AGENTS_TEST_ENVS_H_

namespace rl {
namespace testing_envs {

// Forces the registration (call from a test to keep the library linked).
bool Registered();

}  // namespace testing_envs
}  // namespace rl

#endif  // RL_AGENTS_TEST_ENVS_H_
