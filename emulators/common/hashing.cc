#include "emulators/common/hashing.h"

#include <openssl/evp.h>

#include "sim/check.h"

namespace emu {

namespace {

// OpenSSL 3 resolves EVP_md5() to an implementation on every use (an
// "implicit fetch", ~0.6 us); fetching once and reusing one context makes a
// 1 KiB MD5 cost what the hashing costs. Single-threaded simulation: one
// context per thread is enough.
const EVP_MD* FetchedMd5() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "MD5", nullptr);
  SIM_CHECK_MSG(md != nullptr, "OpenSSL has no MD5 implementation");
  return md;
}

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
  EVP_MD_CTX* ctx = nullptr;
};

Md5Stream::Md5Stream() : impl_(std::make_unique<Impl>()) {
  impl_->ctx = EVP_MD_CTX_new();
  SIM_CHECK(impl_->ctx != nullptr && EVP_DigestInit_ex(impl_->ctx, FetchedMd5(), nullptr) == 1);
}

Md5Stream::~Md5Stream() { EVP_MD_CTX_free(impl_->ctx); }

void Md5Stream::Update(std::string_view chunk) {
  SIM_CHECK(EVP_DigestUpdate(impl_->ctx, chunk.data(), chunk.size()) == 1);
}

Md5Digest Md5Stream::Finish() {
  Md5Digest d{};
  unsigned int n = 0;
  SIM_CHECK(EVP_DigestFinal_ex(impl_->ctx, d.data(), &n) == 1 && n == d.size());
  return d;
}

Md5Digest Md5(std::string_view data) {
  Md5Digest d{};
  DigestOnce(FetchedMd5(), data, d.data(), static_cast<unsigned int>(d.size()));
  return d;
}

std::string ToHex(const uint8_t* bytes, std::size_t n) {
  static const char* kHex = "0123456789abcdef";
  std::string s(n * 2, '0');
  for (std::size_t i = 0; i < n; ++i) {
    s[2 * i] = kHex[bytes[i] >> 4];
    s[2 * i + 1] = kHex[bytes[i] & 15];
  }
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
