#pragma once

// SNS facade. A topic is a DeliveryTarget too (S3 notifications publish to
// it). Publish / PublishBatch fan the message out to every subscription
// whose filter policy matches (the others count in sns.deliveries.filtered;
// a publish that reaches no subscription, none subscribed included, counts
// in sns.publishes.unmatched): SQS queues get the SNS JSON envelope, or the
// bare message with RawMessageDelivery=true; Lambda functions the SNS event.
// Failed deliveries follow retry_policy, then the subscription DLQ.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "emulators/common/behaviour.h"
#include "emulators/common/env.h"
#include "emulators/sns/sns_delivery_policy.h"
#include "sim/task.h"

namespace emu::sns {

class SnsModel;
struct PublishOutcome;

// Every member of the request and response structs has a default
// initializer, so partial brace-initialisation compiles cleanly under -Wextra.

struct CreateTopicRequest {
  std::string name{};  // FIFO topics: ends with ".fifo" and FifoTopic=true
  // DisplayName, FifoTopic ("true"/"false"), ContentBasedDeduplication (FIFO only)
  std::map<std::string, std::string> attributes{};
};
struct CreateTopicResponse {
  std::string topic_arn{};
};

struct DeleteTopicRequest {
  std::string topic_arn{};
};
struct ListTopicsRequest {
  std::string next_token{};  // empty: the first page
};
struct ListTopicsResponse {
  std::vector<std::string> topic_arns{};  // at most 100, in ARN order
  std::string next_token{};               // empty: the last page
};
struct GetTopicAttributesRequest {
  std::string topic_arn{};
};
struct SetTopicAttributesRequest {
  std::string topic_arn{};
  std::string attribute_name{};  // DisplayName, ContentBasedDeduplication (FIFO only)
  std::string attribute_value{};
};
// GetTopicAttributes / GetSubscriptionAttributes.
struct AttributesResponse {
  std::map<std::string, std::string> attributes{};
};

struct SubscribeRequest {
  std::string topic_arn{};
  std::string protocol{};  // "sqs" or "lambda"
  std::string endpoint{};  // queue or function ARN
  // RawMessageDelivery, FilterPolicy (JSON), FilterPolicyScope, RedrivePolicy
  // ({"deadLetterTargetArn":"<SQS queue ARN>"})
  std::map<std::string, std::string> attributes{};
};
struct SubscribeResponse {
  std::string subscription_arn{};
};
struct UnsubscribeRequest {
  std::string subscription_arn{};
};
struct ListSubscriptionsByTopicRequest {
  std::string topic_arn{};
  std::string next_token{};
};
struct SubscriptionSummary {
  std::string subscription_arn{};
  std::string owner{};
  std::string protocol{};
  std::string endpoint{};
  std::string topic_arn{};
  bool operator==(const SubscriptionSummary&) const = default;
};
struct ListSubscriptionsByTopicResponse {
  std::vector<SubscriptionSummary> subscriptions{};  // at most 100, in subscription order
  std::string next_token{};
};
struct GetSubscriptionAttributesRequest {
  std::string subscription_arn{};
};

struct PublishRequest {
  std::string topic_arn{};
  std::string message{};
  std::string subject{};
  std::map<std::string, std::string> message_attributes{};
  // DataType per attribute name: "String" (the default when absent), "Number",
  // "String.Array" or "Binary", optionally with a custom ".suffix".
  // Binary attribute values are the raw bytes (base64 in the envelope).
  std::map<std::string, std::string> message_attribute_types{};
  // FIFO topics: MessageGroupId required; MessageDeduplicationId required
  // unless the topic has ContentBasedDeduplication (standard topics: none).
  std::string message_group_id{};
  std::string message_deduplication_id{};
};
struct SetSubscriptionAttributesRequest {
  std::string subscription_arn{};
  std::string attribute_name{};   // RawMessageDelivery, FilterPolicy, FilterPolicyScope, RedrivePolicy
  std::string attribute_value{};  // FilterPolicy / RedrivePolicy "" removes it
};

struct PublishResponse {
  std::string message_id{};
  std::string sequence_number{};  // FIFO topics only
};

struct PublishBatchRequestEntry {
  std::string id{};  // [A-Za-z0-9_-]{1,80}, distinct within the batch
  std::string message{};
  std::string subject{};
  std::map<std::string, std::string> message_attributes{};
  std::map<std::string, std::string> message_attribute_types{};
  std::string message_group_id{};
  std::string message_deduplication_id{};
};
struct PublishBatchRequest {
  std::string topic_arn{};
  std::vector<PublishBatchRequestEntry> entries{};  // 1..10
};
struct PublishBatchResultEntry {
  std::string id{};
  std::string message_id{};
  std::string sequence_number{};
};
struct BatchResultErrorEntry {
  std::string id{};
  std::string code{};  // e.g. InvalidParameter
  std::string message{};
  bool sender_fault = true;
};
struct PublishBatchResponse {
  std::vector<PublishBatchResultEntry> successful{};
  std::vector<BatchResultErrorEntry> failed{};
};

// One attempt to deliver one message to one subscription, reported by
// SnsApi::on_delivery_attempt (tests, traces).
struct DeliveryAttempt {
  sim::Time time{};
  std::string message_id{};
  std::string subscription_arn{};
  std::string endpoint{};
  int64_t attempt = 1;  // 1-based
  bool final = false;   // delivered, or the last attempt failed (then DLQ or drop)
  std::string body{};
  sim::Status status{};  // OK, NotFound (no such endpoint) or the endpoint's error
};

class SnsApi {
 public:
  explicit SnsApi(Env& env);
  ~SnsApi();

  sim::Task<sim::StatusOr<CreateTopicResponse>> CreateTopic(CreateTopicRequest request);
  // Idempotent (a missing topic is not an error); its subscriptions go too.
  sim::Task<sim::Status> DeleteTopic(DeleteTopicRequest request);
  sim::Task<sim::StatusOr<ListTopicsResponse>> ListTopics(ListTopicsRequest request);
  sim::Task<sim::StatusOr<AttributesResponse>> GetTopicAttributes(GetTopicAttributesRequest request);
  sim::Task<sim::Status> SetTopicAttributes(SetTopicAttributesRequest request);
  sim::Task<sim::StatusOr<SubscribeResponse>> Subscribe(SubscribeRequest request);
  sim::Task<sim::Status> Unsubscribe(UnsubscribeRequest request);
  sim::Task<sim::StatusOr<ListSubscriptionsByTopicResponse>> ListSubscriptionsByTopic(
      ListSubscriptionsByTopicRequest request);
  sim::Task<sim::StatusOr<AttributesResponse>> GetSubscriptionAttributes(GetSubscriptionAttributesRequest request);
  sim::Task<sim::StatusOr<PublishResponse>> Publish(PublishRequest request);
  sim::Task<sim::StatusOr<PublishBatchResponse>> PublishBatch(PublishBatchRequest request);
  sim::Task<sim::Status> SetSubscriptionAttributes(SetSubscriptionAttributesRequest request);

  // Delay from publish to delivery at each subscription.
  LatencySpec delivery_delay = LatencySpec::Constant(0.05);
  // Retries of a delivery that failed with a server-side error (the
  // endpoint's 5xx or throttle): AWS's 100,015-attempt policy for SQS and
  // Lambda endpoints, jitter drawn from stream "sns.delivery.jitter". A
  // client-side error (no such endpoint, or a 4xx) is not retried. After
  // the last attempt the message goes to the subscription's DLQ
  // (RedrivePolicy; sns.deliveries.redriven_to_dlq, or
  // sns.deliveries.dlq_failed) or is dropped (sns.deliveries.failed).
  DeliveryRetryPolicy retry_policy = DeliveryRetryPolicy::AwsManagedEndpoints();
  // Called after every delivery attempt.
  std::function<void(const DeliveryAttempt&)> on_delivery_attempt;

  SnsModel& model() { return *model_; }
  const SnsModel& model() const { return *model_; }
  ServiceBehaviour& behaviour() { return behaviour_; }

 private:
  class TopicTarget;
  struct Fanout;
  // Publishes at Now(): validates, bills, schedules the deliveries.
  sim::StatusOr<PublishResponse> PublishNow(const PublishRequest& request);
  sim::StatusOr<PublishBatchResponse> PublishBatchNow(const PublishBatchRequest& request);
  void RegisterTopic(const std::string& topic_arn);
  // Schedules the deliveries of one accepted publish; counts the unmatched.
  void ScheduleDeliveries(PublishOutcome& outcome);
  void Attempt(uint64_t id);
  void GiveUp(uint64_t id, const sim::Status& status);

  Env& env_;
  ServiceBehaviour behaviour_;
  std::unique_ptr<SnsModel> model_;
  std::unique_ptr<Fanout> fanout_;
  sim::Rng delivery_rng_;
  sim::Rng jitter_rng_;
  sim::Rng dlq_request_ids_;
};

}  // namespace emu::sns
