#pragma once

// One product-usage event as the producers emit it, before serialisation,
// and the ways a line can be dirty.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace pipeline {

enum class DirtyKind : uint8_t {
  kNone = 0,
  kMalformedJson,
  kMissingField,
  kBadTimestamp,
  kUnknownProduct,
};
inline constexpr int kDirtyKinds = 4;  // excluding kNone
std::string_view DirtyKindName(DirtyKind kind);
// Counts per dirty kind, indexed by DirtyKind - 1.
using DirtyCounts = std::array<uint64_t, kDirtyKinds>;

struct LogRecord {
  uint64_t event_id_hi = 0, event_id_lo = 0;
  int64_t event_time_unix_ms = 0;
  uint32_t product = 0;     // index in Products()
  uint32_t country = 0;     // index in Countries()
  uint32_t event_type = 0;  // index in EventTypes()
  uint32_t user = 0;
  uint32_t session = 0;
  uint32_t duration_ms = 0;
  DirtyKind dirty = DirtyKind::kNone;
  uint8_t dirty_variant = 0;  // which field / which corruption
};

// Appends the record as one JSON line (with '\n'), corrupted as its dirty
// kind says.
void AppendRecordLine(const LogRecord& r, std::string& out);

// "2026-01-01T00:12:34.567Z" into out; and back (nullopt-like: returns false;
// also for years outside 1678..2261, which int64 nanoseconds cannot hold).
void AppendIsoMillis(int64_t unix_ms, std::string& out);
bool ParseIsoMillis(std::string_view text, int64_t* unix_ms);

}  // namespace pipeline
