#include "sim/rng.h"

#include "sim/fingerprint.h"
#include "sim/uint128.h"

namespace sim {

uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

Rng::Rng(uint64_t seed) {
  uint64_t z = seed;
  for (auto& w : s_) w = SplitMix64(z);
}

uint64_t Rng::UniformInt(uint64_t n) {
  Uint128 m = static_cast<Uint128>(NextU64()) * n;
  uint64_t low = static_cast<uint64_t>(m);
  if (low < n) {
    const uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      m = static_cast<Uint128>(NextU64()) * n;
      low = static_cast<uint64_t>(m);
    }
  }
  return static_cast<uint64_t>(m >> 64);
}

uint64_t RngStreams::StreamSeed(std::string_view name) const {
  uint64_t z = root_seed_ ^ HashName(name);
  SplitMix64(z);
  return SplitMix64(z);
}

Rng RngStreams::Stream(std::string_view name) const { return Rng(StreamSeed(name)); }

}  // namespace sim
