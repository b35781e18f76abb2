#include "rl/mpi/mpi_world.h"

#include <mpi/mpi.h>

#include <chrono>
#include <cstdlib>
#include <limits>

#include "absl/strings/str_cat.h"

namespace rl {
namespace {

absl::Status Check(int code, const char* call) {
  if (code == MPI_SUCCESS) return absl::OkStatus();
  char text[MPI_MAX_ERROR_STRING] = {0};
  int length = 0;
  MPI_Error_string(code, text, &length);
  return absl::UnavailableError(
      absl::StrCat(call, " failed: ", std::string(text, length)));
}

// MPI counts are ints: larger payloads would need splitting, which nothing
// here sends (a PPO gradient is a few MB at most).
absl::Status CheckCount(size_t count, const char* call) {
  if (count <= static_cast<size_t>(std::numeric_limits<int>::max())) {
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat(call, ": ", count, " elements exceed MPI's int count"));
}

// Adds the seconds from construction to destruction to *total.
class Timed {
 public:
  explicit Timed(double* total)
      : total_(total), start_(std::chrono::steady_clock::now()) {}
  ~Timed() {
    *total_ +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_)
            .count();
  }

 private:
  double* total_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace

bool LaunchedByMpi() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"}) {
    if (std::getenv(name) != nullptr) return true;
  }
  return false;
}

absl::StatusOr<std::unique_ptr<MpiWorld>> MpiWorld::Init() {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (initialized) {
    return absl::FailedPreconditionError("MPI is already initialised");
  }
  int provided = 0;
  // The library's own threads (recorders, the live view) never call MPI.
  if (absl::Status status = Check(
          MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided),
          "MPI_Init_thread");
      !status.ok()) {
    return status;
  }
  std::unique_ptr<MpiWorld> world(new MpiWorld());
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  MPI_Comm_rank(MPI_COMM_WORLD, &world->rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &world->size_);
  char host[MPI_MAX_PROCESSOR_NAME] = {0};
  int length = 0;
  MPI_Get_processor_name(host, &length);
  world->host_.assign(host, length);
  return world;
}

MpiWorld::~MpiWorld() { MPI_Finalize(); }

void MpiWorld::Abort(int exit_code) {
  MPI_Abort(MPI_COMM_WORLD, exit_code);
  std::_Exit(exit_code);  // MPI_Abort does not return; if it did, still end.
}

absl::Status MpiWorld::SumFloats(float* values, size_t count) {
  Timed timed(&seconds_);
  if (absl::Status s = CheckCount(count, "SumFloats"); !s.ok()) return s;
  bytes_sent_ += static_cast<long long>(count * sizeof(float));
  ++calls_;
  return Check(MPI_Allreduce(MPI_IN_PLACE, values, static_cast<int>(count),
                             MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD),
               "MPI_Allreduce (sum of floats)");
}

absl::Status MpiWorld::SumDoubles(double* values, size_t count) {
  Timed timed(&seconds_);
  if (absl::Status s = CheckCount(count, "SumDoubles"); !s.ok()) return s;
  bytes_sent_ += static_cast<long long>(count * sizeof(double));
  ++calls_;
  return Check(MPI_Allreduce(MPI_IN_PLACE, values, static_cast<int>(count),
                             MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD),
               "MPI_Allreduce (sum of doubles)");
}

absl::Status MpiWorld::MaxInts(long long* values, size_t count) {
  Timed timed(&seconds_);
  if (absl::Status s = CheckCount(count, "MaxInts"); !s.ok()) return s;
  bytes_sent_ += static_cast<long long>(count * sizeof(long long));
  ++calls_;
  return Check(MPI_Allreduce(MPI_IN_PLACE, values, static_cast<int>(count),
                             MPI_LONG_LONG, MPI_MAX, MPI_COMM_WORLD),
               "MPI_Allreduce (max)");
}

absl::Status MpiWorld::Broadcast(std::string* bytes) {
  Timed timed(&seconds_);
  long long size = static_cast<long long>(bytes->size());
  ++calls_;
  if (absl::Status s =
          Check(MPI_Bcast(&size, 1, MPI_LONG_LONG, 0, MPI_COMM_WORLD),
                "MPI_Bcast (size)");
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckCount(static_cast<size_t>(size), "Broadcast");
      !s.ok()) {
    return s;
  }
  bytes->resize(static_cast<size_t>(size));
  if (rank_ == 0) bytes_sent_ += size;
  return Check(MPI_Bcast(bytes->data(), static_cast<int>(size), MPI_BYTE, 0,
                         MPI_COMM_WORLD),
               "MPI_Bcast");
}

absl::Status MpiWorld::Gather(const std::string& bytes,
                              std::vector<std::string>* at_root) {
  Timed timed(&seconds_);
  if (absl::Status s = CheckCount(bytes.size(), "Gather"); !s.ok()) return s;
  ++calls_;
  bytes_sent_ += static_cast<long long>(bytes.size());
  int size = static_cast<int>(bytes.size());
  std::vector<int> sizes(rank_ == 0 ? size_ : 0);
  if (absl::Status s = Check(MPI_Gather(&size, 1, MPI_INT, sizes.data(), 1,
                                        MPI_INT, 0, MPI_COMM_WORLD),
                             "MPI_Gather (sizes)");
      !s.ok()) {
    return s;
  }
  std::vector<int> offsets(sizes.size());
  long long total = 0;
  for (size_t r = 0; r < sizes.size(); ++r) {
    offsets[r] = static_cast<int>(total);
    total += sizes[r];
  }
  if (total > std::numeric_limits<int>::max()) {
    return absl::InvalidArgumentError(
        absl::StrCat("Gather: ", total, " bytes exceed MPI's int count"));
  }
  std::string all(static_cast<size_t>(total), '\0');
  if (absl::Status s = Check(
          MPI_Gatherv(bytes.data(), size, MPI_BYTE, all.data(), sizes.data(),
                      offsets.data(), MPI_BYTE, 0, MPI_COMM_WORLD),
          "MPI_Gatherv");
      !s.ok()) {
    return s;
  }
  if (rank_ == 0 && at_root != nullptr) {
    at_root->resize(size_);
    for (int r = 0; r < size_; ++r) {
      (*at_root)[r] = all.substr(offsets[r], sizes[r]);
    }
  }
  return absl::OkStatus();
}

}  // namespace rl
