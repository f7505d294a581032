#include "pipeline/records/record_parser.h"

#include "pipeline/generator/catalogue.h"

namespace pipeline {

namespace {

inline void SkipWs(std::string_view s, std::size_t* p) {
  while (*p < s.size() && (s[*p] == ' ' || s[*p] == '\t' || s[*p] == '\r' || s[*p] == '\n')) ++*p;
}

// A JSON string at s[*p] (which must be '"'); sets *out to its raw contents.
bool ScanString(std::string_view s, std::size_t* p, std::string_view* out) {
  if (*p >= s.size() || s[*p] != '"') return false;
  const std::size_t start = ++*p;
  while (*p < s.size()) {
    const char c = s[*p];
    if (c == '"') {
      *out = s.substr(start, *p - start);
      ++*p;
      return true;
    }
    if (static_cast<unsigned char>(c) < 0x20) return false;
    if (c == '\\') {
      if (++*p >= s.size()) return false;
      const char e = s[*p];
      if (e == 'u') {
        for (int i = 0; i < 4; ++i) {
          if (++*p >= s.size()) return false;
          const char h = s[*p];
          if (!((h >= '0' && h <= '9') || (h >= 'a' && h <= 'f') || (h >= 'A' && h <= 'F'))) return false;
        }
      } else if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't') {
        return false;
      }
    }
    ++*p;
  }
  return false;
}

bool ScanNumber(std::string_view s, std::size_t* p) {
  const std::size_t start = *p;
  if (*p < s.size() && s[*p] == '-') ++*p;
  if (*p >= s.size()) return false;
  if (s[*p] == '0') {
    ++*p;
  } else if (s[*p] >= '1' && s[*p] <= '9') {
    while (*p < s.size() && s[*p] >= '0' && s[*p] <= '9') ++*p;
  } else {
    return false;
  }
  if (*p < s.size() && s[*p] == '.') {
    ++*p;
    const std::size_t digits = *p;
    while (*p < s.size() && s[*p] >= '0' && s[*p] <= '9') ++*p;
    if (*p == digits) return false;
  }
  if (*p < s.size() && (s[*p] == 'e' || s[*p] == 'E')) {
    ++*p;
    if (*p < s.size() && (s[*p] == '+' || s[*p] == '-')) ++*p;
    const std::size_t digits = *p;
    while (*p < s.size() && s[*p] >= '0' && s[*p] <= '9') ++*p;
    if (*p == digits) return false;
  }
  return *p > start;
}

bool ScanLiteral(std::string_view s, std::size_t* p, std::string_view lit) {
  if (s.substr(*p, lit.size()) != lit) return false;
  *p += lit.size();
  return true;
}

constexpr int kMaxDepth = 64;

bool SkipValue(std::string_view s, std::size_t* p, int depth) {
  if (depth > kMaxDepth) return false;
  SkipWs(s, p);
  if (*p >= s.size()) return false;
  std::string_view ignored;
  switch (s[*p]) {
    case '"': return ScanString(s, p, &ignored);
    case 't': return ScanLiteral(s, p, "true");
    case 'f': return ScanLiteral(s, p, "false");
    case 'n': return ScanLiteral(s, p, "null");
    case '{': {
      ++*p;
      SkipWs(s, p);
      if (*p < s.size() && s[*p] == '}') {
        ++*p;
        return true;
      }
      for (;;) {
        SkipWs(s, p);
        if (!ScanString(s, p, &ignored)) return false;
        SkipWs(s, p);
        if (*p >= s.size() || s[*p] != ':') return false;
        ++*p;
        if (!SkipValue(s, p, depth + 1)) return false;
        SkipWs(s, p);
        if (*p >= s.size()) return false;
        if (s[*p] == '}') {
          ++*p;
          return true;
        }
        if (s[*p] != ',') return false;
        ++*p;
      }
    }
    case '[': {
      ++*p;
      SkipWs(s, p);
      if (*p < s.size() && s[*p] == ']') {
        ++*p;
        return true;
      }
      for (;;) {
        if (!SkipValue(s, p, depth + 1)) return false;
        SkipWs(s, p);
        if (*p >= s.size()) return false;
        if (s[*p] == ']') {
          ++*p;
          return true;
        }
        if (s[*p] != ',') return false;
        ++*p;
      }
    }
    default: return ScanNumber(s, p);
  }
}

enum Field : uint32_t {
  kEventId = 1u << 0,
  kEventTime = 1u << 1,
  kProduct = 1u << 2,
  kVersion = 1u << 3,
  kUserId = 1u << 4,
  kSessionId = 1u << 5,
  kEventType = 1u << 6,
  kDurationMs = 1u << 7,
  kCountry = 1u << 8,
};
constexpr uint32_t kAllFields = (1u << 9) - 1;

std::string_view MissingFieldName(uint32_t seen) {
  static constexpr std::string_view kNames[] = {"event_id", "event_time", "product", "version", "user_id",
                                                "session_id", "event_type", "duration_ms", "country"};
  for (int i = 0; i < 9; ++i)
    if (!(seen & (1u << i))) return kNames[i];
  return "";
}

bool ParseInt(std::string_view s, int64_t* v) {
  if (s.empty() || s.size() > 18) return false;
  int64_t x = 0;
  std::size_t i = 0;
  const bool neg = s[0] == '-';
  if (neg) ++i;
  if (i == s.size()) return false;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    x = x * 10 + (s[i] - '0');
  }
  *v = neg ? -x : x;
  return true;
}

}  // namespace

bool SkipJsonValue(std::string_view s, std::size_t* pos) { return SkipValue(s, pos, 0); }

ValidationResult ParseAndValidate(std::string_view line, ParsedRecord* r) {
  const ValidationResult malformed{DirtyKind::kMalformedJson, "not a JSON object"};
  std::size_t p = 0;
  SkipWs(line, &p);
  if (p >= line.size() || line[p] != '{') return malformed;
  ++p;
  uint32_t seen = 0;
  uint32_t wrong_type = 0;
  SkipWs(line, &p);
  if (p < line.size() && line[p] == '}') {
    ++p;
  } else {
    for (;;) {
      SkipWs(line, &p);
      std::string_view key;
      if (!ScanString(line, &p, &key)) return malformed;
      SkipWs(line, &p);
      if (p >= line.size() || line[p] != ':') return malformed;
      ++p;
      SkipWs(line, &p);
      const std::size_t value_start = p;
      if (!SkipValue(line, &p, 1)) return malformed;
      const std::string_view raw = line.substr(value_start, p - value_start);
      const bool is_string = raw.size() >= 2 && raw.front() == '"';
      const std::string_view str = is_string ? raw.substr(1, raw.size() - 2) : std::string_view();
      auto take = [&](Field f, std::string_view* dst) {
        seen |= f;
        if (is_string) {
          *dst = str;
        } else {
          wrong_type |= f;
        }
      };
      if (key == "event_id") take(kEventId, &r->event_id);
      else if (key == "event_time") take(kEventTime, &r->event_time);
      else if (key == "product") take(kProduct, &r->product);
      else if (key == "version") take(kVersion, &r->version);
      else if (key == "user_id") take(kUserId, &r->user_id);
      else if (key == "session_id") take(kSessionId, &r->session_id);
      else if (key == "event_type") take(kEventType, &r->event_type);
      else if (key == "country") take(kCountry, &r->country);
      else if (key == "duration_ms") {
        seen |= kDurationMs;
        if (!ParseInt(raw, &r->duration_ms) || r->duration_ms < 0) wrong_type |= kDurationMs;
      }
      SkipWs(line, &p);
      if (p >= line.size()) return malformed;
      if (line[p] == '}') {
        ++p;
        break;
      }
      if (line[p] != ',') return malformed;
      ++p;
    }
  }
  SkipWs(line, &p);
  if (p != line.size()) return malformed;  // trailing garbage

  if (seen != kAllFields) return {DirtyKind::kMissingField, MissingFieldName(seen)};
  if (wrong_type) return {DirtyKind::kMissingField, MissingFieldName(~wrong_type & kAllFields)};
  if (!ParseIsoMillis(r->event_time, &r->event_time_unix_ms)) return {DirtyKind::kBadTimestamp, "event_time"};
  const auto product = FindProduct(r->product);
  if (!product) return {DirtyKind::kUnknownProduct, "product"};
  r->product_index = *product;
  const auto event_type = FindEventType(r->event_type);
  if (!event_type) return {DirtyKind::kMissingField, "event_type"};
  r->event_type_index = *event_type;
  const auto country = FindCountry(r->country);
  if (!country) return {DirtyKind::kMissingField, "country"};
  r->country_index = *country;
  return {};
}

}  // namespace pipeline
