#pragma once

// Helpers shared by the emulators' tests (header-only, tests only).

#include <string_view>

namespace emu::test_support {

// "8-4-4-4-12" lower-case hex with version 4 and the RFC 4122 variant: the
// form of AWS message ids, request ids and subscription ids. (No std::regex:
// g++ 12 warns inside it under -O1 + sanitizers.)
inline bool IsUuidV4(std::string_view u) {
  if (u.size() != 36) return false;
  for (std::size_t i = 0; i < u.size(); ++i) {
    const char c = u[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  return u[14] == '4' && std::string_view("89ab").find(u[19]) != std::string_view::npos;
}

}  // namespace emu::test_support
