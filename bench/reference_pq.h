#pragma once
// The raw-heap reference of ../shared/reference/bench/cpp_pq_baseline.cpp,
// copied verbatim (std::priority_queue of (double time, seq, handler index),
// xoshiro256** + Exp(1), 4-entry handler table), with main() turned into a
// function so it runs in the same process, with the project's flags.
#include <cstdint>

namespace bench {
struct ReferenceResult {
  uint64_t handled;
  double wall_s;
  double sim_end;
};
ReferenceResult RunReferencePq(uint64_t n_events, uint32_t pending, uint64_t seed);
}  // namespace bench
