#pragma once

// The client side of AWS retries: the one retry loop every pipeline stage
// uses (no stage writes its own), mirroring the AWS SDK retry modes as
// botocore implements them (docs/retry-policy.md cites every constant):
//
//   legacy    botocore's _retry.json handler: 5 attempts, delay
//             rand * base * 2^(n-1) with no cap, no retry quota.
//   standard  3 attempts, delay rand * min(base * 2^(n-1), max_backoff)
//             (full jitter), and the retry quota: a token bucket of 500
//             that a retry drains by 5 (10 after a client-side timeout); a
//             call that succeeds refunds its last retry's cost, or adds 1
//             if it needed no retry; when the quota cannot pay, no retry.
//   adaptive  standard plus botocore's client-side rate limiter: after the
//             first throttle every attempt first takes a token from a bucket
//             whose fill rate follows CUBIC (scale 0.4, beta 0.7) over a
//             smoothed (0.8) measured send rate, never below 0.5/s.
//
// Everything runs in simulated time: back-off and the limiter's waits are
// scheduler sleeps, and an interrupted sleep makes the call return the
// interrupt status at once (Lambda timeouts rely on it). Jitter comes from
// the stream "retry.<name>". The policy is shared by every call of one
// client (as an SDK client shares its quota) and must outlive its calls.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "emulators/common/aws_error.h"
#include "emulators/common/env.h"
#include "sim/metrics.h"
#include "sim/rng.h"
#include "sim/status.h"
#include "sim/task.h"
#include "sim/time.h"

namespace emu {

enum class RetryMode { kLegacy, kStandard, kAdaptive };

std::string_view RetryModeName(RetryMode mode);
// "legacy", "standard" or "adaptive" (the SDKs' retry_mode values).
sim::StatusOr<RetryMode> ParseRetryMode(std::string_view text);

// Every member has a default initializer, so designated initializers
// (RetryConfig{.mode = RetryMode::kAdaptive}) build under GCC 12's
// -Wmissing-field-initializers.
struct RetryConfig {
  RetryMode mode = RetryMode::kStandard;
  // Total attempts including the first; 0 = the mode's default (legacy 5,
  // standard 3, adaptive 3).
  int max_attempts = 0;
  // Back-off base: the first retry waits up to base_delay, each later one
  // up to twice as long. botocore's standard and legacy modes use 1 s.
  sim::Duration base_delay = sim::Seconds(1);
  // Cap of the pre-jitter delay in standard and adaptive mode (botocore's
  // legacy handler has none, so legacy ignores it).
  sim::Duration max_backoff = sim::Seconds(20);
  // A different base for throttling errors (the SDKs' 2026 defaults use 1 s
  // for throttles and 50 ms otherwise); unset = base_delay.
  std::optional<sim::Duration> throttling_base_delay = {};
  // Retry quota (standard and adaptive).
  int quota_capacity = 500;
  int retry_cost = 5;
  int timeout_retry_cost = 10;
  // Cost of retrying a throttle (the 2026 defaults: 5 vs 14); unset = retry_cost.
  std::optional<int> throttling_retry_cost = {};
  int no_retry_increment = 1;
};

// Resolved defaults: the max attempts a mode uses when config says 0.
int DefaultMaxAttempts(RetryMode mode);

struct RetryStats {
  uint64_t calls = 0;             // Call/CallStatus invocations
  uint64_t attempts = 0;          // op() runs
  uint64_t retries = 0;           // back-offs started
  uint64_t gave_up_quota = 0;     // retryable failure returned: quota empty
  uint64_t gave_up_attempts = 0;  // retryable failure returned: max attempts
  uint64_t throttled = 0;         // attempts that ended in a throttling error
  uint64_t rate_limit_waits = 0;  // adaptive: sleeps waiting for a send token
};

// botocore's adaptive-mode client rate limiter (adaptive.py's
// ClientRateLimiter with its RateClocker, bucket.py's TokenBucket and
// throttling.py's CubicCalculator), on explicit times in seconds so it can be
// tested without a scheduler. The arithmetic follows botocore operation for
// operation (same pow calls, same constants), so a run reproduces botocore's
// rates to the last bit given the same clock readings.
class AdaptiveRateLimiter {
 public:
  static constexpr double kScaleConstant = 0.4;  // CUBIC C
  static constexpr double kBeta = 0.7;           // CUBIC multiplicative decrease
  static constexpr double kSmoothing = 0.8;      // measured-rate EMA weight
  static constexpr double kTimeBucketRange = 0.5;
  static constexpr double kMinFillRate = 0.5;
  static constexpr double kMaxRateAdjustScale = 2.0;

  explicit AdaptiveRateLimiter(double now);

  // Before each attempt (botocore's before-send): 0 when the attempt may go
  // (a token was taken, or no throttle has been seen yet), else the seconds
  // until a token will be available; wait that long and ask again.
  double TryAcquire(double now);
  // After each attempt's response (botocore's needs-retry).
  void OnResponse(double now, bool throttled);

  bool enabled() const { return enabled_; }
  // The token bucket's fill rate (requests/s) and capacity.
  double send_rate() const { return fill_rate_; }
  double max_capacity() const { return max_capacity_; }
  double available_tokens() const { return capacity_; }
  double measured_rate() const { return measured_rate_; }
  // CUBIC state: the rate at the last throttle and when it happened.
  double w_max() const { return w_max_; }
  double last_throttle_time() const { return last_fail_; }

 private:
  double RecordSend(double now);  // RateClocker.record
  void SetMaxRate(double value, double now);
  void Refill(double now);
  double CubicZeroPoint() const;

  // CubicCalculator
  double w_max_ = 0;
  double k_ = 0;
  double last_fail_;
  // TokenBucket
  double fill_rate_ = 0;
  double max_capacity_ = 0;
  double capacity_ = 0;
  std::optional<double> last_timestamp_;
  // RateClocker
  double measured_rate_ = 0;
  double last_bucket_;
  int64_t count_ = 0;
  bool enabled_ = false;
};

class RetryPolicy {
 public:
  RetryPolicy(Env& env, RetryConfig config, std::string name);
  RetryPolicy(const RetryPolicy&) = delete;
  RetryPolicy& operator=(const RetryPolicy&) = delete;

  // Runs op() until it succeeds, fails with an error that is not retryable
  // (IsRetryableError), runs out of attempts or (standard/adaptive) quota;
  // returns the last result. An interrupt during a back-off or a limiter
  // wait returns the interrupt status at once. `op` is kept in the call's
  // frame for all attempts, so it may own what it captures.
  template <class T>
  sim::Task<sim::StatusOr<T>> Call(std::function<sim::Task<sim::StatusOr<T>>()> op) {
    return Run<sim::StatusOr<T>>(std::move(op));
  }
  sim::Task<sim::Status> CallStatus(std::function<sim::Task<sim::Status>()> op) {
    return Run<sim::Status>(std::move(op));
  }

  // The jittered wait before retry number `attempt` (1-based) after `error`;
  // draws one number from the policy's stream.
  sim::Duration BackoffDelay(int attempt, const sim::Status& error);
  // Quota cost of retrying after `error`: timeout_retry_cost for a
  // client-side timeout (a DeadlineExceeded that is not an AWS error
  // response), throttling_retry_cost for a throttle, else retry_cost.
  int RetryCost(const sim::Status& error) const;

  int quota() const { return quota_; }
  const RetryStats& stats() const { return stats_; }
  const RetryConfig& config() const { return config_; }
  int max_attempts() const { return max_attempts_; }
  const std::string& name() const { return name_; }
  // Null unless the mode is adaptive.
  const AdaptiveRateLimiter* rate_limiter() const { return limiter_ ? &*limiter_ : nullptr; }

 private:
  // One call's retry bookkeeping.
  struct CallState {
    int attempt = 1;
    std::optional<int> last_quota_cost;  // unset: no retry paid for yet
  };
  struct Decision {
    bool retry = false;
    sim::Duration delay;
  };

  static const sim::Status& StatusOf(const sim::Status& s) { return s; }
  template <class T>
  static const sim::Status& StatusOf(const sim::StatusOr<T>& r) {
    return r.status();
  }

  template <class R>
  sim::Task<R> Run(std::function<sim::Task<R>()> op) {
    ++stats_.calls;
    CallState state;
    for (;;) {
      if (limiter_) {
        sim::Status gate = co_await AcquireSendToken();
        if (!gate.ok()) co_return gate;
      }
      R result = co_await op();
      const Decision d = AfterAttempt(state, StatusOf(result));
      if (!d.retry) co_return std::move(result);
      if (d.delay > sim::Duration::Zero()) {
        sim::Status slept = co_await env_.sched().Sleep(d.delay);
        if (!slept.ok()) co_return slept;
      }
      ++state.attempt;
    }
  }

  sim::Task<sim::Status> AcquireSendToken();
  // Accounts for one finished attempt (stats, quota, limiter) and decides
  // whether to retry and after how long.
  Decision AfterAttempt(CallState& state, const sim::Status& result);
  bool UsesQuota() const { return config_.mode != RetryMode::kLegacy; }
  double NowSeconds() const { return env_.Now().ToSeconds(); }

  Env& env_;
  RetryConfig config_;
  std::string name_;
  int max_attempts_;
  int quota_;
  sim::Rng rng_;
  std::optional<AdaptiveRateLimiter> limiter_;
  RetryStats stats_;
  sim::Counter& retries_metric_;
  sim::Counter& gave_up_metric_;
};

}  // namespace emu
