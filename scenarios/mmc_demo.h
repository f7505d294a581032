#pragma once

// A textbook M/M/c queue on the kernel's coroutine processes: Poisson
// arrivals, c servers, exponential service. Its mean wait has a closed form
// (Erlang C), so it doubles as a teaching demo and an end-to-end check of
// the kernel (`adpsim demo`).

#include <cstdint>
#include <string>

#include "sim/time.h"

namespace scenarios {

struct MmcConfig {
  double arrival_rate = 9.0;  // per second
  double service_rate = 1.0;  // per second, per server
  int servers = 10;
  sim::Duration duration = sim::Hours(2);
  uint64_t seed = 1;
};

struct MmcResult {
  uint64_t arrivals = 0;
  uint64_t served = 0;
  double mean_wait_s = 0;
  double p99_wait_s = 0;
  double erlang_c_wait_s = 0;  // theory
  double utilisation = 0;
  uint64_t events = 0;
  std::string fingerprint;
};

MmcResult RunMmc(const MmcConfig& config);
// Mean wait in queue of M/M/c (Erlang C); infinite when rho >= 1.
double ErlangCMeanWait(double lambda, double mu, int c);

}  // namespace scenarios
