#pragma once

// The behaviour layer every operation of every service goes through: a
// latency distribution, injected errors (a rate inside a time window, or
// "fail call number N"), a throttling hook the service installs (S3
// partitions, Lambda concurrency...), per-operation metrics and request
// pricing. Draws come from named streams ("<service>.<Op>.latency",
// "<service>.<Op>.faults") so one operation's settings never shift another's.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "emulators/common/aws_error.h"
#include "emulators/common/env.h"
#include "sim/histogram.h"
#include "sim/rng.h"
#include "sim/task.h"

namespace emu {

struct LatencySpec {
  enum class Kind { kZero, kConstant, kUniform, kExponential, kLogNormal, kHeavyTail };
  Kind kind = Kind::kZero;
  // Seconds. constant: a. uniform: [a, b]. exponential: mean a.
  // lognormal: mean a, standard deviation b. heavy tail: lognormal(a, b)
  // with probability 1 - c, else Pareto with scale d (the tail's minimum)
  // and shape e (P(X > x) = (d / x)^e) — "seconds typically, sometimes a
  // minute or longer", as S3 documents its notifications.
  double a = 0;
  double b = 0;
  double c = 0;
  double d = 0;
  double e = 0;

  static LatencySpec Zero() { return {}; }
  static LatencySpec Constant(double s) { return {Kind::kConstant, s, 0}; }
  static LatencySpec Uniform(double lo, double hi) { return {Kind::kUniform, lo, hi}; }
  static LatencySpec Exponential(double mean) { return {Kind::kExponential, mean, 0}; }
  static LatencySpec LogNormal(double mean, double stddev) { return {Kind::kLogNormal, mean, stddev}; }
  static LatencySpec HeavyTail(double mean, double stddev, double tail_probability, double tail_scale,
                               double tail_shape) {
    return {Kind::kHeavyTail, mean, stddev, tail_probability, tail_scale, tail_shape};
  }
  sim::Duration Sample(sim::Rng& rng) const;
  // "zero", "constant(0.01)", "uniform(0.01,0.02)", "exponential(0.01)",
  // "lognormal(0.02,0.01)", "heavytail(1,0.5,0.01,30,1.5)"; seconds.
  static sim::StatusOr<LatencySpec> Parse(std::string_view text);
  std::string ToString() const;
};

struct FaultSpec {
  // Probability that a call in [from, until) fails with `error`.
  double error_rate = 0;
  const AwsErrorType* error = &errors::kInternalError;
  sim::Time from = sim::Time::Zero();
  sim::Time until = sim::Time::Max();
  // 1-based call numbers of this operation that fail, whatever the rate.
  // (Initialised so designated initializers omitting it build warning-free.)
  std::vector<uint64_t> fail_calls = {};
};

class Operation {
 public:
  // `price_item` is the cost meter item one request is billed as (empty:
  // not billed per request).
  Operation(Env& env, std::string service, std::string name, std::string price_item);

  const std::string& service() const { return service_; }
  const std::string& name() const { return name_; }
  Env& env() { return env_; }

  LatencySpec latency;
  std::vector<FaultSpec> faults;
  // Consulted on every call after the injected faults; an error status
  // throttles the call (e.g. 503 SlowDown, 429 TooManyRequests).
  std::function<sim::Status()> throttle;

  struct Draw {
    sim::Duration latency;
    sim::Status error;  // injected fault or throttle, if any
  };
  // Counts the call, bills it, and draws its latency and fault.
  Draw Begin();
  // Records the outcome of a call that Begin() started.
  void End(const sim::Status& result, sim::Duration latency);

  uint64_t calls() const { return calls_; }

 private:
  Env& env_;
  std::string service_;
  std::string name_;
  std::string price_item_;
  double* billed_requests_ = nullptr;  // the cost meter's slot, if billed
  sim::Rng latency_rng_;
  sim::Rng fault_rng_;
  uint64_t calls_ = 0;
  sim::Counter& requests_;
  sim::Counter& errors_;
  sim::Counter& throttles_;
  sim::Histogram& latency_ns_;
};

// The operations of one service, by AWS operation name.
class ServiceBehaviour {
 public:
  ServiceBehaviour(Env& env, std::string service) : env_(env), service_(std::move(service)) {}
  // Declares an operation (once, in the service's constructor).
  Operation& Declare(const std::string& op, const std::string& price_item);
  // Null if the service has no such operation.
  Operation* Find(const std::string& op);
  Operation& Get(const std::string& op);
  const std::string& service() const { return service_; }
  std::vector<std::string> OperationNames() const;
  // Sets the latency of every operation.
  void SetLatency(const LatencySpec& spec);

 private:
  Env& env_;
  std::string service_;
  std::map<std::string, std::unique_ptr<Operation>> ops_;
};

// Runs one API call through its Operation: latency (in simulated time, with
// no event at all in zero-latency mode), then the injected fault or
// throttle if one was drawn, else `body()` at the completion time.
template <class R, class Body>
sim::Task<sim::StatusOr<R>> RunOperation(Operation& op, Body body) {
  Operation::Draw d = op.Begin();
  if (d.latency > sim::Duration::Zero()) {
    sim::Status slept = co_await op.env().sched().Sleep(d.latency);
    if (!slept.ok()) {
      op.End(slept, d.latency);
      co_return slept;
    }
  }
  if (!d.error.ok()) {
    op.End(d.error, d.latency);
    co_return std::move(d.error);
  }
  sim::StatusOr<R> result = body();
  op.End(result.status(), d.latency);
  co_return result;
}

// The same for operations without a response body.
template <class Body>
sim::Task<sim::Status> RunOperationStatus(Operation& op, Body body) {
  Operation::Draw d = op.Begin();
  if (d.latency > sim::Duration::Zero()) {
    sim::Status slept = co_await op.env().sched().Sleep(d.latency);
    if (!slept.ok()) {
      op.End(slept, d.latency);
      co_return slept;
    }
  }
  if (!d.error.ok()) {
    op.End(d.error, d.latency);
    co_return std::move(d.error);
  }
  sim::Status result = body();
  op.End(result, d.latency);
  co_return result;
}

}  // namespace emu
