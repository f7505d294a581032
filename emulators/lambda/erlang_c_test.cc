// The whole SQS + event source mapping + function loop as an M/M/c queue:
// Poisson arrivals of single-message batches (BatchSize 1), exponential
// service times, and a mapping pinned at exactly c pollers with pre-warmed
// environments (no cold starts, no scale-out, no scale-down), in zero-latency
// mode. The mean wait in queue (send -> handler start) must match Erlang C
// within the 95% confidence interval of the replication means.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "emulators/lambda/event_source_mapping.h"
#include "emulators/lambda/lambda_api.h"
#include "emulators/lambda/lambda_test_util.h"
#include "emulators/sqs/sqs_api.h"
#include "sim/distributions.h"
#include "sim/rng.h"

namespace emu::lambda {
namespace {

using test_util::Capture;

// Erlang C: mean wait in queue of M/M/c with arrival rate lambda and
// service rate mu per server.
double ErlangCWait(int c, double lambda, double mu) {
  const double a = lambda / mu;
  double term = 1;  // a^k / k!
  double sum = 0;
  for (int k = 0; k < c; ++k) {
    sum += term;
    term *= a / (k + 1);
  }
  const double tail = term * c / (c - a);  // a^c / c! * c / (c - a)
  const double p_wait = tail / (sum + tail);
  return p_wait / (c * mu - lambda);
}

struct Run {
  std::vector<sim::Time> arrived;
  std::vector<sim::Time> started;
  sim::Rng service_rng{0};
  double service_mean_s = 1;
};

sim::Task<sim::StatusOr<InvocationResult>> Serve(InvocationContext& ctx, InvocationInput input, Run* run) {
  const std::size_t i = std::stoul(input.sqs_records.at(0).body);
  run->started[i] = ctx.env().Now();
  const double s = sim::ExponentialDist{run->service_mean_s}.Sample(run->service_rng);
  sim::Status slept = co_await ctx.env().sched().Sleep(sim::SecondsF(s));
  if (!slept.ok()) co_return slept;
  co_return InvocationResult{};
}

sim::Task<void> Arrivals(Env* env, DeliveryTarget* queue, Run* run, double lambda, uint64_t seed) {
  sim::Rng rng(seed);
  const sim::ExponentialDist gap{1.0 / lambda};
  for (std::size_t i = 0; i < run->arrived.size(); ++i) {
    sim::Status slept = co_await env->sched().Sleep(sim::SecondsF(gap.Sample(rng)));
    if (!slept.ok()) co_return;
    run->arrived[i] = env->Now();
    sim::Status sent = queue->Deliver(Delivery{std::to_string(i), "", {}});
    SIM_CHECK(sent.ok());
  }
}

// One replication: the mean wait (seconds) of customers after the warm-up.
double MeanWait(int c, double rho, std::size_t customers, uint64_t seed) {
  const double mu = 1.0;
  const double lambda = rho * c * mu;
  sim::Scheduler sched;
  Env env(sched, seed);
  env.set_zero_latency(true);
  sqs::SqsApi sqs(env);
  LambdaApi api(env, &sqs);
  auto await = [&sched]<class T>(sim::Task<T> task) {
    std::optional<T> out;
    sched.Spawn(Capture<T>(std::move(task), &out, nullptr, &sched));
    sched.RunUntil(sched.Now());
    SIM_CHECK(out.has_value());
    return std::move(*out);
  };
  sqs::CreateQueueRequest q;
  q.queue_name = "q";
  q.attributes["VisibilityTimeout"] = "43200";
  SIM_CHECK(await(sqs.CreateQueue(q)).ok());
  Run run;
  run.arrived.assign(customers, sim::Time::Max());
  run.started.assign(customers, sim::Time::Max());
  run.service_rng = env.Stream("test.service");
  FunctionConfig f;
  f.function_name = "server";
  f.timeout = sim::Seconds(900);
  f.idle_reap_after = sim::Hours(1000);
  Run* r = &run;
  SIM_CHECK(await(api.CreateFunction(f, [r](InvocationContext& ctx, const InvocationInput& in) {
              return Serve(ctx, in, r);
            })).ok());
  EventSourceMappingConfig m;
  m.event_source_arn = env.account().Arn("sqs", "q");
  m.function_name = "server";
  m.batch_size = 1;
  m.pollers = c;
  m.prewarm_environments = true;
  SIM_CHECK(await(api.CreateEventSourceMapping(m)).ok());
  DeliveryTarget* queue = env.account().ResolveTarget(m.event_source_arn);
  sched.Spawn(Arrivals(&env, queue, &run, lambda, seed * 7919 + 1), "arrivals");
  while (run.started.back() == sim::Time::Max()) sched.RunUntil(sched.Now() + sim::Seconds(1000));
  api.StopEventSourceMappings();
  sched.RunUntil(sched.Now());
  EXPECT_EQ(api.Stats("server")->cold_starts, 0u);
  const std::size_t warmup = customers / 10;
  double sum = 0;
  for (std::size_t i = warmup; i < customers; ++i) sum += (run.started[i] - run.arrived[i]).ToSeconds();
  return sum / static_cast<double>(customers - warmup);
}

void ExpectErlangC(int c, double rho, std::size_t customers) {
  constexpr int kReplications = 10;
  constexpr double kT975With9Df = 2.262;
  std::vector<double> means;
  for (int rep = 0; rep < kReplications; ++rep) means.push_back(MeanWait(c, rho, customers, 1000 + rep));
  double mean = 0;
  for (double m : means) mean += m;
  mean /= kReplications;
  double var = 0;
  for (double m : means) var += (m - mean) * (m - mean);
  var /= kReplications - 1;
  const double half_width = kT975With9Df * std::sqrt(var / kReplications);
  const double expected = ErlangCWait(c, rho * c, 1.0);
  std::printf("M/M/%d rho=%.2f: simulated mean wait %.4f s +- %.4f (95%%), Erlang C %.4f s\n", c, rho, mean, half_width,
              expected);
  EXPECT_NEAR(mean, expected, half_width) << "c=" << c << " rho=" << rho << " simulated " << mean << " Erlang C "
                                          << expected << " 95% CI half-width " << half_width;
  // The interval must be tight enough to mean something.
  EXPECT_LT(half_width, 0.25 * expected + 0.01);
}

TEST(ErlangC, FormulaMatchesKnownValues) {
  // M/M/1: Wq = rho / (mu - lambda).
  EXPECT_NEAR(ErlangCWait(1, 0.5, 1.0), 1.0, 1e-12);
  // M/M/2, a = 1: P(wait) = 1/3, Wq = (1/3) / (2 - 1).
  EXPECT_NEAR(ErlangCWait(2, 1.0, 1.0), 1.0 / 3.0, 1e-12);
}

TEST(ErlangC, MeanWaitMatchesErlangCWithFourPollersAtHalfLoad) { ExpectErlangC(4, 0.5, 20'000); }
TEST(ErlangC, MeanWaitMatchesErlangCWithFourPollersAt85PercentLoad) { ExpectErlangC(4, 0.85, 40'000); }
TEST(ErlangC, MeanWaitMatchesErlangCWithSixteenPollersAtHalfLoad) { ExpectErlangC(16, 0.5, 40'000); }
TEST(ErlangC, MeanWaitMatchesErlangCWithSixteenPollersAt85PercentLoad) { ExpectErlangC(16, 0.85, 40'000); }

}  // namespace
}  // namespace emu::lambda
