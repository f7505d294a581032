#include "emulators/sns/sns_model.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "emulators/common/account.h"
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

sim::StatusOr<CreateTopicResponse> SnsModel::CreateTopic(const CreateTopicRequest& request) {
  SIM_RETURN_IF_ERROR(ValidateTopicName(request.name));
  const std::string arn = TopicArn(request.name);
  auto [it, inserted] = topics_.try_emplace(arn);
  if (inserted) {
    it->second.name = request.name;
    it->second.arn = arn;
  }
  return CreateTopicResponse{arn};
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
         a.filter_policy_scope == b.filter_policy_scope;
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
  Subscription s;
  s.topic_arn = topic->arn;
  s.protocol = request.protocol;
  s.endpoint = request.endpoint;
  for (const auto& [name, value] : request.attributes) SIM_RETURN_IF_ERROR(SetAttribute(s, name, value));
  SIM_RETURN_IF_ERROR(CheckSubscription(s));
  for (const Subscription& existing : topic->subscriptions) {
    if (existing.protocol == request.protocol && existing.endpoint == request.endpoint) {
      if (!SameAttributes(existing, s)) {
        return Invalid("Attributes Reason: Subscription already exists with different attributes");
      }
      return SubscribeResponse{existing.subscription_arn};
    }
  }
  s.subscription_arn = topic->arn + ":" + NewUuid(options_.subscription_ids);
  topic->subscriptions.push_back(s);
  return SubscribeResponse{s.subscription_arn};
}

sim::Status SnsModel::SetSubscriptionAttributes(const SetSubscriptionAttributesRequest& request) {
  Subscription* s = FindMutableSubscription(request.subscription_arn);
  if (s == nullptr) return AwsError(errors::kNotFound, "Subscription does not exist");
  Subscription candidate = *s;
  SIM_RETURN_IF_ERROR(SetAttribute(candidate, request.attribute_name, request.attribute_value));
  SIM_RETURN_IF_ERROR(CheckSubscription(candidate));
  *s = std::move(candidate);
  return sim::OkStatus();
}

sim::StatusOr<PublishOutcome> SnsModel::Publish(const PublishRequest& request, sim::Time now) {
  const Topic* topic = FindTopic(request.topic_arn);
  if (topic == nullptr) return AwsError(errors::kNotFound, "Topic does not exist: " + request.topic_arn);
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

  PublishOutcome out;
  out.message_id = NewUuid(options_.message_ids);
  out.billed_requests = PublishRequestUnits(bytes);
  SnsNotification n;
  n.region = options_.region;
  n.message_id = out.message_id;
  n.topic_arn = topic->arn;
  n.subject = request.subject;
  n.message = request.message;
  n.timestamp_unix_nanos = options_.epoch_unix_nanos + now.nanos();
  n.attributes = request.message_attributes;
  n.attribute_types = request.message_attribute_types;
  for (const Subscription& s : topic->subscriptions) {
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
    d.delivery.source_arn = topic->arn;
    n.subscription_arn = s.subscription_arn;
    if (s.protocol == "lambda") {
      d.delivery.body = BuildLambdaEvent(n);
    } else if (s.raw_message_delivery) {
      d.delivery.body = request.message;
      d.delivery.attributes = request.message_attributes;
    } else {
      d.delivery.body = BuildSqsEnvelope(n);
    }
    out.deliveries.push_back(std::move(d));
  }
  return out;
}

}  // namespace emu::sns
