#include "emulators/sns/sns_filter_policy.h"

#include <gtest/gtest.h>

#include "emulators/common/aws_error.h"

namespace emu::sns {
namespace {

using Attrs = std::map<std::string, std::string>;

FilterPolicy Policy(const std::string& json, FilterPolicyScope scope = FilterPolicyScope::kMessageAttributes) {
  sim::StatusOr<FilterPolicy> p = FilterPolicy::Parse(json, scope);
  EXPECT_TRUE(p.ok()) << json << ": " << p.status().ToString();
  return p.ok() ? *p : *FilterPolicy::Parse("{}", scope);
}

// String-typed attributes.
bool Match(const std::string& policy, const Attrs& values, const Attrs& types = {}) {
  return Policy(policy).MatchesAttributes(values, types);
}

bool MatchBody(const std::string& policy, const std::string& body) {
  return Policy(policy, FilterPolicyScope::kMessageBody).MatchesBody(body);
}

std::string ErrorOf(const std::string& json, FilterPolicyScope scope = FilterPolicyScope::kMessageAttributes) {
  sim::StatusOr<FilterPolicy> p = FilterPolicy::Parse(json, scope);
  if (p.ok()) return "ok";
  EXPECT_EQ(p.status().name(), "InvalidParameter");
  EXPECT_EQ(HttpStatusOf(p.status()), 400);
  return std::string(p.status().message());
}

TEST(SnsFilterPolicy, ExactStringMatchesAnyValueOfTheArray) {
  EXPECT_TRUE(Match(R"({"sport":["rugby","tennis"]})", {{"sport", "tennis"}}));
  EXPECT_FALSE(Match(R"({"sport":["rugby","tennis"]})", {{"sport", "baseball"}}));
  EXPECT_FALSE(Match(R"({"sport":["rugby"]})", {{"sport", "Rugby"}}));  // case-sensitive
}

TEST(SnsFilterPolicy, AMissingAttributeDoesNotMatch) {
  EXPECT_FALSE(Match(R"({"sport":["rugby"]})", {{"other", "rugby"}}));
  EXPECT_FALSE(Match(R"({"sport":["rugby"]})", {}));
}

TEST(SnsFilterPolicy, KeysAreAndedValuesAreOred) {
  const std::string p = R"({"sport":["rugby","golf"],"country":["NZ"]})";
  EXPECT_TRUE(Match(p, {{"sport", "golf"}, {"country", "NZ"}}));
  EXPECT_FALSE(Match(p, {{"sport", "golf"}, {"country", "FR"}}));
  EXPECT_FALSE(Match(p, {{"sport", "golf"}}));
}

TEST(SnsFilterPolicy, NumbersMatchNumberAttributesOnly) {
  const Attrs number{{"price", "Number"}};
  EXPECT_TRUE(Match(R"({"price":[100]})", {{"price", "100.0"}}, number));
  EXPECT_TRUE(Match(R"({"price":[0.000001]})", {{"price", "0"}}, number));  // five decimal digits
  EXPECT_FALSE(Match(R"({"price":[100]})", {{"price", "101"}}, number));
  EXPECT_FALSE(Match(R"({"price":[100]})", {{"price", "100"}}));            // String "100"
  EXPECT_FALSE(Match(R"({"price":["100"]})", {{"price", "100"}}, number));  // String policy value
  EXPECT_TRUE(Match(R"({"price":["100"]})", {{"price", "100"}}));
}

TEST(SnsFilterPolicy, NumericComparisonsAndRanges) {
  const Attrs number{{"n", "Number"}};
  const std::string range = R"({"n":[{"numeric":[">",0,"<=",150]}]})";
  EXPECT_TRUE(Match(range, {{"n", "150"}}, number));
  EXPECT_TRUE(Match(range, {{"n", "0.5"}}, number));
  EXPECT_FALSE(Match(range, {{"n", "0"}}, number));
  EXPECT_FALSE(Match(range, {{"n", "150.01"}}, number));
  EXPECT_FALSE(Match(range, {{"n", "75"}}));  // String-typed
  EXPECT_TRUE(Match(R"({"n":[{"numeric":["=",301.5]}]})", {{"n", "301.5"}}, number));
  EXPECT_TRUE(Match(R"({"n":[{"numeric":["<",10]}]})", {{"n", "-3"}}, number));
  EXPECT_FALSE(Match(R"({"n":[{"numeric":[">=",10]}]})", {{"n", "9.99999"}}, number));
  EXPECT_TRUE(Match(R"({"n":[{"numeric":[">=",10]}]})", {{"n", "10"}}, {{"n", "Number.int"}}));
}

TEST(SnsFilterPolicy, PrefixSuffixAndEqualsIgnoreCase) {
  EXPECT_TRUE(Match(R"({"f":[{"prefix":"log/"}]})", {{"f", "log/a.gz"}}));
  EXPECT_FALSE(Match(R"({"f":[{"prefix":"log/"}]})", {{"f", "tmp/log/a.gz"}}));
  EXPECT_TRUE(Match(R"({"f":[{"suffix":".gz"}]})", {{"f", "log/a.gz"}}));
  EXPECT_FALSE(Match(R"({"f":[{"suffix":".gz"}]})", {{"f", "log/a.gz.tmp"}}));
  EXPECT_TRUE(Match(R"({"f":[{"equals-ignore-case":"ReD"}]})", {{"f", "rEd"}}));
  EXPECT_FALSE(Match(R"({"f":[{"equals-ignore-case":"red"}]})", {{"f", "reds"}}));
}

TEST(SnsFilterPolicy, AnythingButStringsNumbersAndPrefix) {
  EXPECT_TRUE(Match(R"({"s":[{"anything-but":["rugby","tennis"]}]})", {{"s", "golf"}}));
  EXPECT_FALSE(Match(R"({"s":[{"anything-but":["rugby","tennis"]}]})", {{"s", "tennis"}}));
  EXPECT_FALSE(Match(R"({"s":[{"anything-but":"rugby"}]})", {{"s", "rugby"}}));
  EXPECT_FALSE(Match(R"({"s":[{"anything-but":"rugby"}]})", {}));  // absent does not match
  const Attrs number{{"n", "Number"}};
  EXPECT_TRUE(Match(R"({"n":[{"anything-but":[100,200]}]})", {{"n", "150"}}, number));
  EXPECT_FALSE(Match(R"({"n":[{"anything-but":[100,200]}]})", {{"n", "200"}}, number));
  EXPECT_TRUE(Match(R"({"s":[{"anything-but":{"prefix":"tmp/"}}]})", {{"s", "log/a"}}));
  EXPECT_FALSE(Match(R"({"s":[{"anything-but":{"prefix":"tmp/"}}]})", {{"s", "tmp/a"}}));
  EXPECT_FALSE(Match(R"({"s":[{"anything-but":{"suffix":".tmp"}}]})", {{"s", "a.tmp"}}));
}

TEST(SnsFilterPolicy, ExistsTrueAndFalse) {
  EXPECT_TRUE(Match(R"({"k":[{"exists":true}]})", {{"k", "anything"}}));
  EXPECT_TRUE(Match(R"({"k":[{"exists":true}]})", {{"k", "1"}}, {{"k", "Number"}}));
  EXPECT_FALSE(Match(R"({"k":[{"exists":true}]})", {{"other", "x"}}));
  EXPECT_TRUE(Match(R"({"k":[{"exists":false}]})", {{"other", "x"}}));
  EXPECT_FALSE(Match(R"({"k":[{"exists":false}]})", {{"k", "x"}}));
  // Binary attributes are never compared: as if absent.
  EXPECT_TRUE(Match(R"({"k":[{"exists":false}]})", {{"k", "AAEC"}}, {{"k", "Binary"}}));
}

TEST(SnsFilterPolicy, CidrMatchesIpv4Addresses) {
  const std::string p = R"({"ip":[{"cidr":"10.0.0.0/24"}]})";
  EXPECT_TRUE(Match(p, {{"ip", "10.0.0.255"}}));
  EXPECT_FALSE(Match(p, {{"ip", "10.0.1.0"}}));
  EXPECT_FALSE(Match(p, {{"ip", "not-an-ip"}}));
  EXPECT_TRUE(Match(R"({"ip":[{"cidr":"0.0.0.0/0"}]})", {{"ip", "192.168.1.1"}}));
}

TEST(SnsFilterPolicy, StringArrayAttributesMatchAnyElement) {
  const Attrs array{{"tags", "String.Array"}};
  EXPECT_TRUE(Match(R"({"tags":["rugby"]})", {{"tags", R"(["golf","rugby"])"}}, array));
  EXPECT_FALSE(Match(R"({"tags":["baseball"]})", {{"tags", R"(["golf","rugby"])"}}, array));
  EXPECT_TRUE(Match(R"({"tags":[{"numeric":[">",5]}]})", {{"tags", R"([1,7])"}}, array));
}

TEST(SnsFilterPolicy, OrAcrossKeys) {
  const std::string p = R"({"source":["aws.cloudwatch"],"$or":[{"metric":["CPU"]},{"namespace":["AWS/EC2"]}]})";
  EXPECT_TRUE(Match(p, {{"source", "aws.cloudwatch"}, {"metric", "CPU"}}));
  EXPECT_TRUE(Match(p, {{"source", "aws.cloudwatch"}, {"namespace", "AWS/EC2"}}));
  EXPECT_FALSE(Match(p, {{"source", "aws.cloudwatch"}, {"metric", "Disk"}}));
  EXPECT_FALSE(Match(p, {{"metric", "CPU"}}));
}

TEST(SnsFilterPolicy, BodyScopeMatchesNestedKeys) {
  const std::string p = R"({"store":{"city":["Paris"],"sale":{"total":[{"numeric":[">",100]}]}}})";
  EXPECT_TRUE(MatchBody(p, R"({"store":{"city":"Paris","sale":{"total":150}}})"));
  EXPECT_FALSE(MatchBody(p, R"({"store":{"city":"Paris","sale":{"total":50}}})"));
  EXPECT_FALSE(MatchBody(p, R"({"store":{"city":"Paris"}})"));
  EXPECT_FALSE(MatchBody(p, R"({"city":"Paris","total":150})"));                       // same names, not nested
  EXPECT_FALSE(MatchBody(p, R"({"store":{"city":"Paris","sale":{"total":"150"}}})"));  // a string, not a number
}

TEST(SnsFilterPolicy, BodyScopeArraysBoolsAndNulls) {
  EXPECT_TRUE(MatchBody(R"({"items":{"sku":["b"]}})", R"({"items":[{"sku":"a"},{"sku":"b"}]})"));
  EXPECT_TRUE(MatchBody(R"({"tags":["x"]})", R"({"tags":["w","x"]})"));
  EXPECT_TRUE(MatchBody(R"({"ok":[true]})", R"({"ok":true})"));
  EXPECT_FALSE(MatchBody(R"({"ok":[true]})", R"({"ok":"true"})"));
  EXPECT_TRUE(MatchBody(R"({"v":[null]})", R"({"v":null})"));
  EXPECT_TRUE(MatchBody(R"({"v":[{"exists":false}]})", R"({"w":1})"));
}

TEST(SnsFilterPolicy, ABodyThatIsNotAJsonObjectMatchesNothing) {
  EXPECT_FALSE(MatchBody(R"({"k":[{"exists":false}]})", "plain text"));
  EXPECT_FALSE(MatchBody(R"({"k":["a"]})", R"(["a"])"));
}

TEST(SnsFilterPolicy, ScopeNames) {
  EXPECT_EQ(*ParseFilterPolicyScope("MessageBody"), FilterPolicyScope::kMessageBody);
  EXPECT_EQ(*ParseFilterPolicyScope("MessageAttributes"), FilterPolicyScope::kMessageAttributes);
  sim::StatusOr<FilterPolicyScope> bad = ParseFilterPolicyScope("Body");
  EXPECT_EQ(bad.status().name(), "InvalidParameter");
  EXPECT_EQ(bad.status().message(),
            "Invalid parameter: Attributes Reason: FilterPolicyScope: Invalid value [Body]. Please use either "
            "MessageBody or MessageAttributes");
  EXPECT_EQ(FilterPolicyScopeName(FilterPolicyScope::kMessageBody), "MessageBody");
}

TEST(SnsFilterPolicyValidation, MalformedJsonAndShapes) {
  EXPECT_EQ(ErrorOf("{\"a\":"), "Invalid parameter: FilterPolicy: failed to parse JSON.");
  EXPECT_EQ(ErrorOf("[1]"), "Invalid parameter: FilterPolicy: Filter policy must be a JSON object");
  EXPECT_EQ(ErrorOf(R"({"a":"x"})"), "Invalid parameter: FilterPolicy: \"a\" must be an object or an array");
  EXPECT_EQ(ErrorOf(R"({"a":[]})"), "Invalid parameter: FilterPolicy: Empty arrays are not allowed");
  EXPECT_EQ(ErrorOf(R"({"a":[["x"]]})"),
            "Invalid parameter: FilterPolicy: Match value must be String, number, true, false, or null");
  EXPECT_EQ(ErrorOf(R"({"a":{"b":["x"]}})"),
            "Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy");
  EXPECT_EQ(ErrorOf(R"({"a":{"b":["x"]}})", FilterPolicyScope::kMessageBody), "ok");
}

TEST(SnsFilterPolicyValidation, SizeKeysAndCombinationLimits) {
  EXPECT_EQ(ErrorOf(R"({"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"]})"), "ok");
  EXPECT_EQ(ErrorOf(R"({"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"],"f":["1"]})"),
            "Invalid parameter: FilterPolicy: Filter policy can not have more than 5 keys");
  // 5 x 5 x 6 = 150 is the limit; 5 x 5 x 7 = 175 is over.
  const std::string five = R"(["1","2","3","4","5"])";
  EXPECT_EQ(ErrorOf(R"({"a":)" + five + R"(,"b":)" + five + R"(,"c":["1","2","3","4","5","6"]})"), "ok");
  EXPECT_EQ(ErrorOf(R"({"a":)" + five + R"(,"b":)" + five + R"(,"c":["1","2","3","4","5","6","7"]})"),
            "Invalid parameter: FilterPolicy: Filter policy is too complex");
  // Nested keys count values x depth: 4 x 3 (depth 3) x 3 x 2 (depth 2) = 72; AWS's example.
  EXPECT_EQ(ErrorOf(R"({"a":{"b":{"c":["1","2","3","4"]}},"d":{"e":["1","2","3"]}})", FilterPolicyScope::kMessageBody),
            "ok");
  std::string big = R"({"a":[")" + std::string(kMaxFilterPolicyBytes, 'x') + R"("]})";
  EXPECT_EQ(ErrorOf(big), "Invalid parameter: FilterPolicy: Filter policy must be at most 262144 bytes");
}

TEST(SnsFilterPolicyValidation, BadOperatorsAndOperands) {
  EXPECT_EQ(ErrorOf(R"({"a":[{"regex":"x"}]})"), "Invalid parameter: FilterPolicy: Unrecognized match type regex");
  EXPECT_EQ(ErrorOf(R"({"a":[{"exists":"yes"}]})"),
            "Invalid parameter: FilterPolicy: exists match pattern must be either true or false.");
  EXPECT_EQ(ErrorOf(R"({"a":[{"prefix":1}]})"),
            "Invalid parameter: FilterPolicy: prefix match pattern must be a string");
  EXPECT_EQ(ErrorOf(R"({"a":[{"numeric":["<","100"]}]})"),
            "Invalid parameter: Attributes Reason: FilterPolicy: Value of < must be numeric");
  EXPECT_EQ(ErrorOf(R"({"a":[{"numeric":["~",1]}]})"),
            "Invalid parameter: Attributes Reason: FilterPolicy: Unrecognized numeric range operator: ~");
  EXPECT_EQ(ErrorOf(R"({"a":[{"numeric":["<",1,">",0]}]})"),
            "Invalid parameter: Attributes Reason: FilterPolicy: Too many elements in numeric expression");
  EXPECT_EQ(ErrorOf(R"({"a":[{"numeric":[">",1,">",5]}]})"),
            "Invalid parameter: Attributes Reason: FilterPolicy: Bad numeric range operator: >");
  EXPECT_EQ(ErrorOf(R"({"a":[{"numeric":[">",5,"<",1]}]})"),
            "Invalid parameter: Attributes Reason: FilterPolicy: Bottom must be less than top");
  EXPECT_EQ(ErrorOf(R"({"a":[{"numeric":[]}]})"),
            "Invalid parameter: Attributes Reason: FilterPolicy: Invalid member in numeric match: ]");
  EXPECT_EQ(ErrorOf(R"({"a":[{"cidr":"10.0.0.0"}]})"),
            "Invalid parameter: FilterPolicy: Malformed CIDR, one '/' required");
  EXPECT_EQ(ErrorOf(R"({"a":[{"cidr":"10.0.0.300/8"}]})"),
            "Invalid parameter: FilterPolicy: Nonstandard IP address: 10.0.0.300/8");
  EXPECT_EQ(ErrorOf(R"({"a":[{"anything-but":[true]}]})"),
            "Invalid parameter: FilterPolicy: Value of anything-but must be an array or single string/number value.");
  EXPECT_EQ(ErrorOf(R"({"a":[1000000001]})"),
            "Invalid parameter: FilterPolicy: Numeric values must be between -1000000000 and 1000000000");
  EXPECT_EQ(ErrorOf(R"({"$or":[{"a":["1"]}]})"),
            "Invalid parameter: FilterPolicy: $or must be an array of at least 2 objects");
}

}  // namespace
}  // namespace emu::sns
