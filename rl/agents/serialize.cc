#include "rl/agents/serialize.h"

#include <cstring>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace rl {
namespace {

void PutLittleEndian(uint64_t value, int bytes, std::string* out) {
  for (int i = 0; i < bytes; ++i) {
    out->push_back(static_cast<char>((value >> (8 * i)) & 0xff));
  }
}

uint64_t GetLittleEndian(const char* data, int bytes) {
  uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) {
    value |= static_cast<uint64_t>(static_cast<unsigned char>(data[i]))
             << (8 * i);
  }
  return value;
}

}  // namespace

void ByteWriter::U32(uint32_t value) { PutLittleEndian(value, 4, &bytes_); }
void ByteWriter::U64(uint64_t value) { PutLittleEndian(value, 8, &bytes_); }

void ByteWriter::F32(float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  U32(bits);
}

void ByteWriter::F64(double value) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  U64(bits);
}

void ByteWriter::String(absl::string_view value) {
  U64(value.size());
  bytes_.append(value.data(), value.size());
}

void ByteWriter::Floats(const float* values, size_t count) {
  U64(count);
  bytes_.reserve(bytes_.size() + 4 * count);
  for (size_t i = 0; i < count; ++i) F32(values[i]);
}

void ByteWriter::Doubles(const std::vector<double>& values) {
  U64(values.size());
  for (double value : values) F64(value);
}

void ByteWriter::I64s(const std::vector<int64_t>& values) {
  U64(values.size());
  for (int64_t value : values) I64(value);
}

void ByteWriter::Rng(const std::mt19937_64& rng) {
  std::ostringstream text;
  text << rng;
  String(text.str());
}

absl::Status ByteReader::Error(absl::string_view message) const {
  return absl::DataLossError(absl::StrCat(context_, ": ", message));
}

absl::Status ByteReader::Take(size_t count, absl::string_view what,
                              const char** data) {
  if (count > remaining()) {
    return Error(absl::StrCat("truncated: ", what, " needs ", count,
                              " bytes at offset ", offset_, ", only ",
                              remaining(), " left"));
  }
  *data = bytes_.data() + offset_;
  offset_ += count;
  return absl::OkStatus();
}

absl::Status ByteReader::U8(uint8_t* value) {
  const char* data;
  absl::Status status = Take(1, "a byte", &data);
  if (!status.ok()) return status;
  *value = static_cast<uint8_t>(data[0]);
  return absl::OkStatus();
}

absl::Status ByteReader::Bool(bool* value) {
  uint8_t byte;
  absl::Status status = U8(&byte);
  if (!status.ok()) return status;
  if (byte > 1) {
    return Error(absl::StrCat("a flag at offset ", offset_ - 1, " is ",
                              static_cast<int>(byte), ", not 0 or 1"));
  }
  *value = byte == 1;
  return absl::OkStatus();
}

absl::Status ByteReader::U32(uint32_t* value) {
  const char* data;
  absl::Status status = Take(4, "a 32-bit integer", &data);
  if (!status.ok()) return status;
  *value = static_cast<uint32_t>(GetLittleEndian(data, 4));
  return absl::OkStatus();
}

absl::Status ByteReader::U64(uint64_t* value) {
  const char* data;
  absl::Status status = Take(8, "a 64-bit integer", &data);
  if (!status.ok()) return status;
  *value = GetLittleEndian(data, 8);
  return absl::OkStatus();
}

absl::Status ByteReader::I64(int64_t* value) {
  uint64_t bits;
  absl::Status status = U64(&bits);
  if (status.ok()) *value = static_cast<int64_t>(bits);
  return status;
}

absl::Status ByteReader::F32(float* value) {
  uint32_t bits;
  absl::Status status = U32(&bits);
  if (status.ok()) std::memcpy(value, &bits, sizeof(bits));
  return status;
}

absl::Status ByteReader::F64(double* value) {
  uint64_t bits;
  absl::Status status = U64(&bits);
  if (status.ok()) std::memcpy(value, &bits, sizeof(bits));
  return status;
}

absl::Status ByteReader::Count(size_t element_size, absl::string_view what,
                               uint64_t* count) {
  absl::Status status = U64(count);
  if (!status.ok()) return status;
  if (*count > remaining() / element_size) {
    return Error(absl::StrCat("truncated or corrupt: ", what, " claims ",
                              *count, " elements of ", element_size,
                              " bytes at offset ", offset_, ", only ",
                              remaining(), " bytes left"));
  }
  return absl::OkStatus();
}

absl::Status ByteReader::String(std::string* value) {
  uint64_t count;
  absl::Status status = Count(1, "a string", &count);
  if (!status.ok()) return status;
  const char* data;
  status = Take(count, "a string", &data);
  if (status.ok()) value->assign(data, count);
  return status;
}

absl::Status ByteReader::Floats(std::vector<float>* values) {
  uint64_t count;
  absl::Status status = Count(4, "a float array", &count);
  if (!status.ok()) return status;
  values->resize(count);
  for (uint64_t i = 0; i < count; ++i) {
    status = F32(&(*values)[i]);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status ByteReader::FloatsExact(float* values, size_t count,
                                     absl::string_view what) {
  uint64_t stored;
  absl::Status status = Count(4, what, &stored);
  if (!status.ok()) return status;
  if (stored != count) {
    return Error(absl::StrCat(what, " has ", stored, " values, this agent has ",
                              count,
                              ": the checkpoint was written with "
                              "other hyper-parameters or spaces"));
  }
  for (size_t i = 0; i < count; ++i) {
    status = F32(&values[i]);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status ByteReader::Doubles(std::vector<double>* values) {
  uint64_t count;
  absl::Status status = Count(8, "a double array", &count);
  if (!status.ok()) return status;
  values->resize(count);
  for (uint64_t i = 0; i < count; ++i) {
    status = F64(&(*values)[i]);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status ByteReader::I64s(std::vector<int64_t>* values) {
  uint64_t count;
  absl::Status status = Count(8, "an integer array", &count);
  if (!status.ok()) return status;
  values->resize(count);
  for (uint64_t i = 0; i < count; ++i) {
    status = I64(&(*values)[i]);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

absl::Status ByteReader::Rng(std::mt19937_64* rng) {
  std::string text;
  absl::Status status = String(&text);
  if (!status.ok()) return status;
  std::istringstream in(text);
  std::mt19937_64 parsed;
  in >> parsed;
  if (in.fail()) return Error("the random generator state does not parse");
  *rng = parsed;
  return absl::OkStatus();
}

absl::Status ByteReader::ExpectEnd() const {
  if (remaining() == 0) return absl::OkStatus();
  return Error(
      absl::StrCat(remaining(), " unexpected bytes after offset ", offset_));
}

void ByteWriter::Bytes(const std::vector<uint8_t>& values) {
  String(absl::string_view(reinterpret_cast<const char*>(values.data()),
                           values.size()));
}

absl::Status ByteReader::Bytes(std::vector<uint8_t>* values) {
  std::string bytes;
  if (absl::Status status = String(&bytes); !status.ok()) return status;
  values->assign(bytes.begin(), bytes.end());
  return absl::OkStatus();
}

absl::Status ByteReader::Indices(std::vector<int64_t>* values, int64_t count,
                                 absl::string_view what) {
  if (absl::Status status = I64s(values); !status.ok()) return status;
  for (int64_t value : *values) {
    if (value < 0 || value >= count) {
      return Error(absl::StrCat(what, " out of range"));
    }
  }
  return absl::OkStatus();
}

}  // namespace rl
