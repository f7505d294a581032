#pragma once

// Version-4 UUIDs drawn from a named stream (same seed, same ids), as the
// services' MessageIds, RequestIds and subscription ids are. Formatted by
// hand: snprintf was a measurable share of a Lambda invocation.

#include <cstdint>
#include <string>

#include "sim/rng.h"

namespace emu {

struct Uuid {
  uint64_t hi = 0;
  uint64_t lo = 0;
};

// Two draws, with the version (4) and RFC 4122 variant bits set.
Uuid DrawUuidV4(sim::Rng& rng);
// "8-4-4-4-12" lower-case hex.
std::string FormatUuid(const Uuid& id);
inline std::string NewUuidV4(sim::Rng& rng) { return FormatUuid(DrawUuidV4(rng)); }

}  // namespace emu
