// Deterministic fuzzing of the expression parsers: random token soups and
// random mutations of valid expressions must parse or fail with a
// ValidationException, never crash, and whatever parses must evaluate.

#include <gtest/gtest.h>

#include "emulators/dynamodb/expression.h"
#include "emulators/dynamodb/expression_test_util.h"
#include "sim/rng.h"

namespace emu::dynamodb {
namespace {

using namespace testutil;

constexpr const char* kPieces[] = {"a",
                                   "b.c",
                                   "l[0]",
                                   "l[1]",
                                   "#n",
                                   ":v",
                                   ":w",
                                   ":l",
                                   "=",
                                   "<>",
                                   "<",
                                   "<=",
                                   ">",
                                   ">=",
                                   "(",
                                   ")",
                                   "[",
                                   "]",
                                   ",",
                                   ".",
                                   "+",
                                   "-",
                                   "AND",
                                   "OR",
                                   "NOT",
                                   "BETWEEN",
                                   "IN",
                                   "SET",
                                   "REMOVE",
                                   "ADD",
                                   "DELETE",
                                   "size(",
                                   "contains(",
                                   "begins_with(",
                                   "attribute_exists(",
                                   "attribute_not_exists(",
                                   "attribute_type(",
                                   "if_not_exists(",
                                   "list_append(",
                                   "status",
                                   "1",
                                   "$",
                                   " ",
                                   "foo("};

const Item kItem{{"a", N("1")}, {"b", M({{"c", S("x")}})}, {"l", L({N("1"), S("y")})}};
const ExpressionAttributeValues kValues{{":v", N("1")}, {":w", S("x")}, {":l", L({N("2")})}};
const ExpressionAttributeNames kNames{{"#n", "a"}};

bool IsValidation(const sim::Status& s) {
  const AwsErrorType* t = AwsErrorOf(s);
  return t != nullptr && t->name == "ValidationException";
}

// Parses `text` as every expression kind and runs whatever parses.
int Exercise(const std::string& text) {
  int parsed = 0;
  if (auto c = ParseConditionExpression(text, &kNames); c.ok()) {
    ++parsed;
    if (auto b = BindValues(**c, &kValues); b.ok()) EvaluateCondition(**c, &kItem, *b);
  } else {
    EXPECT_TRUE(IsValidation(c.status())) << text;
  }
  if (auto u = ParseUpdateExpression(text, &kNames); u.ok()) {
    ++parsed;
    if (auto b = BindValues(**u, &kValues); b.ok()) {
      Item copy = kItem;
      sim::Status s = ApplyUpdate(**u, *b, copy);
      EXPECT_TRUE(s.ok() || IsValidation(s)) << text;
    }
  } else {
    EXPECT_TRUE(IsValidation(u.status())) << text;
  }
  if (auto p = ParseProjectionExpression(text, &kNames); p.ok()) {
    ++parsed;
    Project(**p, kItem);
  }
  if (auto k = ParseKeyConditionExpression(text, &kNames); !k.ok()) {
    EXPECT_TRUE(IsValidation(k.status())) << text;
  }
  return parsed;
}

TEST(ExpressionFuzz, RandomTokenSoupsFailCleanly) {
  sim::Rng rng(20260101);
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    uint64_t n = 1 + rng.UniformInt(12);
    for (uint64_t j = 0; j < n; ++j) {
      text += kPieces[rng.UniformInt(std::size(kPieces))];
      if (rng.UniformInt(2) == 0) text += ' ';
    }
    Exercise(text);
  }
}

TEST(ExpressionFuzz, MutatedValidExpressionsFailCleanly) {
  const std::string seeds[] = {"SET a = if_not_exists(a, :v) + :v, b.c = :w REMOVE l[1]",
                               "a BETWEEN :v AND :v OR NOT (size(b.c) > :v AND contains(l, :v))",
                               "attribute_type(#n, :w) AND begins_with(b.c, :w)", "a, b.c, l[1]"};
  sim::Rng rng(7);
  int parsed = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string text = seeds[rng.UniformInt(std::size(seeds))];
    uint64_t edits = rng.UniformInt(3);
    for (uint64_t e = 0; e < edits && !text.empty(); ++e) {
      size_t pos = rng.UniformInt(text.size());
      if (rng.UniformInt(2) == 0) {
        text.erase(pos, 1);
      } else {
        text.insert(pos, kPieces[rng.UniformInt(std::size(kPieces))]);
      }
    }
    parsed += Exercise(text);
  }
  EXPECT_GT(parsed, 1000);  // the mutations keep a good share valid, so evaluation is exercised too
}

}  // namespace
}  // namespace emu::dynamodb
