#include "emulators/s3/s3_partitions.h"

#include <gtest/gtest.h>

#include "emulators/common/aws_error.h"
#include "emulators/s3/s3_errors.h"

namespace emu::s3 {
namespace {

sim::Time At(double seconds) { return sim::Time::Zero() + sim::SecondsF(seconds); }

class S3PartitionsTest : public ::testing::Test {
 protected:
  BucketPartitions Make(PartitionSettings settings = {}, std::vector<std::string> split_points = {}) {
    return BucketPartitions("raw", settings, std::move(split_points), metrics_, sim::Rng(5), sim::Time::Zero());
  }
  // Offers `per_second` requests per second, evenly spaced, for [from, to)
  // over keys key_prefix + (i % distinct_keys); returns how many were refused.
  static int64_t Offer(BucketPartitions& b, RequestClass cls, int per_second, double from, double to,
                       const std::string& key_prefix, int distinct_keys) {
    int64_t refused = 0;
    const int64_t n = static_cast<int64_t>((to - from) * per_second);
    for (int64_t i = 0; i < n; ++i) {
      const sim::Time t = At(from) + sim::Nanoseconds(i * 1'000'000'000 / per_second);
      const std::string key = key_prefix + std::to_string(i % distinct_keys);
      if (!b.Admit(key, cls, t).ok()) ++refused;
    }
    return refused;
  }
  sim::MetricsRegistry metrics_;
};

TEST_F(S3PartitionsTest, WritesUpToTheRatePassAndAboveItAreSlowDown) {
  BucketPartitions b = Make();
  // One second of burst (3,500) is available at t=0; the 3,501st request in
  // the same instant is refused with 503 SlowDown.
  for (int i = 0; i < 3'500; ++i) ASSERT_TRUE(b.Admit("k" + std::to_string(i), RequestClass::kWrite, At(0)).ok());
  const sim::Status refused = b.Admit("k", RequestClass::kWrite, At(0));
  EXPECT_EQ(AwsErrorOf(refused), &errors::kSlowDown);
  EXPECT_EQ(AwsErrorOf(refused)->http_status, 503);
  EXPECT_EQ(b.slowdowns(), 1);
  EXPECT_EQ(metrics_.GetCounter("s3.raw.slowdowns").value(), 1);
  EXPECT_EQ(metrics_.GetCounter("s3.raw.requests_admitted").value(), 3'500);
}

TEST_F(S3PartitionsTest, ReadsHaveTheirOwnBucketOf5500PerSecond) {
  BucketPartitions b = Make();
  for (int i = 0; i < 3'500; ++i) ASSERT_TRUE(b.Admit("k", RequestClass::kWrite, At(0)).ok());
  for (int i = 0; i < 5'500; ++i) ASSERT_TRUE(b.Admit("k", RequestClass::kRead, At(0)).ok());
  EXPECT_FALSE(b.Admit("k", RequestClass::kRead, At(0)).ok());
  EXPECT_FALSE(b.Admit("k", RequestClass::kWrite, At(0)).ok());
}

TEST_F(S3PartitionsTest, TokensRefillContinuouslyOnSimulatedTime) {
  BucketPartitions b = Make();
  for (int i = 0; i < 3'500; ++i) ASSERT_TRUE(b.Admit("k", RequestClass::kWrite, At(0)).ok());
  EXPECT_FALSE(b.Admit("k", RequestClass::kWrite, At(0)).ok());
  // 1/3500 s later exactly one request's worth has come back.
  const sim::Time one_token = At(0) + sim::Nanoseconds(285'715);  // ceil(1e9 / 3500)
  EXPECT_TRUE(b.Admit("k", RequestClass::kWrite, one_token).ok());
  EXPECT_FALSE(b.Admit("k", RequestClass::kWrite, one_token).ok());
}

TEST_F(S3PartitionsTest, SteadyLoadAtTheRateIsNeverRefused) {
  BucketPartitions b = Make();
  EXPECT_EQ(Offer(b, RequestClass::kWrite, 3'500, 0, 120, "logs/", 1'000), 0);
}

TEST_F(S3PartitionsTest, DoubleTheRateIsHalfRefusedUntilTheSplit) {
  PartitionSettings s;
  s.split_after = sim::Seconds(10 * 60);
  BucketPartitions b = Make(s);
  // 7,000 writes/s over 1,000 keys: about half refused for the 10 hot minutes.
  const int64_t refused = Offer(b, RequestClass::kWrite, 7'000, 0, 600, "logs/", 1'000);
  EXPECT_NEAR(static_cast<double>(refused), 600 * 3'500 - 3'500, 2.0);
  EXPECT_EQ(b.partition_count(), 1u);
  // The first request of minute 11 splits the partition at the traffic's
  // median key; the two halves serve 6,000/s between them (about 3,000 each).
  EXPECT_EQ(Offer(b, RequestClass::kWrite, 6'000, 600, 660, "logs/", 1'000), 0);
  ASSERT_EQ(b.partition_count(), 2u);
  const std::vector<PartitionInfo> parts = b.Partitions();
  EXPECT_EQ(parts[0].first_key, "");
  EXPECT_EQ(parts[0].end_key, parts[1].first_key);
  EXPECT_EQ(parts[1].end_key, "");
  EXPECT_GT(parts[1].first_key, "logs/1");
  EXPECT_LT(parts[1].first_key, "logs/8");
  const std::vector<sim::TimeSeries::Point>& series = metrics_.GetTimeSeries("s3.raw.partitions").points();
  ASSERT_EQ(series.size(), 2u);
  EXPECT_EQ(series[0].value, 1);
  EXPECT_EQ(series[1].t, At(600));
  EXPECT_EQ(series[1].value, 2);
}

TEST_F(S3PartitionsTest, AnIdleMinuteEndsTheHotStreak) {
  PartitionSettings s;
  s.split_after = sim::Seconds(5 * 60);
  BucketPartitions b = Make(s);
  Offer(b, RequestClass::kWrite, 4'000, 0, 240, "k", 100);    // 4 hot minutes
  Offer(b, RequestClass::kWrite, 4'000, 300, 540, "k", 100);  // a gap, then 4 more
  EXPECT_EQ(b.partition_count(), 1u);
  EXPECT_EQ(b.Partitions()[0].hot_minutes, 3);  // minutes 5..7 closed hot; 8 still open
}

TEST_F(S3PartitionsTest, ASingleHotKeyIsNeverSplit) {
  PartitionSettings s;
  s.split_after = sim::Seconds(2 * 60);
  BucketPartitions b = Make(s);
  const int64_t refused = Offer(b, RequestClass::kWrite, 7'000, 0, 300, "hot", 1);
  EXPECT_EQ(b.partition_count(), 1u);
  EXPECT_NEAR(static_cast<double>(refused), 300 * 3'500 - 3'500, 2.0);
}

TEST_F(S3PartitionsTest, DeclaredSplitPointsPartitionTheBucketFromTheStart) {
  BucketPartitions b = Make({}, {"m", "c", "m", ""});
  ASSERT_EQ(b.partition_count(), 3u);
  const std::vector<PartitionInfo> parts = b.Partitions();
  EXPECT_EQ(parts[0].first_key, "");
  EXPECT_EQ(parts[0].end_key, "c");
  EXPECT_EQ(parts[1].first_key, "c");
  EXPECT_EQ(parts[1].end_key, "m");
  EXPECT_EQ(parts[2].first_key, "m");
  EXPECT_EQ(parts[2].end_key, "");
  // Each range has its own 3,500/s.
  for (const char* key : {"a", "d", "z"}) {
    for (int i = 0; i < 3'500; ++i) ASSERT_TRUE(b.Admit(key, RequestClass::kWrite, At(0)).ok()) << key;
    EXPECT_FALSE(b.Admit(key, RequestClass::kWrite, At(0)).ok()) << key;
  }
}

TEST_F(S3PartitionsTest, DisabledModelAdmitsEverything) {
  PartitionSettings s;
  s.enabled = false;
  BucketPartitions b = Make(s);
  for (int i = 0; i < 100'000; ++i) ASSERT_TRUE(b.Admit("k", RequestClass::kWrite, At(0)).ok());
  EXPECT_EQ(b.slowdowns(), 0);
}

TEST_F(S3PartitionsTest, SameSeedSameSplitBoundary) {
  PartitionSettings s;
  s.split_after = sim::Seconds(60);
  std::string boundary[2];
  for (int run = 0; run < 2; ++run) {
    sim::MetricsRegistry metrics;
    BucketPartitions b("raw", s, {}, metrics, sim::Rng(9), sim::Time::Zero());
    Offer(b, RequestClass::kWrite, 5'000, 0, 61, "key-", 5'000);
    ASSERT_EQ(b.partition_count(), 2u);
    boundary[run] = b.Partitions()[1].first_key;
  }
  EXPECT_EQ(boundary[0], boundary[1]);
}

}  // namespace
}  // namespace emu::s3
