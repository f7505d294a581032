#pragma once

// Simulated time: integer nanoseconds, never floating point, so event order
// and every report are identical across builds and machines.

#include <compare>
#include <cstdint>
#include <limits>
#include <string>

namespace sim {

class Duration {
 public:
  constexpr Duration() = default;
  static constexpr Duration FromNanos(int64_t ns) { return Duration(ns); }
  static constexpr Duration Zero() { return Duration(0); }
  static constexpr Duration Max() { return Duration(std::numeric_limits<int64_t>::max()); }

  constexpr int64_t nanos() const { return ns_; }
  constexpr double ToSeconds() const { return static_cast<double>(ns_) / 1e9; }
  constexpr double ToMillis() const { return static_cast<double>(ns_) / 1e6; }
  // Whole units, rounded toward zero.
  constexpr int64_t WholeSeconds() const { return ns_ / 1'000'000'000; }
  constexpr int64_t WholeMillis() const { return ns_ / 1'000'000; }

  constexpr auto operator<=>(const Duration&) const = default;
  constexpr Duration operator+(Duration o) const { return Duration(ns_ + o.ns_); }
  constexpr Duration operator-(Duration o) const { return Duration(ns_ - o.ns_); }
  constexpr Duration operator-() const { return Duration(-ns_); }
  constexpr Duration operator*(int64_t k) const { return Duration(ns_ * k); }
  constexpr Duration operator/(int64_t k) const { return Duration(ns_ / k); }
  constexpr int64_t operator/(Duration o) const { return ns_ / o.ns_; }
  constexpr Duration operator%(Duration o) const { return Duration(ns_ % o.ns_); }
  constexpr Duration& operator+=(Duration o) { ns_ += o.ns_; return *this; }
  constexpr Duration& operator-=(Duration o) { ns_ -= o.ns_; return *this; }

 private:
  constexpr explicit Duration(int64_t ns) : ns_(ns) {}
  int64_t ns_ = 0;
};

constexpr Duration operator*(int64_t k, Duration d) { return d * k; }

constexpr Duration Nanoseconds(int64_t n) { return Duration::FromNanos(n); }
constexpr Duration Microseconds(int64_t n) { return Duration::FromNanos(n * 1'000); }
constexpr Duration Milliseconds(int64_t n) { return Duration::FromNanos(n * 1'000'000); }
constexpr Duration Seconds(int64_t n) { return Duration::FromNanos(n * 1'000'000'000); }
constexpr Duration Minutes(int64_t n) { return Seconds(n * 60); }
constexpr Duration Hours(int64_t n) { return Seconds(n * 3600); }
constexpr Duration Days(int64_t n) { return Seconds(n * 86400); }
// From a floating-point number of seconds (config values, distribution
// draws), rounded to the nearest nanosecond; the queue itself never sees a double.
Duration SecondsF(double seconds);

// A point in simulated time: nanoseconds since the start of the run.
class Time {
 public:
  constexpr Time() = default;
  static constexpr Time FromNanos(int64_t ns) { return Time(ns); }
  static constexpr Time Zero() { return Time(0); }
  static constexpr Time Max() { return Time(std::numeric_limits<int64_t>::max()); }

  constexpr int64_t nanos() const { return ns_; }
  constexpr double ToSeconds() const { return static_cast<double>(ns_) / 1e9; }
  constexpr Duration SinceStart() const { return Duration::FromNanos(ns_); }

  constexpr auto operator<=>(const Time&) const = default;
  // Saturates at Time::Max(): "wait forever" (Sleep(Duration::Max())) is a
  // valid request, not an overflow.
  constexpr Time operator+(Duration d) const {
    if (d.nanos() > 0 && ns_ > std::numeric_limits<int64_t>::max() - d.nanos()) return Max();
    return Time(ns_ + d.nanos());
  }
  constexpr Time operator-(Duration d) const { return Time(ns_ - d.nanos()); }
  constexpr Duration operator-(Time o) const { return Duration::FromNanos(ns_ - o.ns_); }
  constexpr Time& operator+=(Duration d) { return *this = *this + d; }

 private:
  constexpr explicit Time(int64_t ns) : ns_(ns) {}
  int64_t ns_ = 0;
};

// "12.345678901s" — exact, for logs and golden files.
std::string ToString(Duration d);
std::string ToString(Time t);

// Calendar time for things that show dates (S3 LastModified, partition
// names): the run starts at a fixed epoch given in Unix nanoseconds.
struct CivilTime {
  int year, month, day, hour, minute, second, nanos;
};
CivilTime ToCivil(int64_t unix_nanos);
int64_t FromCivil(const CivilTime& c);  // unix nanos
// "2026-01-01T00:00:00.000Z" (milliseconds, as AWS prints).
std::string FormatIso8601(int64_t unix_nanos);

}  // namespace sim
