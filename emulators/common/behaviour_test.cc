#include "emulators/common/behaviour.h"

#include <gtest/gtest.h>

#include <cmath>
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

// --- LatencySpec -----------------------------------------------------------------

TEST(LatencySpec, ParseAndToStringRoundTrip) {
  for (const char* text :
       {"zero", "constant(0.01)", "uniform(0.01,0.02)", "exponential(0.5)", "lognormal(0.02,0.01)",
        "heavytail(1,0.5,0.01,30,1.5)"}) {
    sim::StatusOr<LatencySpec> spec = LatencySpec::Parse(text);
    ASSERT_TRUE(spec.ok()) << text << ": " << spec.status().ToString();
    EXPECT_EQ(spec->ToString(), text);
  }
}

TEST(LatencySpec, ParseReadsKindAndArguments) {
  sim::StatusOr<LatencySpec> u = LatencySpec::Parse("uniform(0.25,1.5)");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->kind, LatencySpec::Kind::kUniform);
  EXPECT_EQ(u->a, 0.25);
  EXPECT_EQ(u->b, 1.5);
  sim::StatusOr<LatencySpec> z = LatencySpec::Parse("zero");
  ASSERT_TRUE(z.ok());
  EXPECT_EQ(z->kind, LatencySpec::Kind::kZero);
  // Built specs print in the same syntax and parse back to the same values.
  const LatencySpec built = LatencySpec::LogNormal(0.125, 0.0625);
  sim::StatusOr<LatencySpec> back = LatencySpec::Parse(built.ToString());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->kind, LatencySpec::Kind::kLogNormal);
  EXPECT_EQ(back->a, 0.125);
  EXPECT_EQ(back->b, 0.0625);
}

TEST(LatencySpec, ParseRejectsBadSpecsNamingThem) {
  for (const char* text : {"", "constant", "constant(-1)", "uniform(0.02,0.01)", "lognormal(0,0.1)", "gaussian(1)",
                           "uniform(1)", "constant(1,2)", "constant(abc)", "exponential(0.1",
                           "heavytail(1,0.5,1.5,30,1.5)", "heavytail(1,0.5,0.1,0,1.5)", "heavytail(1,0.5,0.1,30)",
                           "lognormal(1,0.5,0.1)"}) {
    sim::StatusOr<LatencySpec> spec = LatencySpec::Parse(text);
    ASSERT_FALSE(spec.ok()) << text;
    EXPECT_EQ(spec.status().code(), sim::StatusCode::kInvalidArgument) << text;
    EXPECT_NE(spec.status().message().find("'" + std::string(text) + "'"), std::string_view::npos)
        << spec.status().message();
  }
}

double MeanSeconds(const LatencySpec& spec, int n) {
  sim::Rng rng(7);
  double sum = 0;
  for (int i = 0; i < n; ++i) sum += spec.Sample(rng).ToSeconds();
  return sum / n;
}

TEST(LatencySpec, HeavyTailDrawsTheTailAtItsProbability) {
  // 2% of draws from Pareto(60 s, 1.5): all >= 60 s; the lognormal body
  // (mean 1 s, sd 0.5 s) essentially never reaches 60 s.
  const LatencySpec spec = LatencySpec::HeavyTail(1.0, 0.5, 0.02, 60, 1.5);
  sim::Rng rng(3);
  constexpr int kDraws = 100'000;
  int tail = 0;
  for (int i = 0; i < kDraws; ++i) tail += spec.Sample(rng) >= sim::Seconds(60);
  const double p = 0.02;
  EXPECT_NEAR(static_cast<double>(tail) / kDraws, p, 5 * std::sqrt(p * (1 - p) / kDraws));
}

TEST(LatencySpec, ZeroAndConstantSampleExactly) {
  sim::Rng rng(1);
  EXPECT_EQ(LatencySpec::Zero().Sample(rng), Duration::Zero());
  EXPECT_EQ(LatencySpec::Constant(0.015).Sample(rng), Milliseconds(15));
  EXPECT_EQ(LatencySpec::Constant(0.015).Sample(rng), Milliseconds(15));
}

TEST(LatencySpec, UniformSamplesStayInRangeWithMidpointMean) {
  sim::Rng rng(3);
  const LatencySpec spec = LatencySpec::Uniform(0.01, 0.03);
  for (int i = 0; i < 10'000; ++i) {
    const Duration d = spec.Sample(rng);
    ASSERT_GE(d, Milliseconds(10));
    ASSERT_LE(d, Milliseconds(30));
  }
  EXPECT_NEAR(MeanSeconds(spec, 100'000), 0.02, 0.02 * 0.01);
}

TEST(LatencySpec, ExponentialMeanMatches) {
  EXPECT_NEAR(MeanSeconds(LatencySpec::Exponential(0.05), 200'000), 0.05, 0.05 * 0.02);
}

TEST(LatencySpec, LogNormalMeanMatches) {
  EXPECT_NEAR(MeanSeconds(LatencySpec::LogNormal(0.02, 0.01), 200'000), 0.02, 0.02 * 0.02);
}

// --- Operation ---------------------------------------------------------------------

struct Harness {
  sim::Scheduler sched;
  Env env{sched, 42};
};

// Calls Begin() at each of `times` and records whether it drew an error.
std::vector<bool> FailuresAt(Harness& h, Operation& op, const std::vector<Time>& times) {
  std::vector<bool> failed;
  for (Time t : times) {
    h.sched.ScheduleAt(t, [&op, &failed] { failed.push_back(!op.Begin().error.ok()); });
  }
  h.sched.Run();
  return failed;
}

TEST(Operation, InjectedErrorsOnlyInsideTheirWindow) {
  Harness h;
  Operation op(h.env, "sqs", "SendMessage", "request");
  op.faults.push_back(FaultSpec{.error_rate = 1.0, .from = At(Seconds(10)), .until = At(Seconds(20))});
  const std::vector<bool> failed =
      FailuresAt(h, op,
                 {At(Seconds(5)), At(Seconds(10) - Duration::FromNanos(1)), At(Seconds(10)), At(Seconds(15)),
                  At(Seconds(20) - Duration::FromNanos(1)), At(Seconds(20)), At(Seconds(25))});
  EXPECT_EQ(failed, (std::vector<bool>{false, false, true, true, true, false, false}));
}

TEST(Operation, InjectedErrorRateDrawsFromTheFaultStream) {
  Harness h;
  Operation op(h.env, "sqs", "SendMessage", "request");
  op.faults.push_back(FaultSpec{.error_rate = 0.3, .error = &errors::kServiceUnavailable});
  int failures = 0;
  for (int i = 0; i < 1000; ++i) {
    const Operation::Draw d = op.Begin();
    if (!d.error.ok()) {
      ++failures;
      EXPECT_EQ(AwsErrorOf(d.error), &errors::kServiceUnavailable);
    }
  }
  // Exactly the draws of the operation's own stream below the rate.
  sim::Rng r = h.env.Stream("sqs.SendMessage.faults");
  int expected = 0;
  for (int i = 0; i < 1000; ++i) expected += r.NextDouble() < 0.3 ? 1 : 0;
  EXPECT_EQ(failures, expected);
  EXPECT_GT(failures, 250);
  EXPECT_LT(failures, 350);
}

TEST(Operation, FailCallsFailsExactlyThoseCalls) {
  Harness h;
  Operation op(h.env, "s3", "PutObject", "put_request");
  op.faults.push_back(FaultSpec{.error = &errors::kInternalError, .fail_calls = {2, 5}});
  std::vector<uint64_t> failed_calls;
  for (int i = 0; i < 8; ++i) {
    const Operation::Draw d = op.Begin();
    if (!d.error.ok()) {
      failed_calls.push_back(op.calls());
      EXPECT_EQ(AwsErrorOf(d.error), &errors::kInternalError);
    }
  }
  EXPECT_EQ(failed_calls, (std::vector<uint64_t>{2, 5}));
}

TEST(Operation, ThrottleHookThrottlesAfterFaults) {
  Harness h;
  Operation op(h.env, "lambda", "Invoke", "request");
  int throttle_calls = 0;
  op.throttle = [&throttle_calls]() -> sim::Status {
    ++throttle_calls;
    return throttle_calls % 2 == 0 ? AwsError(errors::kThrottlingException, "rate exceeded") : sim::OkStatus();
  };
  op.faults.push_back(FaultSpec{.fail_calls = {1}});
  std::vector<std::string> outcomes;
  for (int i = 0; i < 4; ++i) {
    const Operation::Draw d = op.Begin();
    outcomes.push_back(std::string(d.error.ok() ? "ok" : d.error.name()));
    op.End(d.error, d.latency);
  }
  // Call 1 fails from the injected fault before the hook is consulted.
  EXPECT_EQ(outcomes, (std::vector<std::string>{"InternalError", "ok", "ThrottlingException", "ok"}));
  EXPECT_EQ(throttle_calls, 3);
  EXPECT_EQ(h.env.metrics().GetCounter("lambda.Invoke.throttles").value(), 1);
  EXPECT_EQ(h.env.metrics().GetCounter("lambda.Invoke.errors").value(), 2);
}

TEST(Operation, RecordsRequestErrorAndLatencyMetrics) {
  Harness h;
  Operation op(h.env, "sqs", "ReceiveMessage", "request");
  op.latency = LatencySpec::Constant(0.004);
  op.faults.push_back(FaultSpec{.fail_calls = {3}});
  for (int i = 0; i < 5; ++i) {
    const Operation::Draw d = op.Begin();
    EXPECT_EQ(d.latency, Milliseconds(4));
    op.End(d.error, d.latency);
  }
  EXPECT_EQ(op.calls(), 5u);
  EXPECT_EQ(h.env.metrics().GetCounter("sqs.ReceiveMessage.requests").value(), 5);
  EXPECT_EQ(h.env.metrics().GetCounter("sqs.ReceiveMessage.errors").value(), 1);
  EXPECT_EQ(h.env.metrics().GetCounter("sqs.ReceiveMessage.throttles").value(), 0);
  const sim::Histogram& lat = h.env.metrics().GetHistogram("sqs.ReceiveMessage.latency_ns");
  EXPECT_EQ(lat.count(), 5u);
  EXPECT_EQ(lat.min(), 4'000'000);
  EXPECT_EQ(lat.max(), 4'000'000);
}

TEST(Operation, BillsEveryCallIncludingFailures) {
  Harness h;
  Operation put(h.env, "s3", "PutObject", "put_request");
  Operation head(h.env, "s3", "HeadBucket", "");
  put.faults.push_back(FaultSpec{.fail_calls = {1, 2}});
  for (int i = 0; i < 3; ++i) put.Begin();
  for (int i = 0; i < 4; ++i) head.Begin();
  EXPECT_EQ(h.env.cost().units("s3", "put_request"), 3.0);
  EXPECT_DOUBLE_EQ(h.env.cost().UsdFor("s3"), 3 * 0.000005);
  // An operation without a price item bills nothing.
  EXPECT_EQ(h.env.cost().usage().size(), 1u);
}

TEST(ServiceBehaviour, DeclaresFindsAndSetsLatency) {
  Harness h;
  ServiceBehaviour svc(h.env, "sqs");
  svc.Declare("SendMessage", "request");
  svc.Declare("DeleteMessage", "request");
  EXPECT_EQ(svc.OperationNames(), (std::vector<std::string>{"DeleteMessage", "SendMessage"}));
  EXPECT_EQ(svc.Find("PurgeQueue"), nullptr);
  ASSERT_NE(svc.Find("SendMessage"), nullptr);
  EXPECT_EQ(&svc.Get("SendMessage"), svc.Find("SendMessage"));
  svc.SetLatency(LatencySpec::Constant(0.002));
  EXPECT_EQ(svc.Get("DeleteMessage").latency.ToString(), "constant(0.002)");
  EXPECT_THROW(svc.Declare("SendMessage", "request"), sim::InvariantViolation);
  EXPECT_THROW(svc.Get("PurgeQueue"), sim::InvariantViolation);
}

// --- RunOperation ------------------------------------------------------------------

struct CallResult {
  std::optional<sim::StatusOr<int>> result;
  Time done;
  std::optional<Time> body_ran_at;
};

sim::Task<void> CallOnce(Operation* op, CallResult* out) {
  sim::Scheduler& sched = op->env().sched();
  sim::StatusOr<int> r = co_await RunOperation<int>(*op, [op, out]() -> sim::StatusOr<int> {
    out->body_ran_at = op->env().Now();
    return 42;
  });
  out->result = std::move(r);
  out->done = sched.Now();
}

TEST(RunOperation, AppliesLatencyAndRunsBodyAtCompletion) {
  Harness h;
  Operation op(h.env, "s3", "GetObject", "get_request");
  op.latency = LatencySpec::Constant(0.25);
  CallResult out;
  h.sched.ScheduleAt(At(Seconds(1)), [&] { h.sched.Spawn(CallOnce(&op, &out)); });
  h.sched.Run();
  ASSERT_TRUE(out.result.has_value());
  ASSERT_TRUE(out.result->ok());
  EXPECT_EQ(**out.result, 42);
  EXPECT_EQ(out.body_ran_at, At(Milliseconds(1250)));
  EXPECT_EQ(out.done, At(Milliseconds(1250)));
  EXPECT_EQ(h.env.metrics().GetHistogram("s3.GetObject.latency_ns").max(), 250'000'000);
}

TEST(RunOperation, InjectedFaultSkipsBodyAfterLatency) {
  Harness h;
  Operation op(h.env, "s3", "GetObject", "get_request");
  op.latency = LatencySpec::Constant(0.1);
  op.faults.push_back(FaultSpec{.error = &errors::kServiceUnavailable, .fail_calls = {1}});
  CallResult out;
  h.sched.Spawn(CallOnce(&op, &out));
  h.sched.Run();
  EXPECT_EQ(AwsErrorOf(out.result->status()), &errors::kServiceUnavailable);
  EXPECT_EQ(out.done, At(Milliseconds(100)));
  EXPECT_FALSE(out.body_ran_at.has_value());
  EXPECT_EQ(h.env.metrics().GetCounter("s3.GetObject.errors").value(), 1);
}

TEST(RunOperation, ZeroLatencyModeTakesNoTimeAndSchedulesNoEvent) {
  // Baseline: an operation with no latency at all.
  Harness base;
  Operation base_op(base.env, "s3", "GetObject", "get_request");
  CallResult base_out;
  base.sched.Spawn(CallOnce(&base_op, &base_out));
  base.sched.Run();

  Harness h;
  h.env.set_zero_latency(true);
  Operation op(h.env, "s3", "GetObject", "get_request");
  op.latency = LatencySpec::Constant(5.0);
  EXPECT_EQ(op.Begin().latency, Duration::Zero());
  CallResult out;
  h.sched.Spawn(CallOnce(&op, &out));
  h.sched.Run();
  ASSERT_TRUE(out.result->ok());
  EXPECT_EQ(out.done, Time::Zero());
  EXPECT_EQ(out.body_ran_at, Time::Zero());
  EXPECT_EQ(h.sched.stats().events_scheduled, base.sched.stats().events_scheduled);

  // The same latency outside zero-latency mode costs one sleep event.
  Harness slow;
  Operation slow_op(slow.env, "s3", "GetObject", "get_request");
  slow_op.latency = LatencySpec::Constant(5.0);
  CallResult slow_out;
  slow.sched.Spawn(CallOnce(&slow_op, &slow_out));
  slow.sched.Run();
  EXPECT_EQ(slow_out.done, At(Seconds(5)));
  EXPECT_EQ(slow.sched.stats().events_scheduled, base.sched.stats().events_scheduled + 1);
}

TEST(RunOperation, InterruptDuringLatencyReturnsInterruptAndSkipsBody) {
  Harness h;
  Operation op(h.env, "lambda", "Invoke", "request");
  op.latency = LatencySpec::Constant(2.0);
  CallResult out;
  const sim::ProcessId pid = h.sched.Spawn(CallOnce(&op, &out));
  h.sched.ScheduleAt(At(Milliseconds(700)), [&] { h.sched.Interrupt(pid, sim::InterruptedError("timeout")); });
  h.sched.Run();
  ASSERT_TRUE(out.result.has_value());
  EXPECT_EQ(out.result->status().code(), sim::StatusCode::kInterrupted);
  EXPECT_EQ(out.result->status().message(), "timeout");
  EXPECT_EQ(out.done, At(Milliseconds(700)));
  EXPECT_FALSE(out.body_ran_at.has_value());
  EXPECT_EQ(h.sched.Now(), At(Milliseconds(700)));
}

sim::Task<void> CallStatusOnce(Operation* op, sim::Status* result, Time* done, int* bodies) {
  sim::Status s = co_await RunOperationStatus(*op, [bodies] {
    ++*bodies;
    return sim::OkStatus();
  });
  *result = s;
  *done = op->env().Now();
}

TEST(RunOperation, StatusVariantAppliesLatencyAndFaults) {
  Harness h;
  Operation op(h.env, "sqs", "DeleteMessage", "request");
  op.latency = LatencySpec::Constant(0.03);
  op.faults.push_back(FaultSpec{.error = &errors::kInternalError, .fail_calls = {2}});
  sim::Status first = sim::InternalError("unset"), second = sim::OkStatus();
  Time t1, t2;
  int bodies = 0;
  h.sched.Spawn(CallStatusOnce(&op, &first, &t1, &bodies));
  h.sched.Run();
  h.sched.Spawn(CallStatusOnce(&op, &second, &t2, &bodies));
  h.sched.Run();
  EXPECT_TRUE(first.ok());
  EXPECT_EQ(t1, At(Milliseconds(30)));
  EXPECT_EQ(AwsErrorOf(second), &errors::kInternalError);
  EXPECT_EQ(t2, At(Milliseconds(60)));
  EXPECT_EQ(bodies, 1);
}

}  // namespace
}  // namespace emu
