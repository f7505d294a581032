#include "sim/rng.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "sim/fingerprint.h"

namespace sim {
namespace {

std::vector<uint64_t> Draw(Rng rng, int n) {
  std::vector<uint64_t> out;
  for (int i = 0; i < n; ++i) out.push_back(rng.NextU64());
  return out;
}

// Pearson correlation of two uniform streams.
double Correlation(Rng a, Rng b, int n) {
  double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  for (int i = 0; i < n; ++i) {
    const double x = a.NextDouble(), y = b.NextDouble();
    sa += x;
    sb += y;
    saa += x * x;
    sbb += y * y;
    sab += x * y;
  }
  const double cov = sab / n - (sa / n) * (sb / n);
  const double va = saa / n - (sa / n) * (sa / n);
  const double vb = sbb / n - (sb / n) * (sb / n);
  return cov / std::sqrt(va * vb);
}

// Reference values from an independent Python implementation of SplitMix64
// and xoshiro256** (Vigna's reference algorithms).
TEST(Rng, SplitMix64MatchesReference) {
  uint64_t state = 0;
  EXPECT_EQ(SplitMix64(state), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(SplitMix64(state), 0x6e789e6aa1b965f4ULL);
  EXPECT_EQ(SplitMix64(state), 0x06c45d188009454fULL);
}

TEST(Rng, XoshiroMatchesReferenceForSeed0) {
  Rng rng(0);
  EXPECT_EQ(rng.NextU64(), 0x99ec5f36cb75f2b4ULL);
  EXPECT_EQ(rng.NextU64(), 0xbf6e1f784956452aULL);
  EXPECT_EQ(rng.NextU64(), 0x1a5f849d4933e6e0ULL);
  EXPECT_EQ(rng.NextU64(), 0x6aa594f1262d2d2cULL);
}

TEST(Rng, XoshiroMatchesReferenceForSeed42) {
  Rng rng(42);
  EXPECT_EQ(rng.NextU64(), 0x15780b2e0c2ec716ULL);
  EXPECT_EQ(rng.NextU64(), 0x6104d9866d113a7eULL);
  EXPECT_EQ(rng.NextU64(), 0xae17533239e499a1ULL);
  EXPECT_EQ(rng.NextU64(), 0xecb8ad4703b360a1ULL);
}

TEST(Rng, SameSeedGivesSameSequence) { EXPECT_EQ(Draw(Rng(12345), 1000), Draw(Rng(12345), 1000)); }

TEST(Rng, DifferentSeedsGiveDifferentSequences) {
  const std::vector<uint64_t> a = Draw(Rng(1), 1000);
  const std::vector<uint64_t> b = Draw(Rng(2), 1000);
  int equal = 0;
  for (int i = 0; i < 1000; ++i) equal += a[i] == b[i];
  EXPECT_EQ(equal, 0);
}

TEST(Rng, CopyContinuesTheSameSequence) {
  Rng a(9);
  a.NextU64();
  Rng b = a;
  EXPECT_EQ(Draw(a, 100), Draw(b, 100));
}

TEST(Rng, NextDoubleIsInUnitIntervalWithMeanOneHalf) {
  Rng rng(3);
  constexpr int kN = 1'000'000;
  double sum = 0, lo = 1, hi = 0;
  for (int i = 0; i < kN; ++i) {
    const double x = rng.NextDouble();
    ASSERT_GE(x, 0.0);
    ASSERT_LT(x, 1.0);
    sum += x;
    lo = std::min(lo, x);
    hi = std::max(hi, x);
  }
  // Standard error of the mean is sqrt(1/12/kN) = 2.9e-4; allow 5 of them.
  EXPECT_NEAR(sum / kN, 0.5, 0.0015);
  EXPECT_LT(lo, 1e-5);
  EXPECT_GT(hi, 1 - 1e-5);
}

TEST(Rng, NextDoubleOpenZeroIsInHalfOpenInterval) {
  Rng rng(4);
  double sum = 0;
  for (int i = 0; i < 100'000; ++i) {
    const double x = rng.NextDoubleOpenZero();
    ASSERT_GT(x, 0.0);
    ASSERT_LE(x, 1.0);
    sum += x;
  }
  EXPECT_NEAR(sum / 100'000, 0.5, 0.005);
}

TEST(Rng, NextDoubleUsesTheTop53Bits) {
  Rng a(5), b(5);
  const uint64_t bits = a.NextU64();
  EXPECT_EQ(b.NextDouble(), static_cast<double>(bits >> 11) / 9007199254740992.0);
}

TEST(Rng, UniformIntStaysInBounds) {
  Rng rng(6);
  for (uint64_t n : {uint64_t{1}, uint64_t{2}, uint64_t{3}, uint64_t{7}, uint64_t{10}, uint64_t{1000},
                     (uint64_t{1} << 63) + 1, ~uint64_t{0}}) {
    for (int i = 0; i < 10'000; ++i) ASSERT_LT(rng.UniformInt(n), n) << "n=" << n;
  }
  for (int i = 0; i < 100; ++i) EXPECT_EQ(rng.UniformInt(1), 0u);
}

TEST(Rng, UniformIntIsRoughlyUniform) {
  Rng rng(7);
  constexpr int kBins = 10;
  constexpr int kN = 1'000'000;
  std::vector<int> counts(kBins, 0);
  for (int i = 0; i < kN; ++i) ++counts[rng.UniformInt(kBins)];
  double chi2 = 0;
  const double expected = static_cast<double>(kN) / kBins;
  for (int c : counts) chi2 += (c - expected) * (c - expected) / expected;
  // 9 degrees of freedom: P(chi2 > 27.88) = 0.001.
  EXPECT_LT(chi2, 27.88);
}

TEST(Rng, UniformIntIsUnbiasedForHugeBounds) {
  // n = 3 * 2^62. A plain NextU64() % n would put half of all draws below
  // 2^62 instead of a third; Lemire's multiply without its rejection step
  // would make half of all draws multiples of 3.
  Rng rng(8);
  const uint64_t n = 3 * (uint64_t{1} << 62);
  constexpr int kN = 200'000;
  int below = 0, multiples_of_3 = 0;
  for (int i = 0; i < kN; ++i) {
    const uint64_t v = rng.UniformInt(n);
    below += v < (uint64_t{1} << 62);
    multiples_of_3 += v % 3 == 0;
  }
  EXPECT_NEAR(static_cast<double>(below) / kN, 1.0 / 3.0, 0.006);  // 5 standard errors
  EXPECT_NEAR(static_cast<double>(multiples_of_3) / kN, 1.0 / 3.0, 0.006);
}

TEST(Rng, UniformRangeCoversBothEnds) {
  Rng rng(9);
  std::vector<int> seen(7, 0);
  for (int i = 0; i < 70'000; ++i) {
    const int64_t v = rng.UniformRange(-3, 3);
    ASSERT_GE(v, -3);
    ASSERT_LE(v, 3);
    ++seen[static_cast<std::size_t>(v + 3)];
  }
  for (int c : seen) EXPECT_NEAR(c, 10'000, 500);
  EXPECT_EQ(rng.UniformRange(5, 5), 5);
}

TEST(Rng, UniformRangeDrawsLikeUniformInt) {
  Rng a(12), b(12);
  for (int i = 0; i < 1000; ++i)
    ASSERT_EQ(a.UniformRange(-1000, 2000), -1000 + static_cast<int64_t>(b.UniformInt(3001)));
}

TEST(Rng, UniformRangeOverSpansBeyondInt64) {
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  Rng rng(13);
  int negative = 0;
  for (int i = 0; i < 10'000; ++i) negative += rng.UniformRange(kMin, kMax) < 0;
  EXPECT_NEAR(negative, 5'000, 250);
  const int64_t lo = -5'000'000'000'000'000'000, hi = 5'000'000'000'000'000'000;  // span > 2^63
  int below_zero = 0;
  for (int i = 0; i < 10'000; ++i) {
    const int64_t v = rng.UniformRange(lo, hi);
    ASSERT_GE(v, lo);
    ASSERT_LE(v, hi);
    below_zero += v < 0;
  }
  EXPECT_NEAR(below_zero, 5'000, 250);
  EXPECT_EQ(rng.UniformRange(kMax, kMax), kMax);
  EXPECT_EQ(rng.UniformRange(kMin, kMin), kMin);
}

TEST(Rng, BernoulliFrequency) {
  Rng rng(10);
  constexpr int kN = 200'000;
  int hits = 0;
  for (int i = 0; i < kN; ++i) hits += rng.Bernoulli(0.25);
  EXPECT_NEAR(static_cast<double>(hits) / kN, 0.25, 0.005);
  EXPECT_FALSE(rng.Bernoulli(0.0));
  EXPECT_TRUE(rng.Bernoulli(1.0));
}

TEST(RngStreams, StreamIsReproducible) {
  const RngStreams a(7), b(7);
  EXPECT_EQ(Draw(a.Stream("sqs"), 1000), Draw(b.Stream("sqs"), 1000));
  EXPECT_EQ(Draw(a.Stream("sqs"), 1000), Draw(a.Stream("sqs"), 1000));
  EXPECT_EQ(a.root_seed(), 7u);
}

TEST(RngStreams, StreamSeedMatchesReference) {
  // (root 7, "sqs") computed independently in Python: FNV-1a of the name,
  // xor the root, two SplitMix64 steps.
  const RngStreams streams(7);
  EXPECT_EQ(streams.StreamSeed("sqs"), 0x018186522db7ac26ULL);
  Rng rng = streams.Stream("sqs");
  EXPECT_EQ(rng.NextU64(), 0x4d79284cff6037e2ULL);
  EXPECT_EQ(rng.NextU64(), 0x138defc1e199496fULL);
  EXPECT_EQ(rng.NextU64(), 0x39a98dd16e0e1794ULL);
}

TEST(RngStreams, StreamStartsFromStreamSeed) {
  const RngStreams streams(11);
  EXPECT_EQ(Draw(streams.Stream("s3"), 100), Draw(Rng(streams.StreamSeed("s3")), 100));
}

TEST(RngStreams, DifferentNamesGiveDifferentSequences) {
  const RngStreams streams(7);
  const std::vector<uint64_t> a = Draw(streams.Stream("sqs"), 1000);
  const std::vector<uint64_t> b = Draw(streams.Stream("sns"), 1000);
  int equal = 0;
  for (int i = 0; i < 1000; ++i) equal += a[i] == b[i];
  EXPECT_EQ(equal, 0);
  EXPECT_NE(streams.StreamSeed("sqs"), streams.StreamSeed("sns"));
}

TEST(RngStreams, DifferentNamesAreUncorrelated) {
  const RngStreams streams(7);
  // Standard error of r for independent streams is 1/sqrt(n) = 0.0032.
  EXPECT_LT(std::fabs(Correlation(streams.Stream("lambda"), streams.Stream("dynamodb"), 100'000)), 0.016);
  // Names that differ in one character, the likeliest collision.
  EXPECT_LT(std::fabs(Correlation(streams.Stream("worker-1"), streams.Stream("worker-2"), 100'000)), 0.016);
  // Lagged by one draw: the streams must not be shifted copies.
  Rng a = streams.Stream("worker-1");
  a.NextU64();
  EXPECT_LT(std::fabs(Correlation(a, streams.Stream("worker-2"), 100'000)), 0.016);
}

TEST(RngStreams, AddingAStreamDoesNotShiftAnother) {
  const RngStreams streams(7);
  const std::vector<uint64_t> alone = Draw(streams.Stream("a"), 500);

  Rng a = streams.Stream("a");
  Rng b = streams.Stream("b");  // a new component appears...
  std::vector<uint64_t> interleaved;
  for (int i = 0; i < 500; ++i) {
    b.NextU64();  // ...and draws between a's draws
    b.NextU64();
    interleaved.push_back(a.NextU64());
  }
  EXPECT_EQ(interleaved, alone);
}

TEST(RngStreams, DifferentRootSeedsGiveDifferentStreams) {
  EXPECT_NE(RngStreams(1).StreamSeed("x"), RngStreams(2).StreamSeed("x"));
  EXPECT_NE(Draw(RngStreams(1).Stream("x"), 10), Draw(RngStreams(2).Stream("x"), 10));
}

TEST(HashName, MatchesFnv1aReference) {
  static_assert(HashName("") == 0xcbf29ce484222325ULL);
  EXPECT_EQ(HashName("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(HashName("sqs"), 0x826494195d05294eULL);
}

}  // namespace
}  // namespace sim
