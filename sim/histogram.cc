#include "sim/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

#include "sim/check.h"

namespace sim {

std::size_t Histogram::BucketIndex(int64_t value) {
  const uint64_t v = static_cast<uint64_t>(value);
  if (v < static_cast<uint64_t>(kSubBuckets)) return static_cast<std::size_t>(v);
  const int e = 63 - std::countl_zero(v);  // floor(log2 v) >= kSubBucketBits
  const int shift = e - kSubBucketBits;
  const uint64_t sub = v >> shift;  // in [64, 128)
  return static_cast<std::size_t>((shift + 1) * kSubBuckets + static_cast<int64_t>(sub) - kSubBuckets);
}

int64_t Histogram::BucketLow(std::size_t index) {
  const int64_t i = static_cast<int64_t>(index);
  if (i < kSubBuckets) return i;
  const int64_t shift = i / kSubBuckets - 1;
  const int64_t sub = i % kSubBuckets + kSubBuckets;
  return sub << shift;
}

int64_t Histogram::BucketHigh(std::size_t index) {
  const int64_t i = static_cast<int64_t>(index);
  if (i < kSubBuckets) return i;
  const int64_t shift = i / kSubBuckets - 1;
  // Parenthesised: for the top bucket, low + 2^shift alone would overflow int64.
  return BucketLow(index) + ((int64_t{1} << shift) - 1);
}

void Histogram::Record(int64_t value, uint64_t count) {
  SIM_CHECK_MSG(value >= 0, "histograms take non-negative values, got " << value);
  if (count == 0) return;
  const std::size_t i = BucketIndex(value);
  if (i >= buckets_.size()) buckets_.resize(i + 1, 0);
  buckets_[i] += count;
  if (count_ == 0 || value < min_) min_ = value;
  if (count_ == 0 || value > max_) max_ = value;
  count_ += count;
  sum_ += static_cast<double>(value) * static_cast<double>(count);
}

void Histogram::Merge(const Histogram& o) {
  if (o.count_ == 0) return;
  if (o.buckets_.size() > buckets_.size()) buckets_.resize(o.buckets_.size(), 0);
  for (std::size_t i = 0; i < o.buckets_.size(); ++i) buckets_[i] += o.buckets_[i];
  min_ = count_ ? std::min(min_, o.min_) : o.min_;
  max_ = count_ ? std::max(max_, o.max_) : o.max_;
  count_ += o.count_;
  sum_ += o.sum_;
}

int64_t Histogram::Quantile(double q) const {
  if (count_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  uint64_t rank = static_cast<uint64_t>(std::ceil(q * static_cast<double>(count_)));
  if (rank == 0) rank = 1;
  uint64_t seen = 0;
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen >= rank) {
      const int64_t lo = BucketLow(i), hi = BucketHigh(i);
      const int64_t mid = lo + (hi - lo) / 2;
      return std::clamp(mid, min_, max_);
    }
  }
  return max_;
}

}  // namespace sim
