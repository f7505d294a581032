#include "sim/logger.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/scheduler.h"

namespace sim {
namespace {

// Keeps copies: a LogRecord's views die with the Log() call.
struct Captured {
  LogLevel level;
  Time time;
  uint64_t event_number;
  std::string component;
  std::string message;
};

class CaptureSink : public LogSink {
 public:
  void Write(const LogRecord& r) override {
    records.push_back(Captured{r.level, r.time, r.event_number, std::string(r.component), std::string(r.message)});
  }
  std::vector<Captured> records;
};

TEST(Logger, DisabledWithoutASink) {
  Scheduler s;
  EXPECT_EQ(s.log().level(), LogLevel::kWarn);
  EXPECT_FALSE(s.log().Enabled(LogLevel::kError));
}

TEST(Logger, RecordsCarrySimulatedTimeAndEventNumber) {
  Scheduler s;
  CaptureSink sink;
  s.log().set_sink(&sink);
  s.log().set_level(LogLevel::kDebug);
  s.ScheduleAt(Time::Zero() + Seconds(1), [] {});
  s.ScheduleAt(Time::Zero() + Milliseconds(3250), [&] { SIM_LOG(s.log(), kInfo, "sqs", "sent " << 5 << " messages"); });
  s.Run();
  ASSERT_EQ(sink.records.size(), 1u);
  const Captured& r = sink.records[0];
  EXPECT_EQ(r.level, LogLevel::kInfo);
  EXPECT_EQ(r.time, Time::Zero() + Milliseconds(3250));
  EXPECT_EQ(r.event_number, 2u);
  EXPECT_EQ(r.component, "sqs");
  EXPECT_EQ(r.message, "sent 5 messages");
}

TEST(Logger, LevelFiltersRecordsWithoutFormattingThem) {
  Scheduler s;
  CaptureSink sink;
  s.log().set_sink(&sink);
  s.log().set_level(LogLevel::kWarn);
  int formatted = 0;
  auto count = [&formatted] { return ++formatted; };
  SIM_LOG(s.log(), kDebug, "x", "debug " << count());
  SIM_LOG(s.log(), kInfo, "x", "info " << count());
  SIM_LOG(s.log(), kWarn, "x", "warn " << count());
  SIM_LOG(s.log(), kError, "x", "error " << count());
  EXPECT_EQ(formatted, 2);
  ASSERT_EQ(sink.records.size(), 2u);
  EXPECT_EQ(sink.records[0].message, "warn 1");
  EXPECT_EQ(sink.records[1].message, "error 2");
  s.log().set_level(LogLevel::kOff);
  SIM_LOG(s.log(), kError, "x", "off " << count());
  EXPECT_EQ(sink.records.size(), 2u);
}

TEST(Logger, FormatLogRecordIsFixedWidth) {
  const LogRecord r{LogLevel::kInfo, Time::Zero() + Seconds(12), 42, "sqs", "message"};
  EXPECT_EQ(FormatLogRecord(r), "[     12.000000000s #42] INFO  sqs: message");
  const LogRecord w{LogLevel::kError, Time::FromNanos(1), 7, "s3", "x"};
  EXPECT_EQ(FormatLogRecord(w), "[      0.000000001s #7] ERROR s3: x");
}

TEST(Logger, LevelNames) {
  EXPECT_EQ(LogLevelName(LogLevel::kTrace), "TRACE");
  EXPECT_EQ(LogLevelName(LogLevel::kDebug), "DEBUG");
  EXPECT_EQ(LogLevelName(LogLevel::kInfo), "INFO");
  EXPECT_EQ(LogLevelName(LogLevel::kWarn), "WARN");
  EXPECT_EQ(LogLevelName(LogLevel::kError), "ERROR");
  EXPECT_EQ(LogLevelName(LogLevel::kOff), "OFF");
}

}  // namespace
}  // namespace sim
