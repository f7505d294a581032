#pragma once

// SNS state: topics and their subscriptions. Passive: Publish validates the
// message and returns one ready-made delivery per subscription (body in the
// form the endpoint receives); the facade (sns_api.h) schedules them after
// the delivery delay and retries failures. Errors are AWS-named statuses
// (sns_errors.h) and a failed operation changes nothing. Ids (subscription
// ids, message ids) are UUIDs from two streams of their own, so adding a
// subscription never shifts the message ids.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emulators/common/delivery.h"
#include "emulators/common/env.h"
#include "emulators/sns/sns_api.h"
#include "emulators/sns/sns_filter_policy.h"
#include "sim/rng.h"
#include "sim/status.h"
#include "sim/time.h"

namespace emu::sns {

// SNS limits (https://docs.aws.amazon.com/general/latest/gr/sns.html).
inline constexpr std::size_t kMaxMessageBytes = 262'144;   // 256 KiB, body + attributes
inline constexpr std::size_t kPublishChunkBytes = 65'536;  // billed per 64 KB chunk
inline constexpr std::size_t kMaxSubjectChars = 100;
inline constexpr std::size_t kMaxTopicNameChars = 256;

struct Subscription {
  std::string subscription_arn;
  std::string topic_arn;
  std::string protocol;  // "sqs" or "lambda"
  std::string endpoint;  // queue or function ARN
  bool raw_message_delivery = false;
  std::string filter_policy;  // the JSON as set; empty: every message is delivered
  FilterPolicyScope filter_policy_scope = FilterPolicyScope::kMessageAttributes;
  std::optional<FilterPolicy> compiled_filter_policy;  // set iff filter_policy is
};

struct Topic {
  std::string name;
  std::string arn;
  std::vector<Subscription> subscriptions;  // in subscription order
};

// One copy of a published message for one subscription.
struct OutgoingDelivery {
  std::string message_id;
  std::string subscription_arn;
  std::string protocol;
  std::string endpoint;
  Delivery delivery;  // body as the endpoint receives it; source_arn = topic
};

struct PublishOutcome {
  std::string message_id;
  uint64_t billed_requests = 0;  // 64 KB chunks of body + attributes
  uint64_t filtered = 0;         // subscriptions whose filter policy did not match
  std::vector<OutgoingDelivery> deliveries;
};

struct SnsModelOptions {
  std::string region = "us-east-1";
  std::string account_id = "000000000000";
  int64_t epoch_unix_nanos = Env::kDefaultEpochUnixNanos;
  sim::Rng subscription_ids{1};
  sim::Rng message_ids{2};
};

class SnsModel {
 public:
  explicit SnsModel(SnsModelOptions options = {});

  // Idempotent: an existing name returns its ARN. InvalidParameter (name).
  sim::StatusOr<CreateTopicResponse> CreateTopic(const CreateTopicRequest& request);
  // Protocols sqs and lambda; the endpoint must be an ARN of that service;
  // attributes RawMessageDelivery ("true"/"false", sqs only), FilterPolicy
  // and FilterPolicyScope (sns_filter_policy.h). Subscribing the same
  // endpoint again returns the same subscription (InvalidParameter if the
  // attributes differ). NotFound, InvalidParameter.
  sim::StatusOr<SubscribeResponse> Subscribe(const SubscribeRequest& request);
  // RawMessageDelivery, FilterPolicy ("" removes it) or
  // FilterPolicyScope (the current policy must be valid under the new
  // scope). NotFound, InvalidParameter; a failure changes nothing.
  sim::Status SetSubscriptionAttributes(const SetSubscriptionAttributesRequest& request);
  // Validates (non-empty UTF-8 message, body + attributes <= 256 KiB,
  // subject <= 100 printable ASCII characters, attribute names and data
  // types, Number values numeric, String.Array values JSON arrays) and
  // builds a delivery for each subscription whose filter policy matches.
  // NotFound, InvalidParameter.
  sim::StatusOr<PublishOutcome> Publish(const PublishRequest& request, sim::Time now);

  const Topic* FindTopic(std::string_view topic_arn) const;
  const Subscription* FindSubscription(std::string_view subscription_arn) const;
  std::vector<std::string> TopicArns() const;  // in ARN order
  std::string TopicArn(std::string_view name) const;

  static sim::Status ValidateTopicName(std::string_view name);
  // ceil(bytes / 64 KiB), at least 1.
  static uint64_t PublishRequestUnits(std::size_t payload_bytes);

 private:
  Topic* FindMutableTopic(std::string_view topic_arn);
  Subscription* FindMutableSubscription(std::string_view subscription_arn);

  SnsModelOptions options_;
  std::map<std::string, Topic, std::less<>> topics_;  // by ARN
};

}  // namespace emu::sns
