// ConditionExpression / FilterExpression evaluation: comparators, type
// rules, BETWEEN, IN, logic, every function.

#include <gtest/gtest.h>

#include "emulators/dynamodb/expression.h"
#include "emulators/dynamodb/expression_test_util.h"

namespace emu::dynamodb {
namespace {

using namespace testutil;

const Item kItem{{"pk", S("user#1")},
                 {"n", N("10")},
                 {"s", S("hello")},
                 {"b", B("\x01\x02\x03")},
                 {"flag", AttributeValue::Bool(true)},
                 {"nothing", AttributeValue::Null()},
                 {"tags", SS({"red", "blue"})},
                 {"nums", NS({"1", "2.5"})},
                 {"lst", L({S("x"), N("7"), M({{"deep", S("d")}})})},
                 {"doc", M({{"in1", M({{"v", N("3")}})}, {"arr", L({N("1"), N("2")})}})}};

bool Eval(std::string_view text, const ExpressionAttributeValues& values = {},
          const ExpressionAttributeNames* names = nullptr, const Item* item = &kItem) {
  auto r = Check(text, item, values, names);
  EXPECT_TRUE(r.ok()) << text << ": " << Describe(r);
  return r.ok() && *r;
}

TEST(ConditionEval, EqualityComparesByTypeAndValue) {
  EXPECT_TRUE(Eval("n = :v", {{":v", N("10.0")}}));
  EXPECT_FALSE(Eval("n = :v", {{":v", N("11")}}));
  EXPECT_FALSE(Eval("n = :v", {{":v", S("10")}}));  // different types: false, not an error
  EXPECT_TRUE(Eval("tags = :v", {{":v", SS({"blue", "red"})}}));
  EXPECT_TRUE(Eval("doc.in1 = :v", {{":v", M({{"v", N("3")}})}}));
}

TEST(ConditionEval, NotEqualIsTrueForDifferentTypesAndMissingAttributes) {
  EXPECT_TRUE(Eval("n <> :v", {{":v", N("11")}}));
  EXPECT_FALSE(Eval("n <> :v", {{":v", N("10")}}));
  EXPECT_TRUE(Eval("n <> :v", {{":v", S("10")}}));
  EXPECT_TRUE(Eval("absent <> :v", {{":v", N("1")}}));
}

TEST(ConditionEval, OrderingComparatorsOnNumbersStringsBinaries) {
  EXPECT_TRUE(Eval("n < :v", {{":v", N("10.5")}}));
  EXPECT_TRUE(Eval("n <= :v", {{":v", N("10")}}));
  EXPECT_TRUE(Eval("n > :v", {{":v", N("9.99")}}));
  EXPECT_TRUE(Eval("n >= :v", {{":v", N("10")}}));
  EXPECT_FALSE(Eval("n > :v", {{":v", N("10")}}));
  EXPECT_TRUE(Eval("s < :v", {{":v", S("help")}}));
  EXPECT_TRUE(Eval("s > :v", {{":v", S("Hello")}}));  // bytes: 'h' > 'H'
  EXPECT_TRUE(Eval("b < :v", {{":v", B("\x01\x03")}}));
}

TEST(ConditionEval, OrderingAcrossTypesIsFalse) {
  EXPECT_FALSE(Eval("n < :v", {{":v", S("z")}}));
  EXPECT_FALSE(Eval("n >= :v", {{":v", S("0")}}));
  EXPECT_FALSE(Eval("flag <= :v", {{":v", AttributeValue::Bool(true)}}));  // BOOL has no order
  EXPECT_FALSE(Eval("absent < :v", {{":v", N("1")}}));
}

TEST(ConditionEval, ComparesTwoAttributes) {
  Item item{{"a", N("1")}, {"b", N("2")}};
  EXPECT_TRUE(Eval("a < b", {}, nullptr, &item));
  EXPECT_FALSE(Eval("a = b", {}, nullptr, &item));
}

TEST(ConditionEval, BetweenIsInclusive) {
  ExpressionAttributeValues v{{":lo", N("10")}, {":hi", N("20")}};
  EXPECT_TRUE(Eval("n BETWEEN :lo AND :hi", v));
  EXPECT_FALSE(Eval("n BETWEEN :hi AND :hi", {{":hi", N("20")}}));
  EXPECT_TRUE(Eval("s BETWEEN :a AND :b", {{":a", S("h")}, {":b", S("i")}}));
  EXPECT_FALSE(Eval("s BETWEEN :lo AND :hi", v));  // type mismatch
}

TEST(ConditionEval, InMatchesAnyOperand) {
  EXPECT_TRUE(Eval("n IN (:a, :b)", {{":a", N("1")}, {":b", N("10")}}));
  EXPECT_FALSE(Eval("n IN (:a, :b)", {{":a", N("1")}, {":b", S("10")}}));
  EXPECT_FALSE(Eval("absent IN (:a)", {{":a", N("1")}}));
}

TEST(ConditionEval, LogicalOperatorsAndPrecedence) {
  ExpressionAttributeValues v{{":t", N("10")}, {":f", N("0")}};
  EXPECT_TRUE(Eval("n = :t AND s = s2 OR n = :t", v));   // (false AND ..) OR true
  EXPECT_FALSE(Eval("n = :f OR n = :t AND n = :f", v));  // false OR (true AND false)
  EXPECT_TRUE(Eval("(n = :f OR n = :t) AND NOT n = :f", v));
  EXPECT_FALSE(Eval("NOT n = :t", v));
  EXPECT_TRUE(Eval("NOT NOT n = :t", v));
  EXPECT_TRUE(Eval("NOT (n = :f AND n = :t)", v));
}

TEST(ConditionEval, AttributeExistsFollowsDocumentPaths) {
  EXPECT_TRUE(Eval("attribute_exists(n)"));
  EXPECT_TRUE(Eval("attribute_exists(nothing)"));  // NULL is a value
  EXPECT_TRUE(Eval("attribute_exists(doc.in1.v)"));
  EXPECT_TRUE(Eval("attribute_exists(lst[2].deep)"));
  EXPECT_FALSE(Eval("attribute_exists(lst[3])"));
  EXPECT_FALSE(Eval("attribute_exists(s.x)"));  // s is not a doc
  EXPECT_FALSE(Eval("attribute_exists(absent)"));
}

TEST(ConditionEval, AttributeNotExistsHoldsForAMissingItem) {
  EXPECT_TRUE(Eval("attribute_not_exists(pk)", {}, nullptr, nullptr));
  EXPECT_FALSE(Eval("attribute_not_exists(pk)"));
  EXPECT_TRUE(Eval("attribute_not_exists(doc.nope)"));
  EXPECT_FALSE(Eval("attribute_exists(pk)", {}, nullptr, nullptr));
}

TEST(ConditionEval, AttributeTypeChecksTheStoredType) {
  EXPECT_TRUE(Eval("attribute_type(n, :t)", {{":t", S("N")}}));
  EXPECT_FALSE(Eval("attribute_type(n, :t)", {{":t", S("S")}}));
  EXPECT_TRUE(Eval("attribute_type(tags, :t)", {{":t", S("SS")}}));
  EXPECT_TRUE(Eval("attribute_type(nothing, :t)", {{":t", S("NULL")}}));
  EXPECT_TRUE(Eval("attribute_type(doc, :t)", {{":t", S("M")}}));
  EXPECT_FALSE(Eval("attribute_type(absent, :t)", {{":t", S("N")}}));
}

TEST(ConditionEval, BeginsWithOnStringsAndBinaries) {
  EXPECT_TRUE(Eval("begins_with(pk, :p)", {{":p", S("user#")}}));
  EXPECT_FALSE(Eval("begins_with(pk, :p)", {{":p", S("User#")}}));
  EXPECT_TRUE(Eval("begins_with(b, :p)", {{":p", B("\x01\x02")}}));
  EXPECT_FALSE(Eval("begins_with(b, :p)", {{":p", S("\x01")}}));
  EXPECT_FALSE(Eval("begins_with(absent, :p)", {{":p", S("u")}}));
}

TEST(ConditionEval, ContainsOnStringsSetsAndLists) {
  EXPECT_TRUE(Eval("contains(s, :v)", {{":v", S("ell")}}));
  EXPECT_FALSE(Eval("contains(s, :v)", {{":v", S("xyz")}}));
  EXPECT_TRUE(Eval("contains(tags, :v)", {{":v", S("red")}}));
  EXPECT_FALSE(Eval("contains(tags, :v)", {{":v", S("re")}}));
  EXPECT_TRUE(Eval("contains(nums, :v)", {{":v", N("2.50")}}));
  EXPECT_TRUE(Eval("contains(lst, :v)", {{":v", N("7")}}));
  EXPECT_FALSE(Eval("contains(lst, :v)", {{":v", S("7")}}));
  EXPECT_FALSE(Eval("contains(n, :v)", {{":v", N("1")}}));
}

TEST(ConditionEval, SizeCountsBytesElementsAndEntries) {
  EXPECT_TRUE(Eval("size(s) = :v", {{":v", N("5")}}));
  EXPECT_TRUE(Eval("size(b) = :v", {{":v", N("3")}}));
  EXPECT_TRUE(Eval("size(tags) = :v", {{":v", N("2")}}));
  EXPECT_TRUE(Eval("size(lst) = :v", {{":v", N("3")}}));
  EXPECT_TRUE(Eval("size(doc) = :v", {{":v", N("2")}}));
  EXPECT_TRUE(Eval("size(doc.arr) < size(lst)"));
  EXPECT_FALSE(Eval("size(n) = :v", {{":v", N("2")}}));  // numbers have no size
  EXPECT_FALSE(Eval("size(absent) >= :v", {{":v", N("0")}}));
}

TEST(ConditionEval, NamePlaceholdersResolveReservedWords) {
  Item item{{"status", S("ACTIVE")}};
  ExpressionAttributeNames names{{"#st", "status"}};
  EXPECT_TRUE(Eval("#st = :v", {{":v", S("ACTIVE")}}, &names, &item));
}

TEST(ConditionEval, PreparedExpressionIsReusedWithNewValues) {
  auto expr = ParseConditionExpression("n = :v", nullptr);
  ASSERT_TRUE(expr.ok());
  ExpressionAttributeValues ten{{":v", N("10")}}, eleven{{":v", N("11")}};
  auto b1 = BindValues(**expr, &ten);
  auto b2 = BindValues(**expr, &eleven);
  ASSERT_TRUE(b1.ok() && b2.ok());
  EXPECT_TRUE(EvaluateCondition(**expr, &kItem, *b1));
  EXPECT_FALSE(EvaluateCondition(**expr, &kItem, *b2));
  EXPECT_TRUE(EvaluateCondition(**expr, &kItem, *b1));
}

}  // namespace
}  // namespace emu::dynamodb
