#pragma once

// Counters, gauges, histograms and simulated-time series, registered by name
// in a MetricsRegistry that iterates in name order, so every dump of one run
// is byte-identical. References returned by the registry stay valid for its
// lifetime (std::map nodes do not move).

#include <cstdint>
#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "sim/histogram.h"
#include "sim/time.h"

namespace sim {

class Scheduler;

class Counter {
 public:
  void Add(int64_t n = 1) { value_ += n; }
  int64_t value() const { return value_; }

 private:
  int64_t value_ = 0;
};

// A level that goes up and down; remembers its peak.
class Gauge {
 public:
  void Set(double v) {
    value_ = v;
    if (v > max_) max_ = v;
  }
  void Add(double d) { Set(value_ + d); }
  double value() const { return value_; }
  double max() const { return max_; }

 private:
  double value_ = 0;
  double max_ = 0;
};

class TimeSeries {
 public:
  struct Point {
    Time t;
    double value;
  };
  void Append(Time t, double v) { points_.push_back(Point{t, v}); }
  const std::vector<Point>& points() const { return points_; }
  double Max() const;

 private:
  std::vector<Point> points_;
};

class MetricsRegistry {
 public:
  Counter& GetCounter(const std::string& name) { return counters_[name]; }
  Gauge& GetGauge(const std::string& name) { return gauges_[name]; }
  Histogram& GetHistogram(const std::string& name) { return histograms_[name]; }
  TimeSeries& GetTimeSeries(const std::string& name) { return series_[name]; }

  const std::map<std::string, Counter>& counters() const { return counters_; }
  const std::map<std::string, Gauge>& gauges() const { return gauges_; }
  const std::map<std::string, Histogram>& histograms() const { return histograms_; }
  const std::map<std::string, TimeSeries>& series() const { return series_; }

  // Samples probe() into the series `name` every `interval` of simulated
  // time from `first`, as daemon events (they do not keep a run alive).
  void Sample(Scheduler& sched, const std::string& name, Time first, Duration interval,
              std::function<double()> probe);

  // Text dump, one metric per line, in name order.
  void Dump(std::ostream& out) const;

 private:
  std::map<std::string, Counter> counters_;
  std::map<std::string, Gauge> gauges_;
  std::map<std::string, Histogram> histograms_;
  std::map<std::string, TimeSeries> series_;
};

}  // namespace sim
