#pragma once

// A log-linear histogram of non-negative integers (HdrHistogram's layout):
// values below 64 are exact; above, each power of two is split into 64
// equal buckets, so a reported percentile (the bucket midpoint, clamped to
// the observed min/max) is within 1/128 < 1% of the true value. Buckets are
// allocated up to the largest value seen; merging adds bucket counts.

#include <cstdint>
#include <vector>

namespace sim {

class Histogram {
 public:
  static constexpr int kSubBucketBits = 6;
  static constexpr int64_t kSubBuckets = int64_t{1} << kSubBucketBits;

  void Record(int64_t value, uint64_t count = 1);
  void Merge(const Histogram& other);
  void Clear() { *this = Histogram(); }

  uint64_t count() const { return count_; }
  int64_t min() const { return count_ ? min_ : 0; }
  int64_t max() const { return count_ ? max_ : 0; }
  // Exact sum, as a double to avoid overflow on long runs.
  double sum() const { return sum_; }
  double mean() const { return count_ ? sum_ / static_cast<double>(count_) : 0; }
  // q in [0, 1]; the smallest recorded value v with rank >= ceil(q * count).
  int64_t Quantile(double q) const;
  int64_t P50() const { return Quantile(0.50); }
  int64_t P90() const { return Quantile(0.90); }
  int64_t P99() const { return Quantile(0.99); }
  int64_t P999() const { return Quantile(0.999); }

  static std::size_t BucketIndex(int64_t value);
  static int64_t BucketLow(std::size_t index);
  static int64_t BucketHigh(std::size_t index);  // inclusive

 private:
  std::vector<uint64_t> buckets_;
  uint64_t count_ = 0;
  int64_t min_ = 0;
  int64_t max_ = 0;
  double sum_ = 0;
};

}  // namespace sim
