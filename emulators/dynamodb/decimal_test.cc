#include "emulators/dynamodb/decimal.h"

#include <gtest/gtest.h>

#include <climits>

#include "emulators/dynamodb/expression_test_util.h"

namespace emu::dynamodb {
namespace {

using testutil::Describe;

std::string Canon(std::string_view text) {
  auto d = Decimal::Parse(text);
  return d.ok() ? d->ToString() : Describe(d);
}

std::string Sum(std::string_view a, std::string_view b) {
  auto r = Decimal::Add(*Decimal::Parse(a), *Decimal::Parse(b));
  return r.ok() ? r->ToString() : Describe(r);
}
std::string Diff(std::string_view a, std::string_view b) {
  auto r = Decimal::Subtract(*Decimal::Parse(a), *Decimal::Parse(b));
  return r.ok() ? r->ToString() : Describe(r);
}

constexpr const char* kTooManyDigits =
    "ValidationException: Attempting to store more than 38 significant digits in a Number";
constexpr const char* kOverflow =
    "ValidationException: Number overflow. Attempting to store a number with magnitude larger than supported range";
constexpr const char* kUnderflow =
    "ValidationException: Number underflow. Attempting to store a number with magnitude smaller than supported "
    "range";

TEST(Decimal, CanonicalFormStripsTrailingZeros) {
  EXPECT_EQ(Canon("1.50"), "1.5");
  EXPECT_EQ(Canon("007"), "7");
  EXPECT_EQ(Canon("-12.000"), "-12");
}

TEST(Decimal, NegativeZeroIsZero) {
  EXPECT_EQ(Canon("-0"), "0");
  EXPECT_EQ(Canon("-0.000e5"), "0");
  EXPECT_EQ(Canon("0e-999"), "0");
}

TEST(Decimal, ExponentFormsPrintInPlainNotation) {
  EXPECT_EQ(Canon("1E+2"), "100");
  EXPECT_EQ(Canon("1e2"), "100");
  EXPECT_EQ(Canon("1e-3"), "0.001");
  EXPECT_EQ(Canon("12.5E1"), "125");
  EXPECT_EQ(Canon("-2.5e-2"), "-0.025");
}

TEST(Decimal, AcceptsSignsAndBareFractions) {
  EXPECT_EQ(Canon("+.5"), "0.5");
  EXPECT_EQ(Canon("5."), "5");
  EXPECT_EQ(Canon("-.25"), "-0.25");
}

TEST(Decimal, RejectsNonNumbersWithDynamoDbMessage) {
  EXPECT_EQ(Canon(""), "ValidationException: The parameter cannot be converted to a numeric value");
  EXPECT_EQ(Canon("b"), "ValidationException: The parameter cannot be converted to a numeric value: b");
  for (const char* bad : {"1.2.3", "1e", "e5", " 1", "1 ", "0x10", "NaN", "Infinity", "--1", ".", "1e+"}) {
    EXPECT_EQ(Canon(bad),
              std::string("ValidationException: The parameter cannot be converted to a numeric value: ") + bad)
        << bad;
  }
}

TEST(Decimal, Accepts38SignificantDigits) {
  EXPECT_EQ(Canon("12345678901234567890123456789012345678"), "12345678901234567890123456789012345678");
  EXPECT_EQ(Canon("-1.2345678901234567890123456789012345678"), "-1.2345678901234567890123456789012345678");
}

TEST(Decimal, Rejects39SignificantDigitsInsteadOfRounding) {
  EXPECT_EQ(Canon("123456789012345678901234567890123456789"), kTooManyDigits);
  EXPECT_EQ(Canon("-1.23456789012345678901234567890123456789"), kTooManyDigits);
}

TEST(Decimal, LeadingAndTrailingZerosAreNotSignificant) {
  EXPECT_EQ(Canon("1234567890123456789012345678901234567800000"), "1234567890123456789012345678901234567800000");
  EXPECT_EQ(Canon("0.00000012345678901234567890123456789012345678"), "0.00000012345678901234567890123456789012345678");
}

TEST(Decimal, MagnitudeLimitsMatchDynamoDb) {
  EXPECT_EQ(Canon("9.9999999999999999999999999999999999999E+125"),
            "99999999999999999999999999999999999999" + std::string(88, '0'));
  EXPECT_EQ(Canon("1E-130"), "0." + std::string(129, '0') + "1");
  EXPECT_EQ(Canon("1e126"), kOverflow);
  EXPECT_EQ(Canon("-1e126"), kOverflow);
  EXPECT_EQ(Canon("1e-131"), kUnderflow);
  EXPECT_EQ(Canon("-1e-131"), kUnderflow);
  EXPECT_EQ(Canon("1e99999999999999999999"), kOverflow);
}

TEST(Decimal, ComparesByNumericValue) {
  auto d = [](std::string_view s) { return *Decimal::Parse(s); };
  EXPECT_EQ(d("1.0"), d("1"));
  EXPECT_LT(d("-2"), d("-1"));
  EXPECT_LT(d("0.1"), d("1"));
  EXPECT_GT(d("10"), d("9.99"));
  EXPECT_LT(d("-10"), d("0"));
  EXPECT_LT(d("1.23"), d("1.234"));
  EXPECT_GT(d("1e100"), d("99999999999999999999999999999999999999"));
}

TEST(Decimal, AddIsExact) {
  EXPECT_EQ(Sum("0.1", "0.2"), "0.3");
  EXPECT_EQ(Sum("1", "-1"), "0");
  EXPECT_EQ(Sum("99999999999999999999999999999999999999", "1"), "100000000000000000000000000000000000000");
  EXPECT_EQ(Sum("-5", "2.5"), "-2.5");
  EXPECT_EQ(Sum("0", "-7"), "-7");
}

TEST(Decimal, SubtractIsExact) {
  EXPECT_EQ(Diff("5", "7.5"), "-2.5");
  EXPECT_EQ(Diff("1.1", "1.1"), "0");
  EXPECT_EQ(Diff("-1", "-3"), "2");
}

TEST(Decimal, AddWithWidelySpreadExponentsUsesExactSlowPath) {
  // 1E+38 - 1 aligns to 39 places but the result has 38 digits.
  EXPECT_EQ(Diff("1E+38", "1"), "99999999999999999999999999999999999999");
  EXPECT_EQ(Sum("1e50", "1e50"), "2" + std::string(50, '0'));
}

TEST(Decimal, ArithmeticNeedingMoreThan38DigitsFails) {
  EXPECT_EQ(Sum("1e50", "1"), kTooManyDigits);
  EXPECT_EQ(Sum("12345678901234567890123456789012345678", "0.1"), kTooManyDigits);
}

TEST(Decimal, ArithmeticBeyondRangeOverflows) {
  EXPECT_EQ(Sum("9e125", "9e125"), kOverflow);
  EXPECT_EQ(Diff("-9e125", "9e125"), kOverflow);
}

TEST(Decimal, FromIntCoversInt64Range) {
  EXPECT_EQ(Decimal::FromInt(INT64_MIN).ToString(), "-9223372036854775808");
  EXPECT_EQ(Decimal::FromInt(INT64_MAX).ToString(), "9223372036854775807");
  EXPECT_EQ(Decimal::FromInt(1000).ToString(), "1000");
  EXPECT_EQ(Decimal::FromInt(1000).Digits(), 1);
}

}  // namespace
}  // namespace emu::dynamodb
