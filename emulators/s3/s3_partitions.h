#pragma once

// S3's request-rate model: a bucket's keys are split into partitions (key
// ranges); each partition serves at least 3,500 PUT/COPY/POST/DELETE and
// 5,500 GET/HEAD requests per second
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/optimizing-performance.html).
// A request above its partition's rate is refused with 503 SlowDown. Under
// sustained load S3 partitions in the background (30-60 min by AWS
// support's account, https://repost.aws/knowledge-center/http-5xx-errors-s3):
// here a partition that has been hot for `split_after` splits in two at
// the median key of the traffic it saw, so each half gets the full rates.
//
// Each rate is a token bucket holding `burst_seconds` of requests, refilled
// continuously on simulated time (integer arithmetic: exact and
// deterministic). A partition is hot during a minute in which its demand
// (admitted + refused) reached `hot_fraction` of its capacity in either
// class; `split_after` consecutive hot minutes split it. A single key
// cannot be split (AWS cannot split one key either): a partition whose
// sampled traffic is one key stays whole.
//
// Passive, like the models: Admit() takes `now`, nothing is scheduled.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "sim/metrics.h"
#include "sim/rng.h"
#include "sim/status.h"
#include "sim/time.h"

namespace emu::s3 {

// PUT/COPY/POST/DELETE (and LIST, billed with them) are writes for the
// rate model only when they change data; LIST and GET/HEAD are reads.
enum class RequestClass { kRead, kWrite };

struct PartitionSettings {
  bool enabled = true;
  double write_rate = 3'500;  // per partition, requests per second
  double read_rate = 5'500;
  double burst_seconds = 1.0;  // token bucket depth, in seconds of rate
  // A minute is hot when demand >= hot_fraction x capacity in either class.
  double hot_fraction = 1.0;
  sim::Duration split_after = sim::Seconds(30 * 60);
  int max_partitions = 4'096;  // per bucket; no splits beyond
  int key_sample_size = 257;   // reservoir of keys seen while hot (odd: a true median)
};

struct PartitionInfo {
  std::string first_key;  // inclusive; "" = start of the bucket
  std::string end_key;    // exclusive; "" = end of the bucket
  int64_t admitted = 0;
  int64_t slowdowns = 0;
  int hot_minutes = 0;  // consecutive, up to now
};

class BucketPartitions {
 public:
  // `split_points`: initial boundaries (a scenario's pre-partitioned
  // prefixes), sorted or not, duplicates ignored. Metrics:
  // s3.<bucket>.requests_admitted, .slowdowns (counters), .partitions (time
  // series: one point per change).
  BucketPartitions(std::string bucket, PartitionSettings settings, std::vector<std::string> split_points,
                   sim::MetricsRegistry& metrics, sim::Rng rng, sim::Time now);

  // OK, or 503 SlowDown if the key's partition has no capacity left for the
  // class. `now` must never decrease.
  sim::Status Admit(std::string_view key, RequestClass cls, sim::Time now);

  std::size_t partition_count() const { return partitions_.size(); }
  // In key order.
  std::vector<PartitionInfo> Partitions() const;
  int64_t slowdowns() const { return slowdowns_->value(); }
  const PartitionSettings& settings() const { return settings_; }

 private:
  struct TokenBucket {
    int64_t tokens = 0;    // request-nanoseconds: one request costs kUnit
    int64_t capacity = 0;  // burst
    int64_t rate = 0;      // requests per second (units per ns = rate)
    sim::Time last;
    bool Take(sim::Time now);
  };
  struct Partition {
    std::string end_key;  // exclusive; "" = end of the bucket
    TokenBucket read;
    TokenBucket write;
    int64_t admitted = 0;
    int64_t refused = 0;
    // The current minute's demand per class and the hot streak.
    int64_t minute = -1;
    int64_t read_demand = 0;
    int64_t write_demand = 0;
    int hot_minutes = 0;
    std::vector<std::string> sample;  // keys seen while hot (reservoir)
    int64_t sampled = 0;              // keys offered to the reservoir this streak
  };

  Partition NewPartition(std::string end_key, sim::Time now) const;
  // The partition holding `key`: first_key <= key < end_key.
  std::map<std::string, Partition, std::less<>>::iterator Find(std::string_view key);
  // Closes minutes that ended before `now`'s minute; true if the partition
  // reached split_after hot minutes.
  bool RollMinutes(Partition& p, int64_t minute);
  void Sample(Partition& p, std::string_view key);
  void MaybeSplit(std::map<std::string, Partition, std::less<>>::iterator it, sim::Time now);
  void RecordCount(sim::Time now);

  std::string bucket_;
  PartitionSettings settings_;
  sim::Rng rng_;
  // Keyed by each partition's first key ("" for the first).
  std::map<std::string, Partition, std::less<>> partitions_;
  sim::Counter* admitted_;
  sim::Counter* slowdowns_;
  sim::TimeSeries* count_series_;
};

}  // namespace emu::s3
