#pragma once

// What every service benchmark shares: the clock it times by and the median
// it prints.

#include <algorithm>
#include <ctime>
#include <vector>

namespace bench {

// The thread's CPU time in seconds. A simulation run is single-threaded:
// this equals its wall time on an idle machine and, unlike wall time, does
// not grow when other jobs share the cores.
inline double CpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

inline double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace bench
