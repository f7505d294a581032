#pragma once

// The state of the Lambda service: functions, their execution environments,
// the account's concurrency, per-function statistics and the internal queue
// of asynchronous events. No clock and no processes: callers pass `now`;
// LambdaApi adds what needs time (cold starts, handlers, reap timers, the
// async retry timer).
//
// Concurrency (https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html):
// one account limit shared by every function; a function with reserved
// concurrency R runs at most R at once and takes R out of the pool, the
// others share limit - sum(R). An invocation holds one unit from the moment
// it is accepted (init included) until its handler ends.
//
// Environments: one per concurrent invocation. A finished invocation leaves
// its environment idle (warm); the next invocation takes the most recently
// used idle one, else a new one starts cold. Idle environments are reaped
// after FunctionConfig::idle_reap_after; an environment whose invocation
// timed out is reset (discarded), so the next invocation starts cold.

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "emulators/common/env.h"
#include "emulators/lambda/lambda_api.h"
#include "sim/histogram.h"
#include "sim/metrics.h"
#include "sim/rng.h"
#include "sim/scheduler.h"

namespace emu::lambda {

struct ExecutionEnvironment {
  uint64_t id = 0;
  sim::Time idle_since;
  sim::EventId reap_timer;  // LambdaApi's daemon timer while idle
};

// One accepted asynchronous invocation waiting in the function's queue.
struct AsyncEvent {
  std::string payload;
  std::string request_id;
  sim::Time enqueued_at;  // accepted (the event's age counts from here)
  int attempts = 0;       // invocations that ran to an outcome
  // The last attempt's function error document (for the invocation record).
  std::string last_error_payload;
};

struct Function {
  FunctionConfig config;
  Handler handler;
  // What running invocations hold (no copy per invocation); refreshed by
  // LambdaModel::Snapshot whenever `config` changes.
  std::shared_ptr<const FunctionConfig> config_snapshot;
  std::shared_ptr<const Handler> shared_handler;
  std::string process_name;  // "lambda:<name>"
  // Cost-meter slots (looked up at the first bill).
  double* request_units = nullptr;
  double* compute_units = nullptr;
  std::string arn;
  FunctionStats stats;

  // Idle environments, least recently used first (reuse takes the back).
  std::vector<ExecutionEnvironment> idle;
  int busy_environments = 0;
  uint64_t next_environment_id = 1;
  sim::Rng cold_start_rng;

  EventInvokeConfig event_invoke_config;
  std::deque<AsyncEvent> async_queue;
  sim::EventId async_retry_timer;
  // Throttle back-off of the queue's head: 1 s doubling to 5 min.
  sim::Duration async_backoff = sim::Seconds(1);
  // Function-error retries waiting for their delay (1 min, 2 min).
  std::map<uint64_t, sim::EventId> async_retry_timers;
  uint64_t next_async_retry = 1;

  // Concurrency held out of the unreserved pool (so changing the reserved
  // concurrency while invocations run keeps the books right).
  int unreserved_held = 0;
  // Environments with a smaller id belong to an older configuration: they
  // are discarded instead of kept warm.
  uint64_t first_current_environment_id = 1;
  // Scaling-rate token bucket, as time: `bucket_level` of credit at
  // `bucket_at` (capacity = the window; one environment costs window / rate).
  sim::Duration bucket_level = sim::Duration::Max();
  sim::Time bucket_at;
  bool deleted = false;

  // lambda.<fn>.*
  sim::Counter* invocations = nullptr;
  sim::Counter* errors = nullptr;
  sim::Counter* timeouts = nullptr;
  sim::Counter* throttles = nullptr;
  sim::Counter* cold_starts = nullptr;
  sim::Counter* async_events_dropped = nullptr;
  sim::Counter* async_events_failed = nullptr;
  sim::Counter* async_retries = nullptr;
  sim::Counter* scaling_throttles = nullptr;
  sim::Gauge* cold_start_ratio = nullptr;
  sim::Histogram* duration_ns = nullptr;
  sim::Gauge* concurrent = nullptr;
};

class LambdaModel {
 public:
  // Env gives the metrics, random streams and cost meter (never the clock).
  explicit LambdaModel(Env& env);

  // Validates the configuration (InvalidParameterValueException), rejects a
  // duplicate name (ResourceConflictException) and a reserved concurrency
  // that would leave the unreserved pool below `unreserved_minimum`.
  sim::StatusOr<Function*> CreateFunction(FunctionConfig config, Handler handler, int account_limit,
                                          int unreserved_minimum);
  static sim::Status ValidateConfig(const FunctionConfig& config);
  static void Snapshot(Function& fn) { fn.config_snapshot = std::make_shared<const FunctionConfig>(fn.config); }
  // Applies the set fields (validated as CreateFunction); later invocations
  // start new environments.
  sim::Status UpdateFunctionConfiguration(Function& fn, const UpdateFunctionConfigurationRequest& request);
  // Reserved concurrency (nullopt: none), with the unreserved-minimum rule.
  sim::Status PutFunctionConcurrency(Function& fn, std::optional<int> reserved, int account_limit,
                                     int unreserved_minimum);
  // Removes the function from the service and hands it over (its
  // invocations may still run): reserved concurrency returns to the pool.
  std::unique_ptr<Function> DeleteFunction(const std::string& name);
  // ResourceNotFoundException when absent.
  sim::StatusOr<Function*> GetFunction(const std::string& name);
  Function* Find(const std::string& name);
  const Function* Find(const std::string& name) const;
  const std::map<std::string, std::unique_ptr<Function>>& functions() const { return functions_; }

  // --- concurrency ---------------------------------------------------------
  // Takes one unit for `fn`, or returns TooManyRequestsException and counts
  // a throttle.
  sim::Status AcquireConcurrency(Function& fn, int account_limit);
  // The same check without taking the unit (counts the throttle).
  sim::Status CheckConcurrency(Function& fn, int account_limit);
  void ReleaseConcurrency(Function& fn);
  int UnreservedPool(int account_limit) const { return account_limit - reserved_total_; }
  int unreserved_in_use() const { return unreserved_in_use_; }
  int concurrent_executions() const { return concurrent_executions_; }

  // --- execution environments ----------------------------------------------
  struct Lease {
    uint64_t environment_id = 0;
    bool cold = false;
    sim::EventId reap_timer;  // of the reused idle environment: cancel it
  };
  Lease AcquireEnvironment(Function& fn);
  // Admission of one invocation: a concurrency unit (as AcquireConcurrency),
  // then the most recently used idle environment or, if none, a new one
  // within the per-function scaling rate (`rate` environments per `window`,
  // refilled continuously) -> TooManyRequestsException otherwise.
  sim::StatusOr<Lease> Admit(Function& fn, int account_limit, sim::Time now, int rate, sim::Duration window);
  // Refills the bucket to `now`; whether one token is there / takes it.
  static bool HasScalingToken(Function& fn, sim::Time now, int rate, sim::Duration window);
  static bool TakeScalingToken(Function& fn, sim::Time now, int rate, sim::Duration window);

  // Back to the idle list; returns it so the caller can set its reap timer
  // (null: it belonged to an older configuration or a deleted function and
  // is gone).
  ExecutionEnvironment* ReleaseEnvironment(Function& fn, uint64_t environment_id, sim::Time now);
  // Reset after a timeout or an aborted invocation.
  void DiscardEnvironment(Function& fn, uint64_t environment_id);
  // Removes an idle environment; false if it is no longer idle.
  bool ReapEnvironment(Function& fn, uint64_t environment_id);
  static int Environments(const Function& fn) { return fn.busy_environments + static_cast<int>(fn.idle.size()); }

  // --- billing -------------------------------------------------------------
  // Duration rounded up to the next millisecond (1 ms billing granularity).
  static sim::Duration BilledDuration(sim::Duration d);
  static double GbSeconds(int memory_mb, sim::Duration billed);
  // Bills one request and the GB-seconds of `billed`; returns the GB-s.
  double Bill(Function& fn, sim::Duration billed);

  // Request ids and mapping ids in UUID form, from named streams.
  std::string NextRequestId() { return MakeUuid(request_id_rng_); }
  std::string NextMappingId() { return MakeUuid(mapping_id_rng_); }
  static std::string MakeUuid(sim::Rng& rng);

 private:
  Env& env_;
  std::map<std::string, std::unique_ptr<Function>> functions_;
  int reserved_total_ = 0;
  int unreserved_in_use_ = 0;
  int concurrent_executions_ = 0;
  sim::Gauge& concurrent_gauge_;
  sim::Rng request_id_rng_;
  sim::Rng mapping_id_rng_;
};

}  // namespace emu::lambda
