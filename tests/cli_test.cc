// The adpsim binary's contract: exit codes and files written.

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/wait.h>

namespace {

namespace fs = std::filesystem;

struct Result {
  int exit_code;
  std::string output;
};

Result RunAdpsim(const std::string& args) {
  // Appended piecewise: g++ 12 -O2 warns falsely (-Warray-bounds) on a chain of
  // operator+ starting from a string literal.
  std::string cmd = ADPSIM_BINARY;
  cmd += ' ';
  cmd += args;
  cmd += " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

fs::path TempDir(const std::string& name) {
  fs::path dir = fs::temp_directory_path() / ("adpsim_cli_test_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string WriteScenario(const fs::path& dir, const std::string& toml) {
  const fs::path p = dir / "scenario.toml";
  std::ofstream(p) << toml;
  return p.string();
}

const char* kQuick = R"toml(
[scenario]
name = "cli"
duration = "10m"
[load]
rate = 20
records_per_file = 100
poison_files = 1
[load.spike]
factor = 1
[latency]
s3 = "zero"
sqs = "zero"
sns = "zero"
notification_delay = "constant(1)"
)toml";

TEST(Cli, UnknownOptionExitsTwo) { EXPECT_EQ(RunAdpsim("run --no-such-flag").exit_code, 2); }

TEST(Cli, MissingScenarioFileExitsTwo) { EXPECT_EQ(RunAdpsim("run /nonexistent/scenario.toml").exit_code, 2); }

TEST(Cli, BadScenarioExitsTwoNamingFileLineAndField) {
  const fs::path dir = TempDir("bad");
  const std::string file = WriteScenario(dir, "[lambda]\nmemory_mb = 99999\n");
  const Result r = RunAdpsim("run " + file);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find(file + ":2:13: lambda.memory_mb: must be in 128..10240, got 99999"), std::string::npos)
      << r.output;
}

TEST(Cli, GoodRunExitsZeroAndWritesTheReport) {
  const fs::path dir = TempDir("good");
  const std::string file = WriteScenario(dir, kQuick);
  const Result r = RunAdpsim("run " + file + " --quiet --out " + (dir / "out").string());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output, "");
  EXPECT_TRUE(fs::exists(dir / "out" / "summary.json"));
  EXPECT_TRUE(fs::exists(dir / "out" / "summary.txt"));
}

TEST(Cli, UnexpectedLossExitsOneAndStillWritesTheReport) {
  const fs::path dir = TempDir("loss");
  // The scenario expects losses that do not happen: the assertion fails.
  std::string toml = kQuick;
  toml.append("[expect]\nlost_records = 5\n");
  const std::string file = WriteScenario(dir, toml);
  const Result r = RunAdpsim("run " + file + " --quiet --out " + (dir / "out").string());
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("conservation check failed"), std::string::npos);
  EXPECT_TRUE(fs::exists(dir / "out" / "summary.json"));
}

TEST(Cli, BrokenInvariantExitsThreeWithSimulatedTimeAndEventNumber) {
  const fs::path dir = TempDir("invariant");
  const std::string file = WriteScenario(dir, kQuick);
  const Result r = RunAdpsim("run " + file + " --quiet --debug-invariant-at 120");
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("adpsim: internal error: invariant violated at t=120.000000000s event #"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("injected by --debug-invariant-at"), std::string::npos);
}

TEST(Cli, BadLogLevelExitsTwo) {
  const fs::path dir = TempDir("loglevel");
  const std::string file = WriteScenario(dir, kQuick);
  EXPECT_EQ(RunAdpsim("run " + file + " --log-level loud").exit_code, 2);
}

TEST(Cli, SeedOptionChangesTheFingerprint) {
  const fs::path dir = TempDir("seed");
  const std::string file = WriteScenario(dir, kQuick);
  const Result a = RunAdpsim("run " + file + " --seed 1");
  const Result b = RunAdpsim("run " + file + " --seed 2");
  ASSERT_EQ(a.exit_code, 0) << a.output;
  ASSERT_EQ(b.exit_code, 0) << b.output;
  const auto fp = [](const std::string& out) { return out.substr(out.find("fingerprint ")); };
  EXPECT_NE(fp(a.output), fp(b.output));
  EXPECT_EQ(fp(a.output), fp(RunAdpsim("run " + file + " --seed 1").output));
}

}  // namespace
