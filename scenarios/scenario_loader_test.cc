#include "scenarios/scenario_loader.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "scenarios/runner.h"

namespace scenarios {
namespace {

std::string ErrorOf(const std::string& toml) {
  try {
    LoadScenarioText(toml, "s.toml");
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "";
}

TEST(ScenarioLoader, DefaultTomlEqualsBuiltInDefault) {
  const ScenarioConfig file = LoadScenarioFile(std::string(ADPSIM_SCENARIO_DIR) + "/default.toml");
  const ScenarioConfig builtin = DefaultScenario();
  RunSummary empty;
  // The report echoes every field of the configuration: equal echoes, equal configs.
  const auto a = nlohmann::json::parse(SummaryJson(file, empty))["config"];
  const auto b = nlohmann::json::parse(SummaryJson(builtin, empty))["config"];
  EXPECT_EQ(a, b);
  EXPECT_EQ(file.description, builtin.description);
}

TEST(ScenarioLoader, EmptyFileGivesDefaults) {
  const ScenarioConfig c = LoadScenarioText("", "empty.toml");
  EXPECT_EQ(c.name, "default");
  EXPECT_EQ(c.duration, sim::Hours(3));
  EXPECT_EQ(c.pollers, 5);
}

TEST(ScenarioLoader, ReadsEveryTable) {
  const ScenarioConfig c = LoadScenarioText(R"toml(
[scenario]
name = "spike"
seed = 7
duration = "1h30m"
drain = 600
[load]
rate = 1000.5
records_per_file = 500
dirty_ratio = 0.1
poison_files = 2
[load.spike]
start = "10m"
length = "5m"
factor = 4
[lambda]
memory_mb = 512
timeout = "30s"
pollers = 12
batch_size = 3
[queue]
visibility_timeout = "3m"
max_receive_count = 5
retention = "1h"
[latency]
s3 = "zero"
notification_delay = "constant(2)"
[retry]
mode = "adaptive"
max_attempts = 4
[replay]
failed = true
at = "2h"
[expect]
lost_records = 12
)toml", "t.toml");
  EXPECT_EQ(c.name, "spike");
  EXPECT_EQ(c.seed, 7u);
  EXPECT_EQ(c.duration, sim::Minutes(90));
  EXPECT_EQ(c.drain, sim::Seconds(600));
  EXPECT_DOUBLE_EQ(c.rate, 1000.5);
  EXPECT_EQ(c.records_per_file, 500u);
  EXPECT_DOUBLE_EQ(c.dirty_ratio, 0.1);
  EXPECT_EQ(c.poison_files, 2);
  EXPECT_EQ(c.spike_start, sim::Minutes(10));
  EXPECT_EQ(c.spike_length, sim::Minutes(5));
  EXPECT_DOUBLE_EQ(c.spike_factor, 4);
  EXPECT_EQ(c.memory_mb, 512);
  EXPECT_EQ(c.timeout, sim::Seconds(30));
  EXPECT_EQ(c.pollers, 12);
  EXPECT_EQ(c.batch_size, 3);
  EXPECT_EQ(c.visibility_timeout, sim::Minutes(3));
  EXPECT_EQ(c.max_receive_count, 5);
  EXPECT_EQ(c.retention, sim::Hours(1));
  EXPECT_EQ(c.s3_latency.kind, emu::LatencySpec::Kind::kZero);
  EXPECT_EQ(c.notification_delay.ToString(), "constant(2)");
  EXPECT_EQ(c.retry_mode, "adaptive");
  EXPECT_EQ(c.retry_max_attempts, 4);
  EXPECT_TRUE(c.replay_failed);
  EXPECT_EQ(c.replay_at, sim::Hours(2));
  EXPECT_EQ(c.lost_records, 12u);
}

TEST(ScenarioLoader, UnknownKeyNamesFileLineColumnAndField) {
  EXPECT_EQ(ErrorOf("[load]\nrate = 5\nrecords_per_fil = 10\n"),
            "s.toml:3:1: load.records_per_fil: unknown key (known: rate, records_per_file, producers, dirty_ratio, "
            "poison_files, spike)");
}

TEST(ScenarioLoader, UnknownTableIsRejected) {
  EXPECT_EQ(ErrorOf("[lamda]\nmemory_mb = 5\n").substr(0, 23), "s.toml:1:2: lamda: unkn");
}

TEST(ScenarioLoader, WrongTypeIsRejected) {
  EXPECT_EQ(ErrorOf("[lambda]\nmemory_mb = \"big\"\n"), "s.toml:2:13: lambda.memory_mb: must be an integer");
}

TEST(ScenarioLoader, OutOfRangeIsRejected) {
  EXPECT_EQ(ErrorOf("[lambda]\nmemory_mb = 64\n"), "s.toml:2:13: lambda.memory_mb: must be in 128..10240, got 64");
  EXPECT_EQ(ErrorOf("[load]\ndirty_ratio = 1.5\n"), "s.toml:2:15: load.dirty_ratio: must be in 0..1, got 1.5");
  EXPECT_EQ(ErrorOf("[queue]\nmax_receive_count = 0\n"),
            "s.toml:2:21: queue.max_receive_count: must be in 1..1000, got 0");
}

TEST(ScenarioLoader, BadDurationIsRejected) {
  EXPECT_EQ(ErrorOf("[scenario]\nduration = \"3 hours\"\n"),
            "s.toml:2:12: scenario.duration: not a duration (examples: \"90s\", \"20m\", \"3h\", \"1h30m\", \"250ms\")");
  EXPECT_EQ(ErrorOf("[queue]\nretention = \"30s\"\n"), "s.toml:2:13: queue.retention: must be in 1m..14d, got 30s");
}

TEST(ScenarioLoader, BadLatencyIsRejected) {
  EXPECT_NE(ErrorOf("[latency]\ns3 = \"gaussian(1)\"\n").find("s.toml:2:6: latency.s3: latency 'gaussian(1)'"),
            std::string::npos);
}

TEST(ScenarioLoader, BadRetryModeIsRejected) {
  EXPECT_EQ(ErrorOf("[retry]\nmode = \"eager\"\n"),
            "s.toml:2:8: retry.mode: must be \"legacy\", \"standard\" or \"adaptive\", got \"eager\"");
}

TEST(ScenarioLoader, VisibilityTimeoutBelowFunctionTimeoutIsRejected) {
  const std::string e = ErrorOf("[lambda]\ntimeout = \"5m\"\n[queue]\nvisibility_timeout = \"1m\"\n");
  EXPECT_EQ(e.substr(0, 43), "s.toml:4:22: queue.visibility_timeout: the ");
}

TEST(ScenarioLoader, TomlSyntaxErrorNamesThePosition) {
  EXPECT_EQ(ErrorOf("[load\nrate = 1\n").substr(0, 9), "s.toml:1:");
}

TEST(ScenarioLoader, MissingFileIsAScenarioError) {
  EXPECT_THROW(LoadScenarioFile("/nonexistent/x.toml"), ScenarioError);
}

TEST(ScenarioLoader, DurationsParseAndFormat) {
  sim::Duration d;
  ASSERT_TRUE(ParseDuration("1h30m", &d));
  EXPECT_EQ(d, sim::Minutes(90));
  ASSERT_TRUE(ParseDuration("250ms", &d));
  EXPECT_EQ(d, sim::Milliseconds(250));
  ASSERT_TRUE(ParseDuration("2d", &d));
  EXPECT_EQ(d, sim::Days(2));
  EXPECT_FALSE(ParseDuration("", &d));
  EXPECT_FALSE(ParseDuration("h", &d));
  EXPECT_FALSE(ParseDuration("5", &d));
  EXPECT_FALSE(ParseDuration("5x", &d));
  EXPECT_EQ(FormatDuration(sim::Minutes(90)), "1h30m");
  EXPECT_EQ(FormatDuration(sim::Milliseconds(1500)), "1s500ms");
  EXPECT_EQ(FormatDuration(sim::Duration::Zero()), "0s");
}

}  // namespace
}  // namespace scenarios
