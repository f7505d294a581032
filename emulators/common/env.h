#pragma once

// Env is the one seam between an emulated service and the world: the
// simulated clock, named random streams, metrics, the cost meter and the
// account. Services never read a wall clock or OS randomness.

#include <cstdint>
#include <string>

#include "emulators/common/account.h"
#include "emulators/common/cost_meter.h"
#include "sim/metrics.h"
#include "sim/rng.h"
#include "sim/scheduler.h"

namespace emu {

class Env {
 public:
  // 2026-01-01T00:00:00Z: simulated time zero, for dates the services show.
  static constexpr int64_t kDefaultEpochUnixNanos = 1'767'225'600'000'000'000;

  Env(sim::Scheduler& sched, uint64_t seed)
      : sched_(sched), streams_(seed), cost_(CostMeter::WithDefaultPrices()) {}

  sim::Scheduler& sched() { return sched_; }
  sim::Time Now() const { return sched_.Now(); }
  const sim::RngStreams& streams() const { return streams_; }
  sim::Rng Stream(std::string_view name) const { return streams_.Stream(name); }
  sim::MetricsRegistry& metrics() { return metrics_; }
  CostMeter& cost() { return cost_; }
  Account& account() { return account_; }

  int64_t epoch_unix_nanos() const { return epoch_unix_nanos_; }
  void set_epoch_unix_nanos(int64_t ns) { epoch_unix_nanos_ = ns; }
  int64_t UnixNanos(sim::Time t) const { return epoch_unix_nanos_ + t.nanos(); }
  // Milliseconds since the Unix epoch, as SQS timestamps are.
  int64_t UnixMillis(sim::Time t) const { return UnixNanos(t) / 1'000'000; }

  // Zero-latency mode (tests, benchmarks): operations take no simulated time
  // and schedule no events for their latency.
  bool zero_latency() const { return zero_latency_; }
  void set_zero_latency(bool on) { zero_latency_ = on; }

 private:
  sim::Scheduler& sched_;
  sim::RngStreams streams_;
  sim::MetricsRegistry metrics_;
  CostMeter cost_;
  Account account_;
  int64_t epoch_unix_nanos_ = kDefaultEpochUnixNanos;
  bool zero_latency_ = false;
};

}  // namespace emu
