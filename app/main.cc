// adpsim: the command-line entry point. main only wires subcommands and maps
// failures to exit codes.

#include <malloc.h>

#include <cstdio>
#include <exception>

#include "app/commands.h"
#include "sim/check.h"

int main(int argc, char** argv) {
  // Raw files and their outputs are ~0.5 MB strings made and freed by the
  // thousand; without this glibc maps and unmaps each one (page faults were
  // ~10% of a run).
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  CLI::App app{"adpsim: a deterministic simulator of the Autodesk near-real-time log pipeline on AWS"};
  app.require_subcommand(1);
  app::SetupRun(app);
  app::SetupDemo(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? app::kExitOk : app::kExitBadInput;
  } catch (const app::ExitCode& e) {
    return e.code;
  } catch (const sim::InvariantViolation& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "adpsim: internal error: %s\n", e.what());
    return app::kExitInternal;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "adpsim: internal error: %s\n", e.what());
    return app::kExitInternal;
  }
  return app::kExitOk;
}
