#include "emulators/sns/sns_api.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <utility>
#include <vector>

#include "emulators/common/aws_error.h"
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
      return AwsError(emu::errors::kServiceUnavailable, "fake endpoint down");
    }
    return sim::OkStatus();
  }
  std::vector<std::pair<sim::Time, Delivery>> received;
  int failures = 0;

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

TEST_F(SnsApiTest, FailedDeliveriesAreRetriedThenCountedAsFailed) {
  Subscribe(kQueue);
  queue_.failures = 100;
  std::vector<std::tuple<sim::Time, int, bool>> attempts;
  api_->on_delivery_attempt = [&](const DeliveryAttempt& a) { attempts.emplace_back(a.time, a.attempt, a.final); };
  ASSERT_TRUE(Await(sched_, api_->Publish({topic_arn_, "m"})).ok());
  sched_.Run();
  const std::vector<std::tuple<sim::Time, int, bool>> expected = {{At(0.05), 1, false}, {At(0.05), 2, false},
                                                                  {At(0.05), 3, false}, {At(0.05), 4, false},
                                                                  {At(1.05), 5, false}, {At(2.05), 6, true}};
  EXPECT_EQ(attempts, expected);
  EXPECT_EQ(Counter("sns.deliveries.failed"), 1);
  EXPECT_EQ(Counter("sns.deliveries.retried"), 5);
  EXPECT_EQ(Counter("sns.deliveries.delivered"), 0);
}

TEST_F(SnsApiTest, ARetryThatSucceedsCountsAsDelivered) {
  Subscribe(kQueue);
  queue_.failures = 4;
  ASSERT_TRUE(Await(sched_, api_->Publish({topic_arn_, "m"})).ok());
  sched_.Run();
  ASSERT_EQ(queue_.received.size(), 5u);
  EXPECT_EQ(queue_.received.back().first, At(1.05));
  EXPECT_EQ(queue_.received.back().second.body, queue_.received.front().second.body);  // same message
  EXPECT_EQ(Counter("sns.deliveries.delivered"), 1);
  EXPECT_EQ(Counter("sns.deliveries.failed"), 0);
}

TEST_F(SnsApiTest, AnEndpointThatDoesNotExistFailsAfterTheRetries) {
  ASSERT_TRUE(Await(sched_, api_->Subscribe({topic_arn_, "sqs", "arn:aws:sqs:us-east-1:000000000000:gone"})).ok());
  std::vector<std::string> statuses;
  api_->on_delivery_attempt = [&](const DeliveryAttempt& a) { statuses.emplace_back(a.status.name()); };
  ASSERT_TRUE(Await(sched_, api_->Publish({topic_arn_, "m"})).ok());
  sched_.Run();
  EXPECT_EQ(statuses, std::vector<std::string>(6, "NOT_FOUND"));
  EXPECT_EQ(Counter("sns.deliveries.failed"), 1);
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

  ASSERT_EQ(queue_.received.size(), 1u);
  EXPECT_EQ(queue_.received[0].first, At(10.55));  // S3 delay 0.5 s, then SNS delay 0.05 s
  const nlohmann::json envelope = nlohmann::json::parse(queue_.received[0].second.body);
  EXPECT_EQ(envelope["Subject"], "Amazon S3 Notification");
  EXPECT_EQ(envelope["Timestamp"], "2026-01-01T00:00:10.500Z");
  const nlohmann::json event = nlohmann::json::parse(envelope["Message"].get<std::string>());
  EXPECT_EQ(event["Records"][0]["eventName"], "ObjectCreated:Put");
  EXPECT_EQ(event["Records"][0]["eventTime"], "2026-01-01T00:00:10.000Z");
  EXPECT_EQ(event["Records"][0]["s3"]["object"]["key"], "logs/a+b.json");
  EXPECT_EQ(env_.cost().units("sns", "publish"), 1);
  EXPECT_EQ(Counter("s3.notifications.delivered"), 1);
  EXPECT_EQ(Counter("sns.deliveries.delivered"), 1);
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
