#pragma once

// The capacity model of one DynamoDB table (or one global secondary index:
// a GSI has its own capacity and partitions, so the table layer keeps one
// model per GSI). Passive: every call takes the simulated `now`; no events
// are scheduled. All token arithmetic is in integer milli-units.
//
// What it models (AWS developer guide, "burst and adaptive capacity",
// "on-demand capacity mode", "partitions and data distribution"):
// - Partitions: contiguous ranges of a 64-bit hash of the partition key.
//   A provisioned table has ceil(max(size / 10 GB, RCU/3000 + WCU/1000))
//   partitions; partitions split (by halving the widest range) and never
//   merge, so lowering capacity keeps them.
// - Per-partition hard cap: 3,000 RCU and 1,000 WCU per second or a linear
//   combination — one bucket in read-equivalent units (a write unit counts
//   3) refilling 3,000/s and holding one second. A partition holding one
//   key is that key's limit: a single hot key throttles at 1,000 WCU.
// - Provisioned, adaptive (default): one table-level read bucket and one
//   write bucket refilling at RCU / WCU per second and banking up to 300 s
//   of unused capacity (burst); any partition may use it instantly, up to
//   its hard cap (instant adaptive capacity).
// - Provisioned, legacy (opt-in, the pre-2018 model): each partition has its
//   own buckets at RCU/N and WCU/N with its own 300 s of burst, no sharing.
// - Split for heat (adaptive, both billing modes): a partition whose demand
//   stays at or above `heat_threshold_percent` of its hard cap, or that is
//   throttled at its cap, for `isolation_after` consecutive seconds is split:
//   its dominant key (>= half the demand) is isolated onto its own
//   partition, otherwise the range is halved. One key cannot be split.
// - On-demand: a "previous peak" P in read-equivalent units per second
//   (new table 6,000 = 2,000 WRU or 6,000 RRU, so 4,000 WRU / 12,000 RRU or
//   any linear combination are served at once). Traffic up to 2P is served
//   instantly (a table-level bucket of rate 2P holding one second); the
//   partitions number ceil(2P / 3000). A level held for `peak_sustain`
//   (30 min, measured as the minimum of per-`peak_sample` averages) becomes
//   the new P, so a table can at most double every 30 minutes. Above
//   MaxRead/WriteRequestUnits (if set) or the per-table account quota
//   (default 40,000 each) requests throttle too.
//
// A request is admitted only if every level has room; nothing is taken
// otherwise. Throttles return ProvisionedThroughputExceededException,
// ThrottlingException or RequestLimitExceeded (capacity_errors.h) with the
// AWS ThrottlingReason in the message.

#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "emulators/dynamodb/capacity_bucket.h"
#include "emulators/dynamodb/capacity_units.h"
#include "sim/metrics.h"
#include "sim/status.h"
#include "sim/time.h"

namespace emu::dynamodb {

enum class BillingMode { kProvisioned, kPayPerRequest };
enum class PartitionPolicy { kAdaptive, kLegacyEvenSplit };

enum class ThrottleReason {
  kNone,
  kKeyRangeThroughputExceeded,     // a partition's 3,000 / 1,000 cap, or on-demand over 2x peak
  kProvisionedThroughputExceeded,  // provisioned table RCU/WCU (and burst) spent
  kAccountLimitExceeded,           // on-demand per-table account quota
  kMaxOnDemandThroughputExceeded,  // on-demand configured MaxRead/WriteRequestUnits
};
// "TableWriteKeyRangeThroughputExceeded", "IndexReadProvisionedThroughputExceeded", ...
std::string ThrottleReasonName(ThrottleReason reason, bool write, bool index);

struct CapacityConfig {
  BillingMode billing_mode = BillingMode::kProvisioned;
  int64_t read_capacity_units = 5;   // provisioned RCU
  int64_t write_capacity_units = 5;  // provisioned WCU
  PartitionPolicy policy = PartitionPolicy::kAdaptive;
  bool is_index = false;  // reasons say "Index..." instead of "Table..."

  // Documented limits.
  int64_t partition_bytes = int64_t{10} * 1000 * 1000 * 1000;  // 10 GB
  int64_t partition_read_units = 3000;
  int64_t partition_write_units = 1000;
  sim::Duration burst_window = sim::Seconds(300);

  // Split for heat. AWS gives no number; minutes in practice. Default 5 min.
  sim::Duration isolation_after = sim::Minutes(5);
  int heat_threshold_percent = 50;

  // On-demand.
  int64_t initial_peak_read_equivalent = 6000;  // 2,000 WRU or 6,000 RRU
  sim::Duration peak_sustain = sim::Minutes(30);
  sim::Duration peak_sample = sim::Minutes(1);
  int64_t max_read_request_units = 0;            // OnDemandThroughput.MaxReadRequestUnits; 0 = not set
  int64_t max_write_request_units = 0;           // OnDemandThroughput.MaxWriteRequestUnits; 0 = not set
  int64_t account_table_max_read_units = 40000;  // per-table quota (Service Quotas)
  int64_t account_table_max_write_units = 40000;

  // Metrics: "dynamodb.<metrics_name>.*"; no metrics when registry is null.
  std::string metrics_name = "table";
  // Per partition, "partition.<id>.heat" is a gauge of the last closed
  // second's demand in read-equivalent units (its max is the hottest
  // second); with record_partition_heat also a series of every second.
  bool record_partition_heat = false;
};

struct PartitionInfo {
  int64_t id;
  uint64_t hash_lo;  // inclusive
  uint64_t hash_hi;  // inclusive
  bool isolated;     // made by isolating one hot key
};

// One key's share of an all-or-nothing request (TransactWriteItems, TransactGetItems).
struct KeyedCapacity {
  std::string_view partition_key;
  CapacityUnits units;
  bool write;
};

class CapacityModel {
 public:
  CapacityModel(CapacityConfig config, sim::Time now, sim::MetricsRegistry* metrics = nullptr);

  // Admission: OK and the units taken, or a throttling error and nothing
  // taken. `partition_key` is the canonical bytes of the item's partition
  // key (Query: the queried key; Scan: the key of the page's first item,
  // since a Scan page reads one hash range).
  sim::Status ConsumeRead(std::string_view partition_key, CapacityUnits units, sim::Time now);
  sim::Status ConsumeWrite(std::string_view partition_key, CapacityUnits units, sim::Time now);
  // All or nothing across keys (transactions).
  sim::Status ConsumeAll(std::span<const KeyedCapacity> requests, sim::Time now);

  // UpdateTable. Raising capacity may add partitions; nothing merges them.
  void UpdateProvisionedThroughput(int64_t read_capacity_units, int64_t write_capacity_units, sim::Time now);
  // Provisioned -> on-demand: the previous peak becomes the larger of the
  // new-table peak and half the highest RCU / WCU ever provisioned.
  // On-demand -> provisioned: the table buckets start at one second's worth.
  // The once-per-24-h switch rule is the facade's to validate.
  void UpdateBillingMode(BillingMode mode, sim::Time now);
  void UpdateOnDemandThroughput(int64_t max_read_request_units, int64_t max_write_request_units, sim::Time now);
  // The table's size changed (TableSizeBytes); may add partitions.
  void OnSizeChanged(int64_t table_bytes, sim::Time now);

  // Inspection (tests, DescribeTable, reports).
  const CapacityConfig& config() const { return config_; }
  int64_t PartitionCount() const { return static_cast<int64_t>(partitions_.size()); }
  std::vector<PartitionInfo> Partitions() const;
  // Index into Partitions() of the partition holding the key (no side effects).
  int64_t PartitionIndexOf(std::string_view partition_key) const;
  static uint64_t HashKey(std::string_view partition_key);
  // On-demand previous peak, read-equivalent units per second (milli).
  int64_t PreviousPeakMilli() const { return peak_milli_; }
  // Provisioned adaptive table buckets (milli-units), refilled to `now`.
  int64_t ReadBurstBalanceMilli(sim::Time now);
  int64_t WriteBurstBalanceMilli(sim::Time now);
  int64_t throttled_requests() const { return throttled_requests_; }
  // The reason of the most recent throttle (kNone before any): for
  // TransactionCanceledException reasons and UnprocessedItems bookkeeping.
  ThrottleReason last_throttle_reason() const { return last_throttle_reason_; }

 private:
  // Space-saving heavy hitters over a partition's hot streak: which key to isolate.
  struct TopKeys {
    static constexpr int kSlots = 8;
    uint64_t hash[kSlots] = {};
    int64_t count[kSlots] = {};
    int size = 0;
    int64_t total = 0;
    void Add(uint64_t h, int64_t c);
    void Clear() { size = 0, total = 0; }
    int Top() const;
  };
  struct Partition {
    int64_t id = 0;
    uint64_t lo = 0;
    uint64_t hi = 0;
    bool isolated = false;
    CapacityBucket hard_cap;     // read-equivalent milli-units
    CapacityBucket legacy_read;  // legacy even split only
    CapacityBucket legacy_write;
    int64_t window = -1;        // current one-second window index
    int64_t window_demand = 0;  // read-equivalent milli, admitted + throttled
    int64_t window_cap_throttles = 0;
    int64_t streak_start = -1;  // first window of the current hot streak
    TopKeys top;
    sim::Gauge* heat_gauge = nullptr;
    sim::TimeSeries* heat = nullptr;
  };
  struct Level;  // one bucket a request must pass

  sim::Status Consume(std::span<const KeyedCapacity> requests, sim::Time now);
  sim::Status Throttle(ThrottleReason reason, bool write, int64_t partition_index, sim::Time now);
  size_t Find(uint64_t hash) const;
  void SyncLows();
  // Finds the partition, closing its finished heat windows; may split it.
  size_t Locate(uint64_t hash, sim::Time now);
  // Closes the partition's window if `window` is later; true if it must split.
  bool RollWindow(Partition& p, int64_t window);
  void SplitForHeat(size_t index, sim::Time now);
  void SplitAt(size_t index, std::vector<std::pair<uint64_t, uint64_t>> ranges, bool isolate_middle, sim::Time now);
  void EnsurePartitions(int64_t target, sim::Time now);
  int64_t TargetPartitions() const;
  Partition MakePartition(uint64_t lo, uint64_t hi, sim::Time now);
  void RebuildTableBuckets(sim::Time now, bool keep_tokens);
  void RebuildLegacyBuckets(sim::Time now);
  void RollTable(sim::Time now);
  void OnPeakChanged(sim::Time now);
  bool Legacy() const {
    return config_.policy == PartitionPolicy::kLegacyEvenSplit && config_.billing_mode == BillingMode::kProvisioned;
  }
  int64_t HardCapRateMilli() const { return config_.partition_read_units * 1000; }
  int64_t WriteWeight() const { return config_.partition_read_units / config_.partition_write_units; }

  CapacityConfig config_;
  std::vector<Partition> partitions_;  // sorted by lo, covering [0, 2^64)
  std::vector<uint64_t> lows_;         // partitions_[i].lo, compact for lookups
  int64_t next_partition_id_ = 0;
  int64_t table_bytes_ = 0;
  int64_t max_rcu_ever_ = 0;
  int64_t max_wcu_ever_ = 0;

  // Provisioned adaptive.
  CapacityBucket table_read_;
  CapacityBucket table_write_;
  // On-demand.
  int64_t peak_milli_ = 0;
  CapacityBucket peak_allowance_;  // 2 x previous peak, read-equivalent
  CapacityBucket max_read_;
  CapacityBucket max_write_;
  int64_t sample_index_ = 0;
  int64_t sample_admitted_ = 0;  // read-equivalent milli in the current sample
  std::deque<int64_t> samples_;  // per-second averages of the last samples

  // Per-second table consumption for the metrics series.
  int64_t table_window_ = -1;
  int64_t window_read_milli_ = 0;
  int64_t window_write_milli_ = 0;

  int64_t throttled_requests_ = 0;
  ThrottleReason last_throttle_reason_ = ThrottleReason::kNone;
  sim::MetricsRegistry* metrics_;
  sim::Counter* consumed_read_ = nullptr;
  sim::Counter* consumed_write_ = nullptr;
  sim::Counter* read_throttles_ = nullptr;
  sim::Counter* write_throttles_ = nullptr;
  sim::Counter* throttled_ = nullptr;
  sim::Counter* isolations_ = nullptr;
  sim::Gauge* partition_gauge_ = nullptr;
  sim::Gauge* peak_gauge_ = nullptr;
  sim::TimeSeries* read_series_ = nullptr;
  sim::TimeSeries* write_series_ = nullptr;
};

}  // namespace emu::dynamodb
