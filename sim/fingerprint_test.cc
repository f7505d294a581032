#include "sim/fingerprint.h"

#include <gtest/gtest.h>

#include <string>

namespace sim {
namespace {

TEST(Fingerprint, InitialValue) {
  const Fingerprint f;
  EXPECT_EQ(f.value(), 0x243f6a8885a308d3ULL);
  EXPECT_EQ(f.Hex(), "243f6a8885a308d3");
}

// Reference values from an independent Python implementation of the fold.
TEST(Fingerprint, AddMatchesReference) {
  Fingerprint f;
  f.Add(uint64_t{1});
  EXPECT_EQ(f.value(), 0xefbbe1c8b2e7ce1eULL);
  f.Add(uint64_t{2});
  EXPECT_EQ(f.value(), 0xde21554cf077617cULL);
  EXPECT_EQ(f.Hex(), "de21554cf077617c");
}

TEST(Fingerprint, OrderMatters) {
  Fingerprint a, b;
  a.Add(uint64_t{1});
  a.Add(uint64_t{2});
  b.Add(uint64_t{2});
  b.Add(uint64_t{1});
  EXPECT_NE(a.value(), b.value());
}

TEST(Fingerprint, StringAddsItsHashAndLength) {
  Fingerprint a, b;
  a.Add(std::string_view("s3://bucket/key"));
  b.Add(HashName("s3://bucket/key"));
  b.Add(uint64_t{15});
  EXPECT_EQ(a.value(), b.value());
}

TEST(Fingerprint, EmptyStringStillChangesTheValue) {
  Fingerprint f;
  f.Add(std::string_view());
  EXPECT_NE(f.value(), Fingerprint().value());
}

TEST(Fingerprint, HexIsSixteenLowercaseDigits) {
  Fingerprint f;
  for (uint64_t i = 0; i < 1000; ++i) {
    f.Add(i);
    const std::string hex = f.Hex();
    ASSERT_EQ(hex.size(), 16u);
    ASSERT_EQ(std::stoull(hex, nullptr, 16), f.value());
    ASSERT_EQ(hex.find_first_not_of("0123456789abcdef"), std::string::npos) << hex;
  }
}

}  // namespace
}  // namespace sim
