#include "emulators/sns/sns_model.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>

#include "emulators/common/account.h"
#include "emulators/common/hashing.h"
#include "emulators/sns/sns_errors.h"
#include "emulators/sns/sns_message.h"

namespace emu::sns {

namespace {

sim::Status Invalid(const std::string& why) { return AwsError(errors::kInvalidParameter, "Invalid parameter: " + why); }

// Well-formed UTF-8 (no overlongs, surrogates or code points above U+10FFFF).
bool IsValidUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    int extra = 0;
    uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= s.size()) return false;  // truncated sequence
    for (int k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += extra + 1;
  }
  return true;
}

sim::StatusOr<bool> ParseBool(const std::string& name, const std::string& value) {
  std::string lower = value;
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  if (lower == "true") return true;
  if (lower == "false") return false;
  return Invalid("Attributes Reason: " + name + ": Invalid value [" + value + "]. Must be true or false.");
}

sim::Status ValidateAttributeName(const std::string& name) {
  if (name.empty() || name.size() > 256) return Invalid("message attribute name must be 1 to 256 characters");
  for (const char c : name) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
    if (!ok) return Invalid("message attribute name '" + name + "' has an invalid character");
  }
  if (name.front() == '.' || name.back() == '.' || name.find("..") != std::string::npos) {
    return Invalid("message attribute name '" + name + "' has a misplaced '.'");
  }
  if (name.starts_with("AWS.") || name.starts_with("Amazon.")) {
    return Invalid("message attribute name '" + name + "' uses a reserved prefix");
  }
  return sim::OkStatus();
}

}  // namespace

SnsModel::SnsModel(SnsModelOptions options) : options_(std::move(options)) {}

sim::Status SnsModel::ValidateTopicName(std::string_view name) {
  if (name.empty() || name.size() > kMaxTopicNameChars) {
    return Invalid("Topic Name (must be 1 to 256 characters)");
  }
  for (const char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return Invalid("Topic Name (only letters, digits, '-' and '_')");
  }
  return sim::OkStatus();
}

uint64_t SnsModel::PublishRequestUnits(std::size_t payload_bytes) {
  return std::max<uint64_t>(1, (payload_bytes + kPublishChunkBytes - 1) / kPublishChunkBytes);
}

std::string SnsModel::TopicArn(std::string_view name) const {
  return "arn:aws:sns:" + options_.region + ":" + options_.account_id + ":" + std::string(name);
}

Topic* SnsModel::FindMutableTopic(std::string_view topic_arn) {
  auto it = topics_.find(topic_arn);
  return it == topics_.end() ? nullptr : &it->second;
}

const Topic* SnsModel::FindTopic(std::string_view topic_arn) const {
  auto it = topics_.find(topic_arn);
  return it == topics_.end() ? nullptr : &it->second;
}

const Subscription* SnsModel::FindSubscription(std::string_view subscription_arn) const {
  for (const auto& [arn, topic] : topics_) {
    if (!subscription_arn.starts_with(arn)) continue;
    for (const Subscription& s : topic.subscriptions)
      if (s.subscription_arn == subscription_arn) return &s;
  }
  return nullptr;
}

std::vector<std::string> SnsModel::TopicArns() const {
  std::vector<std::string> arns;
  for (const auto& [arn, topic] : topics_) arns.push_back(arn);
  return arns;
}

namespace {

bool EndsWith(std::string_view s, std::string_view suffix) { return s.ends_with(suffix); }

// Alphanumeric and punctuation (AWS's rule for MessageGroupId and
// MessageDeduplicationId), 1..128 characters.
sim::Status ValidateFifoId(const std::string& what, const std::string& id) {
  if (id.empty() || id.size() > kMaxFifoIdChars) return Invalid(what + " must be 1 to 128 characters");
  for (const char c : id) {
    if (c < 0x21 || c > 0x7E) return Invalid(what + " can contain only alphanumeric and punctuation characters");
  }
  return sim::OkStatus();
}

std::string FormatSequenceNumber(uint64_t n) {
  // AWS's are 20-digit decimal numbers; ours count up per topic.
  const std::string digits = std::to_string(10'000'000'000'000'000'000ull + n);
  return digits;
}

}  // namespace

sim::StatusOr<CreateTopicResponse> SnsModel::CreateTopic(const CreateTopicRequest& request) {
  const bool fifo_name = EndsWith(request.name, ".fifo");
  const std::string base = fifo_name ? request.name.substr(0, request.name.size() - 5) : request.name;
  SIM_RETURN_IF_ERROR(ValidateTopicName(base));
  if (request.name.size() > kMaxTopicNameChars) return Invalid("Topic Name (must be 1 to 256 characters)");
  Topic candidate;
  bool fifo_attribute = false;
  for (const auto& [name, value] : request.attributes) {
    if (name == "FifoTopic") {
      SIM_ASSIGN_OR_RETURN(fifo_attribute, ParseBool(name, value));
    } else if (name == "ContentBasedDeduplication") {
      SIM_ASSIGN_OR_RETURN(candidate.content_based_deduplication, ParseBool(name, value));
    } else if (name == "DisplayName") {
      if (value.size() > kMaxDisplayNameChars) return Invalid("DisplayName: at most 100 characters");
      candidate.display_name = value;
    } else {
      return Invalid("Attributes Reason: unsupported attribute " + name);
    }
  }
  if (fifo_name != fifo_attribute) {
    return Invalid(
        "Topic Name: Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase "
        "ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.");
  }
  if (candidate.content_based_deduplication && !fifo_attribute) {
    return Invalid("Attributes Reason: Content-based deduplication can only be set for FIFO topics");
  }
  const std::string arn = TopicArn(request.name);
  if (const Topic* existing = FindTopic(arn)) {
    const bool same =
        existing->content_based_deduplication == candidate.content_based_deduplication &&
        (request.attributes.count("DisplayName") == 0 || existing->display_name == candidate.display_name);
    if (!same) return Invalid("Topic already exists with different attributes");
    return CreateTopicResponse{arn};
  }
  candidate.name = request.name;
  candidate.arn = arn;
  candidate.fifo = fifo_attribute;
  topics_.emplace(arn, std::move(candidate));
  return CreateTopicResponse{arn};
}

namespace {
sim::Status ValidateTopicArnShape(std::string_view arn) {
  const std::optional<ParsedArn> parsed = Account::ParseArn(arn);
  if (!parsed || parsed->service != "sns" || parsed->resource.empty()) {
    return Invalid("TopicArn: " + std::string(arn) + " is not a valid topic ARN");
  }
  return sim::OkStatus();
}
}  // namespace

sim::StatusOr<bool> SnsModel::DeleteTopic(const DeleteTopicRequest& request) {
  SIM_RETURN_IF_ERROR(ValidateTopicArnShape(request.topic_arn));
  return topics_.erase(request.topic_arn) > 0;
}

sim::StatusOr<ListTopicsResponse> SnsModel::ListTopics(const ListTopicsRequest& request) const {
  // The token is the last ARN of the previous page; paging survives topics
  // created or deleted in between (each remaining topic is listed once).
  const std::string prefix = TopicArn("");
  if (!request.next_token.empty() && !request.next_token.starts_with(prefix)) {
    return Invalid("NextToken: invalid token");
  }
  ListTopicsResponse out;
  auto it = request.next_token.empty() ? topics_.begin() : topics_.upper_bound(request.next_token);
  for (; it != topics_.end() && out.topic_arns.size() < kListPageSize; ++it) out.topic_arns.push_back(it->first);
  if (it != topics_.end()) out.next_token = out.topic_arns.back();
  return out;
}

sim::StatusOr<AttributesResponse> SnsModel::GetTopicAttributes(const GetTopicAttributesRequest& request) const {
  SIM_RETURN_IF_ERROR(ValidateTopicArnShape(request.topic_arn));
  const Topic* topic = FindTopic(request.topic_arn);
  if (topic == nullptr) return AwsError(errors::kNotFound, "Topic does not exist");
  AttributesResponse out;
  auto& a = out.attributes;
  a["TopicArn"] = topic->arn;
  a["Owner"] = options_.account_id;
  a["DisplayName"] = topic->display_name;
  a["SubscriptionsConfirmed"] = std::to_string(topic->subscriptions.size());
  a["SubscriptionsPending"] = "0";
  a["SubscriptionsDeleted"] = std::to_string(topic->subscriptions_deleted);
  if (topic->fifo) {
    a["FifoTopic"] = "true";
    a["ContentBasedDeduplication"] = topic->content_based_deduplication ? "true" : "false";
  }
  return out;
}

sim::Status SnsModel::SetTopicAttributes(const SetTopicAttributesRequest& request) {
  SIM_RETURN_IF_ERROR(ValidateTopicArnShape(request.topic_arn));
  Topic* topic = FindMutableTopic(request.topic_arn);
  if (topic == nullptr) return AwsError(errors::kNotFound, "Topic does not exist");
  const std::string& name = request.attribute_name;
  if (name == "DisplayName") {
    if (request.attribute_value.size() > kMaxDisplayNameChars) return Invalid("DisplayName: at most 100 characters");
    topic->display_name = request.attribute_value;
  } else if (name == "ContentBasedDeduplication") {
    if (!topic->fifo) {
      return Invalid("Attributes Reason: Content-based deduplication can only be set for FIFO topics");
    }
    SIM_ASSIGN_OR_RETURN(topic->content_based_deduplication, ParseBool(name, request.attribute_value));
  } else if (name == "FifoTopic") {
    return Invalid("AttributeName: FifoTopic cannot be changed after the topic is created");
  } else {
    return Invalid("AttributeName: unsupported attribute " + name);
  }
  return sim::OkStatus();
}

namespace {

// Sets one subscription attribute on `s` (a candidate copy); CheckSubscription
// validates the combination afterwards.
sim::Status SetAttribute(Subscription& s, const std::string& name, const std::string& value) {
  if (name == "RawMessageDelivery") {
    SIM_ASSIGN_OR_RETURN(s.raw_message_delivery, ParseBool(name, value));
  } else if (name == "FilterPolicy") {
    s.filter_policy = value;
  } else if (name == "FilterPolicyScope") {
    SIM_ASSIGN_OR_RETURN(s.filter_policy_scope, ParseFilterPolicyScope(value));
  } else if (name == "RedrivePolicy") {
    s.redrive_policy = value;
  } else {
    return Invalid("Attributes Reason: unsupported attribute " + name);
  }
  return sim::OkStatus();
}

// Validates the attributes together and compiles the filter policy.
sim::Status CheckSubscription(Subscription& s) {
  if (s.raw_message_delivery && s.protocol == "lambda") {
    return Invalid("Attributes Reason: Delivery protocol [lambda] does not support raw message delivery.");
  }
  s.compiled_filter_policy.reset();
  if (!s.filter_policy.empty()) {
    SIM_ASSIGN_OR_RETURN(FilterPolicy policy, FilterPolicy::Parse(s.filter_policy, s.filter_policy_scope));
    s.compiled_filter_policy = std::move(policy);
  }
  return sim::OkStatus();
}

bool SameAttributes(const Subscription& a, const Subscription& b) {
  return a.raw_message_delivery == b.raw_message_delivery && a.filter_policy == b.filter_policy &&
         a.filter_policy_scope == b.filter_policy_scope && a.redrive_policy == b.redrive_policy;
}

// DataType prefixes SNS accepts; "String.Array" is a type of its own.
bool ValidDataType(const std::string& type) {
  for (const std::string_view base : {"String", "Number", "Binary"}) {
    if (type == base || (type.starts_with(base) && type.size() > base.size() + 1 && type[base.size()] == '.')) {
      return true;
    }
  }
  return false;
}

bool IsNumber(const std::string& value) {
  double d = 0;
  const char* end = value.data() + value.size();
  auto [ptr, ec] = std::from_chars(value.data(), end, d);
  return !value.empty() && ec == std::errc() && ptr == end && std::isfinite(d);
}

}  // namespace

Subscription* SnsModel::FindMutableSubscription(std::string_view subscription_arn) {
  for (auto& [arn, topic] : topics_) {
    if (!subscription_arn.starts_with(arn)) continue;
    for (Subscription& s : topic.subscriptions)
      if (s.subscription_arn == subscription_arn) return &s;
  }
  return nullptr;
}

sim::StatusOr<SubscribeResponse> SnsModel::Subscribe(const SubscribeRequest& request) {
  Topic* topic = FindMutableTopic(request.topic_arn);
  if (topic == nullptr) return AwsError(errors::kNotFound, "Topic does not exist: " + request.topic_arn);
  if (request.protocol != "sqs" && request.protocol != "lambda") {
    return Invalid("Amazon SNS does not support this protocol string: " + request.protocol);
  }
  const std::optional<ParsedArn> endpoint = Account::ParseArn(request.endpoint);
  if (!endpoint || endpoint->service != request.protocol) {
    return Invalid(std::string(request.protocol == "sqs" ? "SQS" : "Lambda") + " endpoint ARN: " + request.endpoint);
  }
  if (topic->fifo && (request.protocol != "sqs" || !EndsWith(request.endpoint, ".fifo"))) {
    return Invalid("Endpoint Reason: FIFO topic only supports Amazon SQS FIFO queue endpoints");
  }
  if (!topic->fifo && request.protocol == "sqs" && EndsWith(request.endpoint, ".fifo")) {
    return Invalid("Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics");
  }
  Subscription s;
  s.topic_arn = topic->arn;
  s.protocol = request.protocol;
  s.endpoint = request.endpoint;
  for (const auto& [name, value] : request.attributes) SIM_RETURN_IF_ERROR(SetAttribute(s, name, value));
  SIM_RETURN_IF_ERROR(CheckSubscription(s));
  SIM_RETURN_IF_ERROR(ValidateRedrivePolicy(*topic, s));
  for (const Subscription& existing : topic->subscriptions) {
    if (existing.protocol == request.protocol && existing.endpoint == request.endpoint) {
      if (!SameAttributes(existing, s)) {
        return Invalid("Attributes Reason: Subscription already exists with different attributes");
      }
      return SubscribeResponse{existing.subscription_arn};
    }
  }
  s.subscription_arn = topic->arn + ":" + NewUuid(options_.subscription_ids);
  s.seq = topic->next_subscription_seq++;
  topic->subscriptions.push_back(s);
  return SubscribeResponse{s.subscription_arn};
}

sim::Status SnsModel::SetSubscriptionAttributes(const SetSubscriptionAttributesRequest& request) {
  Subscription* s = FindMutableSubscription(request.subscription_arn);
  if (s == nullptr) return AwsError(errors::kNotFound, "Subscription does not exist");
  Subscription candidate = *s;
  SIM_RETURN_IF_ERROR(SetAttribute(candidate, request.attribute_name, request.attribute_value));
  SIM_RETURN_IF_ERROR(CheckSubscription(candidate));
  SIM_RETURN_IF_ERROR(ValidateRedrivePolicy(*FindTopic(candidate.topic_arn), candidate));
  *s = std::move(candidate);
  return sim::OkStatus();
}

sim::Status SnsModel::ValidateRedrivePolicy(const Topic& topic, Subscription& s) const {
  s.dead_letter_target_arn.clear();
  if (s.redrive_policy.empty()) return sim::OkStatus();
  const nlohmann::json j = nlohmann::json::parse(s.redrive_policy, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return Invalid("RedrivePolicy: failed to parse JSON.");
  for (const auto& [key, value] : j.items()) {
    if (key != "deadLetterTargetArn") return Invalid("RedrivePolicy: Unrecognized field " + key);
  }
  auto it = j.find("deadLetterTargetArn");
  if (it == j.end() || !it->is_string()) return Invalid("RedrivePolicy: deadLetterTargetArn is missing");
  const std::string arn = it->get<std::string>();
  const std::optional<ParsedArn> parsed = Account::ParseArn(arn);
  if (!parsed || parsed->service != "sqs" || parsed->resource.empty()) {
    return Invalid("RedrivePolicy: deadLetterTargetArn is an invalid arn");
  }
  if (parsed->region != options_.region || parsed->account != options_.account_id) {
    return Invalid("RedrivePolicy: the dead-letter queue must be in the subscription's account and region");
  }
  if (topic.fifo != EndsWith(arn, ".fifo")) {
    return Invalid(topic.fifo ? "RedrivePolicy: must use a FIFO queue as DLQ for a FIFO subscription"
                              : "RedrivePolicy: must use a standard queue as DLQ for a standard subscription");
  }
  s.dead_letter_target_arn = arn;
  return sim::OkStatus();
}

sim::Status SnsModel::Unsubscribe(const UnsubscribeRequest& request) {
  const std::optional<ParsedArn> parsed = Account::ParseArn(request.subscription_arn);
  if (!parsed || parsed->service != "sns" || parsed->resource.find(':') == std::string::npos) {
    return Invalid("SubscriptionArn: " + request.subscription_arn + " is not a valid subscription ARN");
  }
  for (auto& [arn, topic] : topics_) {
    if (!std::string_view(request.subscription_arn).starts_with(arn)) continue;
    auto& subs = topic.subscriptions;
    auto it = std::find_if(subs.begin(), subs.end(),
                           [&](const Subscription& s) { return s.subscription_arn == request.subscription_arn; });
    if (it != subs.end()) {
      subs.erase(it);
      ++topic.subscriptions_deleted;
      break;
    }
  }
  return sim::OkStatus();  // AWS: unsubscribing twice succeeds
}

sim::StatusOr<ListSubscriptionsByTopicResponse> SnsModel::ListSubscriptionsByTopic(
    const ListSubscriptionsByTopicRequest& request) const {
  SIM_RETURN_IF_ERROR(ValidateTopicArnShape(request.topic_arn));
  const Topic* topic = FindTopic(request.topic_arn);
  if (topic == nullptr) return AwsError(errors::kNotFound, "Topic does not exist");
  // The token is the sequence number of the last subscription listed.
  uint64_t after = 0;
  if (!request.next_token.empty()) {
    const char* end = request.next_token.data() + request.next_token.size();
    auto [ptr, ec] = std::from_chars(request.next_token.data(), end, after);
    if (ec != std::errc() || ptr != end || after == 0) return Invalid("NextToken: invalid token");
  }
  ListSubscriptionsByTopicResponse out;
  auto it = std::upper_bound(topic->subscriptions.begin(), topic->subscriptions.end(), after,
                             [](uint64_t seq, const Subscription& s) { return seq < s.seq; });
  for (; it != topic->subscriptions.end() && out.subscriptions.size() < kListPageSize; ++it) {
    out.subscriptions.push_back({it->subscription_arn, options_.account_id, it->protocol, it->endpoint, topic->arn});
  }
  if (it != topic->subscriptions.end()) out.next_token = std::to_string(std::prev(it)->seq);
  return out;
}

sim::StatusOr<AttributesResponse> SnsModel::GetSubscriptionAttributes(
    const GetSubscriptionAttributesRequest& request) const {
  const Subscription* s = FindSubscription(request.subscription_arn);
  if (s == nullptr) return AwsError(errors::kNotFound, "Subscription does not exist");
  AttributesResponse out;
  auto& a = out.attributes;
  a["SubscriptionArn"] = s->subscription_arn;
  a["TopicArn"] = s->topic_arn;
  a["Owner"] = options_.account_id;
  a["Protocol"] = s->protocol;
  a["Endpoint"] = s->endpoint;
  a["ConfirmationWasAuthenticated"] = "true";
  a["PendingConfirmation"] = "false";
  a["RawMessageDelivery"] = s->raw_message_delivery ? "true" : "false";
  if (!s->filter_policy.empty()) {
    a["FilterPolicy"] = s->filter_policy;
    a["FilterPolicyScope"] = std::string(FilterPolicyScopeName(s->filter_policy_scope));
  }
  if (!s->redrive_policy.empty()) a["RedrivePolicy"] = s->redrive_policy;
  return out;
}

sim::StatusOr<std::size_t> SnsModel::ValidatePublish(const Topic& topic, const PublishRequest& request) const {
  if (request.message.empty()) return Invalid("Empty message");
  if (!IsValidUtf8(request.message)) return Invalid("Message must be valid UTF-8");
  if (request.subject.size() > kMaxSubjectChars) return Invalid("Subject must be at most 100 characters");
  for (const char c : request.subject) {
    if (c < 0x20 || c > 0x7E) return Invalid("Subject must be printable ASCII without line breaks");
  }
  std::size_t bytes = request.message.size();
  for (const auto& [name, value] : request.message_attributes) {
    SIM_RETURN_IF_ERROR(ValidateAttributeName(name));
    auto t = request.message_attribute_types.find(name);
    const std::string type = t == request.message_attribute_types.end() ? "String" : t->second;
    if (type != "String.Array" && !ValidDataType(type)) {
      return Invalid("The message attribute '" + name +
                     "' has an invalid message attribute type, the set of supported type prefixes is Binary, "
                     "Number, and String.");
    }
    if (value.empty()) {
      return Invalid("The message attribute '" + name + "' must contain non-empty message attribute value");
    }
    if (type.starts_with("Number") && !IsNumber(value)) {
      return Invalid("Could not cast message attribute '" + name + "' value to number.");
    }
    if (type == "String.Array" && !nlohmann::json::accept(value)) {
      return Invalid("The message attribute '" + name + "' with type 'String.Array' must be a JSON array");
    }
    bytes += name.size() + type.size() + value.size();
  }
  if (bytes > kMaxMessageBytes) {
    return Invalid("Message too long: " + std::to_string(bytes) + " bytes, at most " +
                   std::to_string(kMaxMessageBytes));
  }
  if (topic.fifo) {
    if (request.message_group_id.empty()) return Invalid("The MessageGroupId parameter is required for FIFO topics");
    SIM_RETURN_IF_ERROR(ValidateFifoId("MessageGroupId", request.message_group_id));
    if (request.message_deduplication_id.empty()) {
      if (!topic.content_based_deduplication) {
        return Invalid(
            "The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided "
            "explicitly");
      }
    } else {
      SIM_RETURN_IF_ERROR(ValidateFifoId("MessageDeduplicationId", request.message_deduplication_id));
    }
  } else if (!request.message_deduplication_id.empty()) {
    return Invalid(
        "MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not "
        "valid for this topic type");
  }
  return bytes;
}

PublishOutcome SnsModel::PublishValidated(Topic& topic, const PublishRequest& request, std::size_t bytes,
                                          sim::Time now) {
  PublishOutcome out;
  out.billed_requests = PublishRequestUnits(bytes);
  std::string dedup_id;
  if (topic.fifo) {
    while (!topic.dedup_expiry.empty() && topic.dedup_expiry.front().first <= now) {
      auto it = topic.dedup.find(topic.dedup_expiry.front().second);
      if (it != topic.dedup.end() && it->second.expires <= now) topic.dedup.erase(it);
      topic.dedup_expiry.pop_front();
    }
    dedup_id = request.message_deduplication_id.empty() ? Sha256Hex(request.message) : request.message_deduplication_id;
    if (auto it = topic.dedup.find(dedup_id); it != topic.dedup.end()) {
      out.message_id = it->second.message_id;
      out.sequence_number = it->second.sequence_number;
      out.duplicate = true;
      return out;
    }
  }
  out.message_id = NewUuid(options_.message_ids);
  if (topic.fifo) {
    out.sequence_number = FormatSequenceNumber(topic.next_sequence++);
    topic.dedup.emplace(dedup_id, Topic::Dedup{out.message_id, out.sequence_number, now + kFifoDeduplicationWindow});
    topic.dedup_expiry.emplace_back(now + kFifoDeduplicationWindow, dedup_id);
  }
  SnsNotification n;
  n.region = options_.region;
  n.message_id = out.message_id;
  n.sequence_number = out.sequence_number;
  n.topic_arn = topic.arn;
  n.subject = request.subject;
  n.message = request.message;
  n.timestamp_unix_nanos = options_.epoch_unix_nanos + now.nanos();
  n.attributes = request.message_attributes;
  n.attribute_types = request.message_attribute_types;
  n.signature = SignatureOf(n);  // one per publish: it does not depend on the subscription
  for (const Subscription& s : topic.subscriptions) {
    if (s.compiled_filter_policy) {
      const FilterPolicy& policy = *s.compiled_filter_policy;
      const bool match = policy.scope() == FilterPolicyScope::kMessageBody
                             ? policy.MatchesBody(request.message)
                             : policy.MatchesAttributes(request.message_attributes, request.message_attribute_types);
      if (!match) {
        ++out.filtered;
        continue;
      }
    }
    OutgoingDelivery d;
    d.message_id = out.message_id;
    d.subscription_arn = s.subscription_arn;
    d.protocol = s.protocol;
    d.endpoint = s.endpoint;
    d.delivery.source_arn = topic.arn;
    d.delivery.message_group_id = request.message_group_id;
    d.delivery.message_deduplication_id = topic.fifo ? dedup_id : "";
    n.subscription_arn = s.subscription_arn;
    if (s.protocol == "lambda") {
      d.delivery.body = BuildLambdaEvent(n);
      d.dlq_body = BuildSqsEnvelope(n);
    } else if (s.raw_message_delivery) {
      d.delivery.body = request.message;
      d.delivery.attributes = request.message_attributes;
      d.delivery.attribute_types = request.message_attribute_types;
    } else {
      d.delivery.body = BuildSqsEnvelope(n);
    }
    out.deliveries.push_back(std::move(d));
  }
  return out;
}

sim::StatusOr<PublishOutcome> SnsModel::Publish(const PublishRequest& request, sim::Time now) {
  Topic* topic = FindMutableTopic(request.topic_arn);
  if (topic == nullptr) return AwsError(errors::kNotFound, "Topic does not exist: " + request.topic_arn);
  SIM_ASSIGN_OR_RETURN(const std::size_t bytes, ValidatePublish(*topic, request));
  return PublishValidated(*topic, request, bytes, now);
}

namespace {
bool ValidBatchEntryId(const std::string& id) {
  if (id.empty() || id.size() > kMaxBatchEntryIdChars) return false;
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}
}  // namespace

sim::StatusOr<PublishBatchOutcome> SnsModel::PublishBatch(const PublishBatchRequest& request, sim::Time now) {
  Topic* topic = FindMutableTopic(request.topic_arn);
  if (topic == nullptr) return AwsError(errors::kNotFound, "Topic does not exist: " + request.topic_arn);
  if (request.entries.empty()) {
    return AwsError(errors::kEmptyBatchRequest, "The batch request doesn't contain any entries.");
  }
  if (request.entries.size() > kMaxBatchEntries) {
    return AwsError(errors::kTooManyEntriesInBatchRequest,
                    "The batch request contains more entries than permissible (more than 10).");
  }
  std::set<std::string> ids;
  std::size_t total = 0;
  for (const PublishBatchRequestEntry& e : request.entries) {
    if (!ValidBatchEntryId(e.id)) {
      return AwsError(errors::kInvalidBatchEntryId,
                      "The Id of a batch entry in a batch request doesn't abide by the specification.");
    }
    if (!ids.insert(e.id).second) {
      return AwsError(errors::kBatchEntryIdsNotDistinct, "Two or more batch entries in the request have the same Id.");
    }
    total += e.message.size();
    for (const auto& [name, value] : e.message_attributes) {
      auto t = e.message_attribute_types.find(name);
      total += name.size() + (t == e.message_attribute_types.end() ? 6 : t->second.size()) + value.size();
    }
  }
  if (total > kMaxMessageBytes) {
    return AwsError(errors::kBatchRequestTooLong,
                    "The length of all the messages put together is more than the limit.");
  }
  PublishBatchOutcome out;
  for (const PublishBatchRequestEntry& e : request.entries) {
    const PublishRequest one{request.topic_arn,
                             e.message,
                             e.subject,
                             e.message_attributes,
                             e.message_attribute_types,
                             e.message_group_id,
                             e.message_deduplication_id};
    sim::StatusOr<std::size_t> bytes = ValidatePublish(*topic, one);
    if (!bytes.ok()) {
      out.response.failed.push_back(
          {e.id, std::string(bytes.status().name()), std::string(bytes.status().message()), true});
      continue;
    }
    PublishOutcome published = PublishValidated(*topic, one, *bytes, now);
    out.billed_requests += published.billed_requests;
    out.response.successful.push_back({e.id, published.message_id, published.sequence_number});
    out.published.push_back(std::move(published));
  }
  return out;
}

}  // namespace emu::sns
