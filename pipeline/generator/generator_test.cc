#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "emulators/s3/object_body.h"
#include "pipeline/generator/catalogue.h"
#include "pipeline/generator/file_registry.h"
#include "pipeline/generator/load_profile.h"
#include "pipeline/generator/log_record.h"
#include "pipeline/generator/raw_file.h"
#include "pipeline/records/record_parser.h"
#include "sim/check.h"
#include "sim/time.h"

namespace pipeline {
namespace {

constexpr int64_t kJan1Ms = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
constexpr int64_t kHourMs = 3'600'000;

RawFileSpec Spec(uint64_t seed, uint32_t records, double dirty_ratio) {
  RawFileSpec s;
  s.seed = seed;
  s.records = records;
  s.dirty_ratio = dirty_ratio;
  s.window_start_ms = kJan1Ms;
  s.window_end_ms = kJan1Ms + 3 * kHourMs;
  return s;
}

std::string Bytes(const RawFileSource& src) {
  std::string out;
  src.Generate([&](std::string_view chunk) { out.append(chunk); });
  return out;
}

// Calls fn(line) for each '\n'-terminated line (without the newline); returns
// the bytes after the last newline.
template <class Fn>
std::string_view ForEachLine(std::string_view bytes, Fn fn) {
  std::size_t pos = 0;
  for (std::size_t nl; (nl = bytes.find('\n', pos)) != std::string_view::npos; pos = nl + 1)
    fn(bytes.substr(pos, nl - pos));
  return bytes.substr(pos);
}

// --- Record lines -----------------------------------------------------------

TEST(LogRecord, AppendRecordLineWritesTheGoldenLine) {
  LogRecord r;
  r.event_id_hi = 0x0123456789abcdefULL;
  r.event_id_lo = 0xfedcba9876543210ULL;
  r.event_time_unix_ms = kJan1Ms + 2'096'789;
  r.product = 2;
  r.country = 5;
  r.event_type = 4;
  r.user = 42;
  r.session = 123456;
  r.duration_ms = 4321;
  std::string out = "prefix|";
  AppendRecordLine(r, out);
  EXPECT_EQ(out,
            "prefix|"
            R"({"event_id":"0123456789abcdeffedcba9876543210","event_time":"2026-01-01T00:34:56.789Z",)"
            R"("product":"Revit","version":"2026.2","user_id":"u0000042","session_id":"s000123456",)"
            R"("event_type":"render","duration_ms":4321,"country":"DE"})"
            "\n");
}

TEST(LogRecord, AppendRecordLineCorruptsOnlyItsOwnLine) {
  // Lines are appended to a shared chunk buffer: each corruption must land
  // in its own line, not at the start of the buffer.
  LogRecord clean;
  clean.product = 1;
  std::string single;
  AppendRecordLine(clean, single);
  for (uint8_t variant = 0; variant < 12; ++variant) {
    LogRecord dirty = clean;
    dirty.dirty = DirtyKind::kMalformedJson;
    dirty.dirty_variant = variant;
    std::string alone;
    AppendRecordLine(dirty, alone);
    std::string out;
    AppendRecordLine(clean, out);
    AppendRecordLine(dirty, out);
    EXPECT_EQ(out, single + alone) << int{variant};
  }
}

TEST(LogRecord, DirtyKindNamesAreStable) {
  EXPECT_EQ(DirtyKindName(DirtyKind::kNone), "none");
  EXPECT_EQ(DirtyKindName(DirtyKind::kMalformedJson), "malformed_json");
  EXPECT_EQ(DirtyKindName(DirtyKind::kMissingField), "missing_field");
  EXPECT_EQ(DirtyKindName(DirtyKind::kBadTimestamp), "bad_timestamp");
  EXPECT_EQ(DirtyKindName(DirtyKind::kUnknownProduct), "unknown_product");
}

TEST(Catalogue, FindReturnsTheIndexOrNothing) {
  EXPECT_EQ(Products().size(), 20u);
  EXPECT_EQ(Countries().size(), 15u);
  EXPECT_EQ(EventTypes().size(), 7u);
  EXPECT_EQ(FindProduct("AutoCAD"), 0u);
  EXPECT_EQ(FindProduct("Fusion Student"), 19u);
  EXPECT_EQ(FindProduct("autocad"), std::nullopt);
  EXPECT_EQ(FindCountry("AU"), 14u);
  EXPECT_EQ(FindCountry("XX"), std::nullopt);
  EXPECT_EQ(FindEventType("command"), 1u);
  EXPECT_EQ(FindEventType(""), std::nullopt);
}

// --- Raw files --------------------------------------------------------------

TEST(RawFile, SameSpecGivesByteIdenticalBytes) {
  const RawFileSpec spec = Spec(7, 5'000, 0.1);
  const std::string a = Bytes(RawFileSource(spec));
  const std::string b = Bytes(RawFileSource(spec));
  EXPECT_GT(a.size(), 64u * 1024);  // spans several chunks
  EXPECT_EQ(a, b);
  EXPECT_NE(a, Bytes(RawFileSource(Spec(8, 5'000, 0.1))));
}

TEST(RawFile, SameSpecGivesTheSameEtagThroughObjectBody) {
  const RawFileSpec spec = Spec(7, 3'000, 0.1);
  const auto a = emu::s3::ObjectBody::FromSource(std::make_shared<RawFileSource>(spec));
  const auto b = emu::s3::ObjectBody::FromSource(std::make_shared<RawFileSource>(spec));
  EXPECT_EQ(a->ETag(), b->ETag());
  EXPECT_EQ(a->ETag(), "\"" + emu::Md5Hex(Bytes(RawFileSource(spec))) + "\"");
}

TEST(RawFile, SizeEqualsTheGeneratedLength) {
  for (const RawFileSpec& spec : {Spec(1, 0, 0), Spec(2, 1, 0), Spec(3, 20'000, 0.1), Spec(4, 777, 1.0)}) {
    const RawFileSource src(spec);
    EXPECT_EQ(src.size(), Bytes(src).size()) << src.Describe();
  }
  RawFileSpec poison = Spec(5, 1'500, 0);
  poison.poison = true;
  const RawFileSource src(poison);
  EXPECT_EQ(src.size(), 10u + 48u * 1'500);
  EXPECT_EQ(Bytes(src).size(), src.size());
}

TEST(RawFile, EveryRecordIsOneLine) {
  const RawFileSpec spec = Spec(11, 20'000, 0.1);
  uint64_t lines = 0;
  const std::string bytes = Bytes(RawFileSource(spec));
  const std::string_view rest = ForEachLine(bytes, [&](std::string_view) { ++lines; });
  EXPECT_EQ(lines, 20'000u);
  EXPECT_EQ(rest, "");
}

TEST(RawFile, ComputeTruthEqualsWhatTheParserFinds) {
  const RawFileSpec spec = Spec(42, 20'000, 0.1);
  Cube truth_cube;
  const FileTruth truth = ComputeTruth(spec, &truth_cube);

  FileTruth parsed;
  Cube parsed_cube;
  const std::string bytes = Bytes(RawFileSource(spec));
  ForEachLine(bytes, [&](std::string_view line) {
    ParsedRecord rec;
    const ValidationResult v = ParseAndValidate(line, &rec);
    ++parsed.records;
    if (v.dirty == DirtyKind::kNone) {
      ++parsed.clean;
      ++parsed_cube[CubeKey{rec.event_time_unix_ms / kHourMs, rec.product_index, rec.event_type_index}];
    } else {
      ++parsed.dirty[static_cast<int>(v.dirty) - 1];
    }
  });

  EXPECT_EQ(truth.records, 20'000u);
  EXPECT_EQ(parsed.records, truth.records);
  EXPECT_EQ(parsed.clean, truth.clean);
  for (int k = 0; k < kDirtyKinds; ++k) {
    EXPECT_EQ(parsed.dirty[k], truth.dirty[k]) << DirtyKindName(static_cast<DirtyKind>(k + 1));
    EXPECT_GT(truth.dirty[k], 0u);
  }
  EXPECT_EQ(truth.clean + truth.dirty_total(), truth.records);
  EXPECT_EQ(parsed_cube, truth_cube);
}

TEST(RawFile, CubeTotalEqualsCleanCount) {
  Cube cube;
  const FileTruth a = ComputeTruth(Spec(1, 10'000, 0.2), &cube);
  const FileTruth b = ComputeTruth(Spec(2, 5'000, 0.05), &cube);  // adds to the same cube
  uint64_t total = 0;
  for (const auto& [key, n] : cube) {
    const auto& [hour, product, event_type] = key;
    EXPECT_GE(hour, kJan1Ms / kHourMs);
    EXPECT_LT(hour, kJan1Ms / kHourMs + 3);
    EXPECT_LT(product, Products().size());
    EXPECT_LT(event_type, EventTypes().size());
    total += n;
  }
  EXPECT_EQ(total, a.clean + b.clean);
  EXPECT_EQ(ComputeTruth(Spec(1, 10'000, 0.2), nullptr).clean, a.clean);
}

TEST(RawFile, DirtyRatioIsWithinTolerance) {
  const FileTruth t = ComputeTruth(Spec(99, 200'000, 0.1), nullptr);
  EXPECT_EQ(t.records, 200'000u);
  // Binomial sd = sqrt(200000 * 0.1 * 0.9) ~ 134 records: +-1000 is 7.5 sd.
  EXPECT_NEAR(static_cast<double>(t.dirty_total()), 20'000, 1'000);
  // Kinds are equally likely: sd ~ 61 each, +-500 is 8 sd.
  for (int k = 0; k < kDirtyKinds; ++k) EXPECT_NEAR(static_cast<double>(t.dirty[k]), 5'000, 500) << k;
}

TEST(RawFile, ZeroDirtyRatioGivesOnlyCleanRecords) {
  const FileTruth t = ComputeTruth(Spec(3, 10'000, 0), nullptr);
  EXPECT_EQ(t.clean, 10'000u);
  EXPECT_EQ(t.dirty_total(), 0u);
}

TEST(RawFile, DirtyRatioOneGivesOnlyDirtyRecords) {
  const FileTruth t = ComputeTruth(Spec(3, 10'000, 1.0), nullptr);
  EXPECT_EQ(t.clean, 0u);
  EXPECT_EQ(t.dirty_total(), 10'000u);
}

TEST(RawFile, EventTimesAreWithinTheWindow) {
  RawFileSpec spec = Spec(5, 50'000, 0.1);
  spec.window_start_ms = kJan1Ms + 123;
  spec.window_end_ms = kJan1Ms + 123 + 10 * 60'000;
  int64_t lo = INT64_MAX, hi = INT64_MIN;
  ForEachRecord(spec, [&](const LogRecord& r) {
    lo = std::min(lo, r.event_time_unix_ms);
    hi = std::max(hi, r.event_time_unix_ms);
  });
  EXPECT_GE(lo, spec.window_start_ms);
  EXPECT_LT(hi, spec.window_end_ms);
  // 50k uniform draws over 600k ms come within 100 ms of both ends.
  EXPECT_LT(lo, spec.window_start_ms + 100);
  EXPECT_GE(hi, spec.window_end_ms - 100);
}

TEST(RawFile, EmptyWindowPutsEveryEventAtItsStart) {
  RawFileSpec spec = Spec(5, 100, 0);
  spec.window_end_ms = spec.window_start_ms;
  int at_start = 0;
  ForEachRecord(spec, [&](const LogRecord& r) { at_start += r.event_time_unix_ms == spec.window_start_ms; });
  EXPECT_EQ(at_start, 100);
}

TEST(RawFile, RecordFieldsAreWithinTheCatalogue) {
  uint32_t max_duration = 0;
  int records = 0;
  ForEachRecord(Spec(6, 20'000, 0.5), [&](const LogRecord& r) {
    ++records;
    ASSERT_LT(r.product, Products().size());
    ASSERT_LT(r.country, Countries().size());
    ASSERT_LT(r.event_type, EventTypes().size());
    ASSERT_LT(r.dirty_variant, 12);
    ASSERT_LE(static_cast<int>(r.dirty), kDirtyKinds);
    max_duration = std::max(max_duration, r.duration_ms);
  });
  EXPECT_EQ(records, 20'000);
  EXPECT_LE(max_duration, 3'600'000u);
}

TEST(RawFile, PoisonFileStartsWithGzipMagic) {
  RawFileSpec spec = Spec(9, 1'000, 0);
  spec.poison = true;
  const std::string bytes = Bytes(RawFileSource(spec));
  ASSERT_GE(bytes.size(), 10u);
  EXPECT_EQ(static_cast<uint8_t>(bytes[0]), 0x1f);
  EXPECT_EQ(static_cast<uint8_t>(bytes[1]), 0x8b);
  EXPECT_EQ(static_cast<uint8_t>(bytes[2]), 0x08);  // deflate
  EXPECT_EQ(bytes, Bytes(RawFileSource(spec)));
}

TEST(RawFile, PoisonFileHasNoValidRecords) {
  RawFileSpec spec = Spec(9, 5'000, 0);
  spec.poison = true;
  const std::string bytes = Bytes(RawFileSource(spec));
  uint64_t lines = 0, clean = 0;
  const std::string_view rest = ForEachLine(bytes, [&](std::string_view line) {
    ++lines;
    ParsedRecord rec;
    clean += ParseAndValidate(line, &rec).dirty == DirtyKind::kNone;
  });
  ParsedRecord rec;
  clean += ParseAndValidate(rest, &rec).dirty == DirtyKind::kNone;
  EXPECT_GT(lines, 100u);  // random bytes hold newlines: ~1 in 256
  EXPECT_EQ(clean, 0u);
}

TEST(RawFile, DescribeNamesTheRecipe) {
  RawFileSpec spec = Spec(12, 34, 0);
  EXPECT_EQ(RawFileSource(spec).Describe(), "raw-logs seed=12 records=34");
  spec.poison = true;
  EXPECT_EQ(RawFileSource(spec).Describe(), "raw-logs seed=12 records=34 poison");
}

// --- Load profile -----------------------------------------------------------

TEST(LoadProfile, RateAtIsSteadyOutsideTheSpikeAndZeroAfterTheEnd) {
  const LoadProfile p;  // 200/s for 3 h, 10x from 1 h for 20 min
  const sim::Time t0 = sim::Time::Zero();
  EXPECT_EQ(p.RateAt(t0), 200);
  EXPECT_EQ(p.RateAt(t0 + sim::Hours(1) - sim::Nanoseconds(1)), 200);
  EXPECT_EQ(p.RateAt(t0 + sim::Hours(1)), 2000);
  EXPECT_EQ(p.RateAt(t0 + sim::Minutes(79)), 2000);
  EXPECT_EQ(p.RateAt(t0 + sim::Minutes(80) - sim::Nanoseconds(1)), 2000);
  EXPECT_EQ(p.RateAt(t0 + sim::Minutes(80)), 200);
  EXPECT_EQ(p.RateAt(t0 + sim::Hours(3) - sim::Nanoseconds(1)), 200);
  EXPECT_EQ(p.RateAt(t0 + sim::Hours(3)), 0);
  EXPECT_EQ(p.RateAt(t0 + sim::Hours(30)), 0);
}

TEST(LoadProfile, RateAtWithoutSpikeFactorIsSteady) {
  LoadProfile p;
  p.spike_factor = 1;
  EXPECT_EQ(p.RateAt(sim::Time::Zero() + sim::Minutes(70)), 200);
}

TEST(LoadProfile, NextChangeAfterWalksTheChangePoints) {
  const LoadProfile p;
  const sim::Time t0 = sim::Time::Zero();
  EXPECT_EQ(p.NextChangeAfter(t0), t0 + sim::Hours(1));
  EXPECT_EQ(p.NextChangeAfter(t0 + sim::Hours(1) - sim::Nanoseconds(1)), t0 + sim::Hours(1));
  EXPECT_EQ(p.NextChangeAfter(t0 + sim::Hours(1)), t0 + sim::Minutes(80));
  EXPECT_EQ(p.NextChangeAfter(t0 + sim::Minutes(80)), t0 + sim::Hours(3));
  EXPECT_EQ(p.NextChangeAfter(t0 + sim::Hours(3)), sim::Time::Max());
}

TEST(LoadProfile, ExpectedRecordsCountsTheSpike) {
  const LoadProfile p;
  // 200/s * (10800 s + 1200 s * 9 extra)
  EXPECT_EQ(p.ExpectedRecords(), 4'320'000.0);
}

TEST(LoadProfile, ExpectedRecordsClipsASpikePastTheEnd) {
  LoadProfile p;
  p.duration = sim::Minutes(70);  // the spike runs 10 of its 20 minutes
  EXPECT_EQ(p.ExpectedRecords(), 200.0 * (4200 + 600 * 9));
  p.duration = sim::Minutes(30);  // the spike never starts
  EXPECT_EQ(p.ExpectedRecords(), 200.0 * 1800);
}

TEST(LoadProfile, ExpectedRecordsEqualsTheIntegralOfRateAt) {
  LoadProfile p;
  p.records_per_second = 3;
  p.duration = sim::Minutes(50);
  p.spike_start = sim::Minutes(40);
  p.spike_length = sim::Minutes(5);
  p.spike_factor = 4;
  double integral = 0;
  for (sim::Time t = sim::Time::Zero(); t < sim::Time::Zero() + p.duration;) {
    const sim::Time next = p.NextChangeAfter(t);
    integral += p.RateAt(t) * (next - t).ToSeconds();
    t = next;
  }
  EXPECT_EQ(integral, 3.0 * (3000 + 300 * 3));
  EXPECT_EQ(p.ExpectedRecords(), integral);
}

// --- File registry ----------------------------------------------------------

FileEntry Entry(std::string key, uint64_t records) {
  FileEntry e;
  e.key = std::move(key);
  e.truth.records = records;
  return e;
}

TEST(FileRegistry, AddAndFind) {
  FileRegistry reg;
  EXPECT_EQ(reg.Add(Entry("raw/dt=2026-01-01/hr=00/a.jsonl", 10)), 0u);
  EXPECT_EQ(reg.Add(Entry("raw/dt=2026-01-01/hr=00/b.jsonl", 32)), 1u);
  EXPECT_EQ(reg.Find("raw/dt=2026-01-01/hr=00/b.jsonl"), 1);
  EXPECT_EQ(reg.Find("raw/dt=2026-01-01/hr=00/a.jsonl"), 0);
  EXPECT_EQ(reg.Find("raw/dt=2026-01-01/hr=00/c.jsonl"), -1);
  EXPECT_EQ(reg.files().size(), 2u);
  EXPECT_EQ(reg.at(1).truth.records, 32u);
  EXPECT_EQ(reg.total_records(), 42u);
}

TEST(FileRegistry, DuplicateKeyIsAnInvariantViolation) {
  FileRegistry reg;
  reg.Add(Entry("raw/k", 10));
  EXPECT_THROW(reg.Add(Entry("raw/k", 5)), sim::InvariantViolation);
  EXPECT_EQ(reg.files().size(), 1u);
  EXPECT_EQ(reg.total_records(), 10u);
}

}  // namespace
}  // namespace pipeline
