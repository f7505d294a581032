// UpdateExpression actions (SET, REMOVE, ADD, DELETE), their runtime
// errors, key protection and ReturnValues.

#include <gtest/gtest.h>

#include "emulators/dynamodb/expression.h"
#include "emulators/dynamodb/expression_test_util.h"

namespace emu::dynamodb {
namespace {

using namespace testutil;

std::string Apply(std::string_view text, const Item& item, const ExpressionAttributeValues& values = {},
                  const ExpressionAttributeNames* names = nullptr) {
  auto r = Update(text, item, values, names);
  return r.ok() ? DebugString(*r) : Describe(r);
}

constexpr const char* kMissing =
    "ValidationException: The provided expression refers to an attribute that does not exist in the item";
constexpr const char* kBadType = "ValidationException: An operand in the update expression has an incorrect data type";
constexpr const char* kBadPath =
    "ValidationException: The document path provided in the update expression is invalid for update";

TEST(UpdateSet, SetsTopLevelAttribute) {
  EXPECT_EQ(Apply("SET a = :v", {{"a", N("1")}}, {{":v", S("x")}}), R"({"a":{"S":"x"}})");
  EXPECT_EQ(Apply("SET b = :v", {}, {{":v", S("x")}}), R"({"b":{"S":"x"}})");
}

TEST(UpdateSet, SetsNestedMapEntry) {
  EXPECT_EQ(Apply("SET m.k = :v", {{"m", M({})}}, {{":v", N("1")}}), R"({"m":{"M":{"k":{"N":"1"}}}})");
}

TEST(UpdateSet, NestedSetNeedsAnExistingParent) {
  EXPECT_EQ(Apply("SET m.k = :v", {}, {{":v", N("1")}}), kBadPath);
  EXPECT_EQ(Apply("SET s.k = :v", {{"s", S("x")}}, {{":v", N("1")}}), kBadPath);
  EXPECT_EQ(Apply("SET l[0] = :v", {{"l", M({})}}, {{":v", N("1")}}), kBadPath);
}

TEST(UpdateSet, ListIndexReplacesOrAppendsPastTheEnd) {
  Item item{{"l", L({N("1"), N("2")})}};
  EXPECT_EQ(Apply("SET l[1] = :v", item, {{":v", N("9")}}), R"({"l":{"L":[{"N":"1"},{"N":"9"}]}})");
  EXPECT_EQ(Apply("SET l[10] = :v", item, {{":v", N("9")}}), R"({"l":{"L":[{"N":"1"},{"N":"2"},{"N":"9"}]}})");
}

TEST(UpdateSet, PlusAndMinusAreExactDecimalArithmetic) {
  Item item{{"n", N("0.1")}};
  EXPECT_EQ(Apply("SET n = n + :v", item, {{":v", N("0.2")}}), R"({"n":{"N":"0.3"}})");
  EXPECT_EQ(Apply("SET n = n - :v", item, {{":v", N("0.3")}}), R"({"n":{"N":"-0.2"}})");
  EXPECT_EQ(Apply("SET m = :v - n", item, {{":v", N("1")}}), R"({"m":{"N":"0.9"},"n":{"N":"0.1"}})");
}

TEST(UpdateSet, ArithmeticOnNonNumbersFails) {
  EXPECT_EQ(Apply("SET n = n + :v", {{"n", S("1")}}, {{":v", N("1")}}), kBadType);
}

TEST(UpdateSet, ArithmeticOverflowFails) {
  EXPECT_EQ(Apply("SET n = n + :v", {{"n", N("9e125")}}, {{":v", N("9e125")}}),
            "ValidationException: Number overflow. Attempting to store a number with magnitude larger than "
            "supported range");
}

TEST(UpdateSet, MissingOperandAttributeFails) {
  EXPECT_EQ(Apply("SET c = b", {{"a", N("1")}}), kMissing);
  EXPECT_EQ(Apply("SET n = n + :v", {}, {{":v", N("1")}}), kMissing);
  EXPECT_EQ(Apply("SET e = list_append(b, :l)", {}, {{":l", L({})}}), kMissing);
}

TEST(UpdateSet, IfNotExistsUsesExistingValueOrFallback) {
  EXPECT_EQ(Apply("SET n = if_not_exists(n, :z) + :one", {}, {{":z", N("0")}, {":one", N("1")}}), R"({"n":{"N":"1"}})");
  EXPECT_EQ(Apply("SET n = if_not_exists(n, :z) + :one", {{"n", N("41")}}, {{":z", N("0")}, {":one", N("1")}}),
            R"({"n":{"N":"42"}})");
}

TEST(UpdateSet, ListAppendConcatenatesInOrder) {
  Item item{{"l", L({N("1")})}};
  EXPECT_EQ(Apply("SET l = list_append(l, :v)", item, {{":v", L({N("2")})}}), R"({"l":{"L":[{"N":"1"},{"N":"2"}]}})");
  EXPECT_EQ(Apply("SET l = list_append(:v, l)", item, {{":v", L({N("0")})}}), R"({"l":{"L":[{"N":"0"},{"N":"1"}]}})");
  EXPECT_EQ(Apply("SET l = list_append(l, :v)", {{"l", S("x")}}, {{":v", L({N("2")})}}), kBadType);
}

TEST(UpdateSet, OperandsReadTheItemBeforeTheUpdate) {
  EXPECT_EQ(Apply("SET a = b, b = a", {{"a", N("1")}, {"b", N("2")}}), R"({"a":{"N":"2"},"b":{"N":"1"}})");
}

TEST(UpdateRemove, RemovesTopLevelNestedAndMissingPaths) {
  Item item{{"a", N("1")}, {"m", M({{"x", N("1")}, {"y", N("2")}})}};
  EXPECT_EQ(Apply("REMOVE a, m.x, nope", item), R"({"m":{"M":{"y":{"N":"2"}}}})");
}

TEST(UpdateRemove, RemovesListElementsByOriginalIndex) {
  Item item{{"l", L({S("a"), S("b"), S("c"), S("d")})}};
  EXPECT_EQ(Apply("REMOVE l[1], l[3]", item), R"({"l":{"L":[{"S":"a"},{"S":"c"}]}})");
  EXPECT_EQ(Apply("REMOVE l[9]", item), DebugString(item));
}

TEST(UpdateAdd, AddsToANumberOrStartsFromZero) {
  EXPECT_EQ(Apply("ADD n :v", {{"n", N("5")}}, {{":v", N("-2")}}), R"({"n":{"N":"3"}})");
  EXPECT_EQ(Apply("ADD n :v", {}, {{":v", N("1")}}), R"({"n":{"N":"1"}})");
}

TEST(UpdateAdd, UnionsSets) {
  EXPECT_EQ(Apply("ADD s :v", {{"s", SS({"a"})}}, {{":v", SS({"b", "a"})}}), R"({"s":{"SS":["a","b"]}})");
  EXPECT_EQ(Apply("ADD s :v", {}, {{":v", NS({"2", "1"})}}), R"({"s":{"NS":["1","2"]}})");
}

TEST(UpdateAdd, MismatchedStoredTypeFails) {
  EXPECT_EQ(Apply("ADD s :v", {{"s", S("x")}}, {{":v", N("1")}}), kBadType);
  EXPECT_EQ(Apply("ADD s :v", {{"s", SS({"a"})}}, {{":v", NS({"1"})}}), kBadType);
  EXPECT_EQ(Apply("ADD n :v", {{"n", NS({"1"})}}, {{":v", N("1")}}), kBadType);
}

TEST(UpdateDelete, RemovesElementsFromASet) {
  EXPECT_EQ(Apply("DELETE s :v", {{"s", SS({"a", "b", "c"})}}, {{":v", SS({"b", "z"})}}), R"({"s":{"SS":["a","c"]}})");
  EXPECT_EQ(Apply("DELETE s :v", {}, {{":v", SS({"b"})}}), "{}");
}

TEST(UpdateDelete, DeletingTheLastElementRemovesTheAttribute) {
  EXPECT_EQ(Apply("DELETE s :v", {{"s", NS({"1"})}, {"k", S("x")}}, {{":v", NS({"1.0"})}}), R"({"k":{"S":"x"}})");
}

TEST(UpdateDelete, MismatchedSetTypeFails) {
  EXPECT_EQ(Apply("DELETE s :v", {{"s", SS({"1"})}}, {{":v", NS({"1"})}}), kBadType);
}

TEST(UpdateAll, ActionsCombineInOneExpression) {
  Item item{{"pk", S("k")}, {"n", N("1")}, {"prev", S("x")}, {"tags", SS({"a", "b"})}};
  EXPECT_EQ(Apply("SET s = :s REMOVE prev ADD n :one DELETE tags :a", item,
                  {{":s", S("new")}, {":one", N("1")}, {":a", SS({"a"})}}),
            R"({"n":{"N":"2"},"pk":{"S":"k"},"s":{"S":"new"},"tags":{"SS":["b"]}})");
}

TEST(UpdateKeys, KeyAttributesCannotBeUpdated) {
  KeySchema schema{KeyElement{"a", AttrType::kS}, KeyElement{"b", AttrType::kS}};
  for (const char* text : {"add a.b :v", "delete a :v", "remove d set c = :v, a = :v", "set d[1] = :v add b.b :v"}) {
    auto e = ParseUpdateExpression(text, nullptr);
    ASSERT_TRUE(e.ok()) << text;
    std::string expected_attr = std::string(text).find("b.b") != std::string::npos ? "b" : "a";
    EXPECT_EQ(Describe(CheckUpdateDoesNotTouchKey(**e, schema)),
              "ValidationException: One or more parameter values were invalid: Cannot update attribute " +
                  expected_attr + ". This attribute is part of the key")
        << text;
  }
  auto ok = ParseUpdateExpression("SET c = :v", nullptr);
  EXPECT_EQ(Describe(CheckUpdateDoesNotTouchKey(**ok, schema)), "OK");
}

class ReturnValuesTest : public ::testing::Test {
 protected:
  std::optional<Item> Image(ReturnValues rv, const Item* old_item) {
    auto e = ParseUpdateExpression("SET a = :v, m.x = :v REMOVE gone", nullptr);
    EXPECT_TRUE(e.ok());
    ExpressionAttributeValues values{{":v", N("9")}};
    auto bound = BindValues(**e, &values);
    Item item = old_item ? *old_item : Item{{"pk", S("k")}, {"m", M({})}};
    EXPECT_TRUE(ApplyUpdate(**e, *bound, item).ok());
    return UpdateReturnImage(**e, rv, old_item, item);
  }
  std::string Show(const std::optional<Item>& i) { return i ? DebugString(*i) : "none"; }

  Item old_{{"pk", S("k")}, {"a", N("1")}, {"m", M({{"x", N("1")}, {"y", N("2")}})}, {"gone", S("g")}, {"z", N("0")}};
};

TEST_F(ReturnValuesTest, NoneReturnsNothing) { EXPECT_EQ(Show(Image(ReturnValues::kNone, &old_)), "none"); }

TEST_F(ReturnValuesTest, AllOldReturnsTheWholeOldItem) {
  EXPECT_EQ(Show(Image(ReturnValues::kAllOld, &old_)), DebugString(old_));
  EXPECT_EQ(Show(Image(ReturnValues::kAllOld, nullptr)), "none");
}

TEST_F(ReturnValuesTest, UpdatedOldReturnsOnlyUpdatedPathsAsTheyWere) {
  EXPECT_EQ(Show(Image(ReturnValues::kUpdatedOld, &old_)),
            R"({"a":{"N":"1"},"gone":{"S":"g"},"m":{"M":{"x":{"N":"1"}}}})");
}

TEST_F(ReturnValuesTest, AllNewReturnsTheWholeNewItem) {
  EXPECT_EQ(Show(Image(ReturnValues::kAllNew, &old_)),
            R"({"a":{"N":"9"},"m":{"M":{"x":{"N":"9"},"y":{"N":"2"}}},"pk":{"S":"k"},"z":{"N":"0"}})");
}

TEST_F(ReturnValuesTest, UpdatedNewReturnsOnlyUpdatedPathsAsTheyAre) {
  EXPECT_EQ(Show(Image(ReturnValues::kUpdatedNew, &old_)), R"({"a":{"N":"9"},"m":{"M":{"x":{"N":"9"}}}})");
  EXPECT_EQ(Show(Image(ReturnValues::kUpdatedNew, nullptr)), R"({"a":{"N":"9"},"m":{"M":{"x":{"N":"9"}}}})");
}

TEST(ReturnValuesParse, AcceptsTheFiveNamesOnly) {
  EXPECT_EQ(*ParseReturnValues("UPDATED_NEW"), ReturnValues::kUpdatedNew);
  EXPECT_EQ(*ParseReturnValues("ALL_OLD"), ReturnValues::kAllOld);
  EXPECT_EQ(Describe(ParseReturnValues("all_new")),
            "ValidationException: 1 validation error detected: Value 'all_new' at 'returnValues' failed to satisfy "
            "constraint: Member must satisfy enum value set: [UPDATED_NEW, UPDATED_OLD, ALL_NEW, ALL_OLD, NONE]");
}

TEST(Projection, ProjectsNestedPathsAndListElements) {
  Item item{{"a", N("1")},
            {"m", M({{"x", N("1")}, {"y", N("2")}})},
            {"l", L({S("a"), S("b"), S("c"), S("d")})},
            {"skip", S("s")}};
  auto p = ParseProjectionExpression("a, m.y, l[3], l[1], nope, m.nope", nullptr);
  ASSERT_TRUE(p.ok()) << Describe(p);
  EXPECT_EQ(DebugString(Project(**p, item)),
            R"({"a":{"N":"1"},"l":{"L":[{"S":"b"},{"S":"d"}]},"m":{"M":{"y":{"N":"2"}}}})");
}

TEST(UpdatePrepared, CompiledAddIsReusableAcrossItems) {
  ExpressionAttributeNames names{{"#c", "count"}};
  auto e = ParseUpdateExpression("ADD #c :one", &names);
  ASSERT_TRUE(e.ok());
  ExpressionAttributeValues values{{":one", N("1")}};
  auto bound = BindValues(**e, &values);
  ASSERT_TRUE(bound.ok());
  Item item{{"pk", S("k")}};
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(ApplyUpdate(**e, *bound, item).ok());
  EXPECT_EQ(DebugString(item), R"({"count":{"N":"1000"},"pk":{"S":"k"}})");
}

}  // namespace
}  // namespace emu::dynamodb

namespace emu::dynamodb {
namespace {

using namespace testutil;

TEST(ExpressionCacheTest, SameTextAndNamesReturnTheSameParse) {
  ExpressionCache cache;
  ExpressionAttributeNames names{{"#c", "count"}};
  auto a = cache.Update("ADD #c :one", &names);
  auto b = cache.Update("ADD #c :one", &names);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->get(), b->get());
  EXPECT_EQ(cache.hits(), 1u);
  EXPECT_EQ(cache.misses(), 1u);
}

TEST(ExpressionCacheTest, DifferentNamesOrKindsParseSeparately) {
  ExpressionCache cache;
  ExpressionAttributeNames n1{{"#c", "count"}}, n2{{"#c", "total"}};
  auto a = cache.Update("ADD #c :one", &n1);
  auto b = cache.Update("ADD #c :one", &n2);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->get(), b->get());
  EXPECT_EQ((*b)->updated_attributes(), (std::vector<std::string>{"total"}));
  auto c = cache.Condition("a = :v", nullptr);
  auto f = cache.Condition("a = :v", nullptr, ExpressionKind::kFilter);
  ASSERT_TRUE(c.ok() && f.ok());
  EXPECT_NE(c->get(), f->get());
  EXPECT_EQ(cache.size(), 4u);
}

TEST(ExpressionCacheTest, ErrorsAreNotCached) {
  ExpressionCache cache;
  EXPECT_EQ(Describe(cache.Projection("a,", nullptr)),
            "ValidationException: Invalid ProjectionExpression: Syntax error; token: \"<EOF>\", near: \",\"");
  EXPECT_EQ(cache.size(), 0u);
  EXPECT_EQ(cache.misses(), 1u);
}

TEST(ExpressionCacheTest, ClearsWhenFull) {
  ExpressionCache cache(2);
  ASSERT_TRUE(cache.KeyCondition("pk = :a", nullptr).ok());
  ASSERT_TRUE(cache.KeyCondition("pk = :b", nullptr).ok());
  EXPECT_EQ(cache.size(), 2u);
  ASSERT_TRUE(cache.KeyCondition("pk = :c", nullptr).ok());
  EXPECT_EQ(cache.size(), 1u);
}

}  // namespace
}  // namespace emu::dynamodb
