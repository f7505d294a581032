// Lambda benchmark (issue 6): invocations per second through an SQS event
// source mapping at zero latency, with a trivial handler: receive, invoke,
// delete, for every batch. The queue is filled first (not timed); the
// mapping then drains it with pinned, pre-warmed pollers, enough that
// nothing throttles (the throttle count is printed and must be 0). Also
// prints simulated events per invocation. Timed by the thread's CPU clock
// (the run is single-threaded: equal to wall time on an idle machine, and
// unchanged by other jobs on the cores). Medians over --repeat runs.

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "bench_util.h"
#include "emulators/common/env.h"
#include "emulators/lambda/event_source_mapping.h"
#include "emulators/lambda/lambda_api.h"
#include "emulators/sqs/sqs_api.h"
#include "sim/scheduler.h"

namespace {

sim::Task<sim::StatusOr<emu::lambda::InvocationResult>> Trivial(emu::lambda::InvocationContext&,
                                                               const emu::lambda::InvocationInput&) {
  co_return emu::lambda::InvocationResult{};
}

struct Setup {
  bool ok = false;
  std::string mapping;
};

sim::Task<void> Fill(emu::sqs::SqsApi& sqs, emu::lambda::LambdaApi& lambda, uint64_t messages, int batch_size,
                     int pollers, Setup& setup) {
  emu::sqs::CreateQueueRequest create{"bench-events", {{"VisibilityTimeout", "900"}}};
  sim::StatusOr<emu::sqs::CreateQueueResponse> queue = co_await sqs.CreateQueue(std::move(create));
  if (!queue.ok()) co_return;
  for (uint64_t sent = 0; sent < messages; sent += 10) {
    emu::sqs::SendMessageBatchRequest batch{queue->queue_url, {}};
    batch.entries.reserve(10);
    for (uint64_t i = sent; i < std::min(messages, sent + 10); ++i) {
      batch.entries.push_back({std::to_string(i - sent), "{\"file\":\"raw/" + std::to_string(i) + ".log\"}"});
    }
    sim::StatusOr<emu::sqs::SendMessageBatchResponse> r = co_await sqs.SendMessageBatch(std::move(batch));
    if (!r.ok() || !r->failed.empty()) co_return;
  }
  emu::lambda::FunctionConfig config;
  config.function_name = "trivial";
  config.memory_mb = 128;
  config.compute = emu::lambda::ComputeProfile{0, 0, 0, 1};
  sim::Status created = co_await lambda.CreateFunction(std::move(config), Trivial);
  if (!created.ok()) co_return;
  emu::lambda::EventSourceMappingConfig mapping;
  mapping.event_source_arn = "arn:aws:sqs:us-east-1:000000000000:bench-events";
  mapping.function_name = "trivial";
  mapping.batch_size = batch_size;
  mapping.pollers = pollers;
  mapping.prewarm_environments = true;
  mapping.enabled = false;  // enabled once the queue is full, when the clock starts
  sim::StatusOr<std::string> uuid = co_await lambda.CreateEventSourceMapping(std::move(mapping));
  if (!uuid.ok()) co_return;
  setup.ok = true;
  setup.mapping = *uuid;
}

struct Result {
  double invocations_per_second = 0;
  double events_per_invocation = 0;
  uint64_t invocations = 0;
  uint64_t throttles = 0;
  uint64_t failures = 0;  // setup failures, function errors, records left over
};

Result RunOnce(uint64_t messages, int batch_size, int pollers) {
  sim::Scheduler sched;
  emu::Env env(sched, 42);
  env.set_zero_latency(true);
  emu::sqs::SqsApi sqs(env);
  sqs.set_long_poll_daemon(true);  // idle pollers do not keep Run() going
  emu::lambda::LambdaApi lambda(env, &sqs);
  Setup setup;
  sched.Spawn(Fill(sqs, lambda, messages, batch_size, pollers, setup), "fill");
  sched.Run();  // fills the queue; the mapping waits, disabled
  Result out;
  if (!setup.ok || !lambda.EnableEventSourceMapping(setup.mapping).ok()) {
    out.failures = 1;
    return out;
  }
  const uint64_t events_before = sched.EventNumber();
  const double t0 = bench::CpuSeconds();
  sched.Run();  // drains it; idle long polls are daemon events
  const double cpu = bench::CpuSeconds() - t0;
  const emu::lambda::EventSourceMappingStats& st = lambda.FindEventSourceMapping(setup.mapping)->stats();
  out.invocations = st.batches_succeeded;
  out.throttles = st.batches_throttled;
  out.failures = st.batches_failed + (st.records_deleted == messages ? 0 : 1);
  out.invocations_per_second = static_cast<double>(st.batches_succeeded) / cpu;
  out.events_per_invocation =
      static_cast<double>(sched.EventNumber() - events_before) / static_cast<double>(std::max<uint64_t>(1, st.batches));
  lambda.StopEventSourceMappings();
  sched.RunUntil(sched.Now());
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Lambda benchmark: invocations per second through an SQS event source mapping"};
  uint64_t messages = 500'000;
  int repeat = 3;
  int pollers = 16;
  std::vector<int> batch_sizes = {1, 10};
  app.add_option("--messages", messages, "messages in the queue per run")->check(CLI::PositiveNumber);
  app.add_option("--repeat", repeat, "runs per batch size; the median is printed")->check(CLI::PositiveNumber);
  app.add_option("--pollers", pollers, "pinned concurrent pollers (pre-warmed)")->check(CLI::Range(1, 1000));
  app.add_option("--batch-size", batch_sizes, "BatchSize values to run")->check(CLI::Range(1, 10));
  CLI11_PARSE(app, argc, argv);

  uint64_t bad = 0;
  std::printf("%-10s %16s %14s %10s %9s   (zero latency, trivial handler, %d pollers, median of %d)\n",
              "batch_size", "invocations/s", "events/invoke", "throttles", "failures", pollers, repeat);
  for (int batch_size : batch_sizes) {
    std::vector<double> rates;
    std::vector<double> events;
    uint64_t throttles = 0, failures = 0;
    for (int r = 0; r < repeat; ++r) {
      const Result result = RunOnce(messages, batch_size, pollers);
      rates.push_back(result.invocations_per_second);
      events.push_back(result.events_per_invocation);
      throttles += result.throttles;
      failures += result.failures;
    }
    bad += throttles + failures;
    std::printf("%-10d %16.0f %14.2f %10llu %9llu\n", batch_size, bench::Median(rates), bench::Median(events),
                static_cast<unsigned long long>(throttles), static_cast<unsigned long long>(failures));
  }
  return bad == 0 ? 0 : 1;
}
