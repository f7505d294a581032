#include "pipeline/generator/load_profile.h"

#include <algorithm>

namespace pipeline {

double LoadProfile::RateAt(sim::Time t) const {
  const sim::Time end = sim::Time::Zero() + duration;
  if (t >= end) return 0;
  const sim::Time spike_begin = sim::Time::Zero() + spike_start;
  if (spike_factor != 1 && t >= spike_begin && t < spike_begin + spike_length) return records_per_second * spike_factor;
  return records_per_second;
}

sim::Time LoadProfile::NextChangeAfter(sim::Time t) const {
  const sim::Time points[] = {sim::Time::Zero() + spike_start, sim::Time::Zero() + spike_start + spike_length,
                              sim::Time::Zero() + duration};
  sim::Time next = sim::Time::Max();
  for (sim::Time p : points)
    if (p > t) next = std::min(next, p);
  return next;
}

double LoadProfile::ExpectedRecords() const {
  const double total_s = duration.ToSeconds();
  const double spike_s = std::max(0.0, std::min(spike_length.ToSeconds(), total_s - spike_start.ToSeconds()));
  return records_per_second * (total_s + spike_s * (spike_factor - 1));
}

}  // namespace pipeline
