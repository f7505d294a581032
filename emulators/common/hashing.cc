// MD5 goes through OpenSSL's low-level MD5_* API: the same assembly as the
// EVP interface, without EVP's per-digest allocation and dispatch (a third
// of the cost of an SQS message's 2 small digests). Those functions are
// deprecated from OpenSSL 3.0 on; this file asks for the 1.1.1 API level.
#define OPENSSL_API_COMPAT 10101

#include "emulators/common/hashing.h"

#include <array>
#include <cstring>

#include <openssl/evp.h>
#include <openssl/md5.h>

#include "sim/check.h"

namespace emu {

namespace {

// OpenSSL 3 resolves EVP_sha256() to an implementation on every use (an
// "implicit fetch", ~0.6 us); fetching once and reusing one context makes a
// digest cost what the hashing costs. Single-threaded simulation: one
// context per thread is enough.
const EVP_MD* FetchedSha256() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  SIM_CHECK_MSG(md != nullptr, "OpenSSL has no SHA-256 implementation");
  return md;
}

EVP_MD_CTX* ThreadContext() {
  struct Holder {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~Holder() { EVP_MD_CTX_free(ctx); }
  };
  thread_local Holder holder;
  return holder.ctx;
}

void DigestOnce(const EVP_MD* md, std::string_view data, uint8_t* out, unsigned int expected) {
  EVP_MD_CTX* ctx = ThreadContext();
  unsigned int n = 0;
  SIM_CHECK(EVP_DigestInit_ex(ctx, md, nullptr) == 1 && EVP_DigestUpdate(ctx, data.data(), data.size()) == 1 &&
            EVP_DigestFinal_ex(ctx, out, &n) == 1 && n == expected);
}

}  // namespace

struct Md5Stream::Impl {
  MD5_CTX ctx;
};

Md5Stream::Md5Stream() : impl_(std::make_unique<Impl>()) { SIM_CHECK(MD5_Init(&impl_->ctx) == 1); }

Md5Stream::~Md5Stream() = default;

void Md5Stream::Update(std::string_view chunk) { SIM_CHECK(MD5_Update(&impl_->ctx, chunk.data(), chunk.size()) == 1); }

Md5Digest Md5Stream::Finish() {
  Md5Digest d{};
  SIM_CHECK(MD5_Final(d.data(), &impl_->ctx) == 1);
  return d;
}

Md5Digest Md5(std::string_view data) {
  Md5Digest d{};
  MD5_CTX ctx;
  SIM_CHECK(MD5_Init(&ctx) == 1 && MD5_Update(&ctx, data.data(), data.size()) == 1 && MD5_Final(d.data(), &ctx) == 1);
  return d;
}

std::string ToHex(const uint8_t* bytes, std::size_t n) {
  // Two characters per byte from one table lookup.
  static constexpr auto kPairs = [] {
    std::array<char, 512> t{};
    constexpr char kHex[] = "0123456789abcdef";
    for (int b = 0; b < 256; ++b) {
      t[2 * b] = kHex[b >> 4];
      t[2 * b + 1] = kHex[b & 15];
    }
    return t;
  }();
  std::string s(n * 2, '\0');
  char* out = s.data();
  for (std::size_t i = 0; i < n; ++i) std::memcpy(out + 2 * i, &kPairs[2 * bytes[i]], 2);
  return s;
}

std::string Md5Hex(std::string_view data) {
  const Md5Digest d = Md5(data);
  return ToHex(d.data(), d.size());
}

std::string Sha256Hex(std::string_view data) {
  uint8_t d[32];
  DigestOnce(FetchedSha256(), data, d, sizeof d);
  return ToHex(d, sizeof d);
}

}  // namespace emu
