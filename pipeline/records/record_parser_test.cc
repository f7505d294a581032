#include "pipeline/records/record_parser.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "pipeline/generator/catalogue.h"
#include "pipeline/generator/log_record.h"
#include "pipeline/records/enricher.h"

namespace pipeline {
namespace {

// 2026-01-01T00:34:56.789Z
constexpr int64_t kEventMs = 1'767'227'696'789;

LogRecord SampleRecord() {
  LogRecord r;
  r.event_id_hi = 0x0123456789abcdefULL;
  r.event_id_lo = 0xfedcba9876543210ULL;
  r.event_time_unix_ms = kEventMs;
  r.product = 2;     // Revit
  r.country = 5;     // DE
  r.event_type = 4;  // render
  r.user = 42;
  r.session = 123456;
  r.duration_ms = 4321;
  return r;
}

// The record's line without its trailing newline.
std::string Line(const LogRecord& r) {
  std::string out;
  AppendRecordLine(r, out);
  EXPECT_EQ(out.back(), '\n');
  out.pop_back();
  return out;
}

// A valid line with the given fields spliced in around the required ones.
constexpr std::string_view kValidLine =
    R"({"event_id":"0123456789abcdeffedcba9876543210","event_time":"2026-01-01T00:34:56.789Z",)"
    R"("product":"Revit","version":"2026.2","user_id":"u0000042","session_id":"s000123456",)"
    R"("event_type":"render","duration_ms":4321,"country":"DE"})";

ValidationResult Parse(std::string_view line) {
  ParsedRecord rec;
  return ParseAndValidate(line, &rec);
}

// kValidLine with another duration_ms value text.
std::string WithDuration(std::string_view value) {
  std::string line(kValidLine);
  const std::size_t at = line.find("\"duration_ms\":4321") + 14;
  line.replace(at, 4, value);
  return line;
}

bool InsideLine(std::string_view view, std::string_view line) {
  return view.data() >= line.data() && view.data() + view.size() <= line.data() + line.size();
}

// --- Classification of the generator's output ---------------------------

TEST(RecordParser, SampleLineIsClean) {
  EXPECT_EQ(Line(SampleRecord()), kValidLine);
  EXPECT_EQ(Parse(kValidLine).dirty, DirtyKind::kNone);
}

TEST(RecordParser, EveryGeneratedDirtyKindAndVariantIsClassifiedAsThatKind) {
  int checked = 0;
  for (int kind = 1; kind <= kDirtyKinds; ++kind) {
    for (uint8_t variant = 0; variant < 12; ++variant) {
      // Several base records, so the corruption meets different products,
      // event types and countries.
      for (uint32_t base = 0; base < 3; ++base) {
        LogRecord r = SampleRecord();
        r.product = base * 7;
        r.event_type = base * 3;
        r.country = base * 5;
        r.dirty = static_cast<DirtyKind>(kind);
        r.dirty_variant = variant;
        const std::string line = Line(r);
        const ValidationResult v = Parse(line);
        EXPECT_EQ(v.dirty, r.dirty) << "kind " << kind << " variant " << int{variant} << ": " << line;
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 4 * 12 * 3);
}

TEST(RecordParser, GeneratedMissingFieldNamesTheDroppedField) {
  const std::string_view expected[] = {"event_time", "product", "event_type", "country"};
  for (uint8_t variant = 0; variant < 12; ++variant) {
    LogRecord r = SampleRecord();
    r.dirty = DirtyKind::kMissingField;
    r.dirty_variant = variant;
    const ValidationResult v = Parse(Line(r));
    EXPECT_EQ(v.dirty, DirtyKind::kMissingField);
    EXPECT_EQ(v.detail, expected[variant % 4]) << int{variant};
  }
}

TEST(RecordParser, GeneratedCleanRecordsParseToTheGeneratorsValues) {
  int checked = 0;
  for (uint32_t product = 0; product < Products().size(); ++product) {
    for (uint32_t country = 0; country < Countries().size(); ++country) {
      LogRecord r = SampleRecord();
      r.product = product;
      r.country = country;
      r.event_type = (product + country) % EventTypes().size();
      r.duration_ms = product * 1000 + country;
      r.event_time_unix_ms = kEventMs + product * 3'600'000 + country;
      const std::string line = Line(r);
      ParsedRecord rec;
      const ValidationResult v = ParseAndValidate(line, &rec);
      ASSERT_EQ(v.dirty, DirtyKind::kNone) << line;
      EXPECT_EQ(rec.product_index, product);
      EXPECT_EQ(rec.country_index, country);
      EXPECT_EQ(rec.event_type_index, r.event_type);
      EXPECT_EQ(rec.duration_ms, int64_t{r.duration_ms});
      EXPECT_EQ(rec.event_time_unix_ms, r.event_time_unix_ms);
      EXPECT_EQ(rec.product, Products()[product].name);
      EXPECT_EQ(rec.version, Products()[product].latest_version);
      EXPECT_EQ(rec.country, Countries()[country].code);
      ++checked;
    }
  }
  EXPECT_EQ(checked, 20 * 15);
}

TEST(RecordParser, CleanRecordStringFieldsAreExact) {
  ParsedRecord rec;
  ASSERT_EQ(ParseAndValidate(kValidLine, &rec).dirty, DirtyKind::kNone);
  EXPECT_EQ(rec.event_id, "0123456789abcdeffedcba9876543210");
  EXPECT_EQ(rec.event_time, "2026-01-01T00:34:56.789Z");
  EXPECT_EQ(rec.product, "Revit");
  EXPECT_EQ(rec.version, "2026.2");
  EXPECT_EQ(rec.user_id, "u0000042");
  EXPECT_EQ(rec.session_id, "s000123456");
  EXPECT_EQ(rec.event_type, "render");
  EXPECT_EQ(rec.country, "DE");
  EXPECT_EQ(rec.duration_ms, 4321);
  EXPECT_EQ(rec.event_time_unix_ms, kEventMs);
  EXPECT_EQ(rec.product_index, 2u);
  EXPECT_EQ(rec.event_type_index, 4u);
  EXPECT_EQ(rec.country_index, 5u);
}

TEST(RecordParser, ViewsPointInsideTheLine) {
  const std::string line = std::string(kValidLine);
  ParsedRecord rec;
  ASSERT_EQ(ParseAndValidate(line, &rec).dirty, DirtyKind::kNone);
  for (std::string_view v : {rec.event_id, rec.event_time, rec.product, rec.version, rec.user_id, rec.session_id,
                             rec.event_type, rec.country})
    EXPECT_TRUE(InsideLine(v, line)) << v;
}

// --- JSON edge cases ---------------------------------------------------

TEST(RecordParser, WhitespaceAnywhereIsAccepted) {
  const std::string line =
      " \t{ \"event_id\" :\t\"0123456789abcdeffedcba9876543210\" ,\r\n\"event_time\"\n:\"2026-01-01T00:34:56.789Z\""
      " , \"product\" : \"Revit\" , \"version\" : \"2026.2\" , \"user_id\" : \"u0000042\" , "
      "\"session_id\" : \"s000123456\" , \"event_type\" : \"render\" , \"duration_ms\" : 4321 , "
      "\"country\" : \"DE\" } \t\r";
  ParsedRecord rec;
  ASSERT_EQ(ParseAndValidate(line, &rec).dirty, DirtyKind::kNone);
  EXPECT_EQ(rec.product, "Revit");
  EXPECT_EQ(rec.duration_ms, 4321);
  EXPECT_EQ(rec.country, "DE");
}

TEST(RecordParser, FieldsInAnotherOrderAreAccepted) {
  const std::string_view line =
      R"({"country":"JP","duration_ms":7,"event_type":"save","session_id":"s1","user_id":"u1","version":"9",)"
      R"("product":"Maya","event_time":"2026-03-04T05:06:07.008Z","event_id":"e1"})";
  ParsedRecord rec;
  ASSERT_EQ(ParseAndValidate(line, &rec).dirty, DirtyKind::kNone);
  EXPECT_EQ(rec.product_index, 13u);
  EXPECT_EQ(rec.event_type_index, 2u);
  EXPECT_EQ(rec.country_index, 11u);
  EXPECT_EQ(rec.duration_ms, 7);
  EXPECT_EQ(rec.event_time_unix_ms, 1'772'600'767'008);  // 2026-03-04T05:06:07.008Z
  EXPECT_EQ(rec.event_id, "e1");
}

TEST(RecordParser, UnknownFieldsAndNestedValuesAreSkipped) {
  // Unknown fields before and after the record's own; a nested
  // "product" is not the record's; brackets inside strings are text.
  const std::string line = R"({"a":{"b":[1,{"c":null},[],{}],"d":"}\"]"},"e":[true,false,-0.5e-3,"]"],)" +
                           std::string(kValidLine.substr(1, kValidLine.size() - 2)) + R"(,"z":{"product":"Maya"}})";
  ParsedRecord rec;
  ASSERT_EQ(ParseAndValidate(line, &rec).dirty, DirtyKind::kNone) << line;
  EXPECT_EQ(rec.event_id, "0123456789abcdeffedcba9876543210");
  EXPECT_EQ(rec.product, "Revit");
  EXPECT_EQ(rec.product_index, 2u);
}

TEST(RecordParser, DuplicateKeyTakesTheLastValue) {
  const std::string line = R"({"product":"Maya",)" + std::string(kValidLine.substr(1));
  ParsedRecord rec;
  ASSERT_EQ(ParseAndValidate(line, &rec).dirty, DirtyKind::kNone);
  EXPECT_EQ(rec.product, "Revit");
  EXPECT_EQ(rec.product_index, 2u);
}

TEST(RecordParser, EscapedStringsAreKeptAsRawText) {
  const std::string_view line =
      R"({"event_id":"e\"1\\","event_time":"2026-01-01T00:34:56.789Z","product":"Revit","version":"v\/2",)"
      R"("user_id":"u\u00e9\n","session_id":"s\t\b\f\r","event_type":"render","duration_ms":1,"country":"DE"})";
  ParsedRecord rec;
  ASSERT_EQ(ParseAndValidate(line, &rec).dirty, DirtyKind::kNone);
  EXPECT_EQ(rec.event_id, R"(e\"1\\)");
  EXPECT_EQ(rec.version, R"(v\/2)");
  EXPECT_EQ(rec.user_id, R"(u\u00e9\n)");
  EXPECT_EQ(rec.session_id, R"(s\t\b\f\r)");
}

TEST(RecordParser, EscapedProductNameIsUnknownProduct) {
  std::string line(kValidLine);
  line.replace(line.find("Revit"), 5, R"(\u0052evit)");
  const ValidationResult v = Parse(line);
  EXPECT_EQ(v.dirty, DirtyKind::kUnknownProduct);
  EXPECT_EQ(v.detail, "product");
}

TEST(RecordParser, InvalidEscapesAreMalformed) {
  for (std::string_view bad : {R"(\x)", R"(\u12G4)", R"(\u12)", R"(\')"}) {
    std::string line(kValidLine);
    line.replace(line.find("u0000042"), 8, bad);
    EXPECT_EQ(Parse(line).dirty, DirtyKind::kMalformedJson) << line;
  }
}

TEST(RecordParser, NumbersWithExponentAreAcceptedInUnknownFields) {
  for (std::string_view number : {"1e3", "1E+3", "-2.5e-10", "0.0E0", "-0", "123456789012345678901234567890"}) {
    std::string line = "{\"n\":" + std::string(number) + "," + std::string(kValidLine.substr(1));
    EXPECT_EQ(Parse(line).dirty, DirtyKind::kNone) << line;
  }
}

TEST(RecordParser, InvalidNumbersAreMalformed) {
  for (std::string_view number : {"01", "1.", ".5", "1e", "1e+", "-", "+1", "0x10", "1.e3", "NaN", "Infinity"}) {
    std::string line = "{\"n\":" + std::string(number) + "," + std::string(kValidLine.substr(1));
    EXPECT_EQ(Parse(line).dirty, DirtyKind::kMalformedJson) << line;
  }
}

TEST(RecordParser, InvalidLiteralsAreMalformed) {
  for (std::string_view lit : {"nul", "True", "fals", "nulll", "undefined"}) {
    std::string line = "{\"n\":" + std::string(lit) + "," + std::string(kValidLine.substr(1));
    EXPECT_EQ(Parse(line).dirty, DirtyKind::kMalformedJson) << line;
  }
}

TEST(RecordParser, DurationWithExponentOrFractionIsWrongType) {
  for (std::string_view number : {"4.321e3", "4321.0", "1e3"}) {
    const std::string line = WithDuration(number);
    const ValidationResult v = Parse(line);
    EXPECT_EQ(v.dirty, DirtyKind::kMissingField) << line;
    EXPECT_EQ(v.detail, "duration_ms");
  }
}

TEST(RecordParser, TrailingGarbageIsMalformed) {
  for (std::string_view tail : {"x", "}", "{}", ",", "\"\"", " 1", "\n{}"}) {
    const std::string line = std::string(kValidLine) + std::string(tail);
    EXPECT_EQ(Parse(line).dirty, DirtyKind::kMalformedJson) << line;
  }
}

TEST(RecordParser, CrLfLineEndingIsAccepted) {
  EXPECT_EQ(Parse(std::string(kValidLine) + "\r").dirty, DirtyKind::kNone);
}

TEST(RecordParser, EmptyObjectIsMissingField) {
  for (std::string_view line : {"{}", " { } "}) {
    const ValidationResult v = Parse(line);
    EXPECT_EQ(v.dirty, DirtyKind::kMissingField);
    EXPECT_EQ(v.detail, "event_id");
  }
}

TEST(RecordParser, ArrayIsMalformed) {
  for (std::string_view line : {"[]", "[1,2]", "[{\"event_id\":\"x\"}]", " [ ] "}) {
    const ValidationResult v = Parse(line);
    EXPECT_EQ(v.dirty, DirtyKind::kMalformedJson) << line;
    EXPECT_EQ(v.detail, "not a JSON object");
  }
}

TEST(RecordParser, EmptyLineAndOtherTopLevelValuesAreMalformed) {
  for (std::string_view line : {"", "   ", "null", "\"{}\"", "42", "true"}) {
    const ValidationResult v = Parse(line);
    EXPECT_EQ(v.dirty, DirtyKind::kMalformedJson) << line;
    EXPECT_EQ(v.detail, "not a JSON object");
  }
}

TEST(RecordParser, BrokenObjectSyntaxIsMalformed) {
  for (std::string_view line : {"{", "{\"a\"}", "{\"a\":}", "{\"a\" 1}", "{\"a\":1,}", "{,}", "{\"a\":1 \"b\":2}",
                                "{a:1}", "{'a':1}", "{\"a\":[1,]}", "{\"a\":[1 2]}", "{\"a\":{\"b\"}}"}) {
    EXPECT_EQ(Parse(line).dirty, DirtyKind::kMalformedJson) << line;
  }
}

TEST(RecordParser, UnterminatedStringIsMalformed) {
  for (std::string_view line : {"{\"event_id", "{\"event_id\":\"abc", "{\"event_id\":\"abc\\\"}", "{\"a\":\"\\"}) {
    EXPECT_EQ(Parse(line).dirty, DirtyKind::kMalformedJson) << line;
  }
}

TEST(RecordParser, ControlCharactersInStringsAreMalformed) {
  for (char c : {'\x00', '\x01', '\t', '\n', '\r', '\x1f'}) {
    std::string line(kValidLine);
    line[line.find("u0000042") + 3] = c;
    EXPECT_EQ(Parse(line).dirty, DirtyKind::kMalformedJson) << int{c};
  }
  // DEL and bytes >= 0x80 are not control characters for JSON.
  std::string line(kValidLine);
  line[line.find("u0000042") + 3] = '\x7f';
  EXPECT_EQ(Parse(line).dirty, DirtyKind::kNone);
}

std::string Nested(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST(RecordParser, NestingUpToTheLimitIsAccepted) {
  // Field values are at depth 1; an array at depth 64 is the deepest allowed.
  const std::string line = "{\"deep\":" + Nested(64) + "," + std::string(kValidLine.substr(1));
  EXPECT_EQ(Parse(line).dirty, DirtyKind::kNone);
}

TEST(RecordParser, NestingBeyondTheLimitIsMalformed) {
  EXPECT_EQ(Parse("{\"deep\":" + Nested(65) + "," + std::string(kValidLine.substr(1))).dirty,
            DirtyKind::kMalformedJson);
  // Far beyond: rejected without recursing that deep.
  EXPECT_EQ(Parse("{\"deep\":" + Nested(1'000'000) + "}").dirty, DirtyKind::kMalformedJson);
  EXPECT_EQ(Parse("{\"deep\":" + std::string(1'000'000, '{')).dirty, DirtyKind::kMalformedJson);
}

TEST(RecordParser, DurationAsStringIsMissingField) {
  const std::string line = WithDuration("\"4321\"");
  const ValidationResult v = Parse(line);
  EXPECT_EQ(v.dirty, DirtyKind::kMissingField);
  EXPECT_EQ(v.detail, "duration_ms");
}

TEST(RecordParser, StringFieldOfWrongTypeIsMissingField) {
  for (std::string_view value : {"5", "null", "true", "[\"Revit\"]", "{\"name\":\"Revit\"}"}) {
    std::string line(kValidLine);
    line.replace(line.find("\"Revit\""), 7, value);
    const ValidationResult v = Parse(line);
    EXPECT_EQ(v.dirty, DirtyKind::kMissingField) << line;
    EXPECT_EQ(v.detail, "product");
  }
}

TEST(RecordParser, NegativeDurationIsMissingField) {
  const std::string line = WithDuration("-4321");
  const ValidationResult v = Parse(line);
  EXPECT_EQ(v.dirty, DirtyKind::kMissingField);
  EXPECT_EQ(v.detail, "duration_ms");
}

TEST(RecordParser, ZeroAndLargeDurationsAreValid) {
  for (std::string_view number : {"0", "-0", "3600000", "999999999999999999"}) {
    const std::string line = WithDuration(number);
    ParsedRecord rec;
    ASSERT_EQ(ParseAndValidate(line, &rec).dirty, DirtyKind::kNone) << line;
    EXPECT_EQ(std::to_string(rec.duration_ms), number == "-0" ? "0" : std::string(number));
  }
}

TEST(RecordParser, DurationTooLargeForInt64IsMissingField) {
  const std::string line = WithDuration("99999999999999999999");
  const ValidationResult v = Parse(line);
  EXPECT_EQ(v.dirty, DirtyKind::kMissingField);
  EXPECT_EQ(v.detail, "duration_ms");
}

TEST(RecordParser, UnknownEventTypeOrCountryIsMissingField) {
  std::string line(kValidLine);
  line.replace(line.find("render"), 6, "dance");
  ValidationResult v = Parse(line);
  EXPECT_EQ(v.dirty, DirtyKind::kMissingField);
  EXPECT_EQ(v.detail, "event_type");

  line = std::string(kValidLine);
  line.replace(line.find("\"DE\""), 4, "\"XX\"");
  v = Parse(line);
  EXPECT_EQ(v.dirty, DirtyKind::kMissingField);
  EXPECT_EQ(v.detail, "country");
}

TEST(RecordParser, MissingFieldTakesPrecedenceOverBadTimestampAndUnknownProduct) {
  const std::string_view line =
      R"({"event_id":"x","event_time":"never","product":"Nope","user_id":"u","session_id":"s",)"
      R"("event_type":"save","duration_ms":1,"country":"US"})";
  const ValidationResult v = Parse(line);
  EXPECT_EQ(v.dirty, DirtyKind::kMissingField);
  EXPECT_EQ(v.detail, "version");
}

TEST(RecordParser, BadTimestampTakesPrecedenceOverUnknownProduct) {
  std::string line(kValidLine);
  line.replace(line.find("Revit"), 5, "Nope");
  line.replace(line.find("2026-01-01T00:34:56.789Z"), 24, "2026-01-01 00:34:56.789Z");
  const ValidationResult v = Parse(line);
  EXPECT_EQ(v.dirty, DirtyKind::kBadTimestamp);
  EXPECT_EQ(v.detail, "event_time");
}

TEST(RecordParser, SkipJsonValueAdvancesPastOneValue) {
  const std::string_view s = R"(  {"a":[1,"x",{"b":null}]} , 7)";
  std::size_t pos = 0;
  ASSERT_TRUE(SkipJsonValue(s, &pos));
  EXPECT_EQ(pos, 26u);
  EXPECT_EQ(s[pos], ' ');
  pos = 28;
  ASSERT_TRUE(SkipJsonValue(s, &pos));
  EXPECT_EQ(pos, s.size());
}

TEST(RecordParser, SkipJsonValueRejectsTruncatedValues) {
  for (std::string_view s : {"", "{", "[1,", "\"abc", "tru", "-", "{\"a\":1"}) {
    std::size_t pos = 0;
    EXPECT_FALSE(SkipJsonValue(s, &pos)) << s;
  }
}

// --- Timestamps ----------------------------------------------------------

TEST(IsoMillis, ParsesValidTimestamps) {
  int64_t ms = -1;
  ASSERT_TRUE(ParseIsoMillis("2026-01-01T00:00:00.000Z", &ms));
  EXPECT_EQ(ms, 1'767'225'600'000);
  ASSERT_TRUE(ParseIsoMillis("2026-01-01T00:34:56.789Z", &ms));
  EXPECT_EQ(ms, kEventMs);
  ASSERT_TRUE(ParseIsoMillis("1970-01-01T00:00:00.001Z", &ms));
  EXPECT_EQ(ms, 1);
  ASSERT_TRUE(ParseIsoMillis("2026-12-31T23:59:59.999Z", &ms));
  EXPECT_EQ(ms, 1'798'761'599'999);
}

TEST(IsoMillis, AcceptsLeapDays) {
  int64_t ms = -1;
  ASSERT_TRUE(ParseIsoMillis("2028-02-29T12:00:00.500Z", &ms));
  EXPECT_EQ(ms, 1'835'438'400'500);
  ASSERT_TRUE(ParseIsoMillis("2000-02-29T00:00:00.000Z", &ms));  // divisible by 400
  EXPECT_EQ(ms, 951'782'400'000);
}

TEST(IsoMillis, RejectsInvalidDates) {
  int64_t ms = 77;
  for (std::string_view s : {"2026-02-29T00:00:00.000Z", "2100-02-29T00:00:00.000Z", "2026-13-01T00:00:00.000Z",
                             "2026-00-01T00:00:00.000Z", "2026-01-00T00:00:00.000Z", "2026-01-32T00:00:00.000Z",
                             "2026-04-31T00:00:00.000Z", "2026-02-30T00:00:00.000Z"}) {
    EXPECT_FALSE(ParseIsoMillis(s, &ms)) << s;
  }
  EXPECT_EQ(ms, 77);
}

TEST(IsoMillis, AcceptsYearsThatInt64NanosecondsCanHold) {
  int64_t ms = 0;
  ASSERT_TRUE(ParseIsoMillis("2261-12-31T23:59:59.999Z", &ms));
  EXPECT_EQ(ms, 9'214'646'399'999);
  ASSERT_TRUE(ParseIsoMillis("1678-01-01T00:00:00.000Z", &ms));
  EXPECT_EQ(ms, -9'214'560'000'000);
}

TEST(IsoMillis, RejectsYearsBeyondInt64Nanoseconds) {
  // Found by the fuzz target: 4052 overflowed sim::FromCivil and parsed clean.
  int64_t ms = 77;
  for (std::string_view s : {"2262-01-01T00:00:00.000Z", "4052-03-04T05:06:07.008Z", "9999-12-31T23:59:59.999Z",
                             "1677-12-31T23:59:59.999Z", "0000-01-01T00:00:00.000Z"}) {
    EXPECT_FALSE(ParseIsoMillis(s, &ms)) << s;
  }
  EXPECT_EQ(ms, 77);
}

TEST(RecordParser, EventTimeInAFarYearIsBadTimestamp) {
  std::string line(kValidLine);
  line.replace(line.find("2026-01-01T00:34:56.789Z"), 4, "4052");
  const ValidationResult v = Parse(line);
  EXPECT_EQ(v.dirty, DirtyKind::kBadTimestamp);
  EXPECT_EQ(v.detail, "event_time");
}

TEST(IsoMillis, RejectsInvalidTimesOfDay) {
  int64_t ms = 0;
  for (std::string_view s : {"2026-01-01T24:00:00.000Z", "2026-01-01T00:60:00.000Z", "2026-01-01T00:00:60.000Z",
                             "2026-13-45T25:61:61.000Z"}) {
    EXPECT_FALSE(ParseIsoMillis(s, &ms)) << s;
  }
}

TEST(IsoMillis, RejectsWrongLengthsAndSeparators) {
  int64_t ms = 0;
  for (std::string_view s :
       {"2026-01-01T00:00:00.00Z", "2026-01-01T00:00:00.0000Z", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00.000",
        "2026-01-01 00:00:00.000Z", "2026/01/01T00:00:00.000Z", "2026-01-01T00.00.00.000Z", "2026-01-01T00:00:00,000Z",
        "2026-01-01T00:00:00.000z", "2026-01-01T00:00:00.000+", "2026-1-01T00:00:00.000Z", "2026-0a-01T00:00:00.000Z",
        "2026-01-01T0 :00:00.000Z", "+026-01-01T00:00:00.000Z", "-026-01-01T00:00:00.000Z", "1767225600000", "",
        "yesterday at noon"}) {
    EXPECT_FALSE(ParseIsoMillis(s, &ms)) << s;
  }
}

TEST(IsoMillis, AppendWritesTheIsoForm) {
  std::string out = "x";
  AppendIsoMillis(kEventMs, out);
  EXPECT_EQ(out, "x2026-01-01T00:34:56.789Z");
  out.clear();
  AppendIsoMillis(0, out);
  EXPECT_EQ(out, "1970-01-01T00:00:00.000Z");
}

TEST(IsoMillis, AppendRoundTripsThroughParse) {
  // Every ms of a leap-day boundary and a spread over 2026-2030.
  const int64_t leap = 1'835'395'200'000;  // 2028-02-29T00:00:00.000Z
  std::vector<int64_t> values;
  for (int64_t d = -2000; d <= 2000; ++d) values.push_back(leap + d);
  for (int64_t i = 0; i < 5000; ++i) values.push_back(1'767'225'600'000 + i * 31'536'017'123 / 1000);
  for (int64_t v : values) {
    std::string s;
    AppendIsoMillis(v, s);
    int64_t back = -1;
    ASSERT_TRUE(ParseIsoMillis(s, &back)) << s;
    ASSERT_EQ(back, v) << s;
  }
}

// --- Enricher ----------------------------------------------------------

TEST(Enricher, CleanLineIsValidJsonWithTheInputFieldsAndCatalogueEnrichment) {
  ParsedRecord rec;
  ASSERT_EQ(ParseAndValidate(kValidLine, &rec).dirty, DirtyKind::kNone);
  std::string out;
  AppendCleanLine(rec, out);
  ASSERT_EQ(out.back(), '\n');
  const nlohmann::json j = nlohmann::json::parse(out);
  EXPECT_EQ(j.size(), 12u);
  EXPECT_EQ(j["event_id"], "0123456789abcdeffedcba9876543210");
  EXPECT_EQ(j["event_time"], "2026-01-01T00:34:56.789Z");
  EXPECT_EQ(j["product"], "Revit");
  EXPECT_EQ(j["version"], "2026.2");
  EXPECT_EQ(j["user_id"], "u0000042");
  EXPECT_EQ(j["session_id"], "s000123456");
  EXPECT_EQ(j["event_type"], "render");
  EXPECT_EQ(j["duration_ms"], 4321);
  EXPECT_EQ(j["country"], "DE");
  EXPECT_EQ(j["product_family"], "AEC");
  EXPECT_EQ(j["licence_type"], "named-user");
  EXPECT_EQ(j["region"], "EMEA");
}

TEST(Enricher, CleanLineEnrichmentFollowsTheCatalogueForEveryProductAndCountry) {
  for (uint32_t product = 0; product < Products().size(); ++product) {
    for (uint32_t country = 0; country < Countries().size(); ++country) {
      LogRecord r = SampleRecord();
      r.product = product;
      r.country = country;
      const std::string line = Line(r);
      ParsedRecord rec;
      ASSERT_EQ(ParseAndValidate(line, &rec).dirty, DirtyKind::kNone);
      std::string out;
      AppendCleanLine(rec, out);
      const nlohmann::json j = nlohmann::json::parse(out);
      EXPECT_EQ(j["product"], Products()[product].name);
      EXPECT_EQ(j["product_family"], Products()[product].family);
      EXPECT_EQ(j["licence_type"], Products()[product].licence_type);
      EXPECT_EQ(j["country"], Countries()[country].code);
      EXPECT_EQ(j["region"], Countries()[country].region);
    }
  }
}

TEST(Enricher, CleanLineKeepsEscapedStringsValid) {
  const std::string_view line =
      R"({"event_id":"e\"1\\","event_time":"2026-01-01T00:34:56.789Z","product":"Revit","version":"v\/2",)"
      R"("user_id":"u\u00e9\n","session_id":"s","event_type":"render","duration_ms":1,"country":"DE"})";
  ParsedRecord rec;
  ASSERT_EQ(ParseAndValidate(line, &rec).dirty, DirtyKind::kNone);
  std::string out;
  AppendCleanLine(rec, out);
  const nlohmann::json j = nlohmann::json::parse(out);
  EXPECT_EQ(j["event_id"], "e\"1\\");
  EXPECT_EQ(j["version"], "v/2");
  EXPECT_EQ(j["user_id"], "u\xc3\xa9\n");
}

TEST(Enricher, JsonEscapingEscapesQuotesBackslashesAndControlCharacters) {
  std::string out;
  AppendJsonEscaped(std::string_view("a\"b\\c\x01\t\n\x1f\x7f", 10), out);
  EXPECT_EQ(out, R"(a\"b\\c\u0001\u0009\u000a\u001f)"
                 "\x7f");
}

TEST(Enricher, DirtyLineParsesBackToTheRawLine) {
  const std::string raw = std::string("{\"a\":\"q\\\"\" \\ \t\r\x01\x1f") + '\0' + "end";
  const ValidationResult v{DirtyKind::kMalformedJson, "not a JSON object"};
  std::string out;
  AppendDirtyLine(v, raw, out);
  ASSERT_EQ(out.back(), '\n');
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1);
  const nlohmann::json j = nlohmann::json::parse(out);
  EXPECT_EQ(j.size(), 3u);
  EXPECT_EQ(j["reason"], "malformed_json");
  EXPECT_EQ(j["detail"], "not a JSON object");
  EXPECT_EQ(j["line"].get<std::string>(), raw);
}

TEST(Enricher, DirtyLineOfEveryGeneratedKindParsesBack) {
  for (int kind = 1; kind <= kDirtyKinds; ++kind) {
    for (uint8_t variant = 0; variant < 12; ++variant) {
      LogRecord r = SampleRecord();
      r.dirty = static_cast<DirtyKind>(kind);
      r.dirty_variant = variant;
      const std::string line = Line(r);
      const ValidationResult v = Parse(line);
      std::string out;
      AppendDirtyLine(v, line, out);
      const nlohmann::json j = nlohmann::json::parse(out);
      EXPECT_EQ(j["reason"], DirtyKindName(r.dirty));
      EXPECT_EQ(j["line"].get<std::string>(), line);
    }
  }
}

}  // namespace
}  // namespace pipeline
