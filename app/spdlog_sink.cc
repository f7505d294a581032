#include "app/spdlog_sink.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace app {

SpdlogSink::SpdlogSink() : logger_(spdlog::stderr_color_st("adpsim")) {
  // The record carries simulated time; a wall-clock stamp would make logs
  // differ between identical runs.
  logger_->set_pattern("%v");
  logger_->set_level(spdlog::level::trace);
}

void SpdlogSink::Write(const sim::LogRecord& record) {
  spdlog::level::level_enum level = spdlog::level::info;
  switch (record.level) {
    case sim::LogLevel::kTrace: level = spdlog::level::trace; break;
    case sim::LogLevel::kDebug: level = spdlog::level::debug; break;
    case sim::LogLevel::kInfo: level = spdlog::level::info; break;
    case sim::LogLevel::kWarn: level = spdlog::level::warn; break;
    case sim::LogLevel::kError: level = spdlog::level::err; break;
    case sim::LogLevel::kOff: return;
  }
  logger_->log(level, "{}", sim::FormatLogRecord(record));
}

bool ParseLogLevel(const std::string& text, sim::LogLevel* level) {
  static const std::pair<const char*, sim::LogLevel> kLevels[] = {
      {"trace", sim::LogLevel::kTrace}, {"debug", sim::LogLevel::kDebug}, {"info", sim::LogLevel::kInfo},
      {"warn", sim::LogLevel::kWarn},   {"error", sim::LogLevel::kError}, {"off", sim::LogLevel::kOff}};
  for (const auto& [name, l] : kLevels) {
    if (text == name) {
      *level = l;
      return true;
    }
  }
  return false;
}

}  // namespace app
