#include "pipeline/generator/log_record.h"

#include "pipeline/generator/catalogue.h"
#include "sim/time.h"

namespace pipeline {

std::string_view DirtyKindName(DirtyKind kind) {
  switch (kind) {
    case DirtyKind::kNone: return "none";
    case DirtyKind::kMalformedJson: return "malformed_json";
    case DirtyKind::kMissingField: return "missing_field";
    case DirtyKind::kBadTimestamp: return "bad_timestamp";
    case DirtyKind::kUnknownProduct: return "unknown_product";
  }
  return "?";
}

namespace {

void AppendUint(uint64_t v, std::string& out) {
  char buf[24];
  int n = 0;
  do {
    buf[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v);
  while (n) out += buf[--n];
}

void AppendPadded(uint64_t v, int width, std::string& out) {
  char buf[24];
  for (int i = width - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  out.append(buf, static_cast<std::size_t>(width));
}

void AppendHex64(uint64_t v, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int shift = 60; shift >= 0; shift -= 4) out += kHex[(v >> shift) & 15];
}

void Field(std::string_view name, std::string& out) {
  out += '"';
  out += name;
  out += "\":";
}

void StringField(std::string_view name, std::string_view value, std::string& out) {
  Field(name, out);
  out += '"';
  out += value;
  out += '"';
}

}  // namespace

void AppendIsoMillis(int64_t unix_ms, std::string& out) {
  const sim::CivilTime c = sim::ToCivil(unix_ms * 1'000'000);
  AppendPadded(static_cast<uint64_t>(c.year), 4, out);
  out += '-';
  AppendPadded(static_cast<uint64_t>(c.month), 2, out);
  out += '-';
  AppendPadded(static_cast<uint64_t>(c.day), 2, out);
  out += 'T';
  AppendPadded(static_cast<uint64_t>(c.hour), 2, out);
  out += ':';
  AppendPadded(static_cast<uint64_t>(c.minute), 2, out);
  out += ':';
  AppendPadded(static_cast<uint64_t>(c.second), 2, out);
  out += '.';
  AppendPadded(static_cast<uint64_t>(c.nanos / 1'000'000), 3, out);
  out += 'Z';
}

bool ParseIsoMillis(std::string_view s, int64_t* unix_ms) {
  // Exactly YYYY-MM-DDTHH:MM:SS.mmmZ
  if (s.size() != 24 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
      s[19] != '.' || s[23] != 'Z')
    return false;
  auto num = [&](std::size_t pos, std::size_t len, int* v) {
    int x = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      x = x * 10 + (s[i] - '0');
    }
    *v = x;
    return true;
  };
  int y, mo, d, h, mi, se, ms;
  if (!num(0, 4, &y) || !num(5, 2, &mo) || !num(8, 2, &d) || !num(11, 2, &h) || !num(14, 2, &mi) ||
      !num(17, 2, &se) || !num(20, 3, &ms))
    return false;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  // sim::FromCivil counts int64 nanoseconds: 1677-09-21 .. 2262-04-11.
  if (y < 1678 || y > 2261) return false;
  if (mo < 1 || mo > 12 || d < 1 || d > kDays[mo - 1] || h > 23 || mi > 59 || se > 59) return false;
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (mo == 2 && d == 29 && !leap) return false;
  *unix_ms = sim::FromCivil(sim::CivilTime{y, mo, d, h, mi, se, 0}) / 1'000'000 + ms;
  return true;
}

void AppendRecordLine(const LogRecord& r, std::string& out) {
  const Product& product = Products()[r.product];
  const bool drop = r.dirty == DirtyKind::kMissingField;
  const int dropped = r.dirty_variant % 4;  // which required field is missing
  const std::size_t line_start = out.size();  // out may already hold earlier lines
  out += '{';
  Field("event_id", out);
  out += '"';
  AppendHex64(r.event_id_hi, out);
  AppendHex64(r.event_id_lo, out);
  out += '"';
  out += ',';
  if (!(drop && dropped == 0)) {
    Field("event_time", out);
    out += '"';
    if (r.dirty == DirtyKind::kBadTimestamp) {
      switch (r.dirty_variant % 3) {
        case 0: out += "2026-13-45T25:61:61.000Z"; break;  // out of range fields
        case 1: out += "yesterday at noon"; break;       // not a timestamp
        default: AppendUint(static_cast<uint64_t>(r.event_time_unix_ms), out); break;  // epoch number as text
      }
    } else {
      AppendIsoMillis(r.event_time_unix_ms, out);
    }
    out += "\",";
  }
  if (!(drop && dropped == 1)) {
    if (r.dirty == DirtyKind::kUnknownProduct) {
      StringField("product", r.dirty_variant % 2 ? "AutoCAD Classic 2004" : "Unknown Product", out);
    } else {
      StringField("product", product.name, out);
    }
    out += ',';
  }
  StringField("version", product.latest_version, out);
  out += ',';
  Field("user_id", out);
  out += "\"u";
  AppendPadded(r.user, 7, out);
  out += "\",";
  Field("session_id", out);
  out += "\"s";
  AppendPadded(r.session, 9, out);
  out += "\",";
  if (!(drop && dropped == 2)) {
    StringField("event_type", EventTypes()[r.event_type].name, out);
    out += ',';
  }
  Field("duration_ms", out);
  AppendUint(r.duration_ms, out);
  if (!(drop && dropped == 3)) {
    out += ',';
    StringField("country", Countries()[r.country].code, out);
  }
  out += '}';
  if (r.dirty == DirtyKind::kMalformedJson) {
    switch (r.dirty_variant % 3) {
      case 0: out.pop_back(); break;                          // truncated: missing the closing brace
      case 1: out.insert(out.size() - 1, ",\"extra\":"); break;  // dangling key
      default: out[line_start] = '['; break;                   // not an object
    }
  }
  out += '\n';
}

}  // namespace pipeline
