#include "sim/distributions.h"

#include <cmath>

#include "sim/check.h"

namespace sim {

double ExponentialDist::Sample(Rng& r) const { return -mean * std::log(r.NextDoubleOpenZero()); }

double NormalDist::Sample(Rng& r) const {
  const double u1 = r.NextDoubleOpenZero();
  const double u2 = r.NextDouble();
  return mean + stddev * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

LogNormalDist LogNormalDist::FromMeanStddev(double mean, double stddev) {
  SIM_CHECK_MSG(mean > 0, "lognormal mean must be positive");
  const double var = stddev * stddev;
  const double sigma2 = std::log1p(var / (mean * mean));
  return LogNormalDist{std::log(mean) - sigma2 / 2, std::sqrt(sigma2)};
}

double LogNormalDist::Sample(Rng& r) const { return std::exp(NormalDist{mu, sigma}.Sample(r)); }

// Inversion: U in (0, 1] gives scale / U^(1/shape) >= scale.
double ParetoDist::Sample(Rng& r) const { return scale / std::pow(r.NextDoubleOpenZero(), 1.0 / shape); }

int64_t PoissonDist::Sample(Rng& r) const {
  if (mean <= 0) return 0;
  if (mean < 10) {
    const double limit = std::exp(-mean);
    double p = 1.0;
    int64_t k = 0;
    for (;;) {
      p *= r.NextDouble();
      if (p <= limit) return k;
      ++k;
    }
  }
  // PTRS: transformed rejection with squeeze (Hormann 1993).
  const double slam = std::sqrt(mean);
  const double loglam = std::log(mean);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double invalpha = 1.1239 + 1.1328 / (b - 3.4);
  const double vr = 0.9277 - 3.6224 / (b - 2);
  for (;;) {
    const double u = r.NextDouble() - 0.5;
    const double v = r.NextDouble();
    const double us = 0.5 - std::fabs(u);
    const int64_t k = static_cast<int64_t>(std::floor((2 * a / us + b) * u + mean + 0.43));
    if (us >= 0.07 && v <= vr) return k;
    if (k < 0 || (us < 0.013 && v > us)) continue;
    if (std::log(v) + std::log(invalpha) - std::log(a / (us * us) + b) <=
        -mean + static_cast<double>(k) * loglam - std::lgamma(static_cast<double>(k) + 1))
      return k;
  }
}

namespace {
// log1p(x)/x and expm1(x)/x, accurate near 0.
double Helper1(double x) {
  return std::fabs(x) > 1e-8 ? std::log1p(x) / x : 1 - x * (0.5 - x * (1.0 / 3.0 - 0.25 * x));
}
double Helper2(double x) {
  return std::fabs(x) > 1e-8 ? std::expm1(x) / x : 1 + x * 0.5 * (1 + x * (1.0 / 3.0) * (1 + 0.25 * x));
}
}  // namespace

ZipfDist::ZipfDist(uint64_t n, double s) : n_(n), s_(s) {
  SIM_CHECK_MSG(n >= 1 && s > 0, "Zipf needs n >= 1 and s > 0");
  h_integral_x1_ = HIntegral(1.5) - 1.0;
  h_integral_n_ = HIntegral(static_cast<double>(n) + 0.5);
  threshold_ = 2.0 - HIntegralInverse(HIntegral(2.5) - H(2.0));
}

double ZipfDist::H(double x) const { return std::exp(-s_ * std::log(x)); }

double ZipfDist::HIntegral(double x) const {
  const double log_x = std::log(x);
  return Helper2((1.0 - s_) * log_x) * log_x;
}

double ZipfDist::HIntegralInverse(double x) const {
  double t = x * (1.0 - s_);
  if (t < -1.0) t = -1.0;
  return std::exp(Helper1(t) * x);
}

uint64_t ZipfDist::Sample(Rng& r) const {
  for (;;) {
    const double u = h_integral_n_ + r.NextDouble() * (h_integral_x1_ - h_integral_n_);
    const double x = HIntegralInverse(u);
    double kd = std::floor(x + 0.5);
    if (kd < 1) kd = 1;
    if (kd > static_cast<double>(n_)) kd = static_cast<double>(n_);
    if (kd - x <= threshold_ || u >= HIntegral(kd + 0.5) - H(kd)) return static_cast<uint64_t>(kd);
  }
}

}  // namespace sim
