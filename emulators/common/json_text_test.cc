#include "emulators/common/json_text.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sim/rng.h"

namespace emu {
namespace {

std::string Quoted(std::string_view s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

TEST(JsonText, PlainTextIsQuotedUnchanged) {
  EXPECT_EQ(Quoted(""), "\"\"");
  EXPECT_EQ(Quoted("arn:aws:sns:us-east-1:000000000000:raw/x y"), "\"arn:aws:sns:us-east-1:000000000000:raw/x y\"");
}

TEST(JsonText, QuotesBackslashesAndControlCharactersAreEscaped) {
  EXPECT_EQ(Quoted("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(Quoted("\b\f\n\r\t"), R"("\b\f\n\r\t")");
  EXPECT_EQ(Quoted(std::string("\x01\x1f", 2)), R"("\u0001\u001f")");
  EXPECT_EQ(Quoted(std::string("\0", 1)), R"("\u0000")");
}

TEST(JsonText, Utf8IsCopiedAsIs) {
  EXPECT_EQ(Quoted("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
}

TEST(JsonText, EscapesInEveryPositionOfAnEightByteWord) {
  for (std::size_t pos = 0; pos < 20; ++pos) {
    for (std::string special : {"\"", "\\", "\n", "\x7f", "\xc3\xa9"}) {
      std::string s(20, 'x');
      s.replace(pos, 1, special);
      EXPECT_EQ(Quoted(s), nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
          << "position " << pos << " text " << special;
    }
  }
}

TEST(JsonText, MatchesNlohmannOnRandomAsciiAndUtf8) {
  sim::Rng rng(7);
  const std::vector<std::string> pieces = {"a", "Z", " ", "\"", "\\", "\n", "\t", "\x01", "\x1f", "/",
                                           "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "{", "}", "~"};
  for (int i = 0; i < 2000; ++i) {
    std::string s;
    const uint64_t n = rng.NextU64() % 40;
    for (uint64_t k = 0; k < n; ++k) s += pieces[rng.NextU64() % pieces.size()];
    ASSERT_EQ(Quoted(s), nlohmann::json(s).dump()) << s;
  }
}

TEST(JsonText, MemberIsKeyColonValue) {
  std::string out = "{";
  AppendJsonMember(out, "Type", "Notification");
  out += '}';
  EXPECT_EQ(out, R"({"Type":"Notification"})");
}

}  // namespace
}  // namespace emu
