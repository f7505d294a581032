#pragma once

// SNS facade (first operations; the SQS/SNS issue completes it). A topic is
// a DeliveryTarget too (S3 notifications publish to it). Publish fans the
// message out to every subscription whose filter policy matches (the others
// count in sns.deliveries.filtered): SQS queues get the SNS JSON envelope,
// or the bare message with RawMessageDelivery=true.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "emulators/common/behaviour.h"
#include "emulators/common/env.h"
#include "sim/task.h"

namespace emu::sns {

class SnsModel;

// Every member of the request and response structs has a default
// initializer, so partial brace-initialisation compiles cleanly under -Wextra.

struct CreateTopicRequest {
  std::string name{};
};
struct CreateTopicResponse {
  std::string topic_arn{};
};

struct SubscribeRequest {
  std::string topic_arn{};
  std::string protocol{};  // "sqs" or "lambda"
  std::string endpoint{};  // queue or function ARN
  // RawMessageDelivery, FilterPolicy (JSON), FilterPolicyScope
  std::map<std::string, std::string> attributes{};
};
struct SubscribeResponse {
  std::string subscription_arn{};
};

struct PublishRequest {
  std::string topic_arn{};
  std::string message{};
  std::string subject{};
  std::map<std::string, std::string> message_attributes{};
  // DataType per attribute name: "String" (the default when absent), "Number",
  // "String.Array" or "Binary", optionally with a custom ".suffix".
  std::map<std::string, std::string> message_attribute_types{};
};
struct SetSubscriptionAttributesRequest {
  std::string subscription_arn{};
  std::string attribute_name{};   // RawMessageDelivery, FilterPolicy, FilterPolicyScope
  std::string attribute_value{};  // FilterPolicy "" removes the policy
};

struct PublishResponse {
  std::string message_id{};
};

// One attempt to deliver one message to one subscription, reported by
// SnsApi::on_delivery_attempt (tests, traces).
struct DeliveryAttempt {
  sim::Time time{};
  std::string message_id{};
  std::string subscription_arn{};
  std::string endpoint{};
  int attempt = 1;     // 1-based
  bool final = false;  // delivered, or the last attempt failed
  std::string body{};
  sim::Status status{};  // OK, NotFound (no such endpoint) or the endpoint's error
};

class SnsApi {
 public:
  explicit SnsApi(Env& env);
  ~SnsApi();

  sim::Task<sim::StatusOr<CreateTopicResponse>> CreateTopic(CreateTopicRequest request);
  sim::Task<sim::StatusOr<SubscribeResponse>> Subscribe(SubscribeRequest request);
  sim::Task<sim::StatusOr<PublishResponse>> Publish(PublishRequest request);
  sim::Task<sim::Status> SetSubscriptionAttributes(SetSubscriptionAttributesRequest request);

  // Delay from publish to delivery at each subscription.
  LatencySpec delivery_delay = LatencySpec::Constant(0.05);
  // Waits before the retries of a failed delivery: the first phases of
  // AWS's SQS/Lambda policy (3 immediate retries, then 2 one second apart).
  // The full 100,015-attempt, 23-day schedule comes with the SNS issue.
  std::vector<sim::Duration> retry_delays = {sim::Duration::Zero(), sim::Duration::Zero(), sim::Duration::Zero(),
                                             sim::Seconds(1), sim::Seconds(1)};
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
  void RegisterTopic(const std::string& topic_arn);
  void Attempt(uint64_t id);

  Env& env_;
  ServiceBehaviour behaviour_;
  std::unique_ptr<SnsModel> model_;
  std::unique_ptr<Fanout> fanout_;
  sim::Rng delivery_rng_;
};

}  // namespace emu::sns
