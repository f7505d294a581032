#include <cstdio>

#include <nlohmann/json.hpp>

#include "scenarios/runner.h"
#include "scenarios/scenario_loader.h"

namespace scenarios {

namespace {

nlohmann::json Tally(const pipeline::RecordTally& t) { return {{"files", t.files}, {"records", t.records}}; }

double Seconds(int64_t ms) { return static_cast<double>(ms) / 1000.0; }

nlohmann::json ConfigJson(const ScenarioConfig& c) {
  return {
      {"scenario", {{"name", c.name}, {"seed", c.seed}, {"duration", FormatDuration(c.duration)}, {"drain", FormatDuration(c.drain)}}},
      {"load",
       {{"rate", c.rate},
        {"records_per_file", c.records_per_file},
        {"producers", c.producers},
        {"dirty_ratio", c.dirty_ratio},
        {"poison_files", c.poison_files},
        {"spike", {{"start", FormatDuration(c.spike_start)}, {"length", FormatDuration(c.spike_length)}, {"factor", c.spike_factor}}}}},
      {"lambda",
       {{"memory_mb", c.memory_mb},
        {"timeout", FormatDuration(c.timeout)},
        {"pollers", c.pollers},
        {"batch_size", c.batch_size},
        {"ns_per_record", c.ns_per_record},
        {"ns_per_byte", c.ns_per_byte}}},
      {"queue",
       {{"visibility_timeout", FormatDuration(c.visibility_timeout)},
        {"max_receive_count", c.max_receive_count},
        {"retention", FormatDuration(c.retention)}}},
      {"latency",
       {{"s3", c.s3_latency.ToString()},
        {"sqs", c.sqs_latency.ToString()},
        {"sns", c.sns_latency.ToString()},
        {"notification_delay", c.notification_delay.ToString()}}},
      {"retry", {{"mode", c.retry_mode}, {"max_attempts", c.retry_max_attempts}}},
      {"replay", {{"failed", c.replay_failed}, {"at", FormatDuration(c.replay_at)}}},
      {"expect", {{"lost_records", c.lost_records}}},
  };
}

}  // namespace

std::string SummaryJson(const ScenarioConfig& config, const RunSummary& s) {
  const pipeline::ConservationReport& c = s.conservation;
  nlohmann::json in_flight = nlohmann::json::object(), lost = nlohmann::json::object();
  for (const auto& [where, t] : c.in_flight) in_flight[where] = Tally(t);
  for (const auto& [why, t] : c.lost) lost[why] = Tally(t);
  nlohmann::json functions = nlohmann::json::object();
  for (const auto& [name, f] : s.functions) {
    functions[name] = {{"invocations", f.invocations}, {"errors", f.errors},       {"timeouts", f.timeouts},
                       {"throttles", f.throttles},     {"cold_starts", f.cold_starts}, {"peak_concurrency", f.peak_concurrency},
                       {"gb_seconds", f.gb_seconds}};
  }
  nlohmann::json series = nlohmann::json::object();
  for (const auto& [name, points] : s.series) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& [t, v] : points) arr.push_back({t, v});
    series[name] = arr;
  }
  nlohmann::json j = {
      {"adpsim_summary_version", 1},
      {"config", ConfigJson(config)},
      {"conservation",
       {{"generated", {{"files", c.generated_files}, {"records", c.generated_records}}},
        {"clean_records", c.clean_records},
        {"dirty_records", c.dirty_records},
        {"committed", Tally(c.committed)},
        {"failed", Tally(c.failed)},
        {"in_flight", in_flight},
        {"lost", lost},
        {"lost_records", c.lost_records()},
        {"expected_lost_records", c.expected_lost_records},
        {"violations", c.violations},
        {"ok", c.ok()}}},
      {"freshness_s",
       {{"p50", Seconds(s.freshness_ms.P50())},
        {"p90", Seconds(s.freshness_ms.P90())},
        {"p99", Seconds(s.freshness_ms.P99())},
        {"max", Seconds(s.freshness_ms.max())},
        {"records", s.freshness_ms.count()}}},
      {"dlq", {{"files_copied_to_failed", s.files_through_dlq}, {"files_replayed", s.files_replayed}, {"peak_depth", s.peak_dlq_depth}}},
      {"queue", {{"peak_depth", s.peak_queue_depth}, {"peak_oldest_message_age_s", s.peak_oldest_message_age_s}}},
      {"duplicates_skipped", s.duplicates_skipped},
      {"lambda", functions},
      {"cost_usd", {{"by_service", s.cost_usd}, {"total", s.total_cost_usd}}},
      {"run", {{"sim_end_s", s.sim_end_s}, {"drained", s.drained}, {"events", s.events}, {"fingerprint", s.fingerprint}}},
      {"series", series},
  };
  return j.dump(2) + "\n";
}

std::string SummaryText(const ScenarioConfig& config, const RunSummary& s) {
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line, "adpsim run: scenario '%s', seed %llu, %s of load, ended at %.0f s (%s)\n",
                config.name.c_str(), static_cast<unsigned long long>(s.seed), FormatDuration(config.duration).c_str(),
                s.sim_end_s, s.drained ? "drained" : "NOT drained before the deadline");
  out += line;
  out += "records by bucket (conservation):\n";
  out += s.conservation.Table();
  std::snprintf(line, sizeof line, "dead-letter path: %llu files copied to failed/, %llu replayed; peak DLQ depth %.0f\n",
                static_cast<unsigned long long>(s.files_through_dlq), static_cast<unsigned long long>(s.files_replayed),
                s.peak_dlq_depth);
  out += line;
  std::snprintf(line, sizeof line, "clean freshness (PUT -> manifest, by record): p50 %.1f s, p99 %.1f s, max %.1f s\n",
                Seconds(s.freshness_ms.P50()), Seconds(s.freshness_ms.P99()), Seconds(s.freshness_ms.max()));
  out += line;
  std::snprintf(line, sizeof line, "raw-events queue: peak depth %.0f messages, peak oldest-message age %.0f s\n",
                s.peak_queue_depth, s.peak_oldest_message_age_s);
  out += line;
  for (const auto& [name, f] : s.functions) {
    std::snprintf(line, sizeof line,
                  "lambda %-13s %8llu invocations, %llu errors (%llu timeouts), %llu throttles, %llu cold starts, "
                  "peak concurrency %d, %.1f GB-s\n",
                  name.c_str(), static_cast<unsigned long long>(f.invocations), static_cast<unsigned long long>(f.errors),
                  static_cast<unsigned long long>(f.timeouts), static_cast<unsigned long long>(f.throttles),
                  static_cast<unsigned long long>(f.cold_starts), f.peak_concurrency, f.gb_seconds);
    out += line;
  }
  out += "cost:";
  for (const auto& [service, usd] : s.cost_usd) {
    std::snprintf(line, sizeof line, " %s $%.4f,", service.c_str(), usd);
    out += line;
  }
  std::snprintf(line, sizeof line, " total $%.4f\n", s.total_cost_usd);
  out += line;
  std::snprintf(line, sizeof line, "events %llu, fingerprint %s\n", static_cast<unsigned long long>(s.events),
                s.fingerprint.c_str());
  out += line;
  return out;
}

}  // namespace scenarios
