#include "emulators/dynamodb/capacity_bucket.h"

#include <algorithm>
#include <limits>

#include "sim/uint128.h"

namespace emu::dynamodb {

namespace {
constexpr int64_t kNanosPerSecond = 1'000'000'000;
}

CapacityBucket::CapacityBucket(int64_t rate_milli_per_s, int64_t capacity_milli, int64_t initial_milli, sim::Time now)
    : rate_(rate_milli_per_s),
      capacity_(capacity_milli),
      tokens_(std::min(initial_milli, capacity_milli)),
      last_(now) {}

void CapacityBucket::Refill(sim::Time now) {
  if (now <= last_) return;
  const int64_t elapsed = (now - last_).nanos();
  last_ = now;
  if (tokens_ >= capacity_) {
    carry_ = 0;
    return;
  }
  const int64_t room = capacity_ - tokens_;
  // 64-bit arithmetic when the product fits (the common, per-request case:
  // microseconds between requests); 128-bit otherwise.
  int64_t product = 0;
  if (!__builtin_mul_overflow(rate_, elapsed, &product) && product <= std::numeric_limits<int64_t>::max() - carry_) {
    product += carry_;
    const int64_t add = product / kNanosPerSecond;
    if (add >= room) {
      tokens_ = capacity_;
      carry_ = 0;
    } else {
      tokens_ += add;
      carry_ = product % kNanosPerSecond;
    }
    return;
  }
  const sim::Uint128 wide =
      static_cast<sim::Uint128>(rate_) * static_cast<sim::Uint128>(elapsed) + static_cast<sim::Uint128>(carry_);
  const sim::Uint128 add = wide / kNanosPerSecond;
  if (add >= static_cast<sim::Uint128>(room)) {
    tokens_ = capacity_;
    carry_ = 0;
  } else {
    tokens_ += static_cast<int64_t>(add);
    carry_ = static_cast<int64_t>(wide % kNanosPerSecond);
  }
}

void CapacityBucket::Reset(int64_t rate_milli_per_s, int64_t capacity_milli, sim::Time now) {
  Refill(now);
  rate_ = rate_milli_per_s;
  capacity_ = capacity_milli;
  tokens_ = std::min(tokens_, capacity_);
}

}  // namespace emu::dynamodb
