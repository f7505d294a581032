#include "emulators/sns/sns_delivery_policy.h"

#include <cmath>

#include "sim/check.h"

namespace emu::sns {

sim::Duration DeliveryRetryPolicy::BaseDelay(int64_t retry) const {
  SIM_CHECK_MSG(retry >= 1 && retry <= Retries(), "retry " << retry << " outside 1.." << Retries());
  int64_t r = retry + 1;  // the attempt this wait precedes
  if (r <= immediate_attempts) return sim::Duration::Zero();
  r -= immediate_attempts;
  if (r <= pre_backoff_retries) return pre_backoff_delay;
  r -= pre_backoff_retries;
  if (r <= backoff_retries) {
    if (backoff_retries == 1) return min_delay;
    const double ratio = max_delay.ToSeconds() / min_delay.ToSeconds();
    const double exponent = static_cast<double>(r - 1) / static_cast<double>(backoff_retries - 1);
    const double ms = std::round(min_delay.ToMillis() * std::pow(ratio, exponent));
    return sim::Milliseconds(static_cast<int64_t>(ms));
  }
  return post_backoff_delay;
}

sim::Duration DeliveryRetryPolicy::Delay(int64_t retry, sim::Rng& rng) const {
  const sim::Duration base = BaseDelay(retry);
  if (base == sim::Duration::Zero() || jitter <= 0) return base;
  const double factor = 1.0 - jitter + 2.0 * jitter * rng.NextDouble();
  return sim::SecondsF(base.ToSeconds() * factor);
}

sim::Duration DeliveryRetryPolicy::TotalBaseDelay() const {
  sim::Duration total = pre_backoff_delay * pre_backoff_retries + post_backoff_delay * post_backoff_retries;
  for (int64_t r = 1; r <= backoff_retries; ++r) total += BaseDelay(immediate_attempts - 1 + pre_backoff_retries + r);
  return total;
}

}  // namespace emu::sns
