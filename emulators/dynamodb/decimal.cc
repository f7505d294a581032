#include "emulators/dynamodb/decimal.h"

#include <algorithm>
#include <array>
#include <vector>

#include "emulators/dynamodb/dynamodb_errors.h"
#include "sim/check.h"

namespace emu::dynamodb {
namespace {

constexpr std::array<Uint128, 40> MakePowers() {
  std::array<Uint128, 40> p{};
  p[0] = 1;
  for (size_t i = 1; i < p.size(); ++i) p[i] = p[i - 1] * 10;
  return p;
}
constexpr std::array<Uint128, 40> kPow10 = MakePowers();

constexpr std::string_view kNotNumeric = "The parameter cannot be converted to a numeric value";
constexpr std::string_view kTooManyDigits = "Attempting to store more than 38 significant digits in a Number";
constexpr std::string_view kOverflow =
    "Number overflow. Attempting to store a number with magnitude larger than supported range";
constexpr std::string_view kUnderflow =
    "Number underflow. Attempting to store a number with magnitude smaller than supported range";

int CountDigits(Uint128 v) {
  int n = 0;
  while (n < 39 && v >= kPow10[n]) ++n;
  return n;
}

std::string Uint128ToString(Uint128 v) {
  if (v == 0) return "0";
  const uint64_t kChunk = 10'000'000'000'000'000'000ULL;  // 10^19
  uint64_t hi = static_cast<uint64_t>(v / kChunk);
  uint64_t lo = static_cast<uint64_t>(v % kChunk);
  if (hi == 0) return std::to_string(lo);
  std::string low = std::to_string(lo);
  return std::to_string(hi) + std::string(19 - low.size(), '0') + low;
}

}  // namespace

sim::StatusOr<Decimal> Decimal::Make(bool negative, Uint128 coefficient, int64_t exponent) {
  if (coefficient == 0) return Decimal();
  while (coefficient % 10 == 0) {
    coefficient /= 10;
    ++exponent;
  }
  int digits = CountDigits(coefficient);
  if (digits > kMaxDigits) return errors::ValidationError(std::string(kTooManyDigits));
  int64_t adjusted = exponent + digits - 1;
  if (adjusted > kMaxAdjustedExponent) return errors::ValidationError(std::string(kOverflow));
  if (adjusted < kMinAdjustedExponent) return errors::ValidationError(std::string(kUnderflow));
  Decimal d;
  d.coefficient_ = coefficient;
  d.exponent_ = static_cast<int32_t>(exponent);
  d.digits_ = static_cast<uint8_t>(digits);
  d.negative_ = negative;
  return d;
}

sim::StatusOr<Decimal> Decimal::Parse(std::string_view text) {
  auto bad = [&]() {
    if (text.empty()) return errors::ValidationError(std::string(kNotNumeric));
    std::string message(kNotNumeric);  // appended, not operator+: GCC 12 -Warray-bounds false positive
    message += ": ";
    message += text;
    return errors::ValidationError(std::move(message));
  };
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  std::string mantissa;  // all digits, leading zeros dropped
  int64_t frac_len = 0;
  bool any_digit = false, seen_point = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      any_digit = true;
      if (seen_point) ++frac_len;
      if (!(mantissa.empty() && c == '0')) mantissa.push_back(c);
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (!any_digit) return bad();
  int64_t exp = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) exp_negative = text[i++] == '-';
    if (i == text.size()) return bad();
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
      exp = std::min<int64_t>(exp * 10 + (text[i] - '0'), 1'000'000'000);  // saturate: far out of range anyway
    }
    if (exp_negative) exp = -exp;
  }
  if (i != text.size()) return bad();
  if (mantissa.empty()) return Decimal();  // zero, whatever its sign and exponent
  size_t trailing = 0;
  while (mantissa[mantissa.size() - 1 - trailing] == '0') ++trailing;
  mantissa.resize(mantissa.size() - trailing);
  if (mantissa.size() > static_cast<size_t>(kMaxDigits)) return errors::ValidationError(std::string(kTooManyDigits));
  Uint128 coefficient = 0;
  for (char c : mantissa) coefficient = coefficient * 10 + static_cast<unsigned>(c - '0');
  return Make(negative, coefficient, exp - frac_len + static_cast<int64_t>(trailing));
}

Decimal Decimal::FromInt(int64_t value) {
  Uint128 magnitude = value < 0 ? static_cast<Uint128>(-(value + 1)) + 1 : static_cast<Uint128>(value);
  auto d = Make(value < 0, magnitude, 0);
  SIM_CHECK(d.ok());
  return *d;
}

Decimal Decimal::Negated() const {
  Decimal d = *this;
  if (!IsZero()) d.negative_ = !negative_;
  return d;
}

std::strong_ordering Decimal::Compare(const Decimal& a, const Decimal& b) {
  int sa = a.IsZero() ? 0 : (a.negative_ ? -1 : 1);
  int sb = b.IsZero() ? 0 : (b.negative_ ? -1 : 1);
  if (sa != sb || sa == 0) return sa <=> sb;
  std::strong_ordering magnitude = std::strong_ordering::equal;
  int adj_a = a.exponent_ + a.digits_ - 1;
  int adj_b = b.exponent_ + b.digits_ - 1;
  if (adj_a != adj_b) {
    magnitude = adj_a <=> adj_b;
  } else {
    Uint128 ca = a.coefficient_ * kPow10[kMaxDigits - a.digits_];
    Uint128 cb = b.coefficient_ * kPow10[kMaxDigits - b.digits_];
    magnitude = ca <=> cb;
  }
  if (sa > 0) return magnitude;
  return 0 <=> magnitude;
}

sim::StatusOr<Decimal> Decimal::Add(const Decimal& a, const Decimal& b) {
  if (a.IsZero()) return b;
  if (b.IsZero()) return a;
  const Decimal& hi = a.exponent_ >= b.exponent_ ? a : b;
  const Decimal& lo = a.exponent_ >= b.exponent_ ? b : a;
  int64_t shift = static_cast<int64_t>(hi.exponent_) - lo.exponent_;
  if (hi.digits_ + shift > kMaxDigits) return AddSlow(hi, lo);
  // Both operands below 10^38: the sum fits in 128 bits.
  Uint128 x = hi.coefficient_ * kPow10[shift];
  Uint128 y = lo.coefficient_;
  if (hi.negative_ == lo.negative_) return Make(hi.negative_, x + y, lo.exponent_);
  if (x >= y) return Make(hi.negative_, x - y, lo.exponent_);
  return Make(lo.negative_, y - x, lo.exponent_);
}

sim::StatusOr<Decimal> Decimal::Subtract(const Decimal& a, const Decimal& b) { return Add(a, b.Negated()); }

// Operands whose aligned digits span more than 38 places: digit-by-digit on
// a little-endian array from lo's exponent up (at most ~300 places, since
// both operands are in range).
sim::StatusOr<Decimal> Decimal::AddSlow(const Decimal& hi, const Decimal& lo) {
  int64_t base = lo.exponent_;
  size_t span = static_cast<size_t>(hi.exponent_ + hi.digits_ - base) + 2;
  std::vector<int> x(span, 0), y(span, 0);
  auto fill = [&](std::vector<int>& v, const Decimal& d) {
    Uint128 c = d.coefficient_;
    size_t pos = static_cast<size_t>(d.exponent_ - base);
    while (c != 0) {
      v[pos++] = static_cast<int>(c % 10);
      c /= 10;
    }
  };
  fill(x, hi);
  fill(y, lo);
  bool negative = hi.negative_;
  if (hi.negative_ != lo.negative_) {
    // |hi| > |lo| here: hi's aligned coefficient has more than 38 digits.
    Decimal mag_hi = hi, mag_lo = lo;
    mag_hi.negative_ = mag_lo.negative_ = false;
    if (mag_hi < mag_lo) {
      std::swap(x, y);
      negative = lo.negative_;
    }
    int borrow = 0;
    for (size_t i = 0; i < span; ++i) {
      int v = x[i] - y[i] - borrow;
      borrow = v < 0;
      x[i] = v < 0 ? v + 10 : v;
    }
  } else {
    int carry = 0;
    for (size_t i = 0; i < span; ++i) {
      int v = x[i] + y[i] + carry;
      carry = v / 10;
      x[i] = v % 10;
    }
  }
  size_t top = span;
  while (top > 0 && x[top - 1] == 0) --top;
  if (top == 0) return Decimal();
  size_t bottom = 0;
  while (x[bottom] == 0) ++bottom;
  if (top - bottom > static_cast<size_t>(kMaxDigits)) return errors::ValidationError(std::string(kTooManyDigits));
  Uint128 coefficient = 0;
  for (size_t i = top; i > bottom; --i) coefficient = coefficient * 10 + static_cast<unsigned>(x[i - 1]);
  return Make(negative, coefficient, base + static_cast<int64_t>(bottom));
}

std::string Decimal::ToString() const {
  if (IsZero()) return "0";
  std::string digits = Uint128ToString(coefficient_);
  std::string out = negative_ ? "-" : "";
  if (exponent_ >= 0) {
    out += digits;
    out.append(static_cast<size_t>(exponent_), '0');
    return out;
  }
  int64_t point = static_cast<int64_t>(digits.size()) + exponent_;
  if (point > 0) {
    out.append(digits, 0, static_cast<size_t>(point));
    out += '.';
    out.append(digits, static_cast<size_t>(point));
  } else {
    out += "0.";
    out.append(static_cast<size_t>(-point), '0');
    out += digits;
  }
  return out;
}

}  // namespace emu::dynamodb
