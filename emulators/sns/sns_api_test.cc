#include "emulators/sns/sns_api.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <utility>
#include <vector>

#include "emulators/common/aws_error.h"
#include "emulators/common/test_util.h"
#include "emulators/s3/s3_api.h"
#include "emulators/sns/sns_model.h"
#include "sim/scheduler.h"

namespace emu::sns {
namespace {

sim::Time At(double seconds) { return sim::Time::Zero() + sim::SecondsF(seconds); }

template <class T>
sim::Task<void> StoreResult(sim::Task<T> task, std::optional<T>* out) {
  T value = co_await std::move(task);
  out->emplace(std::move(value));
}

// Runs one API call as a process, stepping the scheduler until it returns.
template <class T>
T Await(sim::Scheduler& sched, sim::Task<T> task) {
  std::optional<T> out;
  sched.Spawn(StoreResult(std::move(task), &out));
  while (!out.has_value() && sched.Step()) {
  }
  SIM_CHECK(out.has_value());
  return std::move(*out);
}

// A queue or function stand-in: records deliveries with their time and
// fails the first `failures` of them.
class FakeTarget : public DeliveryTarget {
 public:
  explicit FakeTarget(sim::Scheduler& sched) : sched_(sched) {}
  sim::Status Deliver(const Delivery& d) override {
    received.emplace_back(sched_.Now(), d);
    if (failures > 0) {
      --failures;
      return AwsError(*error, "fake endpoint down");
    }
    return sim::OkStatus();
  }
  std::vector<std::pair<sim::Time, Delivery>> received;
  int64_t failures = 0;
  const AwsErrorType* error = &emu::errors::kServiceUnavailable;

 private:
  sim::Scheduler& sched_;
};

constexpr const char* kQueue = "arn:aws:sqs:us-east-1:000000000000:q";
constexpr const char* kRawQueue = "arn:aws:sqs:us-east-1:000000000000:raw";

class SnsApiTest : public ::testing::Test {
 protected:
  SnsApiTest() : env_(sched_, 7), queue_(sched_), raw_queue_(sched_) {
    env_.account().RegisterTarget(kQueue, &queue_);
    env_.account().RegisterTarget(kRawQueue, &raw_queue_);
    api_ = std::make_unique<SnsApi>(env_);
    api_->retry_policy.jitter = 0;  // exact times; RetryJitterIsDrawnFromItsOwnStream covers jitter
    sim::StatusOr<CreateTopicResponse> topic = Await(sched_, api_->CreateTopic({"events"}));
    EXPECT_TRUE(topic.ok());
    topic_arn_ = topic->topic_arn;
  }
  std::string Subscribe(const std::string& endpoint, std::map<std::string, std::string> attributes = {}) {
    sim::StatusOr<SubscribeResponse> r = Await(sched_, api_->Subscribe({topic_arn_, "sqs", endpoint, attributes}));
    EXPECT_TRUE(r.ok());
    return r.ok() ? r->subscription_arn : "";
  }
  int64_t Counter(const std::string& name) { return env_.metrics().GetCounter(name).value(); }

  sim::Scheduler sched_;
  Env env_;
  FakeTarget queue_;
  FakeTarget raw_queue_;
  std::unique_ptr<SnsApi> api_;
  std::string topic_arn_;
};

TEST_F(SnsApiTest, TopicsAreDeliveryTargetsUntilTheApiGoes) {
  EXPECT_EQ(topic_arn_, "arn:aws:sns:us-east-1:000000000000:events");
  EXPECT_NE(env_.account().ResolveTarget(topic_arn_), nullptr);
  api_.reset();
  EXPECT_EQ(env_.account().ResolveTarget(topic_arn_), nullptr);
}

TEST_F(SnsApiTest, PublishFansOutAfterTheDelayAsEnvelopeOrRaw) {
  const std::string sub = Subscribe(kQueue);
  Subscribe(kRawQueue, {{"RawMessageDelivery", "true"}});
  sched_.RunUntil(At(1));
  sim::StatusOr<PublishResponse> pub = Await(sched_, api_->Publish({topic_arn_, "hello", "", {{"kind", "log"}}}));
  ASSERT_TRUE(pub.ok());
  EXPECT_TRUE(queue_.received.empty());
  sched_.Run();

  ASSERT_EQ(queue_.received.size(), 1u);
  EXPECT_EQ(queue_.received[0].first, At(1.05));
  const nlohmann::json envelope = nlohmann::json::parse(queue_.received[0].second.body);
  EXPECT_EQ(envelope["Type"], "Notification");
  EXPECT_EQ(envelope["MessageId"], pub->message_id);
  EXPECT_EQ(envelope["TopicArn"], topic_arn_);
  EXPECT_FALSE(envelope.contains("Subject"));
  EXPECT_EQ(envelope["Message"], "hello");
  EXPECT_EQ(envelope["Timestamp"], "2026-01-01T00:00:01.000Z");
  EXPECT_EQ(envelope["UnsubscribeURL"],
            "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=" + sub);
  EXPECT_EQ(envelope["MessageAttributes"]["kind"]["Value"], "log");
  EXPECT_TRUE(queue_.received[0].second.attributes.empty());
  EXPECT_EQ(queue_.received[0].second.source_arn, topic_arn_);

  ASSERT_EQ(raw_queue_.received.size(), 1u);
  EXPECT_EQ(raw_queue_.received[0].first, At(1.05));
  EXPECT_EQ(raw_queue_.received[0].second.body, "hello");
  EXPECT_EQ(raw_queue_.received[0].second.attributes, (std::map<std::string, std::string>{{"kind", "log"}}));
  EXPECT_EQ(Counter("sns.deliveries.delivered"), 2);
}

TEST_F(SnsApiTest, PublishIsBilledPer64KbChunk) {
  ASSERT_TRUE(Await(sched_, api_->Publish({topic_arn_, std::string(65'537, 'm')})).ok());
  ASSERT_TRUE(Await(sched_, api_->Publish({topic_arn_, "small"})).ok());
  EXPECT_EQ(env_.cost().units("sns", "publish"), 3);
  EXPECT_EQ(Counter("sns.Publish.requests"), 2);
}

TEST_F(SnsApiTest, ErrorsCarryAwsNamesAndScheduleNothing) {
  Subscribe(kQueue);
  sim::StatusOr<PublishResponse> missing =
      Await(sched_, api_->Publish({"arn:aws:sns:us-east-1:000000000000:nope", "m"}));
  EXPECT_EQ(missing.status().name(), "NotFound");
  EXPECT_EQ(HttpStatusOf(missing.status()), 404);
  sim::StatusOr<PublishResponse> big = Await(sched_, api_->Publish({topic_arn_, std::string(262'145, 'm')}));
  EXPECT_EQ(big.status().name(), "InvalidParameter");
  EXPECT_EQ(sched_.PendingEvents(), 0u);
  EXPECT_EQ(Counter("sns.Publish.errors"), 2);
  EXPECT_EQ(env_.cost().units("sns", "publish"), 0);
}

TEST_F(SnsApiTest, FailedDeliveriesFollowTheAwsRetryScheduleThenAreDropped) {
  Subscribe(kQueue);
  queue_.failures = 1'000'000;
  std::vector<std::tuple<sim::Time, int64_t, bool>> attempts;
  api_->on_delivery_attempt = [&](const DeliveryAttempt& a) { attempts.emplace_back(a.time, a.attempt, a.final); };
  ASSERT_TRUE(Await(sched_, api_->Publish({topic_arn_, "m"})).ok());
  sched_.Run();
  ASSERT_EQ(attempts.size(), 100'015u);
  // 3 immediate attempts, 2 one second apart, 10 backing off, then 20 s.
  const std::vector<double> first = {0.05,   0.05,   1.05,   2.05,   3.05,   4.445,  6.391, 9.105,
                                     12.891, 18.173, 25.541, 35.819, 50.156, 70.156, 90.156};
  ASSERT_EQ(std::get<0>(attempts[0]), At(0.05));
  for (std::size_t i = 0; i < first.size(); ++i) {
    EXPECT_EQ(std::get<0>(attempts[i + 1]), At(first[i])) << i;
    EXPECT_EQ(std::get<1>(attempts[i + 1]), static_cast<int64_t>(i) + 2);
    EXPECT_FALSE(std::get<2>(attempts[i + 1]));
  }
  // Then 20 s apart: the last attempt 23.15 days after the first.
  EXPECT_EQ(std::get<0>(attempts.back()), At(0.05) + sim::Milliseconds(2'000'070'106));
  EXPECT_EQ(std::get<1>(attempts.back()), 100'015);
  EXPECT_TRUE(std::get<2>(attempts.back()));
  EXPECT_EQ(Counter("sns.deliveries.failed"), 1);
  EXPECT_EQ(Counter("sns.deliveries.retried"), 100'014);
  EXPECT_EQ(Counter("sns.deliveries.delivered"), 0);
  EXPECT_EQ(sched_.PendingEvents(), 0u);
}

constexpr const char* kDlq = "arn:aws:sqs:us-east-1:000000000000:dlq";

TEST_F(SnsApiTest, RetryScheduleEndsInTheSubscriptionDlq) {
  FakeTarget dlq(sched_);
  env_.account().RegisterTarget(kDlq, &dlq);
  const std::string sub =
      Subscribe(kQueue, {{"RedrivePolicy", std::string(R"({"deadLetterTargetArn":")") + kDlq + "\"}"}});
  queue_.failures = 1'000'000;
  ASSERT_TRUE(Await(sched_, api_->Publish({topic_arn_, "m", "", {{"k", "v"}}})).ok());
  sched_.Run();
  EXPECT_EQ(queue_.received.size(), 100'015u);
  ASSERT_EQ(dlq.received.size(), 1u);
  EXPECT_EQ(dlq.received[0].first, At(0.05) + sim::Milliseconds(2'000'070'106));
  const Delivery& d = dlq.received[0].second;
  EXPECT_EQ(d.body, queue_.received[0].second.body);  // the envelope SQS would have received
  EXPECT_EQ(d.source_arn, sub);
  ASSERT_EQ(d.attributes.size(), 3u);
  EXPECT_EQ(d.attributes.at("ErrorCode"), "503");
  EXPECT_EQ(d.attributes.at("ErrorMessage"), "ServiceUnavailable: fake endpoint down");
  EXPECT_TRUE(emu::test_support::IsUuidV4(d.attributes.at("RequestID")));
  EXPECT_EQ(Counter("sns.deliveries.redriven_to_dlq"), 1);
  EXPECT_EQ(Counter("sns.deliveries.failed"), 0);
}

TEST_F(SnsApiTest, DlqOfARawSubscriptionKeepsTheMessageAttributes) {
  FakeTarget dlq(sched_);
  env_.account().RegisterTarget(kDlq, &dlq);
  api_->retry_policy = DeliveryRetryPolicy::None();
  Subscribe(kQueue, {{"RawMessageDelivery", "true"},
                     {"RedrivePolicy", std::string(R"({"deadLetterTargetArn":")") + kDlq + "\"}"}});
  queue_.failures = 1;
  ASSERT_TRUE(Await(sched_, api_->Publish({topic_arn_, "raw body", "", {{"k", "v"}}})).ok());
  sched_.Run();
  ASSERT_EQ(dlq.received.size(), 1u);
  EXPECT_EQ(dlq.received[0].first, At(0.05));
  EXPECT_EQ(dlq.received[0].second.body, "raw body");
  EXPECT_EQ(dlq.received[0].second.attributes.at("k"), "v");
  EXPECT_EQ(dlq.received[0].second.attributes.at("ErrorCode"), "503");
}

TEST_F(SnsApiTest, AFailingDlqIsCounted) {
  api_->retry_policy = DeliveryRetryPolicy::None();
  Subscribe(kQueue, {{"RedrivePolicy", std::string(R"({"deadLetterTargetArn":")") + kDlq + "\"}"}});  // no such queue
  queue_.failures = 1;
  ASSERT_TRUE(Await(sched_, api_->Publish({topic_arn_, "m"})).ok());
  sched_.Run();
  EXPECT_EQ(Counter("sns.deliveries.dlq_failed"), 1);
  EXPECT_EQ(Counter("sns.deliveries.redriven_to_dlq"), 0);
  EXPECT_EQ(Counter("sns.deliveries.failed"), 0);
}

TEST_F(SnsApiTest, RetryJitterIsDrawnFromItsOwnStream) {
  api_->retry_policy.jitter = 0.1;
  Subscribe(kQueue);
  queue_.failures = 6;
  ASSERT_TRUE(Await(sched_, api_->Publish({topic_arn_, "m"})).ok());
  sched_.Run();
  ASSERT_EQ(queue_.received.size(), 7u);
  sim::Rng replay = env_.Stream("sns.delivery.jitter");
  sim::Time t = At(0.05);
  std::vector<sim::Time> expected = {t, t, t};
  for (const int64_t base_ms : {1000, 1000, 1000, 1395}) {
    t = t + sim::SecondsF(base_ms / 1000.0 * (0.9 + 0.2 * replay.NextDouble()));
    expected.push_back(t);
  }
  std::vector<sim::Time> times;
  for (const auto& [time, d] : queue_.received) times.push_back(time);
  EXPECT_EQ(times, expected);
  EXPECT_NE(times[3], At(1.05));
}

TEST_F(SnsApiTest, ARetryThatSucceedsCountsAsDelivered) {
  Subscribe(kQueue);
  queue_.failures = 4;
  ASSERT_TRUE(Await(sched_, api_->Publish({topic_arn_, "m"})).ok());
  sched_.Run();
  ASSERT_EQ(queue_.received.size(), 5u);
  EXPECT_EQ(queue_.received.back().first, At(2.05));
  EXPECT_EQ(queue_.received.back().second.body, queue_.received.front().second.body);  // same message
  EXPECT_EQ(Counter("sns.deliveries.delivered"), 1);
  EXPECT_EQ(Counter("sns.deliveries.failed"), 0);
}

TEST_F(SnsApiTest, AMissingEndpointIsAClientErrorAndGoesStraightToTheDlq) {
  FakeTarget dlq(sched_);
  env_.account().RegisterTarget(kDlq, &dlq);
  ASSERT_TRUE(
      Await(sched_, api_->Subscribe({topic_arn_,
                                     "sqs",
                                     "arn:aws:sqs:us-east-1:000000000000:gone",
                                     {{"RedrivePolicy", std::string(R"({"deadLetterTargetArn":")") + kDlq + "\"}"}}}))
          .ok());
  std::vector<std::string> statuses;
  api_->on_delivery_attempt = [&](const DeliveryAttempt& a) { statuses.emplace_back(a.status.name()); };
  ASSERT_TRUE(Await(sched_, api_->Publish({topic_arn_, "m"})).ok());
  sched_.Run();
  EXPECT_EQ(statuses, std::vector<std::string>{"NotFound"});
  ASSERT_EQ(dlq.received.size(), 1u);
  EXPECT_EQ(dlq.received[0].first, At(0.05));
  EXPECT_EQ(dlq.received[0].second.attributes.at("ErrorCode"), "404");
  EXPECT_EQ(Counter("sns.deliveries.retried"), 0);
}

TEST_F(SnsApiTest, ClientErrorsFromTheEndpointAreNotRetriedButThrottlesAre) {
  Subscribe(kQueue);
  queue_.error = &emu::errors::kAccessDenied;  // 403
  queue_.failures = 1;
  ASSERT_TRUE(Await(sched_, api_->Publish({topic_arn_, "m"})).ok());
  sched_.Run();
  EXPECT_EQ(queue_.received.size(), 1u);
  EXPECT_EQ(Counter("sns.deliveries.failed"), 1);
  queue_.error = &emu::errors::kThrottlingException;  // 400 but a throttle
  queue_.failures = 1;
  ASSERT_TRUE(Await(sched_, api_->Publish({topic_arn_, "m"})).ok());
  sched_.Run();
  EXPECT_EQ(queue_.received.size(), 3u);
  EXPECT_EQ(Counter("sns.deliveries.delivered"), 1);
}

TEST_F(SnsApiTest, PublishesWithNoMatchingSubscriptionAreCounted) {
  ASSERT_TRUE(Await(sched_, api_->Publish({topic_arn_, "nobody listens"})).ok());
  EXPECT_EQ(Counter("sns.publishes.unmatched"), 1);
  Subscribe(kQueue, {{"FilterPolicy", R"({"kind":["log"]})"}});
  ASSERT_TRUE(Await(sched_, api_->Publish({topic_arn_, "m", "", {{"kind", "metric"}}})).ok());
  EXPECT_EQ(Counter("sns.publishes.unmatched"), 2);
  ASSERT_TRUE(Await(sched_, api_->Publish({topic_arn_, "m", "", {{"kind", "log"}}})).ok());
  sched_.Run();
  EXPECT_EQ(Counter("sns.publishes.unmatched"), 2);
  EXPECT_EQ(Counter("sns.messages.published"), 3);
  EXPECT_EQ(queue_.received.size(), 1u);
}

TEST_F(SnsApiTest, DeleteTopicUnregistersTheTargetAndIsIdempotent) {
  Subscribe(kQueue);
  ASSERT_TRUE(Await(sched_, api_->DeleteTopic({topic_arn_})).ok());
  EXPECT_EQ(env_.account().ResolveTarget(topic_arn_), nullptr);
  EXPECT_TRUE(Await(sched_, api_->DeleteTopic({topic_arn_})).ok());
  EXPECT_EQ(Await(sched_, api_->DeleteTopic({"x"})).name(), "InvalidParameter");
  sim::StatusOr<ListTopicsResponse> list = Await(sched_, api_->ListTopics({}));
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->topic_arns.empty());
  // Created again, the topic is a delivery target again.
  ASSERT_TRUE(Await(sched_, api_->CreateTopic({"events"})).ok());
  EXPECT_NE(env_.account().ResolveTarget(topic_arn_), nullptr);
  EXPECT_EQ(Counter("sns.DeleteTopic.requests"), 3);
}

TEST_F(SnsApiTest, PublishBatchFansOutEachEntryAndBillsEachChunk) {
  Subscribe(kQueue);
  PublishBatchRequest batch{topic_arn_, {}};
  batch.entries.push_back({"a", "first"});
  batch.entries.push_back({"b", std::string(70'000, 'x')});
  batch.entries.push_back({"c", ""});
  sim::StatusOr<PublishBatchResponse> r = Await(sched_, api_->PublishBatch(batch));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->successful.size(), 2u);
  ASSERT_EQ(r->failed.size(), 1u);
  EXPECT_EQ(r->failed[0].id, "c");
  sched_.Run();
  ASSERT_EQ(queue_.received.size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(queue_.received[0].second.body)["MessageId"], r->successful[0].message_id);
  EXPECT_EQ(env_.cost().units("sns", "publish"), 3);  // 1 + 2 chunks
  EXPECT_EQ(Counter("sns.PublishBatch.requests"), 1);
  sim::StatusOr<PublishBatchResponse> empty = Await(sched_, api_->PublishBatch({topic_arn_, {}}));
  EXPECT_EQ(empty.status().name(), "EmptyBatchRequest");
  EXPECT_EQ(HttpStatusOf(empty.status()), 400);
}

TEST_F(SnsApiTest, FifoPublishReturnsTheSequenceNumberAndDuplicatesDeliverNothing) {
  constexpr const char* kFifoQueue = "arn:aws:sqs:us-east-1:000000000000:q.fifo";
  FakeTarget fifo_queue(sched_);
  env_.account().RegisterTarget(kFifoQueue, &fifo_queue);
  sim::StatusOr<CreateTopicResponse> topic =
      Await(sched_, api_->CreateTopic({"t.fifo", {{"FifoTopic", "true"}, {"ContentBasedDeduplication", "true"}}}));
  ASSERT_TRUE(topic.ok());
  ASSERT_TRUE(Await(sched_, api_->Subscribe({topic->topic_arn, "sqs", kFifoQueue})).ok());
  PublishRequest p{topic->topic_arn, "m"};
  p.message_group_id = "g";
  sim::StatusOr<PublishResponse> first = Await(sched_, api_->Publish(p));
  sim::StatusOr<PublishResponse> dup = Await(sched_, api_->Publish(p));
  ASSERT_TRUE(first.ok() && dup.ok());
  EXPECT_EQ(first->sequence_number, "10000000000000000001");
  EXPECT_EQ(dup->message_id, first->message_id);
  EXPECT_EQ(dup->sequence_number, first->sequence_number);
  sched_.Run();
  EXPECT_EQ(fifo_queue.received.size(), 1u);
  EXPECT_EQ(Counter("sns.publishes.deduplicated"), 1);
  EXPECT_EQ(Counter("sns.messages.published"), 1);
}

TEST_F(SnsApiTest, TopicAndSubscriptionOperationsGoThroughTheBehaviourLayer) {
  const std::string sub = Subscribe(kQueue);
  ASSERT_TRUE(Await(sched_, api_->SetTopicAttributes({topic_arn_, "DisplayName", "Events"})).ok());
  sim::StatusOr<AttributesResponse> topic = Await(sched_, api_->GetTopicAttributes({topic_arn_}));
  ASSERT_TRUE(topic.ok());
  EXPECT_EQ(topic->attributes.at("DisplayName"), "Events");
  EXPECT_EQ(topic->attributes.at("SubscriptionsConfirmed"), "1");
  sim::StatusOr<ListSubscriptionsByTopicResponse> subs = Await(sched_, api_->ListSubscriptionsByTopic({topic_arn_}));
  ASSERT_TRUE(subs.ok());
  ASSERT_EQ(subs->subscriptions.size(), 1u);
  EXPECT_EQ(subs->subscriptions[0].subscription_arn, sub);
  sim::StatusOr<AttributesResponse> attrs = Await(sched_, api_->GetSubscriptionAttributes({sub}));
  ASSERT_TRUE(attrs.ok());
  EXPECT_EQ(attrs->attributes.at("Endpoint"), kQueue);
  // An injected fault fails the call and changes nothing.
  api_->behaviour().Get("Unsubscribe").faults.push_back(FaultSpec{.fail_calls = {1}});
  EXPECT_EQ(Await(sched_, api_->Unsubscribe({sub})).name(), "InternalError");
  EXPECT_NE(api_->model().FindSubscription(sub), nullptr);
  ASSERT_TRUE(Await(sched_, api_->Unsubscribe({sub})).ok());
  EXPECT_EQ(api_->model().FindSubscription(sub), nullptr);
  EXPECT_EQ(Counter("sns.Unsubscribe.requests"), 2);
  EXPECT_EQ(Counter("sns.Unsubscribe.errors"), 1);
  EXPECT_EQ(Counter("sns.GetTopicAttributes.requests"), 1);
  EXPECT_EQ(Counter("sns.SetTopicAttributes.requests"), 1);
  EXPECT_EQ(Counter("sns.ListSubscriptionsByTopic.requests"), 1);
  EXPECT_EQ(Counter("sns.GetSubscriptionAttributes.requests"), 1);
}

TEST_F(SnsApiTest, TopicIsAnS3NotificationTargetEndToEnd) {
  s3::S3Api s3(env_);
  s3.notification_delay = LatencySpec::Constant(0.5);
  Subscribe(kQueue);
  ASSERT_TRUE(Await(sched_, s3.CreateBucket({"raw-logs"})).ok());
  ASSERT_TRUE(Await(sched_, s3.PutBucketNotificationConfiguration(
                                {"raw-logs", {{"to-topic", topic_arn_, {"s3:ObjectCreated:*"}, "logs/"}}}))
                  .ok());
  sched_.RunUntil(At(10));
  ASSERT_TRUE(Await(sched_, s3.PutObject({"raw-logs", "logs/a b.json", s3::ObjectBody::FromBytes("hello")})).ok());
  sched_.Run();

  // First the s3:TestEvent S3 sends when the configuration is put, then the object's event.
  ASSERT_EQ(queue_.received.size(), 2u);
  const nlohmann::json test_envelope = nlohmann::json::parse(queue_.received[0].second.body);
  EXPECT_EQ(nlohmann::json::parse(test_envelope["Message"].get<std::string>())["Event"], "s3:TestEvent");
  EXPECT_EQ(queue_.received[1].first, At(10.55));  // S3 delay 0.5 s, then SNS delay 0.05 s
  const nlohmann::json envelope = nlohmann::json::parse(queue_.received[1].second.body);
  EXPECT_EQ(envelope["Subject"], "Amazon S3 Notification");
  EXPECT_EQ(envelope["Timestamp"], "2026-01-01T00:00:10.500Z");
  const nlohmann::json event = nlohmann::json::parse(envelope["Message"].get<std::string>());
  EXPECT_EQ(event["Records"][0]["eventName"], "ObjectCreated:Put");
  EXPECT_EQ(event["Records"][0]["eventTime"], "2026-01-01T00:00:10.000Z");
  EXPECT_EQ(event["Records"][0]["s3"]["object"]["key"], "logs/a+b.json");
  EXPECT_EQ(env_.cost().units("sns", "publish"), 2);
  EXPECT_EQ(Counter("s3.notifications.delivered"), 1);  // test events are counted apart
  EXPECT_EQ(Counter("sns.deliveries.delivered"), 2);
}

TEST_F(SnsApiTest, PublishDeliversOnlyToSubscriptionsWhosePolicyMatches) {
  Subscribe(kQueue);
  const std::string filtered =
      Subscribe(kRawQueue, {{"FilterPolicy", R"({"size":[{"numeric":[">",100]}]})"}, {"RawMessageDelivery", "true"}});
  ASSERT_TRUE(Await(sched_, api_->Publish({topic_arn_, "small", "", {{"size", "5"}}, {{"size", "Number"}}})).ok());
  ASSERT_TRUE(Await(sched_, api_->Publish({topic_arn_, "big", "", {{"size", "500"}}, {{"size", "Number"}}})).ok());
  ASSERT_TRUE(Await(sched_, api_->Publish({topic_arn_, "untyped", "", {{"size", "500"}}})).ok());
  sched_.Run();
  EXPECT_EQ(queue_.received.size(), 3u);
  ASSERT_EQ(raw_queue_.received.size(), 1u);
  EXPECT_EQ(raw_queue_.received[0].second.body, "big");
  EXPECT_EQ(Counter("sns.deliveries.delivered"), 4);
  EXPECT_EQ(Counter("sns.deliveries.filtered"), 2);

  // Removing the policy delivers everything again.
  sim::Status set = Await(sched_, api_->SetSubscriptionAttributes({filtered, "FilterPolicy", ""}));
  ASSERT_TRUE(set.ok());
  ASSERT_TRUE(Await(sched_, api_->Publish({topic_arn_, "any"})).ok());
  sched_.Run();
  EXPECT_EQ(raw_queue_.received.size(), 2u);
  EXPECT_EQ(Counter("sns.deliveries.filtered"), 2);
  EXPECT_EQ(Counter("sns.SetSubscriptionAttributes.requests"), 1);
}

TEST_F(SnsApiTest, SetSubscriptionAttributesErrorsCarryAwsNames) {
  sim::Status s = Await(sched_, api_->SetSubscriptionAttributes({topic_arn_ + ":nope", "FilterPolicy", "{}"}));
  EXPECT_EQ(s.name(), "NotFound");
  const std::string sub = Subscribe(kQueue);
  s = Await(sched_, api_->SetSubscriptionAttributes({sub, "FilterPolicy", R"({"a":[{"regex":"x"}]})"}));
  EXPECT_EQ(s.name(), "InvalidParameter");
  EXPECT_EQ(s.message(), "Invalid parameter: FilterPolicy: Unrecognized match type regex");
  EXPECT_EQ(Counter("sns.SetSubscriptionAttributes.errors"), 2);
}

}  // namespace
}  // namespace emu::sns
