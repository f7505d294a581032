#pragma once

// An SQS event source mapping: poller processes, each running one batch at
// a time: gather a batch (ReceiveMessage long polls until the batch is full,
// the batching window has passed or the 6 MB payload cap is reached), drop
// and delete the records no filter matches, invoke the function
// synchronously with the rest, delete what succeeded. Nothing is deleted
// after a function error, a timeout or a throttle: those messages become
// visible again when the queue's visibility timeout ends, with
// ApproximateReceiveCount already incremented by the receive
// (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html).
//
// Scaling (services-sqs-scaling.html), unless pinned: the mapping starts with
// 5 pollers (concurrent batches; MaximumConcurrency if lower). A daemon tick
// every second adds 5 (300 a minute) while the latest receive came back full
// (messages remain), up to MaximumConcurrency or 1,000. A function error or
// a throttle backs off: the target drops by one (not below the floor) and
// scale-up pauses for kErrorScaleUpPause; a poller above the target retires after its
// batch. A poller whose long poll comes back empty lowers the target by one
// and retires if above it, so an idle mapping returns to 5. Pinned
// (config.pollers > 0): exactly that many pollers, never more or fewer.
//
// Run lifetime: pollers loop for ever, and their long polls schedule SQS's
// timers, so a run with an active mapping ends with RunUntil(end) rather
// than Run(). The mapping's own waits (back-off, the scaling tick) are
// daemon events. To end cleanly, Stop() (LambdaApi::StopEventSourceMappings)
// interrupts every poller; running the scheduler to the current time then
// lets them unwind, so no frame is left waiting inside SQS when the services
// and the scheduler are destroyed.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "emulators/common/account.h"
#include "emulators/common/env.h"
#include "emulators/lambda/event_filter.h"
#include "emulators/lambda/lambda_api.h"
#include "emulators/sqs/sqs_api.h"
#include "sim/histogram.h"
#include "sim/metrics.h"
#include "sim/process.h"
#include "sim/task.h"

namespace emu::lambda {

// Wait of a poller after a receive error or a throttled batch.
inline constexpr sim::Duration kPollerBackoff = sim::Seconds(1);
// Long-poll wait of each ReceiveMessage (the SQS maximum).
inline constexpr int kPollerWaitTimeSeconds = 20;
// Documented scaling figures.
inline constexpr int kInitialConcurrentBatches = 5;
inline constexpr int kMaxConcurrentBatches = 1000;
inline constexpr int kScaleUpPerMinute = 300;
inline constexpr sim::Duration kScaleTick = sim::Seconds(1);
// A function error or throttle pauses scale-up this long (AWS: "Lambda
// throttles function scaling when invocation errors occur"; the length is
// ours).
inline constexpr sim::Duration kErrorScaleUpPause = sim::Seconds(10);
// Bytes a record adds to the invocation payload beyond its body and
// attributes (the JSON envelope: field names, eventSource, awsRegion...).
inline constexpr std::size_t kRecordOverheadBytes = 400;

class EventSourceMapping {
 public:
  EventSourceMapping(Env& env, LambdaApi& lambda, sqs::SqsApi& sqs, EventSourceMappingConfig config, std::string uuid,
                     std::string queue_url);
  ~EventSourceMapping();
  EventSourceMapping(const EventSourceMapping&) = delete;
  EventSourceMapping& operator=(const EventSourceMapping&) = delete;

  // Checks the configuration against the documented limits
  // (services-sqs-parameters.html): batch size 1..10,000 (10 on FIFO
  // queues), above 10 only with a batching window of at least 1 s; window
  // 0..300 s (none on FIFO); MaximumConcurrency 2..1,000; pinned pollers
  // 0..1,000; at most 5 filters, each a valid pattern; an SQS queue ARN.
  // Returns the queue's URL.
  static sim::StatusOr<std::string> Validate(const EventSourceMappingConfig& config, const Account& account);

  // Spawns the pollers (enabled).
  void Start();
  // Disabled: pollers waiting on the queue stop at once (their partial
  // batch, if any, is still processed); a poller with a batch in flight
  // finishes it first.
  void Disable();
  // End of a run: disabled, and every poller is interrupted, in-flight
  // invocations included (nothing more is deleted; the messages reappear
  // after their visibility timeout).
  void Stop();

  const std::string& uuid() const { return uuid_; }
  const std::string& queue_url() const { return queue_url_; }
  const EventSourceMappingConfig& config() const { return config_; }
  bool enabled() const { return enabled_; }
  int live_pollers() const;
  // Pollers running now (= concurrent batches), and the scaling target.
  int active_pollers() const { return active_; }
  int target_concurrency() const { return target_; }
  const EventSourceMappingStats& stats() const { return stats_; }

 private:
  enum class Phase { kReceiving, kInvoking, kDeleting, kBackoff, kDone };
  struct Poller {
    sim::ProcessId pid;
    Phase phase = Phase::kReceiving;
    // Received past the 6 MB cap: starts this poller's next batch.
    std::vector<sqs::Message> carry;
  };

  bool pinned() const { return config_.pollers > 0; }
  int MaxConcurrency() const { return config_.maximum_concurrency.value_or(kMaxConcurrentBatches); }
  int Floor() const { return std::min(kInitialConcurrentBatches, MaxConcurrency()); }
  void SpawnPoller();
  void ScaleTick();
  // After a function error or throttle (not pinned).
  void BackOff();
  bool AboveTarget() const { return !pinned() && active_ > target_; }

  sim::Task<void> Poll(std::size_t index, uint64_t generation);
  // Appends received messages to *batch until it is full, the window has
  // passed, the payload cap is reached (the message that would cross it goes
  // to *carry), or a receive fails (its status is returned).
  sim::Task<sim::Status> GatherBatch(std::vector<sqs::Message>* batch, std::vector<sqs::Message>* carry);
  // Receipt handles to delete after a successful invocation; nullopt when
  // the reported batch item failures fail the whole batch.
  std::optional<std::vector<std::string>> HandlesToDelete(const std::vector<sqs::Message>& batch,
                                                          const InvocationResult& result) const;
  bool Matches(const sqs::Message& m) const;
  sim::Task<void> DeleteAll(std::vector<std::string> handles, uint64_t* counter);
  bool Stopping(uint64_t generation) const { return generation != generation_ || !enabled_; }

  Env& env_;
  LambdaApi& lambda_;
  sqs::SqsApi& sqs_;
  EventSourceMappingConfig config_;
  std::string uuid_;
  std::string queue_url_;
  std::string queue_name_;
  std::vector<EventFilter> filters_;
  bool enabled_ = false;
  bool aborting_ = false;
  bool prewarmed_ = false;
  // Bumped by Start(): pollers of an earlier generation stop.
  uint64_t generation_ = 0;
  std::vector<Poller> pollers_;
  int active_ = 0;
  int target_ = 0;
  bool backlog_ = false;  // the latest receive came back full
  sim::Time hold_scale_up_until_;
  sim::PeriodicId tick_{};
  EventSourceMappingStats stats_;
  sim::Gauge* concurrency_gauge_ = nullptr;  // lambda.esm.<fn>.concurrency
  sim::Histogram* queue_age_ns_ = nullptr;   // lambda.esm.<fn>.queue_age_ns (oldest record per batch)
};

}  // namespace emu::lambda
