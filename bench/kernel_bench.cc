// Kernel benchmark (issue 2): the hold model of the reference benchmarks —
// P independent chains, each event re-schedules its chain at now + Exp(1) —
// run (a) on the raw std::priority_queue reference, (b) through Scheduler
// callbacks, (c) as coroutine processes, and (d) with 80% of scheduled events
// cancelled before they fire; at 1,000 and 100,000 pending. Optionally runs
// the ns-3 peer (built with -DADPSIM_WITH_NS3=ON) in the same run.
// Events/s counts handled events over the event loop's wall time only.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "reference_pq.h"
#include "sim/distributions.h"
#include "sim/rng.h"
#include "sim/scheduler.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Result {
  double events_per_s = 0;
  double sim_end_s = 0;
  double bytes_per_pending = 0;
  double cancelled_fraction = 0;
  double schedule_ops_per_s = 0;
};

inline sim::Duration ExpDelay(sim::Rng& rng) {
  return sim::Duration::FromNanos(static_cast<int64_t>(-std::log(rng.NextDoubleOpenZero()) * 1e9));
}

Result RunReference(uint64_t n, uint32_t p, uint64_t seed) {
  auto r = bench::RunReferencePq(n, p, seed);
  return Result{static_cast<double>(r.handled) / r.wall_s, r.sim_end, 24.0, 0};
}

// (b) Scheduler callbacks.
struct CallbackModel {
  sim::Scheduler sched;
  sim::Rng rng;
  uint64_t counters[4] = {0, 0, 0, 0};
  uint64_t handled = 0;
  uint64_t target = 0;
  explicit CallbackModel(uint64_t seed) : rng(seed) {}
  void Schedule(uint32_t cb) {
    sched.ScheduleAfter(ExpDelay(rng), [this, cb] { Fire(cb); });
  }
  void Fire(uint32_t cb) {
    counters[cb & 3u]++;
    if (++handled >= target) {
      sched.Stop();
      return;
    }
    Schedule(cb);
  }
};

Result RunCallbacks(uint64_t n, uint32_t p, uint64_t seed) {
  CallbackModel m(seed);
  m.target = n;
  for (uint32_t i = 0; i < p; ++i) m.Schedule(i);
  const double bytes = static_cast<double>(m.sched.EventMemoryBytes()) / p;
  auto t0 = Clock::now();
  m.sched.Run();
  const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
  return Result{static_cast<double>(m.handled) / wall, m.sched.Now().ToSeconds(), bytes, 0};
}

// (c) Coroutine processes: each wake-up is one process switch.
struct ProcessModel {
  sim::Scheduler sched;
  sim::Rng rng;
  uint64_t handled = 0;
  uint64_t target = 0;
  explicit ProcessModel(uint64_t seed) : rng(seed) {}
  sim::Task<void> Hold() {
    for (;;) {
      sim::Status st = co_await sched.Sleep(ExpDelay(rng));
      if (!st.ok()) co_return;
      if (++handled >= target) sched.Stop();
    }
  }
};

Result RunProcesses(uint64_t n, uint32_t p, uint64_t seed) {
  ProcessModel m(seed);
  m.target = n;
  for (uint32_t i = 0; i < p; ++i) m.sched.Spawn(m.Hold());
  m.sched.RunUntil(sim::Time::Zero());  // start every process: not timed
  const double bytes = static_cast<double>(m.sched.EventMemoryBytes()) / p;
  auto t0 = Clock::now();
  m.sched.Run();
  const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
  return Result{static_cast<double>(m.handled) / wall, m.sched.Now().ToSeconds(), bytes, 0};
}

// (d) Cancellation-heavy: every fired event schedules its successor plus four
// timeouts further out (after the successor), and cancels the four its predecessor set
// (the SQS visibility-timer pattern): 80% of scheduled events never fire.
struct CancelModel {
  sim::Scheduler sched;
  sim::Rng rng;
  std::vector<sim::EventId> timers;  // 4 per chain
  uint64_t handled = 0;
  uint64_t target = 0;
  explicit CancelModel(uint64_t seed, uint32_t p) : rng(seed), timers(4ull * p) {}
  void Schedule(uint32_t chain) {
    const sim::Duration next = ExpDelay(rng);
    sched.ScheduleAfter(next, [this, chain] { Fire(chain); });
    for (int k = 0; k < 4; ++k) {
      sim::EventId& t = timers[4ull * chain + k];
      t = sched.ScheduleAfter(next + ExpDelay(rng) * 10, [this] { ++handled; });
    }
  }
  void Fire(uint32_t chain) {
    for (int k = 0; k < 4; ++k) sched.Cancel(timers[4ull * chain + k]);
    if (++handled >= target) {
      sched.Stop();
      return;
    }
    Schedule(chain);
  }
};

Result RunCancelHeavy(uint64_t n, uint32_t p, uint64_t seed) {
  CancelModel m(seed, p);
  m.target = n;
  for (uint32_t i = 0; i < p; ++i) m.Schedule(i);
  auto t0 = Clock::now();
  m.sched.Run();
  const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
  const auto& st = m.sched.stats();
  Result r{static_cast<double>(m.handled) / wall, m.sched.Now().ToSeconds(),
           static_cast<double>(m.sched.EventMemoryBytes()) / static_cast<double>(std::max<std::size_t>(1, m.sched.PendingEvents())), 0};
  r.cancelled_fraction = static_cast<double>(st.events_cancelled) / static_cast<double>(st.events_scheduled);
  r.schedule_ops_per_s = static_cast<double>(st.events_scheduled) / wall;
  return r;
}

Result RunNs3(const std::string& exe, uint64_t n, uint32_t p, uint64_t seed) {
  std::string cmd = exe + " " + std::to_string(n) + " " + std::to_string(p) + " ns3::MapScheduler " + std::to_string(seed);
  FILE* f = popen(cmd.c_str(), "r");
  Result r;
  if (!f) return r;
  char line[512];
  while (std::fgets(line, sizeof line, f)) {
    std::string s(line);
    auto pos = s.find("events_per_s=");
    if (pos != std::string::npos) r.events_per_s = std::atof(s.c_str() + pos + 13);
    pos = s.find("sim_end=");
    if (pos != std::string::npos) r.sim_end_s = std::atof(s.c_str() + pos + 8);
  }
  pclose(f);
  return r;
}

template <class F>
Result Median(int repeat, F run) {
  std::vector<Result> rs;
  for (int i = 0; i < repeat; ++i) rs.push_back(run());
  std::sort(rs.begin(), rs.end(), [](const Result& a, const Result& b) { return a.events_per_s < b.events_per_s; });
  return rs[rs.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"adpsim kernel benchmark"};
  uint64_t events = 10'000'000;
  uint64_t process_events = 10'000'000;
  int repeat = 3;
  uint64_t seed = 42;
  std::string ns3 = ADPSIM_NS3_BENCH;
  app.add_option("--events", events, "events per callback/reference case");
  app.add_option("--process-events", process_events, "process switches per coroutine case");
  app.add_option("--repeat", repeat, "runs per case; the median is printed")->check(CLI::Range(1, 99));
  app.add_option("--seed", seed);
  app.add_option("--ns3", ns3, "path to the ns3_schedule peer binary ('' to skip)");
  CLI11_PARSE(app, argc, argv);

  std::printf("adpsim kernel benchmark: hold model, Exp(1) delays, median of %d\n", repeat);
  std::printf("%-34s %9s %14s %10s %12s\n", "case", "pending", "events/s", "sim_end_s", "bytes/pend");
  auto row = [](const char* name, uint32_t p, const Result& r) {
    std::printf("%-34s %9u %14.0f %10.1f %12.1f\n", name, p, r.events_per_s, r.sim_end_s, r.bytes_per_pending);
  };
  const double simgrid = 1.22e6;  // ../shared/reference/peer-figures.md
  for (uint32_t p : {1'000u, 100'000u}) {
    Result a = Median(repeat, [&] { return RunReference(events, p, seed); });
    Result b = Median(repeat, [&] { return RunCallbacks(events, p, seed); });
    Result c = Median(repeat, [&] { return RunProcesses(process_events, p, seed); });
    Result d = Median(repeat, [&] { return RunCancelHeavy(events, p, seed); });
    row("(a) raw std::priority_queue", p, a);
    row("(b) Scheduler callbacks", p, b);
    row("(c) coroutine processes", p, c);
    row("(d) callbacks, 80% cancelled", p, d);
    std::printf("    ratios: b/a = %.2f  (target >= 0.70 at 1,000)   c/SimGrid(1.22M) = %.2f  (target >= 4)\n",
                b.events_per_s / a.events_per_s, c.events_per_s / simgrid);
    std::printf("    (d) cancelled fraction %.3f; %.0f events scheduled/s (each later fired or cancelled)\n",
                d.cancelled_fraction, d.schedule_ops_per_s);
    if (!ns3.empty()) {
      Result n = Median(repeat, [&] { return RunNs3(ns3, events, p, seed); });
      if (n.events_per_s > 0) {
        row("ns-3.37 MapScheduler", p, n);
        std::printf("    ratio: b/ns-3 = %.2f  (target >= 1.5 at 1,000)\n", b.events_per_s / n.events_per_s);
      } else {
        std::printf("    ns-3 peer at %s did not run\n", ns3.c_str());
      }
    }
  }
  return 0;
}
