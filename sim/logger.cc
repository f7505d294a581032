#include "sim/logger.h"

#include <cstdio>

namespace sim {

std::string_view LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kTrace: return "TRACE";
    case LogLevel::kDebug: return "DEBUG";
    case LogLevel::kInfo: return "INFO";
    case LogLevel::kWarn: return "WARN";
    case LogLevel::kError: return "ERROR";
    case LogLevel::kOff: return "OFF";
  }
  return "?";
}

std::string FormatLogRecord(const LogRecord& r) {
  char head[64];
  std::snprintf(head, sizeof head, "[%18s #%llu] %-5s ", ToString(r.time).c_str(),
                static_cast<unsigned long long>(r.event_number), LogLevelName(r.level).data());
  std::string line(head);
  line += r.component;
  line += ": ";
  line += r.message;
  return line;
}

void StderrLogSink::Write(const LogRecord& record) {
  std::string line = FormatLogRecord(record);
  line += '\n';
  std::fputs(line.c_str(), stderr);
}

void Logger::Log(LogLevel level, std::string_view component, std::string_view message) const {
  if (!Enabled(level)) return;
  sink_->Write(LogRecord{level, clock_.LogTime(), clock_.LogEventNumber(), component, message});
}

}  // namespace sim
