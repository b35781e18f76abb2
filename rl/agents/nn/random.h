// Random numbers for agents that are identical on every platform: the
// standard library's distributions are implementation-defined, so agents
// draw through these from a std::mt19937_64 (whose sequence is specified).
//
// Example:
//   std::mt19937_64 rng(nn::MixSeed(seed, /*stream=*/1));
//   double noise = nn::StandardNormal(rng);
//   int64_t index = nn::UniformIndex(rng, buffer_size);
#ifndef RL_AGENTS_NN_RANDOM_H_
#define RL_AGENTS_NN_RANDOM_H_

#include <cmath>
#include <cstdint>
#include <random>

namespace rl {
namespace nn {

// SplitMix64's finalizer: a bijective mix of 64 bits.
inline uint64_t Mix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// An independent seed for stream `stream` of a run seeded `seed`: nearby
// seeds and streams give unrelated generators.
inline uint64_t MixSeed(uint64_t seed, uint64_t stream) {
  return Mix64(Mix64(seed) ^ Mix64(stream + 0x632be59bd9b4e019ULL));
}

// Uniform in [0, 1) with 53 random bits.
inline double UniformUnit(std::mt19937_64& rng) {
  return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

// Uniform integer in [0, n), n >= 1, without modulo bias.
inline int64_t UniformIndex(std::mt19937_64& rng, int64_t n) {
  const uint64_t range = static_cast<uint64_t>(n);
  const uint64_t limit = UINT64_MAX - UINT64_MAX % range;
  uint64_t draw = rng();
  while (draw >= limit) draw = rng();
  return static_cast<int64_t>(draw % range);
}

// Standard normal by Box-Muller; uses two draws and keeps no state, so the
// generator alone determines the sequence (and checkpoints need nothing
// else).
inline double StandardNormal(std::mt19937_64& rng) {
  const double u1 = 1.0 - UniformUnit(rng);  // (0, 1]: log is finite.
  const double u2 = UniformUnit(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

}  // namespace nn
}  // namespace rl

#endif  // RL_AGENTS_NN_RANDOM_H_
