// A number summarising a whole transition table, computed the same way by
// the Python re-implementations the tests take their expected values from:
// equal fingerprints mean every (probability, next state, reward,
// terminated) of every (state, action) agrees, in Gymnasium's order.
#ifndef RL_ENVS_TOY_TEXT_TABLE_FINGERPRINT_H_
#define RL_ENVS_TOY_TEXT_TABLE_FINGERPRINT_H_

#include "rl/envs/toy_text/tabular_env.h"

namespace rl {

inline double TableFingerprint(const TabularEnv& env) {
  double f = 0;
  for (int s = 0; s < env.num_states(); ++s) {
    for (int a = 0; a < env.num_actions(); ++a) {
      int i = 0;
      for (const TabularEnv::Transition& t : env.transitions(s, a)) {
        f += t.probability *
             ((t.next_state + 1) * 7.0 + (s + 1) * 0.5 + a * 3.0 + i * 11.0 +
              t.reward * 0.25 + (t.terminated ? 13.0 : 0.0));
        ++i;
      }
    }
  }
  return f;
}

}  // namespace rl

#endif  // RL_ENVS_TOY_TEXT_TABLE_FINGERPRINT_H_
