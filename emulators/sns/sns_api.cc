#include "emulators/sns/sns_api.h"

#include "emulators/sns/sns_errors.h"
#include "emulators/sns/sns_message.h"
#include "emulators/sns/sns_model.h"

namespace emu::sns {

namespace {
// Fingerprint tag of SNS delivery events.
constexpr uint16_t kDeliveryEventKind = 0x5302;
// S3 publishes its events to a topic with this subject.
constexpr const char* kS3Subject = "Amazon S3 Notification";
}  // namespace

// A topic as a delivery target: S3 (or anything else) delivering to the
// topic's ARN publishes the delivery's body to the topic.
class SnsApi::TopicTarget : public DeliveryTarget {
 public:
  TopicTarget(SnsApi& api, std::string arn) : api_(api), arn_(std::move(arn)) {}
  sim::Status Deliver(const Delivery& d) override {
    PublishRequest request;
    request.topic_arn = arn_;
    request.message = d.body;
    if (d.source_arn.starts_with("arn:aws:s3:::")) request.subject = kS3Subject;
    request.message_attributes = d.attributes;  // String-typed
    return api_.PublishNow(request).status();
  }

 private:
  SnsApi& api_;
  std::string arn_;
};

struct SnsApi::Fanout {
  // One delivery in flight: its copy of the body lives here until it is
  // delivered, redriven or dropped; each attempt's event carries only the id.
  struct Pending {
    OutgoingDelivery out;
    int64_t attempt = 1;
  };
  std::map<std::string, std::unique_ptr<TopicTarget>> topics;  // registered in the account
  std::map<uint64_t, Pending> pending;                         // by id; callbacks carry the id
  uint64_t next_id = 1;
};

SnsApi::SnsApi(Env& env)
    : env_(env),
      behaviour_(env, "sns"),
      model_(std::make_unique<SnsModel>(SnsModelOptions{env.account().region(), env.account().account_id(),
                                                        env.epoch_unix_nanos(), env.Stream("sns.subscription_ids"),
                                                        env.Stream("sns.message_ids")})),
      fanout_(std::make_unique<Fanout>()),
      delivery_rng_(env.Stream("sns.delivery")),
      jitter_rng_(env.Stream("sns.delivery.jitter")),
      dlq_request_ids_(env.Stream("sns.dlq_request_ids")) {
  RegisterAwsErrors({&errors::kNotFound, &errors::kInvalidParameter, &errors::kAuthorizationError, &errors::kThrottled,
                     &errors::kTopicLimitExceeded, &errors::kSubscriptionLimitExceeded, &errors::kEmptyBatchRequest,
                     &errors::kTooManyEntriesInBatchRequest, &errors::kBatchEntryIdsNotDistinct,
                     &errors::kInvalidBatchEntryId, &errors::kBatchRequestTooLong});
  for (const char* op :
       {"CreateTopic", "DeleteTopic", "ListTopics", "GetTopicAttributes", "SetTopicAttributes", "Subscribe",
        "Unsubscribe", "ListSubscriptionsByTopic", "GetSubscriptionAttributes", "SetSubscriptionAttributes"}) {
    behaviour_.Declare(op, "");
  }
  behaviour_.Declare("Publish", "");       // billed per 64 KB chunk in PublishNow
  behaviour_.Declare("PublishBatch", "");  // billed per 64 KB chunk of each entry
}

// Scheduled deliveries capture `this`: the scheduler must not run events
// after the SnsApi is gone (owners destroy both together).
SnsApi::~SnsApi() {
  for (const auto& [arn, target] : fanout_->topics) env_.account().UnregisterTarget(arn);
}

sim::Task<sim::StatusOr<CreateTopicResponse>> SnsApi::CreateTopic(CreateTopicRequest request) {
  sim::StatusOr<CreateTopicResponse> result =
      co_await RunOperation<CreateTopicResponse>(behaviour_.Get("CreateTopic"), [this, &request] {
        sim::StatusOr<CreateTopicResponse> r = model_->CreateTopic(request);
        if (r.ok()) RegisterTopic(r->topic_arn);
        return r;
      });
  co_return result;
}

sim::Task<sim::Status> SnsApi::DeleteTopic(DeleteTopicRequest request) {
  sim::Status result = co_await RunOperationStatus(behaviour_.Get("DeleteTopic"), [this, &request] {
    sim::StatusOr<bool> deleted = model_->DeleteTopic(request);
    if (deleted.ok() && *deleted) {
      env_.account().UnregisterTarget(request.topic_arn);
      fanout_->topics.erase(request.topic_arn);
    }
    return deleted.status();
  });
  co_return result;
}

sim::Task<sim::StatusOr<ListTopicsResponse>> SnsApi::ListTopics(ListTopicsRequest request) {
  sim::StatusOr<ListTopicsResponse> result = co_await RunOperation<ListTopicsResponse>(
      behaviour_.Get("ListTopics"), [this, &request] { return model_->ListTopics(request); });
  co_return result;
}

sim::Task<sim::StatusOr<AttributesResponse>> SnsApi::GetTopicAttributes(GetTopicAttributesRequest request) {
  sim::StatusOr<AttributesResponse> result = co_await RunOperation<AttributesResponse>(
      behaviour_.Get("GetTopicAttributes"), [this, &request] { return model_->GetTopicAttributes(request); });
  co_return result;
}

sim::Task<sim::Status> SnsApi::SetTopicAttributes(SetTopicAttributesRequest request) {
  sim::Status result = co_await RunOperationStatus(behaviour_.Get("SetTopicAttributes"),
                                                   [this, &request] { return model_->SetTopicAttributes(request); });
  co_return result;
}

sim::Task<sim::Status> SnsApi::Unsubscribe(UnsubscribeRequest request) {
  sim::Status result = co_await RunOperationStatus(behaviour_.Get("Unsubscribe"),
                                                   [this, &request] { return model_->Unsubscribe(request); });
  co_return result;
}

sim::Task<sim::StatusOr<ListSubscriptionsByTopicResponse>> SnsApi::ListSubscriptionsByTopic(
    ListSubscriptionsByTopicRequest request) {
  sim::StatusOr<ListSubscriptionsByTopicResponse> result = co_await RunOperation<ListSubscriptionsByTopicResponse>(
      behaviour_.Get("ListSubscriptionsByTopic"),
      [this, &request] { return model_->ListSubscriptionsByTopic(request); });
  co_return result;
}

sim::Task<sim::StatusOr<AttributesResponse>> SnsApi::GetSubscriptionAttributes(
    GetSubscriptionAttributesRequest request) {
  sim::StatusOr<AttributesResponse> result = co_await RunOperation<AttributesResponse>(
      behaviour_.Get("GetSubscriptionAttributes"),
      [this, &request] { return model_->GetSubscriptionAttributes(request); });
  co_return result;
}

sim::Task<sim::StatusOr<PublishBatchResponse>> SnsApi::PublishBatch(PublishBatchRequest request) {
  sim::StatusOr<PublishBatchResponse> result = co_await RunOperation<PublishBatchResponse>(
      behaviour_.Get("PublishBatch"), [this, &request] { return PublishBatchNow(request); });
  co_return result;
}

sim::Task<sim::StatusOr<SubscribeResponse>> SnsApi::Subscribe(SubscribeRequest request) {
  sim::StatusOr<SubscribeResponse> result = co_await RunOperation<SubscribeResponse>(
      behaviour_.Get("Subscribe"), [this, &request] { return model_->Subscribe(request); });
  co_return result;
}

sim::Task<sim::StatusOr<PublishResponse>> SnsApi::Publish(PublishRequest request) {
  sim::StatusOr<PublishResponse> result = co_await RunOperation<PublishResponse>(
      behaviour_.Get("Publish"), [this, &request] { return PublishNow(request); });
  co_return result;
}

sim::Task<sim::Status> SnsApi::SetSubscriptionAttributes(SetSubscriptionAttributesRequest request) {
  sim::Status result = co_await RunOperationStatus(behaviour_.Get("SetSubscriptionAttributes"), [this, &request] {
    return model_->SetSubscriptionAttributes(request);
  });
  co_return result;
}

void SnsApi::RegisterTopic(const std::string& topic_arn) {
  auto [it, inserted] = fanout_->topics.try_emplace(topic_arn);
  if (!inserted) return;
  it->second = std::make_unique<TopicTarget>(*this, topic_arn);
  env_.account().RegisterTarget(topic_arn, it->second.get());
}

sim::StatusOr<PublishResponse> SnsApi::PublishNow(const PublishRequest& request) {
  SIM_ASSIGN_OR_RETURN(PublishOutcome outcome, model_->Publish(request, env_.Now()));
  env_.cost().Add("sns", "publish", static_cast<double>(outcome.billed_requests));
  ScheduleDeliveries(outcome);
  return PublishResponse{outcome.message_id, outcome.sequence_number};
}

sim::StatusOr<PublishBatchResponse> SnsApi::PublishBatchNow(const PublishBatchRequest& request) {
  SIM_ASSIGN_OR_RETURN(PublishBatchOutcome outcome, model_->PublishBatch(request, env_.Now()));
  env_.cost().Add("sns", "publish", static_cast<double>(outcome.billed_requests));
  for (PublishOutcome& published : outcome.published) ScheduleDeliveries(published);
  return std::move(outcome.response);
}

void SnsApi::ScheduleDeliveries(PublishOutcome& outcome) {
  if (outcome.duplicate) {
    env_.metrics().GetCounter("sns.publishes.deduplicated").Add();
    return;
  }
  env_.metrics().GetCounter("sns.messages.published").Add();
  if (outcome.filtered > 0)
    env_.metrics().GetCounter("sns.deliveries.filtered").Add(static_cast<int64_t>(outcome.filtered));
  if (outcome.deliveries.empty()) env_.metrics().GetCounter("sns.publishes.unmatched").Add();
  for (OutgoingDelivery& d : outcome.deliveries) {
    const uint64_t id = fanout_->next_id++;
    fanout_->pending.emplace(id, Fanout::Pending{std::move(d), 1});
    const sim::Duration delay = delivery_delay.Sample(delivery_rng_);
    env_.sched().ScheduleAfter(
        delay, [this, id] { Attempt(id); }, sim::EventOptions{.kind = kDeliveryEventKind});
  }
}

namespace {
// AWS retries server-side errors only: a missing endpoint or a 4xx that is
// not a throttle is the sender's (client-side) fault and is not retried.
bool IsServerSideError(const sim::Status& status, bool target_missing) {
  if (target_missing) return false;
  const int http = HttpStatusOf(status);
  return http >= 500 || IsThrottlingError(status) || http == 429;
}
}  // namespace

void SnsApi::Attempt(uint64_t id) {
  auto it = fanout_->pending.find(id);
  SIM_CHECK(it != fanout_->pending.end());
  Fanout::Pending& p = it->second;
  DeliveryTarget* target = env_.account().ResolveTarget(p.out.endpoint);
  sim::Status status = target == nullptr ? AwsError(errors::kNotFound, "Endpoint does not exist: " + p.out.endpoint)
                                         : target->Deliver(p.out.delivery);
  const bool retry =
      !status.ok() && IsServerSideError(status, target == nullptr) && p.attempt <= retry_policy.Retries();
  if (on_delivery_attempt) {
    on_delivery_attempt(DeliveryAttempt{env_.Now(), p.out.message_id, p.out.subscription_arn, p.out.endpoint, p.attempt,
                                        !retry, p.out.delivery.body, status});
  }
  if (status.ok()) {
    env_.metrics().GetCounter("sns.deliveries.delivered").Add();
  } else if (retry) {
    env_.metrics().GetCounter("sns.deliveries.retried").Add();
    const sim::Duration wait = retry_policy.Delay(p.attempt, jitter_rng_);
    ++p.attempt;
    env_.sched().ScheduleAfter(
        wait, [this, id] { Attempt(id); }, sim::EventOptions{.kind = kDeliveryEventKind});
    return;
  } else {
    GiveUp(id, status);
  }
  fanout_->pending.erase(id);
}

// The subscription's DLQ gets the body the endpoint would have received (the
// SQS envelope for Lambda subscriptions) with message attributes ErrorCode,
// ErrorMessage and RequestID (raw deliveries keep their own attributes too);
// without a DLQ (or once unsubscribed) the message is dropped.
void SnsApi::GiveUp(uint64_t id, const sim::Status& status) {
  const OutgoingDelivery& out = fanout_->pending.at(id).out;
  const Subscription* s = model_->FindSubscription(out.subscription_arn);
  if (s == nullptr || s->dead_letter_target_arn.empty()) {
    env_.metrics().GetCounter("sns.deliveries.failed").Add();
    return;
  }
  Delivery dlq;
  dlq.body = out.dlq_body.empty() ? out.delivery.body : out.dlq_body;
  dlq.source_arn = out.subscription_arn;
  dlq.attributes = out.delivery.attributes;
  const AwsErrorType* error = AwsErrorOf(status);
  dlq.attributes["ErrorCode"] = std::to_string(HttpStatusOf(status));
  dlq.attributes["ErrorMessage"] = error != nullptr ? std::string(error->name) + ": " + std::string(status.message())
                                                    : std::string(status.message());
  dlq.attributes["RequestID"] = NewUuid(dlq_request_ids_);
  DeliveryTarget* target = env_.account().ResolveTarget(s->dead_letter_target_arn);
  const sim::Status redriven =
      target == nullptr ? AwsError(errors::kNotFound, "DLQ does not exist") : target->Deliver(dlq);
  env_.metrics().GetCounter(redriven.ok() ? "sns.deliveries.redriven_to_dlq" : "sns.deliveries.dlq_failed").Add();
}

}  // namespace emu::sns
