// Pipeline benchmark (issue 3): records/s through the default scenario's
// pipeline at 1 M and 5 M records: wall time, simulated events/s and peak
// RSS. Each size runs in a forked child so peak RSS is its own. The load is
// the default scenario's shape (steady + 10x spike) scaled to the record
// count over the same three hours.

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "scenarios/runner.h"

namespace {

struct Sample {
  double wall_s = 0;
  double records = 0;
  double events = 0;
  double peak_rss_mb = 0;
  int ok = 0;
};

Sample RunOnce(uint64_t records) {
  scenarios::ScenarioConfig c = scenarios::DefaultScenario();
  // Default shape: 3 h at r records/s plus a 20 min 10x spike = r * (10800 + 1200 * 9).
  c.rate = static_cast<double>(records) / (10800.0 + 1200.0 * 9);
  const auto t0 = std::chrono::steady_clock::now();
  const scenarios::RunSummary s = scenarios::RunScenario(c);
  Sample out;
  out.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  out.records = static_cast<double>(s.conservation.generated_records);
  out.events = static_cast<double>(s.events);
  out.ok = s.conservation.ok() ? 1 : 0;
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  out.peak_rss_mb = static_cast<double>(ru.ru_maxrss) / 1024.0;
  return out;
}

Sample RunInChild(uint64_t records) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    const Sample s = RunOnce(records);
    const ssize_t n = write(fds[1], &s, sizeof s);
    _exit(n == static_cast<ssize_t>(sizeof s) ? 0 : 1);
  }
  close(fds[1]);
  Sample s;
  const ssize_t n = read(fds[0], &s, sizeof s);
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (n != static_cast<ssize_t>(sizeof s)) return {};
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"adpsim pipeline benchmark"};
  std::vector<uint64_t> sizes = {1'000'000, 5'000'000};
  int repeat = 3;
  app.add_option("--records", sizes, "record counts to run");
  app.add_option("--repeat", repeat, "runs per size; the median is printed")->check(CLI::Range(1, 99));
  CLI11_PARSE(app, argc, argv);

  std::printf("adpsim pipeline benchmark: default scenario shape, median of %d\n", repeat);
  std::printf("%12s %10s %14s %16s %12s %6s\n", "records", "wall_s", "records/s", "sim events/s", "peak_rss_MB", "conserv");
  for (uint64_t n : sizes) {
    std::vector<Sample> runs;
    for (int i = 0; i < repeat; ++i) runs.push_back(RunInChild(n));
    std::sort(runs.begin(), runs.end(), [](const Sample& a, const Sample& b) { return a.wall_s < b.wall_s; });
    const Sample& m = runs[runs.size() / 2];
    std::printf("%12.0f %10.2f %14.0f %16.0f %12.1f %6s\n", m.records, m.wall_s, m.records / m.wall_s,
                m.events / m.wall_s, m.peak_rss_mb, m.ok ? "ok" : "FAIL");
  }
  return 0;
}
