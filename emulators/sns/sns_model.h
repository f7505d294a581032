#pragma once

// SNS state: topics (standard and FIFO) and their subscriptions. Passive:
// Publish validates the message and returns one ready-made delivery per
// subscription (body in the form the endpoint receives); the facade
// (sns_api.h) schedules them after the delivery delay and retries failures.
// FIFO topics keep a 5-minute deduplication window per topic (pruned on
// publish) and a per-topic sequence number. Errors are AWS-named statuses
// (sns_errors.h) and a failed operation changes nothing. Ids (subscription
// ids, message ids) are UUIDs from two streams of their own, so adding a
// subscription never shifts the message ids.

#include <cstdint>
#include <deque>
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
inline constexpr std::size_t kMaxDisplayNameChars = 100;
inline constexpr std::size_t kMaxBatchEntries = 10;
inline constexpr std::size_t kMaxBatchEntryIdChars = 80;
inline constexpr std::size_t kMaxFifoIdChars = 128;  // MessageGroupId, MessageDeduplicationId
inline constexpr std::size_t kListPageSize = 100;    // ListTopics, ListSubscriptionsByTopic
inline constexpr sim::Duration kFifoDeduplicationWindow = sim::Minutes(5);

struct Subscription {
  std::string subscription_arn;
  std::string topic_arn;
  std::string protocol;  // "sqs" or "lambda"
  std::string endpoint;  // queue or function ARN
  bool raw_message_delivery = false;
  std::string filter_policy;  // the JSON as set; empty: every message is delivered
  FilterPolicyScope filter_policy_scope = FilterPolicyScope::kMessageAttributes;
  std::optional<FilterPolicy> compiled_filter_policy;  // set iff filter_policy is
  std::string redrive_policy;                          // the JSON as set; empty: no DLQ
  std::string dead_letter_target_arn;                  // from redrive_policy
  uint64_t seq = 0;                                    // per topic, for paging
};

struct Topic {
  std::string name;
  std::string arn;
  std::string display_name;
  bool fifo = false;
  bool content_based_deduplication = false;
  std::vector<Subscription> subscriptions;  // in subscription order
  uint64_t next_subscription_seq = 1;
  uint64_t subscriptions_deleted = 0;
  // FIFO: deduplication id -> the first publish's ids, for 5 minutes.
  struct Dedup {
    std::string message_id;
    std::string sequence_number;
    sim::Time expires;
  };
  std::map<std::string, Dedup, std::less<>> dedup;
  std::deque<std::pair<sim::Time, std::string>> dedup_expiry;  // in time order
  uint64_t next_sequence = 1;
};

// One copy of a published message for one subscription.
struct OutgoingDelivery {
  std::string message_id;
  std::string subscription_arn;
  std::string protocol;
  std::string endpoint;
  Delivery delivery;  // body as the endpoint receives it; source_arn = topic
  // The body a subscription DLQ receives: empty = delivery.body (the
  // envelope or raw message); Lambda subscriptions: the SQS envelope.
  std::string dlq_body;
};

struct PublishOutcome {
  std::string message_id;
  std::string sequence_number;   // FIFO only
  bool duplicate = false;        // FIFO: inside the deduplication window; no deliveries
  uint64_t billed_requests = 0;  // 64 KB chunks of body + attributes
  uint64_t filtered = 0;         // subscriptions whose filter policy did not match
  std::vector<OutgoingDelivery> deliveries;
};

struct PublishBatchOutcome {
  PublishBatchResponse response;
  std::vector<PublishOutcome> published;  // one per successful entry, in order
  uint64_t billed_requests = 0;
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

  // Idempotent: an existing name with the same attributes returns its ARN
  // (InvalidParameter if they differ). FIFO: name ends ".fifo" iff
  // FifoTopic=true. InvalidParameter (name, attributes).
  sim::StatusOr<CreateTopicResponse> CreateTopic(const CreateTopicRequest& request);
  // Removes the topic, its subscriptions and dedup state; true if it
  // existed. A missing topic succeeds (AWS: idempotent); a malformed ARN is
  // InvalidParameter.
  sim::StatusOr<bool> DeleteTopic(const DeleteTopicRequest& request);
  // 100 per page; the token is opaque (bad ones InvalidParameter).
  sim::StatusOr<ListTopicsResponse> ListTopics(const ListTopicsRequest& request) const;
  // TopicArn, Owner, DisplayName, SubscriptionsConfirmed, SubscriptionsPending,
  // SubscriptionsDeleted, FifoTopic and ContentBasedDeduplication (FIFO
  // topics only). NotFound.
  sim::StatusOr<AttributesResponse> GetTopicAttributes(const GetTopicAttributesRequest& request) const;
  // DisplayName (<= 100 chars), ContentBasedDeduplication (FIFO topics);
  // FifoTopic cannot change; others InvalidParameter. NotFound.
  sim::Status SetTopicAttributes(const SetTopicAttributesRequest& request);
  // Protocols sqs and lambda; the endpoint must be an ARN of that service;
  // attributes RawMessageDelivery ("true"/"false", sqs only), FilterPolicy
  // and FilterPolicyScope (sns_filter_policy.h), RedrivePolicy (an SQS
  // queue ARN of this account and region; .fifo iff the topic is FIFO).
  // FIFO topics accept only SQS FIFO queues (".fifo" ARNs), standard
  // topics only standard queues. Subscribing the same
  // endpoint again returns the same subscription (InvalidParameter if the
  // attributes differ). NotFound, InvalidParameter.
  sim::StatusOr<SubscribeResponse> Subscribe(const SubscribeRequest& request);
  // Idempotent for a well-formed unknown ARN; malformed InvalidParameter.
  sim::Status Unsubscribe(const UnsubscribeRequest& request);
  // 100 per page. NotFound, InvalidParameter (token).
  sim::StatusOr<ListSubscriptionsByTopicResponse> ListSubscriptionsByTopic(
      const ListSubscriptionsByTopicRequest& request) const;
  // SubscriptionArn, TopicArn, Owner, Protocol, Endpoint,
  // ConfirmationWasAuthenticated, PendingConfirmation, RawMessageDelivery,
  // and FilterPolicy / FilterPolicyScope / RedrivePolicy when set. NotFound.
  sim::StatusOr<AttributesResponse> GetSubscriptionAttributes(const GetSubscriptionAttributesRequest& request) const;
  // RawMessageDelivery, FilterPolicy ("" removes it), RedrivePolicy ("" removes it) or
  // FilterPolicyScope (the current policy must be valid under the new
  // scope). NotFound, InvalidParameter; a failure changes nothing.
  sim::Status SetSubscriptionAttributes(const SetSubscriptionAttributesRequest& request);
  // Validates (non-empty UTF-8 message, body + attributes <= 256 KiB,
  // subject <= 100 printable ASCII characters, attribute names and data
  // types, Number values numeric, String.Array values JSON arrays) and
  // builds a delivery for each subscription whose filter policy matches.
  // FIFO topics: MessageGroupId and (without content-based deduplication)
  // MessageDeduplicationId required; a duplicate within 5 minutes returns
  // the first publish's ids and no deliveries. NotFound, InvalidParameter.
  sim::StatusOr<PublishOutcome> Publish(const PublishRequest& request, sim::Time now);
  // Request errors (nothing published): NotFound, EmptyBatchRequest,
  // TooManyEntriesInBatchRequest, InvalidBatchEntryId,
  // BatchEntryIdsNotDistinct, BatchRequestTooLong (all entries' body +
  // attributes > 256 KiB). Entries that fail validation land in Failed
  // (InvalidParameter, SenderFault); the others are published in order.
  sim::StatusOr<PublishBatchOutcome> PublishBatch(const PublishBatchRequest& request, sim::Time now);

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
  // Validates one message for `topic`; returns its billed size in bytes.
  sim::StatusOr<std::size_t> ValidatePublish(const Topic& topic, const PublishRequest& request) const;
  PublishOutcome PublishValidated(Topic& topic, const PublishRequest& request, std::size_t bytes, sim::Time now);
  sim::Status ValidateRedrivePolicy(const Topic& topic, Subscription& s) const;

  SnsModelOptions options_;
  std::map<std::string, Topic, std::less<>> topics_;  // by ARN
};

}  // namespace emu::sns
