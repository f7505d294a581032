#pragma once

// A token bucket in milli-units with exact integer refill: the sub-unit
// remainder of every refill is carried (in milli-unit-nanoseconds), so a
// bucket refilled a million times in 1 ns steps holds exactly what one
// refill over the same span would give. Passive: every call takes `now`.
//
// A request larger than the whole bucket (a 1 MB Query on a 1-RCU table)
// would never fit, so a *full* bucket admits anything and goes negative —
// the debt throttles later requests, as DynamoDB's own accounting does.

#include <cstdint>

#include "sim/time.h"

namespace emu::dynamodb {

class CapacityBucket {
 public:
  CapacityBucket() = default;
  // rate: milli-units per second; capacity and initial: milli-units.
  CapacityBucket(int64_t rate_milli_per_s, int64_t capacity_milli, int64_t initial_milli, sim::Time now);

  void Refill(sim::Time now);
  bool CanTake(int64_t milli) const { return tokens_ >= milli || (capacity_ > 0 && tokens_ >= capacity_); }
  void Take(int64_t milli) { tokens_ -= milli; }
  // New rate and capacity from `now` on (refills at the old rate first);
  // tokens above the new capacity are dropped.
  void Reset(int64_t rate_milli_per_s, int64_t capacity_milli, sim::Time now);
  void SetTokens(int64_t milli) { tokens_ = milli; }

  int64_t tokens() const { return tokens_; }
  int64_t rate() const { return rate_; }
  int64_t capacity() const { return capacity_; }

 private:
  int64_t rate_ = 0;
  int64_t capacity_ = 0;
  int64_t tokens_ = 0;
  int64_t carry_ = 0;  // < 1e9: milli-unit-nanoseconds not yet a whole milli-unit
  sim::Time last_;
};

}  // namespace emu::dynamodb
