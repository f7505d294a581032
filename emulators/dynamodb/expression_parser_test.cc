// Grammar and validation errors of every expression kind: each valid and
// invalid form, with DynamoDB's exact ValidationException message.

#include <gtest/gtest.h>

#include "emulators/dynamodb/expression.h"
#include "emulators/dynamodb/expression_test_util.h"

namespace emu::dynamodb {
namespace {

using namespace testutil;

const ExpressionAttributeValues kVals = {{":v", N("1")},      {":w", N("2")},
                                         {":s", S("a")},      {":b", B("x")},
                                         {":l", L({N("1")})}, {":ss", SS({"a"})},
                                         {":ns", NS({"1"})},  {":t", S("SS")},
                                         {":hi", N("9")},     {":bool", AttributeValue::Bool(true)},
                                         {":m", M({})},       {":nul", AttributeValue::Null()}};

// ---- syntax ----

TEST(ExpressionGrammar, ValidConditionsParse) {
  for (const char* text : {"a = :v",
                           "a <> :v",
                           "a < :v",
                           "a <= :v",
                           "a > :v",
                           "a >= :v",
                           "a BETWEEN :v AND :w",
                           "a between :v and :w",
                           "a IN (:v, :w)",
                           "a in (:v)",
                           "NOT a = :v",
                           "not (a = :v)",
                           "a = :v AND b = :w OR c = :v",
                           "(a = :v OR b = :w) AND c = :v",
                           "attribute_exists(a)",
                           "attribute_not_exists(a.b[2].c)",
                           "attribute_type(a, :t)",
                           "begins_with(a, :s)",
                           "contains(a, :s)",
                           "size(a) > :v",
                           "size(a.b) = size(c)",
                           "(a) = :v",
                           "a.b.c = :v",
                           "a[0][1] = :v",
                           "#n = :v",
                           "a = b",
                           ":v = a",
                           "a=:v",
                           "  a   =   :v  ",
                           "NOT NOT a = :v",
                           "((a = :v))"}) {
    ExpressionAttributeNames names{{"#n", "name"}};
    EXPECT_EQ(ConditionError(text, &kVals, &names), "OK") << text;
  }
}

TEST(ExpressionGrammar, ConditionSyntaxErrorsNameTokenAndContext) {
  EXPECT_EQ(ConditionError("foo"),
            "ValidationException: Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"foo\"");
  EXPECT_EQ(ConditionError("a == :v"),
            "ValidationException: Invalid ConditionExpression: Syntax error; token: \"=\", near: \"==\"");
  EXPECT_EQ(ConditionError("a = "),
            "ValidationException: Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"=\"");
  EXPECT_EQ(ConditionError("a = :v AND"),
            "ValidationException: Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"AND\"");
  EXPECT_EQ(ConditionError("a = :v $"),
            "ValidationException: Invalid ConditionExpression: Syntax error; token: \"$\", near: \":v $\"");
  EXPECT_EQ(ConditionError("a = 1"),
            "ValidationException: Invalid ConditionExpression: Syntax error; token: \"1\", near: \"= 1\"");
  EXPECT_EQ(ConditionError("a BETWEEN :v :w"),
            "ValidationException: Invalid ConditionExpression: Syntax error; token: \":w\", near: \":v :w\"");
  EXPECT_EQ(ConditionError("(a = :v"),
            "ValidationException: Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \":v\"");
  EXPECT_EQ(ConditionError("size()"),
            "ValidationException: Invalid ConditionExpression: Syntax error; token: \")\", near: \"()\"");
  EXPECT_EQ(ConditionError("a + :v = :w"),
            "ValidationException: Invalid ConditionExpression: Syntax error; token: \"+\", near: \"a +\"");
}

TEST(ExpressionGrammar, EmptyExpressionsAreRejected) {
  EXPECT_EQ(ConditionError("   "),
            "ValidationException: Invalid ConditionExpression: The expression can not be empty;");
  EXPECT_EQ(UpdateError(""), "ValidationException: Invalid UpdateExpression: The expression can not be empty;");
  EXPECT_EQ(Describe(ParseProjectionExpression("", nullptr)),
            "ValidationException: Invalid ProjectionExpression: The expression can not be empty;");
  EXPECT_EQ(Describe(ParseKeyConditionExpression("", nullptr)),
            "ValidationException: Invalid KeyConditionExpression: The expression can not be empty;");
  EXPECT_EQ(Describe(ParseConditionExpression("", nullptr, ExpressionKind::kFilter)),
            "ValidationException: Invalid FilterExpression: The expression can not be empty;");
}

TEST(ExpressionGrammar, ExpressionsAreLimitedTo4KB) {
  std::string at_limit = "a = :v" + std::string(4096 - 6, ' ');
  EXPECT_EQ(ConditionError(at_limit, &kVals), "OK");
  EXPECT_EQ(ConditionError(at_limit + " "),
            "ValidationException: Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; "
            "expression size: 4097");
}

TEST(ExpressionGrammar, ValidUpdatesParse) {
  for (const char* text :
       {"SET a = :v", "set a = :v, b = :w", "SET a = a + :v", "SET a = :v - a", "SET a = if_not_exists(a, :v)",
        "SET a = if_not_exists(a, :v) + :w", "SET l = list_append(l, :l)", "SET l = list_append(:l, l)",
        "SET a.b[1].c = :v", "SET a = (b + :v)", "REMOVE a", "remove a, b.c, l[0]", "ADD n :v", "add s :ss",
        "DELETE s :ss", "SET a = :v REMOVE b ADD n :w DELETE s :ss", "REMOVE b SET a = :v", "SET a = b"}) {
    EXPECT_EQ(UpdateError(text, &kVals), "OK") << text;
  }
}

TEST(ExpressionGrammar, UpdateSyntaxErrors) {
  for (const char* text : {"whatever",
                           "set a",
                           "add a",
                           "delete a",
                           "set a=set",
                           "remove a = b",
                           "add a = b",
                           "delete a = b",
                           "delete a b",
                           "add a if_not_exist(b)",
                           "remove a b",
                           "set a b",
                           "set :a = b",
                           "add :a b",
                           "remove :a",
                           "set a = b / c",
                           "set a = b * c",
                           "set a[1] = \"eight\"",
                           "set a[1] = 1",
                           "SET if_not_exist(a, b) = a",
                           "set (a = (b + c))",
                           "set a = (b.c).d + e",
                           "set a = b + c + d",
                           "SET a = :v,"}) {
    std::string err = UpdateError(text, &kVals);
    EXPECT_EQ(err.rfind("ValidationException: Invalid UpdateExpression: Syntax error; token: ", 0), 0u)
        << text << " -> " << err;
  }
  EXPECT_EQ(UpdateError("SET a = b c"),
            "ValidationException: Invalid UpdateExpression: Syntax error; token: \"c\", near: \"b c\"");
  EXPECT_EQ(UpdateError("SET a = :v VALUE 1"),
            "ValidationException: Invalid UpdateExpression: Syntax error; token: \"VALUE\", near: \":v VALUE\"");
  EXPECT_EQ(UpdateError("set a = b + c + d"),
            "ValidationException: Invalid UpdateExpression: Syntax error; token: \"+\", near: \"c +\"");
}

TEST(ExpressionGrammar, UpdateSectionMayAppearOnce) {
  EXPECT_EQ(UpdateError("set a = :v set c = :w"),
            "ValidationException: Invalid UpdateExpression: The \"SET\" section can only be used once in an update "
            "expression;");
  EXPECT_EQ(UpdateError("remove d set a = :v remove e"),
            "ValidationException: Invalid UpdateExpression: The \"REMOVE\" section can only be used once in an "
            "update expression;");
  EXPECT_EQ(UpdateError("add d :v set a = :v add e :w"),
            "ValidationException: Invalid UpdateExpression: The \"ADD\" section can only be used once in an update "
            "expression;");
  EXPECT_EQ(UpdateError("delete d :ss delete e :ss"),
            "ValidationException: Invalid UpdateExpression: The \"DELETE\" section can only be used once in an "
            "update expression;");
}

TEST(ExpressionGrammar, ProjectionParsesPathsAndPlaceholders) {
  ExpressionAttributeNames names{{"#n", "name"}};
  auto p = ParseProjectionExpression("a.b[2].c, #n, l[0]", &names);
  ASSERT_TRUE(p.ok()) << Describe(p);
  ASSERT_EQ((*p)->paths().size(), 3u);
  EXPECT_EQ((*p)->paths()[0].DebugString(), "[a, b, [2], c]");
  EXPECT_EQ((*p)->paths()[1].DebugString(), "[name]");
  EXPECT_EQ((*p)->top_level_names(), (std::vector<std::string>{"a", "l", "name"}));
  EXPECT_EQ((*p)->used_names(), (std::vector<std::string>{"#n"}));
  EXPECT_EQ(Describe(ParseProjectionExpression("a,", nullptr)),
            "ValidationException: Invalid ProjectionExpression: Syntax error; token: \"<EOF>\", near: \",\"");
}

TEST(ExpressionGrammar, ListIndexMustBeANumber) {
  EXPECT_EQ(ConditionError("a[x] = :v"),
            "ValidationException: Invalid ConditionExpression: Syntax error; token: \"x\", near: \"[x\"");
  EXPECT_EQ(ConditionError("a[-1] = :v"),
            "ValidationException: Invalid ConditionExpression: Syntax error; token: \"-\", near: \"[-\"");
}

// ---- precedence ----

TEST(ExpressionGrammar, AndBindsTighterThanOr) {
  auto e = ParseConditionExpression("a = :v OR b = :v AND c = :v", nullptr);
  ASSERT_TRUE(e.ok());
  const Condition& root = (*e)->root();
  ASSERT_EQ(root.kind, ConditionKind::kOr);
  ASSERT_EQ(root.children.size(), 2u);
  EXPECT_EQ(root.children[0].kind, ConditionKind::kCompare);
  EXPECT_EQ(root.children[1].kind, ConditionKind::kAnd);
}

TEST(ExpressionGrammar, NotBindsTighterThanAnd) {
  auto e = ParseConditionExpression("NOT a = :v AND b = :v", nullptr);
  ASSERT_TRUE(e.ok());
  const Condition& root = (*e)->root();
  ASSERT_EQ(root.kind, ConditionKind::kAnd);
  EXPECT_EQ(root.children[0].kind, ConditionKind::kNot);
  EXPECT_EQ(root.children[1].kind, ConditionKind::kCompare);
}

TEST(ExpressionGrammar, ParenthesesOverridePrecedence) {
  auto e = ParseConditionExpression("(a = :v OR b = :v) AND c = :v", nullptr);
  ASSERT_TRUE(e.ok());
  ASSERT_EQ((*e)->root().kind, ConditionKind::kAnd);
  EXPECT_EQ((*e)->root().children[0].kind, ConditionKind::kOr);
}

// ---- names, values, reserved words ----

TEST(ExpressionNames, ReservedWordNeedsAnAlias) {
  EXPECT_EQ(UpdateError("set #c = :v set abOrt = :v"),
            "ValidationException: Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: "
            "abOrt");
  EXPECT_EQ(UpdateError(" remove Absolute "),
            "ValidationException: Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: "
            "Absolute");
  EXPECT_EQ(ConditionError("status = :v"),
            "ValidationException: Invalid ConditionExpression: Attribute name is a reserved keyword; reserved "
            "keyword: status");
  EXPECT_EQ(ConditionError("a.name = :v"),
            "ValidationException: Invalid ConditionExpression: Attribute name is a reserved keyword; reserved "
            "keyword: name");
  EXPECT_EQ(Describe(ParseProjectionExpression("ttl", nullptr)),
            "ValidationException: Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved "
            "keyword: ttl");
  ExpressionAttributeNames names{{"#s", "status"}};
  EXPECT_EQ(ConditionError("#s = :v", &kVals, &names), "OK");
}

TEST(ExpressionNames, FunctionNamesAreNotReservedWordUses) {
  EXPECT_EQ(ConditionError("size(a) > :v", &kVals), "OK");  // SIZE is a reserved word
}

TEST(ExpressionNames, UndefinedNameIsReported) {
  ExpressionAttributeNames names{{"#a", "a"}};
  EXPECT_EQ(ConditionError("#x = :v", nullptr, &names),
            "ValidationException: Invalid ConditionExpression: An expression attribute name used in the document "
            "path is not defined; attribute name: #x");
  EXPECT_EQ(UpdateError("SET #c = if_not_exists(#c, :v)"),
            "ValidationException: Invalid UpdateExpression: An expression attribute name used in the document path "
            "is not defined; attribute name: #c");
}

TEST(ExpressionNames, UndefinedValueIsReportedAtBind) {
  ExpressionAttributeValues values{{":a", S("a")}};
  EXPECT_EQ(UpdateError("SET a = if_not_exists(a, :c)", &values),
            "ValidationException: Invalid UpdateExpression: An expression attribute value used in expression is not "
            "defined; attribute value: :c");
  EXPECT_EQ(ConditionError("s = :v", &values),
            "ValidationException: Invalid ConditionExpression: An expression attribute value used in expression is "
            "not defined; attribute value: :v");
}

TEST(ExpressionNames, UnusedNamesAndValuesAreReportedAcrossTheRequest) {
  ExpressionAttributeNames names{{"#a", "a"}, {"#b", "b"}, {"#c", "c"}};
  ExpressionAttributeValues values{{":a", S("a")}, {":b", S("b")}, {":c", S("c")}};
  auto update = ParseUpdateExpression("remove #c set b = list_append(b, if_not_exists(a, :a))", &names);
  auto cond = ParseConditionExpression("a = :b", &names);
  ASSERT_TRUE(update.ok() && cond.ok());
  const ParsedExpression* exprs[] = {update->get(), cond->get(), nullptr};
  EXPECT_EQ(Describe(CheckUnusedNamesAndValues(exprs, &names, nullptr)),
            "ValidationException: Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}");
  EXPECT_EQ(Describe(CheckUnusedNamesAndValues(exprs, nullptr, &values)),
            "ValidationException: Value provided in ExpressionAttributeValues unused in expressions: keys: {:c}");
  ExpressionAttributeValues used{{":a", S("a")}, {":b", S("b")}};
  ExpressionAttributeNames used_names{{"#c", "c"}};
  EXPECT_EQ(Describe(CheckUnusedNamesAndValues(exprs, &used_names, &used)), "OK");
}

TEST(ExpressionNames, AttributeMapsMustBeNonEmptyAndWellFormed) {
  ExpressionAttributeNames empty_names;
  ExpressionAttributeValues empty_values;
  EXPECT_EQ(Describe(ValidateAttributeMaps(&empty_names, nullptr)),
            "ValidationException: ExpressionAttributeNames must not be empty");
  EXPECT_EQ(Describe(ValidateAttributeMaps(nullptr, &empty_values)),
            "ValidationException: ExpressionAttributeValues must not be empty");
  ExpressionAttributeNames bad_names{{"a", "a"}};
  EXPECT_EQ(Describe(ValidateAttributeMaps(&bad_names, nullptr)),
            "ValidationException: ExpressionAttributeNames contains invalid key: Syntax error; key: \"a\"");
  ExpressionAttributeValues bad_values{{":ok", S("a")}, {"b", S("a")}};
  EXPECT_EQ(Describe(ValidateAttributeMaps(nullptr, &bad_values)),
            "ValidationException: ExpressionAttributeValues contains invalid key: Syntax error; key: \"b\"");
  EXPECT_EQ(Describe(ValidateAttributeMaps(nullptr, nullptr)), "OK");
}

TEST(ExpressionNames, ValueSlotsAreSharedByRepeatedPlaceholders) {
  auto e = ParseConditionExpression("a = :v OR b = :v OR c = :w", nullptr);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ((*e)->value_names(), (std::vector<std::string>{":v", ":w"}));
}

// ---- functions ----

TEST(ExpressionFunctions, UnknownFunctionIsRejected) {
  EXPECT_EQ(ConditionError("foo(a)"),
            "ValidationException: Invalid ConditionExpression: Invalid function name; function: foo");
  EXPECT_EQ(UpdateError("set a = if_not_exist(a, :v)"),
            "ValidationException: Invalid UpdateExpression: Invalid function name; function: if_not_exist");
}

TEST(ExpressionFunctions, WrongOperandCountIsRejected) {
  EXPECT_EQ(ConditionError("attribute_exists(a, b)"),
            "ValidationException: Invalid ConditionExpression: Incorrect number of operands for operator or "
            "function; operator or function: attribute_exists, number of operands: 2");
  EXPECT_EQ(ConditionError("begins_with(a) "),
            "ValidationException: Invalid ConditionExpression: Incorrect number of operands for operator or "
            "function; operator or function: begins_with, number of operands: 1");
  EXPECT_EQ(UpdateError("set a = if_not_exists(c)"),
            "ValidationException: Invalid UpdateExpression: Incorrect number of operands for operator or function; "
            "operator or function: if_not_exists, number of operands: 1");
  EXPECT_EQ(UpdateError("set a = list_append(c)"),
            "ValidationException: Invalid UpdateExpression: Incorrect number of operands for operator or function; "
            "operator or function: list_append, number of operands: 1");
}

TEST(ExpressionFunctions, PathArgumentsMustBePaths) {
  EXPECT_EQ(ConditionError("attribute_exists(:v)"),
            "ValidationException: Invalid ConditionExpression: Operator or function requires a document path; "
            "operator or function: attribute_exists");
  EXPECT_EQ(UpdateError("set a = if_not_exists(:a, c)"),
            "ValidationException: Invalid UpdateExpression: Operator or function requires a document path; "
            "operator or function: if_not_exists");
  EXPECT_EQ(UpdateError("set a = if_not_exists(if_not_exists(a, b), c)"),
            "ValidationException: Invalid UpdateExpression: Operator or function requires a document path; "
            "operator or function: if_not_exists");
}

TEST(ExpressionFunctions, MisusedFunctionsAreRejected) {
  const std::string prefix = "ValidationException: Invalid ConditionExpression: ";
  EXPECT_EQ(ConditionError("size(a)"),
            prefix + "The function is not allowed to be used this way in an expression; function: size");
  EXPECT_EQ(ConditionError("attribute_exists(a) < :v"),
            prefix + "The function is not allowed to be used this way in an expression; function: attribute_exists");
  EXPECT_EQ(ConditionError("a = contains(b, :v)"),
            prefix + "The function is not allowed to be used this way in an expression; function: contains");
  EXPECT_EQ(ConditionError("a = if_not_exists(a, :v)"),
            prefix + "The function is not allowed in a condition expression; function: if_not_exists");
  EXPECT_EQ(UpdateError("set a = size(b)"),
            "ValidationException: Invalid UpdateExpression: The function is not allowed in an update expression; "
            "function: size");
}

TEST(ExpressionFunctions, OperandsMustBeDistinct) {
  EXPECT_EQ(ConditionError("a = a"),
            "ValidationException: Invalid ConditionExpression: The first operand must be distinct from the remaining "
            "operands for this operator or function; operator: =, first operand: [a]");
  EXPECT_EQ(ConditionError("begins_with(a.b, a.b)"),
            "ValidationException: Invalid ConditionExpression: The first operand must be distinct from the remaining "
            "operands for this operator or function; operator: begins_with, first operand: [a, b]");
}

TEST(ExpressionFunctions, InAcceptsAtMostOneHundredOperands) {
  std::string ok = "a IN (:v";
  for (int i = 1; i < 100; ++i) ok += ", :v";
  EXPECT_EQ(ConditionError(ok + ")", &kVals), "OK");
  EXPECT_EQ(ConditionError(ok + ", :v)", &kVals),
            "ValidationException: Invalid ConditionExpression: Too many operands for operator or function; operator "
            "or function: IN, number of operands: 101, maximum: 100");
}

// ---- value types (bind time) ----

TEST(ExpressionValueTypes, AddAndDeleteOperandTypes) {
  const std::string prefix =
      "ValidationException: Invalid UpdateExpression: Incorrect operand type for operator or function; ";
  EXPECT_EQ(UpdateError("add a.b :s", &kVals), prefix + "operator: ADD, operand type: STRING");
  EXPECT_EQ(UpdateError("add a.b :nul", &kVals), prefix + "operator: ADD, operand type: NULL");
  EXPECT_EQ(UpdateError("add a.b :bool", &kVals), prefix + "operator: ADD, operand type: BOOLEAN");
  EXPECT_EQ(UpdateError("add a.b :b", &kVals), prefix + "operator: ADD, operand type: BINARY");
  EXPECT_EQ(UpdateError("add a.b :m", &kVals), prefix + "operator: ADD, operand type: MAP");
  EXPECT_EQ(UpdateError("add a.b :l", &kVals), prefix + "operator: ADD, operand type: LIST");
  EXPECT_EQ(UpdateError("delete a.b :v", &kVals), prefix + "operator: DELETE, operand type: NUMBER");
  EXPECT_EQ(UpdateError("delete a.b :s", &kVals), prefix + "operator: DELETE, operand type: STRING");
  EXPECT_EQ(UpdateError("add a :v", &kVals), "OK");
  EXPECT_EQ(UpdateError("add a :ns", &kVals), "OK");
  EXPECT_EQ(UpdateError("delete a :ss", &kVals), "OK");
}

TEST(ExpressionValueTypes, ArithmeticAndListAppendOperandTypes) {
  const std::string prefix =
      "ValidationException: Invalid UpdateExpression: Incorrect operand type for operator or function; operator or "
      "function: ";
  EXPECT_EQ(UpdateError("set a = a + :s", &kVals), prefix + "+, operand type: S");
  EXPECT_EQ(UpdateError("set a = :b - a", &kVals), prefix + "-, operand type: B");
  EXPECT_EQ(UpdateError("set a = a - :m", &kVals), prefix + "-, operand type: M");
  EXPECT_EQ(UpdateError("set a = list_append(:s, a)", &kVals), prefix + "list_append, operand type: S");
  EXPECT_EQ(UpdateError("set a = list_append(a, :v)", &kVals), prefix + "list_append, operand type: N");
}

TEST(ExpressionValueTypes, ConditionFunctionOperandTypes) {
  const std::string prefix = "ValidationException: Invalid ConditionExpression: ";
  EXPECT_EQ(ConditionError("begins_with(a, :v)", &kVals),
            prefix +
                "Incorrect operand type for operator or function; operator or function: begins_with, operand "
                "type: N");
  ExpressionAttributeValues bad_type{{":t", S("STRING")}};
  EXPECT_EQ(ConditionError("attribute_type(a, :t)", &bad_type),
            prefix + "Invalid attribute type name found; type: STRING, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
  EXPECT_EQ(ConditionError("attribute_type(a, :v)", &kVals),
            prefix +
                "Incorrect operand type for operator or function; operator or function: attribute_type, "
                "operand type: N");
}

TEST(ExpressionValueTypes, BetweenBoundsMustShareTypeAndOrder) {
  const std::string prefix = "ValidationException: Invalid ConditionExpression: ";
  EXPECT_EQ(ConditionError("a BETWEEN :v AND :s", &kVals),
            prefix +
                "The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: "
                "AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}");
  EXPECT_EQ(ConditionError("a BETWEEN :hi AND :v", &kVals),
            prefix +
                "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower "
                "bound operand: AttributeValue: {N:9}, upper bound operand: AttributeValue: {N:1}");
}

// ---- document paths ----

TEST(ExpressionPaths, OverlappingUpdatePathsAreRejected) {
  ExpressionAttributeNames names{{"#c", "c"}, {"#d", "[3]"}};
  EXPECT_EQ(UpdateError("set d[1] = a, d.b = a, c[1].a = a, #c = if_not_exists(a)", nullptr, &names),
            "ValidationException: Invalid UpdateExpression: Two document paths overlap with each other; must remove "
            "or rewrite one of these paths; path one: [c, [1], a], path two: [c]");
  EXPECT_EQ(UpdateError("set d[1] = a, c[1].a = a, #c = if_not_exists(a, b)", nullptr, &names),
            "ValidationException: Invalid UpdateExpression: Two document paths overlap with each other; must remove "
            "or rewrite one of these paths; path one: [c, [1], a], path two: [c]");
  EXPECT_EQ(UpdateError("set #c[3].#d = a, #c[3] = a", nullptr, &names),
            "ValidationException: Invalid UpdateExpression: Two document paths overlap with each other; must remove "
            "or rewrite one of these paths; path one: [c, [3], [3]], path two: [c, [3]]");
  EXPECT_EQ(UpdateError("SET a = :v REMOVE a", &kVals),
            "ValidationException: Invalid UpdateExpression: Two document paths overlap with each other; must remove "
            "or rewrite one of these paths; path one: [a], path two: [a]");
}

TEST(ExpressionPaths, ConflictingUpdatePathsAreRejected) {
  ExpressionAttributeNames names{{"#c", "c"}, {"#d", "[3]"}};
  EXPECT_EQ(UpdateError("remove a.#c set a[1] = #d", nullptr, &names),
            "ValidationException: Invalid UpdateExpression: Two document paths conflict with each other; must "
            "remove or rewrite one of these paths; path one: [a, c], path two: [a, [1]]");
}

TEST(ExpressionPaths, SiblingPathsDoNotOverlap) {
  EXPECT_EQ(UpdateError("SET l[0] = :v, l[1] = :w REMOVE m.x, m.y", &kVals), "OK");
}

TEST(ExpressionPaths, OverlappingProjectionPathsAreRejected) {
  EXPECT_EQ(Describe(ParseProjectionExpression("a, a.b", nullptr)),
            "ValidationException: Invalid ProjectionExpression: Two document paths overlap with each other; must "
            "remove or rewrite one of these paths; path one: [a], path two: [a, b]");
}

TEST(ExpressionPaths, UpdateRecordsUpdatedTopLevelAttributes) {
  auto e = ParseUpdateExpression("SET b.c = :v, a = :v REMOVE z[1] ADD n :v DELETE s :ss", nullptr);
  ASSERT_TRUE(e.ok()) << Describe(e);
  EXPECT_EQ((*e)->updated_attributes(), (std::vector<std::string>{"a", "b", "n", "s", "z"}));
  EXPECT_EQ((*e)->updated_paths().size(), 5u);
}

}  // namespace
}  // namespace emu::dynamodb
