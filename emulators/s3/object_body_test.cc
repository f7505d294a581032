#include "emulators/s3/object_body.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "emulators/common/hashing.h"

namespace emu::s3 {
namespace {

// Deterministic bytes in fixed-size chunks; counts how often it generates.
class CountingSource : public BodySource {
 public:
  CountingSource(uint64_t size, uint64_t chunk) : size_(size), chunk_(chunk) {}
  uint64_t size() const override { return size_; }
  void Generate(const std::function<void(std::string_view)>& sink) const override {
    ++generate_calls;
    std::string buf;
    for (uint64_t pos = 0; pos < size_; pos += chunk_) {
      buf.clear();
      for (uint64_t i = pos; i < std::min(size_, pos + chunk_); ++i) buf += ByteAt(i);
      sink(buf);
    }
  }
  std::string Describe() const override { return "counting size=" + std::to_string(size_); }
  static char ByteAt(uint64_t i) { return static_cast<char>('a' + (i * 7 + 3) % 26); }

  mutable int generate_calls = 0;

 private:
  uint64_t size_;
  uint64_t chunk_;
};

std::string Expected(uint64_t from, uint64_t to) {
  std::string s;
  for (uint64_t i = from; i < to; ++i) s += CountingSource::ByteAt(i);
  return s;
}

TEST(ObjectBody, FromBytesRoundTrip) {
  auto body = ObjectBody::FromBytes("hello world");
  EXPECT_EQ(body->size(), 11u);
  EXPECT_FALSE(body->generated());
  EXPECT_EQ(body->Read(), "hello world");
  EXPECT_EQ(body->source(), nullptr);
}

TEST(ObjectBody, ETagIsQuotedMd5OfHello) {
  EXPECT_EQ(ObjectBody::FromBytes("hello")->ETag(), "\"5d41402abc4b2a76b9719d911017c592\"");
}

TEST(ObjectBody, ETagOfEmptyBodyIsMd5OfNothing) {
  EXPECT_EQ(ObjectBody::FromBytes("")->ETag(), "\"d41d8cd98f00b204e9800998ecf8427e\"");
}

TEST(ObjectBody, GeneratedSizeIsKnownWithoutGenerating) {
  auto source = std::make_shared<CountingSource>(10'000, 1'000);
  auto body = ObjectBody::FromSource(source);
  EXPECT_EQ(body->size(), 10'000u);
  EXPECT_TRUE(body->generated());
  EXPECT_EQ(source->generate_calls, 0);
}

TEST(ObjectBody, GeneratedMd5IsComputedOnceAndMatchesTheBytes) {
  auto source = std::make_shared<CountingSource>(10'000, 999);
  auto body = ObjectBody::FromSource(source);
  const std::string etag = body->ETag();
  EXPECT_EQ(body->ETag(), etag);
  body->Md5();
  EXPECT_EQ(source->generate_calls, 1);
  const std::string bytes = body->Read();
  EXPECT_EQ(source->generate_calls, 2);
  EXPECT_EQ(bytes, Expected(0, 10'000));
  EXPECT_EQ(etag, "\"" + Md5Hex(bytes) + "\"");
}

TEST(ObjectBody, GeneratedReadRangeSpansChunksAndClipsAtTheEnd) {
  auto body = ObjectBody::FromSource(std::make_shared<CountingSource>(2'500, 1'000));
  EXPECT_EQ(body->ReadRange(990, 20), Expected(990, 1'010));       // across a chunk boundary
  EXPECT_EQ(body->ReadRange(0, 3), Expected(0, 3));                // start of the first chunk
  EXPECT_EQ(body->ReadRange(2'490, 100), Expected(2'490, 2'500));  // clipped
  EXPECT_EQ(body->ReadRange(2'500, 10), "");                       // past the end
  EXPECT_EQ(body->ReadRange(5, 0), "");
}

TEST(ObjectBody, ConcatSharesThePartsAndRangesReadOnlyTheCoveredParts) {
  auto first = std::make_shared<CountingSource>(1'000, 100);
  auto second = ObjectBody::FromBytes("0123456789");
  auto third = std::make_shared<CountingSource>(500, 100);
  auto whole = ObjectBody::Concat({ObjectBody::FromSource(first), second, ObjectBody::FromSource(third)});
  EXPECT_EQ(whole->size(), 1'510u);
  EXPECT_TRUE(whole->generated());
  EXPECT_EQ(first->generate_calls, 0);
  EXPECT_EQ(whole->ReadRange(995, 20), Expected(995, 1'000) + "0123456789" + Expected(0, 5));
  EXPECT_EQ(whole->ReadRange(1'003, 4), "3456");  // inside the stored part only
  EXPECT_EQ(first->generate_calls, 1);
  EXPECT_EQ(third->generate_calls, 1);
  EXPECT_EQ(whole->Read(), Expected(0, 1'000) + "0123456789" + Expected(0, 500));
  EXPECT_EQ(whole->ReadRange(1'505, 100), Expected(495, 500));
  EXPECT_EQ(ObjectBody::Concat({second}), second);  // one part: the part itself
}

TEST(ObjectBody, SliceSharesTheBodyAndClips) {
  auto source = std::make_shared<CountingSource>(2'000, 300);
  auto body = ObjectBody::FromSource(source);
  auto slice = ObjectBody::Slice(body, 250, 100);
  EXPECT_EQ(slice->size(), 100u);
  EXPECT_EQ(source->generate_calls, 0);
  EXPECT_EQ(slice->Read(), Expected(250, 350));
  EXPECT_EQ(slice->ReadRange(40, 1'000), Expected(290, 350));
  EXPECT_EQ(ObjectBody::Slice(body, 1'990, 100)->size(), 10u);
  EXPECT_EQ(ObjectBody::Slice(body, 0, 2'000), body);
  EXPECT_EQ(ObjectBody::Slice(ObjectBody::FromBytes("0123456789"), 2, 3)->Read(), "234");
}

TEST(ObjectBody, StoredReadRangeClipsAtTheEnd) {
  auto body = ObjectBody::FromBytes("0123456789");
  EXPECT_EQ(body->ReadRange(2, 3), "234");
  EXPECT_EQ(body->ReadRange(8, 10), "89");
  EXPECT_EQ(body->ReadRange(10, 1), "");
}

TEST(ObjectBody, StreamDeliversTheSourceChunksInOrder) {
  auto body = ObjectBody::FromSource(std::make_shared<CountingSource>(2'500, 1'000));
  std::vector<std::size_t> sizes;
  std::string all;
  body->Stream([&](std::string_view chunk) {
    sizes.push_back(chunk.size());
    all.append(chunk);
  });
  EXPECT_EQ(sizes, (std::vector<std::size_t>{1'000, 1'000, 500}));
  EXPECT_EQ(all, Expected(0, 2'500));
}

}  // namespace
}  // namespace emu::s3
