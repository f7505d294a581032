#pragma once

// Digests from OpenSSL's libcrypto (no hand-rolled hashes): MD5 for ETags and
// SQS MD5OfMessageBody, SHA-256 and HMAC for signatures.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace emu {

using Md5Digest = std::array<uint8_t, 16>;

Md5Digest Md5(std::string_view data);
std::string Md5Hex(std::string_view data);
std::string ToHex(const uint8_t* bytes, std::size_t n);
std::string Sha256Hex(std::string_view data);

// Streaming MD5, for bodies generated in chunks (never materialised whole).
class Md5Stream {
 public:
  Md5Stream();
  ~Md5Stream();
  Md5Stream(const Md5Stream&) = delete;
  Md5Stream& operator=(const Md5Stream&) = delete;
  void Update(std::string_view chunk);
  Md5Digest Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace emu
