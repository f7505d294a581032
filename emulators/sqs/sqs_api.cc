#include "emulators/sqs/sqs_api.h"

#include <algorithm>
#include <climits>
#include <nlohmann/json.hpp>
#include <set>

#include "emulators/sqs/sqs_errors.h"
#include "sim/promise.h"

namespace emu::sqs {

namespace {

constexpr std::size_t kBillingChunkBytes = 64 * 1024;

sim::Status InvalidParameter(std::string_view parameter, int64_t value, std::string_view reason) {
  return AwsError(errors::kInvalidParameterValue, "Value " + std::to_string(value) + " for parameter " +
                                                      std::string(parameter) +
                                                      " is invalid. Reason: " + std::string(reason) + ".");
}

sim::Status BadAttributeValue(std::string_view attribute, std::string_view reason = {}) {
  std::string msg = "Invalid value for the parameter " + std::string(attribute) + ".";
  if (!reason.empty()) msg += " Reason: " + std::string(reason) + ".";
  return AwsError(errors::kInvalidAttributeValue, std::move(msg));
}

sim::StatusOr<int> ParseIntAttribute(const std::string& name, const std::string& value) {
  if (value.empty() || value.size() > 10 ||
      !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return BadAttributeValue(name);
  }
  const long long v = std::stoll(value);
  if (v > INT_MAX) return BadAttributeValue(name);
  return static_cast<int>(v);
}

sim::StatusOr<std::optional<RedrivePolicy>> ParseRedrivePolicy(const std::string& text) {
  if (text.empty()) return std::optional<RedrivePolicy>();
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object())
    return BadAttributeValue("RedrivePolicy", "Redrive policy is not a valid JSON map");
  RedrivePolicy policy;
  bool has_arn = false;
  bool has_count = false;
  for (const auto& [key, value] : j.items()) {
    if (key == "deadLetterTargetArn" && value.is_string()) {
      policy.dead_letter_target_arn = value.get<std::string>();
      has_arn = true;
    } else if (key == "maxReceiveCount" && value.is_number_integer()) {
      const int64_t n = value.get<int64_t>();
      if (n < INT_MIN || n > INT_MAX) return BadAttributeValue("RedrivePolicy", "maxReceiveCount out of range");
      policy.max_receive_count = static_cast<int>(n);
      has_count = true;
    } else if (key == "maxReceiveCount" && value.is_string()) {
      sim::StatusOr<int> n = ParseIntAttribute("RedrivePolicy", value.get<std::string>());
      if (!n.ok()) return std::move(n).status();
      policy.max_receive_count = *n;
      has_count = true;
    } else {
      return BadAttributeValue("RedrivePolicy", "Unknown or malformed key " + key);
    }
  }
  if (!has_arn || !has_count) {
    return BadAttributeValue("RedrivePolicy", "Redrive policy needs deadLetterTargetArn and maxReceiveCount");
  }
  return std::optional<RedrivePolicy>(std::move(policy));
}

sim::StatusOr<QueueConfig> ParseQueueAttributes(const std::map<std::string, std::string>& attributes,
                                                const SqsSettings& settings) {
  QueueConfig c;
  c.maximum_message_size = settings.max_message_size_limit;
  for (const auto& [name, value] : attributes) {
    if (name == "VisibilityTimeout") {
      SIM_ASSIGN_OR_RETURN(c.visibility_timeout, ParseIntAttribute(name, value));
    } else if (name == "MessageRetentionPeriod") {
      SIM_ASSIGN_OR_RETURN(c.message_retention_period, ParseIntAttribute(name, value));
    } else if (name == "DelaySeconds") {
      SIM_ASSIGN_OR_RETURN(c.delay_seconds, ParseIntAttribute(name, value));
    } else if (name == "ReceiveMessageWaitTimeSeconds") {
      SIM_ASSIGN_OR_RETURN(c.receive_message_wait_time_seconds, ParseIntAttribute(name, value));
    } else if (name == "MaximumMessageSize") {
      SIM_ASSIGN_OR_RETURN(c.maximum_message_size, ParseIntAttribute(name, value));
    } else if (name == "RedrivePolicy") {
      SIM_ASSIGN_OR_RETURN(c.redrive_policy, ParseRedrivePolicy(value));
    } else if (name == "FifoQueue") {
      if (value != "false") return BadAttributeValue(name, "FIFO queues are not modelled yet");
    } else {
      return AwsError(errors::kInvalidAttributeName, "Unknown Attribute " + name + ".");
    }
  }
  return c;
}

// The attributes "All" returns, in AWS's names.
constexpr std::string_view kAllAttributes[] = {"ApproximateNumberOfMessages",
                                               "ApproximateNumberOfMessagesNotVisible",
                                               "ApproximateNumberOfMessagesDelayed",
                                               "CreatedTimestamp",
                                               "DelaySeconds",
                                               "LastModifiedTimestamp",
                                               "MaximumMessageSize",
                                               "MessageRetentionPeriod",
                                               "QueueArn",
                                               "ReceiveMessageWaitTimeSeconds",
                                               "RedrivePolicy",
                                               "VisibilityTimeout"};
constexpr std::string_view kAgeOfOldest = "ApproximateAgeOfOldestMessage";

ReceiveMessageResponse ToResponse(const Env& env, ReceiveResult&& r) {
  ReceiveMessageResponse resp;
  resp.messages.reserve(r.messages.size());
  for (ReceivedMessage& m : r.messages) {
    Message& out = resp.messages.emplace_back();
    out.message_id = std::move(m.message_id);
    out.receipt_handle = std::move(m.receipt_handle);
    out.body = std::move(m.body);
    out.md5_of_body = std::move(m.md5_of_body);
    out.message_attributes = StringValuesOf(m.message_attributes);
    out.typed_message_attributes = std::move(m.message_attributes);
    out.md5_of_message_attributes = std::move(m.md5_of_message_attributes);
    out.attributes.emplace("ApproximateReceiveCount", std::to_string(m.receive_count));
    out.attributes.emplace("SentTimestamp", std::to_string(env.UnixMillis(m.sent_at)));
    out.attributes.emplace("ApproximateFirstReceiveTimestamp", std::to_string(env.UnixMillis(m.first_received_at)));
  }
  return resp;
}

bool IsOverLimit(const sim::Status& s) { return AwsErrorOf(s) == &errors::kOverLimit; }

// The String-only map and the typed map as one; a name in both is an error.
sim::StatusOr<MessageAttributes> MergeAttributes(const std::map<std::string, std::string>& strings,
                                                 MessageAttributes typed) {
  for (const auto& [name, value] : strings) {
    if (!typed.emplace(name, MessageAttributeValue::String(value)).second) {
      return AwsError(errors::kInvalidParameterValue, "Message attribute name '" + name + "' is repeated.");
    }
  }
  return typed;
}

constexpr std::size_t kMaxBatchEntries = 10;
constexpr std::size_t kMaxBatchEntryIdLength = 80;

bool IsValidBatchEntryId(std::string_view id) {
  return !id.empty() && id.size() <= kMaxBatchEntryIdLength && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

// The request-level checks every batch operation makes on its entries' Ids.
template <class Entry>
sim::Status ValidateBatchEntries(const std::vector<Entry>& entries, std::string_view entry_type) {
  if (entries.empty()) {
    return AwsError(errors::kEmptyBatchRequest,
                    "There should be at least one " + std::string(entry_type) + " in the request.");
  }
  if (entries.size() > kMaxBatchEntries) {
    return AwsError(
        errors::kTooManyEntriesInBatchRequest,
        "Maximum number of entries per request are 10. You have sent " + std::to_string(entries.size()) + ".");
  }
  for (const Entry& e : entries) {
    if (!IsValidBatchEntryId(e.id)) {
      return AwsError(errors::kInvalidBatchEntryId,
                      "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be "
                      "at most 80 letters long.");
    }
  }
  std::set<std::string_view> seen;
  for (const Entry& e : entries) {
    if (!seen.insert(e.id).second) {
      return AwsError(errors::kBatchEntryIdsNotDistinct, "Id " + e.id + " repeated.");
    }
  }
  return sim::OkStatus();
}

BatchResultErrorEntry FailedEntry(const std::string& id, const sim::Status& status) {
  const AwsErrorType* type = AwsErrorOf(status);
  BatchResultErrorEntry out;
  out.id = id;
  out.sender_fault = type == nullptr || type->http_status < 500;
  out.code = type != nullptr ? std::string(type->name) : "InternalError";
  out.message = std::string(status.message());
  return out;
}

// Applies `apply` to every batch entry in order; each entry succeeds or
// fails on its own, as the single operation would.
template <class Entry, class Apply>
BatchResponse ApplyEachEntry(const std::vector<Entry>& entries, Apply apply) {
  BatchResponse resp;
  for (const Entry& e : entries) {
    sim::Status s = apply(e);
    if (s.ok()) {
      resp.successful.push_back(e.id);
    } else {
      resp.failed.push_back(FailedEntry(e.id, s));
    }
  }
  return resp;
}

// Bytes an entry counts toward the batch's payload: body, then each
// attribute's name, data type and value (String-map entries are "String").
std::size_t EntryPayloadBytes(const SendMessageBatchRequestEntry& e) {
  std::size_t bytes = MessagePayloadBytes(e.message_body, e.typed_message_attributes);
  for (const auto& [name, value] : e.message_attributes) bytes += name.size() + 6 + value.size();
  return bytes;
}

}  // namespace

// --- long-poll waiters -------------------------------------------------------

// Long pollers wait per queue in arrival order, each on a Promise<bool>
// (true: woken because messages are available; false: its wait ended). Per
// queue there is at most one wake-up timer, at the model's next visibility
// time, armed only while someone waits: no event per message.
struct SqsApi::Waiters {
  struct Poller {
    sim::Promise<bool> promise;
    sim::EventId deadline_event;
  };
  struct PerQueue {
    std::string name;
    std::map<uint64_t, Poller> pollers;  // by id = registration order
    sim::EventId timer;
    sim::Time timer_at;
  };

  explicit Waiters(SqsApi& a) : api(a) {}
  ~Waiters() {
    sim::Scheduler& sched = api.env_.sched();
    for (auto& [name, pq] : queues) {
      sched.Cancel(pq.timer);
      for (auto& [id, p] : pq.pollers) sched.Cancel(p.deadline_event);
    }
  }

  sim::Promise<bool> Add(const std::string& queue, sim::Time deadline, uint64_t& id) {
    sim::Scheduler& sched = api.env_.sched();
    PerQueue& pq = queues.try_emplace(queue).first->second;
    if (pq.name.empty()) pq.name = queue;
    id = next_id++;
    Poller& p = pq.pollers.emplace(id, Poller{sim::Promise<bool>(sched), {}}).first->second;
    p.deadline_event = sched.ScheduleAt(
        deadline, [this, q = &pq, id] { End(*q, id, false); }, sim::EventOptions{.daemon = api.long_poll_daemon_});
    ++total;
    Rearm(pq);
    return p.promise;
  }

  // The poller's process was interrupted while waiting.
  void Remove(const std::string& queue, uint64_t id) {
    auto q = queues.find(queue);
    if (q == queues.end()) return;
    PerQueue& pq = q->second;
    auto it = pq.pollers.find(id);
    if (it == pq.pollers.end()) return;
    api.env_.sched().Cancel(it->second.deadline_event);
    pq.pollers.erase(it);
    --total;
    Rearm(pq);
  }

  void End(PerQueue& pq, uint64_t id, bool woke) {
    auto it = pq.pollers.find(id);
    if (it == pq.pollers.end()) return;
    sim::Promise<bool> promise = it->second.promise;
    if (woke) api.env_.sched().Cancel(it->second.deadline_event);
    pq.pollers.erase(it);
    --total;
    if (pq.pollers.empty()) {
      api.env_.sched().Cancel(pq.timer);
      pq.timer = {};
    }
    promise.Set(woke);
  }

  // Wakes as many pollers (oldest first) as there are visible messages.
  void Wake(PerQueue& pq) {
    if (pq.pollers.empty()) return;
    sim::StatusOr<QueueCounts> counts = api.model_->Counts(pq.name, api.env_.Now());
    if (!counts.ok()) return;
    for (int64_t n = counts->visible; n > 0 && !pq.pollers.empty(); --n) End(pq, pq.pollers.begin()->first, true);
    Rearm(pq);
  }

  void Rearm(PerQueue& pq) {
    sim::Scheduler& sched = api.env_.sched();
    const std::optional<sim::Time> next =
        pq.pollers.empty() ? std::nullopt : api.model_->NextVisibleTime(pq.name, api.env_.Now());
    if (next && sched.IsPending(pq.timer) && pq.timer_at == *next) return;
    sched.Cancel(pq.timer);
    pq.timer = {};
    if (!next) return;
    pq.timer_at = *next;
    pq.timer = sched.ScheduleAt(
        *next,
        [this, q = &pq] {
          q->timer = {};
          Wake(*q);
        },
        sim::kDaemon);
  }

  SqsApi& api;
  std::map<std::string, PerQueue, std::less<>> queues;
  uint64_t next_id = 1;
  std::size_t total = 0;
};

struct SqsApi::QueueTarget final : DeliveryTarget {
  QueueTarget(SqsApi& a, std::string n) : api(a), name(std::move(n)) {}
  sim::Status Deliver(const Delivery& delivery) override { return api.DeliverToQueue(name, delivery); }
  SqsApi& api;
  std::string name;
};

// --- facade -------------------------------------------------------------------

SqsApi::SqsApi(Env& env, SqsSettings settings)
    : env_(env),
      behaviour_(env, "sqs"),
      model_(std::make_unique<SqsModel>(env.account(), env.metrics(), env.Stream("sqs.message_ids"), settings)),
      waiters_(std::make_unique<Waiters>(*this)) {
  errors::RegisterSqsErrors();
  ops_.create_queue = &behaviour_.Declare("CreateQueue", "request");
  ops_.get_queue_url = &behaviour_.Declare("GetQueueUrl", "request");
  ops_.send_message = &behaviour_.Declare("SendMessage", "request");
  ops_.receive_message = &behaviour_.Declare("ReceiveMessage", "request");
  ops_.delete_message = &behaviour_.Declare("DeleteMessage", "request");
  ops_.change_message_visibility = &behaviour_.Declare("ChangeMessageVisibility", "request");
  ops_.get_queue_attributes = &behaviour_.Declare("GetQueueAttributes", "request");
  ops_.purge_queue = &behaviour_.Declare("PurgeQueue", "request");
  ops_.send_message_batch = &behaviour_.Declare("SendMessageBatch", "request");
  ops_.delete_message_batch = &behaviour_.Declare("DeleteMessageBatch", "request");
  ops_.change_message_visibility_batch = &behaviour_.Declare("ChangeMessageVisibilityBatch", "request");
}

SqsApi::~SqsApi() {
  for (const auto& [name, target] : targets_) {
    const std::string arn = env_.account().Arn("sqs", name);
    if (env_.account().ResolveTarget(arn) == target.get()) env_.account().UnregisterTarget(arn);
  }
}

std::size_t SqsApi::waiting_pollers() const { return waiters_->total; }

sim::StatusOr<std::string> SqsApi::QueueNameOf(const std::string& queue_url) const {
  std::optional<std::string> name = Account::QueueNameFromUrl(queue_url);
  if (!name || !model_->HasQueue(*name)) {
    return AwsError(errors::kQueueDoesNotExist, "The specified queue does not exist (" + queue_url + ").");
  }
  return std::move(*name);
}

void SqsApi::BillExtraChunks(std::size_t payload_bytes) {
  if (payload_bytes <= kBillingChunkBytes) return;
  env_.cost().Add("sqs", "request", static_cast<double>((payload_bytes - 1) / kBillingChunkBytes));
}

void SqsApi::OnQueueChanged(const std::string& queue_name) {
  if (waiters_->total == 0) return;
  auto it = waiters_->queues.find(queue_name);
  if (it == waiters_->queues.end() || it->second.pollers.empty()) return;
  waiters_->Wake(it->second);
}

sim::Status SqsApi::DeliverToQueue(const std::string& queue_name, const Delivery& delivery) {
  env_.cost().Add("sqs", "request", 1);
  sim::StatusOr<SendResult> r =
      model_->SendMessage(queue_name, delivery.body, StringAttributes(delivery.attributes), std::nullopt, env_.Now());
  if (!r.ok()) return std::move(r).status();
  BillExtraChunks(delivery.body.size());
  OnQueueChanged(queue_name);
  return sim::OkStatus();
}

sim::Task<sim::StatusOr<CreateQueueResponse>> SqsApi::CreateQueue(CreateQueueRequest request) {
  sim::StatusOr<CreateQueueResponse> result =
      co_await RunOperation<CreateQueueResponse>(*ops_.create_queue, [&]() -> sim::StatusOr<CreateQueueResponse> {
        SIM_ASSIGN_OR_RETURN(QueueConfig config, ParseQueueAttributes(request.attributes, model_->settings()));
        SIM_ASSIGN_OR_RETURN(std::string url, model_->CreateQueue(request.queue_name, config, env_.Now()));
        if (!targets_.count(request.queue_name)) {
          auto target = std::make_unique<QueueTarget>(*this, request.queue_name);
          env_.account().RegisterTarget(env_.account().Arn("sqs", request.queue_name), target.get());
          targets_.emplace(request.queue_name, std::move(target));
        }
        return CreateQueueResponse{std::move(url)};
      });
  co_return result;
}

sim::Task<sim::StatusOr<GetQueueUrlResponse>> SqsApi::GetQueueUrl(GetQueueUrlRequest request) {
  sim::StatusOr<GetQueueUrlResponse> result =
      co_await RunOperation<GetQueueUrlResponse>(*ops_.get_queue_url, [&]() -> sim::StatusOr<GetQueueUrlResponse> {
        SIM_ASSIGN_OR_RETURN(QueueInfo info, model_->GetQueueInfo(request.queue_name));
        return GetQueueUrlResponse{std::move(info.url)};
      });
  co_return result;
}

sim::Task<sim::StatusOr<SendMessageResponse>> SqsApi::SendMessage(SendMessageRequest request) {
  sim::StatusOr<SendMessageResponse> result =
      co_await RunOperation<SendMessageResponse>(*ops_.send_message, [&]() -> sim::StatusOr<SendMessageResponse> {
        SIM_ASSIGN_OR_RETURN(std::string queue, QueueNameOf(request.queue_url));
        SIM_ASSIGN_OR_RETURN(MessageAttributes attributes,
                             MergeAttributes(request.message_attributes, std::move(request.typed_message_attributes)));
        const std::size_t bytes = MessagePayloadBytes(request.message_body, attributes);
        SIM_ASSIGN_OR_RETURN(SendResult sent,
                             model_->SendMessage(queue, std::move(request.message_body), std::move(attributes),
                                                 request.delay_seconds, env_.Now()));
        BillExtraChunks(bytes);
        OnQueueChanged(queue);
        return SendMessageResponse{std::move(sent.message_id), std::move(sent.md5_of_message_body),
                                   std::move(sent.md5_of_message_attributes)};
      });
  co_return result;
}

sim::Task<sim::StatusOr<ReceiveMessageResponse>> SqsApi::ReceiveMessage(ReceiveMessageRequest request) {
  std::string queue;
  int wait_seconds = 0;
  sim::StatusOr<ReceiveMessageResponse> first = co_await RunOperation<ReceiveMessageResponse>(
      *ops_.receive_message, [&]() -> sim::StatusOr<ReceiveMessageResponse> {
        SIM_ASSIGN_OR_RETURN(queue, QueueNameOf(request.queue_url));
        if (request.wait_time_seconds &&
            (*request.wait_time_seconds < 0 || *request.wait_time_seconds > kMaxReceiveMessageWaitTimeSeconds)) {
          return InvalidParameter("WaitTimeSeconds", *request.wait_time_seconds, "Must be >= 0 and <= 20, if provided");
        }
        const QueueConfig* config = model_->FindConfig(queue);
        const int wait = request.wait_time_seconds.value_or(config->receive_message_wait_time_seconds);
        sim::StatusOr<ReceiveResult> r =
            model_->ReceiveMessage(queue, request.max_number_of_messages, request.visibility_timeout, env_.Now());
        if (!r.ok()) {
          // A long poll over the in-flight limit waits instead of failing.
          if (wait > 0 && IsOverLimit(r.status())) {
            wait_seconds = wait;
            return ReceiveMessageResponse{};
          }
          return std::move(r).status();
        }
        wait_seconds = wait;
        if (r->moved_to_dlq > 0) OnQueueChanged(r->dead_letter_queue);
        OnQueueChanged(queue);
        return ToResponse(env_, std::move(*r));
      });
  if (!first.ok() || !first->messages.empty() || wait_seconds == 0) co_return std::move(first);

  // Long poll: wait for a wake-up (a send, a delay ending, a visibility
  // timeout running out) or for the end of the wait, then try again.
  const sim::Time deadline = env_.Now() + sim::Seconds(wait_seconds);
  while (true) {
    uint64_t poller_id = 0;
    sim::Promise<bool> wake = waiters_->Add(queue, deadline, poller_id);
    sim::StatusOr<bool> woke = co_await wake.Wait();
    if (!woke.ok()) {
      waiters_->Remove(queue, poller_id);
      co_return std::move(woke).status();
    }
    const bool ended = !*woke || env_.Now() >= deadline;
    sim::StatusOr<ReceiveResult> r =
        model_->ReceiveMessage(queue, request.max_number_of_messages, request.visibility_timeout, env_.Now());
    if (r.ok()) {
      if (r->moved_to_dlq > 0) OnQueueChanged(r->dead_letter_queue);
      OnQueueChanged(queue);
      if (!r->messages.empty() || ended) co_return ToResponse(env_, std::move(*r));
    } else if (!IsOverLimit(r.status())) {
      co_return std::move(r).status();
    } else if (ended) {
      co_return ReceiveMessageResponse{};
    }
  }
}

sim::Task<sim::Status> SqsApi::DeleteMessage(DeleteMessageRequest request) {
  sim::Status result = co_await RunOperationStatus(*ops_.delete_message, [&]() -> sim::Status {
    SIM_ASSIGN_OR_RETURN(std::string queue, QueueNameOf(request.queue_url));
    SIM_RETURN_IF_ERROR(model_->DeleteMessage(queue, request.receipt_handle, env_.Now()));
    OnQueueChanged(queue);  // frees room under the in-flight limit
    return sim::OkStatus();
  });
  co_return result;
}

sim::Task<sim::Status> SqsApi::ChangeMessageVisibility(ChangeMessageVisibilityRequest request) {
  sim::Status result = co_await RunOperationStatus(*ops_.change_message_visibility, [&]() -> sim::Status {
    SIM_ASSIGN_OR_RETURN(std::string queue, QueueNameOf(request.queue_url));
    SIM_RETURN_IF_ERROR(
        model_->ChangeMessageVisibility(queue, request.receipt_handle, request.visibility_timeout, env_.Now()));
    OnQueueChanged(queue);
    return sim::OkStatus();
  });
  co_return result;
}

sim::Task<sim::StatusOr<SendMessageBatchResponse>> SqsApi::SendMessageBatch(SendMessageBatchRequest request) {
  sim::StatusOr<SendMessageBatchResponse> result = co_await RunOperation<SendMessageBatchResponse>(
      *ops_.send_message_batch, [&]() -> sim::StatusOr<SendMessageBatchResponse> {
        SIM_ASSIGN_OR_RETURN(std::string queue, QueueNameOf(request.queue_url));
        SIM_RETURN_IF_ERROR(ValidateBatchEntries(request.entries, "SendMessageBatchRequestEntry"));
        std::size_t total = 0;
        for (const SendMessageBatchRequestEntry& e : request.entries) total += EntryPayloadBytes(e);
        const auto limit = static_cast<std::size_t>(model_->settings().max_message_size_limit);
        if (total > limit) {
          return AwsError(errors::kBatchRequestTooLong, "Batch requests cannot be longer than " +
                                                            std::to_string(limit) + " bytes. You have sent " +
                                                            std::to_string(total) + " bytes.");
        }
        SendMessageBatchResponse resp;
        for (SendMessageBatchRequestEntry& e : request.entries) {
          sim::StatusOr<MessageAttributes> attributes =
              MergeAttributes(e.message_attributes, std::move(e.typed_message_attributes));
          if (!attributes.ok()) {
            resp.failed.push_back(FailedEntry(e.id, attributes.status()));
            continue;
          }
          sim::StatusOr<SendResult> sent = model_->SendMessage(queue, std::move(e.message_body), std::move(*attributes),
                                                               e.delay_seconds, env_.Now());
          if (!sent.ok()) {
            resp.failed.push_back(FailedEntry(e.id, sent.status()));
            continue;
          }
          resp.successful.push_back(SendMessageBatchResultEntry{e.id, std::move(sent->message_id),
                                                                std::move(sent->md5_of_message_body),
                                                                std::move(sent->md5_of_message_attributes)});
        }
        BillExtraChunks(total);
        if (!resp.successful.empty()) OnQueueChanged(queue);
        return resp;
      });
  co_return result;
}

sim::Task<sim::StatusOr<BatchResponse>> SqsApi::DeleteMessageBatch(DeleteMessageBatchRequest request) {
  sim::StatusOr<BatchResponse> result =
      co_await RunOperation<BatchResponse>(*ops_.delete_message_batch, [&]() -> sim::StatusOr<BatchResponse> {
        SIM_ASSIGN_OR_RETURN(std::string queue, QueueNameOf(request.queue_url));
        SIM_RETURN_IF_ERROR(ValidateBatchEntries(request.entries, "DeleteMessageBatchRequestEntry"));
        BatchResponse resp = ApplyEachEntry(request.entries, [&](const DeleteMessageBatchRequestEntry& e) {
          return model_->DeleteMessage(queue, e.receipt_handle, env_.Now());
        });
        if (!resp.successful.empty()) OnQueueChanged(queue);
        return resp;
      });
  co_return result;
}

sim::Task<sim::StatusOr<BatchResponse>> SqsApi::ChangeMessageVisibilityBatch(
    ChangeMessageVisibilityBatchRequest request) {
  sim::StatusOr<BatchResponse> result = co_await RunOperation<BatchResponse>(
      *ops_.change_message_visibility_batch, [&]() -> sim::StatusOr<BatchResponse> {
        SIM_ASSIGN_OR_RETURN(std::string queue, QueueNameOf(request.queue_url));
        SIM_RETURN_IF_ERROR(ValidateBatchEntries(request.entries, "ChangeMessageVisibilityBatchRequestEntry"));
        BatchResponse resp = ApplyEachEntry(request.entries, [&](const ChangeMessageVisibilityBatchRequestEntry& e) {
          return model_->ChangeMessageVisibility(queue, e.receipt_handle, e.visibility_timeout, env_.Now());
        });
        if (!resp.successful.empty()) OnQueueChanged(queue);
        return resp;
      });
  co_return result;
}

sim::Task<sim::StatusOr<GetQueueAttributesResponse>> SqsApi::GetQueueAttributes(GetQueueAttributesRequest request) {
  sim::StatusOr<GetQueueAttributesResponse> result = co_await RunOperation<GetQueueAttributesResponse>(
      *ops_.get_queue_attributes, [&]() -> sim::StatusOr<GetQueueAttributesResponse> {
        SIM_ASSIGN_OR_RETURN(std::string queue, QueueNameOf(request.queue_url));
        bool all = false;
        for (const std::string& name : request.attribute_names) {
          if (name == "All") {
            all = true;
            continue;
          }
          if (name != kAgeOfOldest &&
              std::find(std::begin(kAllAttributes), std::end(kAllAttributes), name) == std::end(kAllAttributes)) {
            return AwsError(errors::kInvalidAttributeName, "Unknown Attribute " + name + ".");
          }
        }
        const auto wanted = [&](std::string_view name) {
          return (all && name != kAgeOfOldest) ||
                 std::find(request.attribute_names.begin(), request.attribute_names.end(), name) !=
                     request.attribute_names.end();
        };
        const sim::Time now = env_.Now();
        SIM_ASSIGN_OR_RETURN(QueueCounts counts, model_->Counts(queue, now));
        SIM_ASSIGN_OR_RETURN(QueueInfo info, model_->GetQueueInfo(queue));
        const QueueConfig& c = info.config;
        const std::string created = std::to_string(env_.UnixNanos(info.created_at) / 1'000'000'000);
        GetQueueAttributesResponse resp;
        auto put = [&](std::string_view name, std::string value) {
          if (wanted(name)) resp.attributes.emplace(std::string(name), std::move(value));
        };
        put("ApproximateNumberOfMessages", std::to_string(counts.visible));
        put("ApproximateNumberOfMessagesNotVisible", std::to_string(counts.in_flight));
        put("ApproximateNumberOfMessagesDelayed", std::to_string(counts.delayed));
        put("CreatedTimestamp", created);
        put("LastModifiedTimestamp", created);  // no SetQueueAttributes yet
        put("DelaySeconds", std::to_string(c.delay_seconds));
        put("MaximumMessageSize", std::to_string(c.maximum_message_size));
        put("MessageRetentionPeriod", std::to_string(c.message_retention_period));
        put("QueueArn", info.arn);
        put("ReceiveMessageWaitTimeSeconds", std::to_string(c.receive_message_wait_time_seconds));
        put("VisibilityTimeout", std::to_string(c.visibility_timeout));
        if (c.redrive_policy) {
          const nlohmann::json j = {{"deadLetterTargetArn", c.redrive_policy->dead_letter_target_arn},
                                    {"maxReceiveCount", c.redrive_policy->max_receive_count}};
          put("RedrivePolicy", j.dump());
        }
        const int64_t age = counts.oldest_enqueued_at ? (now - *counts.oldest_enqueued_at).WholeSeconds() : 0;
        put(kAgeOfOldest, std::to_string(age));
        return resp;
      });
  co_return result;
}

sim::Task<sim::Status> SqsApi::PurgeQueue(PurgeQueueRequest request) {
  sim::Status result = co_await RunOperationStatus(*ops_.purge_queue, [&]() -> sim::Status {
    SIM_ASSIGN_OR_RETURN(std::string queue, QueueNameOf(request.queue_url));
    return model_->PurgeQueue(queue, env_.Now());
  });
  co_return result;
}

}  // namespace emu::sqs
