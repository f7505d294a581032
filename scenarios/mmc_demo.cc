#include "scenarios/mmc_demo.h"

#include <cmath>
#include <deque>
#include <limits>

#include "sim/distributions.h"
#include "sim/histogram.h"
#include "sim/promise.h"
#include "sim/rng.h"
#include "sim/scheduler.h"

namespace scenarios {

double ErlangCMeanWait(double lambda, double mu, int c) {
  const double a = lambda / mu;
  const double rho = a / c;
  if (rho >= 1) return std::numeric_limits<double>::infinity();
  double term = 1, sum = 1;  // sum_{k<c} a^k/k!
  for (int k = 1; k < c; ++k) {
    term *= a / k;
    sum += term;
  }
  const double last = term * a / c;  // a^c/c!
  const double p_wait = last / (1 - rho) / (sum + last / (1 - rho));
  return p_wait / (c * mu - lambda);
}

namespace {

class MmcModel {
 public:
  explicit MmcModel(const MmcConfig& cfg)
      : cfg_(cfg), streams_(cfg.seed), arrivals_rng_(streams_.Stream("arrivals")),
        service_rng_(streams_.Stream("service")) {}

  MmcResult Run() {
    for (int i = 0; i < cfg_.servers; ++i) sched_.Spawn(Server(), "server");
    sched_.Spawn(Source(), "source");
    sched_.Run();
    MmcResult r;
    r.arrivals = arrivals_;
    r.served = waits_.count();
    r.mean_wait_s = waits_.mean() / 1e9;
    r.p99_wait_s = static_cast<double>(waits_.P99()) / 1e9;
    r.erlang_c_wait_s = ErlangCMeanWait(cfg_.arrival_rate, cfg_.service_rate, cfg_.servers);
    r.utilisation = busy_ns_ / (static_cast<double>(cfg_.servers) * static_cast<double>(sched_.Now().nanos()));
    r.events = sched_.stats().events_executed;
    r.fingerprint = sched_.fingerprint().Hex();
    return r;
  }

 private:
  sim::Task<void> Source() {
    const sim::ExponentialDist gap{1.0 / cfg_.arrival_rate};
    while (sched_.Now() < sim::Time::Zero() + cfg_.duration) {
      sim::Status slept = co_await sched_.Sleep(sim::SecondsF(gap.Sample(arrivals_rng_)));
      if (!slept.ok()) co_return;
      ++arrivals_;
      queue_.push_back(sched_.Now());
      if (!idle_.empty()) {
        sim::Promise<void> p = std::move(idle_.front());
        idle_.pop_front();
        p.Set();
      }
    }
    closed_ = true;
    for (auto& p : idle_) p.Set();
    idle_.clear();
  }

  sim::Task<void> Server() {
    const sim::ExponentialDist service{1.0 / cfg_.service_rate};
    for (;;) {
      while (queue_.empty()) {
        if (closed_) co_return;
        sim::Promise<void> wake(sched_);
        idle_.push_back(wake);
        sim::Status woke = co_await wake.Wait();
        if (!woke.ok()) co_return;
      }
      const sim::Time arrived = queue_.front();
      queue_.pop_front();
      waits_.Record((sched_.Now() - arrived).nanos());
      const sim::Duration s = sim::SecondsF(service.Sample(service_rng_));
      busy_ns_ += static_cast<double>(s.nanos());
      sim::Status served = co_await sched_.Sleep(s);
      if (!served.ok()) co_return;
    }
  }

  MmcConfig cfg_;
  sim::Scheduler sched_;
  sim::RngStreams streams_;
  sim::Rng arrivals_rng_;
  sim::Rng service_rng_;
  std::deque<sim::Time> queue_;
  std::deque<sim::Promise<void>> idle_;
  bool closed_ = false;
  uint64_t arrivals_ = 0;
  sim::Histogram waits_;
  double busy_ns_ = 0;
};

}  // namespace

MmcResult RunMmc(const MmcConfig& config) { return MmcModel(config).Run(); }

}  // namespace scenarios
