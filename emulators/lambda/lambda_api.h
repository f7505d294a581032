#pragma once

// Lambda: functions, execution environments, concurrency and its scaling
// rate, synchronous and asynchronous invocation (retries, on-failure and
// on-success destinations, function DLQ), SQS event source mappings with
// AWS's scale-out, and billing. Handlers are sim::Task coroutines running real code:
// ctx.Compute(records, bytes) charges modelled CPU time (scaled by the
// memory setting), service calls take their own simulated time, and a
// timeout interrupts the handler at whatever await it is suspended on.
//
// Invocation paths: Invoke (RequestResponse or Event), S3/SNS deliveries
// (the function is a DeliveryTarget: asynchronous invoke), and SQS event
// source mappings (pollers long-poll the queue, invoke with a batch, delete
// what succeeded; a failed batch becomes visible again after the queue's
// visibility timeout).
//
// Handlers: ctx and input are owned by the runtime and outlive the handler's
// task (also after a timeout, while an interrupted handler unwinds). Prefer a
// plain lambda that returns the Task of a free coroutine taking its other
// arguments by value (GCC 12 pitfalls, docs/helper-brief.md).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "emulators/common/behaviour.h"
#include "emulators/common/delivery.h"
#include "emulators/common/env.h"
#include "emulators/sqs/sqs_api.h"
#include "sim/task.h"

namespace emu::lambda {

class LambdaModel;
class EventSourceMapping;
struct Function;
struct AsyncEvent;

// Payload limits of Invoke (API_Invoke.html): 6 MB synchronous, 1 MB
// asynchronous (256 KB before 2025).
inline constexpr std::size_t kMaxSyncPayloadBytes = 6 * 1024 * 1024;
inline constexpr std::size_t kMaxAsyncPayloadBytes = 1024 * 1024;
// Memory at which a function has one full vCPU; CPU share is proportional
// to memory, up to 6 vCPUs at 10,240 MB (configuration-memory-and-computing-power).
inline constexpr double kMemoryMbPerVcpu = 1769.0;
inline constexpr int kMaxVcpus = 6;

// CPU cost of the handler's work at one full vCPU (1,769 MB); a function
// with less memory gets a proportional share of a vCPU and runs slower; a
// single-threaded handler gains nothing above one vCPU.
struct ComputeProfile {
  double ns_per_record = 2000;
  double ns_per_byte = 2;
  double fixed_ns = 0;
  // Threads the handler keeps busy: it gains from memory up to this many
  // vCPUs (1: a single-threaded handler gains nothing above 1,769 MB).
  int parallelism = 1;
};

struct FunctionConfig {
  std::string function_name;
  int memory_mb = 1024;                      // 128..10240
  sim::Duration timeout = sim::Seconds(60);  // 1 s..900 s
  std::string architecture = "x86_64";       // or "arm64" (price)
  std::optional<int> reserved_concurrency;
  int ephemeral_storage_mb = 512;  // /tmp, 512..10240
  // DeadLetterConfig.TargetArn (SQS queue or SNS topic): asynchronous events
  // that fail every attempt go there (payload only), unless an on-failure
  // destination is configured. Empty: none.
  std::string dead_letter_target_arn;
  ComputeProfile compute;
  // Init duration of a new execution environment (not billed unless
  // LambdaApi::bill_init_duration).
  LatencySpec cold_start = LatencySpec::LogNormal(0.25, 0.08);
  // An idle environment is reaped after this long.
  sim::Duration idle_reap_after = sim::Minutes(10);
};

// One SQS record as the handler sees it.
struct SqsRecord {
  std::string message_id;
  std::string receipt_handle;
  std::string body;
  std::map<std::string, std::string> attributes;  // ApproximateReceiveCount, SentTimestamp, ...
  std::string event_source_arn;
  std::string md5_of_body;
  std::map<std::string, std::string> message_attributes;
};

struct InvocationInput {
  std::string payload;                 // Invoke / S3 / SNS deliveries
  std::vector<SqsRecord> sqs_records;  // event source mappings
};

struct InvocationResult {
  std::string payload;
  // With ReportBatchItemFailures: message ids to retry; empty = all done.
  std::vector<std::string> batch_item_failures;
};

class InvocationContext {
 public:
  InvocationContext(Env& env, const FunctionConfig& config, std::string request_id, sim::Time deadline)
      : env_(env), config_(config), request_id_(std::move(request_id)), deadline_(deadline) {}

  // Spends the modelled CPU time of processing `records` records and
  // `bytes` bytes. Returns the interrupt status if the invocation timed out
  // meanwhile (DeadlineExceeded at once if it already has).
  sim::Task<sim::Status> Compute(uint64_t records, uint64_t bytes);
  // (fixed_ns + ns_per_record * records + ns_per_byte * bytes) / cpu_share,
  // cpu_share = min(memory_mb / 1769, parallelism, Vcpus(memory_mb)).
  sim::Duration ComputeTime(uint64_t records, uint64_t bytes) const;
  // vCPUs a function of that memory has: ceil(memory / 1769), at most 6.
  static int Vcpus(int memory_mb);
  // The vCPU share a handler using `parallelism` threads gets.
  static double CpuShare(int memory_mb, int parallelism);
  sim::Time deadline() const { return deadline_; }
  sim::Duration RemainingTime() const { return deadline_ - env_.Now(); }
  const std::string& request_id() const { return request_id_; }
  const FunctionConfig& config() const { return config_; }
  Env& env() { return env_; }

 private:
  Env& env_;
  const FunctionConfig& config_;
  std::string request_id_;
  sim::Time deadline_;
};

// A function error is an error status (or an exception, which becomes one).
using Handler = std::function<sim::Task<sim::StatusOr<InvocationResult>>(InvocationContext&, const InvocationInput&)>;

enum class InvocationType { kRequestResponse, kEvent };

struct InvokeRequest {
  std::string function_name;
  InvocationType invocation_type = InvocationType::kRequestResponse;
  std::string payload;
};
struct InvokeResponse {
  int status_code = 200;       // 200 sync, 202 async accepted
  std::string function_error;  // "Unhandled" when the function failed
  // The function's result, or on a function error the error document
  // {"errorMessage": ..., "errorType": ...}.
  std::string payload;
  std::string request_id;
};

// What one invocation did (the internal view behind Invoke; event source
// mappings use it directly).
struct InvocationOutcome {
  // Not OK: the function did not run to an outcome: ResourceNotFound,
  // TooManyRequests (throttled), or the caller was interrupted.
  sim::Status status;
  bool function_error = false;  // an error status, an exception or a timeout
  bool timed_out = false;
  std::string error_type;  // "Sandbox.Timedout", "Exception", or the status' name
  std::string error_message;
  InvocationResult result;
  std::string request_id;
  bool cold_start = false;
  sim::Duration init_duration;
  sim::Duration duration;         // handler start to end
  sim::Duration billed_duration;  // duration rounded up to 1 ms
};

struct EventSourceMappingConfig {
  std::string event_source_arn;  // the queue's ARN
  std::string function_name;
  int batch_size = 10;
  sim::Duration maximum_batching_window = sim::Duration::Zero();
  // ScalingConfig.MaximumConcurrency (2..1000): the most concurrent batches
  // (invocations) this mapping runs. Unset: up to 1,000.
  std::optional<int> maximum_concurrency;
  // FilterCriteria: event patterns (JSON) matched against each record
  // (body, attributes, messageAttributes...); a record matching none is
  // deleted without invoking. Empty: every record.
  std::vector<std::string> filter_patterns;
  // 0 (default): AWS scaling: 5 concurrent batches, +5 per second (300 a
  // minute) while receives come back full, up to MaximumConcurrency or
  // 1,000, back off on errors and throttles, down to 5 when idle.
  // > 0 (pinned; tests, and the pipeline's fixed pollers): exactly this many
  // concurrent pollers, no scale-out and no scale-down.
  int pollers = 0;
  // With pinned pollers: the function gets that many warm environments when
  // the mapping starts (no cold starts while the pollers are the only load).
  bool prewarm_environments = false;
  bool report_batch_item_failures = false;
  bool enabled = true;
};

struct EventSourceMappingStats {
  uint64_t receives = 0;
  uint64_t receive_errors = 0;
  uint64_t records_received = 0;
  uint64_t batches = 0;            // invocations attempted
  uint64_t batches_succeeded = 0;  // including partial successes
  uint64_t batches_failed = 0;     // function error or timeout: nothing deleted
  uint64_t batches_throttled = 0;
  uint64_t records_deleted = 0;
  uint64_t records_filtered = 0;  // matched no filter: deleted unseen
  uint64_t delete_errors = 0;
  uint64_t batches_split = 0;  // cut at the 6 MB payload cap
  int peak_concurrency = 0;    // most pollers (concurrent batches) at once
};

struct FunctionStats {
  uint64_t invocations = 0;
  uint64_t errors = 0;
  uint64_t timeouts = 0;
  uint64_t throttles = 0;
  uint64_t cold_starts = 0;
  double billed_gb_seconds = 0;
  int concurrent = 0;
  int peak_concurrent = 0;
  uint64_t async_events_dropped = 0;  // failed every attempt or aged out, with nowhere to go
  uint64_t async_retries = 0;         // function-error retries started
  uint64_t async_events_failed = 0;   // sent to the on-failure destination or DLQ
  uint64_t async_events_succeeded = 0;
  uint64_t destination_delivery_failures = 0;
  uint64_t scaling_throttles = 0;  // over 1,000 new environments per 10 s
  double ColdStartRatio() const {
    return invocations == 0 ? 0.0 : static_cast<double>(cold_starts) / static_cast<double>(invocations);
  }
};

// PutFunctionEventInvokeConfig: asynchronous invocation settings.
struct EventInvokeConfig {
  int maximum_retry_attempts = 2;                   // 0..2
  sim::Duration maximum_event_age = sim::Hours(6);  // 60 s..6 h, whole seconds
  std::string on_success_destination;               // SQS / SNS / Lambda ARN; empty: none
  std::string on_failure_destination;
};

// UpdateFunctionConfiguration: what is set changes; the rest stays. Running
// invocations finish on the old configuration; every later invocation gets
// a new (cold) environment.
struct UpdateFunctionConfigurationRequest {
  std::string function_name;
  std::optional<int> memory_mb;
  std::optional<sim::Duration> timeout;
  std::optional<int> ephemeral_storage_mb;
  std::optional<std::string> dead_letter_target_arn;
  std::optional<ComputeProfile> compute;
  std::optional<LatencySpec> cold_start;
  std::optional<sim::Duration> idle_reap_after;
};

struct GetFunctionResponse {
  FunctionConfig configuration;
  std::string function_arn;
  std::string state = "Active";
  std::optional<int> reserved_concurrency;  // Concurrency.ReservedConcurrentExecutions
};

class LambdaApi {
 public:
  // `sqs` serves event source mappings (may be null if none are created).
  LambdaApi(Env& env, sqs::SqsApi* sqs);
  ~LambdaApi();

  sim::Task<sim::Status> CreateFunction(FunctionConfig config, Handler handler);
  // ResourceNotFoundException when absent.
  sim::Task<sim::StatusOr<GetFunctionResponse>> GetFunction(std::string function_name);
  // Validation as CreateFunction; ResourceNotFoundException when absent.
  sim::Task<sim::Status> UpdateFunctionConfiguration(UpdateFunctionConfigurationRequest request);
  // Removes the function: new invocations get ResourceNotFoundException,
  // queued asynchronous events are dropped, running ones finish; its reserved
  // concurrency returns to the pool.
  sim::Task<sim::Status> DeleteFunction(std::string function_name);
  // Reserved concurrency (0..account limit - unreserved minimum); 0 stops the
  // function from running at all.
  sim::Task<sim::Status> PutFunctionConcurrency(std::string function_name, int reserved_concurrent_executions);
  sim::Task<sim::Status> DeleteFunctionConcurrency(std::string function_name);
  // MaximumRetryAttempts 0..2, MaximumEventAgeInSeconds 60..21600,
  // destinations SQS / SNS / Lambda ARNs -> InvalidParameterValueException.
  sim::Task<sim::Status> PutFunctionEventInvokeConfig(std::string function_name, EventInvokeConfig config);
  sim::Task<sim::StatusOr<InvokeResponse>> Invoke(InvokeRequest request);
  sim::Task<sim::StatusOr<std::string>> CreateEventSourceMapping(EventSourceMappingConfig config);

  // Account concurrency limit shared by all functions (default 1,000).
  int account_concurrency_limit = 1000;
  // Reserved concurrency may not bring the unreserved pool below this (AWS
  // keeps 100); tests with tiny limits set 0.
  int unreserved_concurrency_minimum = 100;
  // Bill the init duration of cold starts, as AWS does for every runtime
  // since 2025-08-01. Off: the older rule for managed runtimes (init free),
  // to compare costs across the change.
  bool bill_init_duration = true;
  // Per-function scaling rate (scaling-behavior.html): at most this many new
  // execution environments per window, refilled continuously (a token bucket
  // of that capacity), beyond which an invocation is throttled (429).
  int scaling_rate_environments = 1000;
  sim::Duration scaling_rate_window = sim::Seconds(10);

  // Starts `count` idle (warm) environments of the function now, without
  // init or scaling tokens (what provisioned concurrency gives; the pinned
  // event source mapping of the queueing tests uses it).
  sim::Status PrewarmEnvironments(const std::string& function_name, int count);

  // Runs the function synchronously as an event source mapping does (no API
  // latency): throttles come back as outcome.status.
  sim::Task<InvocationOutcome> InvokeFunction(std::string function_name, InvocationInput input);

  // Event source mappings (UpdateEventSourceMapping Enabled=false/true).
  // Disable: pollers waiting on the queue stop at once, a poller with a batch
  // in flight finishes it first. Enable needs every poller to have stopped
  // (else ResourceInUseException).
  sim::Status DisableEventSourceMapping(const std::string& uuid);
  sim::Status EnableEventSourceMapping(const std::string& uuid);
  // End of a run: interrupts every poller of every mapping, in-flight
  // invocations included. Then run the scheduler to the current time
  // (sched.RunUntil(sched.Now())) so they unwind before anything is destroyed.
  void StopEventSourceMappings();
  EventSourceMapping* FindEventSourceMapping(const std::string& uuid);

  const FunctionStats* Stats(const std::string& function_name) const;
  // Execution environments of a function: all, and idle (warm) ones.
  int Environments(const std::string& function_name) const;
  int IdleEnvironments(const std::string& function_name) const;
  LambdaModel& model() { return *model_; }
  ServiceBehaviour& behaviour() { return behaviour_; }

 private:
  class FunctionTarget;
  struct Accepted;

  sim::StatusOr<Accepted> AcceptInvoke(const InvokeRequest& request);
  sim::Status EnqueueAsync(Function& fn, std::string payload, std::string request_id);
  void DispatchAsync(Function& fn);
  void ScheduleAsyncDispatch(Function& fn, sim::Duration after);
  sim::Task<void> RunAsync(Function* fn, uint64_t environment_id, bool cold, AsyncEvent event);
  // Sends the invocation record (or, for a DLQ, the payload) of a finished
  // asynchronous event; `condition` "Success", "RetriesExhausted" or
  // "EventAgeExceeded".
  void SendAsyncRecord(Function& fn, const AsyncEvent& event, const std::string& condition,
                       const InvocationOutcome* out);
  void DeliverRecord(Function& fn, const std::string& arn, const Delivery& delivery, bool failure);
  // Admission (LambdaModel::Admit) and cancelling the reused environment's
  // reap timer.
  sim::Status Admit(Function& fn, uint64_t* environment_id, bool* cold);
  void ScheduleReap(Function& fn, uint64_t environment_id);
  // Runs one admitted invocation (concurrency and environment held);
  // releases both.
  sim::Task<InvocationOutcome> Execute(Function* fn, uint64_t environment_id, bool cold, InvocationInput input,
                                       std::string request_id);
  void ReleaseEnvironment(Function& fn, uint64_t environment_id);
  void DiscardIdleEnvironments(Function& fn);

  Env& env_;
  sqs::SqsApi* sqs_;
  ServiceBehaviour behaviour_;
  std::unique_ptr<LambdaModel> model_;
  std::map<std::string, std::unique_ptr<FunctionTarget>> targets_;
  std::vector<std::unique_ptr<EventSourceMapping>> mappings_;  // creation order
  // Deleted functions stay alive (running invocations, queued timers may
  // still point at them) until the service is destroyed.
  std::vector<std::unique_ptr<Function>> deleted_;
};

}  // namespace emu::lambda
