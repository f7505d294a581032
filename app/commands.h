#pragma once

// One subcommand per file: SetupX binds options to a struct and a callback.
// Callbacks throw ExitCode to finish with a specific status.

#include <CLI/CLI.hpp>

#include "scenarios/mmc_demo.h"

namespace app {

// Exit codes of every adpsim command.
enum Exit : int {
  kExitOk = 0,
  kExitAssertionFailed = 1,  // a run's assertion failed; the report is written
  kExitBadInput = 2,
  kExitInternal = 3,         // invariant violation, after flushing what we have
};

struct ExitCode {
  int code;
};

void SetupDemo(CLI::App& app);
void RunDemo(const scenarios::MmcConfig& config);
void SetupRun(CLI::App& app);

}  // namespace app
