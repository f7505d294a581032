#include "emulators/sqs/sqs_fifo.h"

#include <utility>

#include "emulators/common/hashing.h"
#include "emulators/sqs/sqs_errors.h"
#include "sim/check.h"

namespace emu::sqs::fifo {

namespace {

bool IsQueueNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

bool IsFifoTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view(R"(!"#$%&'()*+,-./:;<=>?@[\]^_`{|}~)").find(c) != std::string_view::npos;
}

constexpr std::string_view kFifoNameRule =
    "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with "
    ".fifo suffix and be 1 to 80 in length.";
constexpr std::string_view kStandardNameRule =
    "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length";
constexpr std::string_view kNotForThisQueueType = "The request include parameter that is not valid for this queue type";

sim::Status InvalidParameter(std::string_view parameter, std::string_view value, std::string_view reason) {
  return AwsError(errors::kInvalidParameterValue, "Value " + std::string(value) + " for parameter " +
                                                      std::string(parameter) +
                                                      " is invalid. Reason: " + std::string(reason) + ".");
}

sim::Status InvalidAttributeValue(std::string_view attribute, std::string_view reason = {}) {
  std::string message = "Invalid value for the parameter " + std::string(attribute) + ".";
  if (!reason.empty()) message += " Reason: " + std::string(reason);
  return AwsError(errors::kInvalidAttributeValue, std::move(message));
}

sim::Status UnknownAttribute(std::string_view attribute) {
  return AwsError(errors::kInvalidAttributeName, "Unknown Attribute " + std::string(attribute) + ".");
}

sim::Status InvalidToken(std::string_view parameter, std::string_view value) {
  return InvalidParameter(
      parameter, value,
      std::string(parameter) + " can only include alphanumeric and punctuation characters. 1 to 128 in length");
}

// Applies the FIFO attributes present in the request to `config`.
sim::Status ApplyFifoAttributes(const FifoAttributes& a, FifoConfig& config) {
  if (a.content_based_deduplication) {
    if (*a.content_based_deduplication == "true") {
      config.content_based_deduplication = true;
    } else if (*a.content_based_deduplication == "false") {
      config.content_based_deduplication = false;
    } else {
      return InvalidAttributeValue("ContentBasedDeduplication");
    }
  }
  if (a.deduplication_scope) {
    if (*a.deduplication_scope == "queue") {
      config.deduplication_scope = DeduplicationScope::kQueue;
    } else if (*a.deduplication_scope == "messageGroup") {
      config.deduplication_scope = DeduplicationScope::kMessageGroup;
    } else {
      return InvalidAttributeValue("DeduplicationScope");
    }
  }
  if (a.fifo_throughput_limit) {
    if (*a.fifo_throughput_limit == "perQueue") {
      config.fifo_throughput_limit = FifoThroughputLimit::kPerQueue;
    } else if (*a.fifo_throughput_limit == "perMessageGroupId") {
      config.fifo_throughput_limit = FifoThroughputLimit::kPerMessageGroupId;
    } else {
      return InvalidAttributeValue("FifoThroughputLimit");
    }
  }
  if (config.fifo_throughput_limit == FifoThroughputLimit::kPerMessageGroupId &&
      config.deduplication_scope != DeduplicationScope::kMessageGroup) {
    return InvalidAttributeValue(
        "FifoThroughputLimit",
        "The perMessageGroupId value is allowed only when the value for DeduplicationScope is messageGroup.");
  }
  return sim::OkStatus();
}

sim::Status RejectFifoOnlyAttributes(const FifoAttributes& a) {
  if (a.content_based_deduplication) return UnknownAttribute("ContentBasedDeduplication");
  if (a.deduplication_scope) return UnknownAttribute("DeduplicationScope");
  if (a.fifo_throughput_limit) return UnknownAttribute("FifoThroughputLimit");
  return sim::OkStatus();
}

}  // namespace

std::string_view DeduplicationScopeName(DeduplicationScope scope) {
  return scope == DeduplicationScope::kQueue ? "queue" : "messageGroup";
}

std::string_view FifoThroughputLimitName(FifoThroughputLimit limit) {
  return limit == FifoThroughputLimit::kPerQueue ? "perQueue" : "perMessageGroupId";
}

bool IsFifoQueueName(std::string_view name) {
  if (name.size() > kMaxQueueNameLength || name.size() <= kFifoSuffix.size() || !name.ends_with(kFifoSuffix)) {
    return false;
  }
  for (char c : name.substr(0, name.size() - kFifoSuffix.size())) {
    if (!IsQueueNameChar(c)) return false;
  }
  return true;
}

bool IsValidFifoToken(std::string_view value) {
  if (value.empty() || value.size() > kMaxMessageGroupIdLength) return false;
  for (char c : value) {
    if (!IsFifoTokenChar(c)) return false;
  }
  return true;
}

sim::StatusOr<std::optional<FifoConfig>> ValidateCreateQueueAttributes(std::string_view queue_name,
                                                                       const FifoAttributes& attributes) {
  bool fifo = false;
  if (attributes.fifo_queue) {
    if (*attributes.fifo_queue == "true") {
      fifo = true;
    } else if (*attributes.fifo_queue != "false") {
      return InvalidAttributeValue("FifoQueue");
    }
  }
  if (!fifo) {
    // A ".fifo" name is not a valid standard queue name ('.' is not allowed).
    if (queue_name.ends_with(kFifoSuffix))
      return AwsError(errors::kInvalidParameterValue, std::string(kStandardNameRule));
    SIM_RETURN_IF_ERROR(RejectFifoOnlyAttributes(attributes));
    return std::optional<FifoConfig>();
  }
  if (!IsFifoQueueName(queue_name)) return AwsError(errors::kInvalidParameterValue, std::string(kFifoNameRule));
  FifoConfig config;
  SIM_RETURN_IF_ERROR(ApplyFifoAttributes(attributes, config));
  return std::optional<FifoConfig>(config);
}

sim::StatusOr<std::optional<FifoConfig>> ValidateSetQueueAttributes(const std::optional<FifoConfig>& current,
                                                                    const FifoAttributes& attributes) {
  // FifoQueue is fixed at creation; SetQueueAttributes does not accept it.
  if (attributes.fifo_queue) return UnknownAttribute("FifoQueue");
  if (!current) {
    SIM_RETURN_IF_ERROR(RejectFifoOnlyAttributes(attributes));
    return std::optional<FifoConfig>();
  }
  FifoConfig config = *current;
  SIM_RETURN_IF_ERROR(ApplyFifoAttributes(attributes, config));
  return std::optional<FifoConfig>(config);
}

sim::Status ValidateDeadLetterQueueType(bool source_is_fifo, bool dead_letter_is_fifo,
                                        std::string_view redrive_policy) {
  if (source_is_fifo == dead_letter_is_fifo) return sim::OkStatus();
  return InvalidParameter("RedrivePolicy", redrive_policy,
                          "Dead-letter queue must be same type of queue as the source");
}

sim::StatusOr<std::string> ValidateFifoSend(const FifoConfig& config, std::string_view body,
                                            const std::optional<std::string>& message_group_id,
                                            const std::optional<std::string>& message_deduplication_id,
                                            std::optional<int> delay_seconds) {
  if (delay_seconds) return InvalidParameter("DelaySeconds", std::to_string(*delay_seconds), kNotForThisQueueType);
  if (!message_group_id || message_group_id->empty()) {
    return AwsError(errors::kMissingParameter, "The request must contain the parameter MessageGroupId.");
  }
  if (!IsValidFifoToken(*message_group_id)) return InvalidToken("MessageGroupId", *message_group_id);
  if (message_deduplication_id) {
    if (!IsValidFifoToken(*message_deduplication_id)) {
      return InvalidToken("MessageDeduplicationId", *message_deduplication_id);
    }
    return *message_deduplication_id;
  }
  if (!config.content_based_deduplication) {
    return AwsError(errors::kInvalidParameterValue,
                    "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId "
                    "provided explicitly");
  }
  return Sha256Hex(body);
}

sim::Status ValidateStandardSend(const std::optional<std::string>& message_group_id,
                                 const std::optional<std::string>& message_deduplication_id) {
  if (message_deduplication_id) {
    return InvalidParameter("MessageDeduplicationId", *message_deduplication_id, kNotForThisQueueType);
  }
  if (message_group_id && !IsValidFifoToken(*message_group_id)) {
    return InvalidToken("MessageGroupId", *message_group_id);
  }
  return sim::OkStatus();
}

// --- DeduplicationWindow ------------------------------------------------------

std::string DeduplicationWindow::Key(std::string_view message_group_id, std::string_view deduplication_id) const {
  if (scope_ == DeduplicationScope::kQueue) return std::string(deduplication_id);
  // Tokens are printable ASCII, so '\n' cannot occur in either part.
  std::string key;
  key.reserve(message_group_id.size() + 1 + deduplication_id.size());
  key.append(message_group_id).push_back('\n');
  key.append(deduplication_id);
  return key;
}

void DeduplicationWindow::Prune(sim::Time now) {
  SIM_CHECK_MSG(now >= last_now_, "DeduplicationWindow: time went backwards");
  last_now_ = now;
  while (!expiries_.empty() && expiries_.front().at <= now) {
    auto it = entries_.find(expiries_.front().key);
    // A key recorded again after expiring has a later expiry: keep it.
    if (it != entries_.end() && it->second.expires_at() == expiries_.front().at) entries_.erase(it);
    expiries_.pop_front();
  }
}

const DeduplicationRecord* DeduplicationWindow::FindDuplicate(std::string_view message_group_id,
                                                              std::string_view deduplication_id, sim::Time now) {
  Prune(now);
  auto it = entries_.find(Key(message_group_id, deduplication_id));
  return it == entries_.end() ? nullptr : &it->second;
}

void DeduplicationWindow::Record(std::string_view message_group_id, std::string_view deduplication_id,
                                 std::string message_id, std::string sequence_number, sim::Time now) {
  Prune(now);
  std::string key = Key(message_group_id, deduplication_id);
  auto [it, inserted] =
      entries_.try_emplace(key, DeduplicationRecord{std::move(message_id), std::move(sequence_number), now});
  SIM_CHECK_MSG(inserted, "DeduplicationWindow: id " << deduplication_id << " is still live");
  expiries_.push_back(Expiry{it->second.expires_at(), std::move(key)});
}

// --- SequenceNumberGenerator ----------------------------------------------------

std::string SequenceNumberGenerator::Next() {
  const uint64_t value = ((++issued_) << 16) | salt_;
  SIM_CHECK_MSG(value < 10'000'000'000'000'000'000ULL, "SequenceNumberGenerator exhausted");
  std::string digits = std::to_string(value);
  return "1" + std::string(19 - digits.size(), '0') + digits;
}

// --- MessageGroupIndex ----------------------------------------------------------

MessageGroupIndex::Group& MessageGroupIndex::GetOrCreate(std::string_view message_group_id) {
  auto it = groups_.find(message_group_id);
  if (it == groups_.end()) {
    it = groups_.emplace(std::string(message_group_id), Group{}).first;
    it->second.id = it->first;
  }
  return it->second;
}

MessageGroupIndex::Group& MessageGroupIndex::Get(std::string_view message_group_id) {
  auto it = groups_.find(message_group_id);
  SIM_CHECK_MSG(it != groups_.end(), "MessageGroupIndex: unknown group " << message_group_id);
  return it->second;
}

void MessageGroupIndex::Unready(Group& g) {
  if (g.in_flight.empty() && !g.visible.empty()) ready_.erase(g.visible.begin()->first);
}

void MessageGroupIndex::Refresh(Group& g) {
  if (g.in_flight.empty()) {
    if (g.visible.empty()) {
      groups_.erase(groups_.find(g.id));  // g dangles from here
      return;
    }
    auto [it, inserted] = ready_.try_emplace(g.visible.begin()->first, &g);
    SIM_CHECK_MSG(inserted || it->second == &g, "MessageGroupIndex: sequence " << it->first << " is in two groups");
  }
}

void MessageGroupIndex::Enqueue(std::string_view message_group_id, uint64_t handle, uint64_t sequence) {
  Group& g = GetOrCreate(message_group_id);
  SIM_CHECK_MSG(!g.visible.contains(sequence) && !g.in_flight.contains(sequence),
                "MessageGroupIndex: sequence " << sequence << " enqueued twice");
  Unready(g);
  g.visible.emplace(sequence, handle);
  ++visible_;
  Refresh(g);
}

std::vector<uint64_t> MessageGroupIndex::TakeForReceive(int max_n) {
  SIM_CHECK(max_n >= 0);
  std::vector<uint64_t> taken;
  while (static_cast<int>(taken.size()) < max_n && !ready_.empty()) {
    Group& g = *ready_.begin()->second;
    ready_.erase(ready_.begin());
    // The group is locked from its first taken message on: it leaves ready_.
    while (static_cast<int>(taken.size()) < max_n && !g.visible.empty()) {
      auto head = g.visible.begin();
      taken.push_back(head->second);
      g.in_flight.emplace(head->first, head->second);
      g.visible.erase(head);
      --visible_;
      ++in_flight_;
    }
  }
  return taken;
}

void MessageGroupIndex::OnInFlightEnded(std::string_view message_group_id, uint64_t handle, uint64_t sequence,
                                        bool back_to_visible) {
  Group& g = Get(message_group_id);
  auto it = g.in_flight.find(sequence);
  SIM_CHECK_MSG(it != g.in_flight.end() && it->second == handle,
                "MessageGroupIndex: sequence " << sequence << " is not in flight in group " << message_group_id);
  g.in_flight.erase(it);
  --in_flight_;
  if (back_to_visible) {
    g.visible.emplace(sequence, handle);
    ++visible_;
  }
  Refresh(g);
}

void MessageGroupIndex::OnRemoved(std::string_view message_group_id, uint64_t handle, uint64_t sequence) {
  Group& g = Get(message_group_id);
  if (auto it = g.in_flight.find(sequence); it != g.in_flight.end()) {
    SIM_CHECK_MSG(it->second == handle, "MessageGroupIndex: handle mismatch for sequence " << sequence);
    g.in_flight.erase(it);
    --in_flight_;
    Refresh(g);
    return;
  }
  auto it = g.visible.find(sequence);
  SIM_CHECK_MSG(it != g.visible.end() && it->second == handle,
                "MessageGroupIndex: sequence " << sequence << " is not in group " << message_group_id);
  Unready(g);
  g.visible.erase(it);
  --visible_;
  Refresh(g);
}

void MessageGroupIndex::Clear() {
  ready_.clear();
  groups_.clear();
  visible_ = 0;
  in_flight_ = 0;
}

MessageGroupIndex::GroupCounts MessageGroupIndex::Counts(std::string_view message_group_id) const {
  auto it = groups_.find(message_group_id);
  if (it == groups_.end()) return {};
  return {static_cast<int64_t>(it->second.visible.size()), static_cast<int64_t>(it->second.in_flight.size())};
}

bool MessageGroupIndex::IsLocked(std::string_view message_group_id) const {
  auto it = groups_.find(message_group_id);
  return it != groups_.end() && !it->second.in_flight.empty();
}

}  // namespace emu::sqs::fifo
