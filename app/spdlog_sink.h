#pragma once

// The CLI's log sink: kernel log records (already stamped with simulated
// time and event number) written through spdlog to stderr. spdlog stays out
// of sim/: the kernel only knows the LogSink interface.

#include <memory>

#include "sim/logger.h"

namespace spdlog {
class logger;
}

namespace app {

class SpdlogSink : public sim::LogSink {
 public:
  SpdlogSink();
  void Write(const sim::LogRecord& record) override;

 private:
  std::shared_ptr<spdlog::logger> logger_;
};

// "trace", "debug", "info", "warn", "error", "off".
bool ParseLogLevel(const std::string& text, sim::LogLevel* level);

}  // namespace app
