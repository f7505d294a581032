#pragma once

// A scenario, 1:1 with the TOML file format (docs/scenario-format.md):
// every table and key below is a field here, with the same name.

#include <cstdint>
#include <string>

#include "emulators/common/behaviour.h"
#include "emulators/common/retry_policy.h"
#include "sim/time.h"

namespace scenarios {

struct ScenarioConfig {
  // [scenario]
  std::string name = "default";
  std::string description;
  uint64_t seed = 1;
  sim::Duration duration = sim::Hours(3);   // how long producers emit
  sim::Duration drain = sim::Hours(1);      // extra time for the pipeline to finish

  // [load]
  double rate = 200;                // records per second, steady
  uint32_t records_per_file = 2000;
  int producers = 4;
  double dirty_ratio = 0.02;
  int poison_files = 3;
  // [load.spike]
  sim::Duration spike_start = sim::Hours(1);
  sim::Duration spike_length = sim::Minutes(20);
  double spike_factor = 10;

  // [lambda]  (the clean/enrich function)
  int memory_mb = 1769;
  sim::Duration timeout = sim::Seconds(60);
  int pollers = 5;
  int batch_size = 10;
  double ns_per_record = 4000;  // modelled CPU at one vCPU
  double ns_per_byte = 4;

  // [queue]  (raw-events)
  sim::Duration visibility_timeout = sim::Seconds(360);
  int max_receive_count = 3;
  sim::Duration retention = sim::Days(4);

  // [latency]  (service latencies; "zero" makes runs fastest)
  emu::LatencySpec s3_latency = emu::LatencySpec::LogNormal(0.020, 0.010);
  emu::LatencySpec sqs_latency = emu::LatencySpec::LogNormal(0.008, 0.004);
  emu::LatencySpec sns_latency = emu::LatencySpec::LogNormal(0.015, 0.005);
  emu::LatencySpec notification_delay = emu::LatencySpec::LogNormal(1.0, 0.8);

  // [retry]
  std::string retry_mode = "standard";
  int retry_max_attempts = 0;  // 0: the mode's default

  // [replay]
  bool replay_failed = false;  // replay failed/ files once the load has ended
  sim::Duration replay_at = sim::Hours(3);

  // [expect]
  uint64_t lost_records = 0;
};

// The built-in default scenario (also shipped as scenarios/default.toml).
ScenarioConfig DefaultScenario();

}  // namespace scenarios
