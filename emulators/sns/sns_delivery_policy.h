#pragma once

// The delivery retry policy SNS applies to AWS-managed endpoints (SQS,
// Lambda), https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html,
// as AWS's table counts it (phases of attempts adding up to the total): 3
// immediate attempts (the first delivery and 2 retries with no delay), 2
// one second apart, 10 with exponential backoff from 1 s to 20 s, then
// 100,000 at 20 s: 100,015 attempts over about 23 days.
// Stored as four phases, not a vector of delays (100,015 entries). AWS
// jitters the waits; here each non-zero wait is scaled by a factor drawn
// uniformly from [1 - jitter, 1 + jitter] on a stream the caller owns, so
// runs stay reproducible. Backoff waits are geometric from min to max over
// the phase, rounded to the millisecond (1.000, 1.395, ..., 20.000 s).

#include <cstdint>

#include "sim/rng.h"
#include "sim/time.h"

namespace emu::sns {

struct DeliveryRetryPolicy {
  int64_t immediate_attempts = 3;  // the first attempt included
  int64_t pre_backoff_retries = 2;
  sim::Duration pre_backoff_delay = sim::Seconds(1);
  int64_t backoff_retries = 10;
  sim::Duration min_delay = sim::Seconds(1);
  sim::Duration max_delay = sim::Seconds(20);
  int64_t post_backoff_retries = 100'000;
  sim::Duration post_backoff_delay = sim::Seconds(20);
  double jitter = 0.1;  // fraction of each non-zero wait; 0 = exact waits

  // AWS's policy for SQS and Lambda endpoints.
  static DeliveryRetryPolicy AwsManagedEndpoints() { return {}; }
  // No retries at all (one attempt).
  static DeliveryRetryPolicy None() {
    return {1, 0, sim::Duration::Zero(), 0, sim::Duration::Zero(), sim::Duration::Zero(), 0, sim::Duration::Zero(), 0};
  }

  int64_t MaxAttempts() const {
    return immediate_attempts + pre_backoff_retries + backoff_retries + post_backoff_retries;
  }
  int64_t Retries() const { return MaxAttempts() - 1; }
  // The wait before retry number `retry` (1-based, <= Retries()) without jitter.
  sim::Duration BaseDelay(int64_t retry) const;
  // The same with jitter; draws once from `rng` iff the base wait is
  // non-zero and jitter > 0.
  sim::Duration Delay(int64_t retry, sim::Rng& rng) const;
  // The sum of the base waits (the schedule's span without jitter).
  sim::Duration TotalBaseDelay() const;
};

}  // namespace emu::sns
