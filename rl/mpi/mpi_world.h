// MpiWorld: the Collective of the processes an MPI launcher started (mpirun,
// Slurm's srun with PMIx or PMI2, MPICH's hydra), on MPI_COMM_WORLD.
//
// MPI is initialised only when the process was started by such a launcher
// (LaunchedByMpi(): the variables they set); a binary started on its own
// never calls into MPI, so it needs no mpirun, no daemons and no network,
// and behaves exactly as a single process always did. Only the thread that
// called Init() makes MPI calls (MPI_THREAD_FUNNELED).
//
// Failure: MPI_ERRORS_RETURN is set, so a failed call is a Status naming
// the call; a rank that dies is noticed by the launcher, which ends the
// whole job (mpirun prints which rank and why). Abort() ends every rank.
//
// Example:
//   if (rl::LaunchedByMpi()) {
//     RL_ASSIGN_OR_RETURN(std::unique_ptr<rl::MpiWorld> world,
//                         rl::MpiWorld::Init());
//     options.collective = world.get();
//   }
#ifndef RL_MPI_MPI_WORLD_H_
#define RL_MPI_MPI_WORLD_H_

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "rl/core/collective.h"

namespace rl {

// Whether an MPI launcher started this process (OMPI_COMM_WORLD_SIZE from
// Open MPI's mpirun, PMIX_RANK from PMIx launchers such as srun
// --mpi=pmix, PMI_RANK from PMI2 and hydra).
bool LaunchedByMpi();

class MpiWorld : public Collective {
 public:
  // MPI_Init_thread once per process; Unavailable if MPI refuses.
  static absl::StatusOr<std::unique_ptr<MpiWorld>> Init();
  // MPI_Finalize.
  ~MpiWorld() override;
  MpiWorld(const MpiWorld&) = delete;
  MpiWorld& operator=(const MpiWorld&) = delete;

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  absl::Status SumFloats(float* values, size_t count) override;
  absl::Status SumDoubles(double* values, size_t count) override;
  absl::Status MaxInts(long long* values, size_t count) override;
  absl::Status Broadcast(std::string* bytes) override;
  absl::Status Gather(const std::string& bytes,
                      std::vector<std::string>* at_root) override;

  // Ends every rank of the job with `exit_code` (MPI_Abort); for an error
  // after which the others would wait for this rank forever.
  [[noreturn]] void Abort(int exit_code);

  // The host this rank runs on (MPI_Get_processor_name).
  const std::string& host() const { return host_; }
  // Bytes this rank gave to collectives so far (the payload asked for; the
  // algorithm's own traffic is MPI's), their count, and the seconds spent
  // in them (waiting for slower ranks included).
  long long bytes_sent() const { return bytes_sent_; }
  long long calls() const { return calls_; }
  double seconds() const { return seconds_; }

 private:
  MpiWorld() = default;

  int rank_ = 0;
  int size_ = 1;
  std::string host_;
  long long bytes_sent_ = 0;
  long long calls_ = 0;
  double seconds_ = 0;
};

}  // namespace rl

#endif  // RL_MPI_MPI_WORLD_H_
