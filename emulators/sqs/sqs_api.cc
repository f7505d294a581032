#include "emulators/sqs/sqs_api.h"

#include <algorithm>
#include <climits>
#include <nlohmann/json.hpp>

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

sim::StatusOr<std::optional<RedriveAllowPolicy>> ParseRedriveAllowPolicy(const std::string& text) {
  if (text.empty()) return std::optional<RedriveAllowPolicy>();
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return BadAttributeValue("RedriveAllowPolicy", "Redrive allow policy is not a valid JSON map");
  }
  RedriveAllowPolicy policy;
  bool has_permission = false;
  for (const auto& [key, value] : j.items()) {
    if (key == "redrivePermission" && value.is_string()) {
      const std::string p = value.get<std::string>();
      if (p == "allowAll") {
        policy.redrive_permission = RedriveAllowPolicy::Permission::kAllowAll;
      } else if (p == "denyAll") {
        policy.redrive_permission = RedriveAllowPolicy::Permission::kDenyAll;
      } else if (p == "byQueue") {
        policy.redrive_permission = RedriveAllowPolicy::Permission::kByQueue;
      } else {
        return BadAttributeValue("RedriveAllowPolicy", "Unknown redrivePermission " + p);
      }
      has_permission = true;
    } else if (key == "sourceQueueArns" && value.is_array()) {
      for (const auto& arn : value) {
        if (!arn.is_string()) return BadAttributeValue("RedriveAllowPolicy", "sourceQueueArns must be strings");
        policy.source_queue_arns.push_back(arn.get<std::string>());
      }
    } else {
      return BadAttributeValue("RedriveAllowPolicy", "Unknown or malformed key " + key);
    }
  }
  if (!has_permission) return BadAttributeValue("RedriveAllowPolicy", "redrivePermission is required");
  return std::optional<RedriveAllowPolicy>(std::move(policy));
}

// `base` holds the values of the attributes not named (defaults for
// CreateQueue, the current ones for SetQueueAttributes). The FIFO attributes
// are collected raw into `fifo_attributes`, for the sqs_fifo.h validators.
sim::StatusOr<QueueConfig> ParseQueueAttributes(const std::map<std::string, std::string>& attributes, QueueConfig base,
                                                fifo::FifoAttributes& fifo_attributes) {
  QueueConfig c = std::move(base);
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
    } else if (name == "RedriveAllowPolicy") {
      SIM_ASSIGN_OR_RETURN(c.redrive_allow_policy, ParseRedriveAllowPolicy(value));
    } else if (name == "FifoQueue") {
      fifo_attributes.fifo_queue = value;
    } else if (name == "ContentBasedDeduplication") {
      fifo_attributes.content_based_deduplication = value;
    } else if (name == "DeduplicationScope") {
      fifo_attributes.deduplication_scope = value;
    } else if (name == "FifoThroughputLimit") {
      fifo_attributes.fifo_throughput_limit = value;
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
                                               "RedriveAllowPolicy",
                                               "RedrivePolicy",
                                               "VisibilityTimeout"};
constexpr std::string_view kAgeOfOldest = "ApproximateAgeOfOldestMessage";
// Returned (by "All" or by name) for FIFO queues only.
constexpr std::string_view kFifoAttributes[] = {"ContentBasedDeduplication", "DeduplicationScope", "FifoQueue",
                                                "FifoThroughputLimit"};

constexpr std::string_view kSystemAttributeNames[] = {"All",
                                                      "ApproximateReceiveCount",
                                                      "ApproximateFirstReceiveTimestamp",
                                                      "SentTimestamp",
                                                      "SenderId",
                                                      "AWSTraceHeader",
                                                      "DeadLetterQueueSourceArn",
                                                      "MessageDeduplicationId",
                                                      "MessageGroupId",
                                                      "SequenceNumber"};

// What a ReceiveMessage returns of each message, parsed once per call.
struct Selection {
  bool legacy = true;  // no selection given: the three system attributes and every message attribute
  bool all_system = false;
  std::vector<std::string> system;
  bool all_user = false;
  std::vector<std::string> exact;
  std::vector<std::string> prefixes;  // "prefix.*" without ".*"

  bool WantsSystem(std::string_view name) const {
    return all_system || std::find(system.begin(), system.end(), name) != system.end();
  }
  bool WantsUser(const std::string& name) const {
    if (all_user || std::find(exact.begin(), exact.end(), name) != exact.end()) return true;
    return std::any_of(prefixes.begin(), prefixes.end(), [&](const std::string& p) { return name.starts_with(p); });
  }
};

sim::StatusOr<Selection> ParseSelection(const ReceiveMessageRequest& r) {
  Selection sel;
  if (!r.attribute_names && !r.message_system_attribute_names && !r.message_attribute_names) return sel;
  sel.legacy = false;
  for (const auto* list : {&r.attribute_names, &r.message_system_attribute_names}) {
    if (!*list) continue;
    for (const std::string& name : **list) {
      if (std::find(std::begin(kSystemAttributeNames), std::end(kSystemAttributeNames), name) ==
          std::end(kSystemAttributeNames)) {
        return AwsError(errors::kInvalidAttributeName, "Unknown Attribute " + name + ".");
      }
      if (name == "All") sel.all_system = true;
      sel.system.push_back(name);
    }
  }
  if (r.message_attribute_names) {
    for (const std::string& name : *r.message_attribute_names) {
      if (name.empty() || name.size() > static_cast<std::size_t>(kMaxMessageAttributeNameLength)) {
        return AwsError(errors::kInvalidParameterValue, "Message attribute name '" + name + "' is invalid.");
      }
      if (name == "All" || name == ".*") {
        sel.all_user = true;
      } else if (name.size() > 2 && name.ends_with(".*")) {
        sel.prefixes.push_back(name.substr(0, name.size() - 1));  // keep the period: "foo." matches "foo.bar"
      } else {
        sel.exact.push_back(name);
      }
    }
  }
  return sel;
}

ReceiveMessageResponse ToResponse(Env& env, ReceiveResult&& r, const Selection& sel) {
  ReceiveMessageResponse resp;
  resp.messages.reserve(r.messages.size());
  for (ReceivedMessage& m : r.messages) {
    Message& out = resp.messages.emplace_back();
    out.message_id = std::move(m.message_id);
    out.receipt_handle = std::move(m.receipt_handle);
    out.body = std::move(m.body);
    out.md5_of_body = std::move(m.md5_of_body);
    if (sel.legacy) {
      out.message_attributes = StringValuesOf(m.message_attributes);
      out.typed_message_attributes = std::move(m.message_attributes);
      out.md5_of_message_attributes = std::move(m.md5_of_message_attributes);
      out.attributes.emplace("ApproximateReceiveCount", std::to_string(m.receive_count));
      out.attributes.emplace("SentTimestamp", std::to_string(env.UnixMillis(m.sent_at)));
      out.attributes.emplace("ApproximateFirstReceiveTimestamp", std::to_string(env.UnixMillis(m.first_received_at)));
      if (!m.sequence_number.empty()) {
        out.attributes.emplace("MessageGroupId", std::move(m.message_group_id));
        out.attributes.emplace("MessageDeduplicationId", std::move(m.message_deduplication_id));
        out.attributes.emplace("SequenceNumber", std::move(m.sequence_number));
      }
      continue;
    }
    // MD5OfMessageAttributes covers the attributes returned, as AWS computes
    // it; when all are returned it is the digest computed at send.
    if (sel.all_user) {
      out.typed_message_attributes = std::move(m.message_attributes);
      out.md5_of_message_attributes = std::move(m.md5_of_message_attributes);
    } else {
      for (auto& [name, value] : m.message_attributes) {
        if (sel.WantsUser(name)) out.typed_message_attributes.emplace(name, std::move(value));
      }
      out.md5_of_message_attributes = out.typed_message_attributes.size() == m.message_attributes.size()
                                          ? std::move(m.md5_of_message_attributes)
                                          : Md5OfMessageAttributes(out.typed_message_attributes);
    }
    out.message_attributes = StringValuesOf(out.typed_message_attributes);
    const auto put = [&](std::string_view name, std::string value) {
      if (sel.WantsSystem(name)) out.attributes.emplace(std::string(name), std::move(value));
    };
    put("ApproximateReceiveCount", std::to_string(m.receive_count));
    put("SentTimestamp", std::to_string(env.UnixMillis(m.sent_at)));
    put("ApproximateFirstReceiveTimestamp", std::to_string(env.UnixMillis(m.first_received_at)));
    put("SenderId", env.account().account_id());
    if (!m.dead_letter_source_arn.empty()) put("DeadLetterQueueSourceArn", m.dead_letter_source_arn);
    if (!m.sequence_number.empty()) {
      put("MessageGroupId", std::move(m.message_group_id));
      put("MessageDeduplicationId", std::move(m.message_deduplication_id));
      put("SequenceNumber", std::move(m.sequence_number));
    }
  }
  return resp;
}

// The tag rules TagQueue applies, for CreateQueue to check before creating.
sim::Status ValidateTags(const std::map<std::string, std::string>& tags) {
  if (tags.size() > static_cast<std::size_t>(kMaxQueueTags)) {
    return AwsError(errors::kInvalidParameterValue, "Too many tags: a queue can have at most 50.");
  }
  for (const auto& [key, value] : tags) {
    if (key.empty() || key.size() > static_cast<std::size_t>(kMaxTagKeyLength) || key.starts_with("aws:") ||
        value.size() > static_cast<std::size_t>(kMaxTagValueLength)) {
      return AwsError(errors::kInvalidParameterValue, "Tag '" + key + "' is invalid.");
    }
  }
  return sim::OkStatus();
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

// A delivery's attributes, typed by Delivery::attribute_types: "Number..."
// keeps the value as string_value, "Binary..." carries the raw value bytes as
// binary_value, anything else (or no type) is String; custom labels are kept.
MessageAttributes TypedAttributesOf(const Delivery& delivery) {
  MessageAttributes out;
  for (const auto& [name, value] : delivery.attributes) {
    auto t = delivery.attribute_types.find(name);
    if (t == delivery.attribute_types.end() || t->second.empty()) {
      out.emplace(name, MessageAttributeValue::String(value));
    } else if (t->second.starts_with("Binary")) {
      out.emplace(name, MessageAttributeValue{t->second, {}, value});
    } else {
      out.emplace(name, MessageAttributeValue{t->second, value, {}});
    }
  }
  return out;
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
  // At most 10 entries: pairwise comparison, no allocation.
  for (std::size_t i = 1; i < entries.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (entries[i].id == entries[j].id) {
        return AwsError(errors::kBatchEntryIdsNotDistinct, "Id " + entries[i].id + " repeated.");
      }
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
  resp.successful.reserve(entries.size());
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
    // FIFO: one poller per unlocked group (waking more would only make them
    // find nothing and wake each other in turn).
    const int64_t receivable = api.model_->ReceivableNow(pq.name, api.env_.Now());
    for (int64_t n = receivable; n > 0 && !pq.pollers.empty(); --n) End(pq, pq.pollers.begin()->first, true);
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
  ops_.set_queue_attributes = &behaviour_.Declare("SetQueueAttributes", "request");
  ops_.delete_queue = &behaviour_.Declare("DeleteQueue", "request");
  ops_.list_queues = &behaviour_.Declare("ListQueues", "request");
  ops_.tag_queue = &behaviour_.Declare("TagQueue", "request");
  ops_.untag_queue = &behaviour_.Declare("UntagQueue", "request");
  ops_.list_queue_tags = &behaviour_.Declare("ListQueueTags", "request");
  ops_.list_dead_letter_source_queues = &behaviour_.Declare("ListDeadLetterSourceQueues", "request");
  ops_.start_message_move_task = &behaviour_.Declare("StartMessageMoveTask", "request");
  ops_.cancel_message_move_task = &behaviour_.Declare("CancelMessageMoveTask", "request");
  ops_.list_message_move_tasks = &behaviour_.Declare("ListMessageMoveTasks", "request");
  model_->SetEffectRngs(
      SqsModel::EffectRngs{env.Stream("sqs.duplicates"), env.Stream("sqs.reorder"), env.Stream("sqs.short_poll")});
}

SqsApi::~SqsApi() {
  for (const auto& [handle, event] : move_task_events_) env_.sched().Cancel(event);
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
  FifoSendFields fields;
  // Only a FIFO queue takes the ids (an SNS FIFO topic may also deliver to a
  // standard queue, which ignores them); no extra lookup without ids.
  if ((!delivery.message_group_id.empty() || !delivery.message_deduplication_id.empty()) &&
      model_->IsFifoQueue(queue_name)) {
    if (!delivery.message_group_id.empty()) fields.message_group_id = delivery.message_group_id;
    if (!delivery.message_deduplication_id.empty()) fields.message_deduplication_id = delivery.message_deduplication_id;
  }
  sim::StatusOr<SendResult> r =
      model_->SendMessage(queue_name, delivery.body, TypedAttributesOf(delivery), std::nullopt, env_.Now(), fields);
  if (!r.ok()) return std::move(r).status();
  BillExtraChunks(delivery.body.size());
  OnQueueChanged(queue_name);
  return sim::OkStatus();
}

sim::Task<sim::StatusOr<CreateQueueResponse>> SqsApi::CreateQueue(CreateQueueRequest request) {
  sim::StatusOr<CreateQueueResponse> result =
      co_await RunOperation<CreateQueueResponse>(*ops_.create_queue, [&]() -> sim::StatusOr<CreateQueueResponse> {
        QueueConfig defaults;
        defaults.maximum_message_size = model_->settings().max_message_size_limit;
        fifo::FifoAttributes fifo_attributes;
        SIM_ASSIGN_OR_RETURN(QueueConfig config,
                             ParseQueueAttributes(request.attributes, std::move(defaults), fifo_attributes));
        SIM_ASSIGN_OR_RETURN(config.fifo, fifo::ValidateCreateQueueAttributes(request.queue_name, fifo_attributes));
        SIM_RETURN_IF_ERROR(ValidateTags(request.tags));
        const bool existed = model_->HasQueue(request.queue_name);
        SIM_ASSIGN_OR_RETURN(std::string url, model_->CreateQueue(request.queue_name, config, env_.Now()));
        if (!existed && !request.tags.empty())
          SIM_CHECK(model_->TagQueue(request.queue_name, request.tags, env_.Now()).ok());
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
        SIM_ASSIGN_OR_RETURN(
            SendResult sent,
            model_->SendMessage(
                queue, std::move(request.message_body), std::move(attributes), request.delay_seconds, env_.Now(),
                FifoSendFields{std::move(request.message_group_id), std::move(request.message_deduplication_id)}));
        BillExtraChunks(bytes);
        if (!sent.deduplicated) OnQueueChanged(queue);
        return SendMessageResponse{std::move(sent.message_id), std::move(sent.md5_of_message_body),
                                   std::move(sent.md5_of_message_attributes), std::move(sent.sequence_number)};
      });
  co_return result;
}

sim::Task<sim::StatusOr<ReceiveMessageResponse>> SqsApi::ReceiveMessage(ReceiveMessageRequest request) {
  std::string queue;
  int wait_seconds = 0;
  Selection selection;
  sim::StatusOr<ReceiveMessageResponse> first = co_await RunOperation<ReceiveMessageResponse>(
      *ops_.receive_message, [&]() -> sim::StatusOr<ReceiveMessageResponse> {
        SIM_ASSIGN_OR_RETURN(queue, QueueNameOf(request.queue_url));
        if (request.wait_time_seconds &&
            (*request.wait_time_seconds < 0 || *request.wait_time_seconds > kMaxReceiveMessageWaitTimeSeconds)) {
          return InvalidParameter("WaitTimeSeconds", *request.wait_time_seconds, "Must be >= 0 and <= 20, if provided");
        }
        SIM_ASSIGN_OR_RETURN(selection, ParseSelection(request));
        const QueueConfig* config = model_->FindConfig(queue);
        const int wait = request.wait_time_seconds.value_or(config->receive_message_wait_time_seconds);
        sim::StatusOr<ReceiveResult> r = model_->ReceiveMessage(queue, request.max_number_of_messages,
                                                                request.visibility_timeout, env_.Now(), wait == 0);
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
        return ToResponse(env_, std::move(*r), selection);
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
      if (!r->messages.empty() || ended) co_return ToResponse(env_, std::move(*r), selection);
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
        resp.successful.reserve(request.entries.size());
        for (SendMessageBatchRequestEntry& e : request.entries) {
          sim::StatusOr<MessageAttributes> attributes =
              MergeAttributes(e.message_attributes, std::move(e.typed_message_attributes));
          if (!attributes.ok()) {
            resp.failed.push_back(FailedEntry(e.id, attributes.status()));
            continue;
          }
          sim::StatusOr<SendResult> sent =
              model_->SendMessage(queue, std::move(e.message_body), std::move(*attributes), e.delay_seconds, env_.Now(),
                                  FifoSendFields{std::move(e.message_group_id), std::move(e.message_deduplication_id)});
          if (!sent.ok()) {
            resp.failed.push_back(FailedEntry(e.id, sent.status()));
            continue;
          }
          resp.successful.push_back(SendMessageBatchResultEntry{
              e.id, std::move(sent->message_id), std::move(sent->md5_of_message_body),
              std::move(sent->md5_of_message_attributes), std::move(sent->sequence_number)});
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
              std::find(std::begin(kAllAttributes), std::end(kAllAttributes), name) == std::end(kAllAttributes) &&
              std::find(std::begin(kFifoAttributes), std::end(kFifoAttributes), name) == std::end(kFifoAttributes)) {
            return AwsError(errors::kInvalidAttributeName, "Unknown Attribute " + name + ".");
          }
        }
        const auto wanted = [&](std::string_view name) {
          return (all && name != kAgeOfOldest) ||
                 std::find(request.attribute_names.begin(), request.attribute_names.end(), name) !=
                     request.attribute_names.end();
        };
        const sim::Time now = env_.Now();
        SIM_ASSIGN_OR_RETURN(QueueCounts counts, model_->ApproximateCounts(queue, now));
        SIM_ASSIGN_OR_RETURN(QueueInfo info, model_->GetQueueInfo(queue));
        const QueueConfig& c = info.config;
        const std::string created = std::to_string(env_.UnixNanos(info.created_at) / 1'000'000'000);
        const std::string modified = std::to_string(env_.UnixNanos(info.last_modified_at) / 1'000'000'000);
        GetQueueAttributesResponse resp;
        auto put = [&](std::string_view name, std::string value) {
          if (wanted(name)) resp.attributes.emplace(std::string(name), std::move(value));
        };
        put("ApproximateNumberOfMessages", std::to_string(counts.visible));
        put("ApproximateNumberOfMessagesNotVisible", std::to_string(counts.in_flight));
        put("ApproximateNumberOfMessagesDelayed", std::to_string(counts.delayed));
        put("CreatedTimestamp", created);
        put("LastModifiedTimestamp", modified);
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
        if (c.redrive_allow_policy) {
          const RedriveAllowPolicy& a = *c.redrive_allow_policy;
          const char* permission = a.redrive_permission == RedriveAllowPolicy::Permission::kAllowAll  ? "allowAll"
                                   : a.redrive_permission == RedriveAllowPolicy::Permission::kDenyAll ? "denyAll"
                                                                                                      : "byQueue";
          nlohmann::json j = {{"redrivePermission", permission}};
          if (!a.source_queue_arns.empty()) j["sourceQueueArns"] = a.source_queue_arns;
          put("RedriveAllowPolicy", j.dump());
        }
        if (c.fifo) {
          put("FifoQueue", "true");
          put("ContentBasedDeduplication", c.fifo->content_based_deduplication ? "true" : "false");
          put("DeduplicationScope", std::string(fifo::DeduplicationScopeName(c.fifo->deduplication_scope)));
          put("FifoThroughputLimit", std::string(fifo::FifoThroughputLimitName(c.fifo->fifo_throughput_limit)));
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

sim::Task<sim::Status> SqsApi::SetQueueAttributes(SetQueueAttributesRequest request) {
  sim::Status result = co_await RunOperationStatus(*ops_.set_queue_attributes, [&]() -> sim::Status {
    SIM_ASSIGN_OR_RETURN(std::string queue, QueueNameOf(request.queue_url));
    SIM_ASSIGN_OR_RETURN(QueueInfo info, model_->GetQueueInfo(queue));
    fifo::FifoAttributes fifo_attributes;
    SIM_ASSIGN_OR_RETURN(QueueConfig config, ParseQueueAttributes(request.attributes, info.config, fifo_attributes));
    SIM_ASSIGN_OR_RETURN(config.fifo, fifo::ValidateSetQueueAttributes(info.config.fifo, fifo_attributes));
    SIM_RETURN_IF_ERROR(model_->SetQueueAttributes(queue, config, env_.Now()));
    OnQueueChanged(queue);  // a shorter retention may have changed what is visible
    return sim::OkStatus();
  });
  co_return result;
}

sim::Task<sim::Status> SqsApi::DeleteQueue(DeleteQueueRequest request) {
  sim::Status result = co_await RunOperationStatus(*ops_.delete_queue, [&]() -> sim::Status {
    SIM_ASSIGN_OR_RETURN(std::string queue, QueueNameOf(request.queue_url));
    SIM_RETURN_IF_ERROR(model_->DeleteQueue(queue, env_.Now()));
    if (auto t = targets_.find(queue); t != targets_.end()) {
      const std::string arn = env_.account().Arn("sqs", queue);
      if (env_.account().ResolveTarget(arn) == t->second.get()) env_.account().UnregisterTarget(arn);
      targets_.erase(t);
    }
    // Waiting long polls end now; their retry finds no queue.
    if (auto w = waiters_->queues.find(queue); w != waiters_->queues.end()) {
      while (!w->second.pollers.empty()) waiters_->End(w->second, w->second.pollers.begin()->first, true);
    }
    return sim::OkStatus();
  });
  co_return result;
}

sim::StatusOr<std::vector<std::string>> SqsApi::PageOfUrls(const std::vector<std::string>& names,
                                                           std::optional<int> max_results,
                                                           const std::string& next_token,
                                                           std::string& out_token) const {
  constexpr int kMaxListResults = 1000;
  if (max_results && (*max_results < 1 || *max_results > kMaxListResults)) {
    return InvalidParameter("MaxResults", *max_results, "Must be between 1 and 1000");
  }
  // NextToken: "NT" + the hex of the last name returned (opaque to callers).
  std::string after;
  if (!next_token.empty()) {
    const bool well_formed = max_results && next_token.size() > 2 && next_token.starts_with("NT") &&
                             next_token.size() % 2 == 0 &&
                             std::all_of(next_token.begin() + 2, next_token.end(),
                                         [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
    if (!well_formed) {
      return AwsError(errors::kInvalidParameterValue, "Invalid NextToken (it needs MaxResults and a previous page).");
    }
    for (std::size_t i = 2; i < next_token.size(); i += 2) {
      after.push_back(static_cast<char>(std::stoi(next_token.substr(i, 2), nullptr, 16)));
    }
  }
  const std::size_t limit = static_cast<std::size_t>(max_results.value_or(kMaxListResults));
  std::vector<std::string> urls;
  out_token.clear();
  for (const std::string& name : names) {  // name order
    if (!after.empty() && name <= after) continue;
    if (urls.size() == limit) {
      if (max_results) {
        static constexpr char kHexDigits[] = "0123456789abcdef";
        const std::string last = *Account::QueueNameFromUrl(urls.back());
        out_token = "NT";
        for (unsigned char c : last) {
          out_token.push_back(kHexDigits[c >> 4]);
          out_token.push_back(kHexDigits[c & 15]);
        }
      }
      break;
    }
    urls.push_back(env_.account().QueueUrl(name));
  }
  return urls;
}

sim::Task<sim::StatusOr<ListQueuesResponse>> SqsApi::ListQueues(ListQueuesRequest request) {
  sim::StatusOr<ListQueuesResponse> result =
      co_await RunOperation<ListQueuesResponse>(*ops_.list_queues, [&]() -> sim::StatusOr<ListQueuesResponse> {
        std::vector<std::string> names;
        for (std::string& name : model_->ListQueues()) {
          if (name.starts_with(request.queue_name_prefix)) names.push_back(std::move(name));
        }
        ListQueuesResponse resp;
        SIM_ASSIGN_OR_RETURN(resp.queue_urls,
                             PageOfUrls(names, request.max_results, request.next_token, resp.next_token));
        return resp;
      });
  co_return result;
}

sim::Task<sim::Status> SqsApi::TagQueue(TagQueueRequest request) {
  sim::Status result = co_await RunOperationStatus(*ops_.tag_queue, [&]() -> sim::Status {
    SIM_ASSIGN_OR_RETURN(std::string queue, QueueNameOf(request.queue_url));
    return model_->TagQueue(queue, request.tags, env_.Now());
  });
  co_return result;
}

sim::Task<sim::Status> SqsApi::UntagQueue(UntagQueueRequest request) {
  sim::Status result = co_await RunOperationStatus(*ops_.untag_queue, [&]() -> sim::Status {
    SIM_ASSIGN_OR_RETURN(std::string queue, QueueNameOf(request.queue_url));
    return model_->UntagQueue(queue, request.tag_keys, env_.Now());
  });
  co_return result;
}

sim::Task<sim::StatusOr<ListQueueTagsResponse>> SqsApi::ListQueueTags(ListQueueTagsRequest request) {
  sim::StatusOr<ListQueueTagsResponse> result = co_await RunOperation<ListQueueTagsResponse>(
      *ops_.list_queue_tags, [&]() -> sim::StatusOr<ListQueueTagsResponse> {
        SIM_ASSIGN_OR_RETURN(std::string queue, QueueNameOf(request.queue_url));
        ListQueueTagsResponse resp;
        SIM_ASSIGN_OR_RETURN(resp.tags, model_->ListQueueTags(queue));
        return resp;
      });
  co_return result;
}

sim::Task<sim::StatusOr<ListDeadLetterSourceQueuesResponse>> SqsApi::ListDeadLetterSourceQueues(
    ListDeadLetterSourceQueuesRequest request) {
  sim::StatusOr<ListDeadLetterSourceQueuesResponse> result = co_await RunOperation<ListDeadLetterSourceQueuesResponse>(
      *ops_.list_dead_letter_source_queues, [&]() -> sim::StatusOr<ListDeadLetterSourceQueuesResponse> {
        SIM_ASSIGN_OR_RETURN(std::string queue, QueueNameOf(request.queue_url));
        SIM_ASSIGN_OR_RETURN(std::vector<std::string> names, model_->ListDeadLetterSourceQueues(queue));
        ListDeadLetterSourceQueuesResponse resp;
        SIM_ASSIGN_OR_RETURN(resp.queue_urls,
                             PageOfUrls(names, request.max_results, request.next_token, resp.next_token));
        return resp;
      });
  co_return result;
}

void SqsApi::RunMoveTaskStep(const std::string& task_handle) {
  const bool running = model_->MoveTaskStep(task_handle, env_.Now());
  // Moved messages may wake long pollers on any queue.
  for (auto& [name, pq] : waiters_->queues) {
    if (!pq.pollers.empty()) waiters_->Wake(pq);
  }
  if (!running) {
    move_task_events_.erase(task_handle);
    return;
  }
  ArmMoveTask(task_handle);
}

void SqsApi::ArmMoveTask(const std::string& task_handle) {
  move_task_events_[task_handle] =
      env_.sched().ScheduleAfter(sim::Seconds(1), [this, task_handle] { RunMoveTaskStep(task_handle); });
}

sim::Task<sim::StatusOr<StartMessageMoveTaskResponse>> SqsApi::StartMessageMoveTask(
    StartMessageMoveTaskRequest request) {
  sim::StatusOr<StartMessageMoveTaskResponse> result = co_await RunOperation<StartMessageMoveTaskResponse>(
      *ops_.start_message_move_task, [&]() -> sim::StatusOr<StartMessageMoveTaskResponse> {
        SIM_ASSIGN_OR_RETURN(std::string handle,
                             model_->StartMessageMoveTask(request.source_arn, request.destination_arn,
                                                          request.max_number_of_messages_per_second, env_.Now()));
        ArmMoveTask(handle);
        return StartMessageMoveTaskResponse{std::move(handle)};
      });
  co_return result;
}

sim::Task<sim::StatusOr<CancelMessageMoveTaskResponse>> SqsApi::CancelMessageMoveTask(
    CancelMessageMoveTaskRequest request) {
  sim::StatusOr<CancelMessageMoveTaskResponse> result = co_await RunOperation<CancelMessageMoveTaskResponse>(
      *ops_.cancel_message_move_task, [&]() -> sim::StatusOr<CancelMessageMoveTaskResponse> {
        SIM_ASSIGN_OR_RETURN(int64_t moved, model_->CancelMessageMoveTask(request.task_handle, env_.Now()));
        return CancelMessageMoveTaskResponse{moved};
      });
  co_return result;
}

sim::Task<sim::StatusOr<ListMessageMoveTasksResponse>> SqsApi::ListMessageMoveTasks(
    ListMessageMoveTasksRequest request) {
  sim::StatusOr<ListMessageMoveTasksResponse> result = co_await RunOperation<ListMessageMoveTasksResponse>(
      *ops_.list_message_move_tasks, [&]() -> sim::StatusOr<ListMessageMoveTasksResponse> {
        SIM_ASSIGN_OR_RETURN(std::vector<MessageMoveTask> tasks,
                             model_->ListMessageMoveTasks(request.source_arn, request.max_results, env_.Now()));
        ListMessageMoveTasksResponse resp;
        for (const MessageMoveTask& t : tasks) {
          ListMessageMoveTasksResultEntry& e = resp.results.emplace_back();
          if (t.status == MoveTaskStatus::kRunning) e.task_handle = t.task_handle;
          e.status = std::string(MoveTaskStatusName(t.status));
          e.source_arn = t.source_arn;
          e.destination_arn = t.destination_arn;
          if (t.rate_given) e.max_number_of_messages_per_second = t.max_messages_per_second;
          e.approximate_number_of_messages_moved = t.moved;
          e.approximate_number_of_messages_to_move = t.to_move;
          e.failure_reason = t.failure_reason;
          e.started_timestamp = env_.UnixMillis(t.started_at);
        }
        return resp;
      });
  co_return result;
}

}  // namespace emu::sqs
