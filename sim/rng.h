#pragma once

// Randomness that is reproducible across compilers and standard libraries:
// an in-tree xoshiro256** generator and in-tree distributions (the output of
// std::*_distribution differs between libstdc++ and libc++).
//
// One root seed per run. Each component draws from its own stream, derived
// from (root seed, stable name), so adding a component or a draw in one
// component never shifts another component's numbers.

#include <cstdint>
#include <string_view>

namespace sim {

class Rng {
 public:
  explicit Rng(uint64_t seed = 0);

  uint64_t NextU64() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }
  // Uniform in [0, 1) with 53 random bits.
  double NextDouble() { return static_cast<double>(NextU64() >> 11) * 0x1.0p-53; }
  // Uniform in (0, 1]: safe to take the log of.
  double NextDoubleOpenZero() { return static_cast<double>((NextU64() >> 11) + 1) * 0x1.0p-53; }
  // Uniform integer in [0, n), unbiased (Lemire's method). n > 0.
  uint64_t UniformInt(uint64_t n);
  // Uniform integer in [lo, hi]. The span is computed unsigned: hi - lo
  // overflows int64 for spans over 2^63, and the full range has 2^64 values.
  int64_t UniformRange(int64_t lo, int64_t hi) {
    const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
    const uint64_t offset = span == ~uint64_t{0} ? NextU64() : UniformInt(span + 1);
    return static_cast<int64_t>(static_cast<uint64_t>(lo) + offset);
  }
  bool Bernoulli(double p) { return NextDouble() < p; }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

uint64_t SplitMix64(uint64_t& state);

// Derives named, independent streams from a root seed.
class RngStreams {
 public:
  explicit RngStreams(uint64_t root_seed) : root_seed_(root_seed) {}
  uint64_t root_seed() const { return root_seed_; }
  Rng Stream(std::string_view name) const;
  // The seed a stream of that name starts from (for sub-generators).
  uint64_t StreamSeed(std::string_view name) const;

 private:
  uint64_t root_seed_;
};

}  // namespace sim
