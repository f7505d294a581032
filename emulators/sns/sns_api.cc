#include "emulators/sns/sns_api.h"

#include "emulators/sns/sns_errors.h"
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
  struct Pending {
    OutgoingDelivery out;
    int attempt = 1;
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
      delivery_rng_(env.Stream("sns.delivery")) {
  RegisterAwsErrors({&errors::kNotFound, &errors::kInvalidParameter, &errors::kAuthorizationError, &errors::kThrottled,
                     &errors::kTopicLimitExceeded, &errors::kSubscriptionLimitExceeded});
  behaviour_.Declare("CreateTopic", "");
  behaviour_.Declare("Subscribe", "");
  behaviour_.Declare("Publish", "");  // billed per 64 KB chunk in PublishNow
  behaviour_.Declare("SetSubscriptionAttributes", "");
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
  env_.metrics().GetCounter("sns.messages.published").Add();
  if (outcome.filtered > 0)
    env_.metrics().GetCounter("sns.deliveries.filtered").Add(static_cast<int64_t>(outcome.filtered));
  for (OutgoingDelivery& d : outcome.deliveries) {
    const uint64_t id = fanout_->next_id++;
    fanout_->pending.emplace(id, Fanout::Pending{std::move(d), 1});
    const sim::Duration delay = delivery_delay.Sample(delivery_rng_);
    env_.sched().ScheduleAfter(
        delay, [this, id] { Attempt(id); }, sim::EventOptions{.kind = kDeliveryEventKind});
  }
  return PublishResponse{outcome.message_id};
}

void SnsApi::Attempt(uint64_t id) {
  auto it = fanout_->pending.find(id);
  SIM_CHECK(it != fanout_->pending.end());
  Fanout::Pending& p = it->second;
  DeliveryTarget* target = env_.account().ResolveTarget(p.out.endpoint);
  sim::Status status = target == nullptr ? sim::NotFoundError("no delivery target registered for " + p.out.endpoint)
                                         : target->Deliver(p.out.delivery);
  const bool retry = !status.ok() && static_cast<std::size_t>(p.attempt) <= retry_delays.size();
  if (on_delivery_attempt) {
    on_delivery_attempt(DeliveryAttempt{env_.Now(), p.out.message_id, p.out.subscription_arn, p.out.endpoint, p.attempt,
                                        !retry, p.out.delivery.body, status});
  }
  if (status.ok()) {
    env_.metrics().GetCounter("sns.deliveries.delivered").Add();
  } else if (retry) {
    env_.metrics().GetCounter("sns.deliveries.retried").Add();
    const sim::Duration wait = retry_delays[static_cast<std::size_t>(p.attempt) - 1];
    ++p.attempt;
    env_.sched().ScheduleAfter(
        wait, [this, id] { Attempt(id); }, sim::EventOptions{.kind = kDeliveryEventKind});
    return;
  } else {
    env_.metrics().GetCounter("sns.deliveries.failed").Add();
  }
  fanout_->pending.erase(it);
}

}  // namespace emu::sns
