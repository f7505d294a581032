#include "emulators/common/json_text.h"

#include <cstdint>
#include <cstring>

namespace emu {

namespace {

// Bytes that must be escaped: control characters, '"' and '\\'.
bool NeedsEscape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

// Length of the prefix of [p, end) that needs no escaping, 8 bytes at a
// time: a byte is clean unless it is < 0x20, '"' (0x22) or '\\' (0x5C).
std::size_t CleanPrefix(const unsigned char* p, const unsigned char* end) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  const unsigned char* start = p;
  while (end - p >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    // Bytes >= 0x80 (UTF-8) are clean; mask them out of the tests.
    const uint64_t ascii = ~w & kHigh;
    const uint64_t below_space = (w - kOnes * 0x20) & ascii;
    const uint64_t quote = w ^ (kOnes * '"');
    const uint64_t backslash = w ^ (kOnes * '\\');
    const uint64_t has_quote = (quote - kOnes) & ~quote & kHigh;
    const uint64_t has_backslash = (backslash - kOnes) & ~backslash & kHigh;
    if ((below_space | has_quote | has_backslash) != 0) break;
    p += 8;
  }
  while (p < end && !NeedsEscape(*p)) ++p;
  return static_cast<std::size_t>(p - start);
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    const std::size_t clean = CleanPrefix(p, end);
    out.append(reinterpret_cast<const char*>(p), clean);
    p += clean;
    if (p == end) break;
    const unsigned char c = *p++;
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default: {
        const char u[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out.append(u, sizeof u);
      }
    }
  }
  out.push_back('"');
}

void AppendJsonMember(std::string& out, std::string_view key, std::string_view value) {
  AppendJsonString(out, key);
  out.push_back(':');
  AppendJsonString(out, value);
}

}  // namespace emu
