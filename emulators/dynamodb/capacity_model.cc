#include "emulators/dynamodb/capacity_model.h"

#include <algorithm>
#include <limits>
#include <sstream>
#include <utility>

#include "emulators/dynamodb/capacity_errors.h"
#include "sim/check.h"
#include "sim/uint128.h"

namespace emu::dynamodb {

namespace {

constexpr int64_t kNanosPerSecond = 1'000'000'000;
constexpr uint64_t kHashMax = std::numeric_limits<uint64_t>::max();

int64_t CeilDiv(int64_t a, int64_t b) { return a <= 0 ? 0 : (a + b - 1) / b; }

int64_t WindowOf(sim::Time now) { return now.nanos() / kNanosPerSecond; }

constexpr std::string_view kKeyRangeMessage =
    "Throughput exceeds the current capacity of your table or index. DynamoDB is automatically scaling your table "
    "or index so please try again shortly. If exceptions persist, check if you have a hot key: "
    "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html";
constexpr std::string_view kProvisionedMessage =
    "The level of configured provisioned throughput for the table was exceeded. Consider increasing your "
    "provisioning level with the UpdateTable API.";
constexpr std::string_view kMaxOnDemandMessage =
    "Throughput exceeds the maximum on-demand throughput (MaxReadRequestUnits / MaxWriteRequestUnits) "
    "configured for the table or index.";
constexpr std::string_view kAccountLimitMessage =
    "Throughput exceeds the current throughput limit for your account. Please contact AWS Support at "
    "https://aws.amazon.com/support request a limit increase";

}  // namespace

std::string ThrottleReasonName(ThrottleReason reason, bool write, bool index) {
  std::string name = index ? "Index" : "Table";
  name += write ? "Write" : "Read";
  switch (reason) {
    case ThrottleReason::kNone:
      return "";
    case ThrottleReason::kKeyRangeThroughputExceeded:
      return name + "KeyRangeThroughputExceeded";
    case ThrottleReason::kProvisionedThroughputExceeded:
      return name + "ProvisionedThroughputExceeded";
    case ThrottleReason::kAccountLimitExceeded:
      return name + "AccountLimitExceeded";
    case ThrottleReason::kMaxOnDemandThroughputExceeded:
      return name + "MaxOnDemandThroughputExceeded";
  }
  return name;
}

// ---- heavy hitters ---------------------------------------------------------

void CapacityModel::TopKeys::Add(uint64_t h, int64_t c) {
  total += c;
  for (int i = 0; i < size; ++i) {
    if (hash[i] == h) {
      count[i] += c;
      return;
    }
  }
  if (size < kSlots) {
    hash[size] = h;
    count[size] = c;
    ++size;
    return;
  }
  // Space-saving: the newcomer inherits the smallest count (an overestimate).
  int min = 0;
  for (int i = 1; i < size; ++i) {
    if (count[i] < count[min]) min = i;
  }
  hash[min] = h;
  count[min] += c;
}

int CapacityModel::TopKeys::Top() const {
  int best = -1;
  for (int i = 0; i < size; ++i) {
    if (best < 0 || count[i] > count[best]) best = i;
  }
  return best;
}

// ---- construction -----------------------------------------------------------

CapacityModel::CapacityModel(CapacityConfig config, sim::Time now, sim::MetricsRegistry* metrics)
    : config_(std::move(config)), metrics_(metrics) {
  capacity_errors::RegisterCapacityErrors();
  SIM_CHECK(config_.partition_read_units > 0 && config_.partition_write_units > 0);
  SIM_CHECK(config_.partition_read_units % config_.partition_write_units == 0);
  SIM_CHECK(config_.peak_sample > sim::Duration::Zero() && config_.peak_sustain >= config_.peak_sample);
  SIM_CHECK(config_.isolation_after >= sim::Seconds(1));
  if (config_.billing_mode == BillingMode::kProvisioned) {
    SIM_CHECK(config_.read_capacity_units >= 1 && config_.write_capacity_units >= 1);
    max_rcu_ever_ = config_.read_capacity_units;
    max_wcu_ever_ = config_.write_capacity_units;
  }
  if (metrics_ != nullptr) {
    const std::string prefix = "dynamodb." + config_.metrics_name + ".";
    consumed_read_ = &metrics_->GetCounter(prefix + "ConsumedReadCapacityUnits.milli");
    consumed_write_ = &metrics_->GetCounter(prefix + "ConsumedWriteCapacityUnits.milli");
    read_throttles_ = &metrics_->GetCounter(prefix + "ReadThrottleEvents");
    write_throttles_ = &metrics_->GetCounter(prefix + "WriteThrottleEvents");
    throttled_ = &metrics_->GetCounter(prefix + "ThrottledRequests");
    isolations_ = &metrics_->GetCounter(prefix + "SplitsForHeat");
    partition_gauge_ = &metrics_->GetGauge(prefix + "PartitionCount");
    peak_gauge_ = &metrics_->GetGauge(prefix + "OnDemandPreviousPeak");
    read_series_ = &metrics_->GetTimeSeries(prefix + "ConsumedReadCapacityUnits");
    write_series_ = &metrics_->GetTimeSeries(prefix + "ConsumedWriteCapacityUnits");
  }
  sample_index_ = now.nanos() / config_.peak_sample.nanos();
  if (config_.billing_mode == BillingMode::kPayPerRequest) {
    peak_milli_ = config_.initial_peak_read_equivalent * 1000;
  }
  // A new table starts with its partitions equally spread over the hash space.
  const int64_t initial = TargetPartitions();
  for (int64_t i = 0; i < initial; ++i) {
    const auto lo = static_cast<uint64_t>((static_cast<sim::Uint128>(i) << 64) / static_cast<sim::Uint128>(initial));
    const uint64_t hi =
        i + 1 == initial
            ? kHashMax
            : static_cast<uint64_t>((static_cast<sim::Uint128>(i + 1) << 64) / static_cast<sim::Uint128>(initial)) - 1;
    partitions_.push_back(MakePartition(lo, hi, now));
  }
  SyncLows();
  if (config_.billing_mode == BillingMode::kProvisioned) {
    RebuildTableBuckets(now, /*keep_tokens=*/false);
    RebuildLegacyBuckets(now);
  } else {
    OnPeakChanged(now);
  }
  if (partition_gauge_ != nullptr) partition_gauge_->Set(static_cast<double>(partitions_.size()));
}

CapacityModel::Partition CapacityModel::MakePartition(uint64_t lo, uint64_t hi, sim::Time now) {
  Partition p;
  p.id = next_partition_id_++;
  p.lo = lo;
  p.hi = hi;
  // One second of the hard cap, full: a fresh partition is a fresh server.
  p.hard_cap = CapacityBucket(HardCapRateMilli(), HardCapRateMilli(), HardCapRateMilli(), now);
  p.window = WindowOf(now);
  if (metrics_ != nullptr) {
    const std::string name = "dynamodb." + config_.metrics_name + ".partition." + std::to_string(p.id) + ".heat";
    p.heat_gauge = &metrics_->GetGauge(name);
    if (config_.record_partition_heat) p.heat = &metrics_->GetTimeSeries(name);
  }
  return p;
}

int64_t CapacityModel::TargetPartitions() const {
  const int64_t by_size = CeilDiv(table_bytes_, config_.partition_bytes);
  int64_t by_throughput = 0;
  if (config_.billing_mode == BillingMode::kProvisioned) {
    // RCU / 3000 + WCU / 1000, rounded up: in read-equivalents.
    by_throughput = CeilDiv(config_.read_capacity_units + config_.write_capacity_units * WriteWeight(),
                            config_.partition_read_units);
  } else {
    by_throughput = CeilDiv(2 * peak_milli_, HardCapRateMilli());
  }
  return std::max<int64_t>({1, by_size, by_throughput});
}

void CapacityModel::RebuildTableBuckets(sim::Time now, bool keep_tokens) {
  const int64_t burst_s = config_.burst_window.WholeSeconds();
  const int64_t r = config_.read_capacity_units * 1000;
  const int64_t w = config_.write_capacity_units * 1000;
  if (keep_tokens) {
    table_read_.Reset(r, r * burst_s, now);
    table_write_.Reset(w, w * burst_s, now);
  } else {
    // No history yet: one second of capacity, the rest banks while unused.
    table_read_ = CapacityBucket(r, r * burst_s, r, now);
    table_write_ = CapacityBucket(w, w * burst_s, w, now);
  }
}

void CapacityModel::RebuildLegacyBuckets(sim::Time now) {
  if (!Legacy()) return;
  const auto n = static_cast<int64_t>(partitions_.size());
  const int64_t burst_s = config_.burst_window.WholeSeconds();
  const int64_t r = config_.read_capacity_units * 1000 / n;
  const int64_t w = config_.write_capacity_units * 1000 / n;
  for (Partition& p : partitions_) {
    if (p.legacy_read.capacity() == 0) {
      p.legacy_read = CapacityBucket(r, r * burst_s, r, now);
      p.legacy_write = CapacityBucket(w, w * burst_s, w, now);
    } else {
      p.legacy_read.Reset(r, r * burst_s, now);
      p.legacy_write.Reset(w, w * burst_s, now);
    }
  }
}

void CapacityModel::OnPeakChanged(sim::Time now) {
  const int64_t allowance = 2 * peak_milli_;
  // A raised peak is capacity brought online: the new allowance is there at once.
  peak_allowance_ = CapacityBucket(allowance, allowance, allowance, now);
  // The maxima hold one second; a change of setting keeps what is left.
  const auto set_max = [&](CapacityBucket& bucket, int64_t configured, int64_t account) {
    const int64_t rate = (configured > 0 ? std::min(configured, account) : account) * 1000;
    if (bucket.capacity() == 0) {
      bucket = CapacityBucket(rate, rate, rate, now);
    } else {
      bucket.Reset(rate, rate, now);
    }
  };
  set_max(max_read_, config_.max_read_request_units, config_.account_table_max_read_units);
  set_max(max_write_, config_.max_write_request_units, config_.account_table_max_write_units);
  if (peak_gauge_ != nullptr) peak_gauge_->Set(static_cast<double>(peak_milli_) / 1000.0);
  EnsurePartitions(TargetPartitions(), now);
}

// ---- partitions -------------------------------------------------------------

uint64_t CapacityModel::HashKey(std::string_view partition_key) {
  // FNV-1a, then the splitmix64 finaliser so nearby keys spread evenly.
  uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : partition_key) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

size_t CapacityModel::Find(uint64_t hash) const {
  auto it = std::upper_bound(lows_.begin(), lows_.end(), hash);
  return static_cast<size_t>(it - lows_.begin()) - 1;
}

void CapacityModel::SyncLows() {
  lows_.resize(partitions_.size());
  for (size_t i = 0; i < partitions_.size(); ++i) lows_[i] = partitions_[i].lo;
}

int64_t CapacityModel::PartitionIndexOf(std::string_view partition_key) const {
  return static_cast<int64_t>(Find(HashKey(partition_key)));
}

std::vector<PartitionInfo> CapacityModel::Partitions() const {
  std::vector<PartitionInfo> out;
  out.reserve(partitions_.size());
  for (const Partition& p : partitions_) out.push_back(PartitionInfo{p.id, p.lo, p.hi, p.isolated});
  return out;
}

void CapacityModel::SplitAt(size_t index, std::vector<std::pair<uint64_t, uint64_t>> ranges, bool isolate_middle,
                            sim::Time now) {
  Partition parent = std::move(partitions_[index]);
  parent.legacy_read.Refill(now);
  parent.legacy_write.Refill(now);
  std::vector<Partition> children;
  const auto n = static_cast<int64_t>(ranges.size());
  for (size_t i = 0; i < ranges.size(); ++i) {
    Partition child = MakePartition(ranges[i].first, ranges[i].second, now);
    child.isolated = isolate_middle && ranges[i].first == ranges[i].second;
    if (Legacy()) {
      // The parent's banked capacity is shared out; rates are reset after.
      child.legacy_read = CapacityBucket(parent.legacy_read.rate(), parent.legacy_read.capacity(),
                                         parent.legacy_read.tokens() / n, now);
      child.legacy_write = CapacityBucket(parent.legacy_write.rate(), parent.legacy_write.capacity(),
                                          parent.legacy_write.tokens() / n, now);
    }
    children.push_back(std::move(child));
  }
  partitions_.erase(partitions_.begin() + static_cast<std::ptrdiff_t>(index));
  partitions_.insert(partitions_.begin() + static_cast<std::ptrdiff_t>(index),
                     std::make_move_iterator(children.begin()), std::make_move_iterator(children.end()));
  SyncLows();
  if (partition_gauge_ != nullptr) partition_gauge_->Set(static_cast<double>(partitions_.size()));
}

void CapacityModel::EnsurePartitions(int64_t target, sim::Time now) {
  bool grew = false;
  while (static_cast<int64_t>(partitions_.size()) < target) {
    // Halve the widest range (first one on ties): data and load are spread
    // by hash, so the widest range holds the most of both.
    size_t widest = 0;
    for (size_t i = 1; i < partitions_.size(); ++i) {
      if (partitions_[i].hi - partitions_[i].lo > partitions_[widest].hi - partitions_[widest].lo) widest = i;
    }
    const Partition& p = partitions_[widest];
    if (p.hi == p.lo) break;  // 2^64 partitions: not reachable
    const uint64_t mid = p.lo + (p.hi - p.lo) / 2;
    SplitAt(widest, {{p.lo, mid}, {mid + 1, p.hi}}, false, now);
    grew = true;
  }
  if (grew) RebuildLegacyBuckets(now);
}

bool CapacityModel::RollWindow(Partition& p, int64_t window) {
  if (window <= p.window) return false;
  bool split = false;
  const bool hot = p.window_demand * 100 >= int64_t{config_.heat_threshold_percent} * HardCapRateMilli() ||
                   p.window_cap_throttles > 0;
  if (p.heat_gauge != nullptr) {
    const double demand = static_cast<double>(p.window_demand) / 1000.0;
    p.heat_gauge->Set(demand);
    if (window != p.window + 1) p.heat_gauge->Set(0.0);  // idle seconds since
    if (p.heat != nullptr && p.window_demand > 0) p.heat->Append(sim::Time::Zero() + sim::Seconds(p.window), demand);
  }
  if (hot && window == p.window + 1) {
    if (p.streak_start < 0) p.streak_start = p.window;
    split = p.window - p.streak_start + 1 >= config_.isolation_after.WholeSeconds();
  } else {
    // A cool second, or idle seconds in between, end the streak.
    p.streak_start = -1;
    p.top.Clear();
  }
  p.window = window;
  p.window_demand = 0;
  p.window_cap_throttles = 0;
  return split && config_.policy == PartitionPolicy::kAdaptive;
}

void CapacityModel::SplitForHeat(size_t index, sim::Time now) {
  Partition& p = partitions_[index];
  if (p.lo == p.hi) {
    // One hash, one key: nothing left to split; the key stays at the cap.
    p.streak_start = -1;
    p.top.Clear();
    return;
  }
  const int top = p.top.Top();
  if (top >= 0 && p.top.count[top] * 2 >= p.top.total) {
    // Isolate the dominant key on its own partition.
    const uint64_t h = p.top.hash[top];
    std::vector<std::pair<uint64_t, uint64_t>> ranges;
    if (h > p.lo) ranges.emplace_back(p.lo, h - 1);
    ranges.emplace_back(h, h);
    if (h < p.hi) ranges.emplace_back(h + 1, p.hi);
    SplitAt(index, std::move(ranges), true, now);
  } else {
    const uint64_t mid = p.lo + (p.hi - p.lo) / 2;
    SplitAt(index, {{p.lo, mid}, {mid + 1, p.hi}}, false, now);
  }
  if (isolations_ != nullptr) isolations_->Add();
}

size_t CapacityModel::Locate(uint64_t hash, sim::Time now) {
  const int64_t window = WindowOf(now);
  size_t index = Find(hash);
  if (RollWindow(partitions_[index], window)) {
    SplitForHeat(index, now);
    index = Find(hash);
  }
  return index;
}

// ---- table-level windows ------------------------------------------------------

void CapacityModel::RollTable(sim::Time now) {
  const int64_t window = WindowOf(now);
  if (window != table_window_) {
    if (table_window_ >= 0 && read_series_ != nullptr) {
      const sim::Time t = sim::Time::Zero() + sim::Seconds(table_window_);
      if (window_read_milli_ > 0) read_series_->Append(t, static_cast<double>(window_read_milli_) / 1000.0);
      if (window_write_milli_ > 0) write_series_->Append(t, static_cast<double>(window_write_milli_) / 1000.0);
    }
    table_window_ = window;
    window_read_milli_ = 0;
    window_write_milli_ = 0;
  }
  if (config_.billing_mode != BillingMode::kPayPerRequest) return;
  const int64_t sample_ns = config_.peak_sample.nanos();
  const int64_t sample = now.nanos() / sample_ns;
  if (sample == sample_index_) return;
  const auto keep = static_cast<size_t>(config_.peak_sustain / config_.peak_sample);
  // The closed sample's average per second, then zeros for idle samples.
  const sim::Uint128 scaled = static_cast<sim::Uint128>(sample_admitted_) * kNanosPerSecond;
  samples_.push_back(static_cast<int64_t>(scaled / static_cast<sim::Uint128>(sample_ns)));
  const int64_t idle = std::min<int64_t>(sample - sample_index_ - 1, static_cast<int64_t>(keep));
  for (int64_t i = 0; i < idle; ++i) samples_.push_back(0);
  while (samples_.size() > keep) samples_.pop_front();
  sample_index_ = sample;
  sample_admitted_ = 0;
  if (samples_.size() == keep) {
    // A level held for the whole sustain window becomes the previous peak.
    const int64_t sustained = *std::min_element(samples_.begin(), samples_.end());
    if (sustained > peak_milli_) {
      peak_milli_ = sustained;
      OnPeakChanged(now);
    }
  }
}

// ---- admission ----------------------------------------------------------------

sim::Status CapacityModel::ConsumeRead(std::string_view partition_key, CapacityUnits units, sim::Time now) {
  const KeyedCapacity request{partition_key, units, false};
  return Consume(std::span<const KeyedCapacity>(&request, 1), now);
}

sim::Status CapacityModel::ConsumeWrite(std::string_view partition_key, CapacityUnits units, sim::Time now) {
  const KeyedCapacity request{partition_key, units, true};
  return Consume(std::span<const KeyedCapacity>(&request, 1), now);
}

sim::Status CapacityModel::ConsumeAll(std::span<const KeyedCapacity> requests, sim::Time now) {
  return Consume(requests, now);
}

sim::Status CapacityModel::Throttle(ThrottleReason reason, bool write, int64_t partition_index, sim::Time now) {
  (void)now;
  ++throttled_requests_;
  last_throttle_reason_ = reason;
  if (partition_index >= 0) ++partitions_[static_cast<size_t>(partition_index)].window_cap_throttles;
  if (throttled_ != nullptr) {
    throttled_->Add();
    (write ? write_throttles_ : read_throttles_)->Add();
  }
  const std::string tag = " (ThrottlingReason: " + ThrottleReasonName(reason, write, config_.is_index) + ")";
  switch (reason) {
    case ThrottleReason::kMaxOnDemandThroughputExceeded:
      return AwsError(capacity_errors::kThrottlingException, std::string(kMaxOnDemandMessage) + tag);
    case ThrottleReason::kAccountLimitExceeded:
      return AwsError(capacity_errors::kRequestLimitExceeded, std::string(kAccountLimitMessage) + tag);
    case ThrottleReason::kProvisionedThroughputExceeded:
      return AwsError(capacity_errors::kProvisionedThroughputExceededException, std::string(kProvisionedMessage) + tag);
    case ThrottleReason::kKeyRangeThroughputExceeded:
    case ThrottleReason::kNone:
      break;
  }
  return AwsError(capacity_errors::kProvisionedThroughputExceededException, std::string(kKeyRangeMessage) + tag);
}

sim::Status CapacityModel::Consume(std::span<const KeyedCapacity> requests, sim::Time now) {
  RollTable(now);
  // Per-partition demand of this request (few entries: a linear search).
  struct Entry {
    size_t index;
    int64_t read_equivalent;
    int64_t read;
    int64_t write;
  };
  Entry single{};
  std::vector<Entry> many;
  std::span<Entry> entries;
  int64_t read_total = 0;
  int64_t write_total = 0;
  const int64_t weight = WriteWeight();
  // Locating may split a partition for heat; find every key first, then
  // take indices (splits shift them).
  std::vector<uint64_t> hashes_many;
  uint64_t hash_single = 0;
  std::span<uint64_t> hashes;
  if (requests.size() == 1) {
    hash_single = HashKey(requests[0].partition_key);
    hashes = std::span<uint64_t>(&hash_single, 1);
  } else {
    hashes_many.reserve(requests.size());
    for (const KeyedCapacity& r : requests) hashes_many.push_back(HashKey(r.partition_key));
    hashes = hashes_many;
  }
  size_t located = 0;
  for (uint64_t h : hashes) located = Locate(h, now);
  for (size_t i = 0; i < requests.size(); ++i) {
    const KeyedCapacity& r = requests[i];
    SIM_CHECK_MSG(r.units.milli() >= 0, "negative capacity units " << r.units.milli());
    const size_t index = requests.size() == 1 ? located : Find(hashes[i]);
    const int64_t units = r.units.milli();
    const int64_t req = r.write ? units * weight : units;
    (r.write ? write_total : read_total) += units;
    Partition& p = partitions_[index];
    p.window_demand += req;
    // Which key is hot matters only on a warm partition: skip the tally otherwise.
    if (p.streak_start >= 0 || p.window_demand * 100 >= int64_t{config_.heat_threshold_percent} * HardCapRateMilli()) {
      p.top.Add(hashes[i], req);
    }
    Entry* e = nullptr;
    if (requests.size() == 1) {
      single = Entry{index, 0, 0, 0};
      e = &single;
    } else {
      for (Entry& x : many) {
        if (x.index == index) e = &x;
      }
      if (e == nullptr) {
        many.push_back(Entry{index, 0, 0, 0});
        e = &many.back();
      }
    }
    e->read_equivalent += req;
    (r.write ? e->write : e->read) += units;
  }
  entries = requests.size() == 1 ? std::span<Entry>(&single, 1) : std::span<Entry>(many);
  if (requests.empty()) return sim::Status();

  // Table-level limits first (they name the table), then the partitions.
  if (config_.billing_mode == BillingMode::kProvisioned) {
    if (Legacy()) {
      for (const Entry& e : entries) {
        Partition& p = partitions_[e.index];
        p.legacy_read.Refill(now);
        p.legacy_write.Refill(now);
        if (e.read > 0 && !p.legacy_read.CanTake(e.read)) {
          return Throttle(ThrottleReason::kProvisionedThroughputExceeded, false, -1, now);
        }
        if (e.write > 0 && !p.legacy_write.CanTake(e.write)) {
          return Throttle(ThrottleReason::kProvisionedThroughputExceeded, true, -1, now);
        }
      }
    } else {
      if (read_total > 0) table_read_.Refill(now);
      if (write_total > 0) table_write_.Refill(now);
      if (read_total > 0 && !table_read_.CanTake(read_total)) {
        return Throttle(ThrottleReason::kProvisionedThroughputExceeded, false, -1, now);
      }
      if (write_total > 0 && !table_write_.CanTake(write_total)) {
        return Throttle(ThrottleReason::kProvisionedThroughputExceeded, true, -1, now);
      }
    }
  } else {
    if (read_total > 0) max_read_.Refill(now);
    if (write_total > 0) max_write_.Refill(now);
    const auto max_reason = [](int64_t configured, int64_t account) {
      return configured > 0 && configured <= account ? ThrottleReason::kMaxOnDemandThroughputExceeded
                                                     : ThrottleReason::kAccountLimitExceeded;
    };
    if (read_total > 0 && !max_read_.CanTake(read_total)) {
      return Throttle(max_reason(config_.max_read_request_units, config_.account_table_max_read_units), false, -1, now);
    }
    if (write_total > 0 && !max_write_.CanTake(write_total)) {
      return Throttle(max_reason(config_.max_write_request_units, config_.account_table_max_write_units), true, -1,
                      now);
    }
  }
  for (const Entry& e : entries) {
    Partition& p = partitions_[e.index];
    p.hard_cap.Refill(now);
    if (!p.hard_cap.CanTake(e.read_equivalent)) {
      return Throttle(ThrottleReason::kKeyRangeThroughputExceeded, e.write > 0, static_cast<int64_t>(e.index), now);
    }
  }
  const int64_t total_equivalent = read_total + write_total * weight;
  if (config_.billing_mode == BillingMode::kPayPerRequest) {
    peak_allowance_.Refill(now);
    if (!peak_allowance_.CanTake(total_equivalent)) {
      return Throttle(ThrottleReason::kKeyRangeThroughputExceeded, write_total > 0, -1, now);
    }
  }

  // Admitted: take from every level.
  for (const Entry& e : entries) {
    Partition& p = partitions_[e.index];
    p.hard_cap.Take(e.read_equivalent);
    if (Legacy()) {
      p.legacy_read.Take(e.read);
      p.legacy_write.Take(e.write);
    }
  }
  if (config_.billing_mode == BillingMode::kProvisioned) {
    if (!Legacy()) {
      table_read_.Take(read_total);
      table_write_.Take(write_total);
    }
  } else {
    max_read_.Take(read_total);
    max_write_.Take(write_total);
    peak_allowance_.Take(total_equivalent);
    sample_admitted_ += total_equivalent;
  }
  window_read_milli_ += read_total;
  window_write_milli_ += write_total;
  if (consumed_read_ != nullptr) {
    consumed_read_->Add(read_total);
    consumed_write_->Add(write_total);
  }
  return sim::Status();
}

// ---- UpdateTable and size -------------------------------------------------------

void CapacityModel::UpdateProvisionedThroughput(int64_t read_capacity_units, int64_t write_capacity_units,
                                                sim::Time now) {
  SIM_CHECK(read_capacity_units >= 1 && write_capacity_units >= 1);
  config_.read_capacity_units = read_capacity_units;
  config_.write_capacity_units = write_capacity_units;
  if (config_.billing_mode != BillingMode::kProvisioned) return;
  max_rcu_ever_ = std::max(max_rcu_ever_, read_capacity_units);
  max_wcu_ever_ = std::max(max_wcu_ever_, write_capacity_units);
  RebuildTableBuckets(now, /*keep_tokens=*/true);
  EnsurePartitions(TargetPartitions(), now);
  RebuildLegacyBuckets(now);
}

void CapacityModel::UpdateBillingMode(BillingMode mode, sim::Time now) {
  if (mode == config_.billing_mode) return;
  RollTable(now);
  config_.billing_mode = mode;
  if (mode == BillingMode::kPayPerRequest) {
    // Half the highest provisioned RCU and WCU, or the new-table peak.
    const int64_t from_provisioned = (max_rcu_ever_ + max_wcu_ever_ * WriteWeight()) * 1000 / 2;
    peak_milli_ = std::max({peak_milli_, config_.initial_peak_read_equivalent * 1000, from_provisioned});
    samples_.clear();
    sample_index_ = now.nanos() / config_.peak_sample.nanos();
    sample_admitted_ = 0;
    OnPeakChanged(now);
  } else {
    SIM_CHECK(config_.read_capacity_units >= 1 && config_.write_capacity_units >= 1);
    max_rcu_ever_ = std::max(max_rcu_ever_, config_.read_capacity_units);
    max_wcu_ever_ = std::max(max_wcu_ever_, config_.write_capacity_units);
    RebuildTableBuckets(now, /*keep_tokens=*/false);
    EnsurePartitions(TargetPartitions(), now);
    for (Partition& p : partitions_) p.legacy_read = p.legacy_write = CapacityBucket();
    RebuildLegacyBuckets(now);
  }
}

void CapacityModel::UpdateOnDemandThroughput(int64_t max_read_request_units, int64_t max_write_request_units,
                                             sim::Time now) {
  config_.max_read_request_units = max_read_request_units;
  config_.max_write_request_units = max_write_request_units;
  if (config_.billing_mode == BillingMode::kPayPerRequest) OnPeakChanged(now);
}

void CapacityModel::OnSizeChanged(int64_t table_bytes, sim::Time now) {
  table_bytes_ = std::max<int64_t>(0, table_bytes);
  EnsurePartitions(TargetPartitions(), now);
}

int64_t CapacityModel::ReadBurstBalanceMilli(sim::Time now) {
  table_read_.Refill(now);
  return table_read_.tokens();
}

int64_t CapacityModel::WriteBurstBalanceMilli(sim::Time now) {
  table_write_.Refill(now);
  return table_write_.tokens();
}

}  // namespace emu::dynamodb
