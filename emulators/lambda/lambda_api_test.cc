#include "emulators/lambda/lambda_api.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "emulators/common/test_util.h"
#include "emulators/lambda/lambda_errors.h"
#include "emulators/lambda/lambda_model.h"
#include "emulators/lambda/lambda_test_util.h"

namespace emu::lambda {
namespace {

using test_util::Capture;
using test_util::Config;
using test_util::Echo;
using test_util::Probe;

using InvokeResult = std::optional<sim::StatusOr<InvokeResponse>>;

// Sleeps as many milliseconds as the payload says.
sim::Task<sim::StatusOr<InvocationResult>> SleepPayloadMs(InvocationContext& ctx, InvocationInput input, Probe* probe) {
  if (probe) probe->starts.push_back(ctx.env().Now());
  sim::Status slept = co_await ctx.env().sched().Sleep(sim::Milliseconds(std::stoll(input.payload)));
  if (probe) probe->ends.push_back(ctx.env().Now());
  if (!slept.ok()) co_return slept;
  co_return InvocationResult{input.payload, {}};
}
Handler SleepsPayloadMs(Probe* probe = nullptr) {
  return [probe](InvocationContext& ctx, const InvocationInput& in) { return SleepPayloadMs(ctx, in, probe); };
}

// Computes `records` records and reports what its Compute call returned.
sim::Task<sim::StatusOr<InvocationResult>> ComputeRecords(InvocationContext& ctx, uint64_t records, Probe* probe) {
  probe->starts.push_back(ctx.env().Now());
  sim::Status computed = co_await ctx.Compute(records, 0);
  probe->ends.push_back(ctx.env().Now());
  probe->statuses.push_back(computed);
  if (!computed.ok()) co_return computed;
  co_return InvocationResult{"done", {}};
}
Handler Computes(uint64_t records, Probe* probe) {
  return
      [records, probe](InvocationContext& ctx, const InvocationInput&) { return ComputeRecords(ctx, records, probe); };
}

sim::Task<sim::StatusOr<InvocationResult>> SleepThenThrow(InvocationContext& ctx) {
  sim::Status slept = co_await ctx.env().sched().Sleep(sim::Milliseconds(5));
  slept.IgnoreError();
  throw std::runtime_error("boom");
  co_return sim::InternalError("unreachable");
}

sim::Task<sim::StatusOr<InvocationResult>> FailWith(InvocationContext& ctx, sim::Status error) {
  sim::Status slept = co_await ctx.env().sched().Sleep(sim::Milliseconds(5));
  slept.IgnoreError();
  co_return error;
}

class LambdaApiTest : public test_util::LambdaFixture {
 protected:
  sim::Time Ms(int64_t ms) const { return sim::Time::Zero() + sim::Milliseconds(ms); }
};

// --- CreateFunction ------------------------------------------------------------

TEST_F(LambdaApiTest, CreateFunctionRejectsInvalidNames) {
  for (const std::string& name : {std::string(), std::string(65, 'a'), std::string("has space"), std::string("a.b")}) {
    FunctionConfig c = Config(name);
    sim::Status s = Create(c, Echo(sim::Milliseconds(1)));
    EXPECT_EQ(s.name(), "InvalidParameterValueException") << name;
    EXPECT_EQ(HttpStatusOf(s), 400);
  }
  EXPECT_TRUE(Create(Config(std::string(64, 'a')), Echo(sim::Milliseconds(1))).ok());
  EXPECT_TRUE(Create(Config("A-z_09"), Echo(sim::Milliseconds(1))).ok());
}

TEST_F(LambdaApiTest, CreateFunctionRejectsMemoryOutsideRange) {
  for (int mb : {127, 10241}) {
    FunctionConfig c = Config("f" + std::to_string(mb));
    c.memory_mb = mb;
    EXPECT_EQ(Create(c, Echo(sim::Milliseconds(1))).name(), "InvalidParameterValueException") << mb;
  }
  for (int mb : {128, 10240}) {
    FunctionConfig c = Config("f" + std::to_string(mb));
    c.memory_mb = mb;
    EXPECT_TRUE(Create(c, Echo(sim::Milliseconds(1))).ok()) << mb;
  }
}

TEST_F(LambdaApiTest, CreateFunctionRejectsTimeoutOutsideRange) {
  for (sim::Duration t : {sim::Duration::Zero(), sim::Seconds(901), sim::Milliseconds(1500)}) {
    FunctionConfig c = Config("f");
    c.timeout = t;
    EXPECT_EQ(Create(c, Echo(sim::Milliseconds(1))).name(), "InvalidParameterValueException") << sim::ToString(t);
  }
  FunctionConfig c = Config("f");
  c.timeout = sim::Seconds(900);
  EXPECT_TRUE(Create(c, Echo(sim::Milliseconds(1))).ok());
}

TEST_F(LambdaApiTest, CreateFunctionRejectsUnknownArchitecture) {
  FunctionConfig c = Config("f");
  c.architecture = "riscv64";
  EXPECT_EQ(Create(c, Echo(sim::Milliseconds(1))).name(), "InvalidParameterValueException");
  c.architecture = "arm64";
  EXPECT_TRUE(Create(c, Echo(sim::Milliseconds(1))).ok());
}

TEST_F(LambdaApiTest, CreateFunctionRejectsDuplicateName) {
  ASSERT_TRUE(Create(Config("f"), Echo(sim::Milliseconds(1))).ok());
  sim::Status again = Create(Config("f"), Echo(sim::Milliseconds(1)));
  EXPECT_EQ(again.name(), "ResourceConflictException");
  EXPECT_EQ(HttpStatusOf(again), 409);
}

TEST_F(LambdaApiTest, ReservedConcurrencyMayNotShrinkUnreservedPoolBelowMinimum) {
  FunctionConfig a = Config("a");
  a.reserved_concurrency = 901;  // 1,000 - 901 < 100
  sim::Status s = Create(a, Echo(sim::Milliseconds(1)));
  EXPECT_EQ(s.name(), "InvalidParameterValueException");
  a.reserved_concurrency = 900;
  EXPECT_TRUE(Create(a, Echo(sim::Milliseconds(1))).ok());
  FunctionConfig b = Config("b");
  b.reserved_concurrency = 1;
  EXPECT_EQ(Create(b, Echo(sim::Milliseconds(1))).name(), "InvalidParameterValueException");
}

TEST_F(LambdaApiTest, CreateFunctionRegistersItsArnAsDeliveryTarget) {
  ASSERT_TRUE(Create(Config("f"), Echo(sim::Milliseconds(1))).ok());
  EXPECT_NE(env_.account().ResolveTarget("arn:aws:lambda:us-east-1:000000000000:function:f"), nullptr);
  EXPECT_EQ(env_.account().ResolveTarget("arn:aws:lambda:us-east-1:000000000000:function:g"), nullptr);
}

// --- synchronous Invoke ----------------------------------------------------------

TEST_F(LambdaApiTest, InvokeUnknownFunctionIsResourceNotFound) {
  InvokeResult out;
  StartInvoke(Sync("nope"), &out);
  sched_.Run();
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->status().name(), "ResourceNotFoundException");
  EXPECT_EQ(HttpStatusOf(out->status()), 404);
  EXPECT_EQ(out->status().message(), "Function not found: arn:aws:lambda:us-east-1:000000000000:function:nope");
}

TEST_F(LambdaApiTest, SyncInvokeReturnsHandlerPayloadAfterColdStartAndHandlerTime) {
  ASSERT_TRUE(Create(Config("f"), Echo(sim::Milliseconds(100))).ok());
  InvokeResult out;
  sim::Time done;
  StartInvoke(Sync("f", R"({"k":1})"), &out, &done);
  sched_.Run();
  ASSERT_TRUE(out.has_value() && out->ok()) << out->status().ToString();
  EXPECT_EQ((*out)->status_code, 200);
  EXPECT_EQ((*out)->function_error, "");
  EXPECT_EQ((*out)->payload, R"({"k":1})");
  EXPECT_EQ(done, Ms(350));  // 250 ms init + 100 ms handler
}

TEST_F(LambdaApiTest, SyncPayloadAboveSixMegabytesIsRequestTooLarge) {
  ASSERT_TRUE(Create(Config("f"), Echo(sim::Milliseconds(1))).ok());
  InvokeResult out;
  StartInvoke(Sync("f", std::string(kMaxSyncPayloadBytes + 1, 'x')), &out);
  sched_.Run();
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->status().name(), "RequestTooLargeException");
  EXPECT_EQ(HttpStatusOf(out->status()), 413);
  EXPECT_EQ(api_.Stats("f")->invocations, 0u);
}

TEST_F(LambdaApiTest, RequestIdsAreDistinctUuids) {
  ASSERT_TRUE(Create(Config("f"), Echo(sim::Milliseconds(1))).ok());
  InvokeResult a, b;
  StartInvoke(Sync("f"), &a);
  StartInvoke(Sync("f"), &b);
  sched_.Run();
  EXPECT_TRUE(emu::test_support::IsUuidV4((*a)->request_id)) << (*a)->request_id;
  EXPECT_TRUE(emu::test_support::IsUuidV4((*b)->request_id)) << (*b)->request_id;
  EXPECT_NE((*a)->request_id, (*b)->request_id);
}

// --- billing -------------------------------------------------------------------------

TEST_F(LambdaApiTest, BilledDurationRoundsUpToTheMillisecond) {
  FunctionConfig c = Config("f");
  c.memory_mb = 512;
  c.cold_start = LatencySpec::Zero();
  ASSERT_TRUE(Create(c, Echo(sim::Microseconds(12'300))).ok());
  InvokeResult out;
  StartInvoke(Sync("f"), &out);
  sched_.Run();
  ASSERT_TRUE(out->ok());
  // 12.3 ms -> 13 ms billed; 0.5 GB x 0.013 s.
  EXPECT_DOUBLE_EQ(api_.Stats("f")->billed_gb_seconds, 0.0065);
  EXPECT_DOUBLE_EQ(env_.cost().units("lambda", "compute_x86"), 0.0065);
  EXPECT_DOUBLE_EQ(env_.cost().units("lambda", "request"), 1);
  EXPECT_DOUBLE_EQ(env_.cost().units("lambda", "compute_arm64"), 0);
}

TEST_F(LambdaApiTest, Arm64FunctionsBillArmComputeAndInitIsNotBilledUnderTheOldRule) {
  api_.bill_init_duration = false;  // managed runtimes before 2025-08-01
  FunctionConfig c = Config("f");
  c.architecture = "arm64";
  c.memory_mb = 2048;
  ASSERT_TRUE(Create(c, Echo(sim::Milliseconds(100))).ok());
  InvokeResult out;
  StartInvoke(Sync("f"), &out);
  sched_.Run();
  ASSERT_TRUE(out->ok());
  // 250 ms of init are not billed: 2 GB x 0.1 s.
  EXPECT_DOUBLE_EQ(env_.cost().units("lambda", "compute_arm64"), 0.2);
  EXPECT_DOUBLE_EQ(env_.cost().units("lambda", "compute_x86"), 0);
}

TEST_F(LambdaApiTest, InitDurationIsBilledByDefaultAsSince2025) {
  EXPECT_TRUE(api_.bill_init_duration);
  FunctionConfig c = Config("f");
  c.memory_mb = 1024;
  ASSERT_TRUE(Create(c, Echo(sim::Microseconds(12'300))).ok());
  InvokeResult out;
  StartInvoke(Sync("f"), &out);
  sched_.Run();
  ASSERT_TRUE(out->ok());
  // 250 ms + 12.3 ms -> 263 ms at 1 GB.
  EXPECT_DOUBLE_EQ(api_.Stats("f")->billed_gb_seconds, 0.263);
}

// --- execution environments ------------------------------------------------------------

TEST_F(LambdaApiTest, SecondInvocationReusesWarmEnvironmentWithoutInit) {
  ASSERT_TRUE(Create(Config("f"), Echo(sim::Milliseconds(100))).ok());
  InvokeResult first, second;
  sim::Time first_done, second_done;
  StartInvoke(Sync("f"), &first, &first_done);
  sched_.RunUntil(Ms(1000));
  StartInvoke(Sync("f"), &second, &second_done);
  sched_.Run();
  ASSERT_TRUE(first->ok() && second->ok());
  EXPECT_EQ(first_done, Ms(350));
  EXPECT_EQ(second_done, Ms(1100));  // no init
  EXPECT_EQ(api_.Stats("f")->cold_starts, 1u);
  EXPECT_EQ(api_.Stats("f")->invocations, 2u);
  EXPECT_EQ(api_.Environments("f"), 1);
}

TEST_F(LambdaApiTest, OverlappingInvocationsEachStartAnEnvironment) {
  ASSERT_TRUE(Create(Config("f"), Echo(sim::Milliseconds(100))).ok());
  InvokeResult a, b;
  StartInvoke(Sync("f"), &a);
  StartInvoke(Sync("f"), &b);
  sched_.Run();
  EXPECT_EQ(api_.Stats("f")->cold_starts, 2u);
  EXPECT_EQ(api_.Stats("f")->peak_concurrent, 2);
  EXPECT_EQ(api_.Stats("f")->concurrent, 0);
  EXPECT_EQ(api_.IdleEnvironments("f"), 2);
}

TEST_F(LambdaApiTest, IdleEnvironmentIsReapedAfterIdleTimeAndNextInvocationIsCold) {
  FunctionConfig c = Config("f");
  c.idle_reap_after = sim::Minutes(10);
  ASSERT_TRUE(Create(c, Echo(sim::Milliseconds(100))).ok());
  InvokeResult first, second;
  StartInvoke(Sync("f"), &first);
  sched_.Run();  // the reap timer is a daemon: Run() returns at 0.35 s
  EXPECT_EQ(sched_.Now(), Ms(350));
  const sim::Time reap_at = Ms(350) + sim::Minutes(10);
  sched_.RunUntil(reap_at - sim::Nanoseconds(1));
  EXPECT_EQ(api_.IdleEnvironments("f"), 1);
  sched_.RunUntil(reap_at);
  EXPECT_EQ(api_.IdleEnvironments("f"), 0);
  EXPECT_EQ(api_.Environments("f"), 0);
  sim::Time done;
  StartInvoke(Sync("f"), &second, &done);
  sched_.Run();
  EXPECT_EQ(api_.Stats("f")->cold_starts, 2u);
  EXPECT_EQ(done, reap_at + sim::Milliseconds(350));
}

TEST_F(LambdaApiTest, MostRecentlyUsedIdleEnvironmentIsReusedFirst) {
  FunctionConfig c = Config("f");
  c.idle_reap_after = sim::Minutes(10);
  ASSERT_TRUE(Create(c, SleepsPayloadMs()).ok());
  InvokeResult a, b, c3;
  StartInvoke(Sync("f", "1000"), &a);  // environment 1 idle from 1.25 s
  StartInvoke(Sync("f", "2000"), &b);  // environment 2 idle from 2.25 s
  sched_.RunUntil(Ms(3000));
  StartInvoke(Sync("f", "100"), &c3);  // takes environment 2, idle again from 3.1 s
  sched_.RunUntil(Ms(1250) + sim::Minutes(10));
  // Environment 1 is reaped; environment 2 stays (reaped at 603.1 s). Had the
  // least recently used one been taken, both would still be idle here.
  EXPECT_EQ(api_.IdleEnvironments("f"), 1);
  sched_.RunUntil(Ms(3100) + sim::Minutes(10));
  EXPECT_EQ(api_.IdleEnvironments("f"), 0);
}

// --- timeouts and function errors ------------------------------------------------------

TEST_F(LambdaApiTest, TimeoutInterruptsHandlerAtItsComputeAtStartPlusTimeout) {
  api_.bill_init_duration = false;  // the handler's own duration only
  FunctionConfig c = Config("f");
  c.memory_mb = 1769;  // one vCPU: 2 us per record
  c.timeout = sim::Seconds(1);
  Probe probe;
  ASSERT_TRUE(Create(c, Computes(1'000'000, &probe)).ok());  // 2 s of CPU
  InvokeResult out;
  sim::Time done;
  StartInvoke(Sync("f"), &out, &done);
  sched_.Run();
  ASSERT_EQ(probe.ends.size(), 1u);
  EXPECT_EQ(probe.starts[0], Ms(250));
  EXPECT_EQ(probe.ends[0], Ms(1250));  // start + timeout
  EXPECT_FALSE(probe.statuses[0].ok());
  EXPECT_EQ(probe.statuses[0].code(), sim::StatusCode::kInterrupted);
  ASSERT_TRUE(out->ok());
  EXPECT_EQ(done, Ms(1250));
  EXPECT_EQ((*out)->status_code, 200);
  EXPECT_EQ((*out)->function_error, "Unhandled");
  EXPECT_EQ((*out)->payload, R"({"errorMessage":"RequestId: )" + (*out)->request_id +
                                 R"( Error: Task timed out after 1.00 seconds","errorType":"Sandbox.Timedout"})");
  const FunctionStats& st = *api_.Stats("f");
  EXPECT_EQ(st.timeouts, 1u);
  EXPECT_EQ(st.errors, 1u);
  EXPECT_DOUBLE_EQ(st.billed_gb_seconds, 1769.0 / 1024.0);  // exactly the timeout
  EXPECT_EQ(api_.Environments("f"), 0);                     // reset after a timeout
}

TEST_F(LambdaApiTest, InvocationAfterTimeoutStartsCold) {
  FunctionConfig c = Config("f");
  c.timeout = sim::Seconds(1);
  ASSERT_TRUE(Create(c, SleepsPayloadMs()).ok());
  InvokeResult first, second;
  StartInvoke(Sync("f", "5000"), &first);
  sched_.Run();
  sim::Time done;
  StartInvoke(Sync("f", "10"), &second, &done);
  const sim::Time start = sched_.Now();
  sched_.Run();
  EXPECT_EQ((*first)->function_error, "Unhandled");
  EXPECT_EQ((*second)->function_error, "");
  EXPECT_EQ(api_.Stats("f")->cold_starts, 2u);
  EXPECT_EQ(done, start + sim::Milliseconds(260));
}

TEST_F(LambdaApiTest, ExceptionInHandlerIsAnUnhandledFunctionError) {
  Handler throws = [](InvocationContext& ctx, const InvocationInput&) { return SleepThenThrow(ctx); };
  ASSERT_TRUE(Create(Config("f"), throws).ok());
  InvokeResult out;
  sim::Time done;
  StartInvoke(Sync("f"), &out, &done);
  sched_.Run();
  ASSERT_TRUE(out->ok());
  EXPECT_EQ((*out)->status_code, 200);
  EXPECT_EQ((*out)->function_error, "Unhandled");
  EXPECT_EQ((*out)->payload, R"({"errorMessage":"boom","errorType":"Exception"})");
  EXPECT_EQ(done, Ms(255));
  EXPECT_EQ(api_.Stats("f")->errors, 1u);
  EXPECT_EQ(api_.IdleEnvironments("f"), 1);  // the runtime survives a handler exception
}

TEST_F(LambdaApiTest, ErrorStatusFromHandlerIsAFunctionErrorNamedAfterIt) {
  Handler fails = [](InvocationContext& ctx, const InvocationInput&) {
    return FailWith(ctx, AwsError(errors::kServiceException, "downstream failed"));
  };
  ASSERT_TRUE(Create(Config("f"), fails).ok());
  InvokeResult out;
  StartInvoke(Sync("f"), &out);
  sched_.Run();
  ASSERT_TRUE(out->ok());
  EXPECT_EQ((*out)->function_error, "Unhandled");
  EXPECT_EQ((*out)->payload, R"({"errorMessage":"downstream failed","errorType":"ServiceException"})");
  EXPECT_EQ(api_.Stats("f")->errors, 1u);
}

// --- concurrency -----------------------------------------------------------------------------

TEST_F(LambdaApiTest, InvocationsAboveAccountConcurrencyAreThrottledWith429) {
  api_.account_concurrency_limit = 2;
  api_.unreserved_concurrency_minimum = 0;
  ASSERT_TRUE(Create(Config("f"), Echo(sim::Seconds(1))).ok());
  InvokeResult a, b, c;
  StartInvoke(Sync("f"), &a);
  StartInvoke(Sync("f"), &b);
  StartInvoke(Sync("f"), &c);
  sched_.RunUntil(Ms(0));
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->status().name(), "TooManyRequestsException");
  EXPECT_EQ(HttpStatusOf(c->status()), 429);
  EXPECT_TRUE(IsThrottlingError(c->status()));
  EXPECT_EQ(c->status().message(), "Rate Exceeded. (ConcurrentInvocationLimitExceeded)");
  sched_.Run();
  EXPECT_TRUE(a->ok() && b->ok());
  const FunctionStats& st = *api_.Stats("f");
  EXPECT_EQ(st.throttles, 1u);
  EXPECT_EQ(st.invocations, 2u);
  EXPECT_EQ(st.peak_concurrent, 2);
  EXPECT_DOUBLE_EQ(env_.cost().units("lambda", "request"), 2);  // throttles are not billed
  InvokeResult d;
  StartInvoke(Sync("f"), &d);
  sched_.Run();
  EXPECT_TRUE(d->ok());  // capacity is back
}

TEST_F(LambdaApiTest, ReservedConcurrencyCapsTheFunctionAndLeavesTheRestToOthers) {
  api_.account_concurrency_limit = 3;
  api_.unreserved_concurrency_minimum = 0;
  FunctionConfig a = Config("a");
  a.reserved_concurrency = 1;
  ASSERT_TRUE(Create(a, Echo(sim::Seconds(1))).ok());
  ASSERT_TRUE(Create(Config("b"), Echo(sim::Seconds(1))).ok());
  InvokeResult a1, a2, b1, b2, b3;
  StartInvoke(Sync("a"), &a1);
  StartInvoke(Sync("a"), &a2);
  StartInvoke(Sync("b"), &b1);
  StartInvoke(Sync("b"), &b2);
  StartInvoke(Sync("b"), &b3);  // the unreserved pool is 3 - 1 = 2
  sched_.Run();
  EXPECT_TRUE(a1->ok());
  EXPECT_EQ(a2->status().message(), "Rate Exceeded. (ReservedFunctionConcurrentInvocationLimitExceeded)");
  EXPECT_EQ(HttpStatusOf(a2->status()), 429);
  EXPECT_TRUE(b1->ok() && b2->ok());
  EXPECT_EQ(b3->status().name(), "TooManyRequestsException");
  EXPECT_EQ(api_.Stats("a")->throttles, 1u);
  EXPECT_EQ(api_.Stats("b")->throttles, 1u);
  EXPECT_EQ(api_.Stats("b")->peak_concurrent, 2);
}

// --- asynchronous invocation ----------------------------------------------------------------

TEST_F(LambdaApiTest, AsyncInvokeIsAcceptedWith202AndRunsLater) {
  Probe probe;
  ASSERT_TRUE(Create(Config("f"), Echo(sim::Milliseconds(100), &probe)).ok());
  InvokeResult out;
  sim::Time accepted_at = sim::Time::Max();
  StartInvoke(Async("f", "event"), &out, &accepted_at);
  sched_.RunUntil(Ms(0));
  ASSERT_TRUE(out.has_value() && out->ok());
  EXPECT_EQ((*out)->status_code, 202);
  EXPECT_EQ((*out)->payload, "");
  EXPECT_EQ(accepted_at, Ms(0));
  EXPECT_TRUE(probe.starts.empty());
  sched_.Run();
  ASSERT_EQ(probe.starts.size(), 1u);
  EXPECT_EQ(probe.starts[0], Ms(250));  // after the cold start
  EXPECT_EQ(probe.inputs[0].payload, "event");
  EXPECT_EQ(api_.Stats("f")->invocations, 1u);
}

TEST_F(LambdaApiTest, ThrottledAsyncEventIsRetriedWithBackoffDoublingFromOneSecond) {
  FunctionConfig c = Config("f");
  c.reserved_concurrency = 1;
  c.timeout = sim::Seconds(10);
  Probe probe;
  ASSERT_TRUE(Create(c, SleepsPayloadMs(&probe)).ok());
  InvokeResult sync, async;
  StartInvoke(Sync("f", "6250"), &sync);  // busy until 6.5 s
  StartInvoke(Async("f", "100"), &async);
  sched_.Run();
  ASSERT_TRUE(sync->ok() && async->ok());
  EXPECT_EQ((*async)->status_code, 202);
  ASSERT_EQ(probe.starts.size(), 2u);
  EXPECT_EQ(probe.starts[1], Ms(7000));  // throttled at 0, 1 and 3 s (waits 1, 2, 4 s); warm at 7 s
  EXPECT_EQ(probe.ends[1], Ms(7100));
  EXPECT_EQ(api_.Stats("f")->throttles, 3u);
  EXPECT_EQ(api_.Stats("f")->cold_starts, 1u);
}

TEST_F(LambdaApiTest, AsyncEventThrottledForSixHoursIsDropped) {
  FunctionConfig c = Config("f");
  c.reserved_concurrency = 0;  // the function cannot run at all
  ASSERT_TRUE(Create(c, Echo(sim::Milliseconds(1))).ok());
  InvokeResult out;
  StartInvoke(Async("f"), &out);
  sched_.Run();
  EXPECT_TRUE(out->ok());
  // Attempts at 0, 1, 3, 7, ..., 511 s (waits doubling from 1 s), then every
  // 5 min up to 21,511 s; at 21,811 s the event is older than 6 h.
  EXPECT_EQ(sched_.Now(), sim::Time::Zero() + sim::Seconds(21'811));
  const FunctionStats& st = *api_.Stats("f");
  EXPECT_EQ(st.async_events_dropped, 1u);
  EXPECT_EQ(st.throttles, 80u);
  EXPECT_EQ(st.invocations, 0u);
  EXPECT_EQ(env_.metrics().GetCounter("lambda.f.async_events_dropped").value(), 1);
}

TEST_F(LambdaApiTest, AsyncPayloadAboveOneMegabyteIsRequestTooLarge) {
  ASSERT_TRUE(Create(Config("f"), Echo(sim::Milliseconds(1))).ok());
  InvokeResult out;
  StartInvoke(Async("f", std::string(kMaxAsyncPayloadBytes + 1, 'x')), &out);
  sched_.Run();
  EXPECT_EQ(out->status().name(), "RequestTooLargeException");
  EXPECT_EQ(api_.Stats("f")->invocations, 0u);
}

TEST_F(LambdaApiTest, DeliveryToTheFunctionArnIsAnAsyncInvocation) {
  Probe probe;
  ASSERT_TRUE(Create(Config("f"), Echo(sim::Milliseconds(1), &probe)).ok());
  DeliveryTarget* target = env_.account().ResolveTarget(env_.account().FunctionArn("f"));
  ASSERT_NE(target, nullptr);
  EXPECT_TRUE(target->Deliver(Delivery{"s3 event", "arn:aws:s3:::bucket", {}}).ok());
  sched_.Run();
  ASSERT_EQ(probe.inputs.size(), 1u);
  EXPECT_EQ(probe.inputs[0].payload, "s3 event");
  EXPECT_EQ(probe.starts[0], Ms(250));
}

// --- compute model ------------------------------------------------------------------------------

TEST_F(LambdaApiTest, ComputeTimeScalesWithMemoryUpToOneVcpu) {
  FunctionConfig c = Config("f");
  c.compute = ComputeProfile{.ns_per_record = 2000, .ns_per_byte = 2, .fixed_ns = 0};
  auto time_at = [&](int mb, uint64_t records, uint64_t bytes) {
    c.memory_mb = mb;
    InvocationContext ctx(env_, c, "id", sim::Time::Max());
    return ctx.ComputeTime(records, bytes);
  };
  EXPECT_EQ(time_at(1769, 1000, 0), sim::Milliseconds(2));
  EXPECT_EQ(time_at(3538, 1000, 0), sim::Milliseconds(2));  // a single thread gains nothing above 1 vCPU
  EXPECT_EQ(time_at(10240, 1000, 0), sim::Milliseconds(2));
  EXPECT_EQ(time_at(128, 1000, 0), sim::Nanoseconds(27'640'625));  // 2 ms x 1769 / 128
  EXPECT_EQ(time_at(1769, 0, 1'000'000), sim::Milliseconds(2));
  c.compute.fixed_ns = 500'000;
  EXPECT_EQ(time_at(1769, 1000, 1000), sim::Nanoseconds(2'502'000));
}

TEST_F(LambdaApiTest, HandlerComputeTakesTheScaledTime) {
  FunctionConfig c = Config("f");
  c.memory_mb = 128;
  c.cold_start = LatencySpec::Zero();
  Probe probe;
  ASSERT_TRUE(Create(c, Computes(1000, &probe)).ok());
  InvokeResult out;
  StartInvoke(Sync("f"), &out);
  sched_.Run();
  ASSERT_TRUE(out->ok());
  EXPECT_EQ((*out)->payload, "done");
  EXPECT_EQ(probe.ends[0] - probe.starts[0], sim::Nanoseconds(27'640'625));
  EXPECT_TRUE(probe.statuses[0].ok());
}

// --- metrics -------------------------------------------------------------------------------------

TEST_F(LambdaApiTest, MetricsCountInvocationsErrorsThrottlesColdStartsAndDurations) {
  api_.account_concurrency_limit = 1;
  api_.unreserved_concurrency_minimum = 0;
  ASSERT_TRUE(Create(Config("f"), SleepsPayloadMs()).ok());
  InvokeResult a, b, c;
  StartInvoke(Sync("f", "100"), &a);
  StartInvoke(Sync("f", "100"), &b);  // throttled
  sched_.Run();
  StartInvoke(Sync("f", "not a number"), &c);  // std::stoll throws: a function error
  sched_.Run();
  sim::MetricsRegistry& m = env_.metrics();
  EXPECT_EQ(m.GetCounter("lambda.f.invocations").value(), 2);
  EXPECT_EQ(m.GetCounter("lambda.f.errors").value(), 1);
  EXPECT_EQ(m.GetCounter("lambda.f.throttles").value(), 1);
  EXPECT_EQ(m.GetCounter("lambda.f.cold_starts").value(), 1);
  EXPECT_EQ(m.GetHistogram("lambda.f.duration_ns").count(), 2u);
  EXPECT_EQ(m.GetHistogram("lambda.f.duration_ns").max(), sim::Milliseconds(100).nanos());
  EXPECT_EQ(m.GetGauge("lambda.concurrent_executions").max(), 1);
  EXPECT_EQ(m.GetCounter("lambda.Invoke.throttles").value(), 1);
}

// --- configuration: ephemeral storage, Get / Update / Delete, concurrency --------------------

TEST_F(LambdaApiTest, CreateFunctionRejectsEphemeralStorageOutsideRange) {
  for (int mb : {511, 10241}) {
    FunctionConfig c = Config("f");
    c.ephemeral_storage_mb = mb;
    EXPECT_EQ(Create(c, Echo(sim::Milliseconds(1))).name(), "InvalidParameterValueException") << mb;
  }
  FunctionConfig c = Config("f");
  c.ephemeral_storage_mb = 10240;
  EXPECT_TRUE(Create(c, Echo(sim::Milliseconds(1))).ok());
}

TEST_F(LambdaApiTest, GetFunctionReturnsTheConfigurationAndArnOrResourceNotFound) {
  FunctionConfig c = Config("f");
  c.memory_mb = 2048;
  c.reserved_concurrency = 7;
  ASSERT_TRUE(Create(c, Echo(sim::Milliseconds(1))).ok());
  std::optional<sim::StatusOr<GetFunctionResponse>> got, missing;
  sched_.Spawn(Capture<sim::StatusOr<GetFunctionResponse>>(api_.GetFunction("f"), &got, nullptr, &sched_));
  sched_.Spawn(Capture<sim::StatusOr<GetFunctionResponse>>(api_.GetFunction("nope"), &missing, nullptr, &sched_));
  sched_.Run();
  ASSERT_TRUE(got->ok());
  EXPECT_EQ((*got)->configuration.memory_mb, 2048);
  EXPECT_EQ((*got)->function_arn, "arn:aws:lambda:us-east-1:000000000000:function:f");
  EXPECT_EQ((*got)->reserved_concurrency, 7);
  EXPECT_EQ((*got)->state, "Active");
  EXPECT_EQ(missing->status().name(), "ResourceNotFoundException");
}

TEST_F(LambdaApiTest, UpdateFunctionConfigurationValidatesAndLaterInvocationsStartCold) {
  ASSERT_TRUE(Create(Config("f"), Echo(sim::Milliseconds(10))).ok());
  InvokeResult first;
  StartInvoke(Sync("f"), &first);
  sched_.Run();
  EXPECT_EQ(api_.IdleEnvironments("f"), 1);
  auto update = [this](UpdateFunctionConfigurationRequest r) {
    std::optional<sim::Status> out;
    sched_.Spawn(Capture<sim::Status>(api_.UpdateFunctionConfiguration(std::move(r)), &out, nullptr, &sched_));
    sched_.Run();
    return *out;
  };
  UpdateFunctionConfigurationRequest bad;
  bad.function_name = "f";
  bad.memory_mb = 64;
  EXPECT_EQ(update(bad).name(), "InvalidParameterValueException");
  EXPECT_EQ(api_.IdleEnvironments("f"), 1);  // nothing changed
  UpdateFunctionConfigurationRequest missing;
  missing.function_name = "nope";
  EXPECT_EQ(update(missing).name(), "ResourceNotFoundException");
  UpdateFunctionConfigurationRequest good;
  good.function_name = "f";
  good.memory_mb = 2048;
  good.timeout = sim::Seconds(900);
  ASSERT_TRUE(update(good).ok());
  EXPECT_EQ(api_.model().Find("f")->config.memory_mb, 2048);
  EXPECT_EQ(api_.model().Find("f")->config.timeout, sim::Seconds(900));
  EXPECT_EQ(api_.IdleEnvironments("f"), 0);  // the old environment is gone
  InvokeResult second;
  StartInvoke(Sync("f"), &second);
  sched_.Run();
  EXPECT_EQ(api_.Stats("f")->cold_starts, 2u);
}

TEST_F(LambdaApiTest, EnvironmentRunningDuringAnUpdateIsNotReused) {
  ASSERT_TRUE(Create(Config("f"), Echo(sim::Seconds(1))).ok());
  InvokeResult first, second;
  StartInvoke(Sync("f"), &first);
  sched_.RunUntil(Ms(500));  // running
  UpdateFunctionConfigurationRequest r;
  r.function_name = "f";
  r.memory_mb = 512;
  std::optional<sim::Status> updated;
  sched_.Spawn(Capture<sim::Status>(api_.UpdateFunctionConfiguration(r), &updated, nullptr, &sched_));
  sched_.Run();
  ASSERT_TRUE(updated->ok() && first->ok());
  EXPECT_EQ(api_.Environments("f"), 0);
  StartInvoke(Sync("f"), &second);
  sched_.Run();
  EXPECT_EQ(api_.Stats("f")->cold_starts, 2u);
}

TEST_F(LambdaApiTest, DeleteFunctionRemovesItAndReturnsItsReservedConcurrency) {
  api_.account_concurrency_limit = 10;
  api_.unreserved_concurrency_minimum = 0;
  FunctionConfig a = Config("a");
  a.reserved_concurrency = 10;
  ASSERT_TRUE(Create(a, Echo(sim::Milliseconds(1))).ok());
  FunctionConfig b = Config("b");
  b.reserved_concurrency = 1;
  EXPECT_EQ(Create(b, Echo(sim::Milliseconds(1))).name(), "InvalidParameterValueException");
  std::optional<sim::Status> deleted, again;
  sched_.Spawn(Capture<sim::Status>(api_.DeleteFunction("a"), &deleted, nullptr, &sched_));
  sched_.Run();
  ASSERT_TRUE(deleted->ok());
  sched_.Spawn(Capture<sim::Status>(api_.DeleteFunction("a"), &again, nullptr, &sched_));
  sched_.Run();
  EXPECT_EQ(again->name(), "ResourceNotFoundException");
  EXPECT_EQ(env_.account().ResolveTarget(env_.account().FunctionArn("a")), nullptr);
  InvokeResult out;
  StartInvoke(Sync("a"), &out);
  sched_.Run();
  EXPECT_EQ(out->status().name(), "ResourceNotFoundException");
  b.reserved_concurrency = 10;
  EXPECT_TRUE(Create(b, Echo(sim::Milliseconds(1))).ok());
}

TEST_F(LambdaApiTest, DeleteFunctionLetsARunningInvocationFinish) {
  ASSERT_TRUE(Create(Config("f"), Echo(sim::Seconds(1))).ok());
  InvokeResult out;
  sim::Time done = sim::Time::Max();
  StartInvoke(Sync("f", "still here"), &out, &done);
  sched_.RunUntil(Ms(500));
  std::optional<sim::Status> deleted;
  sched_.Spawn(Capture<sim::Status>(api_.DeleteFunction("f"), &deleted, nullptr, &sched_));
  sched_.Run();
  ASSERT_TRUE(deleted->ok());
  ASSERT_TRUE(out->ok());
  EXPECT_EQ((*out)->payload, "still here");
  EXPECT_EQ(done, Ms(1250));
  EXPECT_EQ(api_.model().concurrent_executions(), 0);
}

TEST_F(LambdaApiTest, PutFunctionConcurrencyZeroThrottlesEveryInvocationUntilDeleted) {
  ASSERT_TRUE(Create(Config("f"), Echo(sim::Milliseconds(1))).ok());
  std::optional<sim::Status> put, too_much, removed;
  sched_.Spawn(Capture<sim::Status>(api_.PutFunctionConcurrency("f", 0), &put, nullptr, &sched_));
  sched_.Spawn(Capture<sim::Status>(api_.PutFunctionConcurrency("f", 901), &too_much, nullptr, &sched_));
  sched_.Run();
  ASSERT_TRUE(put->ok());
  EXPECT_EQ(too_much->name(), "InvalidParameterValueException");  // 1000 - 901 < 100
  EXPECT_EQ(api_.model().Find("f")->config.reserved_concurrency, 0);
  InvokeResult a, b;
  StartInvoke(Sync("f"), &a);
  sched_.Run();
  EXPECT_EQ(a->status().message(), "Rate Exceeded. (ReservedFunctionConcurrentInvocationLimitExceeded)");
  sched_.Spawn(Capture<sim::Status>(api_.DeleteFunctionConcurrency("f"), &removed, nullptr, &sched_));
  sched_.Run();
  ASSERT_TRUE(removed->ok());
  StartInvoke(Sync("f"), &b);
  sched_.Run();
  EXPECT_TRUE(b->ok());
}

// --- CPU, cold starts, scaling rate ---------------------------------------------------------------

TEST_F(LambdaApiTest, CpuShareIsProportionalToMemoryUpToSixVcpus) {
  EXPECT_EQ(InvocationContext::Vcpus(128), 1);
  EXPECT_EQ(InvocationContext::Vcpus(1769), 1);
  EXPECT_EQ(InvocationContext::Vcpus(1770), 2);
  EXPECT_EQ(InvocationContext::Vcpus(3538), 2);
  EXPECT_EQ(InvocationContext::Vcpus(8845), 5);
  EXPECT_EQ(InvocationContext::Vcpus(10240), 6);
  EXPECT_DOUBLE_EQ(InvocationContext::CpuShare(3538, 8), 2.0);
  EXPECT_DOUBLE_EQ(InvocationContext::CpuShare(3538, 1), 1.0);
  EXPECT_DOUBLE_EQ(InvocationContext::CpuShare(10240, 8), 10240.0 / 1769.0);  // 5.79 of 6 vCPUs
  EXPECT_DOUBLE_EQ(InvocationContext::CpuShare(885, 4), 885.0 / 1769.0);
  FunctionConfig c = Config("f");
  c.memory_mb = 3538;
  c.compute = ComputeProfile{.ns_per_record = 2000, .ns_per_byte = 0, .fixed_ns = 0, .parallelism = 2};
  InvocationContext ctx(env_, c, "id", sim::Time::Max());
  EXPECT_EQ(ctx.ComputeTime(1000, 0), sim::Milliseconds(1));  // two threads on two vCPUs
}

TEST_F(LambdaApiTest, ColdStartInitDurationIsDrawnFromTheConfiguredDistribution) {
  FunctionConfig c = Config("f");
  c.cold_start = LatencySpec::Uniform(0.1, 0.3);
  ASSERT_TRUE(Create(c, Echo(sim::Seconds(1))).ok());
  // 400 overlapping invocations: each starts its own environment.
  constexpr int kN = 400;
  std::vector<std::optional<InvocationOutcome>> outs(kN);
  for (int i = 0; i < kN; ++i) {
    sched_.Spawn(Capture<InvocationOutcome>(api_.InvokeFunction("f", {}), &outs[i], nullptr, &sched_));
  }
  sched_.Run();
  double sum = 0;
  for (const auto& o : outs) {
    ASSERT_TRUE(o->status.ok());
    EXPECT_TRUE(o->cold_start);
    EXPECT_GE(o->init_duration, sim::Milliseconds(100));
    EXPECT_LE(o->init_duration, sim::Milliseconds(300));
    sum += o->init_duration.ToSeconds();
  }
  // Uniform(0.1, 0.3): mean 0.2 s, sd 0.0577 s; the mean of 400 is within
  // 4 standard errors (4 x 0.00289 s).
  EXPECT_NEAR(sum / kN, 0.2, 4 * 0.0577 / 20);
  EXPECT_EQ(api_.Stats("f")->cold_starts, static_cast<uint64_t>(kN));
}

TEST_F(LambdaApiTest, ColdStartRatioMetricFollowsColdAndWarmInvocations) {
  ASSERT_TRUE(Create(Config("f"), Echo(sim::Milliseconds(10))).ok());
  for (int i = 0; i < 4; ++i) {
    InvokeResult out;
    StartInvoke(Sync("f"), &out);
    sched_.Run();
  }
  EXPECT_EQ(api_.Stats("f")->cold_starts, 1u);
  EXPECT_DOUBLE_EQ(api_.Stats("f")->ColdStartRatio(), 0.25);
  EXPECT_DOUBLE_EQ(env_.metrics().GetGauge("lambda.f.cold_start_ratio").value(), 0.25);
}

TEST_F(LambdaApiTest, ScalingRateAllowsAThousandNewEnvironmentsPerTenSecondsRefilledContinuously) {
  api_.account_concurrency_limit = 5000;
  FunctionConfig c = Config("f");
  c.timeout = sim::Seconds(60);
  ASSERT_TRUE(Create(c, Echo(sim::Seconds(30))).ok());
  std::vector<InvokeResult> outs(1001);
  for (auto& o : outs) StartInvoke(Sync("f"), &o);
  sched_.RunUntil(Ms(0));
  EXPECT_EQ(outs[1000]->status().name(), "TooManyRequestsException");
  EXPECT_EQ(outs[1000]->status().message(),
            "Rate Exceeded. (the function's scaling rate of new execution environments)");
  sched_.RunUntil(Ms(9));
  InvokeResult early;
  StartInvoke(Sync("f"), &early);
  sched_.RunUntil(Ms(9));
  EXPECT_EQ(early->status().name(), "TooManyRequestsException");  // 9 ms refill < one environment (10 ms)
  sched_.RunUntil(Ms(10));
  InvokeResult refilled, next;
  StartInvoke(Sync("f"), &refilled);
  StartInvoke(Sync("f"), &next);
  sched_.RunUntil(Ms(10));
  EXPECT_FALSE(refilled.has_value());  // admitted, running
  EXPECT_EQ(next->status().name(), "TooManyRequestsException");
  sched_.Run();
  EXPECT_EQ(api_.Stats("f")->scaling_throttles, 3u);
  EXPECT_EQ(api_.Stats("f")->peak_concurrent, 1001);
  EXPECT_EQ(env_.metrics().GetCounter("lambda.f.scaling_throttles").value(), 3);
}

// --- asynchronous retries and destinations -------------------------------------------------------

// Records what a destination receives.
class RecordingTarget : public DeliveryTarget {
 public:
  sim::Status Deliver(const Delivery& d) override {
    got.push_back(d);
    return sim::OkStatus();
  }
  std::vector<Delivery> got;
};

sim::Task<sim::StatusOr<InvocationResult>> FailAfter5Ms(InvocationContext& ctx, Probe* probe) {
  probe->starts.push_back(ctx.env().Now());
  sim::Status slept = co_await ctx.env().sched().Sleep(sim::Milliseconds(5));
  slept.IgnoreError();
  throw std::runtime_error("boom");
  co_return sim::InternalError("unreachable");
}
Handler FailsAfter5Ms(Probe* probe) {
  return [probe](InvocationContext& ctx, const InvocationInput&) { return FailAfter5Ms(ctx, probe); };
}

class LambdaAsyncTest : public LambdaApiTest {
 protected:
  LambdaAsyncTest() {
    env_.account().RegisterTarget(kQueueArn, &queue_);
    env_.account().RegisterTarget(kTopicArn, &topic_);
  }
  ~LambdaAsyncTest() override {
    env_.account().UnregisterTarget(kQueueArn);
    env_.account().UnregisterTarget(kTopicArn);
  }
  sim::Status PutConfig(const std::string& fn, EventInvokeConfig c) {
    std::optional<sim::Status> out;
    sched_.Spawn(Capture<sim::Status>(api_.PutFunctionEventInvokeConfig(fn, std::move(c)), &out, nullptr, &sched_));
    sched_.RunUntil(sched_.Now());
    return *out;
  }
  static constexpr const char* kQueueArn = "arn:aws:sqs:us-east-1:000000000000:failures";
  static constexpr const char* kTopicArn = "arn:aws:sns:us-east-1:000000000000:failures";
  RecordingTarget queue_;
  RecordingTarget topic_;
};

TEST_F(LambdaAsyncTest, FunctionErrorIsRetriedTwiceAfterOneThenTwoMinutes) {
  Probe probe;
  ASSERT_TRUE(Create(Config("f"), FailsAfter5Ms(&probe)).ok());
  InvokeResult out;
  StartInvoke(Async("f"), &out);
  sched_.Run();
  ASSERT_EQ(probe.starts.size(), 3u);
  EXPECT_EQ(probe.starts[0], Ms(250));      // cold start
  EXPECT_EQ(probe.starts[1], Ms(60'255));   // failed at 255 ms + 1 min (warm)
  EXPECT_EQ(probe.starts[2], Ms(180'260));  // failed at 60.26 s + 2 min
  const FunctionStats& st = *api_.Stats("f");
  EXPECT_EQ(st.async_retries, 2u);
  EXPECT_EQ(st.errors, 3u);
  EXPECT_EQ(st.async_events_dropped, 1u);  // no destination
}

TEST_F(LambdaAsyncTest, TimeoutIsAFunctionErrorAndIsRetried) {
  Probe probe;
  ASSERT_TRUE(Create(Config("f"), SleepsPayloadMs(&probe)).ok());  // timeout 3 s
  EventInvokeConfig c;
  c.maximum_retry_attempts = 1;
  c.on_failure_destination = kQueueArn;
  ASSERT_TRUE(PutConfig("f", c).ok());
  InvokeResult out;
  StartInvoke(Async("f", "5000"), &out);
  sched_.Run();
  ASSERT_EQ(probe.starts.size(), 2u);
  EXPECT_EQ(probe.starts[0], Ms(250));
  EXPECT_EQ(probe.starts[1], Ms(63'500));  // timed out at 3.25 s, reset; 1 min later, cold again
  EXPECT_EQ(api_.Stats("f")->timeouts, 2u);
  EXPECT_EQ(api_.Stats("f")->cold_starts, 2u);
  ASSERT_EQ(queue_.got.size(), 1u);
  nlohmann::json record = nlohmann::json::parse(queue_.got[0].body);
  EXPECT_EQ(record["requestContext"]["approximateInvokeCount"], 2);
  EXPECT_EQ(record["responsePayload"]["errorType"], "Sandbox.Timedout");
}

TEST_F(LambdaAsyncTest, PutFunctionEventInvokeConfigValidatesItsLimits) {
  ASSERT_TRUE(Create(Config("f"), Echo(sim::Milliseconds(1))).ok());
  EventInvokeConfig c;
  c.maximum_retry_attempts = 3;
  EXPECT_EQ(PutConfig("f", c).name(), "InvalidParameterValueException");
  c.maximum_retry_attempts = -1;
  EXPECT_EQ(PutConfig("f", c).name(), "InvalidParameterValueException");
  c.maximum_retry_attempts = 0;
  for (sim::Duration age : {sim::Seconds(59), sim::Seconds(21'601), sim::Milliseconds(60'500)}) {
    c.maximum_event_age = age;
    EXPECT_EQ(PutConfig("f", c).name(), "InvalidParameterValueException") << sim::ToString(age);
  }
  c.maximum_event_age = sim::Seconds(60);
  c.on_failure_destination = "arn:aws:s3:::bucket";
  EXPECT_EQ(PutConfig("f", c).name(), "InvalidParameterValueException");
  c.on_failure_destination = kQueueArn;
  c.on_success_destination = kTopicArn;
  EXPECT_TRUE(PutConfig("f", c).ok());
  EXPECT_EQ(PutConfig("nope", c).name(), "ResourceNotFoundException");
}

TEST_F(LambdaAsyncTest, OnFailureRecordHasTheDocumentedFormat) {
  Probe probe;
  ASSERT_TRUE(Create(Config("f"), FailsAfter5Ms(&probe)).ok());
  EventInvokeConfig c;
  c.maximum_retry_attempts = 0;
  c.on_failure_destination = kQueueArn;
  ASSERT_TRUE(PutConfig("f", c).ok());
  InvokeResult out;
  StartInvoke(Async("f", R"({"k":1})"), &out);
  sched_.Run();
  ASSERT_EQ(queue_.got.size(), 1u);
  EXPECT_EQ(probe.starts.size(), 1u);
  const std::string id = (*out)->request_id;
  EXPECT_EQ(queue_.got[0].body,
            R"({"version":"1.0","timestamp":"2026-01-01T00:00:00.255Z","requestContext":{"requestId":")" + id +
                R"(","functionArn":"arn:aws:lambda:us-east-1:000000000000:function:f:$LATEST","condition":)"
                R"("RetriesExhausted","approximateInvokeCount":1},"requestPayload":{"k":1},"responseContext":)"
                R"({"statusCode":200,"executedVersion":"$LATEST","functionError":"Unhandled"},"responsePayload":)"
                R"({"errorMessage":"boom","errorType":"Exception"}})");
  EXPECT_EQ(queue_.got[0].source_arn, "arn:aws:lambda:us-east-1:000000000000:function:f");
  EXPECT_EQ(api_.Stats("f")->async_events_failed, 1u);
  EXPECT_EQ(api_.Stats("f")->async_events_dropped, 0u);
}

TEST_F(LambdaAsyncTest, EventOlderThanMaximumEventAgeGoesToTheDestinationAsEventAgeExceeded) {
  FunctionConfig f = Config("f");
  f.reserved_concurrency = 0;
  ASSERT_TRUE(Create(f, Echo(sim::Milliseconds(1))).ok());
  EventInvokeConfig c;
  c.maximum_event_age = sim::Seconds(60);
  c.on_failure_destination = kTopicArn;
  ASSERT_TRUE(PutConfig("f", c).ok());
  InvokeResult out;
  StartInvoke(Async("f", "not json"), &out);
  sched_.Run();
  // Throttled at 0, 1, 3, 7, 15 and 31 s; at 63 s the event is over 60 s old.
  EXPECT_EQ(sched_.Now(), Ms(63'000));
  ASSERT_EQ(topic_.got.size(), 1u);
  EXPECT_EQ(topic_.got[0].body,
            R"({"version":"1.0","timestamp":"2026-01-01T00:01:03.000Z","requestContext":{"requestId":")" +
                (*out)->request_id +
                R"(","functionArn":"arn:aws:lambda:us-east-1:000000000000:function:f:$LATEST","condition":)"
                R"("EventAgeExceeded","approximateInvokeCount":0},"requestPayload":"not json"})");
  EXPECT_EQ(api_.Stats("f")->throttles, 6u);
}

TEST_F(LambdaAsyncTest, OnSuccessDestinationGetsTheResponse) {
  ASSERT_TRUE(Create(Config("f"), Echo(sim::Milliseconds(1))).ok());
  EventInvokeConfig c;
  c.on_success_destination = kQueueArn;
  ASSERT_TRUE(PutConfig("f", c).ok());
  InvokeResult out;
  StartInvoke(Async("f", R"({"echo":true})"), &out);
  sched_.Run();
  ASSERT_EQ(queue_.got.size(), 1u);
  nlohmann::json record = nlohmann::json::parse(queue_.got[0].body);
  EXPECT_EQ(record["requestContext"]["condition"], "Success");
  EXPECT_EQ(record["requestContext"]["approximateInvokeCount"], 1);
  EXPECT_EQ(record["responseContext"], nlohmann::json::parse(R"({"statusCode":200,"executedVersion":"$LATEST"})"));
  EXPECT_EQ(record["responsePayload"], nlohmann::json::parse(R"({"echo":true})"));
  EXPECT_EQ(api_.Stats("f")->async_events_succeeded, 1u);
}

TEST_F(LambdaAsyncTest, FunctionDeadLetterQueueGetsThePayloadWithErrorAttributes) {
  Probe probe;
  FunctionConfig f = Config("f");
  f.dead_letter_target_arn = kQueueArn;
  ASSERT_TRUE(Create(f, FailsAfter5Ms(&probe)).ok());
  EventInvokeConfig c;
  c.maximum_retry_attempts = 1;
  ASSERT_TRUE(PutConfig("f", c).ok());
  InvokeResult out;
  StartInvoke(Async("f", "payload"), &out);
  sched_.Run();
  EXPECT_EQ(probe.starts.size(), 2u);
  ASSERT_EQ(queue_.got.size(), 1u);
  EXPECT_EQ(queue_.got[0].body, "payload");
  const std::map<std::string, std::string> expected = {
      {"ErrorCode", "200"}, {"ErrorMessage", "boom"}, {"RequestID", (*out)->request_id}};
  EXPECT_EQ(queue_.got[0].attributes, expected);
  EXPECT_EQ(api_.Stats("f")->async_events_failed, 1u);
}

TEST_F(LambdaAsyncTest, OnFailureDestinationCanBeAnotherFunction) {
  Probe failing, handler;
  ASSERT_TRUE(Create(Config("f"), FailsAfter5Ms(&failing)).ok());
  ASSERT_TRUE(Create(Config("on-failure"), Echo(sim::Milliseconds(1), &handler)).ok());
  EventInvokeConfig c;
  c.maximum_retry_attempts = 0;
  c.on_failure_destination = env_.account().FunctionArn("on-failure");
  ASSERT_TRUE(PutConfig("f", c).ok());
  InvokeResult out;
  StartInvoke(Async("f", "{}"), &out);
  sched_.Run();
  ASSERT_EQ(handler.inputs.size(), 1u);
  nlohmann::json record = nlohmann::json::parse(handler.inputs[0].payload);
  EXPECT_EQ(record["requestContext"]["condition"], "RetriesExhausted");
  EXPECT_EQ(handler.starts[0], Ms(505));  // f failed at 255 ms, then a cold start of on-failure
}

// --- billing -------------------------------------------------------------------------------------

TEST_F(LambdaApiTest, GbSecondsAndRequestsAreBilledPerFunction) {
  api_.bill_init_duration = false;  // the handler's own duration only
  FunctionConfig a = Config("a");
  a.memory_mb = 2048;
  FunctionConfig b = Config("b");
  b.memory_mb = 128;
  ASSERT_TRUE(Create(a, SleepsPayloadMs()).ok());
  ASSERT_TRUE(Create(b, SleepsPayloadMs()).ok());
  InvokeResult a1, a2, b1;
  StartInvoke(Sync("a", "1000"), &a1);
  StartInvoke(Sync("a", "500"), &a2);
  StartInvoke(Sync("b", "2000"), &b1);
  sched_.Run();
  EXPECT_DOUBLE_EQ(api_.Stats("a")->billed_gb_seconds, 2.0 * 1.5);
  EXPECT_DOUBLE_EQ(api_.Stats("b")->billed_gb_seconds, 0.125 * 2.0);
  EXPECT_DOUBLE_EQ(env_.cost().units("lambda", "request"), 3);
  EXPECT_DOUBLE_EQ(env_.cost().units("lambda", "compute_x86"), 3.25);
}

}  // namespace
}  // namespace emu::lambda
