#include "emulators/common/hashing.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace emu {
namespace {

// RFC 1321 appendix A.5, FIPS 180-2 appendix B and the common pangram vectors.
TEST(Hashing, Md5KnownVectors) {
  EXPECT_EQ(Md5Hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(Md5Hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(Md5Hex("The quick brown fox jumps over the lazy dog"), "9e107d9d372bb6826bd81d3542a419d6");
  EXPECT_EQ(Md5Hex(std::string(1'000'000, 'a')), "7707d6ae4e027c70eea2a935c2296f21");
}

TEST(Hashing, Sha256KnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("The quick brown fox jumps over the lazy dog"),
            "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592");
  EXPECT_EQ(Sha256Hex(std::string(1'000'000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Hashing, Md5DigestMatchesHex) {
  const Md5Digest d = Md5("abc");
  EXPECT_EQ(d[0], 0x90);
  EXPECT_EQ(d[15], 0x72);
  EXPECT_EQ(ToHex(d.data(), d.size()), Md5Hex("abc"));
}

TEST(Hashing, ToHexIsLowercaseTwoDigitsPerByte) {
  const uint8_t bytes[] = {0x00, 0xff, 0x1a, 0x0b};
  EXPECT_EQ(ToHex(bytes, 4), "00ff1a0b");
  EXPECT_EQ(ToHex(bytes, 0), "");
}

std::string Body(std::size_t n) {
  std::string s(n, '\0');
  uint32_t x = 12345;
  for (char& c : s) {
    x = x * 1103515245u + 12345u;
    c = static_cast<char>(x >> 24);
  }
  return s;
}

TEST(Hashing, StreamingEqualsOneShotForAnyChunking) {
  const std::string body = Body(1 << 20);
  const Md5Digest whole = Md5(body);
  for (std::size_t chunk : {std::size_t{1} << 20, std::size_t{65536}, std::size_t{4096}, std::size_t{1000},
                            std::size_t{63}, std::size_t{7}}) {
    Md5Stream s;
    for (std::size_t pos = 0; pos < body.size(); pos += chunk) s.Update(std::string_view(body).substr(pos, chunk));
    EXPECT_EQ(s.Finish(), whole) << "chunk " << chunk;
  }
}

TEST(Hashing, StreamingWithUnevenAndEmptyChunks) {
  const std::string body = Body(100'000);
  Md5Stream s;
  std::size_t pos = 0;
  for (std::size_t len = 0; pos < body.size(); ++len) {
    s.Update(std::string_view(body).substr(pos, len));  // len 0 first: an empty update
    pos += len;
  }
  EXPECT_EQ(s.Finish(), Md5(body));
  Md5Stream empty;
  EXPECT_EQ(ToHex(empty.Finish().data(), 16), "d41d8cd98f00b204e9800998ecf8427e");
}

}  // namespace
}  // namespace emu
