#include "sim/distributions.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "sim/check.h"

namespace sim {
namespace {

// Statistical tests use fixed seeds (so they are deterministic) and
// tolerances of about five standard errors of the estimate: a correct
// implementation passes with any seed, a wrong mean or variance fails.
constexpr int kN = 200'000;

struct Moments {
  double mean = 0;
  double variance = 0;
};

template <class Dist>
Moments SampleMoments(const Dist& dist, uint64_t seed, int n = kN) {
  Rng rng(seed);
  // Welford's update: stable for large means.
  double mean = 0, m2 = 0;
  for (int i = 0; i < n; ++i) {
    const double x = static_cast<double>(dist.Sample(rng));
    const double delta = x - mean;
    mean += delta / (i + 1);
    m2 += delta * (x - mean);
  }
  return Moments{mean, m2 / (n - 1)};
}

// Five standard errors of a sample mean.
double MeanTolerance(double variance, int n = kN) { return 5 * std::sqrt(variance / n); }
// Five standard errors of a sample variance, given the kurtosis.
double VarianceTolerance(double variance, double kurtosis, int n = kN) {
  return 5 * variance * std::sqrt((kurtosis - 1) / n);
}

double PoissonPmf(double mean, int64_t k) {
  return std::exp(-mean + static_cast<double>(k) * std::log(mean) - std::lgamma(static_cast<double>(k) + 1));
}

TEST(Distributions, UniformMeanAndVariance) {
  const UniformDist dist{2, 5};
  const Moments m = SampleMoments(dist, 1);
  const double var = 9.0 / 12.0;
  EXPECT_NEAR(m.mean, 3.5, MeanTolerance(var));
  EXPECT_NEAR(m.variance, var, VarianceTolerance(var, 1.8));
}

TEST(Distributions, UniformStaysInHalfOpenRange) {
  const UniformDist dist{-1, 1};
  Rng rng(2);
  double lo = 1, hi = -1;
  for (int i = 0; i < kN; ++i) {
    const double x = dist.Sample(rng);
    ASSERT_GE(x, -1.0);
    ASSERT_LT(x, 1.0);
    lo = std::min(lo, x);
    hi = std::max(hi, x);
  }
  EXPECT_LT(lo, -0.999);
  EXPECT_GT(hi, 0.999);
}

TEST(Distributions, ExponentialMeanAndVariance) {
  const ExponentialDist dist{3};
  const Moments m = SampleMoments(dist, 3);
  EXPECT_NEAR(m.mean, 3.0, MeanTolerance(9.0));
  EXPECT_NEAR(m.variance, 9.0, VarianceTolerance(9.0, 9.0));
}

TEST(Distributions, ExponentialIsPositiveAndMemorylessShaped) {
  const ExponentialDist dist{2};
  Rng rng(4);
  int above_mean = 0;
  for (int i = 0; i < kN; ++i) {
    const double x = dist.Sample(rng);
    ASSERT_GT(x, 0.0);
    above_mean += x > 2.0;
  }
  // P(X > mean) = e^-1.
  const double p = std::exp(-1.0);
  EXPECT_NEAR(static_cast<double>(above_mean) / kN, p, 5 * std::sqrt(p * (1 - p) / kN));
}

TEST(Distributions, NormalMeanAndVariance) {
  const NormalDist dist{10, 2};
  const Moments m = SampleMoments(dist, 5);
  EXPECT_NEAR(m.mean, 10.0, MeanTolerance(4.0));
  EXPECT_NEAR(m.variance, 4.0, VarianceTolerance(4.0, 3.0));
}

TEST(Distributions, NormalOneSigmaMass) {
  const NormalDist dist{0, 1};
  Rng rng(6);
  int inside = 0, above = 0;
  for (int i = 0; i < kN; ++i) {
    const double x = dist.Sample(rng);
    inside += std::fabs(x) < 1.0;
    above += x > 0;
  }
  const double p = 0.682689492137;  // erf(1/sqrt(2))
  EXPECT_NEAR(static_cast<double>(inside) / kN, p, 5 * std::sqrt(p * (1 - p) / kN));
  EXPECT_NEAR(static_cast<double>(above) / kN, 0.5, 5 * std::sqrt(0.25 / kN));
}

TEST(Distributions, LogNormalMeanAndVariance) {
  const double mu = 1, sigma = 0.5;
  const LogNormalDist dist{mu, sigma};
  const Moments m = SampleMoments(dist, 7);
  const double s2 = sigma * sigma;
  const double mean = std::exp(mu + s2 / 2);
  const double var = (std::exp(s2) - 1) * std::exp(2 * mu + s2);
  const double kurtosis = std::exp(4 * s2) + 2 * std::exp(3 * s2) + 3 * std::exp(2 * s2) - 3;
  EXPECT_NEAR(m.mean, mean, MeanTolerance(var));
  EXPECT_NEAR(m.variance, var, VarianceTolerance(var, kurtosis));
}

TEST(Distributions, LogNormalMedianIsExpMu) {
  const LogNormalDist dist{2, 1.5};
  Rng rng(8);
  int below = 0;
  for (int i = 0; i < kN; ++i) {
    const double x = dist.Sample(rng);
    ASSERT_GT(x, 0.0);
    below += x < std::exp(2.0);
  }
  EXPECT_NEAR(static_cast<double>(below) / kN, 0.5, 5 * std::sqrt(0.25 / kN));
}

TEST(Distributions, ParetoTailFollowsThePowerLaw) {
  const ParetoDist dist{30, 1.5};
  Rng rng(11);
  int above_60 = 0, above_300 = 0;
  for (int i = 0; i < kN; ++i) {
    const double x = dist.Sample(rng);
    ASSERT_GE(x, 30.0);
    above_60 += x > 60;
    above_300 += x > 300;
  }
  const double p60 = std::pow(0.5, 1.5);   // (30/60)^1.5
  const double p300 = std::pow(0.1, 1.5);  // (30/300)^1.5
  EXPECT_NEAR(static_cast<double>(above_60) / kN, p60, 5 * std::sqrt(p60 * (1 - p60) / kN));
  EXPECT_NEAR(static_cast<double>(above_300) / kN, p300, 5 * std::sqrt(p300 * (1 - p300) / kN));
}

TEST(Distributions, LogNormalFromMeanStddevParameters) {
  const LogNormalDist dist = LogNormalDist::FromMeanStddev(100, 50);
  const double sigma2 = std::log(1.25);  // 1 + (50/100)^2
  EXPECT_DOUBLE_EQ(dist.sigma, std::sqrt(sigma2));
  EXPECT_DOUBLE_EQ(dist.mu, std::log(100.0) - sigma2 / 2);
}

TEST(Distributions, LogNormalFromMeanStddevHitsTargets) {
  const LogNormalDist dist = LogNormalDist::FromMeanStddev(100, 50);
  const Moments m = SampleMoments(dist, 9);
  const double s2 = std::log(1.25);
  const double kurtosis = std::exp(4 * s2) + 2 * std::exp(3 * s2) + 3 * std::exp(2 * s2) - 3;
  EXPECT_NEAR(m.mean, 100.0, MeanTolerance(2500.0));
  EXPECT_NEAR(m.variance, 2500.0, VarianceTolerance(2500.0, kurtosis));
}

TEST(Distributions, LogNormalFromMeanStddevRejectsNonPositiveMean) {
  EXPECT_THROW(LogNormalDist::FromMeanStddev(0, 1), InvariantViolation);
}

TEST(Distributions, BernoulliFrequency) {
  const BernoulliDist dist{0.3};
  const Moments m = SampleMoments(dist, 10);
  EXPECT_NEAR(m.mean, 0.3, MeanTolerance(0.21));
  EXPECT_NEAR(m.variance, 0.21, 0.005);
}

TEST(Distributions, BernoulliExtremes) {
  Rng rng(11);
  for (int i = 0; i < 1000; ++i) {
    ASSERT_FALSE(BernoulliDist{0}.Sample(rng));
    ASSERT_TRUE(BernoulliDist{1}.Sample(rng));
  }
}

void ExpectPoissonMoments(double mean, uint64_t seed) {
  const Moments m = SampleMoments(PoissonDist{mean}, seed);
  EXPECT_NEAR(m.mean, mean, MeanTolerance(mean)) << "mean " << mean;
  EXPECT_NEAR(m.variance, mean, VarianceTolerance(mean, 3 + 1 / mean)) << "mean " << mean;
}

TEST(Distributions, PoissonSmallMeanMoments) { ExpectPoissonMoments(3, 12); }
TEST(Distributions, PoissonMean50Moments) { ExpectPoissonMoments(50, 13); }
TEST(Distributions, PoissonMean1000Moments) { ExpectPoissonMoments(1000, 14); }
// Either side of the switch from Knuth's method to PTRS.
TEST(Distributions, PoissonMomentsAtAlgorithmSwitch) {
  ExpectPoissonMoments(9.99, 15);
  ExpectPoissonMoments(10, 16);
}

// Frequencies of k = lo..hi against the exact pmf, each within five
// standard errors.
void ExpectPoissonPmf(double mean, int64_t lo, int64_t hi, uint64_t seed) {
  const PoissonDist dist{mean};
  Rng rng(seed);
  std::vector<int> counts(static_cast<std::size_t>(hi - lo + 1), 0);
  for (int i = 0; i < kN; ++i) {
    const int64_t k = dist.Sample(rng);
    ASSERT_GE(k, 0);
    if (k >= lo && k <= hi) ++counts[static_cast<std::size_t>(k - lo)];
  }
  for (int64_t k = lo; k <= hi; ++k) {
    const double p = PoissonPmf(mean, k);
    const double freq = static_cast<double>(counts[static_cast<std::size_t>(k - lo)]) / kN;
    EXPECT_NEAR(freq, p, 5 * std::sqrt(p * (1 - p) / kN) + 1e-6) << "mean " << mean << " k " << k;
  }
}

TEST(Distributions, PoissonSmallMeanPmf) { ExpectPoissonPmf(3, 0, 12, 17); }
TEST(Distributions, PoissonMean50Pmf) { ExpectPoissonPmf(50, 30, 70, 18); }

TEST(Distributions, PoissonNonPositiveMeanIsZero) {
  Rng rng(19);
  EXPECT_EQ(PoissonDist{0}.Sample(rng), 0);
  EXPECT_EQ(PoissonDist{-5}.Sample(rng), 0);
}

std::vector<double> ZipfPmf(int n, double s) {
  std::vector<double> p(static_cast<std::size_t>(n) + 1, 0);
  double norm = 0;
  for (int k = 1; k <= n; ++k) norm += std::pow(k, -s);
  for (int k = 1; k <= n; ++k) p[static_cast<std::size_t>(k)] = std::pow(k, -s) / norm;
  return p;
}

// Zipf draws are cheap, and its rejection step changes the frequency of
// rank 2 by only ~2%: use more samples than elsewhere.
constexpr int kZipfN = 1'000'000;

void ExpectZipfPmf(uint64_t n, double s, uint64_t seed) {
  const ZipfDist dist(n, s);
  EXPECT_EQ(dist.n(), n);
  EXPECT_EQ(dist.s(), s);
  Rng rng(seed);
  std::vector<int> counts(n + 1, 0);
  for (int i = 0; i < kZipfN; ++i) {
    const uint64_t k = dist.Sample(rng);
    ASSERT_GE(k, 1u);
    ASSERT_LE(k, n);
    ++counts[k];
  }
  const std::vector<double> pmf = ZipfPmf(static_cast<int>(n), s);
  for (uint64_t k = 1; k <= n; ++k) {
    const double freq = static_cast<double>(counts[k]) / kZipfN;
    EXPECT_NEAR(freq, pmf[k], 5 * std::sqrt(pmf[k] * (1 - pmf[k]) / kZipfN)) << "n " << n << " s " << s << " k " << k;
  }
}

TEST(Distributions, ZipfFrequenciesMatchPmfExponent1_2) { ExpectZipfPmf(10, 1.2, 20); }
TEST(Distributions, ZipfFrequenciesMatchPmfExponent0_8) { ExpectZipfPmf(10, 0.8, 21); }
TEST(Distributions, ZipfFrequenciesMatchPmfExponent1) { ExpectZipfPmf(10, 1.0, 22); }

TEST(Distributions, ZipfLargeNHeadProbability) {
  // n = 10^6, s = 1: P(1) = 1 / H(n).
  const ZipfDist dist(1'000'000, 1.0);
  double harmonic = 0;
  for (int k = 1'000'000; k >= 1; --k) harmonic += 1.0 / k;
  Rng rng(23);
  int ones = 0;
  uint64_t max_k = 0;
  for (int i = 0; i < kN; ++i) {
    const uint64_t k = dist.Sample(rng);
    ASSERT_GE(k, 1u);
    ASSERT_LE(k, 1'000'000u);
    ones += k == 1;
    max_k = std::max(max_k, k);
  }
  const double p = 1 / harmonic;
  EXPECT_NEAR(static_cast<double>(ones) / kN, p, 5 * std::sqrt(p * (1 - p) / kN));
  EXPECT_GT(max_k, 100'000u);  // the tail is reached
}

TEST(Distributions, ZipfSingleElement) {
  const ZipfDist dist(1, 1.5);
  Rng rng(24);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(dist.Sample(rng), 1u);
}

TEST(Distributions, ZipfRejectsBadParameters) {
  EXPECT_THROW(ZipfDist(0, 1.0), InvariantViolation);
  EXPECT_THROW(ZipfDist(10, 0.0), InvariantViolation);
}

// Draws recorded once from this implementation (x86-64, glibc libm, with
// -ffp-contract=off); they pin the algorithms: any change to a distribution's
// arithmetic or to the order it consumes random numbers changes every run's
// fingerprint, and must show up here first.
TEST(Distributions, GoldenDrawsForFixedSeed) {
  Rng r(20260101);
  const UniformDist u{2, 5};
  const ExponentialDist e{3};
  const NormalDist n{10, 2};
  const LogNormalDist l{1, 0.5};
  const PoissonDist p3{3}, p50{50}, p1000{1000};
  const ZipfDist z(10, 1.2);
  const BernoulliDist b{0.3};
  EXPECT_EQ(u.Sample(r), 0x1.83d3d5060be12p+1);
  EXPECT_EQ(u.Sample(r), 0x1.028e00255dd84p+2);
  EXPECT_EQ(u.Sample(r), 0x1.00b8fa4d8a3acp+1);
  EXPECT_EQ(e.Sample(r), 0x1.8f53c62f4a41ap+0);
  EXPECT_EQ(e.Sample(r), 0x1.1dad0f7be8136p-3);
  EXPECT_EQ(e.Sample(r), 0x1.91d5ee95f4ed4p+2);
  EXPECT_EQ(n.Sample(r), 0x1.78e4d1d7dc1eep+3);
  EXPECT_EQ(n.Sample(r), 0x1.0b607e82c0709p+3);
  EXPECT_EQ(n.Sample(r), 0x1.821a9704adf23p+3);
  EXPECT_EQ(l.Sample(r), 0x1.3458e5f761c87p+1);
  EXPECT_EQ(l.Sample(r), 0x1.3fdb605fb52f6p+2);
  EXPECT_EQ(l.Sample(r), 0x1.22596d0867808p+1);
  std::vector<int64_t> poisson;
  for (int i = 0; i < 5; ++i) poisson.push_back(p3.Sample(r));
  for (int i = 0; i < 5; ++i) poisson.push_back(p50.Sample(r));
  for (int i = 0; i < 5; ++i) poisson.push_back(p1000.Sample(r));
  EXPECT_EQ(poisson, (std::vector<int64_t>{2, 1, 2, 2, 4, 57, 39, 66, 46, 56, 953, 967, 976, 1055, 1028}));
  std::vector<uint64_t> zipf;
  for (int i = 0; i < 8; ++i) zipf.push_back(z.Sample(r));
  EXPECT_EQ(zipf, (std::vector<uint64_t>{1, 1, 10, 6, 2, 3, 6, 5}));
  std::vector<bool> bern;
  for (int i = 0; i < 8; ++i) bern.push_back(b.Sample(r));
  EXPECT_EQ(bern, (std::vector<bool>{true, false, false, true, false, true, true, false}));
  EXPECT_EQ(r.NextU64(), 0xb008b6771358060bULL);  // and the number of draws consumed
}

}  // namespace
}  // namespace sim
