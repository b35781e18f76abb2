// Collective: what data-parallel copies of one learner need from each other,
// and nothing more. Each copy (a "rank", 0..size()-1) runs the same program
// on its own envs; they stay in agreement through these calls, which every
// rank makes in the same order with the same sizes (a mismatch is the
// caller's bug and, with MPI, hangs or aborts the job).
//
// The interface keeps agents and the episode loop free of any transport:
// rl/mpi implements it on MPI (the train binary under mpirun); a null
// Collective* everywhere means one process, which behaves exactly as before
// data-parallel training existed.
//
// Example (averaging a gradient):
//   RL_RETURN_IF_ERROR(collective->SumFloats(grad.data(), grad.size()));
//   for (float& g : grad) g /= collective->size();
#ifndef RL_CORE_COLLECTIVE_H_
#define RL_CORE_COLLECTIVE_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace rl {

class Collective {
 public:
  virtual ~Collective() = default;

  virtual int rank() const = 0;
  virtual int size() const = 0;

  // Element-wise sums over all ranks, in place. Every rank gets the same
  // bits (implementations must not let the summation order differ between
  // ranks), so copies that apply the same update stay bit-identical.
  virtual absl::Status SumFloats(float* values, size_t count) = 0;
  virtual absl::Status SumDoubles(double* values, size_t count) = 0;
  // Element-wise maximum over all ranks, in place.
  virtual absl::Status MaxInts(long long* values, size_t count) = 0;
  // Rank 0's bytes to every rank (*bytes is replaced on ranks > 0).
  virtual absl::Status Broadcast(std::string* bytes) = 0;
  // Every rank's bytes to rank 0, in rank order (*at_root is filled on
  // rank 0 only; other ranks may pass null).
  virtual absl::Status Gather(const std::string& bytes,
                              std::vector<std::string>* at_root) = 0;
};

// Whether `collective` joins more than one process.
inline bool IsDataParallel(const Collective* collective) {
  return collective != nullptr && collective->size() > 1;
}

}  // namespace rl

#endif  // RL_CORE_COLLECTIVE_H_
