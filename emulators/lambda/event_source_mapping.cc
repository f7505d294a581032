#include "emulators/lambda/event_source_mapping.h"

#include <algorithm>
#include <optional>
#include <set>

#include "emulators/lambda/lambda_errors.h"
#include "sim/check.h"
#include "sim/scheduler.h"

namespace emu::lambda {

namespace {

sim::Status Invalid(std::string message) {
  return AwsError(errors::kInvalidParameterValueException, std::move(message));
}

SqsRecord ToRecord(const sqs::Message& m, const std::string& event_source_arn) {
  SqsRecord r;
  r.message_id = m.message_id;
  r.receipt_handle = m.receipt_handle;
  r.body = m.body;
  r.attributes = m.attributes;
  r.event_source_arn = event_source_arn;
  r.md5_of_body = m.md5_of_body;
  r.message_attributes = m.message_attributes;
  return r;
}

}  // namespace

EventSourceMapping::EventSourceMapping(Env& env, LambdaApi& lambda, sqs::SqsApi& sqs, EventSourceMappingConfig config,
                                       std::string uuid, std::string queue_url)
    : env_(env),
      lambda_(lambda),
      sqs_(sqs),
      config_(std::move(config)),
      uuid_(std::move(uuid)),
      queue_url_(std::move(queue_url)) {}

sim::StatusOr<std::string> EventSourceMapping::Validate(const EventSourceMappingConfig& c, const Account& account) {
  const std::optional<ParsedArn> arn = Account::ParseArn(c.event_source_arn);
  if (!arn || arn->service != "sqs") return Invalid("'" + c.event_source_arn + "' is not an SQS queue ARN");
  const bool fifo = arn->resource.ends_with(".fifo");
  const int max_batch = fifo ? 10 : 10000;
  if (c.batch_size < 1 || c.batch_size > max_batch) {
    return Invalid("BatchSize " + std::to_string(c.batch_size) + " must be between 1 and " + std::to_string(max_batch));
  }
  const sim::Duration window = c.maximum_batching_window;
  if (window < sim::Duration::Zero() || window > sim::Seconds(300) ||
      window % sim::Seconds(1) != sim::Duration::Zero()) {
    return Invalid("MaximumBatchingWindowInSeconds must be a whole number of seconds in 0..300");
  }
  if (fifo && window > sim::Duration::Zero()) return Invalid("Batching window is not supported for FIFO queues");
  if (c.batch_size > 10 && window < sim::Seconds(1)) {
    return Invalid("Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10");
  }
  if (c.pollers < 1 || c.pollers > 1000) return Invalid("pollers must be between 1 and 1000");
  return account.QueueUrl(arn->resource);
}

void EventSourceMapping::Start() {
  SIM_CHECK_MSG(live_pollers() == 0, "event source mapping " << uuid_ << " started while pollers still run");
  enabled_ = true;
  aborting_ = false;
  ++generation_;
  pollers_.assign(static_cast<std::size_t>(config_.pollers), Poller{});
  for (std::size_t i = 0; i < pollers_.size(); ++i) {
    pollers_[i].pid =
        env_.sched().Spawn(Poll(i, generation_), "lambda:esm:" + config_.function_name + ":" + std::to_string(i));
  }
}

void EventSourceMapping::Disable() {
  enabled_ = false;
  for (const Poller& p : pollers_) {
    if (p.phase == Phase::kReceiving || p.phase == Phase::kBackoff) {
      env_.sched().Interrupt(p.pid, sim::InterruptedError("event source mapping disabled"));
    }
  }
}

void EventSourceMapping::Stop() {
  enabled_ = false;
  aborting_ = true;
  for (const Poller& p : pollers_) {
    if (p.phase != Phase::kDone) env_.sched().Interrupt(p.pid, sim::InterruptedError("event source mapping stopped"));
  }
}

int EventSourceMapping::live_pollers() const {
  int n = 0;
  for (const Poller& p : pollers_)
    if (env_.sched().IsAlive(p.pid)) ++n;
  return n;
}

sim::Task<void> EventSourceMapping::Poll(std::size_t index, uint64_t generation) {
  while (!Stopping(generation)) {
    pollers_[index].phase = Phase::kReceiving;
    const sim::Time polled_at = env_.Now();
    std::vector<sqs::Message> batch;
    sim::Status received = co_await GatherBatch(&batch);
    if (aborting_) break;  // what was received reappears after its visibility timeout
    if (batch.empty()) {
      if (Stopping(generation)) break;
      // A failed receive, or one that took no time: wait before the next.
      if (!received.ok() || env_.Now() == polled_at) {
        pollers_[index].phase = Phase::kBackoff;
        sim::Status slept = co_await env_.sched().Sleep(kPollerBackoff, sim::kDaemon);
        slept.IgnoreError();
      }
      continue;
    }

    pollers_[index].phase = Phase::kInvoking;
    InvocationInput input;
    input.sqs_records.reserve(batch.size());
    for (const sqs::Message& m : batch) input.sqs_records.push_back(ToRecord(m, config_.event_source_arn));
    ++stats_.batches;
    InvocationOutcome out = co_await lambda_.InvokeFunction(config_.function_name, std::move(input));
    if (aborting_) break;
    if (!out.status.ok()) {
      // Throttled (or the function is gone): the batch reappears after its
      // visibility timeout; back off before polling again.
      if (IsThrottlingError(out.status)) ++stats_.batches_throttled;
      pollers_[index].phase = Phase::kBackoff;
      sim::Status slept = co_await env_.sched().Sleep(kPollerBackoff, sim::kDaemon);
      slept.IgnoreError();
      continue;
    }
    const std::optional<std::vector<std::string>> handles =
        out.function_error ? std::nullopt : HandlesToDelete(batch, out.result);
    if (!handles) {
      ++stats_.batches_failed;
      continue;
    }
    ++stats_.batches_succeeded;
    pollers_[index].phase = Phase::kDeleting;
    // One DeleteMessage per record (DeleteMessageBatch comes with the SQS
    // batch APIs).
    for (const std::string& handle : *handles) {
      sqs::DeleteMessageRequest request;
      request.queue_url = queue_url_;
      request.receipt_handle = handle;
      sim::Status deleted = co_await sqs_.DeleteMessage(std::move(request));
      if (aborting_) break;
      if (deleted.ok()) {
        ++stats_.records_deleted;
      } else {
        ++stats_.delete_errors;
      }
    }
  }
  pollers_[index].phase = Phase::kDone;
}

sim::Task<sim::Status> EventSourceMapping::GatherBatch(std::vector<sqs::Message>* batch) {
  const std::size_t batch_size = static_cast<std::size_t>(config_.batch_size);
  sim::Time window_end;
  while (batch->size() < batch_size) {
    // The window opens with the first message; receives after it wait no
    // longer than what is left of it (whole seconds, as WaitTimeSeconds).
    int wait = kPollerWaitTimeSeconds;
    if (!batch->empty()) {
      const sim::Duration left = window_end - env_.Now();
      if (left <= sim::Duration::Zero()) break;
      wait = static_cast<int>(std::min<int64_t>(kPollerWaitTimeSeconds, left.WholeSeconds()));
    }
    sqs::ReceiveMessageRequest request;
    request.queue_url = queue_url_;
    request.max_number_of_messages = static_cast<int>(std::min<std::size_t>(10, batch_size - batch->size()));
    request.wait_time_seconds = wait;
    const sim::Time asked_at = env_.Now();
    ++stats_.receives;
    sim::StatusOr<sqs::ReceiveMessageResponse> response = co_await sqs_.ReceiveMessage(std::move(request));
    if (!response.ok()) {
      if (enabled_) ++stats_.receive_errors;
      co_return response.status();
    }
    const bool first = batch->empty();
    stats_.records_received += response->messages.size();
    for (sqs::Message& m : response->messages) batch->push_back(std::move(m));
    if (first && !batch->empty()) {
      if (config_.maximum_batching_window == sim::Duration::Zero()) break;
      window_end = env_.Now() + config_.maximum_batching_window;
    }
    if (!enabled_) break;  // disabled meanwhile: process what we have
    if (response->messages.empty() && (wait == 0 || env_.Now() == asked_at)) break;
  }
  co_return sim::OkStatus();
}

std::optional<std::vector<std::string>> EventSourceMapping::HandlesToDelete(const std::vector<sqs::Message>& batch,
                                                                            const InvocationResult& result) const {
  std::set<std::string> failed;
  if (config_.report_batch_item_failures) {
    std::set<std::string> ids;
    for (const sqs::Message& m : batch) ids.insert(m.message_id);
    // An empty or unknown itemIdentifier fails the whole batch
    // (services-sqs-errorhandling.html).
    for (const std::string& id : result.batch_item_failures) {
      if (id.empty() || ids.count(id) == 0) return std::nullopt;
      failed.insert(id);
    }
  }
  std::vector<std::string> handles;
  for (const sqs::Message& m : batch)
    if (failed.count(m.message_id) == 0) handles.push_back(m.receipt_handle);
  return handles;
}

}  // namespace emu::lambda
