#include "emulators/dynamodb/item_size.h"

#include <gtest/gtest.h>

#include "emulators/dynamodb/expression_test_util.h"

namespace emu::dynamodb {
namespace {

using namespace testutil;

// Each case applies one rule of the "DynamoDB item sizes and formats" page.

TEST(ItemSize, StringIsNameBytesPlusUtf8Bytes) {
  EXPECT_EQ(ItemSize(Item{{"name", S("Alice")}}), 4u + 5u);
  EXPECT_EQ(ItemSize(Item{{"city", S("Z\xc3\xbcrich")}}), 4u + 7u);  // ü is 2 bytes
  EXPECT_EQ(ItemSize(Item{{"e", S("")}}), 1u);
}

TEST(ItemSize, NumberIsOneBytePerTwoSignificantDigitsPlusOne) {
  EXPECT_EQ(AttributeValueSize(N("123")), 3u);  // 3 digits -> 2 + 1
  EXPECT_EQ(AttributeValueSize(N("12")), 2u);   // 2 digits -> 1 + 1
  EXPECT_EQ(AttributeValueSize(N("1.5")), 2u);
  EXPECT_EQ(AttributeValueSize(N("1000")), 2u);   // trailing zeros trimmed
  EXPECT_EQ(AttributeValueSize(N("0.001")), 2u);  // leading zeros trimmed
  EXPECT_EQ(AttributeValueSize(N("0")), 2u);
  EXPECT_EQ(AttributeValueSize(N("12345678901234567890123456789012345678")), 20u);
  EXPECT_EQ(ItemSize(Item{{"n", N("-123")}}), 1u + 3u);
}

TEST(ItemSize, BinaryIsRawBytesNotBase64) { EXPECT_EQ(ItemSize(Item{{"b", B(std::string(10, '\x01'))}}), 1u + 10u); }

TEST(ItemSize, BoolAndNullAreOneByte) {
  EXPECT_EQ(ItemSize(Item{{"ok", AttributeValue::Bool(false)}}), 2u + 1u);
  EXPECT_EQ(ItemSize(Item{{"nil", AttributeValue::Null()}}), 3u + 1u);
}

TEST(ItemSize, EmptyListOrMapIsThreeBytes) {
  EXPECT_EQ(ItemSize(Item{{"l", L({})}}), 1u + 3u);
  EXPECT_EQ(ItemSize(Item{{"m", M({})}}), 1u + 3u);
}

TEST(ItemSize, ListAddsOneBytePerElement) {
  // 3 overhead + (1 + 1) for "a" + (1 + 2) for 12 -> 8, plus the name "l".
  EXPECT_EQ(ItemSize(Item{{"l", L({S("a"), N("12")})}}), 1u + 8u);
}

TEST(ItemSize, MapCountsKeysAndOneBytePerElement) {
  // 3 overhead + (1 + "k" 1 + "vv" 2) + (1 + "n" 1 + number 2) -> 11, plus "m".
  EXPECT_EQ(ItemSize(Item{{"m", M({{"k", S("vv")}, {"n", N("7")}})}}), 1u + 11u);
}

TEST(ItemSize, NestedDocumentsAddUp) {
  AttributeValue inner = M({{"x", L({AttributeValue::Bool(true)})}});  // 3 + (1 + 1 + (3 + 1 + 1)) = 10
  EXPECT_EQ(AttributeValueSize(inner), 10u);
  EXPECT_EQ(ItemSize(Item{{"doc", M({{"in", inner}})}}), 3u + 3u + 1u + 2u + 10u);
}

TEST(ItemSize, SetsAreTheSumOfTheirElements) {
  EXPECT_EQ(AttributeValueSize(SS({"ab", "cde"})), 5u);
  EXPECT_EQ(AttributeValueSize(NS({"1", "123"})), 2u + 3u);
  EXPECT_EQ(AttributeValueSize(AttributeValue::BS({"x", "yz"})), 3u);
}

TEST(ItemSize, FourHundredKilobytesIsTheLimit) {
  Item at_limit{{"d", S(std::string(kMaxItemSizeBytes - 1, 'x'))}};
  EXPECT_EQ(ItemSize(at_limit), 409600u);
  EXPECT_EQ(Describe(CheckItemSize(at_limit)), "OK");
  Item over{{"d", S(std::string(kMaxItemSizeBytes, 'x'))}};
  EXPECT_EQ(Describe(CheckItemSize(over)), "ValidationException: Item size has exceeded the maximum allowed size");
  EXPECT_EQ(Describe(CheckUpdatedItemSize(over)),
            "ValidationException: Item size to update has exceeded the maximum allowed size");
}

}  // namespace
}  // namespace emu::dynamodb
