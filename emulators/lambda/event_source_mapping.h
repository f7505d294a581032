#pragma once

// An SQS event source mapping: a fixed set of poller processes, each
// gathering a batch (ReceiveMessage long polls until the batch is full or
// the batching window has passed), invoking the function synchronously with
// it and deleting what succeeded. Nothing is deleted after a function error,
// a timeout or a throttle: those messages become visible again when the
// queue's visibility timeout ends, with ApproximateReceiveCount + 1
// (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html).
//
// Run lifetime: pollers loop for ever, and their long polls schedule SQS's
// timers, so a run with an active mapping ends with RunUntil(end) rather
// than Run(). The mapping's own waits (back-off after errors and throttles)
// are daemon sleeps. To end cleanly, Stop() (LambdaApi::StopEventSourceMappings)
// interrupts every poller; running the scheduler to the current time then
// lets them unwind, so no frame is left waiting inside SQS when the services
// and the scheduler are destroyed.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "emulators/common/account.h"
#include "emulators/common/env.h"
#include "emulators/lambda/lambda_api.h"
#include "emulators/sqs/sqs_api.h"
#include "sim/process.h"
#include "sim/task.h"

namespace emu::lambda {

// Waits of a poller between attempts after a receive error or a throttled
// batch (AWS backs off; the skeleton waits a fixed second).
inline constexpr sim::Duration kPollerBackoff = sim::Seconds(1);
// Long-poll wait of each ReceiveMessage (the SQS maximum).
inline constexpr int kPollerWaitTimeSeconds = 20;

class EventSourceMapping {
 public:
  EventSourceMapping(Env& env, LambdaApi& lambda, sqs::SqsApi& sqs, EventSourceMappingConfig config, std::string uuid,
                     std::string queue_url);

  // Checks the configuration against the documented limits
  // (services-sqs-parameters.html): batch size 1..10,000 (10 on FIFO
  // queues), above 10 only with a batching window of at least 1 s; window
  // 0..300 s (none on FIFO); 1..1,000 pollers; an SQS queue ARN. Returns the
  // queue's URL.
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
  const EventSourceMappingStats& stats() const { return stats_; }

 private:
  enum class Phase { kReceiving, kInvoking, kDeleting, kBackoff, kDone };
  struct Poller {
    sim::ProcessId pid;
    Phase phase = Phase::kReceiving;
  };

  sim::Task<void> Poll(std::size_t index, uint64_t generation);
  // Appends received messages to *batch until it is full, the window has
  // passed, or a receive fails (its status is returned).
  sim::Task<sim::Status> GatherBatch(std::vector<sqs::Message>* batch);
  // Receipt handles to delete after a successful invocation; nullopt when
  // the reported batch item failures fail the whole batch.
  std::optional<std::vector<std::string>> HandlesToDelete(const std::vector<sqs::Message>& batch,
                                                          const InvocationResult& result) const;
  bool Stopping(uint64_t generation) const { return generation != generation_ || !enabled_; }

  Env& env_;
  LambdaApi& lambda_;
  sqs::SqsApi& sqs_;
  EventSourceMappingConfig config_;
  std::string uuid_;
  std::string queue_url_;
  bool enabled_ = false;
  bool aborting_ = false;
  // Bumped by Start(): pollers of an earlier generation stop.
  uint64_t generation_ = 0;
  std::vector<Poller> pollers_;
  EventSourceMappingStats stats_;
};

}  // namespace emu::lambda
