// The request-rate model through the facade: every data-plane request is
// admitted on its key's partition when it executes; a refused request is a
// 503 SlowDown counted as an error and a throttle, and changes nothing.

#include <gtest/gtest.h>

#include <string>

#include "emulators/common/aws_error.h"
#include "emulators/common/env.h"
#include "emulators/s3/s3_api.h"
#include "emulators/s3/s3_model.h"
#include "emulators/s3/s3_test_util.h"
#include "sim/scheduler.h"

namespace emu::s3 {
namespace {

using test_support::Await;
using test_support::RecordingTarget;

constexpr const char* kQueueArn = "arn:aws:sqs:us-east-1:000000000000:events";

class S3RequestRateTest : public ::testing::Test {
 protected:
  S3RequestRateTest() : env_(sched_, 7), api_(env_), queue_(sched_) {
    env_.set_zero_latency(true);
    env_.account().RegisterTarget(kQueueArn, &queue_);
  }
  void Create(const std::string& bucket) { ASSERT_TRUE(Await(sched_, api_.CreateBucket({bucket})).ok()); }
  sim::Status Put(const std::string& bucket, const std::string& key) {
    return Await(sched_, api_.PutObject({bucket, key, ObjectBody::FromBytes("x")})).status();
  }
  sim::Status Get(const std::string& bucket, const std::string& key) {
    return Await(sched_, api_.GetObject({bucket, key})).status();
  }
  int64_t Counter(const std::string& name) { return env_.metrics().GetCounter(name).value(); }

  sim::Scheduler sched_;
  Env env_;
  S3Api api_;
  RecordingTarget queue_;
};

TEST_F(S3RequestRateTest, WritesAboveThirtyFiveHundredPerSecondAreSlowDownAndChangeNothing) {
  Create("bkt");
  ASSERT_TRUE(Await(sched_, api_.PutBucketNotificationConfiguration({"bkt", {{"all", kQueueArn}}})).ok());
  for (int i = 0; i < 3500; ++i) ASSERT_TRUE(Put("bkt", "k" + std::to_string(i)).ok()) << i;
  const uint64_t sequencer = api_.model().last_sequencer();
  const int64_t scheduled = Counter("s3.notifications.scheduled");
  const sim::Status refused = Put("bkt", "one-too-many");
  EXPECT_EQ(refused.name(), "SlowDown");
  EXPECT_EQ(HttpStatusOf(refused), 503);
  EXPECT_TRUE(IsThrottlingError(refused));
  EXPECT_EQ(api_.model().FindObject("bkt", "one-too-many"), nullptr);
  EXPECT_EQ(api_.model().last_sequencer(), sequencer);
  EXPECT_EQ(Counter("s3.notifications.scheduled"), scheduled);
  // DELETE and COPY draw on the same write bucket.
  EXPECT_EQ(Await(sched_, api_.DeleteObject({"bkt", "k1"})).name(), "SlowDown");
  EXPECT_EQ(Await(sched_, api_.CopyObject({"bkt", "k1", "bkt", "k1-copy"})).status().name(), "SlowDown");
  EXPECT_NE(api_.model().FindObject("bkt", "k1"), nullptr);
  EXPECT_EQ(Counter("s3.PutObject.errors"), 1);
  EXPECT_EQ(Counter("s3.PutObject.throttles"), 1);
  EXPECT_EQ(Counter("s3.DeleteObject.throttles"), 1);
  EXPECT_EQ(Counter("s3.CopyObject.throttles"), 1);
  EXPECT_EQ(Counter("s3.bkt.slowdowns"), 3);
  EXPECT_EQ(Counter("s3.bkt.requests_admitted"), 3500);
  // 1 ms later 3.5 more writes are available: three pass, the fourth not.
  sched_.RunUntil(sim::Time::Zero() + sim::Milliseconds(1));
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(Put("bkt", "later" + std::to_string(i)).ok());
  EXPECT_EQ(Put("bkt", "later3").name(), "SlowDown");
}

TEST_F(S3RequestRateTest, GetsHeadsAndListsShareFiftyFiveHundredReadsPerSecond) {
  Create("bkt");
  ASSERT_TRUE(Put("bkt", "k").ok());
  for (int i = 0; i < 5000; ++i) ASSERT_TRUE(Get("bkt", "k").ok()) << i;
  for (int i = 0; i < 400; ++i) ASSERT_TRUE(Await(sched_, api_.HeadObject({"bkt", "k"})).ok()) << i;
  for (int i = 0; i < 100; ++i) {
    ListObjectsV2Request list;
    list.bucket = "bkt";
    list.prefix = "k";
    ASSERT_TRUE(Await(sched_, api_.ListObjectsV2(list)).ok()) << i;
  }
  EXPECT_EQ(Get("bkt", "k").name(), "SlowDown");
  EXPECT_EQ(Await(sched_, api_.ListObjectsV2({"bkt"})).status().name(), "SlowDown");
  // Writes have their own bucket.
  EXPECT_TRUE(Put("bkt", "k2").ok());
  EXPECT_EQ(Counter("s3.GetObject.throttles"), 1);
  EXPECT_EQ(Counter("s3.ListObjectsV2.throttles"), 1);
}

// 20 writes/s alternating between keys "a" and "b" on a partition of
// 10/s: half refused until the partition has been hot for split_after (2
// min), then it splits between the two keys and nothing is refused.
TEST_F(S3RequestRateTest, SustainedLoadSplitsTheHotPartitionAndSlowDownsStop) {
  api_.settings.rate.write_rate = 10;
  api_.settings.rate.read_rate = 10;
  api_.settings.rate.split_after = sim::Seconds(120);
  Create("hot");
  int64_t refused_before_split = 0;
  int64_t refused_after_split = 0;
  for (int i = 0; i < 20 * 240; ++i) {
    const sim::Time t = sim::Time::Zero() + sim::Milliseconds(50) * i;
    sched_.RunUntil(t);
    const sim::Status s = Put("hot", i % 2 == 0 ? "a" : "b");
    if (!s.ok()) {
      ASSERT_EQ(s.name(), "SlowDown");
      (t < sim::Time::Zero() + sim::Seconds(120) ? refused_before_split : refused_after_split) += 1;
    }
  }
  // 2,400 requests before t = 120 s; admitted: a burst of 10, then 10/s
  // refilled up to the last request at 119.95 s (1,199 whole requests).
  EXPECT_EQ(refused_before_split, 2400 - 1209);
  EXPECT_EQ(refused_after_split, 0);
  BucketPartitions* partitions = api_.partitions("hot");
  ASSERT_NE(partitions, nullptr);
  ASSERT_EQ(partitions->partition_count(), 2u);
  EXPECT_EQ(partitions->Partitions()[1].first_key, "b");
  const auto& series = env_.metrics().GetTimeSeries("s3.hot.partitions").points();
  ASSERT_EQ(series.size(), 2u);
  EXPECT_EQ(series[1].t, sim::Time::Zero() + sim::Seconds(120));
  EXPECT_EQ(series[1].value, 2);
  EXPECT_EQ(Counter("s3.PutObject.throttles"), refused_before_split);
}

TEST_F(S3RequestRateTest, DeclaredSplitPointsGiveEachRangeItsOwnRate) {
  api_.settings.rate.write_rate = 100;
  api_.settings.split_points["pre"] = {"m/"};
  Create("pre");
  Create("plain");  // not declared: one partition
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(Put("pre", "a/" + std::to_string(i)).ok());
    ASSERT_TRUE(Put("pre", "m/" + std::to_string(i)).ok());
    ASSERT_TRUE(Put("plain", "a/" + std::to_string(i)).ok());
  }
  EXPECT_EQ(Put("pre", "b").name(), "SlowDown");
  EXPECT_EQ(Put("pre", "z").name(), "SlowDown");
  EXPECT_EQ(Put("plain", "z").name(), "SlowDown");
  EXPECT_EQ(api_.partitions("pre")->partition_count(), 2u);
  EXPECT_EQ(api_.partitions("plain")->partition_count(), 1u);
}

TEST_F(S3RequestRateTest, DisabledModelAdmitsEverything) {
  api_.settings.rate.write_rate = 10;
  api_.settings.rate.enabled = false;
  Create("bkt");
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(Put("bkt", "k" + std::to_string(i)).ok()) << i;
  EXPECT_EQ(api_.model().Usage("bkt").objects, 1000u);
  EXPECT_EQ(Counter("s3.bkt.slowdowns"), 0);
  EXPECT_EQ(Counter("s3.PutObject.throttles"), 0);
}

TEST_F(S3RequestRateTest, ADeletedBucketLosesItsPartitions) {
  api_.settings.rate.write_rate = 1;
  Create("bkt");
  ASSERT_TRUE(Put("bkt", "k").ok());
  EXPECT_EQ(Put("bkt", "k").name(), "SlowDown");
  EXPECT_EQ(Await(sched_, api_.DeleteObject({"bkt", "k"})).name(), "SlowDown");
  sched_.RunUntil(sim::Time::Zero() + sim::Seconds(1));
  ASSERT_TRUE(Await(sched_, api_.DeleteObject({"bkt", "k"})).ok());
  ASSERT_TRUE(Await(sched_, api_.DeleteBucket({"bkt"})).ok());
  EXPECT_EQ(api_.partitions("bkt"), nullptr);
  Create("bkt");  // a new bucket: a new, full partition
  EXPECT_TRUE(Put("bkt", "k").ok());
}

}  // namespace
}  // namespace emu::s3
