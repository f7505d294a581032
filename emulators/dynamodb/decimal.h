#pragma once

// An exact decimal number with DynamoDB's Number rules: at most 38
// significant digits, magnitudes from 1E-130 to 9.99..E+125 (or zero), and
// arithmetic that is exact or fails (it never rounds and never touches
// `double`). The value is coefficient * 10^exponent with the coefficient
// kept in a 128-bit integer (10^38 < 2^128) and stripped of trailing zeros,
// so equal numbers have equal representations and ADD/SET arithmetic is a
// few integer operations, not a string algorithm.

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "sim/status.h"

namespace emu::dynamodb {

__extension__ typedef unsigned __int128 Uint128;

class Decimal {
 public:
  static constexpr int kMaxDigits = 38;
  // Bounds on the scientific exponent (the exponent of the leading digit).
  static constexpr int kMaxAdjustedExponent = 125;
  static constexpr int kMinAdjustedExponent = -130;

  Decimal() = default;  // zero

  // Accepts what DynamoDB accepts ("-1.50", "1e5", "+.5", "5.", "1E-130").
  // Errors are ValidationException with DynamoDB's messages:
  //   "The parameter cannot be converted to a numeric value[: text]"
  //   "Attempting to store more than 38 significant digits in a Number"
  //   "Number overflow. Attempting to store a number with magnitude larger than supported range"
  //   "Number underflow. Attempting to store a number with magnitude smaller than supported range"
  static sim::StatusOr<Decimal> Parse(std::string_view text);
  static Decimal FromInt(int64_t value);

  // Exact; fails with the messages above when the exact result does not fit.
  static sim::StatusOr<Decimal> Add(const Decimal& a, const Decimal& b);
  static sim::StatusOr<Decimal> Subtract(const Decimal& a, const Decimal& b);

  // Canonical plain notation, as DynamoDB returns numbers: "1.5", "100",
  // "-0.001", "0" (never "-0", never an exponent).
  std::string ToString() const;

  bool IsZero() const { return coefficient_ == 0; }
  bool IsNegative() const { return negative_; }
  // Significant digits (leading and trailing zeros trimmed); 0 for zero.
  int Digits() const { return digits_; }
  Decimal Negated() const;

  friend bool operator==(const Decimal& a, const Decimal& b) = default;
  friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) { return Compare(a, b); }

 private:
  static std::strong_ordering Compare(const Decimal& a, const Decimal& b);
  // Normalises (strips trailing zeros) and checks digits and range.
  static sim::StatusOr<Decimal> Make(bool negative, Uint128 coefficient, int64_t exponent);
  static sim::StatusOr<Decimal> AddSlow(const Decimal& hi, const Decimal& lo);

  Uint128 coefficient_ = 0;
  int32_t exponent_ = 0;
  uint8_t digits_ = 0;
  bool negative_ = false;
};

}  // namespace emu::dynamodb
