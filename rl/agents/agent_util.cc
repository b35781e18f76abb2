#include "rl/agents/agent_util.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "rl/core/status_macros.h"

namespace rl {

absl::StatusOr<ObservationEncoder> ObservationEncoder::Create(
    const Space& space, absl::string_view agent) {
  ObservationEncoder encoder;
  encoder.agent_ = std::string(agent);
  if (space.kind == Space::Kind::kDiscrete) {
    if (space.n <= 0 || space.n > (1 << 20)) {
      return absl::InvalidArgumentError(
          absl::StrCat(agent, ": observation space ", space.ToString(),
                       " is empty or too large to one-hot encode"));
    }
    encoder.one_hot_ = true;
    encoder.size_ = static_cast<int>(space.n);
  } else {
    if (space.low.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          agent, ": observation space ", space.ToString(), " is empty"));
    }
    encoder.size_ = static_cast<int>(space.low.size());
  }
  return encoder;
}

absl::Status ObservationEncoder::Check(const Observation& observation) const {
  if (one_hot_) {
    if (observation.size() == 1 && observation[0] >= 0 &&
        observation[0] < static_cast<float>(size_) &&
        std::floor(observation[0]) == observation[0]) {
      return absl::OkStatus();
    }
    return absl::InvalidArgumentError(absl::StrCat(
        agent_, ": observation is not an index of Discrete(", size_, ")"));
  }
  if (static_cast<int>(observation.size()) != size_) {
    return absl::InvalidArgumentError(
        absl::StrCat(agent_, ": observation has ", observation.size(),
                     " values, the observation space has ", size_));
  }
  return absl::OkStatus();
}

void ObservationEncoder::Encode(const Observation& observation,
                                float* out) const {
  if (one_hot_) {
    std::fill(out, out + size_, 0.0f);
    out[static_cast<int>(observation[0])] = 1.0f;
  } else {
    std::copy(observation.begin(), observation.end(), out);
  }
}

double LinearSchedule(double start, double end, int64_t steps, int64_t step) {
  if (steps <= 0 || step >= steps) return end;
  return start + (end - start) * (static_cast<double>(step) / steps);
}

void WriteStateHead(absl::string_view agent, uint32_t version,
                    ByteWriter* out) {
  out->String(agent);
  out->U32(version);
}

absl::Status ReadStateHead(absl::string_view agent, uint32_t version,
                           ByteReader* in) {
  std::string name;
  uint32_t stored;
  RL_RETURN_IF_ERROR(in->String(&name));
  if (name != agent) {
    return absl::FailedPreconditionError(
        absl::StrCat("the state is of agent '", name, "', not '", agent, "'"));
  }
  RL_RETURN_IF_ERROR(in->U32(&stored));
  if (stored != version) {
    return absl::InvalidArgumentError(
        absl::StrCat(agent, " state format version ", stored,
                     ", this build reads version ", version));
  }
  return absl::OkStatus();
}

void WriteAdamState(const nn::Adam<float>& adam, ByteWriter* out) {
  out->I64(adam.steps());
  for (size_t b = 0; b < adam.first_moments().size(); ++b) {
    out->Floats(adam.first_moments()[b]);
    out->Floats(adam.second_moments()[b]);
  }
}

absl::Status ReadAdamState(ByteReader* in, nn::Adam<float>* adam) {
  int64_t steps;
  RL_RETURN_IF_ERROR(in->I64(&steps));
  adam->set_steps(steps);
  for (size_t b = 0; b < adam->first_moments().size(); ++b) {
    RL_RETURN_IF_ERROR(in->FloatsExact(adam->first_moments()[b].data(),
                                       adam->first_moments()[b].size(),
                                       "Adam moments"));
    RL_RETURN_IF_ERROR(in->FloatsExact(adam->second_moments()[b].data(),
                                       adam->second_moments()[b].size(),
                                       "Adam moments"));
  }
  return absl::OkStatus();
}

}  // namespace rl
