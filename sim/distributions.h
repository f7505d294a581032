#pragma once

// In-tree distributions with fixed algorithms, so a seed gives the same draws
// on every platform that has IEEE doubles and glibc's libm.

#include <cstdint>
#include <vector>

#include "sim/rng.h"

namespace sim {

struct UniformDist {
  double lo = 0, hi = 1;
  double Sample(Rng& r) const { return lo + (hi - lo) * r.NextDouble(); }
};

struct ExponentialDist {
  double mean = 1;
  double Sample(Rng& r) const;
};

// Box-Muller (cosine branch only, no cached second value: stateless).
struct NormalDist {
  double mean = 0, stddev = 1;
  double Sample(Rng& r) const;
};

// exp(Normal(mu, sigma)); FromMeanStddev picks mu/sigma for a target mean
// and standard deviation of the lognormal itself.
struct LogNormalDist {
  double mu = 0, sigma = 1;
  static LogNormalDist FromMeanStddev(double mean, double stddev);
  double Sample(Rng& r) const;
};

// Pareto type I: P(X > x) = (scale / x)^shape for x >= scale. Heavy tailed:
// the mean is scale * shape / (shape - 1) for shape > 1, infinite below.
struct ParetoDist {
  double scale = 1, shape = 2;
  double Sample(Rng& r) const;
};

struct BernoulliDist {
  double p = 0.5;
  bool Sample(Rng& r) const { return r.NextDouble() < p; }
};

// Knuth's multiplication for mean < 10, Hormann's PTRS above.
struct PoissonDist {
  double mean = 1;
  int64_t Sample(Rng& r) const;
};

// Zipf over ranks 1..n with P(k) ~ 1/k^s, by rejection-inversion
// (Hormann & Derflinger 1996): O(1) per draw, no table.
class ZipfDist {
 public:
  ZipfDist(uint64_t n, double s);
  uint64_t Sample(Rng& r) const;
  uint64_t n() const { return n_; }
  double s() const { return s_; }

 private:
  double H(double x) const;
  double HIntegral(double x) const;
  double HIntegralInverse(double x) const;
  uint64_t n_;
  double s_;
  double h_integral_x1_, h_integral_n_, threshold_;
};

}  // namespace sim
