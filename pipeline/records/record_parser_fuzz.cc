// libFuzzer target for the raw-line parser; not in CMake (clang is not the project compiler).
// Build and run from /work/main:
// clang-format off
// clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I. pipeline/records/record_parser_fuzz.cc pipeline/records/record_parser.cc pipeline/records/enricher.cc pipeline/generator/log_record.cc pipeline/generator/catalogue.cc sim/time.cc -o /tmp/record_parser_fuzz && /tmp/record_parser_fuzz -max_total_time=60
// clang-format on

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "pipeline/generator/catalogue.h"
#include "pipeline/generator/log_record.h"
#include "pipeline/records/enricher.h"
#include "pipeline/records/record_parser.h"

namespace {

void Require(bool cond) {
  if (!cond) std::abort();
}

// A view the parser set points inside the line; one it never set is empty.
void RequireInside(std::string_view view, std::string_view line) {
  if (view.data() == nullptr) return;
  Require(view.data() >= line.data() && view.data() + view.size() <= line.data() + line.size());
}

void RequireSame(const pipeline::ParsedRecord& a, const pipeline::ParsedRecord& b) {
  Require(a.event_id == b.event_id && a.event_time == b.event_time && a.product == b.product &&
          a.version == b.version && a.user_id == b.user_id && a.session_id == b.session_id &&
          a.event_type == b.event_type && a.country == b.country && a.duration_ms == b.duration_ms &&
          a.event_time_unix_ms == b.event_time_unix_ms && a.product_index == b.product_index &&
          a.event_type_index == b.event_type_index && a.country_index == b.country_index);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pipeline;
  const std::string_view line(reinterpret_cast<const char*>(data), size);

  ParsedRecord rec;
  const ValidationResult v = ParseAndValidate(line, &rec);
  for (std::string_view view : {rec.event_id, rec.event_time, rec.product, rec.version, rec.user_id, rec.session_id,
                                rec.event_type, rec.country})
    RequireInside(view, line);
  Require(static_cast<int>(v.dirty) <= kDirtyKinds);
  Require((v.dirty == DirtyKind::kNone) == v.detail.empty());

  // Deterministic.
  ParsedRecord again;
  Require(ParseAndValidate(line, &again).dirty == v.dirty);

  std::size_t pos = 0;
  if (SkipJsonValue(line, &pos)) Require(pos <= line.size());

  if (v.dirty == DirtyKind::kNone) {
    RequireSame(rec, again);
    Require(rec.product_index < Products().size() && Products()[rec.product_index].name == rec.product);
    Require(rec.event_type_index < EventTypes().size() && EventTypes()[rec.event_type_index].name == rec.event_type);
    Require(rec.country_index < Countries().size() && Countries()[rec.country_index].code == rec.country);
    Require(rec.duration_ms >= 0);
    std::string iso;
    AppendIsoMillis(rec.event_time_unix_ms, iso);
    Require(iso == rec.event_time);
    // The enriched line is itself a valid record with the same fields.
    std::string clean;
    AppendCleanLine(rec, clean);
    Require(!clean.empty() && clean.back() == '\n');
    clean.pop_back();
    ParsedRecord back;
    Require(ParseAndValidate(clean, &back).dirty == DirtyKind::kNone);
    RequireSame(rec, back);
  } else {
    // A dirty line is logged with the raw line escaped: one line, no raw
    // control characters.
    std::string dirty;
    AppendDirtyLine(v, line, dirty);
    Require(dirty.back() == '\n');
    for (std::size_t i = 0; i + 1 < dirty.size(); ++i) Require(static_cast<unsigned char>(dirty[i]) >= 0x20);
  }
  return 0;
}
