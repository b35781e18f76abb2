// Pieces the learning agents share: turning observations into network
// inputs, linear schedules, and the common head of every agent's saved
// state.
#ifndef RL_AGENTS_AGENT_UTIL_H_
#define RL_AGENTS_AGENT_UTIL_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rl/agents/nn/optim.h"
#include "rl/agents/serialize.h"
#include "rl/envs/env.h"
#include "rl/envs/space.h"

namespace rl {

// Network input for an observation: a Box's floats as they are (flattened),
// a Discrete index one-hot.
//
// Example:
//   RL_ASSIGN_OR_RETURN(auto encoder,
//                       ObservationEncoder::Create(space, "dqn"));
//   encoder.Encode(observation, batch.row(0));  // encoder.size() floats
class ObservationEncoder {
 public:
  // InvalidArgument for an empty space.
  static absl::StatusOr<ObservationEncoder> Create(const Space& space,
                                                   absl::string_view agent);
  ObservationEncoder() = default;

  // Floats per encoded observation.
  int size() const { return size_; }
  // InvalidArgument (naming the agent) when `observation` is not an element
  // of the space's shape (a Box of another size, a Discrete value that is
  // not an index).
  absl::Status Check(const Observation& observation) const;
  // Writes size() floats; `observation` must pass Check().
  void Encode(const Observation& observation, float* out) const;

 private:
  bool one_hot_ = false;
  int size_ = 0;
  std::string agent_;
};

// value(step): `start` at step 0, linearly to `end` at `steps`, then `end`.
// steps <= 0 means `end` throughout.
double LinearSchedule(double start, double end, int64_t steps, int64_t step);

// Every agent's state starts with its name and a version, so loading a PPO
// state into DQN, or a newer format, is a clear error.
void WriteStateHead(absl::string_view agent, uint32_t version, ByteWriter* out);
absl::Status ReadStateHead(absl::string_view agent, uint32_t version,
                           ByteReader* in);

// The Adam optimiser's state: its step count, then each parameter block's
// first and second moments. ReadAdamState() needs blocks of the sizes
// written (the same networks); it fills `adam` (a copy the caller keeps
// only if the whole state reads).
void WriteAdamState(const nn::Adam<float>& adam, ByteWriter* out);
absl::Status ReadAdamState(ByteReader* in, nn::Adam<float>* adam);

}  // namespace rl

#endif  // RL_AGENTS_AGENT_UTIL_H_
