#pragma once

// StrCat: message building by appending. GCC 12 at -O2 reports false
// -Warray-bounds errors on chains of std::string operator+ whose first
// operand is a temporary; appending into one string avoids them.

#include <string>
#include <string_view>

namespace emu::dynamodb {

template <class... Args>
std::string StrCat(const Args&... args) {
  std::string out;
  (out.append(std::string_view(args)), ...);
  return out;
}

}  // namespace emu::dynamodb
