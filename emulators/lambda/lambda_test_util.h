#pragma once

// Shared by the Lambda tests: a fixture with a scheduler, an Env and the
// Lambda service, handlers written as free coroutines (the pattern
// lambda_api.h recommends), and helpers that run a call in its own process
// and record when it finished.

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "emulators/common/env.h"
#include "emulators/lambda/lambda_api.h"
#include "sim/scheduler.h"
#include "sim/status.h"
#include "sim/task.h"

namespace emu::lambda::test_util {

// What handlers saw, for assertions.
struct Probe {
  std::vector<sim::Time> starts;
  std::vector<sim::Time> ends;
  std::vector<sim::Status> statuses;  // of the handler's own awaited call
  std::vector<InvocationInput> inputs;
};

// Sleeps `d` (a service call, say), then returns the payload.
inline sim::Task<sim::StatusOr<InvocationResult>> SleepThenEcho(InvocationContext& ctx, InvocationInput input,
                                                                sim::Duration d, Probe* probe) {
  if (probe) {
    probe->starts.push_back(ctx.env().Now());
    probe->inputs.push_back(input);
  }
  sim::Status slept = co_await ctx.env().sched().Sleep(d);
  if (probe) {
    probe->ends.push_back(ctx.env().Now());
    probe->statuses.push_back(slept);
  }
  if (!slept.ok()) co_return slept;
  InvocationResult r;
  r.payload = input.payload;
  co_return r;
}

inline Handler Echo(sim::Duration d, Probe* probe = nullptr) {
  return [d, probe](InvocationContext& ctx, const InvocationInput& in) { return SleepThenEcho(ctx, in, d, probe); };
}

// Runs `task` in its own process; stores its value and completion time.
template <class T>
sim::Task<void> Capture(sim::Task<T> task, std::optional<T>* out, sim::Time* done_at, sim::Scheduler* sched) {
  T value = co_await std::move(task);
  *out = std::move(value);
  if (done_at != nullptr) *done_at = sched->Now();
}

inline FunctionConfig Config(const std::string& name) {
  FunctionConfig c;
  c.function_name = name;
  c.memory_mb = 1024;
  c.timeout = sim::Seconds(3);
  c.cold_start = LatencySpec::Constant(0.25);
  return c;
}

class LambdaFixture : public ::testing::Test {
 protected:
  LambdaFixture() : env_(sched_, 42), api_(env_, nullptr) {}

  sim::Status Create(FunctionConfig config, Handler handler) {
    std::optional<sim::Status> created;
    sched_.Spawn(
        Capture<sim::Status>(api_.CreateFunction(std::move(config), std::move(handler)), &created, nullptr, &sched_));
    sched_.RunUntil(sched_.Now());
    EXPECT_TRUE(created.has_value());
    return created ? *created : sim::InternalError("CreateFunction did not finish");
  }

  // Starts an Invoke now; the result lands in *out when it finishes.
  void StartInvoke(InvokeRequest request, std::optional<sim::StatusOr<InvokeResponse>>* out,
                   sim::Time* done_at = nullptr) {
    sched_.Spawn(Capture<sim::StatusOr<InvokeResponse>>(api_.Invoke(std::move(request)), out, done_at, &sched_));
  }

  static InvokeRequest Sync(const std::string& fn, std::string payload = "{}") {
    InvokeRequest r;
    r.function_name = fn;
    r.payload = std::move(payload);
    return r;
  }
  static InvokeRequest Async(const std::string& fn, std::string payload = "{}") {
    InvokeRequest r = Sync(fn, std::move(payload));
    r.invocation_type = InvocationType::kEvent;
    return r;
  }

  static sim::Time At(double seconds) { return sim::Time::Zero() + sim::SecondsF(seconds); }

  sim::Scheduler sched_;
  Env env_;
  LambdaApi api_;
};

}  // namespace emu::lambda::test_util
