#include "emulators/common/retry_policy.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/check.h"

namespace emu {

std::string_view RetryModeName(RetryMode mode) {
  switch (mode) {
    case RetryMode::kLegacy:
      return "legacy";
    case RetryMode::kStandard:
      return "standard";
    case RetryMode::kAdaptive:
      return "adaptive";
  }
  return "unknown";
}

sim::StatusOr<RetryMode> ParseRetryMode(std::string_view text) {
  if (text == "legacy") return RetryMode::kLegacy;
  if (text == "standard") return RetryMode::kStandard;
  if (text == "adaptive") return RetryMode::kAdaptive;
  return sim::InvalidArgumentError("retry mode '" + std::string(text) + "': expected legacy, standard or adaptive");
}

int DefaultMaxAttempts(RetryMode mode) {
  switch (mode) {
    case RetryMode::kLegacy:
      return 5;  // botocore _retry.json __default__.max_attempts
    case RetryMode::kStandard:
      return 3;
    case RetryMode::kAdaptive:
      return 3;
  }
  return 3;
}

// --- AdaptiveRateLimiter ----------------------------------------------------

AdaptiveRateLimiter::AdaptiveRateLimiter(double now) : last_fail_(now), last_bucket_(std::floor(now)) {
  // CubicCalculator(starting_max_rate=0), then TokenBucket(max_rate=1).
  k_ = CubicZeroPoint();
  SetMaxRate(1, now);
}

double AdaptiveRateLimiter::CubicZeroPoint() const {
  const double scaled_value = (w_max_ * (1 - kBeta)) / kScaleConstant;
  return std::pow(scaled_value, 1 / 3.0);
}

double AdaptiveRateLimiter::RecordSend(double now) {
  const double scale = 1 / kTimeBucketRange;
  const double bucket = std::floor(now * scale) / scale;
  ++count_;
  if (bucket > last_bucket_) {
    const double current_rate = static_cast<double>(count_) / (bucket - last_bucket_);
    measured_rate_ = (current_rate * kSmoothing) + (measured_rate_ * (1 - kSmoothing));
    count_ = 0;
    last_bucket_ = bucket;
  }
  return measured_rate_;
}

void AdaptiveRateLimiter::Refill(double now) {
  if (!last_timestamp_) {
    last_timestamp_ = now;
    return;
  }
  const double fill_amount = (now - *last_timestamp_) * fill_rate_;
  capacity_ = std::min(max_capacity_, capacity_ + fill_amount);
  last_timestamp_ = now;
}

void AdaptiveRateLimiter::SetMaxRate(double value, double now) {
  // Tokens accrued so far count at the old rate.
  Refill(now);
  fill_rate_ = std::max(value, kMinFillRate);
  max_capacity_ = value >= 1 ? value : 1;
  capacity_ = std::min(capacity_, max_capacity_);
}

double AdaptiveRateLimiter::TryAcquire(double now) {
  if (!enabled_) return 0;
  Refill(now);
  if (1 <= capacity_) {
    capacity_ -= 1;
    return 0;
  }
  return (1 - capacity_) / fill_rate_;
}

void AdaptiveRateLimiter::OnResponse(double now, bool throttled) {
  const double measured = RecordSend(now);
  double new_rate;
  if (!throttled) {
    const double dt = now - last_fail_;
    new_rate = kScaleConstant * std::pow(dt - k_, 3.0) + w_max_;
  } else {
    const double rate_to_use = enabled_ ? std::min(measured, fill_rate_) : measured;
    w_max_ = rate_to_use;
    k_ = CubicZeroPoint();
    last_fail_ = now;
    new_rate = rate_to_use * kBeta;
    enabled_ = true;
  }
  SetMaxRate(std::min(new_rate, kMaxRateAdjustScale * measured), now);
}

// --- RetryPolicy ------------------------------------------------------------

RetryPolicy::RetryPolicy(Env& env, RetryConfig config, std::string name)
    : env_(env),
      config_(std::move(config)),
      name_(std::move(name)),
      max_attempts_(config_.max_attempts > 0 ? config_.max_attempts : DefaultMaxAttempts(config_.mode)),
      quota_(config_.quota_capacity),
      rng_(env.Stream("retry." + name_)),
      retries_metric_(env.metrics().GetCounter(name_ + ".retries")),
      gave_up_metric_(env.metrics().GetCounter(name_ + ".gave_up")) {
  SIM_CHECK_MSG(config_.max_attempts >= 0, "retry policy " << name_ << ": negative max_attempts");
  SIM_CHECK_MSG(config_.base_delay >= sim::Duration::Zero() && config_.max_backoff >= sim::Duration::Zero(),
                "retry policy " << name_ << ": negative back-off");
  SIM_CHECK_MSG(config_.quota_capacity >= 0 && config_.retry_cost >= 0 && config_.timeout_retry_cost >= 0 &&
                    config_.no_retry_increment >= 0,
                "retry policy " << name_ << ": negative quota setting");
  if (config_.mode == RetryMode::kAdaptive) limiter_.emplace(NowSeconds());
}

sim::Duration RetryPolicy::BackoffDelay(int attempt, const sim::Status& error) {
  SIM_CHECK_MSG(attempt >= 1, "retry number " << attempt << " (1-based)");
  const double jitter = rng_.NextDouble();
  const sim::Duration base =
      IsThrottlingError(error) && config_.throttling_base_delay ? *config_.throttling_base_delay : config_.base_delay;
  // botocore's legacy handler has no cap; the standard modes cap the delay
  // before jitter.
  const int64_t cap =
      config_.mode == RetryMode::kLegacy ? std::numeric_limits<int64_t>::max() : config_.max_backoff.nanos();
  int64_t scaled = base.nanos();
  for (int i = 1; i < attempt && scaled < cap; ++i) scaled = scaled > cap / 2 ? cap : scaled * 2;
  scaled = std::min(scaled, cap);
  // jitter < 1, so the product stays below `scaled` (no overflow at the cap).
  return sim::Duration::FromNanos(static_cast<int64_t>(jitter * static_cast<double>(scaled)));
}

int RetryPolicy::RetryCost(const sim::Status& error) const {
  // botocore charges the timeout cost for ConnectTimeoutError and
  // ReadTimeoutError, i.e. timeouts the client saw, not RequestTimeout
  // responses from the service (those carry an AWS error).
  if (error.code() == sim::StatusCode::kDeadlineExceeded && AwsErrorOf(error) == nullptr) {
    return config_.timeout_retry_cost;
  }
  if (config_.throttling_retry_cost && IsThrottlingError(error)) return *config_.throttling_retry_cost;
  return config_.retry_cost;
}

sim::Task<sim::Status> RetryPolicy::AcquireSendToken() {
  bool waited = false;
  for (;;) {
    const double wait_s = limiter_->TryAcquire(NowSeconds());
    if (wait_s <= 0) co_return sim::OkStatus();
    if (!waited) ++stats_.rate_limit_waits;
    waited = true;
    // Round up so the bucket has refilled when we look again; at least 1 ns
    // so simulated time always advances.
    const int64_t ns = std::max<int64_t>(1, static_cast<int64_t>(std::ceil(wait_s * 1e9)));
    sim::Status slept = co_await env_.sched().Sleep(sim::Duration::FromNanos(ns));
    if (!slept.ok()) co_return slept;
  }
}

RetryPolicy::Decision RetryPolicy::AfterAttempt(CallState& state, const sim::Status& result) {
  ++stats_.attempts;
  // An interrupted attempt is not a response: the caller is being stopped.
  if (result.code() == sim::StatusCode::kInterrupted) return {};
  const bool throttled = IsThrottlingError(result);
  if (throttled) ++stats_.throttled;
  if (limiter_) limiter_->OnResponse(NowSeconds(), throttled);

  if (result.ok()) {
    if (UsesQuota()) {
      // botocore's release_retry_quota: refund the last retry's cost, or the
      // no-retry increment, never above the capacity.
      const int refund = state.last_quota_cost ? *state.last_quota_cost : config_.no_retry_increment;
      quota_ = std::min(config_.quota_capacity, quota_ + refund);
    }
    return {};
  }
  if (!IsRetryableError(result)) return {};
  if (state.attempt >= max_attempts_) {
    ++stats_.gave_up_attempts;
    gave_up_metric_.Add();
    return {};
  }
  if (UsesQuota()) {
    const int cost = RetryCost(result);
    if (cost > quota_) {
      ++stats_.gave_up_quota;
      gave_up_metric_.Add();
      return {};
    }
    quota_ -= cost;
    state.last_quota_cost = cost;
  }
  ++stats_.retries;
  retries_metric_.Add();
  return {true, BackoffDelay(state.attempt, result)};
}

}  // namespace emu
