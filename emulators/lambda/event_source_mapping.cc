#include "emulators/lambda/event_source_mapping.h"

#include <algorithm>
#include <charconv>
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

// Moves what the poller no longer needs (it keeps the id and handle to
// delete or retry the message after the invocation).
SqsRecord ToRecord(sqs::Message& m, const std::string& event_source_arn) {
  SqsRecord r;
  r.message_id = m.message_id;
  r.receipt_handle = m.receipt_handle;
  r.body = std::move(m.body);
  r.attributes = std::move(m.attributes);
  r.event_source_arn = event_source_arn;
  r.md5_of_body = std::move(m.md5_of_body);
  r.message_attributes = std::move(m.message_attributes);
  return r;
}

// What the record adds to the invocation payload.
std::size_t RecordBytes(const sqs::Message& m) {
  std::size_t n =
      kRecordOverheadBytes + m.body.size() + m.message_id.size() + m.receipt_handle.size() + m.md5_of_body.size();
  for (const auto& [k, v] : m.attributes) n += k.size() + v.size();
  for (const auto& [k, v] : m.message_attributes) n += k.size() + v.size();
  return n;
}

std::optional<int64_t> ParseInt(const std::string& s) {
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

EventSourceMapping::EventSourceMapping(Env& env, LambdaApi& lambda, sqs::SqsApi& sqs, EventSourceMappingConfig config,
                                       std::string uuid, std::string queue_url)
    : env_(env),
      lambda_(lambda),
      sqs_(sqs),
      config_(std::move(config)),
      uuid_(std::move(uuid)),
      queue_url_(std::move(queue_url)) {
  const std::optional<ParsedArn> arn = Account::ParseArn(config_.event_source_arn);
  SIM_CHECK(arn.has_value());
  queue_name_ = arn->resource;
  for (const std::string& p : config_.filter_patterns) filters_.push_back(EventFilter::Parse(p).value());
  const std::string prefix = "lambda.esm." + config_.function_name + ".";
  concurrency_gauge_ = &env_.metrics().GetGauge(prefix + "concurrency");
  queue_age_ns_ = &env_.metrics().GetHistogram(prefix + "queue_age_ns");
}

EventSourceMapping::~EventSourceMapping() {
  if (tick_) env_.sched().CancelPeriodic(tick_);
}

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
  if (c.maximum_concurrency && (*c.maximum_concurrency < 2 || *c.maximum_concurrency > kMaxConcurrentBatches)) {
    return Invalid("1 validation error detected: Value '" + std::to_string(*c.maximum_concurrency) +
                   "' at 'scalingConfig.maximumConcurrency' failed to satisfy constraint: Member must have value "
                   "between 2 and 1000");
  }
  if (c.pollers < 0 || c.pollers > kMaxConcurrentBatches) return Invalid("pollers must be between 0 and 1000");
  if (c.filter_patterns.size() > 5) return Invalid("FilterCriteria allows at most 5 filters");
  for (const std::string& p : c.filter_patterns) SIM_RETURN_IF_ERROR(EventFilter::Parse(p).status());
  return account.QueueUrl(arn->resource);
}

void EventSourceMapping::Start() {
  SIM_CHECK_MSG(live_pollers() == 0, "event source mapping " << uuid_ << " started while pollers still run");
  enabled_ = true;
  aborting_ = false;
  ++generation_;
  pollers_.clear();
  active_ = 0;
  backlog_ = false;
  target_ = pinned() ? config_.pollers : Floor();
  if (pinned() && config_.prewarm_environments && !prewarmed_) {
    prewarmed_ = true;  // once: a re-enabled mapping finds them warm (or reaped)
    lambda_.PrewarmEnvironments(config_.function_name, config_.pollers).IgnoreError();
  }
  for (int i = 0; i < target_; ++i) SpawnPoller();
  if (!pinned()) {
    tick_ = env_.sched().SchedulePeriodic(
        env_.Now() + kScaleTick, kScaleTick, [this] { ScaleTick(); }, sim::kDaemon);
  }
}

void EventSourceMapping::SpawnPoller() {
  pollers_.push_back(Poller{});
  const std::size_t index = pollers_.size() - 1;
  ++active_;
  stats_.peak_concurrency = std::max(stats_.peak_concurrency, active_);
  concurrency_gauge_->Set(active_);
  pollers_[index].pid =
      env_.sched().Spawn(Poll(index, generation_), "lambda:esm:" + config_.function_name + ":" + std::to_string(index));
}

void EventSourceMapping::ScaleTick() {
  if (!enabled_ || pinned()) return;
  if (env_.Now() >= hold_scale_up_until_ && target_ < MaxConcurrency()) {
    // Messages remain: what a receive would see now.
    sim::StatusOr<sqs::QueueCounts> counts = sqs_.model().ApproximateCounts(queue_name_, env_.Now());
    if (counts.ok() && counts->visible > 0) {
      target_ = std::min(MaxConcurrency(), target_ + kScaleUpPerMinute / 60);
    }
  }
  while (active_ < target_) SpawnPoller();
}

void EventSourceMapping::BackOff() {
  if (pinned()) return;
  target_ = std::max(Floor(), target_ - 1);
  hold_scale_up_until_ = env_.Now() + kErrorScaleUpPause;
}

void EventSourceMapping::Disable() {
  enabled_ = false;
  if (tick_) env_.sched().CancelPeriodic(tick_);
  tick_ = sim::PeriodicId{};
  for (const Poller& p : pollers_) {
    if (p.phase == Phase::kReceiving || p.phase == Phase::kBackoff) {
      env_.sched().Interrupt(p.pid, sim::InterruptedError("event source mapping disabled"));
    }
  }
}

void EventSourceMapping::Stop() {
  enabled_ = false;
  aborting_ = true;
  if (tick_) env_.sched().CancelPeriodic(tick_);
  tick_ = sim::PeriodicId{};
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

bool EventSourceMapping::Matches(const sqs::Message& m) const {
  if (filters_.empty()) return true;
  nlohmann::json record;
  record["messageId"] = m.message_id;
  nlohmann::json body = nlohmann::json::parse(m.body, nullptr, false);
  record["body"] = body.is_discarded() ? nlohmann::json(m.body) : std::move(body);
  record["attributes"] = m.attributes;
  nlohmann::json attributes = nlohmann::json::object();
  for (const auto& [k, v] : m.message_attributes) attributes[k] = {{"stringValue", v}, {"dataType", "String"}};
  record["messageAttributes"] = std::move(attributes);
  record["eventSource"] = "aws:sqs";
  record["eventSourceARN"] = config_.event_source_arn;
  return AnyFilterMatches(filters_, record);
}

sim::Task<void> EventSourceMapping::DeleteAll(std::vector<std::string> handles, uint64_t* counter) {
  // DeleteMessageBatch, 10 at a time, as the real poller deletes; a single
  // record is one DeleteMessage.
  constexpr std::size_t kMaxBatch = 10;
  if (handles.size() == 1) {
    sqs::DeleteMessageRequest request;
    request.queue_url = queue_url_;
    request.receipt_handle = std::move(handles[0]);
    sim::Status deleted = co_await sqs_.DeleteMessage(std::move(request));
    if (aborting_) co_return;
    ++*(deleted.ok() ? counter : &stats_.delete_errors);
    co_return;
  }
  for (std::size_t first = 0; first < handles.size(); first += kMaxBatch) {
    sqs::DeleteMessageBatchRequest request;
    request.queue_url = queue_url_;
    const std::size_t end = std::min(handles.size(), first + kMaxBatch);
    request.entries.reserve(end - first);
    for (std::size_t i = first; i < end; ++i) {
      request.entries.push_back({std::to_string(i - first), std::move(handles[i])});
    }
    sim::StatusOr<sqs::BatchResponse> deleted = co_await sqs_.DeleteMessageBatch(std::move(request));
    if (aborting_) break;
    if (!deleted.ok()) {
      stats_.delete_errors += end - first;
      continue;
    }
    *counter += deleted->successful.size();
    stats_.delete_errors += deleted->failed.size();
  }
}

sim::Task<void> EventSourceMapping::Poll(std::size_t index, uint64_t generation) {
  while (!Stopping(generation)) {
    pollers_[index].phase = Phase::kReceiving;
    const sim::Time polled_at = env_.Now();
    std::vector<sqs::Message> batch;
    std::vector<sqs::Message> carry = std::move(pollers_[index].carry);
    pollers_[index].carry.clear();
    sim::Status received = co_await GatherBatch(&batch, &carry);
    pollers_[index].carry = std::move(carry);
    if (aborting_) break;  // what was received reappears after its visibility timeout
    if (batch.empty()) {
      if (Stopping(generation)) break;
      if (received.ok() && env_.Now() > polled_at && !pinned()) {
        // A long poll that found nothing: scale down towards the floor.
        target_ = std::max(Floor(), target_ - 1);
        if (AboveTarget()) break;
      }
      // A failed receive, or one that took no time: wait before the next.
      if (!received.ok() || env_.Now() == polled_at) {
        pollers_[index].phase = Phase::kBackoff;
        sim::Status slept = co_await env_.sched().Sleep(kPollerBackoff, sim::kDaemon);
        slept.IgnoreError();
      }
      continue;
    }

    // Filter criteria: records that match no filter are deleted unseen.
    if (!filters_.empty()) {
      std::vector<sqs::Message> kept;
      std::vector<std::string> dropped;
      for (sqs::Message& m : batch) {
        if (Matches(m)) {
          kept.push_back(std::move(m));
        } else {
          dropped.push_back(m.receipt_handle);
        }
      }
      batch = std::move(kept);
      if (!dropped.empty()) {
        pollers_[index].phase = Phase::kDeleting;
        co_await DeleteAll(std::move(dropped), &stats_.records_filtered);
        if (aborting_) break;
      }
      if (batch.empty()) continue;
    }

    pollers_[index].phase = Phase::kInvoking;
    const int64_t now_ns = env_.UnixNanos(env_.Now());
    int64_t oldest_ns = 0;
    InvocationInput input;
    input.sqs_records.reserve(batch.size());
    for (sqs::Message& m : batch) {
      auto sent = m.attributes.find("SentTimestamp");
      if (sent != m.attributes.end()) {
        if (std::optional<int64_t> ms = ParseInt(sent->second))
          oldest_ns = std::max(oldest_ns, now_ns - *ms * 1'000'000);
      }
      input.sqs_records.push_back(ToRecord(m, config_.event_source_arn));
    }
    queue_age_ns_->Record(oldest_ns);
    ++stats_.batches;
    InvocationOutcome out = co_await lambda_.InvokeFunction(config_.function_name, std::move(input));
    if (aborting_) break;
    if (!out.status.ok()) {
      // Throttled (or the function is gone): the batch reappears after its
      // visibility timeout, its receive count already counted; back off.
      if (IsThrottlingError(out.status)) ++stats_.batches_throttled;
      BackOff();
      if (AboveTarget()) break;
      pollers_[index].phase = Phase::kBackoff;
      sim::Status slept = co_await env_.sched().Sleep(kPollerBackoff, sim::kDaemon);
      slept.IgnoreError();
      continue;
    }
    const std::optional<std::vector<std::string>> handles =
        out.function_error ? std::nullopt : HandlesToDelete(batch, out.result);
    if (!handles) {
      ++stats_.batches_failed;
      BackOff();
      if (AboveTarget()) break;
      continue;
    }
    ++stats_.batches_succeeded;
    pollers_[index].phase = Phase::kDeleting;
    co_await DeleteAll(*handles, &stats_.records_deleted);
    if (aborting_) break;
    if (AboveTarget()) break;
  }
  pollers_[index].phase = Phase::kDone;
  if (generation == generation_) {
    --active_;
    concurrency_gauge_->Set(active_);
  }
}

sim::Task<sim::Status> EventSourceMapping::GatherBatch(std::vector<sqs::Message>* batch,
                                                       std::vector<sqs::Message>* carry) {
  const std::size_t batch_size = static_cast<std::size_t>(config_.batch_size);
  std::size_t bytes = 0;
  sim::Time window_end = env_.Now() + config_.maximum_batching_window;
  for (sqs::Message& m : *carry) {
    bytes += RecordBytes(m);
    batch->push_back(std::move(m));
  }
  carry->clear();
  if (!batch->empty() && config_.maximum_batching_window == sim::Duration::Zero()) co_return sim::OkStatus();
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
    // What the real mapping asks for (and the records carry).
    request.attribute_names =
        std::vector<std::string>{"ApproximateReceiveCount", "SentTimestamp", "ApproximateFirstReceiveTimestamp"};
    request.message_attribute_names = std::vector<std::string>{"All"};
    const sim::Time asked_at = env_.Now();
    ++stats_.receives;
    sim::StatusOr<sqs::ReceiveMessageResponse> response = co_await sqs_.ReceiveMessage(std::move(request));
    if (!response.ok()) {
      if (enabled_) ++stats_.receive_errors;
      co_return response.status();
    }
    const bool first = batch->empty();
    stats_.records_received += response->messages.size();
    bool capped = false;
    for (sqs::Message& m : response->messages) {
      const std::size_t size = RecordBytes(m);
      // The 6 MB synchronous payload cap: the rest starts the next batch.
      if (capped || (!batch->empty() && bytes + size > kMaxSyncPayloadBytes)) {
        capped = true;
        carry->push_back(std::move(m));
        continue;
      }
      bytes += size;
      batch->push_back(std::move(m));
    }
    if (capped) {
      ++stats_.batches_split;
      break;
    }
    if (first && !batch->empty()) {
      if (config_.maximum_batching_window == sim::Duration::Zero()) break;
      window_end = env_.Now() + config_.maximum_batching_window;
    }
    if (!enabled_) break;  // disabled meanwhile: process what we have
    // Nothing came: an empty long poll ends the gathering (the poller decides
    // whether to scale down), as does an instant empty answer.
    if (response->messages.empty() && (batch->empty() || wait == 0 || env_.Now() == asked_at)) break;
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
