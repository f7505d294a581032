#pragma once

// Runs one scenario end to end: builds the emulators and the pipeline on a
// fresh scheduler, deploys, drives the load, lets the pipeline drain, then
// checks conservation and measures freshness, queues, Lambda and cost.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "pipeline/conservation.h"
#include "scenarios/scenario_config.h"
#include "sim/histogram.h"
#include "sim/logger.h"

namespace scenarios {

struct FunctionSummary {
  uint64_t invocations = 0;
  uint64_t errors = 0;
  uint64_t timeouts = 0;
  uint64_t throttles = 0;
  uint64_t cold_starts = 0;
  int peak_concurrency = 0;
  double gb_seconds = 0;
};

struct RunSummary {
  std::string scenario;
  uint64_t seed = 0;
  pipeline::ConservationReport conservation;
  sim::Histogram freshness_ms;  // weighted by records
  uint64_t files_through_dlq = 0;  // copied to failed/
  uint64_t files_replayed = 0;
  uint64_t duplicates_skipped = 0;
  double peak_queue_depth = 0;
  double peak_oldest_message_age_s = 0;
  double peak_dlq_depth = 0;
  std::map<std::string, FunctionSummary> functions;
  std::map<std::string, double> cost_usd;  // by service
  double total_cost_usd = 0;
  double sim_end_s = 0;
  bool drained = false;
  uint64_t events = 0;
  std::string fingerprint;
  std::map<std::string, std::vector<std::pair<double, double>>> series;  // name -> (t_s, value)
};

struct RunHooks {
  sim::LogSink* log_sink = nullptr;  // null: no log
  sim::LogLevel log_level = sim::LogLevel::kWarn;
  // Testing the failure path: a broken invariant at this simulated time.
  std::optional<sim::Duration> fail_invariant_at;
};

RunSummary RunScenario(const ScenarioConfig& config, const RunHooks& hooks = {});

// summary.json: deterministic (sorted keys, no wall-clock values).
std::string SummaryJson(const ScenarioConfig& config, const RunSummary& summary);
// The compact text summary printed by `adpsim run`.
std::string SummaryText(const ScenarioConfig& config, const RunSummary& summary);

}  // namespace scenarios
