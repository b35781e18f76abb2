// Checkpoints: an agent's learning state (and optionally a trainer's) in one
// versioned, checksummed binary file.
//
// File layout (little-endian):
//   8 bytes   magic "HRLCKPT\n"
//   u32       format version (kCheckpointVersion)
//   u64       body size in bytes
//   body      header: agent name, env id, observation and action spaces,
//             seed, steps trained, hyper-parameters (key/value text);
//             then the agent's state and the trainer's state, each a
//             length-prefixed opaque block (Agent::SaveState(), Trainer)
//   u64       FNV-1a 64 checksum of everything before it
// A missing file is NotFound; a file that is not a checkpoint, or of another
// format version, InvalidArgument; a truncated or corrupt one (wrong size,
// wrong checksum, a block that does not parse) DataLoss; one made for
// another agent, env or spaces FailedPrecondition. Never a crash.
//
// Files are written to "<path>.tmp" and renamed over `path`, so a process
// killed while saving leaves the previous checkpoint intact.
//
// Example:
//   RL_RETURN_IF_ERROR(SaveAgent("/tmp/ppo.ckpt", "ppo", context, *agent,
//                                /*steps=*/150000));
//   CheckpointHeader header;
//   RL_ASSIGN_OR_RETURN(std::unique_ptr<Agent> restored,
//                       LoadAgent("/tmp/ppo.ckpt", &header));
#ifndef RL_AGENTS_CHECKPOINT_H_
#define RL_AGENTS_CHECKPOINT_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rl/agents/agent.h"
#include "rl/envs/space.h"

namespace rl {

inline constexpr uint32_t kCheckpointVersion = 1;

struct CheckpointHeader {
  std::string agent;   // Registry name, e.g. "ppo".
  std::string env_id;  // e.g. "CartPole-v1"; may be empty.
  Space observation_space;
  Space action_space;
  uint64_t seed = 0;
  int64_t steps = 0;        // Env steps trained when saved.
  HyperParams hyperparams;  // The agent's resolved hyper-parameters.

  // The context that re-creates the agent.
  AgentContext Context() const;
};

struct Checkpoint {
  CheckpointHeader header;
  std::string agent_state;    // Agent::SaveState()
  std::string trainer_state;  // Empty unless written by a Trainer.
};

// The file's bytes, and back. `source` names the bytes in errors (a path).
std::string EncodeCheckpoint(const Checkpoint& checkpoint);
absl::StatusOr<Checkpoint> DecodeCheckpoint(absl::string_view bytes,
                                            absl::string_view source);

absl::Status WriteCheckpoint(const std::string& path,
                             const Checkpoint& checkpoint);
absl::StatusOr<Checkpoint> ReadCheckpoint(const std::string& path);

// FailedPrecondition unless the checkpoint was made for this agent, env and
// spaces; the message names what differs.
absl::Status CheckCheckpointMatches(const CheckpointHeader& header,
                                    absl::string_view agent,
                                    absl::string_view env_id,
                                    const Space& observation_space,
                                    const Space& action_space);

// Saves `agent` (created as `agent_name` with `context`) alone.
absl::Status SaveAgent(const std::string& path, absl::string_view agent_name,
                       const AgentContext& context, const Agent& agent,
                       int64_t steps);

// Re-creates the agent a checkpoint was made from (its name, spaces, seed,
// env id and hyper-parameters) and loads its state. `header`, if not null,
// receives the header.
absl::StatusOr<std::unique_ptr<Agent>> LoadAgent(
    const std::string& path, CheckpointHeader* header = nullptr);

// As LoadAgent, from a checkpoint already read.
absl::StatusOr<std::unique_ptr<Agent>> RestoreAgent(
    const Checkpoint& checkpoint, absl::string_view source);

// Whether two spaces are identical (kind, n, shape and every bound).
bool SameSpace(const Space& a, const Space& b);

}  // namespace rl

#endif  // RL_AGENTS_CHECKPOINT_H_
