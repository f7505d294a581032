#include "emulators/common/hashing.h"

#include <openssl/evp.h>

#include "sim/check.h"

namespace emu {

struct Md5Stream::Impl {
  EVP_MD_CTX* ctx = nullptr;
};

Md5Stream::Md5Stream() : impl_(std::make_unique<Impl>()) {
  impl_->ctx = EVP_MD_CTX_new();
  SIM_CHECK(impl_->ctx != nullptr && EVP_DigestInit_ex(impl_->ctx, EVP_md5(), nullptr) == 1);
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
  unsigned int n = 0;
  SIM_CHECK(EVP_Digest(data.data(), data.size(), d.data(), &n, EVP_md5(), nullptr) == 1);
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
  unsigned int n = 0;
  SIM_CHECK(EVP_Digest(data.data(), data.size(), d, &n, EVP_sha256(), nullptr) == 1);
  return ToHex(d, n);
}

}  // namespace emu
