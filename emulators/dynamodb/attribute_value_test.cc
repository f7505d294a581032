#include "emulators/dynamodb/attribute_value.h"

#include <gtest/gtest.h>

#include "emulators/dynamodb/expression_test_util.h"

namespace emu::dynamodb {
namespace {

using namespace testutil;

KeySchema HashOnly() { return KeySchema{KeyElement{"pk", AttrType::kS}, std::nullopt}; }
KeySchema HashRange() { return KeySchema{KeyElement{"pk", AttrType::kS}, KeyElement{"sk", AttrType::kN}}; }

TEST(AttributeValue, DebugStringIsDynamoDbJson) {
  Item item{{"a", S("x\"y")},
            {"b", B("hi")},
            {"c", M({{"n", N("1.50")}, {"t", AttributeValue::Bool(true)}})},
            {"d", L({AttributeValue::Null(), SS({"b", "a"})})},
            {"e", NS({"10", "9"})}};
  EXPECT_EQ(DebugString(item), R"({"a":{"S":"x\"y"},"b":{"B":"aGk="},"c":{"M":{"n":{"N":"1.5"},"t":{"BOOL":true}}},)"
                               R"("d":{"L":[{"NULL":true},{"SS":["a","b"]}]},"e":{"NS":["9","10"]}})");
}

TEST(AttributeValue, TypeNamesRoundTrip) {
  for (AttrType t : {AttrType::kS, AttrType::kN, AttrType::kB, AttrType::kBool, AttrType::kNull, AttrType::kM,
                     AttrType::kL, AttrType::kSS, AttrType::kNS, AttrType::kBS}) {
    AttrType parsed;
    ASSERT_TRUE(ParseAttrTypeName(AttrTypeName(t), &parsed));
    EXPECT_EQ(parsed, t);
  }
  AttrType unused;
  EXPECT_FALSE(ParseAttrTypeName("s", &unused));
  EXPECT_FALSE(ParseAttrTypeName("STRING", &unused));
}

TEST(AttributeValue, NumbersEqualByValue) {
  EXPECT_EQ(N("1.0"), N("1"));
  EXPECT_EQ(N("1e2"), N("100"));
  EXPECT_FALSE(N("1") == S("1"));
}

TEST(AttributeValue, SetsEqualRegardlessOfInputOrder) {
  EXPECT_EQ(SS({"b", "a", "c"}), SS({"c", "b", "a"}));
  EXPECT_EQ(SS({"b", "a"}).ss(), (std::vector<std::string>{"a", "b"}));
}

TEST(AttributeValue, NumberSetOrdersAndDeduplicatesByValue) {
  AttributeValue ns = NS({"10", "9", "1.5", "10.0"});
  ASSERT_EQ(ns.ns().size(), 3u);
  EXPECT_EQ(ns.ns()[0].ToString(), "1.5");
  EXPECT_EQ(ns.ns()[1].ToString(), "9");
  EXPECT_EQ(ns.ns()[2].ToString(), "10");
}

TEST(AttributeValue, MakeStringSetRejectsEmptyAndDuplicates) {
  EXPECT_EQ(Describe(MakeStringSet({})),
            "ValidationException: One or more parameter values were invalid: An string set  may not be empty");
  EXPECT_EQ(Describe(MakeStringSet({"a", "a"})),
            "ValidationException: One or more parameter values were invalid: Input collection [a, a] contains "
            "duplicates.");
  EXPECT_EQ(Describe(MakeStringSet({"", "a"})), "OK");
}

TEST(AttributeValue, MakeNumberSetRejectsEmptyDuplicatesAndBadNumbers) {
  EXPECT_EQ(Describe(MakeNumberSet({})),
            "ValidationException: One or more parameter values were invalid: An number set  may not be empty");
  EXPECT_EQ(Describe(MakeNumberSet({"1", "1.0"})), "ValidationException: Input collection contains duplicates");
  EXPECT_EQ(Describe(MakeNumberSet({"1", "b"})),
            "ValidationException: The parameter cannot be converted to a numeric value: b");
}

TEST(AttributeValue, MakeBinarySetRejectsEmptyAndDuplicates) {
  EXPECT_EQ(Describe(MakeBinarySet({})),
            "ValidationException: One or more parameter values were invalid: Binary sets should not be empty");
  EXPECT_EQ(Describe(MakeBinarySet({"b", "b"})),
            "ValidationException: One or more parameter values were invalid: Input collection [Yg==, Yg==]of type "
            "BS contains duplicates.");
}

TEST(AttributeValue, Base64EncodesAllPaddings) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode(std::string("\xff\x00", 2)), "/wA=");
}

TEST(AttributeValue, KeyValuesOrderAsDynamoDbSortsThem) {
  EXPECT_TRUE(CompareKeyValues(N("9"), N("10")) < 0);
  EXPECT_TRUE(CompareKeyValues(N("-10"), N("-9")) < 0);
  EXPECT_TRUE(CompareKeyValues(S("B"), S("a")) < 0);         // UTF-8 bytes, not locale
  EXPECT_TRUE(CompareKeyValues(S("\xc3\xa9"), S("z")) > 0);  // é sorts after ASCII
  EXPECT_TRUE(CompareKeyValues(B("\xff"), B("\x01")) > 0);   // unsigned bytes
  EXPECT_TRUE(CompareKeyValues(S("x"), S("x")) == 0);
}

TEST(AttributeValue, ValidateItemKeyAcceptsEmptyStringsOutsideKeys) {
  Item item{{"pk", S("a")}, {"sk", N("1")}, {"note", S("")}, {"blob", B("")}};
  EXPECT_EQ(Describe(ValidateItemKey(HashRange(), item)), "OK");
}

TEST(AttributeValue, ValidateItemKeyRejectsMissingKey) {
  EXPECT_EQ(Describe(ValidateItemKey(HashRange(), Item{{"pk", S("a")}})),
            "ValidationException: One or more parameter values were invalid: Missing the key sk in the item");
}

TEST(AttributeValue, ValidateItemKeyRejectsWrongKeyType) {
  EXPECT_EQ(Describe(ValidateItemKey(HashOnly(), Item{{"pk", N("1")}})),
            "ValidationException: One or more parameter values were invalid: Type mismatch for key pk expected: S "
            "actual: N");
}

TEST(AttributeValue, ValidateItemKeyRejectsEmptyStringKey) {
  EXPECT_EQ(Describe(ValidateItemKey(HashOnly(), Item{{"pk", S("")}})),
            "ValidationException: One or more parameter values are not valid. The AttributeValue for a key attribute "
            "cannot contain an empty string value. Key: pk");
}

TEST(AttributeValue, ValidateItemKeyRejectsEmptyBinaryKey) {
  KeySchema schema{KeyElement{"pk", AttrType::kB}, std::nullopt};
  EXPECT_EQ(Describe(ValidateItemKey(schema, Item{{"pk", B("")}})),
            "ValidationException: One or more parameter values are not valid. The AttributeValue for a key attribute "
            "cannot contain an empty binary value. Key: pk");
}

TEST(AttributeValue, PartitionKeyLimitIs2048Bytes) {
  EXPECT_EQ(Describe(ValidateItemKey(HashOnly(), Item{{"pk", S(std::string(2048, 'k'))}})), "OK");
  EXPECT_EQ(Describe(ValidateItemKey(HashOnly(), Item{{"pk", S(std::string(2049, 'k'))}})),
            "ValidationException: One or more parameter values were invalid: Size of hashkey has exceeded the "
            "maximum size limit of 2048 bytes");
}

TEST(AttributeValue, SortKeyLimitIs1024Bytes) {
  KeySchema schema{KeyElement{"pk", AttrType::kS}, KeyElement{"sk", AttrType::kS}};
  EXPECT_EQ(Describe(ValidateItemKey(schema, Item{{"pk", S("a")}, {"sk", S(std::string(1024, 's'))}})), "OK");
  EXPECT_EQ(Describe(ValidateItemKey(schema, Item{{"pk", S("a")}, {"sk", S(std::string(1025, 's'))}})),
            "ValidationException: One or more parameter values were invalid: Aggregated size of all range keys has "
            "exceeded the size limit of 1024 bytes");
}

TEST(AttributeValue, ValidateKeyRequiresExactlyTheKeyAttributes) {
  const std::string mismatch = "ValidationException: The provided key element does not match the schema";
  EXPECT_EQ(Describe(ValidateKey(HashRange(), Item{{"pk", S("a")}, {"sk", N("1")}})), "OK");
  EXPECT_EQ(Describe(ValidateKey(HashRange(), Item{{"pk", S("a")}})), mismatch);
  EXPECT_EQ(Describe(ValidateKey(HashOnly(), Item{{"pk", S("a")}, {"x", S("b")}})), mismatch);
  EXPECT_EQ(Describe(ValidateKey(HashOnly(), Item{{"pk", N("1")}})), mismatch);
}

TEST(AttributeValue, DocumentsNestAtMost32Levels) {
  AttributeValue v = S("leaf");
  for (int i = 0; i < 32; ++i) v = (i % 2 == 0) ? M({{"m", v}}) : L({v});
  EXPECT_EQ(Describe(CheckNestingDepth(Item{{"doc", v}})), "OK");
  EXPECT_EQ(Describe(CheckNestingDepth(Item{{"doc", L({v})}})),
            "ValidationException: Nesting Levels have exceeded supported limits");
}

TEST(AttributeValue, ExtractKeyKeepsOnlyKeyAttributes) {
  Item item{{"pk", S("a")}, {"sk", N("1")}, {"v", S("x")}};
  EXPECT_EQ(DebugString(ExtractKey(HashRange(), item)), R"({"pk":{"S":"a"},"sk":{"N":"1"}})");
}

}  // namespace
}  // namespace emu::dynamodb
