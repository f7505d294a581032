#pragma once

// An OMNeT++-style run fingerprint: a running hash of the event stream (time,
// sequence number, event kind) and of key values components add. Two runs of
// one scenario and seed must end with the same value; any change to event
// order, timing or results changes it.

#include <cstdint>
#include <string>
#include <string_view>

#include "sim/uint128.h"

namespace sim {

class Fingerprint {
 public:
  void Add(uint64_t v) {
    // 64x64->128 multiply folded (wyhash's "mum"): full avalanche, ~1 ns.
    Uint128 m = static_cast<Uint128>(state_ ^ v) * 0x9E3779B97F4A7C15ULL;
    state_ = static_cast<uint64_t>(m) ^ static_cast<uint64_t>(m >> 64) ^ 0xA0761D6478BD642FULL;
  }
  void Add(std::string_view s);
  uint64_t value() const { return state_; }
  // 16 hex digits, the form printed at the end of every run.
  std::string Hex() const;

 private:
  uint64_t state_ = 0x243F6A8885A308D3ULL;
};

// Stable 64-bit hash of a name (FNV-1a), for RNG stream names and ids.
constexpr uint64_t HashName(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace sim
