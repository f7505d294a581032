#include "emulators/dynamodb/capacity_model.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "emulators/common/aws_error.h"
#include "emulators/dynamodb/capacity_bucket.h"
#include "emulators/dynamodb/capacity_errors.h"

namespace emu::dynamodb {
namespace {

using sim::Seconds;
using sim::Time;

Time At(sim::Duration d) { return Time::Zero() + d; }

// A steady request stream: `per_second` requests of `units` each, evenly spaced.
struct Stream {
  std::string key;
  int64_t per_second;
  CapacityUnits units;
  bool write;
};

struct Tally {
  int64_t admitted = 0;
  int64_t throttled = 0;
  Time first_throttle = Time::Max();
  std::string last_error;  // AWS error name of the last throttle
  std::string last_message;
};

// Runs the streams over [from, to); events in time order, ties in stream order.
std::vector<Tally> Drive(CapacityModel& model, const std::vector<Stream>& streams, Time from, Time to) {
  std::vector<Tally> tallies(streams.size());
  std::vector<Time> next(streams.size(), from);
  for (;;) {
    size_t pick = streams.size();
    for (size_t i = 0; i < streams.size(); ++i) {
      if (pick == streams.size() || next[i] < next[pick]) pick = i;
    }
    if (pick == streams.size() || next[pick] >= to) break;
    const Stream& s = streams[pick];
    const Time now = next[pick];
    sim::Status status = s.write ? model.ConsumeWrite(s.key, s.units, now) : model.ConsumeRead(s.key, s.units, now);
    Tally& t = tallies[pick];
    if (status.ok()) {
      ++t.admitted;
    } else {
      ++t.throttled;
      if (t.first_throttle == Time::Max()) t.first_throttle = now;
      t.last_error = std::string(status.name());
      t.last_message = std::string(status.message());
    }
    next[pick] = now + sim::Nanoseconds(1'000'000'000 / s.per_second);
  }
  return tallies;
}

int64_t Admitted(const std::vector<Tally>& t) {
  int64_t n = 0;
  for (const Tally& x : t) n += x.admitted;
  return n;
}
std::string LastError(const std::vector<Tally>& t) {
  std::string out;
  for (const Tally& x : t) {
    if (!x.last_error.empty()) out = x.last_error + ": " + x.last_message;
  }
  return out;
}
int64_t Throttled(const std::vector<Tally>& t) {
  int64_t n = 0;
  for (const Tally& x : t) n += x.throttled;
  return n;
}

// The first `n` keys "k0", "k1", ... landing on partitions 0..n-1, one each.
std::vector<std::string> KeysOnePerPartition(const CapacityModel& model) {
  std::vector<std::string> keys(static_cast<size_t>(model.PartitionCount()));
  int64_t found = 0;
  for (int i = 0; found < model.PartitionCount(); ++i) {
    std::string key = "k" + std::to_string(i);
    auto& slot = keys[static_cast<size_t>(model.PartitionIndexOf(key))];
    if (slot.empty()) {
      slot = key;
      ++found;
    }
  }
  return keys;
}

// Two distinct keys on the same partition.
std::pair<std::string, std::string> TwoKeysOnOnePartition(const CapacityModel& model) {
  std::string first = "hot";
  for (int i = 0;; ++i) {
    std::string key = "other" + std::to_string(i);
    if (model.PartitionIndexOf(key) == model.PartitionIndexOf(first)) return {first, key};
  }
}

CapacityConfig Provisioned(int64_t rcu, int64_t wcu) {
  CapacityConfig c;
  c.billing_mode = BillingMode::kProvisioned;
  c.read_capacity_units = rcu;
  c.write_capacity_units = wcu;
  return c;
}

CapacityConfig OnDemand() {
  CapacityConfig c;
  c.billing_mode = BillingMode::kPayPerRequest;
  return c;
}

const CapacityUnits kOne = CapacityUnits::FromUnits(1);

// ---- the bucket ---------------------------------------------------------------

TEST(CapacityBucket, RefillInNanosecondStepsEqualsOneRefill) {
  CapacityBucket stepped(1000, 1'000'000, 0, Time::Zero());  // 1 unit/s
  CapacityBucket once(1000, 1'000'000, 0, Time::Zero());
  for (int64_t ns = 1; ns <= 3'000'000; ++ns) stepped.Refill(Time::FromNanos(ns));
  once.Refill(Time::FromNanos(3'000'000));
  EXPECT_EQ(stepped.tokens(), 3);  // 3 ms of 1000 milli/s
  EXPECT_EQ(once.tokens(), 3);
}

TEST(CapacityBucket, FullBucketAdmitsAnOversizedRequestAndGoesIntoDebt) {
  CapacityBucket b(1000, 5000, 5000, Time::Zero());
  EXPECT_TRUE(b.CanTake(8000));
  b.Take(8000);
  EXPECT_EQ(b.tokens(), -3000);
  EXPECT_FALSE(b.CanTake(1));
  b.Refill(At(Seconds(4)));
  EXPECT_EQ(b.tokens(), 1000);
}

// ---- partitions ------------------------------------------------------------------

TEST(CapacityModel, PartitionCountFollowsThroughputFormula) {
  // ceil(RCU / 3000 + WCU / 1000).
  EXPECT_EQ(CapacityModel(Provisioned(10000, 1000), Time::Zero()).PartitionCount(), 5);
  EXPECT_EQ(CapacityModel(Provisioned(3000, 1000), Time::Zero()).PartitionCount(), 2);
  EXPECT_EQ(CapacityModel(Provisioned(5, 5), Time::Zero()).PartitionCount(), 1);
  EXPECT_EQ(CapacityModel(Provisioned(3000, 9000), Time::Zero()).PartitionCount(), 10);
}

TEST(CapacityModel, PartitionCountFollowsTableSize) {
  CapacityModel model(Provisioned(5, 5), Time::Zero());
  model.OnSizeChanged(int64_t{10} * 1000 * 1000 * 1000, At(Seconds(1)));
  EXPECT_EQ(model.PartitionCount(), 1);
  model.OnSizeChanged(int64_t{25} * 1000 * 1000 * 1000, At(Seconds(2)));
  EXPECT_EQ(model.PartitionCount(), 3);
}

TEST(CapacityModel, NewTablePartitionsSplitTheHashSpaceEqually) {
  CapacityModel model(Provisioned(3000, 9000), Time::Zero());
  const std::vector<PartitionInfo> parts = model.Partitions();
  ASSERT_EQ(parts.size(), 10u);
  EXPECT_EQ(parts[0].hash_lo, 0u);
  EXPECT_EQ(parts[1].hash_lo, 1844674407370955161u);  // 2^64 / 10
  EXPECT_EQ(parts[9].hash_hi, ~uint64_t{0});
}

TEST(CapacityModel, PartitionsNeverMergeWhenCapacityIsLowered) {
  CapacityModel model(Provisioned(5, 5), Time::Zero());
  model.UpdateProvisionedThroughput(5, 5000, At(Seconds(1)));
  EXPECT_EQ(model.PartitionCount(), 6);  // ceil(5/3000 + 5000/1000)
  model.UpdateProvisionedThroughput(5, 5, At(Seconds(2)));
  EXPECT_EQ(model.PartitionCount(), 6);
}

// ---- hot keys --------------------------------------------------------------------

TEST(CapacityModel, HotKeyThrottlesAtOneThousandWcuWithTableCapacityToSpare) {
  CapacityModel model(Provisioned(3000, 9000), Time::Zero());  // 10 partitions
  const std::vector<Stream> hot = {{"hot", 2000, kOne, true}};
  Drive(model, hot, Time::Zero(), At(Seconds(5)));
  const std::vector<Tally> t = Drive(model, hot, At(Seconds(5)), At(Seconds(6)));
  EXPECT_EQ(t[0].admitted, 1000);
  EXPECT_EQ(t[0].throttled, 1000);
  EXPECT_EQ(t[0].last_error, "ProvisionedThroughputExceededException");
  EXPECT_NE(t[0].last_message.find("TableWriteKeyRangeThroughputExceeded"), std::string::npos);
  // The table had 9,000 WCU/s and used 1,000.
  EXPECT_GT(model.WriteBurstBalanceMilli(At(Seconds(6))), 8'000'000);
}

TEST(CapacityModel, SpreadKeysAreNotThrottledAtTheSameTableRate) {
  CapacityModel model(Provisioned(3000, 9000), Time::Zero());
  std::vector<Stream> spread;
  for (int i = 0; i < 100; ++i) spread.push_back({"user#" + std::to_string(i), 20, kOne, true});
  const std::vector<Tally> t = Drive(model, spread, Time::Zero(), At(Seconds(10)));
  EXPECT_EQ(Admitted(t), 20000);
  EXPECT_EQ(Throttled(t), 0);
}

TEST(CapacityModel, HotReadKeyThrottlesAtThreeThousandRcu) {
  CapacityModel model(Provisioned(30000, 10), Time::Zero());
  const std::vector<Stream> hot = {{"hot", 4000, kOne, false}};
  Drive(model, hot, Time::Zero(), At(Seconds(5)));
  const std::vector<Tally> t = Drive(model, hot, At(Seconds(5)), At(Seconds(6)));
  EXPECT_EQ(t[0].admitted, 3000);
  EXPECT_NE(t[0].last_message.find("TableReadKeyRangeThroughputExceeded"), std::string::npos);
}

TEST(CapacityModel, PartitionCapIsALinearCombinationOfReadsAndWrites) {
  // 500 WCU + 1,500 RCU fill one partition (500/1000 + 1500/3000 = 1).
  CapacityModel model(Provisioned(30000, 10000), Time::Zero());
  const std::vector<Stream> mixed = {{"hot", 500, kOne, true}, {"hot", 2000, kOne, false}};
  // Demand 3,500 read-equivalents/s against 3,000/s drains the initial
  // second's worth in 6 s; then the cap binds.
  Drive(model, mixed, Time::Zero(), At(Seconds(10)));
  const std::vector<Tally> t = Drive(model, mixed, At(Seconds(10)), At(Seconds(11)));
  EXPECT_EQ(t[0].admitted * 3 + t[1].admitted, 3000);
  EXPECT_GT(Throttled(t), 0);
}

// ---- burst capacity ------------------------------------------------------------------

TEST(CapacityModel, BurstCreditBanksThreeHundredSecondsOfUnusedCapacity) {
  CapacityModel model(Provisioned(150, 5), Time::Zero());
  EXPECT_EQ(model.ReadBurstBalanceMilli(Time::Zero()), 150'000);  // one second at creation
  EXPECT_EQ(model.ReadBurstBalanceMilli(At(Seconds(100))), 15'150'000);
  EXPECT_EQ(model.ReadBurstBalanceMilli(At(Seconds(300))), 45'000'000);
  EXPECT_EQ(model.ReadBurstBalanceMilli(At(Seconds(10000))), 45'000'000);
}

TEST(CapacityModel, BurstCreditDrainsThenThrottles) {
  // The re:Post example: 150 RCU idle for 5 minutes bank 45,000 units; 200
  // RCU/s then last 45,000 / (200 - 150) = 900 s.
  CapacityModel model(Provisioned(150, 5), Time::Zero());
  const Time t0 = At(Seconds(300));
  const std::vector<Stream> reads = {{"k", 200, kOne, false}};
  const std::vector<Tally> t = Drive(model, reads, t0, t0 + Seconds(900));
  // Request i finds 45,000 - 0.25 i units: i = 179,997 is the first short.
  EXPECT_EQ(t[0].first_throttle, t0 + sim::Milliseconds(179'997 * 5));
  // It finds 0.75 units; the next two find 1.5 and 1.25 and pass.
  EXPECT_EQ(t[0].throttled, 1);
  EXPECT_EQ(t[0].last_error, "ProvisionedThroughputExceededException");
  EXPECT_NE(t[0].last_message.find("TableReadProvisionedThroughputExceeded"), std::string::npos);
  // Then the provisioned rate only.
  const std::vector<Tally> later = Drive(model, reads, t0 + Seconds(900), t0 + Seconds(910));
  EXPECT_EQ(later[0].admitted, 1500);
}

// ---- adaptive capacity -------------------------------------------------------------------

TEST(CapacityModel, AdaptiveIsolatesHotKeyAfterSustainedHeat) {
  sim::MetricsRegistry metrics;
  CapacityConfig config = Provisioned(3000, 3000);  // 4 partitions
  config.metrics_name = "t";
  CapacityModel model(config, Time::Zero(), &metrics);
  ASSERT_EQ(model.PartitionCount(), 4);
  const auto [hot, other] = TwoKeysOnOnePartition(model);
  // 800 + 400 WCU/s on one partition: over its 1,000.
  const std::vector<Stream> load = {{hot, 800, kOne, true}, {other, 400, kOne, true}};
  Drive(model, load, Time::Zero(), At(Seconds(100)));
  const std::vector<Tally> before = Drive(model, load, At(Seconds(100)), At(Seconds(101)));
  EXPECT_EQ(Admitted(before), 1000);
  Drive(model, load, At(Seconds(101)), At(Seconds(300)));
  EXPECT_EQ(model.PartitionCount(), 4);
  // 300 hot seconds (default isolation_after = 5 min): the hot key is isolated.
  Drive(model, load, At(Seconds(300)), At(Seconds(301)));
  EXPECT_EQ(model.PartitionCount(), 6);
  EXPECT_TRUE(model.Partitions()[static_cast<size_t>(model.PartitionIndexOf(hot))].isolated);
  EXPECT_NE(model.PartitionIndexOf(hot), model.PartitionIndexOf(other));
  EXPECT_EQ(metrics.GetCounter("dynamodb.t.SplitsForHeat").value(), 1);
  EXPECT_EQ(metrics.GetGauge("dynamodb.t.PartitionCount").value(), 6.0);
  const std::vector<Tally> after = Drive(model, load, At(Seconds(301)), At(Seconds(361)));
  EXPECT_EQ(after[0].admitted, 48000);
  EXPECT_EQ(after[1].admitted, 24000);
  EXPECT_EQ(Throttled(after), 0);
}

TEST(CapacityModel, IsolatedSingleKeyIsStillCappedAtOneThousandWcu) {
  CapacityModel model(Provisioned(3000, 9000), Time::Zero());
  const std::vector<Stream> hot = {{"hot", 2000, kOne, true}};
  Drive(model, hot, Time::Zero(), At(Seconds(310)));
  EXPECT_TRUE(model.Partitions()[static_cast<size_t>(model.PartitionIndexOf("hot"))].isolated);
  const std::vector<Tally> t = Drive(model, hot, At(Seconds(310)), At(Seconds(311)));
  EXPECT_EQ(t[0].admitted, 1000);
  EXPECT_EQ(t[0].throttled, 1000);
}

TEST(CapacityModel, CoolSecondResetsTheHeatStreak) {
  CapacityModel model(Provisioned(3000, 3000), Time::Zero());
  const auto [hot, other] = TwoKeysOnOnePartition(model);
  const std::vector<Stream> load = {{hot, 800, kOne, true}, {other, 400, kOne, true}};
  Drive(model, load, Time::Zero(), At(Seconds(200)));
  // One idle second, then 200 more hot seconds: no 300-second streak yet.
  Drive(model, load, At(Seconds(201)), At(Seconds(401)));
  EXPECT_EQ(model.PartitionCount(), 4);
  Drive(model, load, At(Seconds(401)), At(Seconds(502)));
  EXPECT_EQ(model.PartitionCount(), 6);
}

TEST(CapacityModel, LegacyEvenSplitThrottlesWhereAdaptiveDoesNot) {
  // 400 WCU over 4 partitions (40 GB): legacy gives each 100 WCU/s.
  const std::vector<Stream> hot = {{"hot", 200, kOne, true}};
  CapacityConfig legacy_config = Provisioned(100, 400);
  legacy_config.policy = PartitionPolicy::kLegacyEvenSplit;
  CapacityModel legacy(legacy_config, Time::Zero());
  CapacityModel adaptive(Provisioned(100, 400), Time::Zero());
  legacy.OnSizeChanged(int64_t{40} * 1000 * 1000 * 1000, Time::Zero());
  adaptive.OnSizeChanged(int64_t{40} * 1000 * 1000 * 1000, Time::Zero());
  ASSERT_EQ(legacy.PartitionCount(), 4);
  ASSERT_EQ(adaptive.PartitionCount(), 4);
  Drive(legacy, hot, Time::Zero(), At(Seconds(5)));
  Drive(adaptive, hot, Time::Zero(), At(Seconds(5)));
  const std::vector<Tally> l = Drive(legacy, hot, At(Seconds(5)), At(Seconds(10)));
  const std::vector<Tally> a = Drive(adaptive, hot, At(Seconds(5)), At(Seconds(10)));
  EXPECT_EQ(l[0].admitted, 500);
  EXPECT_NE(l[0].last_message.find("TableWriteProvisionedThroughputExceeded"), std::string::npos);
  EXPECT_EQ(a[0].admitted, 1000);
  EXPECT_EQ(a[0].throttled, 0);
}

TEST(CapacityModel, LegacyEvenSplitDilutesAKeysShareWhenSizeAddsPartitions) {
  CapacityConfig config = Provisioned(100, 400);
  config.policy = PartitionPolicy::kLegacyEvenSplit;
  CapacityModel model(config, Time::Zero());
  const std::vector<Stream> hot = {{"hot", 500, kOne, true}};
  Drive(model, hot, Time::Zero(), At(Seconds(5)));
  EXPECT_EQ(Drive(model, hot, At(Seconds(5)), At(Seconds(6)))[0].admitted, 400);
  // 40 GB: four partitions of 100 WCU/s each; the same key now gets 100.
  model.OnSizeChanged(int64_t{40} * 1000 * 1000 * 1000, At(Seconds(6)));
  Drive(model, hot, At(Seconds(6)), At(Seconds(10)));
  EXPECT_EQ(Drive(model, hot, At(Seconds(10)), At(Seconds(11)))[0].admitted, 100);
}

TEST(CapacityModel, LegacyEvenSplitNeverIsolatesHotKeys) {
  CapacityConfig config = Provisioned(3000, 9000);
  config.policy = PartitionPolicy::kLegacyEvenSplit;
  CapacityModel model(config, Time::Zero());
  Drive(model, {{"hot", 2000, kOne, true}}, Time::Zero(), At(Seconds(400)));
  EXPECT_EQ(model.PartitionCount(), 10);
}

TEST(CapacityModel, RaisingProvisionedCapacityTakesEffectAtOnce) {
  CapacityModel model(Provisioned(5, 100), Time::Zero());
  const std::vector<Stream> load = {{"k", 200, kOne, true}};
  Drive(model, load, Time::Zero(), At(Seconds(5)));
  EXPECT_EQ(Drive(model, load, At(Seconds(5)), At(Seconds(6)))[0].admitted, 100);
  model.UpdateProvisionedThroughput(5, 200, At(Seconds(6)));
  const std::vector<Tally> t = Drive(model, load, At(Seconds(6)), At(Seconds(7)));
  EXPECT_EQ(t[0].admitted, 200);
  EXPECT_EQ(t[0].throttled, 0);
}

TEST(CapacityModel, ThrottleReasonNamesFollowResourceOperationLimit) {
  EXPECT_EQ(ThrottleReasonName(ThrottleReason::kKeyRangeThroughputExceeded, true, false),
            "TableWriteKeyRangeThroughputExceeded");
  EXPECT_EQ(ThrottleReasonName(ThrottleReason::kProvisionedThroughputExceeded, false, true),
            "IndexReadProvisionedThroughputExceeded");
  EXPECT_EQ(ThrottleReasonName(ThrottleReason::kAccountLimitExceeded, true, true), "IndexWriteAccountLimitExceeded");
  EXPECT_EQ(ThrottleReasonName(ThrottleReason::kMaxOnDemandThroughputExceeded, false, false),
            "TableReadMaxOnDemandThroughputExceeded");
}

TEST(CapacityModel, IndexModelNamesTheIndexInItsThrottles) {
  CapacityConfig config = Provisioned(5, 5);
  config.is_index = true;
  CapacityModel model(config, Time::Zero());
  ASSERT_TRUE(model.ConsumeWrite("k", CapacityUnits::FromUnits(5), Time::Zero()).ok());
  const sim::Status s = model.ConsumeWrite("k", kOne, Time::Zero());
  EXPECT_EQ(s.name(), "ProvisionedThroughputExceededException");
  EXPECT_NE(s.message().find("IndexWriteProvisionedThroughputExceeded"), std::string_view::npos);
  EXPECT_TRUE(IsThrottlingError(s));
  EXPECT_TRUE(IsRetryableError(s));
  EXPECT_EQ(HttpStatusOf(s), 400);
}

// ---- on-demand ---------------------------------------------------------------------------

TEST(CapacityModel, OnDemandNewTableServesFourThousandWritesAtOnce) {
  CapacityModel model(OnDemand(), Time::Zero());
  EXPECT_EQ(model.PreviousPeakMilli(), 6'000'000);  // 2,000 WRU or 6,000 RRU
  ASSERT_EQ(model.PartitionCount(), 4);
  std::vector<Stream> load;
  for (const std::string& key : KeysOnePerPartition(model)) load.push_back({key, 1000, kOne, true});
  const std::vector<Tally> t = Drive(model, load, Time::Zero(), At(Seconds(10)));
  EXPECT_EQ(Admitted(t), 40000);
  EXPECT_EQ(Throttled(t), 0);
}

TEST(CapacityModel, OnDemandNewTableServesTwelveThousandReadsAtOnce) {
  CapacityModel model(OnDemand(), Time::Zero());
  std::vector<Stream> load;
  for (const std::string& key : KeysOnePerPartition(model)) {
    load.push_back({key, 1000, CapacityUnits::FromUnits(3), false});
  }
  const std::vector<Tally> t = Drive(model, load, Time::Zero(), At(Seconds(10)));
  EXPECT_EQ(Admitted(t), 40000);
  EXPECT_EQ(Throttled(t), 0);
}

TEST(CapacityModel, OnDemandExceedingDoublePreviousPeakThrottles) {
  CapacityModel model(OnDemand(), Time::Zero());
  std::vector<Stream> load;  // 5,000 WRU/s, evenly spread
  for (const std::string& key : KeysOnePerPartition(model)) load.push_back({key, 1250, kOne, true});
  Drive(model, load, Time::Zero(), At(Seconds(10)));
  const std::vector<Tally> t = Drive(model, load, At(Seconds(10)), At(Seconds(11)));
  EXPECT_EQ(Admitted(t), 4000);
  EXPECT_EQ(Throttled(t), 1000);
  EXPECT_EQ(t[0].last_error, "ProvisionedThroughputExceededException");
  EXPECT_NE(t[0].last_message.find("TableWriteKeyRangeThroughputExceeded"), std::string::npos);
}

TEST(CapacityModel, OnDemandPeakDoublesAfterThirtyMinutesSustained) {
  CapacityConfig config = OnDemand();
  // Each partition runs at its cap for 30 minutes; keep split-for-heat out
  // of this test so the partitions are the ones the peak asks for.
  config.isolation_after = sim::Hours(2);
  CapacityModel model(config, Time::Zero());
  const CapacityUnits ten = CapacityUnits::FromUnits(10);
  std::vector<Stream> load;  // 4,000 WRU/s: double the new-table peak
  for (const std::string& key : KeysOnePerPartition(model)) load.push_back({key, 100, ten, true});
  const std::vector<Tally> first = Drive(model, load, Time::Zero(), At(sim::Minutes(30)));
  EXPECT_EQ(Throttled(first), 0);
  EXPECT_EQ(model.PreviousPeakMilli(), 6'000'000);
  // The 30th one-minute sample closes at the next request: 4,000 WRU/s
  // (12,000 read-equivalents) held for 30 minutes becomes the peak.
  std::vector<Stream> doubled;  // 8,000 WRU/s
  model.ConsumeWrite(load[0].key, ten, At(sim::Minutes(30))).IgnoreError();
  EXPECT_EQ(model.PreviousPeakMilli(), 12'000'000);
  ASSERT_EQ(model.PartitionCount(), 8);
  for (const std::string& key : KeysOnePerPartition(model)) doubled.push_back({key, 100, ten, true});
  const std::vector<Tally> second = Drive(model, doubled, At(sim::Minutes(30) + Seconds(1)), At(sim::Minutes(31)));
  EXPECT_EQ(Admitted(second), 8 * 100 * 59);
  EXPECT_EQ(Throttled(second), 0);
}

TEST(CapacityModel, OnDemandHotKeyStillThrottlesAtThePartitionCap) {
  CapacityModel model(OnDemand(), Time::Zero());
  const std::vector<Stream> hot = {{"hot", 2000, kOne, true}};
  Drive(model, hot, Time::Zero(), At(Seconds(5)));
  const std::vector<Tally> t = Drive(model, hot, At(Seconds(5)), At(Seconds(6)));
  EXPECT_EQ(t[0].admitted, 1000);
  EXPECT_EQ(t[0].last_error, "ProvisionedThroughputExceededException");
  EXPECT_NE(t[0].last_message.find("TableWriteKeyRangeThroughputExceeded"), std::string::npos);
}

TEST(CapacityModel, OnDemandMaxWriteRequestUnitsThrottlesWithThrottlingException) {
  CapacityConfig config = OnDemand();
  config.max_write_request_units = 1000;
  CapacityModel model(config, Time::Zero());
  std::vector<Stream> load;
  for (const std::string& key : KeysOnePerPartition(model)) load.push_back({key, 500, kOne, true});
  Drive(model, load, Time::Zero(), At(Seconds(5)));
  const std::vector<Tally> t = Drive(model, load, At(Seconds(5)), At(Seconds(6)));
  EXPECT_EQ(Admitted(t), 1000);
  EXPECT_EQ(LastError(t).rfind("ThrottlingException: ", 0), 0u);
  EXPECT_NE(LastError(t).find("TableWriteMaxOnDemandThroughputExceeded"), std::string::npos);
}

TEST(CapacityModel, OnDemandAccountTableQuotaThrottlesWithRequestLimitExceeded) {
  CapacityConfig config = OnDemand();
  config.account_table_max_read_units = 1000;
  CapacityModel model(config, Time::Zero());
  std::vector<Stream> load;
  for (const std::string& key : KeysOnePerPartition(model)) load.push_back({key, 500, kOne, false});
  Drive(model, load, Time::Zero(), At(Seconds(5)));
  const std::vector<Tally> t = Drive(model, load, At(Seconds(5)), At(Seconds(6)));
  EXPECT_EQ(Admitted(t), 1000);
  EXPECT_EQ(LastError(t).rfind("RequestLimitExceeded: ", 0), 0u);
  EXPECT_EQ(model.last_throttle_reason(), ThrottleReason::kAccountLimitExceeded);
  EXPECT_NE(LastError(t).find("TableReadAccountLimitExceeded"), std::string::npos);
}

TEST(CapacityModel, SwitchToOnDemandStartsAtHalfTheHighestProvisionedThroughput) {
  CapacityModel model(Provisioned(3000, 20000), Time::Zero());
  EXPECT_EQ(model.PartitionCount(), 21);
  model.UpdateBillingMode(BillingMode::kPayPerRequest, At(Seconds(60)));
  EXPECT_EQ(model.PreviousPeakMilli(), 31'500'000);  // (3,000 + 3 x 20,000) / 2
  EXPECT_EQ(model.PartitionCount(), 21);
}

TEST(CapacityModel, SwitchOfANewSmallTableToOnDemandKeepsTheNewTablePeak) {
  CapacityModel model(Provisioned(5, 5), Time::Zero());
  model.UpdateBillingMode(BillingMode::kPayPerRequest, At(Seconds(60)));
  EXPECT_EQ(model.PreviousPeakMilli(), 6'000'000);
  EXPECT_EQ(model.PartitionCount(), 4);
}

// ---- transactions and metrics ---------------------------------------------------------------

TEST(CapacityModel, ConsumeAllIsAllOrNothingAcrossPartitions) {
  CapacityModel model(Provisioned(3000, 9000), Time::Zero());
  const std::vector<std::string> keys = KeysOnePerPartition(model);
  ASSERT_TRUE(model.ConsumeWrite(keys[0], CapacityUnits::FromUnits(1000), Time::Zero()).ok());
  const std::vector<KeyedCapacity> txn = {{keys[0], kOne, true}, {keys[1], CapacityUnits::FromUnits(1000), true}};
  const sim::Status s = model.ConsumeAll(txn, Time::Zero());
  EXPECT_EQ(s.name(), "ProvisionedThroughputExceededException");
  // Nothing was taken from the second partition.
  EXPECT_TRUE(model.ConsumeWrite(keys[1], CapacityUnits::FromUnits(1000), Time::Zero()).ok());
  EXPECT_FALSE(model.ConsumeWrite(keys[1], kOne, Time::Zero()).ok());
}

TEST(CapacityModel, MetricsCountConsumedUnitsThrottlesAndHeat) {
  sim::MetricsRegistry metrics;
  CapacityConfig config = Provisioned(3000, 9000);
  config.metrics_name = "events";
  config.record_partition_heat = true;
  CapacityModel model(config, Time::Zero(), &metrics);
  const std::vector<Stream> hot = {{"hot", 2000, kOne, true}, {"hot", 2, CapacityUnits::FromMilli(500), false}};
  const std::vector<Tally> t = Drive(model, hot, Time::Zero(), At(Seconds(3)));
  EXPECT_EQ(metrics.GetCounter("dynamodb.events.ConsumedWriteCapacityUnits.milli").value(), t[0].admitted * 1000);
  EXPECT_EQ(metrics.GetCounter("dynamodb.events.ConsumedReadCapacityUnits.milli").value(), t[1].admitted * 500);
  EXPECT_EQ(metrics.GetCounter("dynamodb.events.ThrottledRequests").value(), Throttled(t));
  EXPECT_EQ(metrics.GetCounter("dynamodb.events.WriteThrottleEvents").value(), t[0].throttled);
  EXPECT_EQ(metrics.GetGauge("dynamodb.events.PartitionCount").value(), 10.0);
  // Per-second series, closed by the next second's first request.
  const auto& writes = metrics.GetTimeSeries("dynamodb.events.ConsumedWriteCapacityUnits").points();
  ASSERT_EQ(writes.size(), 2u);
  EXPECT_EQ(writes[1].t, At(Seconds(1)));
  // The two 0.5-RCU reads a second take 1 of the partition's 3,000
  // read-equivalents: 2,999 / 3 whole writes fit.
  EXPECT_EQ(writes[1].value, 999.0);
  const int64_t id = model.Partitions()[static_cast<size_t>(model.PartitionIndexOf("hot"))].id;
  const auto& heat = metrics.GetTimeSeries("dynamodb.events.partition." + std::to_string(id) + ".heat").points();
  ASSERT_EQ(heat.size(), 2u);
  EXPECT_EQ(heat[1].value, 6001.0);  // demand in read-equivalents: 2,000 writes x 3 + 2 x 0.5
  const sim::Gauge& gauge = metrics.GetGauge("dynamodb.events.partition." + std::to_string(id) + ".heat");
  EXPECT_EQ(gauge.value(), 6001.0);
  EXPECT_EQ(gauge.max(), 6001.0);
}

}  // namespace
}  // namespace emu::dynamodb
