#include "sim/metrics.h"

#include <algorithm>

#include "sim/scheduler.h"

namespace sim {

double TimeSeries::Max() const {
  double m = 0;
  for (const Point& p : points_) m = std::max(m, p.value);
  return m;
}

void MetricsRegistry::Sample(Scheduler& sched, const std::string& name, Time first, Duration interval,
                             std::function<double()> probe) {
  TimeSeries* series = &series_[name];
  sched.SchedulePeriodic(first, interval, [series, probe = std::move(probe), &sched] {
    series->Append(sched.Now(), probe());
  });
}

void MetricsRegistry::Dump(std::ostream& out) const {
  for (const auto& [name, c] : counters_) out << "counter " << name << " " << c.value() << "\n";
  for (const auto& [name, g] : gauges_) out << "gauge " << name << " " << g.value() << " max " << g.max() << "\n";
  for (const auto& [name, h] : histograms_) {
    out << "histogram " << name << " count " << h.count() << " min " << h.min() << " p50 " << h.P50() << " p90 "
        << h.P90() << " p99 " << h.P99() << " p999 " << h.P999() << " max " << h.max() << "\n";
  }
  for (const auto& [name, s] : series_) out << "series " << name << " points " << s.points().size() << "\n";
}

}  // namespace sim
