#include "emulators/lambda/event_filter.h"

#include <gtest/gtest.h>

namespace emu::lambda {
namespace {

using nlohmann::json;

bool Match(const std::string& pattern, const std::string& record) {
  sim::StatusOr<EventFilter> f = EventFilter::Parse(pattern);
  EXPECT_TRUE(f.ok()) << pattern << ": " << f.status().ToString();
  return f.ok() && f->Matches(json::parse(record));
}

TEST(EventFilter, LiteralValuesMatchExactlyAndNumbersNumerically) {
  EXPECT_TRUE(Match(R"({"body":{"type":["a","b"]}})", R"({"body":{"type":"b"}})"));
  EXPECT_FALSE(Match(R"({"body":{"type":["a","b"]}})", R"({"body":{"type":"c"}})"));
  EXPECT_TRUE(Match(R"({"body":{"n":[3]}})", R"({"body":{"n":3.0}})"));
  EXPECT_TRUE(Match(R"({"body":{"ok":[true]}})", R"({"body":{"ok":true}})"));
  EXPECT_TRUE(Match(R"({"body":{"v":[null]}})", R"({"body":{"v":null}})"));
  EXPECT_FALSE(Match(R"({"body":{"type":["a"]}})", R"({"body":{"other":"a"}})"));
  EXPECT_FALSE(Match(R"({"body":{"type":["a"]}})", R"({"body":"a plain string"})"));
  EXPECT_TRUE(Match(R"({"body":["a plain string"]})", R"({"body":"a plain string"})"));
}

TEST(EventFilter, EveryKeyOfThePatternMustMatch) {
  const std::string p = R"({"body":{"a":["x"],"b":["y"]}})";
  EXPECT_TRUE(Match(p, R"({"body":{"a":"x","b":"y","c":"z"}})"));
  EXPECT_FALSE(Match(p, R"({"body":{"a":"x","b":"n"}})"));
}

TEST(EventFilter, PrefixSuffixAndEqualsIgnoreCase) {
  EXPECT_TRUE(Match(R"({"body":{"k":[{"prefix":"raw/"}]}})", R"({"body":{"k":"raw/2026/x.gz"}})"));
  EXPECT_FALSE(Match(R"({"body":{"k":[{"prefix":"raw/"}]}})", R"({"body":{"k":"clean/x"}})"));
  EXPECT_TRUE(Match(R"({"body":{"k":[{"suffix":".gz"}]}})", R"({"body":{"k":"raw/x.gz"}})"));
  EXPECT_TRUE(Match(R"({"body":{"k":[{"equals-ignore-case":"ABC"}]}})", R"({"body":{"k":"aBc"}})"));
  EXPECT_FALSE(Match(R"({"body":{"k":[{"prefix":"1"}]}})", R"({"body":{"k":12}})"));
}

TEST(EventFilter, AnythingBut) {
  EXPECT_TRUE(Match(R"({"body":{"s":[{"anything-but":["bad","worse"]}]}})", R"({"body":{"s":"good"}})"));
  EXPECT_FALSE(Match(R"({"body":{"s":[{"anything-but":["bad","worse"]}]}})", R"({"body":{"s":"worse"}})"));
  EXPECT_FALSE(Match(R"({"body":{"s":[{"anything-but":"bad"}]}})", R"({"body":{"s":"bad"}})"));
  EXPECT_TRUE(Match(R"({"body":{"s":[{"anything-but":{"prefix":"tmp"}}]}})", R"({"body":{"s":"keep"}})"));
  EXPECT_FALSE(Match(R"({"body":{"s":[{"anything-but":{"prefix":"tmp"}}]}})", R"({"body":{"s":"tmp1"}})"));
}

TEST(EventFilter, NumericRanges) {
  const std::string p = R"({"body":{"n":[{"numeric":[">",0,"<=",5]}]}})";
  EXPECT_TRUE(Match(p, R"({"body":{"n":5}})"));
  EXPECT_TRUE(Match(p, R"({"body":{"n":0.5}})"));
  EXPECT_FALSE(Match(p, R"({"body":{"n":0}})"));
  EXPECT_FALSE(Match(p, R"({"body":{"n":"3"}})"));
  EXPECT_TRUE(Match(R"({"body":{"n":[{"numeric":["=",7]}]}})", R"({"body":{"n":7}})"));
}

TEST(EventFilter, ExistsMatchesPresenceAndAbsence) {
  EXPECT_TRUE(Match(R"({"body":{"id":[{"exists":true}]}})", R"({"body":{"id":"x"}})"));
  EXPECT_FALSE(Match(R"({"body":{"id":[{"exists":true}]}})", R"({"body":{}})"));
  EXPECT_TRUE(Match(R"({"body":{"id":[{"exists":false}]}})", R"({"body":{}})"));
  EXPECT_FALSE(Match(R"({"body":{"id":[{"exists":false}]}})", R"({"body":{"id":1}})"));
}

TEST(EventFilter, ArrayValueMatchesWhenAnyElementDoes) {
  EXPECT_TRUE(Match(R"({"body":{"tags":["b"]}})", R"({"body":{"tags":["a","b"]}})"));
  EXPECT_FALSE(Match(R"({"body":{"tags":["c"]}})", R"({"body":{"tags":["a","b"]}})"));
}

TEST(EventFilter, AttributesAndMessageAttributesCanBeFiltered) {
  EXPECT_TRUE(Match(R"({"messageAttributes":{"kind":{"stringValue":["raw"]}}})",
                    R"({"messageAttributes":{"kind":{"stringValue":"raw","dataType":"String"}}})"));
  EXPECT_TRUE(Match(R"({"attributes":{"ApproximateReceiveCount":["1"]}})",
                    R"({"attributes":{"ApproximateReceiveCount":"1"}})"));
}

TEST(EventFilter, InvalidPatternsAreRejected) {
  for (const char* p : {"", "{", "[]", "{}", R"({"a":"x"})", R"({"a":[]})", R"({"a":[{"nope":1}]})",
                        R"({"a":[{"prefix":1}]})", R"({"a":[{"numeric":[">"]}]})", R"({"a":[{"numeric":["~",1]}]})",
                        R"({"a":[{"exists":"yes"}]})", R"({"a":[{"prefix":"x","suffix":"y"}]})"}) {
    sim::StatusOr<EventFilter> f = EventFilter::Parse(p);
    EXPECT_EQ(f.status().name(), "InvalidParameterValueException") << p;
  }
}

TEST(EventFilter, NoFiltersMatchEverything) {
  EXPECT_TRUE(AnyFilterMatches({}, json::parse(R"({"body":"x"})")));
  std::vector<EventFilter> fs;
  fs.push_back(EventFilter::Parse(R"({"body":["a"]})").value());
  fs.push_back(EventFilter::Parse(R"({"body":["b"]})").value());
  EXPECT_TRUE(AnyFilterMatches(fs, json::parse(R"({"body":"b"})")));
  EXPECT_FALSE(AnyFilterMatches(fs, json::parse(R"({"body":"c"})")));
}

}  // namespace
}  // namespace emu::lambda
