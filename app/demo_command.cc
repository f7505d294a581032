// `adpsim demo`: the M/M/c kernel demo with its Erlang C check.

#include <cmath>
#include <cstdio>

#include "app/commands.h"
#include "scenarios/mmc_demo.h"

namespace app {

void SetupDemo(CLI::App& parent) {
  auto cfg = std::make_shared<scenarios::MmcConfig>();
  auto hours = std::make_shared<double>(2.0);
  CLI::App* cmd = parent.add_subcommand("demo", "Run the M/M/c kernel demo and compare with Erlang C");
  cmd->add_option("--seed", cfg->seed, "root seed");
  cmd->add_option("--servers", cfg->servers, "servers (c)")->check(CLI::Range(1, 100000));
  cmd->add_option("--arrival-rate", cfg->arrival_rate, "arrivals per second")->check(CLI::PositiveNumber);
  cmd->add_option("--service-rate", cfg->service_rate, "services per second per server")->check(CLI::PositiveNumber);
  cmd->add_option("--hours", *hours, "simulated hours of arrivals")->check(CLI::Range(0.001, 1e4));
  cmd->callback([cfg, hours] {
    cfg->duration = sim::SecondsF(*hours * 3600);
    RunDemo(*cfg);
  });
}

void RunDemo(const scenarios::MmcConfig& config) {
  const scenarios::MmcConfig* cfg = &config;
  const scenarios::MmcResult r = scenarios::RunMmc(*cfg);
    std::printf("M/M/%d demo: lambda=%.3f/s mu=%.3f/s, %.2f h simulated\n", cfg->servers, cfg->arrival_rate,
                cfg->service_rate, cfg->duration.ToSeconds() / 3600);
    std::printf("  arrivals %llu, served %llu, utilisation %.3f\n", static_cast<unsigned long long>(r.arrivals),
                static_cast<unsigned long long>(r.served), r.utilisation);
    std::printf("  mean wait %.4f s (Erlang C %.4f s), p99 wait %.4f s\n", r.mean_wait_s, r.erlang_c_wait_s,
                r.p99_wait_s);
    std::printf("  events %llu, fingerprint %s\n", static_cast<unsigned long long>(r.events), r.fingerprint.c_str());
}

}  // namespace app
