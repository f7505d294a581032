#include "reference_pq.h"

#include <chrono>
#include <cmath>
#include <cstdint>
#include <queue>
#include <vector>

namespace bench {
namespace {

struct Event {
  double t;
  uint64_t seq;
  uint32_t cb;
};
struct Later {
  bool operator()(const Event& a, const Event& b) const {
    if (a.t != b.t) return a.t > b.t;
    return a.seq > b.seq;
  }
};

uint64_t s[4];
inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
inline uint64_t next_u64() {
  const uint64_t r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
  s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 45);
  return r;
}
inline double expo() {
  double u = (double)((next_u64() >> 11) + 1) * 0x1.0p-53;
  return -std::log(u);
}

struct Kernel {
  std::priority_queue<Event, std::vector<Event>, Later> q;
  double now = 0;
  uint64_t seq = 0;
  uint64_t counters[4] = {0, 0, 0, 0};
  void schedule(double dt, uint32_t cb) { q.push(Event{now + dt, seq++, cb}); }
};

using Handler = void (*)(Kernel&, uint32_t);
void h0(Kernel& k, uint32_t cb) { k.counters[0]++; k.schedule(expo(), cb); }
void h1(Kernel& k, uint32_t cb) { k.counters[1]++; k.schedule(expo(), cb); }
void h2(Kernel& k, uint32_t cb) { k.counters[2]++; k.schedule(expo(), cb); }
void h3(Kernel& k, uint32_t cb) { k.counters[3]++; k.schedule(expo(), cb); }
Handler table[4] = {h0, h1, h2, h3};

}  // namespace

ReferenceResult RunReferencePq(uint64_t N, uint32_t P, uint64_t seed) {
  uint64_t z = seed;
  for (auto& w : s) {
    z += 0x9e3779b97f4a7c15ULL;
    uint64_t x = z;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    w = x ^ (x >> 31);
  }
  Kernel k;
  for (uint32_t i = 0; i < P; ++i) k.schedule(expo(), i & 3u);
  auto t0 = std::chrono::steady_clock::now();
  uint64_t handled = 0;
  while (handled < N && !k.q.empty()) {
    Event e = k.q.top();
    k.q.pop();
    k.now = e.t;
    table[e.cb](k, e.cb);
    ++handled;
  }
  auto t1 = std::chrono::steady_clock::now();
  return ReferenceResult{handled, std::chrono::duration<double>(t1 - t0).count(), k.now};
}

}  // namespace bench
