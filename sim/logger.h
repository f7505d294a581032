#pragma once

// Logging without dependencies: every line is stamped with simulated time and
// event number by the kernel. Sinks (stderr here; spdlog lives in the app)
// plug in behind LogSink. SIM_LOG builds the message only when enabled.

#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

#include "sim/time.h"

namespace sim {

enum class LogLevel : uint8_t { kTrace, kDebug, kInfo, kWarn, kError, kOff };
std::string_view LogLevelName(LogLevel level);

struct LogRecord {
  LogLevel level;
  Time time;
  uint64_t event_number;
  std::string_view component;
  std::string_view message;
};

class LogSink {
 public:
  virtual ~LogSink() = default;
  virtual void Write(const LogRecord& record) = 0;
};

// "[   12.000000000s #42] INFO  sqs: message"
std::string FormatLogRecord(const LogRecord& record);

class StderrLogSink : public LogSink {
 public:
  void Write(const LogRecord& record) override;
};

class Logger {
 public:
  struct Clock {
    virtual ~Clock() = default;
    virtual Time LogTime() const = 0;
    virtual uint64_t LogEventNumber() const = 0;
  };
  explicit Logger(const Clock& clock) : clock_(clock) {}

  void set_sink(LogSink* sink) { sink_ = sink; }
  void set_level(LogLevel level) { level_ = level; }
  LogLevel level() const { return level_; }
  bool Enabled(LogLevel level) const { return sink_ != nullptr && level >= level_; }
  void Log(LogLevel level, std::string_view component, std::string_view message) const;

 private:
  const Clock& clock_;
  LogSink* sink_ = nullptr;
  LogLevel level_ = LogLevel::kWarn;
};

}  // namespace sim

#define SIM_LOG(logger, lvl, component, stream_expr)          \
  do {                                                        \
    if ((logger).Enabled(::sim::LogLevel::lvl)) {             \
      std::ostringstream sim_log_os_;                         \
      sim_log_os_ << stream_expr;                             \
      (logger).Log(::sim::LogLevel::lvl, component, sim_log_os_.str()); \
    }                                                         \
  } while (0)
