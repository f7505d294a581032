#include "sim/fingerprint.h"

#include <cstdio>

namespace sim {

void Fingerprint::Add(std::string_view s) {
  Add(HashName(s));
  Add(static_cast<uint64_t>(s.size()));
}

std::string Fingerprint::Hex() const {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(state_));
  return buf;
}

}  // namespace sim
