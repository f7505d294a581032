#include "sim/time.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "sim/rng.h"

namespace sim {
namespace {

constexpr int64_t kNsPerSec = 1'000'000'000;
// 2026-01-01T00:00:00Z in Unix seconds (checked against Python's calendar.timegm).
constexpr int64_t k2026Seconds = 1'767'225'600;

TEST(Time, UnitHelpersGiveExactNanoseconds) {
  EXPECT_EQ(Nanoseconds(7).nanos(), 7);
  EXPECT_EQ(Microseconds(3).nanos(), 3'000);
  EXPECT_EQ(Milliseconds(2).nanos(), 2'000'000);
  EXPECT_EQ(Seconds(5).nanos(), 5 * kNsPerSec);
  EXPECT_EQ(Minutes(2).nanos(), 120 * kNsPerSec);
  EXPECT_EQ(Hours(1).nanos(), 3'600 * kNsPerSec);
  EXPECT_EQ(Days(2).nanos(), 172'800 * kNsPerSec);
  EXPECT_EQ(Duration::Zero().nanos(), 0);
  EXPECT_EQ(Duration::Max().nanos(), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(Duration().nanos(), 0);
}

TEST(Time, HelpersAreConstexpr) {
  static_assert(Seconds(1) == Milliseconds(1000));
  static_assert(Minutes(1) == Seconds(60));
  static_assert(Hours(1) == Minutes(60));
  static_assert(Days(1) == Hours(24));
  static_assert(Milliseconds(1) == Microseconds(1000));
  static_assert(Microseconds(1) == Nanoseconds(1000));
  EXPECT_EQ(Days(1).nanos(), 86'400 * kNsPerSec);
}

TEST(Time, DurationArithmetic) {
  const Duration a = Seconds(3);
  const Duration b = Milliseconds(500);
  EXPECT_EQ(a + b, Milliseconds(3500));
  EXPECT_EQ(a - b, Milliseconds(2500));
  EXPECT_EQ(b - a, Milliseconds(-2500));
  EXPECT_EQ(-a, Seconds(-3));
  EXPECT_EQ(a * 4, Seconds(12));
  EXPECT_EQ(4 * a, Seconds(12));
  EXPECT_EQ(a / 4, Milliseconds(750));
  EXPECT_EQ(Nanoseconds(7) / 2, Nanoseconds(3));  // integer division
  EXPECT_EQ(a / b, 6);
  EXPECT_EQ(Milliseconds(3700) % Seconds(1), Milliseconds(700));
  Duration c = a;
  c += b;
  EXPECT_EQ(c, Milliseconds(3500));
  c -= Seconds(1);
  EXPECT_EQ(c, Milliseconds(2500));
}

TEST(Time, DurationComparisons) {
  EXPECT_LT(Nanoseconds(1), Microseconds(1));
  EXPECT_GT(Seconds(1), Milliseconds(999));
  EXPECT_EQ(Seconds(60), Minutes(1));
  EXPECT_NE(Seconds(1), Seconds(2));
  EXPECT_LE(Seconds(1), Seconds(1));
  EXPECT_LT(-Seconds(1), Duration::Zero());
}

TEST(Time, DurationConversions) {
  EXPECT_DOUBLE_EQ(Milliseconds(1500).ToSeconds(), 1.5);
  EXPECT_DOUBLE_EQ(Microseconds(2500).ToMillis(), 2.5);
  EXPECT_EQ(Milliseconds(1999).WholeSeconds(), 1);
  EXPECT_EQ(Milliseconds(-1999).WholeSeconds(), -1);  // toward zero
  EXPECT_EQ(Microseconds(2999).WholeMillis(), 2);
  EXPECT_EQ(Microseconds(-2999).WholeMillis(), -2);
}

TEST(Time, TimeArithmetic) {
  const Time t = Time::Zero() + Seconds(10);
  EXPECT_EQ(t.nanos(), 10 * kNsPerSec);
  EXPECT_EQ(t + Milliseconds(5), Time::FromNanos(10 * kNsPerSec + 5'000'000));
  EXPECT_EQ(t - Seconds(4), Time::FromNanos(6 * kNsPerSec));
  EXPECT_EQ(t - Time::FromNanos(kNsPerSec), Seconds(9));
  EXPECT_EQ(Time::FromNanos(kNsPerSec) - t, Seconds(-9));
  Time u = t;
  u += Minutes(1);
  EXPECT_EQ(u, Time::FromNanos(70 * kNsPerSec));
  EXPECT_EQ(u.SinceStart(), Seconds(70));
  EXPECT_DOUBLE_EQ(u.ToSeconds(), 70.0);
  EXPECT_LT(t, u);
  EXPECT_EQ(Time(), Time::Zero());
  EXPECT_EQ(Time::Max().nanos(), std::numeric_limits<int64_t>::max());
}

TEST(Time, ToStringIsExactWithNineFractionDigits) {
  EXPECT_EQ(ToString(Seconds(12) + Nanoseconds(345'678'901)), "12.345678901s");
  EXPECT_EQ(ToString(Duration::Zero()), "0.000000000s");
  EXPECT_EQ(ToString(Nanoseconds(1)), "0.000000001s");
  EXPECT_EQ(ToString(Milliseconds(1500)), "1.500000000s");
  EXPECT_EQ(ToString(Hours(1)), "3600.000000000s");
  EXPECT_EQ(ToString(Time::FromNanos(42 * kNsPerSec + 7)), "42.000000007s");
}

TEST(Time, ToStringOfNegativeDurations) {
  EXPECT_EQ(ToString(-Milliseconds(1500)), "-1.500000000s");
  EXPECT_EQ(ToString(Nanoseconds(-1)), "-0.000000001s");
}

TEST(Time, ToStringOfExtremes) {
  EXPECT_EQ(ToString(Duration::Max()), "9223372036.854775807s");
  EXPECT_EQ(ToString(Duration::FromNanos(std::numeric_limits<int64_t>::min())), "-9223372036.854775808s");
}

TEST(Time, SecondsFRoundsToNearestNanosecond) {
  EXPECT_EQ(SecondsF(1.5), Milliseconds(1500));
  EXPECT_EQ(SecondsF(0.1), Milliseconds(100));  // 0.1 * 1e9 is not exactly 1e8 in binary
  EXPECT_EQ(SecondsF(1e-9), Nanoseconds(1));
  EXPECT_EQ(SecondsF(0.4e-9), Nanoseconds(0));
  EXPECT_EQ(SecondsF(0.6e-9), Nanoseconds(1));
  EXPECT_EQ(SecondsF(1.0000000004), Nanoseconds(1'000'000'000));
  EXPECT_EQ(SecondsF(1.0000000006), Nanoseconds(1'000'000'001));
  EXPECT_EQ(SecondsF(-0.25), Milliseconds(-250));
  EXPECT_EQ(SecondsF(-0.6e-9), Nanoseconds(-1));
  EXPECT_EQ(SecondsF(0.0), Duration::Zero());
  EXPECT_EQ(SecondsF(86400.0), Days(1));
}

TEST(Time, FormatIso8601OfUnixEpoch) { EXPECT_EQ(FormatIso8601(0), "1970-01-01T00:00:00.000Z"); }

TEST(Time, FormatIso8601OfNewYear2026) {
  EXPECT_EQ(FormatIso8601(k2026Seconds * kNsPerSec), "2026-01-01T00:00:00.000Z");
}

TEST(Time, FormatIso8601TruncatesToMilliseconds) {
  EXPECT_EQ(FormatIso8601(k2026Seconds * kNsPerSec + 1'234'567'891), "2026-01-01T00:00:01.234Z");
  EXPECT_EQ(FormatIso8601(k2026Seconds * kNsPerSec + 999'999), "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(k2026Seconds * kNsPerSec - 1), "2025-12-31T23:59:59.999Z");
}

TEST(Time, FormatIso8601FieldsArePadded) {
  // 2026-03-04T05:06:07.008Z
  const int64_t t = FromCivil(CivilTime{2026, 3, 4, 5, 6, 7, 8'000'000});
  EXPECT_EQ(FormatIso8601(t), "2026-03-04T05:06:07.008Z");
}

TEST(Time, FromCivilMatchesKnownUnixTimes) {
  EXPECT_EQ(FromCivil(CivilTime{1970, 1, 1, 0, 0, 0, 0}), 0);
  EXPECT_EQ(FromCivil(CivilTime{2026, 1, 1, 0, 0, 0, 0}), k2026Seconds * kNsPerSec);
  EXPECT_EQ(FromCivil(CivilTime{2000, 2, 29, 0, 0, 0, 0}), int64_t{951'782'400} * kNsPerSec);
  EXPECT_EQ(FromCivil(CivilTime{1900, 3, 1, 0, 0, 0, 0}), int64_t{-2'203'891'200} * kNsPerSec);
  EXPECT_EQ(FromCivil(CivilTime{1970, 1, 1, 1, 2, 3, 4}), (3'723 * kNsPerSec) + 4);
}

TEST(Time, ToCivilSplitsAllFields) {
  const CivilTime c = ToCivil(k2026Seconds * kNsPerSec + Days(45).nanos() + Hours(13).nanos() + Minutes(14).nanos() +
                              Seconds(15).nanos() + 16);
  EXPECT_EQ(c.year, 2026);
  EXPECT_EQ(c.month, 2);
  EXPECT_EQ(c.day, 15);
  EXPECT_EQ(c.hour, 13);
  EXPECT_EQ(c.minute, 14);
  EXPECT_EQ(c.second, 15);
  EXPECT_EQ(c.nanos, 16);
}

TEST(Time, ToCivilBeforeTheEpoch) {
  const CivilTime c = ToCivil(-1);
  EXPECT_EQ(c.year, 1969);
  EXPECT_EQ(c.month, 12);
  EXPECT_EQ(c.day, 31);
  EXPECT_EQ(c.hour, 23);
  EXPECT_EQ(c.minute, 59);
  EXPECT_EQ(c.second, 59);
  EXPECT_EQ(c.nanos, 999'999'999);
  EXPECT_EQ(FormatIso8601(-1), "1969-12-31T23:59:59.999Z");
}

TEST(Time, CivilRoundTripsAcrossCenturies) {
  // int64 nanoseconds span 1677..2262.
  Rng rng(2026);
  const int64_t lo = FromCivil(CivilTime{1800, 1, 1, 0, 0, 0, 0});
  const int64_t hi = FromCivil(CivilTime{2250, 1, 1, 0, 0, 0, 0});
  const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  for (int i = 0; i < 100'000; ++i) {
    const int64_t t = static_cast<int64_t>(static_cast<uint64_t>(lo) + rng.UniformInt(span));
    const CivilTime c = ToCivil(t);
    ASSERT_EQ(FromCivil(c), t) << "t=" << t;
    ASSERT_GE(c.month, 1);
    ASSERT_LE(c.month, 12);
    ASSERT_GE(c.day, 1);
    ASSERT_LE(c.day, 31);
    ASSERT_LT(c.hour, 24);
    ASSERT_LT(c.minute, 60);
    ASSERT_LT(c.second, 60);
    ASSERT_LT(c.nanos, 1'000'000'000);
  }
}

TEST(Time, ConsecutiveDaysAreContiguous) {
  // Walking day by day from 1899 to 2101 never skips or repeats a date.
  int64_t t = FromCivil(CivilTime{1899, 12, 31, 12, 0, 0, 0});
  CivilTime prev = ToCivil(t);
  for (int i = 0; i < 73'500; ++i) {
    t += Days(1).nanos();
    const CivilTime c = ToCivil(t);
    const bool next_day = c.year == prev.year && c.month == prev.month && c.day == prev.day + 1;
    const bool next_month = c.year == prev.year && c.month == prev.month + 1 && c.day == 1;
    const bool next_year = c.year == prev.year + 1 && c.month == 1 && c.day == 1 && prev.month == 12;
    ASSERT_TRUE(next_day || next_month || next_year) << c.year << "-" << c.month << "-" << c.day;
    ASSERT_EQ(c.hour, 12);
    prev = c;
  }
}

int64_t DaysInYear(int year) {
  return (FromCivil(CivilTime{year + 1, 1, 1, 0, 0, 0, 0}) - FromCivil(CivilTime{year, 1, 1, 0, 0, 0, 0})) /
         Days(1).nanos();
}

int DaysInFebruary(int year) {
  return static_cast<int>(
      (FromCivil(CivilTime{year, 3, 1, 0, 0, 0, 0}) - FromCivil(CivilTime{year, 2, 1, 0, 0, 0, 0})) / Days(1).nanos());
}

TEST(Time, LeapYears) {
  EXPECT_EQ(DaysInYear(2024), 366);
  EXPECT_EQ(DaysInYear(2025), 365);
  EXPECT_EQ(DaysInYear(2000), 366);  // divisible by 400
  EXPECT_EQ(DaysInYear(1900), 365);  // divisible by 100 only
  EXPECT_EQ(DaysInYear(2100), 365);
  EXPECT_EQ(DaysInFebruary(2024), 29);
  EXPECT_EQ(DaysInFebruary(2026), 28);
  EXPECT_EQ(DaysInFebruary(2000), 29);
  EXPECT_EQ(DaysInFebruary(1900), 28);
}

TEST(Time, DayAfterFebruary28) {
  const int64_t day = Days(1).nanos();
  EXPECT_EQ(FormatIso8601(FromCivil(CivilTime{2024, 2, 28, 0, 0, 0, 0}) + day), "2024-02-29T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(FromCivil(CivilTime{2023, 2, 28, 0, 0, 0, 0}) + day), "2023-03-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(FromCivil(CivilTime{2000, 2, 28, 0, 0, 0, 0}) + day), "2000-02-29T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(FromCivil(CivilTime{1900, 2, 28, 0, 0, 0, 0}) + day), "1900-03-01T00:00:00.000Z");
}

}  // namespace
TEST(Time, AddingPastTheEndSaturatesAtMax) {
  EXPECT_EQ(Time::Zero() + Duration::Max(), Time::Max());
  EXPECT_EQ((Time::Max() - Seconds(1)) + Seconds(5), Time::Max());
  Time t = Time::FromNanos(10);
  t += Duration::Max();
  EXPECT_EQ(t, Time::Max());
  EXPECT_EQ(Time::FromNanos(10) + Nanoseconds(5), Time::FromNanos(15));
  EXPECT_EQ(Time::FromNanos(10) + Nanoseconds(-5), Time::FromNanos(5));
}

}  // namespace sim
