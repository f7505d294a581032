#pragma once

// Parses and validates one raw log line with real code: a strict JSON object
// scanner (any valid JSON object is accepted, fields in any order, unknown
// fields and nested values skipped; anything else is malformed), then the
// schema rules. This is the hot path of a 50 M-record day, so it works on
// string_views into the line and allocates nothing.

#include <cstdint>
#include <string_view>

#include "pipeline/generator/log_record.h"

namespace pipeline {

struct ParsedRecord {
  std::string_view event_id;
  std::string_view event_time;
  std::string_view product;
  std::string_view version;
  std::string_view user_id;
  std::string_view session_id;
  std::string_view event_type;
  std::string_view country;
  int64_t duration_ms = 0;
  int64_t event_time_unix_ms = 0;
  uint32_t product_index = 0;
  uint32_t event_type_index = 0;
  uint32_t country_index = 0;
};

struct ValidationResult {
  DirtyKind dirty = DirtyKind::kNone;  // kNone: `record` is valid
  std::string_view detail;             // which field or rule, for the dirty log
};

// `line` without its trailing newline. Views in *record point into line.
// String values with escapes are treated as their raw text (the schema's
// values never need unescaping; an escaped product name is unknown).
ValidationResult ParseAndValidate(std::string_view line, ParsedRecord* record);

// Scans one JSON value starting at s[*pos]; advances *pos past it. Exposed
// for tests.
bool SkipJsonValue(std::string_view s, std::size_t* pos);

}  // namespace pipeline
