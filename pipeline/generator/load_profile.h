#pragma once

// The records/s the producers emit over simulated time: a steady rate plus
// one spike (start, length, factor; e.g. 10x for 20 minutes).

#include "sim/time.h"

namespace pipeline {

struct LoadProfile {
  double records_per_second = 200;
  sim::Duration duration = sim::Hours(3);
  sim::Duration spike_start = sim::Hours(1);
  sim::Duration spike_length = sim::Minutes(20);
  double spike_factor = 10;

  double RateAt(sim::Time t) const;
  // The next time after t at which the rate changes, or Time::Max().
  sim::Time NextChangeAfter(sim::Time t) const;
  // Expected records over [0, duration).
  double ExpectedRecords() const;
};

}  // namespace pipeline
