#include "pipeline/records/enricher.h"

#include "pipeline/generator/catalogue.h"

namespace pipeline {

namespace {
void Str(std::string_view name, std::string_view value, std::string& out, bool comma = true) {
  if (comma) out += ',';
  out += '"';
  out += name;
  out += "\":\"";
  out += value;
  out += '"';
}
}  // namespace

void AppendCleanLine(const ParsedRecord& r, std::string& out) {
  const Product& p = Products()[r.product_index];
  out += '{';
  Str("event_id", r.event_id, out, false);
  Str("event_time", r.event_time, out);
  Str("product", r.product, out);
  Str("version", r.version, out);
  Str("user_id", r.user_id, out);
  Str("session_id", r.session_id, out);
  Str("event_type", r.event_type, out);
  out += ",\"duration_ms\":";
  out += std::to_string(r.duration_ms);
  Str("country", r.country, out);
  Str("product_family", p.family, out);
  Str("licence_type", p.licence_type, out);
  Str("region", Countries()[r.country_index].region, out);
  out += "}\n";
}

void AppendJsonEscaped(std::string_view s, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (char c : s) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      out += "\\u00";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
}

void AppendDirtyLine(const ValidationResult& v, std::string_view raw_line, std::string& out) {
  out += "{\"reason\":\"";
  out += DirtyKindName(v.dirty);
  out += "\",\"detail\":\"";
  out += v.detail;
  out += "\",\"line\":\"";
  AppendJsonEscaped(raw_line, out);
  out += "\"}\n";
}

}  // namespace pipeline
