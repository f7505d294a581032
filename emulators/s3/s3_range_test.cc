#include "emulators/s3/s3_range.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "emulators/common/aws_error.h"
#include "emulators/s3/s3_model.h"

namespace emu::s3 {
namespace {

sim::Time At(double seconds) { return sim::Time::Zero() + sim::SecondsF(seconds); }

// Bytes 'a' + i % 26; seekable: GenerateRange produces only the range, and
// both count what they were asked for.
class SeekableSource : public BodySource {
 public:
  explicit SeekableSource(uint64_t size) : size_(size) {}
  uint64_t size() const override { return size_; }
  void Generate(const std::function<void(std::string_view)>& sink) const override {
    ++whole_generations;
    GenerateRange(0, size_, sink);
    --range_generations;
  }
  void GenerateRange(uint64_t offset, uint64_t end, const std::function<void(std::string_view)>& sink) const override {
    ++range_generations;
    generated_bytes += end - offset;
    std::string chunk;
    for (uint64_t i = offset; i < end; ++i) chunk += ByteAt(i);
    sink(chunk);
  }
  std::string Describe() const override { return "seekable"; }
  static char ByteAt(uint64_t i) { return static_cast<char>('a' + i % 26); }

  mutable int whole_generations = 0;
  mutable int range_generations = 0;
  mutable uint64_t generated_bytes = 0;

 private:
  uint64_t size_;
};

class S3RangeTest : public ::testing::Test {
 protected:
  S3RangeTest() : cost_(CostMeter::WithDefaultPrices()), model_(cost_) {
    EXPECT_TRUE(model_.CreateBucket({"bucket"}, At(0)).ok());
    EXPECT_TRUE(Put("ten", ObjectBody::FromBytes("0123456789")).ok());
    EXPECT_TRUE(Put("empty", ObjectBody::FromBytes("")).ok());
  }
  sim::StatusOr<PutObjectResponse> Put(const std::string& key, std::shared_ptr<const ObjectBody> body) {
    return model_.PutObject({"bucket", key, std::move(body)}, At(1));
  }
  sim::StatusOr<GetObjectResponse> Get(const std::string& key, const std::string& range) {
    return model_.GetObject({"bucket", key, range});
  }

  CostMeter cost_;
  S3Model model_;
};

TEST_F(S3RangeTest, FirstToLastRangeIsPartialContentWithContentRange) {
  sim::StatusOr<GetObjectResponse> r = Get("ten", "bytes=2-5");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->http_status, 206);
  EXPECT_EQ(r->body, "2345");
  EXPECT_EQ(r->content_range, "bytes 2-5/10");
  EXPECT_EQ(r->info.size, 10u);
  EXPECT_EQ(r->info.etag, "\"781e5e245d69b566979b86e28d23f2c7\"");  // MD5 of the whole object
}

TEST_F(S3RangeTest, LastBytePastTheEndIsClipped) {
  sim::StatusOr<GetObjectResponse> r = Get("ten", "bytes=7-1000");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->http_status, 206);
  EXPECT_EQ(r->body, "789");
  EXPECT_EQ(r->content_range, "bytes 7-9/10");
  sim::StatusOr<GetObjectResponse> huge = Get("ten", "bytes=9-99999999999999999999999");
  ASSERT_TRUE(huge.ok());
  EXPECT_EQ(huge->body, "9");
  EXPECT_EQ(huge->content_range, "bytes 9-9/10");
}

TEST_F(S3RangeTest, OpenEndedRangeReadsToTheEnd) {
  sim::StatusOr<GetObjectResponse> r = Get("ten", "bytes=4-");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->http_status, 206);
  EXPECT_EQ(r->body, "456789");
  EXPECT_EQ(r->content_range, "bytes 4-9/10");
}

TEST_F(S3RangeTest, SuffixRangeReadsTheLastBytes) {
  sim::StatusOr<GetObjectResponse> r = Get("ten", "bytes=-3");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->http_status, 206);
  EXPECT_EQ(r->body, "789");
  EXPECT_EQ(r->content_range, "bytes 7-9/10");
  sim::StatusOr<GetObjectResponse> all = Get("ten", "bytes=-50");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->http_status, 206);
  EXPECT_EQ(all->body, "0123456789");
  EXPECT_EQ(all->content_range, "bytes 0-9/10");
}

TEST_F(S3RangeTest, StartAtOrBeyondTheSizeIsInvalidRange) {
  for (const char* range : {"bytes=10-20", "bytes=10-", "bytes=11-11", "bytes=-0"}) {
    sim::StatusOr<GetObjectResponse> r = Get("ten", range);
    EXPECT_EQ(r.status().name(), "InvalidRange") << range;
    EXPECT_EQ(HttpStatusOf(r.status()), 416) << range;
  }
  EXPECT_EQ(model_.FindObject("bucket", "ten")->size(), 10u);  // nothing changed
}

TEST_F(S3RangeTest, AnyRangeOfAnEmptyObjectIsInvalidRange) {
  for (const char* range : {"bytes=0-", "bytes=0-0", "bytes=-1"}) {
    EXPECT_EQ(Get("empty", range).status().name(), "InvalidRange") << range;
  }
  sim::StatusOr<GetObjectResponse> whole = Get("empty", "");
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole->http_status, 200);
}

TEST_F(S3RangeTest, MalformedOrMultipleRangesAreIgnored) {
  for (const char* range : {"bytes=5-2", "bytes=0-1,4-5", "bytes=a-b", "bytes=", "bytes=-", "bytes=1", "items=0-1",
                            "Bytes=0-1", "bytes=0x1-2", "bytes= 0-1"}) {
    sim::StatusOr<GetObjectResponse> r = Get("ten", range);
    ASSERT_TRUE(r.ok()) << range;
    EXPECT_EQ(r->http_status, 200) << range;
    EXPECT_EQ(r->body, "0123456789") << range;
    EXPECT_EQ(r->content_range, "") << range;
  }
}

TEST_F(S3RangeTest, RangeOfAMissingKeyIsNoSuchKey) { EXPECT_EQ(Get("nope", "bytes=0-1").status().name(), "NoSuchKey"); }

TEST_F(S3RangeTest, RangesOfGeneratedBodiesGenerateOnlyTheRange) {
  auto source = std::make_shared<SeekableSource>(1000);
  ASSERT_TRUE(Put("gen", ObjectBody::FromSource(source)).ok());
  EXPECT_EQ(source->whole_generations, 1);  // the ETag's MD5 pass
  source->generated_bytes = 0;
  sim::StatusOr<GetObjectResponse> r = Get("gen", "bytes=500-509");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, "ghijklmnop");
  EXPECT_EQ(r->content_range, "bytes 500-509/1000");
  EXPECT_EQ(source->whole_generations, 1);  // no whole read for a range
  EXPECT_EQ(source->generated_bytes, 10u);
}

TEST(S3RangeParse, OnlyOneWellFormedByteRangeParses) {
  ASSERT_TRUE(ParseRangeHeader("bytes=0-0").has_value());
  EXPECT_EQ(ParseRangeHeader("bytes=3-7")->kind, ByteRangeSpec::Kind::kFromTo);
  EXPECT_EQ(ParseRangeHeader("bytes=3-")->kind, ByteRangeSpec::Kind::kFrom);
  EXPECT_EQ(ParseRangeHeader("bytes=-7")->suffix, 7u);
  EXPECT_FALSE(ParseRangeHeader("bytes=7-3").has_value());
  EXPECT_FALSE(ParseRangeHeader("bytes=1-2,3-4").has_value());
  EXPECT_FALSE(ParseRangeHeader("bytes=-").has_value());
  EXPECT_FALSE(ParseRangeHeader("").has_value());
}

TEST(S3RangeParse, CopySourceRangeMustBeFirstToLastInsideTheSource) {
  sim::StatusOr<ResolvedRange> ok = ParseCopySourceRange("bytes=2-5", 10);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->offset, 2u);
  EXPECT_EQ(ok->length, 4u);
  for (const char* bad : {"bytes=2-", "bytes=-5", "bytes=5-2", "bytes=0-10", "0-1"}) {
    sim::StatusOr<ResolvedRange> r = ParseCopySourceRange(bad, 10);
    EXPECT_EQ(r.status().name(), "InvalidArgument") << bad;
    EXPECT_EQ(HttpStatusOf(r.status()), 400) << bad;
  }
}

}  // namespace
}  // namespace emu::s3
