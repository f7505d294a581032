// Multipart upload on the model: ids, parts, completion rules and ETag,
// composite bodies, abort, ListParts, ListMultipartUploads, storage.

#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "emulators/common/aws_error.h"
#include "emulators/common/hashing.h"
#include "emulators/s3/s3_model.h"

namespace emu::s3 {
namespace {

sim::Time At(double seconds) { return sim::Time::Zero() + sim::SecondsF(seconds); }

// `size` bytes of one letter, generated in 64 KiB chunks; counts the bytes
// it generated.
class LetterSource : public BodySource {
 public:
  LetterSource(uint64_t size, char letter) : size_(size), letter_(letter) {}
  uint64_t size() const override { return size_; }
  void Generate(const std::function<void(std::string_view)>& sink) const override {
    const std::string chunk(64 << 10, letter_);
    for (uint64_t pos = 0; pos < size_; pos += chunk.size()) {
      const uint64_t n = std::min<uint64_t>(chunk.size(), size_ - pos);
      generated += n;
      sink(std::string_view(chunk).substr(0, n));
    }
  }
  std::string Describe() const override { return std::string("letter ") + letter_; }
  mutable uint64_t generated = 0;

 private:
  uint64_t size_;
  char letter_;
};

class S3MultipartTest : public ::testing::Test {
 protected:
  S3MultipartTest() : cost_(CostMeter::WithDefaultPrices()), model_(cost_) {
    EXPECT_TRUE(model_.CreateBucket({"bucket"}, At(0)).ok());
  }
  std::string Create(const std::string& key, double t = 0) {
    sim::StatusOr<CreateMultipartUploadResponse> r = model_.CreateMultipartUpload({"bucket", key}, At(t));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->upload_id : "";
  }
  std::string Part(const std::string& key, const std::string& id, int n, std::shared_ptr<const ObjectBody> body,
                   double t = 0) {
    sim::StatusOr<UploadPartResponse> r = model_.UploadPart({"bucket", key, id, n, std::move(body)}, At(t));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->etag : "";
  }
  static std::shared_ptr<const ObjectBody> Bytes(uint64_t n, char c) {
    return ObjectBody::FromBytes(std::string(n, c));
  }
  sim::StatusOr<CompleteMultipartUploadResponse> Complete(const std::string& key, const std::string& id,
                                                          std::vector<CompletedPart> parts, double t = 0) {
    return model_.CompleteMultipartUpload({"bucket", key, id, std::move(parts)}, At(t));
  }

  CostMeter cost_;
  S3Model model_;
};

TEST_F(S3MultipartTest, UploadIdsAreOpaqueDeterministicAndInInitiationOrder) {
  const std::string a = Create("k");
  const std::string b = Create("k");
  EXPECT_EQ(a.size(), 64u);
  EXPECT_NE(a, b);
  EXPECT_LT(a, b);
  EXPECT_EQ(a.substr(0, 8), "00000001");
  CostMeter cost = CostMeter::WithDefaultPrices();
  S3Model again(cost);
  ASSERT_TRUE(again.CreateBucket({"bucket"}, At(0)).ok());
  EXPECT_EQ(again.CreateMultipartUpload({"bucket", "k"}, At(0))->upload_id, a);  // same generator, same ids
  again.SetUploadIdRng(sim::Rng(99));
  EXPECT_NE(again.CreateMultipartUpload({"bucket", "k"}, At(0))->upload_id.substr(8), b.substr(8));
  EXPECT_EQ(model_.CreateMultipartUpload({"nope", "k"}, At(0)).status().name(), "NoSuchBucket");
}

TEST_F(S3MultipartTest, PartEtagIsTheQuotedMd5OfThePart) {
  const std::string id = Create("k");
  EXPECT_EQ(Part("k", id, 1, ObjectBody::FromBytes("hello")), "\"5d41402abc4b2a76b9719d911017c592\"");
}

TEST_F(S3MultipartTest, PartNumbersOutsideOneToTenThousandAreInvalidArgument) {
  const std::string id = Create("k");
  for (int n : {0, -1, 10001}) {
    sim::StatusOr<UploadPartResponse> r = model_.UploadPart({"bucket", "k", id, n, ObjectBody::FromBytes("x")}, At(0));
    EXPECT_EQ(r.status().name(), "InvalidArgument") << n;
    EXPECT_EQ(HttpStatusOf(r.status()), 400);
  }
  EXPECT_TRUE(model_.UploadPart({"bucket", "k", id, 10000, ObjectBody::FromBytes("x")}, At(0)).ok());
  EXPECT_EQ(model_.FindUpload("bucket", "k", id)->parts.size(), 1u);
}

TEST_F(S3MultipartTest, UploadPartToAnUnknownUploadIsNoSuchUpload) {
  const std::string id = Create("k");
  sim::StatusOr<UploadPartResponse> other_key =
      model_.UploadPart({"bucket", "other", id, 1, ObjectBody::FromBytes("x")}, At(0));
  EXPECT_EQ(other_key.status().name(), "NoSuchUpload");
  EXPECT_EQ(HttpStatusOf(other_key.status()), 404);
  EXPECT_EQ(model_.UploadPart({"bucket", "k", "bogus", 1, ObjectBody::FromBytes("x")}, At(0)).status().name(),
            "NoSuchUpload");
}

TEST_F(S3MultipartTest, CompleteEtagIsMd5OfTheBinaryPartMd5sDashN) {
  const std::string id = Create("k");
  const std::string e1 = Part("k", id, 1, Bytes(kMinPartBytes, 'a'));
  const std::string e2 = Part("k", id, 2, ObjectBody::FromBytes("tail"));
  sim::StatusOr<CompleteMultipartUploadResponse> r = Complete("k", id, {{1, e1}, {2, e2}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const Md5Digest d1 = Md5(std::string(kMinPartBytes, 'a'));
  const Md5Digest d2 = Md5("tail");
  std::string both(reinterpret_cast<const char*>(d1.data()), 16);
  both.append(reinterpret_cast<const char*>(d2.data()), 16);
  EXPECT_EQ(r->etag, "\"" + Md5Hex(both) + "-2\"");
  EXPECT_EQ(model_.FindObject("bucket", "k")->etag, r->etag);
  EXPECT_EQ(model_.FindObject("bucket", "k")->size(), kMinPartBytes + 4);
  EXPECT_EQ(model_.GetObject({"bucket", "k", "bytes=-6"})->body, "aatail");
  EXPECT_EQ(model_.FindUpload("bucket", "k", id), nullptr);
}

TEST_F(S3MultipartTest, CompletedBodySharesGeneratedPartsWithoutGeneratingThem) {
  auto a = std::make_shared<LetterSource>(kMinPartBytes, 'a');
  auto b = std::make_shared<LetterSource>(kMinPartBytes, 'b');
  auto c = std::make_shared<LetterSource>(1000, 'c');
  const std::string id = Create("k");
  const std::string e1 = Part("k", id, 1, ObjectBody::FromSource(a));
  const std::string e2 = Part("k", id, 2, ObjectBody::FromSource(b));
  const std::string e3 = Part("k", id, 3, ObjectBody::FromSource(c));
  EXPECT_EQ(a->generated, kMinPartBytes);  // the part ETag's MD5 pass, once
  ASSERT_TRUE(Complete("k", id, {{1, e1}, {2, e2}, {3, e3}}).ok());
  EXPECT_EQ(a->generated, kMinPartBytes);  // completion generates nothing
  EXPECT_EQ(b->generated, kMinPartBytes);
  const StoredObject* o = model_.FindObject("bucket", "k");
  ASSERT_TRUE(o->body->generated());
  // A range across parts 2 and 3 reads only those.
  sim::StatusOr<GetObjectResponse> r = model_.GetObject({"bucket", "k", "bytes=-1002"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->body, "bb" + std::string(1000, 'c'));
  EXPECT_EQ(r->content_range, "bytes " + std::to_string(2 * kMinPartBytes - 2) + "-" +
                                  std::to_string(2 * kMinPartBytes + 999) + "/" +
                                  std::to_string(2 * kMinPartBytes + 1000));
  EXPECT_EQ(a->generated, kMinPartBytes);
}

TEST_F(S3MultipartTest, PartsOutOfOrderAreInvalidPartOrderAndChangeNothing) {
  const std::string id = Create("k");
  const std::string e1 = Part("k", id, 1, Bytes(kMinPartBytes, 'a'));
  const std::string e2 = Part("k", id, 2, ObjectBody::FromBytes("b"));
  for (std::vector<CompletedPart> parts :
       {std::vector<CompletedPart>{{2, e2}, {1, e1}}, std::vector<CompletedPart>{{1, e1}, {1, e1}}}) {
    sim::StatusOr<CompleteMultipartUploadResponse> r = Complete("k", id, parts);
    EXPECT_EQ(r.status().name(), "InvalidPartOrder");
    EXPECT_EQ(HttpStatusOf(r.status()), 400);
  }
  EXPECT_EQ(model_.FindObject("bucket", "k"), nullptr);
  EXPECT_EQ(model_.FindUpload("bucket", "k", id)->parts.size(), 2u);
}

TEST_F(S3MultipartTest, MissingPartOrWrongEtagIsInvalidPart) {
  const std::string id = Create("k");
  const std::string e1 = Part("k", id, 1, Bytes(kMinPartBytes, 'a'));
  EXPECT_EQ(Complete("k", id, {{1, e1}, {2, e1}}).status().name(), "InvalidPart");
  EXPECT_EQ(Complete("k", id, {{1, "\"00000000000000000000000000000000\""}}).status().name(), "InvalidPart");
  EXPECT_EQ(model_.FindObject("bucket", "k"), nullptr);
  // The ETag may be given with or without its quotes.
  EXPECT_TRUE(Complete("k", id, {{1, e1.substr(1, 32)}}).ok());
}

TEST_F(S3MultipartTest, APartBelowFiveMebibytesBeforeTheLastIsEntityTooSmall) {
  const std::string id = Create("k");
  const std::string e1 = Part("k", id, 1, Bytes(kMinPartBytes - 1, 'a'));
  const std::string e2 = Part("k", id, 2, ObjectBody::FromBytes("b"));
  sim::StatusOr<CompleteMultipartUploadResponse> r = Complete("k", id, {{1, e1}, {2, e2}});
  EXPECT_EQ(r.status().name(), "EntityTooSmall");
  EXPECT_EQ(HttpStatusOf(r.status()), 400);
  EXPECT_EQ(model_.FindObject("bucket", "k"), nullptr);
  // A single small part is the last part: fine.
  EXPECT_TRUE(Complete("k", id, {{2, e2}}).ok());
  EXPECT_EQ(model_.GetObject({"bucket", "k"})->body, "b");
}

TEST_F(S3MultipartTest, CompletingAnUnknownFinishedOrAbortedUploadIsNoSuchUpload) {
  EXPECT_EQ(Complete("k", "bogus", {{1, "x"}}).status().name(), "NoSuchUpload");
  const std::string id = Create("k");
  const std::string e1 = Part("k", id, 1, ObjectBody::FromBytes("x"));
  EXPECT_EQ(Complete("k", id, {}).status().name(), "MalformedXML");
  ASSERT_TRUE(Complete("k", id, {{1, e1}}).ok());
  EXPECT_EQ(Complete("k", id, {{1, e1}}).status().name(), "NoSuchUpload");
  const std::string aborted = Create("k");
  ASSERT_TRUE(model_.AbortMultipartUpload({"bucket", "k", aborted}, At(0)).ok());
  EXPECT_EQ(Complete("k", aborted, {{1, e1}}).status().name(), "NoSuchUpload");
  sim::Status again = model_.AbortMultipartUpload({"bucket", "k", aborted}, At(0));
  EXPECT_EQ(again.name(), "NoSuchUpload");
  EXPECT_EQ(HttpStatusOf(again), 404);
}

TEST_F(S3MultipartTest, CompleteKeepsListedPartsOnlyAndTheInitiationTimeAndMetadata) {
  CreateMultipartUploadRequest create{"bucket", "k", "text/csv", {{"Origin", "test"}}};
  sim::StatusOr<CreateMultipartUploadResponse> up = model_.CreateMultipartUpload(create, At(3));
  ASSERT_TRUE(up.ok());
  const std::string e1 = Part("k", up->upload_id, 1, Bytes(kMinPartBytes, 'a'), 4);
  Part("k", up->upload_id, 2, ObjectBody::FromBytes("unused"), 5);
  const std::string e3 = Part("k", up->upload_id, 3, ObjectBody::FromBytes("end"), 6);
  EXPECT_EQ(model_.Usage("bucket").part_bytes, kMinPartBytes + 9);
  ASSERT_TRUE(Complete("k", up->upload_id, {{1, e1}, {3, e3}}, 10).ok());
  const StoredObject* o = model_.FindObject("bucket", "k");
  EXPECT_EQ(o->size(), kMinPartBytes + 3);
  EXPECT_EQ(o->last_modified_unix_nanos, Env::kDefaultEpochUnixNanos + 3'000'000'000);
  EXPECT_EQ(o->content_type, "text/csv");
  EXPECT_EQ(o->metadata.at("origin"), "test");
  EXPECT_EQ(model_.Usage("bucket").part_bytes, 0u);
  EXPECT_EQ(model_.Usage("bucket").parts, 0u);
  EXPECT_EQ(model_.Usage("bucket").bytes, kMinPartBytes + 3);
}

TEST_F(S3MultipartTest, PartsAreStoredAndBilledUntilAbort) {
  const std::string id = Create("k");
  Part("k", id, 1, Bytes(1000, 'a'), 0);
  Part("k", id, 2, Bytes(500, 'b'), 10);
  Part("k", id, 1, Bytes(100, 'c'), 20);  // replaces part 1
  EXPECT_EQ(model_.Usage("bucket").part_bytes, 600u);
  EXPECT_EQ(model_.Usage("bucket").parts, 2u);
  EXPECT_EQ(model_.Usage("bucket").objects, 0u);
  ASSERT_TRUE(model_.AbortMultipartUpload({"bucket", "k", id}, At(30)).ok());
  EXPECT_EQ(model_.TotalUsage().part_bytes, 0u);
  EXPECT_EQ(model_.TotalUsage().parts, 0u);
  // 1000 B for 10 s, 1500 B for 10 s, 600 B for 10 s.
  EXPECT_EQ(model_.StorageByteSeconds("bucket", At(40)), 31'000.0);
  EXPECT_EQ(model_.FindUpload("bucket", "k", id), nullptr);
}

TEST_F(S3MultipartTest, UploadPartCopySharesTheSourceOrARangeOfIt) {
  ASSERT_TRUE(model_.PutObject({"bucket", "src", ObjectBody::FromBytes("0123456789")}, At(0)).ok());
  const std::string id = Create("k");
  sim::StatusOr<UploadPartCopyResponse> whole =
      model_.UploadPartCopy({"bucket", "src", "", "bucket", "k", id, 1}, At(1));
  ASSERT_TRUE(whole.ok());
  EXPECT_EQ(whole->etag, "\"781e5e245d69b566979b86e28d23f2c7\"");
  EXPECT_EQ(model_.FindUpload("bucket", "k", id)->parts.at(1).body, model_.FindObject("bucket", "src")->body);
  sim::StatusOr<UploadPartCopyResponse> part =
      model_.UploadPartCopy({"bucket", "src", "bytes=2-4", "bucket", "k", id, 2}, At(1));
  ASSERT_TRUE(part.ok());
  EXPECT_EQ(part->etag, "\"" + Md5Hex("234") + "\"");
  sim::StatusOr<UploadPartCopyResponse> bad =
      model_.UploadPartCopy({"bucket", "src", "bytes=5-10", "bucket", "k", id, 3}, At(1));
  EXPECT_EQ(bad.status().name(), "InvalidArgument");
  EXPECT_EQ(model_.UploadPartCopy({"bucket", "nope", "", "bucket", "k", id, 3}, At(1)).status().name(), "NoSuchKey");
  EXPECT_EQ(model_.FindUpload("bucket", "k", id)->parts.size(), 2u);
}

TEST_F(S3MultipartTest, ListPartsPagesAfterThePartNumberMarker) {
  const std::string id = Create("k");
  for (int n : {1, 2, 5, 7}) Part("k", id, n, ObjectBody::FromBytes(std::string(n, 'x')), n);
  sim::StatusOr<ListPartsResponse> p1 = model_.ListParts({"bucket", "k", id, 2, 0});
  ASSERT_TRUE(p1.ok());
  ASSERT_EQ(p1->parts.size(), 2u);
  EXPECT_EQ(p1->parts[0].part_number, 1);
  EXPECT_EQ(p1->parts[1].part_number, 2);
  EXPECT_EQ(p1->parts[1].size, 2u);
  EXPECT_EQ(p1->parts[1].etag, "\"" + Md5Hex("xx") + "\"");
  EXPECT_EQ(p1->parts[1].last_modified_unix_nanos, Env::kDefaultEpochUnixNanos + 2'000'000'000);
  EXPECT_TRUE(p1->is_truncated);
  EXPECT_EQ(p1->next_part_number_marker, 2);
  sim::StatusOr<ListPartsResponse> p2 = model_.ListParts({"bucket", "k", id, 2, p1->next_part_number_marker});
  ASSERT_EQ(p2->parts.size(), 2u);
  EXPECT_EQ(p2->parts[0].part_number, 5);
  EXPECT_EQ(p2->parts[1].part_number, 7);
  EXPECT_FALSE(p2->is_truncated);
  EXPECT_EQ(p2->part_number_marker, 2);
  EXPECT_EQ(model_.ListParts({"bucket", "k", "bogus"}).status().name(), "NoSuchUpload");
  EXPECT_EQ(model_.ListParts({"bucket", "k", id, 5000})->max_parts, 1000);
}

TEST_F(S3MultipartTest, ListMultipartUploadsOrdersByKeyThenInitiationAndPagesWithMarkers) {
  const std::string b1 = Create("b", 1);
  const std::string a1 = Create("a", 2);
  const std::string b2 = Create("b", 3);
  const std::string c1 = Create("c", 4);
  const std::string x1 = Create("logs/x", 5);
  sim::StatusOr<ListMultipartUploadsResponse> all = model_.ListMultipartUploads({"bucket"});
  ASSERT_TRUE(all.ok());
  std::vector<std::string> ids;
  for (const MultipartUploadInfo& u : all->uploads) ids.push_back(u.upload_id);
  EXPECT_EQ(ids, (std::vector<std::string>{a1, b1, b2, c1, x1}));
  EXPECT_EQ(all->uploads[1].key, "b");
  EXPECT_EQ(all->uploads[1].initiated_unix_nanos, Env::kDefaultEpochUnixNanos + 1'000'000'000);
  // Pages of two with both markers.
  ListMultipartUploadsRequest r{"bucket", "", "", "", 2};
  sim::StatusOr<ListMultipartUploadsResponse> p1 = model_.ListMultipartUploads(r);
  EXPECT_TRUE(p1->is_truncated);
  EXPECT_EQ(p1->next_key_marker, "b");
  EXPECT_EQ(p1->next_upload_id_marker, b1);
  r.key_marker = p1->next_key_marker;
  r.upload_id_marker = p1->next_upload_id_marker;
  sim::StatusOr<ListMultipartUploadsResponse> p2 = model_.ListMultipartUploads(r);
  ASSERT_EQ(p2->uploads.size(), 2u);
  EXPECT_EQ(p2->uploads[0].upload_id, b2);
  EXPECT_EQ(p2->uploads[1].upload_id, c1);
  // A key marker alone skips every upload of that key.
  r.upload_id_marker.clear();
  sim::StatusOr<ListMultipartUploadsResponse> after_b = model_.ListMultipartUploads(r);
  ASSERT_EQ(after_b->uploads.size(), 2u);
  EXPECT_EQ(after_b->uploads[0].upload_id, c1);
  EXPECT_FALSE(after_b->is_truncated);
  // An upload id marker without a key marker is ignored.
  sim::StatusOr<ListMultipartUploadsResponse> ignored = model_.ListMultipartUploads({"bucket", "", "", b2, 1000});
  EXPECT_EQ(ignored->uploads.size(), 5u);
  // Prefix.
  sim::StatusOr<ListMultipartUploadsResponse> logs = model_.ListMultipartUploads({"bucket", "logs/"});
  ASSERT_EQ(logs->uploads.size(), 1u);
  EXPECT_EQ(logs->uploads[0].upload_id, x1);
  EXPECT_EQ(model_.ListMultipartUploads({"nope"}).status().name(), "NoSuchBucket");
}

}  // namespace
}  // namespace emu::s3
