#include "emulators/common/uuid.h"

namespace emu {

namespace {

void PutHex(char* out, uint64_t v, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = digits - 1; i >= 0; --i) {
    out[i] = kHex[v & 15];
    v >>= 4;
  }
}

}  // namespace

Uuid DrawUuidV4(sim::Rng& rng) {
  Uuid id;
  id.hi = (rng.NextU64() & ~uint64_t{0xF000}) | uint64_t{0x4000};
  id.lo = (rng.NextU64() & ~(uint64_t{3} << 62)) | (uint64_t{2} << 62);
  return id;
}

std::string FormatUuid(const Uuid& id) {
  char buf[36];
  PutHex(buf, id.hi >> 32, 8);
  buf[8] = '-';
  PutHex(buf + 9, (id.hi >> 16) & 0xFFFF, 4);
  buf[13] = '-';
  PutHex(buf + 14, id.hi & 0xFFFF, 4);
  buf[18] = '-';
  PutHex(buf + 19, id.lo >> 48, 4);
  buf[23] = '-';
  PutHex(buf + 24, id.lo & 0xFFFF'FFFF'FFFFull, 12);
  return std::string(buf, sizeof buf);
}

}  // namespace emu
