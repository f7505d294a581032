// Notification delivery through the facade: the heavy-tailed delay, at-least-
// once duplicates, reordering with per-key sequencers, s3:TestEvent and the
// destinations S3 refuses.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "emulators/common/env.h"
#include "emulators/s3/s3_api.h"
#include "emulators/s3/s3_model.h"
#include "emulators/s3/s3_test_util.h"
#include "sim/scheduler.h"

namespace emu::s3 {
namespace {

using test_support::At;
using test_support::Await;
using test_support::RecordingTarget;

constexpr const char* kQueueArn = "arn:aws:sqs:us-east-1:000000000000:events";
constexpr const char* kTopicArn = "arn:aws:sns:us-east-1:000000000000:events";

class S3NotificationDeliveryTest : public ::testing::Test {
 protected:
  S3NotificationDeliveryTest() : env_(sched_, 11), api_(env_), queue_(sched_), topic_(sched_) {
    env_.set_zero_latency(true);
    api_.settings.rate.enabled = false;  // many requests at one instant
    api_.settings.send_test_events = true;
    env_.account().RegisterTarget(kQueueArn, &queue_);
    env_.account().RegisterTarget(kTopicArn, &topic_);
    EXPECT_TRUE(Await(sched_, api_.CreateBucket({"bucket"})).ok());
    api_.on_notification = [this](const NotificationDelivery& n) {
      if (n.event_name != "s3:TestEvent") seen_.push_back(n);
    };
  }
  sim::Status Configure(std::vector<NotificationRule> rules) {
    return Await(sched_, api_.PutBucketNotificationConfiguration({"bucket", std::move(rules)}));
  }
  sim::Status Put(const std::string& key) {
    return Await(sched_, api_.PutObject({"bucket", key, ObjectBody::FromBytes("x")})).status();
  }
  static std::string Sequencer(const NotificationDelivery& n) {
    return nlohmann::json::parse(n.body)["Records"][0]["s3"]["object"]["sequencer"].get<std::string>();
  }
  // |count - n p| <= 4 binomial standard deviations.
  static void ExpectBinomial(int64_t count, int64_t n, double p) {
    const double sd = std::sqrt(static_cast<double>(n) * p * (1 - p));
    EXPECT_LE(std::abs(static_cast<double>(count) - static_cast<double>(n) * p), 4 * sd)
        << count << " of " << n << ", expected p=" << p;
  }

  sim::Scheduler sched_;
  Env env_;
  S3Api api_;
  RecordingTarget queue_;
  RecordingTarget topic_;
  std::vector<NotificationDelivery> seen_;
};

// Default heavytail(1,0.5,0.01,30,1.5): 1% from the Pareto tail (>= 30 s),
// P(> 60 s) = 0.01 x (30/60)^1.5; the lognormal body (mean 1 s) is under
// 10 s except with negligible probability.
TEST_F(S3NotificationDeliveryTest, DefaultDelayIsSecondsWithAHeavyTailBeyondAMinute) {
  EXPECT_EQ(api_.notification_delay.ToString(), "heavytail(1,0.5,0.01,30,1.5)");
  ASSERT_TRUE(Configure({{"all", kQueueArn}}).ok());
  constexpr int kEvents = 20'000;
  for (int i = 0; i < kEvents; ++i) ASSERT_TRUE(Put("k" + std::to_string(i % 100)).ok());
  sched_.Run();
  ASSERT_EQ(seen_.size(), static_cast<std::size_t>(kEvents));
  int64_t under_10s = 0, over_30s = 0, over_60s = 0;
  for (const NotificationDelivery& n : seen_) {
    const sim::Duration d = n.delivery_time - n.event_time;
    under_10s += d < sim::Seconds(10);
    over_30s += d >= sim::Seconds(30);
    over_60s += d > sim::Seconds(60);
  }
  ExpectBinomial(over_30s, kEvents, 0.01);
  ExpectBinomial(over_60s, kEvents, 0.01 * std::pow(0.5, 1.5));
  EXPECT_EQ(under_10s + over_30s, kEvents);  // nothing in between
  // Fixed seed: the exact counts.
  EXPECT_EQ(over_30s, 200);
  EXPECT_EQ(over_60s, 70);
}

TEST_F(S3NotificationDeliveryTest, DuplicatesFollowTheConfiguredProbabilityWithTheSameBody) {
  api_.settings.notification_duplicate_probability = 0.1;
  ASSERT_TRUE(Configure({{"all", kQueueArn}}).ok());
  constexpr int kEvents = 10'000;
  for (int i = 0; i < kEvents; ++i) ASSERT_TRUE(Put("k" + std::to_string(i)).ok());
  sched_.Run();
  const int64_t duplicates = std::count_if(seen_.begin(), seen_.end(), [](const auto& n) { return n.duplicate; });
  ExpectBinomial(duplicates, kEvents, 0.1);
  EXPECT_EQ(duplicates, 956);
  EXPECT_EQ(static_cast<int64_t>(seen_.size()), kEvents + duplicates);
  EXPECT_EQ(env_.metrics().GetCounter("s3.notifications.duplicates").value(), duplicates);
  // Each duplicate is the same message (same request id, sequencer) as one original.
  std::map<std::string, int> bodies;
  for (const NotificationDelivery& n : seen_) ++bodies[n.body];
  EXPECT_EQ(static_cast<int64_t>(bodies.size()), kEvents);
  int64_t twice = 0;
  for (const auto& [body, count] : bodies) twice += count == 2;
  EXPECT_EQ(twice, duplicates);
}

TEST_F(S3NotificationDeliveryTest, NoDuplicatesByDefault) {
  EXPECT_EQ(api_.settings.notification_duplicate_probability, 0);
  ASSERT_TRUE(Configure({{"all", kQueueArn}}).ok());
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(Put("k" + std::to_string(i)).ok());
  sched_.Run();
  EXPECT_EQ(seen_.size(), 1000u);
}

// Delivery is unordered (independent delays) and at least once, but the
// sequencers of one key's distinct events increase in the order of the changes.
TEST_F(S3NotificationDeliveryTest, SequencerOrdersEachKeysEventsDespiteDuplicatesAndReordering) {
  api_.settings.notification_duplicate_probability = 0.5;
  api_.notification_delay = LatencySpec::Exponential(5);
  ASSERT_TRUE(Configure({{"all", kQueueArn, {"s3:ObjectCreated:*", "s3:ObjectRemoved:*"}}}).ok());
  for (int i = 0; i < 200; ++i) {
    sched_.RunUntil(At(i));
    ASSERT_TRUE(Put(i % 2 == 0 ? "a" : "b").ok());
    if (i % 10 == 9) {
      ASSERT_TRUE(Await(sched_, api_.DeleteObject({"bucket", "a"})).ok());
    }
  }
  sched_.Run();
  std::map<std::string, std::map<sim::Time, std::string>> by_event;  // key -> event time -> sequencer
  int64_t out_of_order = 0;
  std::map<std::string, std::string> last_seen;
  for (const NotificationDelivery& n : seen_) {
    const std::string seq = Sequencer(n);
    auto [it, fresh] = by_event[n.key].emplace(n.event_time, seq);  // one change per key and time
    if (!fresh) {
      EXPECT_EQ(it->second, seq);  // a duplicate carries the original's sequencer
    }
    if (last_seen.count(n.key) && seq < last_seen[n.key]) ++out_of_order;
    last_seen[n.key] = std::max(last_seen[n.key], seq);
  }
  EXPECT_EQ(by_event["a"].size(), 120u);  // 100 puts + 20 deletes
  EXPECT_EQ(by_event["b"].size(), 100u);
  for (const auto& [key, events] : by_event) {
    std::string previous;
    for (const auto& [t, seq] : events) {
      EXPECT_GT(seq, previous) << key;
      previous = seq;
    }
  }
  EXPECT_GT(out_of_order, 0);  // arrival order is not change order
}

TEST(S3NotificationDefaults, TestEventsAreSentByDefaultAsAwsDoes) { EXPECT_TRUE(S3Settings{}.send_test_events); }

TEST_F(S3NotificationDeliveryTest, PuttingAConfigurationSendsOneTestEventPerDestination) {
  sched_.RunUntil(At(12.5));
  ASSERT_TRUE(Configure({{"a", kQueueArn, {"s3:ObjectCreated:*"}, "a/"},
                         {"b", kQueueArn, {"s3:ObjectCreated:*"}, "b/"},
                         {"c", kTopicArn, {"s3:ObjectRemoved:*"}}})
                  .ok());
  sched_.RunUntil(sched_.Now());
  ASSERT_EQ(queue_.received.size(), 1u);
  ASSERT_EQ(topic_.received.size(), 1u);
  EXPECT_EQ(queue_.received[0].first, At(12.5));
  EXPECT_EQ(queue_.received[0].second.body,
            R"({"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-01-01T00:00:12.500Z",)"
            R"("Bucket":"bucket","RequestId":"425F856E76CC766C",)"
            R"("HostId":"tBIZ4pSTEy8n4f5oPJUOs5MTt1vVTs47yQX5Jeta1BEHtvfXQqVJFM5GTgrzwt7HiVi8N1RcnH4="})");
  EXPECT_EQ(queue_.received[0].second.source_arn, "arn:aws:s3:::bucket");
  EXPECT_EQ(topic_.received[0].second.body, queue_.received[0].second.body);
  EXPECT_EQ(env_.metrics().GetCounter("s3.notifications.test_events").value(), 2);
  EXPECT_EQ(env_.metrics().GetCounter("s3.notifications.delivered").value(), 0);
}

TEST_F(S3NotificationDeliveryTest, FifoTopicsAndQueuesAreRefusedAsDestinations) {
  RecordingTarget fifo(sched_);
  env_.account().RegisterTarget("arn:aws:sqs:us-east-1:000000000000:events.fifo", &fifo);
  env_.account().RegisterTarget("arn:aws:sns:us-east-1:000000000000:events.fifo", &fifo);
  for (const char* arn :
       {"arn:aws:sqs:us-east-1:000000000000:events.fifo", "arn:aws:sns:us-east-1:000000000000:events.fifo"}) {
    const sim::Status s = Configure({{"ok", kQueueArn, {"s3:ObjectRemoved:*"}}, {"fifo", arn}});
    EXPECT_EQ(s.name(), "InvalidArgument") << arn;
    EXPECT_NE(s.message().find("Unable to validate the following destination configurations"), std::string::npos);
  }
  EXPECT_TRUE(api_.model().NotificationRules("bucket").empty());
  sched_.Run();
  EXPECT_TRUE(fifo.received.empty());
  EXPECT_TRUE(queue_.received.empty());  // no test event for a refused configuration
}

TEST_F(S3NotificationDeliveryTest, ObjectCreatedPostIsAcceptedButNeverProduced) {
  ASSERT_TRUE(Configure({{"posts", kQueueArn, {"s3:ObjectCreated:Post"}}}).ok());
  ASSERT_TRUE(Put("k").ok());
  ASSERT_TRUE(Await(sched_, api_.CopyObject({"bucket", "k", "bucket", "k2"})).ok());
  sched_.Run();
  EXPECT_TRUE(seen_.empty());
  ASSERT_EQ(queue_.received.size(), 1u);  // the test event only
}

}  // namespace
}  // namespace emu::s3
