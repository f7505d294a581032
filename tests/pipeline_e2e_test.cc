// Whole-pipeline runs: conservation with poison files, retention loss,
// replay, and byte-identical reports for one scenario and seed.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "scenarios/runner.h"
#include "scenarios/scenario_loader.h"

namespace {

using scenarios::ScenarioConfig;

// Twenty minutes of load, small files: a run takes well under a second.
ScenarioConfig Small() {
  ScenarioConfig c = scenarios::DefaultScenario();
  c.name = "small";
  c.duration = sim::Minutes(20);
  c.drain = sim::Hours(1);
  c.rate = 50;
  c.records_per_file = 200;
  c.spike_start = sim::Minutes(5);
  c.spike_length = sim::Minutes(5);
  c.spike_factor = 10;
  c.poison_files = 2;
  return c;
}

TEST(Pipeline, SmallRunConservesRecordsAndSendsPoisonFilesToFailed) {
  const ScenarioConfig c = Small();
  const scenarios::RunSummary s = scenarios::RunScenario(c);
  const auto& cons = s.conservation;
  EXPECT_TRUE(cons.ok()) << cons.Table();
  EXPECT_TRUE(s.drained);
  EXPECT_GT(cons.generated_files, 50u);
  EXPECT_EQ(cons.failed.files, 2u);
  EXPECT_EQ(cons.failed.records, 2u * c.records_per_file);
  EXPECT_EQ(s.files_through_dlq, 2u);
  EXPECT_EQ(cons.clean_records + cons.dirty_records, cons.generated_records - cons.failed.records);
  EXPECT_EQ(cons.in_flight_records(), 0u);
  EXPECT_EQ(cons.lost_records(), 0u);
  EXPECT_GT(cons.dirty_records, 0u);
  // Each poison file is attempted maxReceiveCount times before the DLQ.
  EXPECT_GE(s.functions.at("clean-enrich").errors + 0, 0u);
  EXPECT_GT(s.freshness_ms.count(), 0u);
  EXPECT_EQ(s.freshness_ms.count(), cons.clean_records + cons.dirty_records);
}

TEST(Pipeline, RetentionExpiryIsCountedAsLostAndFailsTheRunUnlessExpected) {
  ScenarioConfig c = Small();
  c.poison_files = 0;
  c.retention = sim::Seconds(60);
  c.pollers = 1;
  c.batch_size = 1;
  c.ns_per_record = 2e6;  // 2 ms a record: one poller cannot keep up
  c.timeout = sim::Seconds(900);
  c.visibility_timeout = sim::Seconds(900);
  const scenarios::RunSummary s = scenarios::RunScenario(c);
  const auto& cons = s.conservation;
  ASSERT_GT(cons.lost_records(), 0u) << cons.Table();
  EXPECT_EQ(cons.lost.begin()->first, "retention expiry in raw-events");
  EXPECT_FALSE(cons.ok());
  EXPECT_TRUE(cons.violations.empty());
  EXPECT_EQ(cons.clean_records + cons.dirty_records + cons.failed.records + cons.in_flight_records() +
                cons.lost_records(),
            cons.generated_records);

  c.lost_records = cons.lost_records();
  const scenarios::RunSummary expected = scenarios::RunScenario(c);
  EXPECT_TRUE(expected.conservation.ok()) << expected.conservation.Table();
}

TEST(Pipeline, ReplaySendsFailedFilesBackThroughThePipeline) {
  ScenarioConfig c = Small();
  c.replay_failed = true;
  c.replay_at = sim::Minutes(40);
  const scenarios::RunSummary s = scenarios::RunScenario(c);
  EXPECT_EQ(s.files_replayed, 2u);
  // Poison stays poison: replayed, failed again, copied to failed/ again.
  EXPECT_EQ(s.files_through_dlq, 4u);
  EXPECT_EQ(s.conservation.failed.files, 2u);
  EXPECT_TRUE(s.conservation.ok()) << s.conservation.Table();
}

TEST(Pipeline, SameScenarioAndSeedGiveByteIdenticalReports) {
  const ScenarioConfig c = Small();
  const std::string a = scenarios::SummaryJson(c, scenarios::RunScenario(c));
  const std::string b = scenarios::SummaryJson(c, scenarios::RunScenario(c));
  EXPECT_EQ(a, b);
  ScenarioConfig other = c;
  other.seed = 2;
  const auto fa = nlohmann::json::parse(a)["run"]["fingerprint"];
  const auto fb = nlohmann::json::parse(scenarios::SummaryJson(other, scenarios::RunScenario(other)))["run"]["fingerprint"];
  EXPECT_NE(fa, fb);
}

TEST(Pipeline, DefaultScenarioRunsTwiceIdenticallyAndConserves) {
  const ScenarioConfig c = scenarios::DefaultScenario();
  const scenarios::RunSummary first = scenarios::RunScenario(c);
  EXPECT_TRUE(first.conservation.ok()) << first.conservation.Table();
  EXPECT_TRUE(first.drained);
  EXPECT_EQ(first.conservation.failed.files, 3u);
  const scenarios::RunSummary second = scenarios::RunScenario(c);
  EXPECT_EQ(scenarios::SummaryJson(c, first), scenarios::SummaryJson(c, second));
}

}  // namespace
