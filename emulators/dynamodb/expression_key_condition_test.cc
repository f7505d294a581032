// KeyConditionExpression: shape, schema validation, and the bound key range
// the Query layer scans with.

#include <gtest/gtest.h>

#include "emulators/dynamodb/expression.h"
#include "emulators/dynamodb/expression_test_util.h"

namespace emu::dynamodb {
namespace {

using namespace testutil;

const KeySchema kSchema{KeyElement{"pk", AttrType::kS}, KeyElement{"sk", AttrType::kN}};
const KeySchema kStringSort{KeyElement{"pk", AttrType::kS}, KeyElement{"sk", AttrType::kS}};
const ExpressionAttributeValues kVals{
    {":p", S("user")}, {":a", N("10")}, {":b", N("20")}, {":s", S("pre")}, {":n", N("1")}};

struct Bound {
  std::shared_ptr<const KeyConditionExpression> expr;
  BoundValues values;
  KeyRange range;
};

// Parses, binds, validates against `schema`; the error text or "OK".
std::string Prepare(std::string_view text, const KeySchema& schema, Bound* out = nullptr,
                    const ExpressionAttributeNames* names = nullptr) {
  auto expr = ParseKeyConditionExpression(text, names);
  if (!expr.ok()) return Describe(expr);
  auto bound = BindValues(**expr, &kVals);
  if (!bound.ok()) return Describe(bound);
  sim::Status s = ValidateKeyCondition(**expr, schema, *bound);
  if (!s.ok()) return Describe(s);
  if (out != nullptr) {
    out->expr = *expr;
    out->values = *bound;
    out->range = BindKeyCondition(**expr, schema, out->values);
  }
  return "OK";
}

TEST(KeyCondition, PartitionEqualityAlone) {
  Bound b;
  ASSERT_EQ(Prepare("pk = :p", kSchema, &b), "OK");
  EXPECT_EQ(b.range.partition->s(), "user");
  EXPECT_FALSE(b.range.has_sort_condition());
  EXPECT_TRUE(b.range.SortMatches(N("123")));
}

TEST(KeyCondition, SortComparators) {
  struct Case {
    const char* text;
    SortKeyOp op;
    bool match5, match10, match15;
  };
  for (const Case& c : {Case{"pk = :p AND sk = :a", SortKeyOp::kEq, false, true, false},
                        Case{"pk = :p AND sk < :a", SortKeyOp::kLt, true, false, false},
                        Case{"pk = :p AND sk <= :a", SortKeyOp::kLe, true, true, false},
                        Case{"pk = :p AND sk > :a", SortKeyOp::kGt, false, false, true},
                        Case{"pk = :p AND sk >= :a", SortKeyOp::kGe, false, true, true}}) {
    Bound b;
    ASSERT_EQ(Prepare(c.text, kSchema, &b), "OK") << c.text;
    EXPECT_EQ(b.range.op, c.op) << c.text;
    EXPECT_EQ(b.range.SortMatches(N("5")), c.match5) << c.text;
    EXPECT_EQ(b.range.SortMatches(N("10")), c.match10) << c.text;
    EXPECT_EQ(b.range.SortMatches(N("15")), c.match15) << c.text;
  }
}

TEST(KeyCondition, SortBetweenIsInclusive) {
  Bound b;
  ASSERT_EQ(Prepare("pk = :p AND sk BETWEEN :a AND :b", kSchema, &b), "OK");
  EXPECT_EQ(b.range.op, SortKeyOp::kBetween);
  EXPECT_EQ(b.range.sort1->n().ToString(), "10");
  EXPECT_EQ(b.range.sort2->n().ToString(), "20");
  EXPECT_TRUE(b.range.SortMatches(N("10")));
  EXPECT_TRUE(b.range.SortMatches(N("20")));
  EXPECT_FALSE(b.range.SortMatches(N("20.5")));
}

TEST(KeyCondition, SortBeginsWith) {
  Bound b;
  ASSERT_EQ(Prepare("begins_with(sk, :s) AND pk = :p", kStringSort, &b), "OK");
  EXPECT_EQ(b.range.op, SortKeyOp::kBeginsWith);
  EXPECT_TRUE(b.range.SortMatches(S("prefix")));
  EXPECT_FALSE(b.range.SortMatches(S("pr")));
}

TEST(KeyCondition, ValueOnTheLeftIsMirrored) {
  Bound b;
  ASSERT_EQ(Prepare(":p = pk AND :a < sk", kSchema, &b), "OK");
  EXPECT_EQ(b.range.op, SortKeyOp::kGt);
}

TEST(KeyCondition, NamePlaceholdersAndParentheses) {
  ExpressionAttributeNames names{{"#k", "pk"}};
  EXPECT_EQ(Prepare("(#k = :p) AND (sk > :a)", kSchema, nullptr, &names), "OK");
}

TEST(KeyCondition, PartitionKeyIsRequired) {
  EXPECT_EQ(Prepare("sk = :a", kSchema), "ValidationException: Query condition missed key schema element: pk");
}

TEST(KeyCondition, PartitionKeyNeedsEquality) {
  EXPECT_EQ(Prepare("pk > :p", kSchema), "ValidationException: Query key condition not supported");
}

TEST(KeyCondition, NonKeyAttributeIsRejected) {
  EXPECT_EQ(Prepare("pk = :p AND extra = :a", kSchema),
            "ValidationException: Query condition missed key schema element: sk");
}

TEST(KeyCondition, ValueTypesMustMatchTheSchema) {
  const std::string mismatch =
      "ValidationException: One or more parameter values were invalid: Condition parameter type does not match "
      "schema type";
  EXPECT_EQ(Prepare("pk = :a", kSchema), mismatch);
  EXPECT_EQ(Prepare("pk = :p AND sk = :s", kSchema), mismatch);
  EXPECT_EQ(Prepare("pk = :p AND begins_with(sk, :n)", kSchema),
            "ValidationException: Invalid KeyConditionExpression: Incorrect operand type for operator or function; "
            "operator or function: begins_with, operand type: N");
}

TEST(KeyCondition, OnlyAndCombinesConditions) {
  EXPECT_EQ(Prepare("pk = :p OR sk = :a", kSchema),
            "ValidationException: Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: "
            "OR");
  EXPECT_EQ(Prepare("NOT pk = :p", kSchema),
            "ValidationException: Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: "
            "NOT");
  EXPECT_EQ(Prepare("pk IN (:p)", kSchema),
            "ValidationException: Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: "
            "IN");
  EXPECT_EQ(Prepare("pk = :p AND attribute_exists(sk)", kSchema),
            "ValidationException: Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: "
            "attribute_exists");
}

TEST(KeyCondition, AtMostTwoConditions) {
  EXPECT_EQ(Prepare("pk = :p AND sk > :a AND sk < :b", kSchema),
            "ValidationException: Invalid KeyConditionExpression: Conditions can be of length 1 or 2 only");
}

TEST(KeyCondition, NotEqualIsNotAKeyCondition) {
  EXPECT_EQ(Prepare("pk = :p AND sk <> :a", kSchema),
            "ValidationException: Invalid KeyConditionExpression: Unsupported operator on KeyConditionExpression: "
            "operator: <>");
}

TEST(KeyCondition, SyntaxErrorsCarryTheLabel) {
  EXPECT_EQ(Prepare("pk = ", kSchema),
            "ValidationException: Invalid KeyConditionExpression: Syntax error; token: \"<EOF>\", near: \"=\"");
}

}  // namespace
}  // namespace emu::dynamodb
