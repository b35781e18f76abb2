#include "rl/agents/checkpoint.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "rl/agents/hyperparams.h"
#include "rl/agents/serialize.h"
#include "rl/core/file_util.h"
#include "rl/core/status_macros.h"

namespace rl {
namespace {

constexpr char kMagic[8] = {'H', 'R', 'L', 'C', 'K', 'P', 'T', '\n'};
constexpr size_t kPrefixSize = 8 + 4 + 8;  // magic, version, body size
constexpr size_t kChecksumSize = 8;

uint64_t Fnv1a64(absl::string_view bytes) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

uint64_t ReadU64At(absl::string_view bytes, size_t offset) {
  uint64_t value = 0;
  for (int i = 0; i < 8; ++i) {
    value |=
        static_cast<uint64_t>(static_cast<unsigned char>(bytes[offset + i]))
        << (8 * i);
  }
  return value;
}

void WriteSpace(const Space& space, ByteWriter* out) {
  out->U8(space.kind == Space::Kind::kDiscrete ? 0 : 1);
  out->I64(space.n);
  out->I64s(space.shape);
  out->Floats(space.low);
  out->Floats(space.high);
}

absl::Status ReadSpace(ByteReader* in, Space* space) {
  uint8_t kind;
  RL_RETURN_IF_ERROR(in->U8(&kind));
  if (kind > 1) return in->Error(absl::StrCat("unknown space kind ", kind));
  space->kind = kind == 0 ? Space::Kind::kDiscrete : Space::Kind::kBox;
  RL_RETURN_IF_ERROR(in->I64(&space->n));
  RL_RETURN_IF_ERROR(in->I64s(&space->shape));
  RL_RETURN_IF_ERROR(in->Floats(&space->low));
  RL_RETURN_IF_ERROR(in->Floats(&space->high));
  return absl::OkStatus();
}

// Checks the file's first bytes (`bytes`, at least the prefix if the file
// has it) against a file of `file_size` bytes: magic, version, size.
absl::Status CheckPrefix(absl::string_view bytes, uint64_t file_size,
                         const std::string& where) {
  if (bytes.size() < sizeof(kMagic) ||
      std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) {
    if (bytes.size() < sizeof(kMagic) &&
        std::memcmp(bytes.data(), kMagic, bytes.size()) == 0) {
      return absl::DataLossError(
          absl::StrCat(where, ": truncated: only ", file_size, " bytes"));
    }
    return absl::InvalidArgumentError(
        absl::StrCat(where,
                     ": not a headless_rl checkpoint (no HRLCKPT "
                     "magic at the start)"));
  }
  if (file_size < kPrefixSize + kChecksumSize) {
    return absl::DataLossError(absl::StrCat(
        where, ": truncated: ", file_size, " bytes, a checkpoint has at least ",
        kPrefixSize + kChecksumSize));
  }
  ByteReader prefix(bytes.substr(sizeof(kMagic), 12), where);
  uint32_t version;
  uint64_t body_size;
  RL_RETURN_IF_ERROR(prefix.U32(&version));
  RL_RETURN_IF_ERROR(prefix.U64(&body_size));
  if (version != kCheckpointVersion) {
    return absl::InvalidArgumentError(absl::StrCat(
        where, ": format version ", version, ", this build reads version ",
        kCheckpointVersion, "; use the build that wrote it"));
  }
  const size_t expected = kPrefixSize + kChecksumSize;
  if (body_size > file_size || file_size - expected != body_size) {
    return absl::DataLossError(
        absl::StrCat(where, ": truncated or padded: the header announces ",
                     body_size + expected, " bytes, the file has ", file_size));
  }
  return absl::OkStatus();
}

}  // namespace

AgentContext CheckpointHeader::Context() const {
  AgentContext context;
  context.observation_space = observation_space;
  context.action_space = action_space;
  context.seed = seed;
  context.env_id = env_id;
  context.hyperparams = hyperparams;
  return context;
}

bool SameSpace(const Space& a, const Space& b) {
  if (a.kind != b.kind) return false;
  if (a.kind == Space::Kind::kDiscrete) return a.n == b.n;
  if (a.shape != b.shape || a.low.size() != b.low.size() ||
      a.high.size() != b.high.size()) {
    return false;
  }
  // Bitwise, so infinities compare equal and NaN bounds (never valid) do not.
  return std::memcmp(a.low.data(), b.low.data(), 4 * a.low.size()) == 0 &&
         std::memcmp(a.high.data(), b.high.data(), 4 * a.high.size()) == 0;
}

std::string EncodeCheckpoint(const Checkpoint& checkpoint) {
  const CheckpointHeader& header = checkpoint.header;
  ByteWriter body;
  body.String(header.agent);
  body.String(header.env_id);
  WriteSpace(header.observation_space, &body);
  WriteSpace(header.action_space, &body);
  body.U64(header.seed);
  body.I64(header.steps);
  body.U64(header.hyperparams.size());
  for (const auto& [key, value] : header.hyperparams) {
    body.String(key);
    body.String(value);
  }
  body.String(checkpoint.agent_state);
  body.String(checkpoint.trainer_state);

  ByteWriter file;
  std::string bytes(kMagic, sizeof(kMagic));
  file.U32(kCheckpointVersion);
  file.U64(body.bytes().size());
  bytes += file.bytes();
  bytes += body.bytes();
  ByteWriter checksum;
  checksum.U64(Fnv1a64(bytes));
  bytes += checksum.bytes();
  return bytes;
}

absl::StatusOr<Checkpoint> DecodeCheckpoint(absl::string_view bytes,
                                            absl::string_view source) {
  const std::string where = absl::StrCat("checkpoint ", source);
  RL_RETURN_IF_ERROR(CheckPrefix(bytes, bytes.size(), where));
  const uint64_t body_size = ReadU64At(bytes, sizeof(kMagic) + 4);
  const absl::string_view covered = bytes.substr(0, kPrefixSize + body_size);
  const uint64_t stored = ReadU64At(bytes, kPrefixSize + body_size);
  if (Fnv1a64(covered) != stored) {
    return absl::DataLossError(absl::StrCat(
        where,
        ": checksum mismatch: the file is corrupt (changed after it "
        "was written)"));
  }

  Checkpoint checkpoint;
  CheckpointHeader& header = checkpoint.header;
  ByteReader body(bytes.substr(kPrefixSize, body_size), where);
  RL_RETURN_IF_ERROR(body.String(&header.agent));
  RL_RETURN_IF_ERROR(body.String(&header.env_id));
  RL_RETURN_IF_ERROR(ReadSpace(&body, &header.observation_space));
  RL_RETURN_IF_ERROR(ReadSpace(&body, &header.action_space));
  RL_RETURN_IF_ERROR(body.U64(&header.seed));
  RL_RETURN_IF_ERROR(body.I64(&header.steps));
  uint64_t count;
  RL_RETURN_IF_ERROR(body.U64(&count));
  if (count > body.remaining() / 16) {
    return body.Error(absl::StrCat("corrupt: ", count, " hyper-parameters"));
  }
  for (uint64_t i = 0; i < count; ++i) {
    std::string key, value;
    RL_RETURN_IF_ERROR(body.String(&key));
    RL_RETURN_IF_ERROR(body.String(&value));
    header.hyperparams[key] = value;
  }
  RL_RETURN_IF_ERROR(body.String(&checkpoint.agent_state));
  RL_RETURN_IF_ERROR(body.String(&checkpoint.trainer_state));
  RL_RETURN_IF_ERROR(body.ExpectEnd());
  return checkpoint;
}

absl::Status WriteCheckpoint(const std::string& path,
                             const Checkpoint& checkpoint) {
  // fsync'ed before the rename: a checkpoint that says it was saved is.
  absl::Status status =
      WriteFileAtomically(path, EncodeCheckpoint(checkpoint), /*sync=*/true);
  if (status.ok()) return status;
  return absl::Status(status.code(), absl::StrCat("cannot write checkpoint: ",
                                                  status.message()));
}

absl::StatusOr<Checkpoint> ReadCheckpoint(const std::string& path) {
  const std::string where = absl::StrCat("checkpoint ", path);
  // What the path is, before anything is read: a directory, a FIFO or a
  // device (/dev/zero) is refused at once instead of blocking or filling
  // memory.
  struct stat info;
  if (stat(path.c_str(), &info) != 0) {
    if (errno == ENOENT) {
      return absl::NotFoundError(absl::StrCat(where, ": no such file"));
    }
    return absl::PermissionDeniedError(
        absl::StrCat(where, ": cannot open: ", std::strerror(errno)));
  }
  if (S_ISDIR(info.st_mode)) {
    return absl::InvalidArgumentError(
        absl::StrCat(where,
                     " is a directory; pass a checkpoint file, e.g. "
                     "RUN_DIR/checkpoints/latest.ckpt"));
  }
  if (!S_ISREG(info.st_mode)) {
    return absl::InvalidArgumentError(
        absl::StrCat(where,
                     " is not a regular file (a pipe or a device); pass a "
                     "checkpoint file, e.g. RUN_DIR/checkpoints/latest.ckpt"));
  }
  const int fd = open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    return absl::PermissionDeniedError(
        absl::StrCat(where, ": cannot open: ", std::strerror(errno)));
  }
  // Reads up to `size` bytes at the current offset into `out`.
  auto read_bytes = [fd](size_t size, std::string* out) {
    out->resize(size);
    size_t done = 0;
    while (done < size) {
      const ssize_t n = read(fd, out->data() + done, size - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    out->resize(done);
  };
  struct stat opened;
  if (fstat(fd, &opened) != 0 || !S_ISREG(opened.st_mode)) {
    close(fd);
    return absl::InvalidArgumentError(
        absl::StrCat(where, " is not a regular file"));
  }
  const uint64_t file_size = static_cast<uint64_t>(opened.st_size);
  // The prefix first: magic, version and announced size are checked against
  // the file's size before the body is read, so a large file that is not a
  // checkpoint costs a few bytes, not its size in memory.
  std::string bytes;
  read_bytes(kPrefixSize, &bytes);
  absl::Status prefix = CheckPrefix(bytes, file_size, where);
  if (prefix.ok()) {
    std::string rest;
    read_bytes(file_size - bytes.size(), &rest);
    bytes += rest;
  }
  close(fd);
  RL_RETURN_IF_ERROR(prefix);
  return DecodeCheckpoint(bytes, path);
}

absl::Status CheckCheckpointMatches(const CheckpointHeader& header,
                                    absl::string_view agent,
                                    absl::string_view env_id,
                                    const Space& observation_space,
                                    const Space& action_space) {
  if (header.agent != agent) {
    return absl::FailedPreconditionError(absl::StrCat(
        "checkpoint is for agent '", header.agent, "', not '", agent, "'"));
  }
  if (header.env_id != env_id) {
    return absl::FailedPreconditionError(absl::StrCat(
        "checkpoint is for env '", header.env_id, "', not '", env_id, "'"));
  }
  if (!SameSpace(header.observation_space, observation_space)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "checkpoint's observation space ", header.observation_space.ToString(),
        " differs from the env's ", observation_space.ToString()));
  }
  if (!SameSpace(header.action_space, action_space)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "checkpoint's action space ", header.action_space.ToString(),
        " differs from the env's ", action_space.ToString()));
  }
  return absl::OkStatus();
}

absl::Status SaveAgent(const std::string& path, absl::string_view agent_name,
                       const AgentContext& context, const Agent& agent,
                       int64_t steps) {
  Checkpoint checkpoint;
  checkpoint.header.agent = std::string(agent_name);
  checkpoint.header.env_id = context.env_id;
  checkpoint.header.observation_space = context.observation_space;
  checkpoint.header.action_space = context.action_space;
  checkpoint.header.seed = context.seed;
  checkpoint.header.steps = steps;
  checkpoint.header.hyperparams = agent.hyperparams();
  RL_ASSIGN_OR_RETURN(checkpoint.agent_state, agent.SaveState());
  return WriteCheckpoint(path, checkpoint);
}

absl::StatusOr<std::unique_ptr<Agent>> RestoreAgent(
    const Checkpoint& checkpoint, absl::string_view source) {
  const CheckpointHeader& header = checkpoint.header;
  absl::StatusOr<std::unique_ptr<Agent>> agent =
      CreateAgent(header.agent, header.Context());
  if (!agent.ok()) {
    return absl::Status(
        agent.status().code(),
        absl::StrCat("checkpoint ", source, ": cannot re-create its agent: ",
                     agent.status().message()));
  }
  absl::Status status = (*agent)->LoadState(checkpoint.agent_state);
  if (!status.ok()) {
    return absl::Status(status.code(), absl::StrCat("checkpoint ", source, ": ",
                                                    status.message()));
  }
  return agent;
}

absl::StatusOr<std::unique_ptr<Agent>> LoadAgent(const std::string& path,
                                                 CheckpointHeader* header) {
  RL_ASSIGN_OR_RETURN(Checkpoint checkpoint, ReadCheckpoint(path));
  if (header != nullptr) *header = checkpoint.header;
  return RestoreAgent(checkpoint, path);
}

}  // namespace rl
