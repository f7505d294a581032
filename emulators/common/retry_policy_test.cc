#include "emulators/common/retry_policy.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "emulators/common/aws_error.h"
#include "emulators/common/env.h"
#include "sim/scheduler.h"

namespace emu {
namespace {

using sim::Duration;
using sim::Milliseconds;
using sim::Seconds;
using sim::Time;

Time At(Duration d) { return Time::Zero() + d; }

sim::Status Internal() { return AwsError(errors::kInternalError, "boom"); }
sim::Status Throttle() { return AwsError(errors::kThrottlingException, "slow down"); }

// A scripted service: attempt i fails with script[i] (if there is one and
// it is an error), else returns `value`; each attempt takes `latency`.
struct FakeService {
  sim::Scheduler* sched;
  std::vector<sim::Status> script;
  Duration latency;
  int value = 7;
  std::vector<Time> attempt_times = {};
};

sim::Task<sim::StatusOr<int>> Attempt(FakeService* svc) {
  svc->attempt_times.push_back(svc->sched->Now());
  const std::size_t i = svc->attempt_times.size() - 1;
  if (svc->latency > Duration::Zero()) {
    sim::Status slept = co_await svc->sched->Sleep(svc->latency);
    if (!slept.ok()) co_return slept;
  }
  if (i < svc->script.size() && !svc->script[i].ok()) co_return svc->script[i];
  co_return svc->value;
}

sim::Task<sim::Status> AttemptStatus(FakeService* svc) {
  sim::StatusOr<int> r = co_await Attempt(svc);
  co_return r.status();
}

struct Outcome {
  std::optional<sim::StatusOr<int>> result;
  Time done;
};

sim::Task<void> RunCall(sim::Scheduler* sched, RetryPolicy* policy, FakeService* svc, Outcome* out) {
  sim::StatusOr<int> r = co_await policy->Call<int>([svc] { return Attempt(svc); });
  out->result = std::move(r);
  out->done = sched->Now();
}

struct Harness {
  sim::Scheduler sched;
  Env env{sched, 42};
  FakeService svc{&sched, {}, Duration::Zero()};

  Outcome Run(RetryPolicy& policy) {
    Outcome out;
    sched.Spawn(RunCall(&sched, &policy, &svc, &out), "call");
    sched.Run();
    return out;
  }
};

// The delay BackoffDelay must produce for the i-th draw of stream r.
Duration ExpectedDelay(sim::Rng& r, Duration cap) {
  return Duration::FromNanos(static_cast<int64_t>(r.NextDouble() * static_cast<double>(cap.nanos())));
}

TEST(RetryPolicy, DefaultMaxAttemptsPerMode) {
  EXPECT_EQ(DefaultMaxAttempts(RetryMode::kLegacy), 5);
  EXPECT_EQ(DefaultMaxAttempts(RetryMode::kStandard), 3);
  EXPECT_EQ(DefaultMaxAttempts(RetryMode::kAdaptive), 3);
  const RetryConfig c;
  EXPECT_EQ(c.mode, RetryMode::kStandard);
  EXPECT_EQ(c.base_delay, Seconds(1));
  EXPECT_EQ(c.max_backoff, Seconds(20));
  EXPECT_EQ(c.quota_capacity, 500);
  EXPECT_EQ(c.retry_cost, 5);
  EXPECT_EQ(c.timeout_retry_cost, 10);
  EXPECT_EQ(c.no_retry_increment, 1);
  Harness h;
  RetryPolicy p(h.env, RetryConfig{.mode = RetryMode::kLegacy}, "s3");
  EXPECT_EQ(p.max_attempts(), 5);
  RetryPolicy q(h.env, RetryConfig{.mode = RetryMode::kAdaptive, .max_attempts = 7}, "sqs");
  EXPECT_EQ(q.max_attempts(), 7);
  EXPECT_NE(q.rate_limiter(), nullptr);
  EXPECT_EQ(p.rate_limiter(), nullptr);
}

TEST(RetryPolicy, ParseRetryModeAcceptsSdkNames) {
  for (RetryMode m : {RetryMode::kLegacy, RetryMode::kStandard, RetryMode::kAdaptive}) {
    sim::StatusOr<RetryMode> parsed = ParseRetryMode(RetryModeName(m));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, m);
  }
  sim::StatusOr<RetryMode> bad = ParseRetryMode("exponential");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), sim::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("exponential"), std::string_view::npos);
}

TEST(RetryPolicy, StandardBackoffSequenceForFixedSeed) {
  Harness h;
  RetryPolicy p(h.env, RetryConfig{}, "s3");
  std::vector<int64_t> got;
  for (int i = 1; i <= 8; ++i) got.push_back(p.BackoffDelay(i, Internal()).nanos());
  // Seed 42, stream "retry.s3": rand * min(1 s * 2^(i-1), 20 s), truncated to ns.
  const std::vector<int64_t> expected = {577160802,   1958697382,  1982899550,  7814766129,
                                         14093810899, 13863469945, 14478773715, 15911634108};
  EXPECT_EQ(got, expected);
  sim::Rng r = h.env.Stream("retry.s3");
  for (int i = 1; i <= 8; ++i) {
    const Duration cap = std::min(Seconds(1) * (int64_t{1} << (i - 1)), Seconds(20));
    EXPECT_EQ(got[static_cast<std::size_t>(i - 1)], ExpectedDelay(r, cap).nanos()) << "retry " << i;
  }
}

TEST(RetryPolicy, BackoffStaysWithinFullJitterBounds) {
  Harness h;
  RetryPolicy p(h.env, RetryConfig{.base_delay = Milliseconds(100), .max_backoff = Seconds(5)}, "bounds");
  Duration largest = Duration::Zero();
  for (int round = 0; round < 500; ++round) {
    for (int i = 1; i <= 10; ++i) {
      const Duration cap = std::min(Milliseconds(100) * (int64_t{1} << (i - 1)), Seconds(5));
      const Duration d = p.BackoffDelay(i, Internal());
      ASSERT_GE(d, Duration::Zero());
      ASSERT_LE(d, cap) << "retry " << i;
      if (i == 10) largest = std::max(largest, d);
    }
  }
  // The capped retries do use the range up to the cap.
  EXPECT_GT(largest, Milliseconds(4900));
}

TEST(RetryPolicy, LegacyBackoffHasNoCap) {
  Harness h;
  RetryPolicy p(h.env, RetryConfig{.mode = RetryMode::kLegacy}, "legacy");
  sim::Rng r = h.env.Stream("retry.legacy");
  for (int i = 1; i <= 10; ++i) {
    const Duration cap = Seconds(1) * (int64_t{1} << (i - 1));  // 512 s at i = 10, above max_backoff
    EXPECT_EQ(p.BackoffDelay(i, Internal()), ExpectedDelay(r, cap)) << "retry " << i;
  }
  // Huge retry numbers saturate instead of overflowing.
  const Duration d = p.BackoffDelay(200, Internal());
  EXPECT_GE(d, Duration::Zero());
}

TEST(RetryPolicy, ThrottlingBaseDelayAppliesOnlyToThrottles) {
  Harness h;
  RetryConfig c{.base_delay = Milliseconds(50)};
  c.throttling_base_delay = Seconds(1);
  RetryPolicy p(h.env, c, "svc");
  sim::Rng r = h.env.Stream("retry.svc");
  EXPECT_EQ(p.BackoffDelay(2, Internal()), ExpectedDelay(r, Milliseconds(100)));
  EXPECT_EQ(p.BackoffDelay(2, Throttle()), ExpectedDelay(r, Seconds(2)));
}

TEST(RetryPolicy, StandardStopsAfterThreeAttempts) {
  Harness h;
  h.svc.script = {Internal(), Internal(), Internal(), Internal()};
  RetryPolicy p(h.env, RetryConfig{}, "s3");
  Outcome out = h.Run(p);
  ASSERT_TRUE(out.result.has_value());
  EXPECT_EQ(out.result->status(), Internal());
  ASSERT_EQ(h.svc.attempt_times.size(), 3u);
  sim::Rng r = h.env.Stream("retry.s3");
  const Duration d1 = ExpectedDelay(r, Seconds(1));
  const Duration d2 = ExpectedDelay(r, Seconds(2));
  EXPECT_EQ(h.svc.attempt_times[0], Time::Zero());
  EXPECT_EQ(h.svc.attempt_times[1], At(d1));
  EXPECT_EQ(h.svc.attempt_times[2], At(d1 + d2));
  EXPECT_EQ(out.done, At(d1 + d2));
  EXPECT_EQ(p.stats().calls, 1u);
  EXPECT_EQ(p.stats().attempts, 3u);
  EXPECT_EQ(p.stats().retries, 2u);
  EXPECT_EQ(p.stats().gave_up_attempts, 1u);
  EXPECT_EQ(p.stats().gave_up_quota, 0u);
  EXPECT_EQ(h.env.metrics().GetCounter("s3.retries").value(), 2);
  EXPECT_EQ(h.env.metrics().GetCounter("s3.gave_up").value(), 1);
}

TEST(RetryPolicy, LegacyStopsAfterFiveAttempts) {
  Harness h;
  h.svc.script.assign(10, Throttle());
  RetryPolicy p(h.env, RetryConfig{.mode = RetryMode::kLegacy}, "legacy");
  Outcome out = h.Run(p);
  EXPECT_EQ(out.result->status(), Throttle());
  EXPECT_EQ(h.svc.attempt_times.size(), 5u);
  EXPECT_EQ(p.stats().retries, 4u);
  EXPECT_EQ(p.stats().throttled, 5u);
  EXPECT_EQ(p.stats().gave_up_attempts, 1u);
  // Legacy mode has no retry quota.
  EXPECT_EQ(p.quota(), 500);
}

TEST(RetryPolicy, AdaptiveStopsAfterThreeAttempts) {
  Harness h;
  h.svc.script.assign(10, Internal());
  RetryPolicy p(h.env, RetryConfig{.mode = RetryMode::kAdaptive}, "adaptive");
  Outcome out = h.Run(p);
  EXPECT_EQ(out.result->status(), Internal());
  EXPECT_EQ(h.svc.attempt_times.size(), 3u);
  EXPECT_EQ(p.stats().gave_up_attempts, 1u);
}

TEST(RetryPolicy, ExplicitMaxAttemptsOverridesModeDefault) {
  Harness h;
  h.svc.script.assign(10, Internal());
  RetryPolicy p(h.env, RetryConfig{.max_attempts = 6}, "s3");
  Outcome out = h.Run(p);
  EXPECT_EQ(h.svc.attempt_times.size(), 6u);
  EXPECT_EQ(p.quota(), 500 - 5 * 5);
  RetryPolicy once(h.env, RetryConfig{.max_attempts = 1}, "once");
  h.svc.attempt_times.clear();
  Outcome out1 = h.Run(once);
  EXPECT_EQ(h.svc.attempt_times.size(), 1u);
  EXPECT_EQ(once.quota(), 500);
}

TEST(RetryPolicy, NonRetryableErrorIsNotRetried) {
  Harness h;
  const sim::Status denied = AwsError(errors::kAccessDenied, "no");
  h.svc.script = {denied};
  RetryPolicy p(h.env, RetryConfig{}, "s3");
  Outcome out = h.Run(p);
  EXPECT_EQ(out.result->status(), denied);
  EXPECT_EQ(h.svc.attempt_times.size(), 1u);
  EXPECT_EQ(out.done, Time::Zero());
  EXPECT_EQ(p.stats().retries, 0u);
  EXPECT_EQ(p.stats().gave_up_attempts, 0u);
  EXPECT_EQ(h.env.metrics().GetCounter("s3.gave_up").value(), 0);
  // A failed call refunds nothing and costs nothing.
  EXPECT_EQ(p.quota(), 500);
  // A client-side validation failure is not retried either.
  h.svc.script = {AwsError(errors::kValidationError, "bad")};
  h.svc.attempt_times.clear();
  Outcome out2 = h.Run(p);
  EXPECT_EQ(h.svc.attempt_times.size(), 1u);
}

TEST(RetryPolicy, SucceedsAfterRetryWithTheValue) {
  Harness h;
  h.svc.script = {AwsError(errors::kServiceUnavailable, "503")};
  h.svc.latency = Milliseconds(20);
  RetryPolicy p(h.env, RetryConfig{}, "s3");
  Outcome out = h.Run(p);
  ASSERT_TRUE(out.result->ok());
  EXPECT_EQ(**out.result, 7);
  sim::Rng r = h.env.Stream("retry.s3");
  const Duration d1 = ExpectedDelay(r, Seconds(1));
  ASSERT_EQ(h.svc.attempt_times.size(), 2u);
  EXPECT_EQ(h.svc.attempt_times[1], At(Milliseconds(20) + d1));
  EXPECT_EQ(out.done, At(Milliseconds(40) + d1));
  EXPECT_EQ(p.stats().retries, 1u);
  EXPECT_EQ(p.stats().gave_up_attempts, 0u);
}

TEST(RetryPolicy, QuotaDrainsByFivePerRetry) {
  Harness h;
  h.svc.script.assign(3, Internal());
  RetryPolicy p(h.env, RetryConfig{}, "s3");
  Outcome out = h.Run(p);
  EXPECT_EQ(p.quota(), 490);
  // A RequestTimeout response from the service is a transient error, not a
  // client-side timeout: 5 as well.
  h.svc.script.assign(3, AwsError(errors::kRequestTimeout, "slow upload"));
  h.svc.attempt_times.clear();
  Outcome out2 = h.Run(p);
  EXPECT_EQ(h.svc.attempt_times.size(), 3u);
  EXPECT_EQ(p.quota(), 480);
}

TEST(RetryPolicy, QuotaDrainsByTenPerClientTimeout) {
  Harness h;
  h.svc.script.assign(3, sim::DeadlineExceededError("read timeout"));
  RetryPolicy p(h.env, RetryConfig{}, "s3");
  EXPECT_EQ(p.RetryCost(sim::DeadlineExceededError("t")), 10);
  EXPECT_EQ(p.RetryCost(AwsError(errors::kRequestTimeout, "t")), 5);
  EXPECT_EQ(p.RetryCost(sim::UnavailableError("connection reset")), 5);
  EXPECT_EQ(p.RetryCost(Throttle()), 5);
  Outcome out = h.Run(p);
  EXPECT_EQ(h.svc.attempt_times.size(), 3u);
  EXPECT_EQ(p.quota(), 480);
}

TEST(RetryPolicy, ThrottlingRetryCostIsConfigurable) {
  Harness h;
  RetryConfig c{.retry_cost = 14};
  c.throttling_retry_cost = 5;
  RetryPolicy p(h.env, c, "s3");
  EXPECT_EQ(p.RetryCost(Throttle()), 5);
  EXPECT_EQ(p.RetryCost(Internal()), 14);
}

TEST(RetryPolicy, QuotaRefillsOnSuccess) {
  Harness h;
  RetryPolicy p(h.env, RetryConfig{}, "s3");
  // Two failing calls: 2 x 2 retries x 5.
  h.svc.script.assign(6, Internal());
  (void)h.Run(p);
  (void)h.Run(p);
  EXPECT_EQ(p.quota(), 480);
  // A call that succeeds after two retries (one a timeout) refunds only its
  // last retry's cost, as botocore does.
  h.svc.script = {Internal(), sim::DeadlineExceededError("read timeout")};
  h.svc.attempt_times.clear();
  Outcome out = h.Run(p);
  ASSERT_TRUE(out.result->ok());
  EXPECT_EQ(p.quota(), 480 - 5 - 10 + 10);
  // A success on the first attempt adds the no-retry increment.
  h.svc.script.clear();
  (void)h.Run(p);
  EXPECT_EQ(p.quota(), 476);
  for (int i = 0; i < 30; ++i) (void)h.Run(p);
  // ... never above the capacity.
  EXPECT_EQ(p.quota(), 500);
}

TEST(RetryPolicy, ExhaustedQuotaStopsRetries) {
  Harness h;
  RetryPolicy p(h.env, RetryConfig{.quota_capacity = 12}, "s3");
  h.svc.script.assign(3, Internal());
  (void)h.Run(p);
  EXPECT_EQ(p.quota(), 2);
  h.svc.script.assign(3, Internal());
  h.svc.attempt_times.clear();
  Outcome out = h.Run(p);
  EXPECT_EQ(out.result->status(), Internal());
  EXPECT_EQ(h.svc.attempt_times.size(), 1u);
  EXPECT_EQ(out.done, h.svc.attempt_times[0]);
  EXPECT_EQ(p.quota(), 2);
  EXPECT_EQ(p.stats().gave_up_quota, 1u);
  EXPECT_EQ(p.stats().gave_up_attempts, 1u);
  EXPECT_EQ(h.env.metrics().GetCounter("s3.gave_up").value(), 2);
  // Successes refill it until a retry is affordable again.
  h.svc.script.clear();
  for (int i = 0; i < 3; ++i) (void)h.Run(p);
  EXPECT_EQ(p.quota(), 5);
  h.svc.script.assign(1, Internal());
  h.svc.attempt_times.clear();
  Outcome retried = h.Run(p);
  ASSERT_TRUE(retried.result->ok());
  EXPECT_EQ(h.svc.attempt_times.size(), 2u);
  EXPECT_EQ(p.quota(), 5);
}

TEST(RetryPolicy, KernelUnavailableIsRetriedAsConnectionError) {
  Harness h;
  h.svc.script = {sim::UnavailableError("connection refused")};
  RetryPolicy p(h.env, RetryConfig{}, "s3");
  Outcome out = h.Run(p);
  ASSERT_TRUE(out.result->ok());
  EXPECT_EQ(h.svc.attempt_times.size(), 2u);
}

TEST(RetryPolicy, CallStatusRetriesOperationsWithoutValue) {
  Harness h;
  h.svc.script = {Throttle(), Throttle()};
  RetryPolicy p(h.env, RetryConfig{}, "sqs");
  sim::Status result = sim::InternalError("unset");
  Time done;
  auto run = [](RetryPolicy* pol, FakeService* svc, sim::Scheduler* s, sim::Status* res, Time* t) -> sim::Task<void> {
    sim::Status r = co_await pol->CallStatus([svc] { return AttemptStatus(svc); });
    *res = r;
    *t = s->Now();
  };
  h.sched.Spawn(run(&p, &h.svc, &h.sched, &result, &done));
  h.sched.Run();
  EXPECT_TRUE(result.ok());
  EXPECT_EQ(h.svc.attempt_times.size(), 3u);
  EXPECT_EQ(p.stats().throttled, 2u);
  EXPECT_EQ(done, h.svc.attempt_times[2]);
}

sim::Task<void> RunOwnedCall(RetryPolicy* policy, std::unique_ptr<int>* out) {
  sim::StatusOr<std::unique_ptr<int>> r = co_await policy->Call<std::unique_ptr<int>>(
      []() -> sim::Task<sim::StatusOr<std::unique_ptr<int>>> { co_return std::make_unique<int>(11); });
  if (r.ok()) *out = std::move(r).value();
}

TEST(RetryPolicy, CallReturnsMoveOnlyValues) {
  Harness h;
  RetryPolicy p(h.env, RetryConfig{}, "s3");
  std::unique_ptr<int> got;
  h.sched.Spawn(RunOwnedCall(&p, &got));
  h.sched.Run();
  ASSERT_NE(got, nullptr);
  EXPECT_EQ(*got, 11);
}

TEST(RetryPolicy, InterruptDuringBackoffReturnsInterruptStatusAtOnce) {
  Harness h;
  h.svc.script.assign(3, Internal());
  RetryPolicy p(h.env, RetryConfig{.base_delay = Seconds(10)}, "lambda");
  sim::Rng r = h.env.Stream("retry.lambda");
  const Duration d1 = ExpectedDelay(r, Seconds(10));
  ASSERT_GT(d1, Milliseconds(2));
  const Time interrupt_at = At(d1 / 2);
  Outcome out;
  const sim::ProcessId pid = h.sched.Spawn(RunCall(&h.sched, &p, &h.svc, &out));
  h.sched.ScheduleAt(interrupt_at, [&] { h.sched.Interrupt(pid, sim::InterruptedError("function timed out")); });
  h.sched.Run();
  ASSERT_TRUE(out.result.has_value());
  EXPECT_EQ(out.result->status().code(), sim::StatusCode::kInterrupted);
  EXPECT_EQ(out.result->status().message(), "function timed out");
  EXPECT_EQ(out.done, interrupt_at);
  EXPECT_EQ(h.svc.attempt_times.size(), 1u);
  EXPECT_EQ(h.sched.Now(), interrupt_at);
}

TEST(RetryPolicy, InterruptedAttemptIsNotRetried) {
  Harness h;
  h.svc.latency = Seconds(1);
  RetryPolicy p(h.env, RetryConfig{}, "lambda");
  Outcome out;
  const sim::ProcessId pid = h.sched.Spawn(RunCall(&h.sched, &p, &h.svc, &out));
  h.sched.ScheduleAt(At(Milliseconds(300)), [&] { h.sched.Interrupt(pid); });
  h.sched.Run();
  EXPECT_EQ(out.result->status().code(), sim::StatusCode::kInterrupted);
  EXPECT_EQ(out.done, At(Milliseconds(300)));
  EXPECT_EQ(p.stats().attempts, 1u);
  EXPECT_EQ(p.stats().retries, 0u);
  EXPECT_EQ(p.quota(), 500);
}

// --- adaptive mode -------------------------------------------------------------

// Expected values come from botocore 1.43's own ClientRateLimiter,
// TokenBucket, RateClocker and CubicCalculator driven by a fake clock with
// the same readings (see docs/retry-policy.md, "Cross-check").
TEST(AdaptiveRateLimiter, MatchesBotocoreOnExplicitTimes) {
  AdaptiveRateLimiter l(0.0);
  EXPECT_FALSE(l.enabled());
  EXPECT_EQ(l.send_rate(), 1.0);
  for (int i = 1; i <= 10; ++i) l.OnResponse(0.1 * i, false);
  // Successes before any throttle: the limiter measures but does not limit.
  EXPECT_FALSE(l.enabled());
  EXPECT_EQ(l.measured_rate(), 9.6);
  EXPECT_EQ(l.send_rate(), 0.5);
  EXPECT_EQ(l.TryAcquire(1.0), 0.0);

  l.OnResponse(1.05, true);
  EXPECT_TRUE(l.enabled());
  EXPECT_EQ(l.w_max(), 9.6);
  EXPECT_EQ(l.send_rate(), 6.72);  // 9.6 * beta
  EXPECT_EQ(l.max_capacity(), 6.72);
  EXPECT_EQ(l.available_tokens(), 0.5750000000000001);
  EXPECT_EQ(l.last_throttle_time(), 1.05);
  EXPECT_EQ(l.TryAcquire(1.05), 0.06324404761904762);
  EXPECT_EQ(l.TryAcquire(1.25), 0.0);
  EXPECT_EQ(l.available_tokens(), 0.9189999999999996);
  EXPECT_EQ(l.TryAcquire(1.3), 0.0);
  EXPECT_EQ(l.available_tokens(), 0.2549999999999999);

  // Repeated throttles cut the rate by beta each time, down to the 0.5/s floor.
  const double throttled_rates[] = {4.704,
                                    3.2927999999999997,
                                    2.3049599999999995,
                                    1.6134719999999996,
                                    1.1294303999999997,
                                    0.7906012799999997,
                                    0.5534208959999998,
                                    0.5,
                                    0.5};
  for (int i = 7; i < 16; ++i) {
    l.OnResponse(0.2 * i, true);
    EXPECT_EQ(l.send_rate(), throttled_rates[i - 7]) << "throttle at " << 0.2 * i;
  }
  EXPECT_EQ(l.measured_rate(), 4.34176);
  EXPECT_EQ(l.max_capacity(), 1.0);

  // Successes grow the rate along the CUBIC curve, capped at twice the
  // measured send rate.
  const double recovered_rates[] = {0.5086754047311262, 1.336651325093362, 2.05346816,
                                    2.010693632,        2.0021387264,      2.00042774528,
                                    2.000085549056,     2.0000171098112,   2.00000342196224};
  for (int i = 4; i < 13; ++i) {
    l.OnResponse(1.0 * i, false);
    EXPECT_EQ(l.send_rate(), recovered_rates[i - 4]) << "success at " << i;
  }
  EXPECT_EQ(l.measured_rate(), 1.00000171098112);
}

sim::Task<sim::Status> ThrottleWindowAttempt(sim::Scheduler* sched, std::vector<Time>* sends) {
  const Time sent = sched->Now();
  sends->push_back(sent);
  sim::Status slept = co_await sched->Sleep(Milliseconds(50));
  if (!slept.ok()) co_return slept;
  if (sent >= At(Seconds(2)) && sent < At(Seconds(3))) co_return Throttle();
  co_return sim::OkStatus();
}

sim::Task<void> SequentialClient(sim::Scheduler* sched, RetryPolicy* policy, std::vector<Time>* sends,
                                 std::vector<double>* rates, int calls) {
  for (int i = 0; i < calls; ++i) {
    sim::Status s = co_await policy->CallStatus([sched, sends] { return ThrottleWindowAttempt(sched, sends); });
    s.IgnoreError();
    rates->push_back(policy->rate_limiter()->send_rate());
  }
}

TEST(RetryPolicy, AdaptiveLimiterSlowsSendsAfterThrottlesAndRecovers) {
  // One client sending back to back, 50 ms per request (20/s); the service
  // throttles every request sent in [2 s, 3 s). One attempt per call, so
  // only the limiter shapes the timing.
  Harness h;
  RetryPolicy p(h.env, RetryConfig{.mode = RetryMode::kAdaptive, .max_attempts = 1}, "ddb");
  std::vector<Time> sends;
  std::vector<double> rates;
  h.sched.Spawn(SequentialClient(&h.sched, &p, &sends, &rates, 120));
  h.sched.Run();
  ASSERT_EQ(sends.size(), 120u);
  // botocore's send times (ns) for the same scenario.
  const int64_t expected_sends[] = {
      0,           50000000,    100000000,  150000000,  200000000,  250000000,  300000000,  350000000,  400000000,
      450000000,   500000000,   550000000,  600000000,  650000000,  700000000,  750000000,  800000000,  850000000,
      900000000,   950000000,   1000000000, 1050000000, 1100000000, 1150000000, 1200000000, 1250000000, 1300000000,
      1350000000,  1400000000,  1450000000, 1500000000, 1550000000, 1600000000, 1650000000, 1700000000, 1750000000,
      1800000000,  1850000000,  1900000000, 1950000000, 2000000000, 2050000000, 2100000000, 2150000000, 2272347180,
      2548890455,  2953135950,  3539813187, 3997105044, 4425102158, 4849638040, 5255369291, 5610218184, 5900295411,
      6149268727,  6343715725,  6505146373, 6645059976, 6774713360, 6902180172, 7029646984, 7131183432, 7213166527,
      7289286270,  7361127701,  7430721793, 7500315884, 7566642432, 7624232435, 7679109437, 7731726513, 7782291249,
      7832291249,  7882291249,  7932291249, 7982291249, 8032291249, 8082291249, 8132291249, 8182291249, 8232291249,
      8282291249,  8332291249,  8382291249, 8432291249, 8482291249, 8532291249, 8582291249, 8632291249, 8682291249,
      8732291249,  8782291249,  8832291249, 8882291249, 8932291249, 8982291249, 9032291249, 9082291249, 9132291249,
      9182291249,  9232291249,  9282291249, 9332291249, 9382291249, 9432291249, 9482291249, 9532291249, 9582291249,
      9632291249,  9682291249,  9732291249, 9782291249, 9832291249, 9882291249, 9932291249, 9982291249, 10032291249,
      10082291249, 10132291249, 10182291249};
  for (std::size_t i = 0; i < 120; ++i) EXPECT_EQ(sends[i].nanos(), expected_sends[i]) << "send " << i;
  // Unthrottled: back to back at 50 ms.
  EXPECT_EQ(sends[40] - sends[39], Milliseconds(50));
  EXPECT_EQ(rates[39], 3.2);
  // First throttle: the rate drops to beta x the measured 19.968/s.
  EXPECT_EQ(rates[40], 13.977599999999999);
  EXPECT_EQ(rates[46], 1.6444506623999995);
  // Slowed: the limiter spaces sends up to ~0.6 s apart.
  EXPECT_EQ(sends[47] - sends[46], Duration::FromNanos(586'677'237));
  // Recovered: back to 50 ms spacing, and the rate allowed is above 20/s again.
  EXPECT_EQ(sends[119] - sends[118], Milliseconds(50));
  EXPECT_EQ(rates[119], 39.9891436182958);
  EXPECT_EQ(p.stats().throttled, 7u);
  EXPECT_EQ(p.stats().gave_up_attempts, 7u);
  EXPECT_GT(p.stats().rate_limit_waits, 0u);
}

TEST(RetryPolicy, AdaptiveDoesNotLimitBeforeFirstThrottle) {
  Harness h;
  RetryPolicy p(h.env, RetryConfig{.mode = RetryMode::kAdaptive}, "ddb");
  std::vector<Time> sends;
  std::vector<double> rates;
  // 40 calls all before the throttle window starts (at 50 ms each: 0..1.95 s).
  h.sched.Spawn(SequentialClient(&h.sched, &p, &sends, &rates, 40));
  h.sched.Run();
  EXPECT_EQ(sends.back(), At(Milliseconds(1950)));
  EXPECT_FALSE(p.rate_limiter()->enabled());
  EXPECT_EQ(p.stats().rate_limit_waits, 0u);
}

sim::Task<void> ThrottledThenWait(sim::Scheduler* sched, RetryPolicy* policy, sim::Status* second, Time* done) {
  // The first call is throttled once at t = 0, which enables the limiter with
  // an empty bucket; the second call must wait for a token.
  sim::Status first = co_await policy->CallStatus([]() -> sim::Task<sim::Status> { co_return Throttle(); });
  first.IgnoreError();
  sim::Status s = co_await policy->CallStatus([]() -> sim::Task<sim::Status> { co_return sim::OkStatus(); });
  *second = s;
  *done = sched->Now();
}

TEST(RetryPolicy, InterruptDuringLimiterWaitReturnsInterruptStatus) {
  Harness h;
  RetryPolicy p(h.env, RetryConfig{.mode = RetryMode::kAdaptive, .max_attempts = 1}, "ddb");
  sim::Status second;
  Time done;
  const sim::ProcessId pid = h.sched.Spawn(ThrottledThenWait(&h.sched, &p, &second, &done));
  h.sched.ScheduleAt(At(Milliseconds(100)), [&] { h.sched.Interrupt(pid, sim::InterruptedError("stop")); });
  h.sched.Run();
  EXPECT_TRUE(p.rate_limiter()->enabled());
  EXPECT_EQ(p.rate_limiter()->send_rate(), 0.5);
  EXPECT_EQ(second.code(), sim::StatusCode::kInterrupted);
  EXPECT_EQ(done, At(Milliseconds(100)));
  EXPECT_EQ(p.stats().attempts, 1u);
  EXPECT_EQ(p.stats().rate_limit_waits, 1u);
}

}  // namespace
}  // namespace emu
