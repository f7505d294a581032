#include "sim/time.h"

#include <cmath>
#include <cstdio>

namespace sim {

Duration SecondsF(double seconds) {
  return Duration::FromNanos(static_cast<int64_t>(std::llround(seconds * 1e9)));
}

std::string ToString(Duration d) {
  int64_t ns = d.nanos();
  const char* sign = "";
  uint64_t mag = static_cast<uint64_t>(ns);
  if (ns < 0) {
    sign = "-";
    mag = 0 - mag;
  }
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s%llu.%09llus", sign,
                static_cast<unsigned long long>(mag / 1'000'000'000),
                static_cast<unsigned long long>(mag % 1'000'000'000));
  return buf;
}

std::string ToString(Time t) { return ToString(t.SinceStart()); }

// Howard Hinnant's civil-from-days / days-from-civil (public domain).
static int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

CivilTime ToCivil(int64_t unix_nanos) {
  constexpr int64_t kNsPerDay = 86'400'000'000'000;
  int64_t days = unix_nanos / kNsPerDay;
  int64_t rem = unix_nanos % kNsPerDay;
  if (rem < 0) {
    rem += kNsPerDay;
    --days;
  }
  const int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  CivilTime c{};
  c.year = static_cast<int>(y + (m <= 2));
  c.month = static_cast<int>(m);
  c.day = static_cast<int>(d);
  const int64_t secs = rem / 1'000'000'000;
  c.hour = static_cast<int>(secs / 3600);
  c.minute = static_cast<int>(secs / 60 % 60);
  c.second = static_cast<int>(secs % 60);
  c.nanos = static_cast<int>(rem % 1'000'000'000);
  return c;
}

int64_t FromCivil(const CivilTime& c) {
  const int64_t days = DaysFromCivil(c.year, static_cast<unsigned>(c.month), static_cast<unsigned>(c.day));
  return ((days * 86400 + c.hour * 3600 + c.minute * 60 + c.second) * 1'000'000'000) + c.nanos;
}

std::string FormatIso8601(int64_t unix_nanos) {
  const CivilTime c = ToCivil(unix_nanos);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", c.year, c.month, c.day, c.hour,
                c.minute, c.second, c.nanos / 1'000'000);
  return buf;
}

}  // namespace sim
