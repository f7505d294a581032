#include "emulators/s3/s3_partitions.h"

#include <algorithm>
#include <cmath>

#include "emulators/s3/s3_errors.h"
#include "sim/check.h"

namespace emu::s3 {

namespace {

// One request, in token units (fractional rates stay exact to 1e-9).
constexpr int64_t kUnit = 1'000'000'000;
constexpr int64_t kNanosPerMinute = 60'000'000'000;

int64_t MilliRate(double per_second) { return std::llround(per_second * 1000.0); }

}  // namespace

bool BucketPartitions::TokenBucket::Take(sim::Time now) {
  const int64_t elapsed = (now - last).nanos();
  last = now;
  if (elapsed > 0 && tokens < capacity && rate > 0) {
    // rate is in requests per 1,000 s: units per ns = rate / 1000. Beyond
    // the time that fills the bucket, waiting adds nothing (and the
    // product stays far from overflow).
    const int64_t to_fill = ((capacity - tokens) * 1000 + rate - 1) / rate;
    tokens = std::min(capacity, tokens + rate * std::min(elapsed, to_fill) / 1000);
  }
  if (tokens < kUnit) return false;
  tokens -= kUnit;
  return true;
}

BucketPartitions::BucketPartitions(std::string bucket, PartitionSettings settings,
                                   std::vector<std::string> split_points, sim::MetricsRegistry& metrics, sim::Rng rng,
                                   sim::Time now)
    : bucket_(std::move(bucket)),
      settings_(settings),
      rng_(rng),
      admitted_(&metrics.GetCounter("s3." + bucket_ + ".requests_admitted")),
      slowdowns_(&metrics.GetCounter("s3." + bucket_ + ".slowdowns")),
      count_series_(&metrics.GetTimeSeries("s3." + bucket_ + ".partitions")) {
  SIM_CHECK(settings_.key_sample_size >= 1);
  std::sort(split_points.begin(), split_points.end());
  split_points.erase(std::unique(split_points.begin(), split_points.end()), split_points.end());
  std::erase(split_points, std::string());
  // Partition i covers [split_points[i-1], split_points[i]).
  std::string first;
  for (std::string& point : split_points) {
    partitions_.emplace(first, NewPartition(point, now));
    first = std::move(point);
  }
  partitions_.emplace(first, NewPartition("", now));
  RecordCount(now);
}

BucketPartitions::Partition BucketPartitions::NewPartition(std::string end_key, sim::Time now) const {
  Partition p;
  p.end_key = std::move(end_key);
  const auto bucket = [&](double rate) {
    TokenBucket b;
    b.rate = MilliRate(rate);
    b.capacity = static_cast<int64_t>(std::llround(rate * settings_.burst_seconds)) * kUnit;
    b.capacity = std::max(b.capacity, kUnit);  // at least one request
    b.tokens = b.capacity;
    b.last = now;
    return b;
  };
  p.read = bucket(settings_.read_rate);
  p.write = bucket(settings_.write_rate);
  return p;
}

std::map<std::string, BucketPartitions::Partition, std::less<>>::iterator BucketPartitions::Find(
    std::string_view key) {
  auto it = partitions_.upper_bound(key);  // the first partition starting after key
  SIM_CHECK(it != partitions_.begin());     // the first partition starts at ""
  return std::prev(it);
}

bool BucketPartitions::RollMinutes(Partition& p, int64_t minute) {
  if (p.minute == minute) return false;
  if (p.minute >= 0) {
    const double minute_reads = settings_.read_rate * 60.0 * settings_.hot_fraction;
    const double minute_writes = settings_.write_rate * 60.0 * settings_.hot_fraction;
    const bool hot = static_cast<double>(p.read_demand) >= minute_reads ||
                     static_cast<double>(p.write_demand) >= minute_writes;
    // A gap of idle minutes ends any streak.
    p.hot_minutes = hot && minute == p.minute + 1 ? p.hot_minutes + 1 : 0;
    if (p.hot_minutes == 0) {  // the keys of a cold minute say nothing about the next streak
      p.sample.clear();
      p.sampled = 0;
    }
  }
  p.minute = minute;
  p.read_demand = 0;
  p.write_demand = 0;
  return sim::Seconds(60) * p.hot_minutes >= settings_.split_after && p.hot_minutes > 0;
}

void BucketPartitions::Sample(Partition& p, std::string_view key) {
  ++p.sampled;
  const auto k = static_cast<std::size_t>(settings_.key_sample_size);
  if (p.sample.size() < k) {
    p.sample.emplace_back(key);
    return;
  }
  const uint64_t j = rng_.NextU64() % static_cast<uint64_t>(p.sampled);
  if (j < k) p.sample[j].assign(key);
}

sim::Status BucketPartitions::Admit(std::string_view key, RequestClass cls, sim::Time now) {
  if (!settings_.enabled) return sim::OkStatus();
  auto it = Find(key);
  if (RollMinutes(it->second, now.nanos() / kNanosPerMinute)) {
    MaybeSplit(it, now);
    it = Find(key);
  }
  Partition& p = it->second;
  (cls == RequestClass::kRead ? p.read_demand : p.write_demand) += 1;
  Sample(p, key);
  TokenBucket& bucket = cls == RequestClass::kRead ? p.read : p.write;
  if (!bucket.Take(now)) {
    ++p.refused;
    slowdowns_->Add();
    return AwsError(errors::kSlowDown, "Please reduce your request rate.");
  }
  ++p.admitted;
  admitted_->Add();
  return sim::OkStatus();
}

void BucketPartitions::MaybeSplit(std::map<std::string, Partition, std::less<>>::iterator it, sim::Time now) {
  Partition& p = it->second;
  const std::string first_key = it->first;
  std::vector<std::string> keys = std::move(p.sample);
  p.sample.clear();
  p.sampled = 0;
  p.hot_minutes = 0;
  if (static_cast<int>(partitions_.size()) >= settings_.max_partitions || keys.empty()) return;
  std::sort(keys.begin(), keys.end());
  // The median key starts the upper half; if the lower half is all that one
  // key, the next larger key does.
  std::string boundary = keys[keys.size() / 2];
  if (boundary == keys.front()) {
    auto next = std::upper_bound(keys.begin(), keys.end(), keys.front());
    if (next == keys.end()) return;  // one hot key: nothing to split
    boundary = *next;
  }
  if (boundary <= first_key) return;
  Partition upper = NewPartition(p.end_key, now);
  upper.minute = p.minute;
  Partition lower = NewPartition(boundary, now);
  lower.minute = p.minute;
  partitions_.erase(it);
  partitions_.emplace(first_key, std::move(lower));
  partitions_.emplace(std::move(boundary), std::move(upper));
  RecordCount(now);
}

void BucketPartitions::RecordCount(sim::Time now) {
  count_series_->Append(now, static_cast<double>(partitions_.size()));
}

std::vector<PartitionInfo> BucketPartitions::Partitions() const {
  std::vector<PartitionInfo> out;
  out.reserve(partitions_.size());
  for (const auto& [first, p] : partitions_) {
    out.push_back({first, p.end_key, p.admitted, p.refused, p.hot_minutes});
  }
  return out;
}

}  // namespace emu::s3
