#include "sim/histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "sim/check.h"
#include "sim/distributions.h"
#include "sim/rng.h"

namespace sim {
namespace {

constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

// The value Quantile(q) is defined to approximate: the smallest recorded
// value whose rank is >= ceil(q * count).
int64_t ExactQuantile(const std::vector<int64_t>& sorted, double q) {
  uint64_t rank = static_cast<uint64_t>(std::ceil(q * static_cast<double>(sorted.size())));
  if (rank == 0) rank = 1;
  return sorted[rank - 1];
}

// Lognormal values spanning about ten orders of magnitude (1 .. 10^10).
std::vector<int64_t> WideLognormalValues(uint64_t seed, int n) {
  const LogNormalDist dist{std::log(1e5), 3.0};
  Rng rng(seed);
  std::vector<int64_t> v;
  v.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) v.push_back(static_cast<int64_t>(std::min(dist.Sample(rng), 1e15)));
  return v;
}

TEST(Histogram, EmptyReportsZeros) {
  const Histogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.max(), 0);
  EXPECT_EQ(h.sum(), 0.0);
  EXPECT_EQ(h.mean(), 0.0);
  EXPECT_EQ(h.P50(), 0);
  EXPECT_EQ(h.Quantile(1.0), 0);
}

TEST(Histogram, CountMinMaxSumMeanAreExact) {
  Histogram h;
  h.Record(1000);
  h.Record(5);
  h.Record(123'456'789);
  h.Record(77, 3);
  EXPECT_EQ(h.count(), 6u);
  EXPECT_EQ(h.min(), 5);
  EXPECT_EQ(h.max(), 123'456'789);
  EXPECT_EQ(h.sum(), 1000.0 + 5 + 123'456'789 + 3 * 77);
  EXPECT_EQ(h.mean(), (1000.0 + 5 + 123'456'789 + 3 * 77) / 6);
}

TEST(Histogram, ValuesBelow64AreExact) {
  Histogram h;
  for (int64_t v = 0; v < 64; ++v) h.Record(v, static_cast<uint64_t>(v + 1));  // v recorded v+1 times
  std::vector<int64_t> sorted;
  for (int64_t v = 0; v < 64; ++v) sorted.insert(sorted.end(), static_cast<std::size_t>(v + 1), v);
  for (int i = 0; i <= 1000; ++i) {
    const double q = i / 1000.0;
    ASSERT_EQ(h.Quantile(q), ExactQuantile(sorted, q)) << "q=" << q;
  }
}

TEST(Histogram, EachSmallValueHasItsOwnBucket) {
  for (int64_t v = 0; v < Histogram::kSubBuckets; ++v) {
    EXPECT_EQ(Histogram::BucketIndex(v), static_cast<std::size_t>(v));
    EXPECT_EQ(Histogram::BucketLow(static_cast<std::size_t>(v)), v);
    EXPECT_EQ(Histogram::BucketHigh(static_cast<std::size_t>(v)), v);
  }
}

TEST(Histogram, SingleValueQuantilesAreThatValue) {
  Histogram h;
  h.Record(1'234'567);
  EXPECT_EQ(h.P50(), 1'234'567);  // bucket midpoint clamped to min == max
  EXPECT_EQ(h.P999(), 1'234'567);
  EXPECT_EQ(h.Quantile(0), 1'234'567);
}

TEST(Histogram, PercentilesWithinOnePercentOfExactSort) {
  constexpr int kN = 200'000;
  std::vector<int64_t> values = WideLognormalValues(42, kN);
  Histogram h;
  for (int64_t v : values) h.Record(v);
  std::sort(values.begin(), values.end());
  ASSERT_LT(values.front(), 64);               // the exact range is exercised
  ASSERT_GT(values.back(), int64_t{1} << 33);  // and many octaves above it

  for (double q : {0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 0.9999, 1.0}) {
    const double exact = static_cast<double>(ExactQuantile(values, q));
    const double got = static_cast<double>(h.Quantile(q));
    EXPECT_LE(std::fabs(got - exact), 0.01 * exact) << "q=" << q << " exact=" << exact << " got=" << got;
  }
  EXPECT_EQ(h.min(), values.front());
  EXPECT_EQ(h.max(), values.back());
  EXPECT_EQ(h.count(), static_cast<uint64_t>(kN));
}

TEST(Histogram, NamedPercentilesAreQuantiles) {
  std::vector<int64_t> values = WideLognormalValues(7, 50'000);
  Histogram h;
  for (int64_t v : values) h.Record(v);
  EXPECT_EQ(h.P50(), h.Quantile(0.5));
  EXPECT_EQ(h.P90(), h.Quantile(0.9));
  EXPECT_EQ(h.P99(), h.Quantile(0.99));
  EXPECT_EQ(h.P999(), h.Quantile(0.999));
  std::sort(values.begin(), values.end());
  EXPECT_LE(std::fabs(static_cast<double>(h.P90() - ExactQuantile(values, 0.9))),
            0.01 * static_cast<double>(ExactQuantile(values, 0.9)));
}

TEST(Histogram, QuantileClampsOutOfRangeQ) {
  Histogram h;
  for (int64_t v = 1; v <= 10; ++v) h.Record(v);
  EXPECT_EQ(h.Quantile(-1.0), 1);
  EXPECT_EQ(h.Quantile(2.0), 10);
}

TEST(Histogram, RecordWithCountEqualsRepeatedRecord) {
  Histogram a, b;
  a.Record(5'000, 4);
  a.Record(17, 0);  // a zero count records nothing
  for (int i = 0; i < 4; ++i) b.Record(5'000);
  EXPECT_EQ(a.count(), b.count());
  EXPECT_EQ(a.min(), 5'000);
  EXPECT_EQ(a.sum(), b.sum());
  EXPECT_EQ(a.P50(), b.P50());
}

void ExpectSameHistogram(const Histogram& a, const Histogram& b) {
  EXPECT_EQ(a.count(), b.count());
  EXPECT_EQ(a.min(), b.min());
  EXPECT_EQ(a.max(), b.max());
  EXPECT_EQ(a.sum(), b.sum());
  for (int i = 0; i <= 10'000; ++i) ASSERT_EQ(a.Quantile(i / 10'000.0), b.Quantile(i / 10'000.0)) << "q=" << i;
}

TEST(Histogram, MergeEqualsRecordingIntoOne) {
  // Integer-valued inputs below 2^53 so the double sums are exact in any order.
  const std::vector<int64_t> low = WideLognormalValues(1, 30'000);
  std::vector<int64_t> high = WideLognormalValues(2, 20'000);
  for (int64_t& v : high) v = v * 3 + 1'000'000;  // a different range and a larger max
  Histogram a, b, together;
  for (int64_t v : low) {
    a.Record(v);
    together.Record(v);
  }
  for (int64_t v : high) {
    b.Record(v);
    together.Record(v);
  }
  Histogram merged_ab = a;
  merged_ab.Merge(b);
  ExpectSameHistogram(merged_ab, together);
  Histogram merged_ba = b;  // the shorter bucket vector grows
  merged_ba.Merge(a);
  ExpectSameHistogram(merged_ba, together);
}

TEST(Histogram, MergeWithEmpty) {
  Histogram h;
  h.Record(10);
  h.Record(1'000'000);
  Histogram empty;
  Histogram h_copy = h;
  h_copy.Merge(empty);
  ExpectSameHistogram(h_copy, h);
  empty.Merge(h);
  ExpectSameHistogram(empty, h);
  EXPECT_EQ(empty.min(), 10);  // not the empty histogram's 0
}

TEST(Histogram, ClearForgetsEverything) {
  Histogram h;
  h.Record(99);
  h.Record(1 << 20);
  h.Clear();
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.max(), 0);
  EXPECT_EQ(h.P50(), 0);
  h.Record(3);
  EXPECT_EQ(h.min(), 3);
  EXPECT_EQ(h.max(), 3);
  EXPECT_EQ(h.P50(), 3);
}

TEST(Histogram, NegativeValueIsInvariantViolation) {
  Histogram h;
  EXPECT_THROW(h.Record(-1), InvariantViolation);
  EXPECT_EQ(h.count(), 0u);
}

TEST(Histogram, BucketsTileTheValueRange) {
  const std::size_t last = Histogram::BucketIndex(kInt64Max);
  EXPECT_EQ(Histogram::BucketLow(0), 0);
  for (std::size_t i = 0; i <= last; ++i) {
    const int64_t lo = Histogram::BucketLow(i), hi = Histogram::BucketHigh(i);
    ASSERT_LE(lo, hi) << i;
    ASSERT_EQ(Histogram::BucketIndex(lo), i);
    ASSERT_EQ(Histogram::BucketIndex(hi), i);
    if (i < last) {
      ASSERT_EQ(hi + 1, Histogram::BucketLow(i + 1)) << i;
    }
    // Width at most 1/64 of the bucket's low end: the source of the 1% bound.
    if (lo >= Histogram::kSubBuckets) {
      ASSERT_LE(hi - lo + 1, lo / Histogram::kSubBuckets) << i;
    }
  }
  EXPECT_EQ(Histogram::BucketHigh(last), kInt64Max);
}

TEST(Histogram, BucketIndexRoundTripsValues) {
  Rng rng(3);
  std::vector<int64_t> values;
  for (int64_t v = 0; v < 100'000; ++v) values.push_back(v);
  for (int b = 6; b < 63; ++b) {
    const int64_t p = int64_t{1} << b;
    values.insert(values.end(), {p - 1, p, p + 1});
  }
  for (int i = 0; i < 100'000; ++i) values.push_back(static_cast<int64_t>(rng.NextU64() >> (1 + i % 63)));
  values.push_back(kInt64Max);
  for (int64_t v : values) {
    const std::size_t i = Histogram::BucketIndex(v);
    ASSERT_LE(Histogram::BucketLow(i), v) << v;
    ASSERT_GE(Histogram::BucketHigh(i), v) << v;
  }
}

TEST(Histogram, LargestValuesAreRecordable) {
  Histogram h;
  h.Record(kInt64Max);
  h.Record(kInt64Max - 1);
  EXPECT_EQ(h.max(), kInt64Max);
  EXPECT_EQ(h.min(), kInt64Max - 1);
  // Both share the top bucket, whose midpoint is below min: clamped.
  EXPECT_EQ(h.Quantile(1.0), kInt64Max - 1);
  EXPECT_EQ(h.P50(), kInt64Max - 1);
}

}  // namespace
}  // namespace sim
