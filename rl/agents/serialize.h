// ByteWriter / ByteReader: the little-endian binary encoding of agent and
// trainer state inside checkpoints. Every read is bounds-checked: reading
// past the end, or a length prefix larger than what is left, is a DataLoss
// error naming what was being read; nothing is allocated from an unchecked
// length.
//
// Example:
//   ByteWriter out;
//   out.U32(1);                      // format version
//   out.Floats(params.data(), params.size());
//   std::string bytes = out.Release();
//
//   ByteReader in(bytes, "dqn state");
//   uint32_t version;
//   RL_RETURN_IF_ERROR(in.U32(&version));
//   RL_RETURN_IF_ERROR(in.FloatsExact(params.data(), params.size(), "q net"));
//   RL_RETURN_IF_ERROR(in.ExpectEnd());
#ifndef RL_AGENTS_SERIALIZE_H_
#define RL_AGENTS_SERIALIZE_H_

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace rl {

class ByteWriter {
 public:
  void U8(uint8_t value) { bytes_.push_back(static_cast<char>(value)); }
  void Bool(bool value) { U8(value ? 1 : 0); }
  void U32(uint32_t value);
  void U64(uint64_t value);
  void I64(int64_t value) { U64(static_cast<uint64_t>(value)); }
  void F32(float value);
  void F64(double value);
  // A U64 length, then the bytes.
  void String(absl::string_view value);
  // A U64 count, then the values.
  void Floats(const float* values, size_t count);
  void Floats(const std::vector<float>& values) {
    Floats(values.data(), values.size());
  }
  void Doubles(const std::vector<double>& values);
  void I64s(const std::vector<int64_t>& values);
  // Bytes (e.g. done flags), written as a String.
  void Bytes(const std::vector<uint8_t>& values);
  // The generator's full state (std::mt19937_64's standard text form).
  void Rng(const std::mt19937_64& rng);

  const std::string& bytes() const { return bytes_; }
  std::string Release() { return std::move(bytes_); }

 private:
  std::string bytes_;
};

class ByteReader {
 public:
  // `context` starts every error message, e.g. "checkpoint /tmp/a.ckpt: dqn
  // state".
  ByteReader(absl::string_view bytes, std::string context)
      : bytes_(bytes), context_(std::move(context)) {}

  absl::Status U8(uint8_t* value);
  absl::Status Bool(bool* value);
  absl::Status U32(uint32_t* value);
  absl::Status U64(uint64_t* value);
  absl::Status I64(int64_t* value);
  absl::Status F32(float* value);
  absl::Status F64(double* value);
  absl::Status String(std::string* value);
  absl::Status Floats(std::vector<float>* values);
  absl::Status Doubles(std::vector<double>* values);
  absl::Status I64s(std::vector<int64_t>* values);
  absl::Status Bytes(std::vector<uint8_t>* values);
  // I64s() whose every value is an index in [0, count), e.g. actions.
  absl::Status Indices(std::vector<int64_t>* values, int64_t count,
                       absl::string_view what);
  // A Floats() record that must hold exactly `count` values, read into
  // `values`; a different count is an error naming `what`.
  absl::Status FloatsExact(float* values, size_t count, absl::string_view what);
  absl::Status Rng(std::mt19937_64* rng);

  size_t remaining() const { return bytes_.size() - offset_; }
  // Error unless everything was read.
  absl::Status ExpectEnd() const;
  // DataLoss "<context>: <message>", for checks by the caller.
  absl::Status Error(absl::string_view message) const;

 private:
  absl::Status Take(size_t count, absl::string_view what, const char** data);
  // Reads a count prefix and checks count * element_size fits.
  absl::Status Count(size_t element_size, absl::string_view what,
                     uint64_t* count);

  absl::string_view bytes_;
  size_t offset_ = 0;
  std::string context_;
};

}  // namespace rl

#endif  // RL_AGENTS_SERIALIZE_H_
