// Bucket operations (HeadBucket, DeleteBucket, ListBuckets), DeleteObjects
// and keys with spaces, unicode, '=' and '/' through every operation.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "emulators/common/aws_error.h"
#include "emulators/s3/s3_model.h"

namespace emu::s3 {
namespace {

sim::Time At(double seconds) { return sim::Time::Zero() + sim::SecondsF(seconds); }

class S3BucketTest : public ::testing::Test {
 protected:
  S3BucketTest() : cost_(CostMeter::WithDefaultPrices()), model_(cost_) {
    EXPECT_TRUE(model_.CreateBucket({"bucket"}, At(0)).ok());
  }
  void Put(const std::string& key, const std::string& bytes, double t = 0) {
    ASSERT_TRUE(model_.PutObject({"bucket", key, ObjectBody::FromBytes(bytes)}, At(t)).ok()) << key;
  }
  std::vector<std::string> Keys() { return model_.KeysWithPrefix("bucket", ""); }

  CostMeter cost_;
  S3Model model_;
};

TEST_F(S3BucketTest, HeadBucketSucceedsOnlyForAnExistingBucket) {
  EXPECT_TRUE(model_.HeadBucket({"bucket"}).ok());
  sim::Status missing = model_.HeadBucket({"other"});
  EXPECT_EQ(missing.name(), "NoSuchBucket");
  EXPECT_EQ(HttpStatusOf(missing), 404);
}

TEST_F(S3BucketTest, DeleteBucketWithObjectsIsBucketNotEmptyAndChangesNothing) {
  Put("k", "abc");
  sim::Status s = model_.DeleteBucket({"bucket"}, At(5));
  EXPECT_EQ(s.name(), "BucketNotEmpty");
  EXPECT_EQ(HttpStatusOf(s), 409);
  EXPECT_TRUE(model_.BucketExists("bucket"));
  EXPECT_EQ(model_.Usage("bucket").bytes, 3u);
  EXPECT_EQ(Keys(), std::vector<std::string>{"k"});
}

TEST_F(S3BucketTest, DeleteBucketOfAnEmptiedBucketRemovesIt) {
  Put("k", "abc");
  ASSERT_TRUE(model_.DeleteObject({"bucket", "k"}, At(1)).ok());
  ASSERT_TRUE(model_.DeleteBucket({"bucket"}, At(2)).ok());
  EXPECT_FALSE(model_.BucketExists("bucket"));
  EXPECT_EQ(model_.HeadBucket({"bucket"}).name(), "NoSuchBucket");
  EXPECT_EQ(model_.DeleteBucket({"bucket"}, At(3)).name(), "NoSuchBucket");
  // The name can be used again.
  EXPECT_TRUE(model_.CreateBucket({"bucket"}, At(4)).ok());
}

TEST_F(S3BucketTest, DeleteBucketDiscardsMultipartUploadsInProgress) {
  sim::StatusOr<CreateMultipartUploadResponse> up = model_.CreateMultipartUpload({"bucket", "big"}, At(0));
  ASSERT_TRUE(up.ok());
  ASSERT_TRUE(model_.UploadPart({"bucket", "big", up->upload_id, 1, ObjectBody::FromBytes("part")}, At(0)).ok());
  EXPECT_EQ(model_.TotalUsage().part_bytes, 4u);
  ASSERT_TRUE(model_.DeleteBucket({"bucket"}, At(10)).ok());
  EXPECT_EQ(model_.TotalUsage().part_bytes, 0u);
  EXPECT_EQ(model_.TotalUsage().parts, 0u);
  EXPECT_EQ(model_.FindUpload("bucket", "big", up->upload_id), nullptr);
  // The 4 bytes were stored (and billed) for 10 s.
  EXPECT_EQ(model_.TotalStorageByteSeconds(), 40.0);
}

TEST_F(S3BucketTest, ListBucketsIsInNameOrderWithCreationDates) {
  ASSERT_TRUE(model_.CreateBucket({"zeta"}, At(2)).ok());
  ASSERT_TRUE(model_.CreateBucket({"alpha"}, At(1.5)).ok());
  ListBucketsResponse r = model_.ListBuckets();
  ASSERT_EQ(r.buckets.size(), 3u);
  EXPECT_EQ(r.buckets[0].name, "alpha");
  EXPECT_EQ(r.buckets[1].name, "bucket");
  EXPECT_EQ(r.buckets[2].name, "zeta");
  EXPECT_EQ(r.buckets[0].creation_date_unix_nanos, Env::kDefaultEpochUnixNanos + 1'500'000'000);
  EXPECT_EQ(r.buckets[1].creation_date_unix_nanos, Env::kDefaultEpochUnixNanos);
  EXPECT_EQ(r.buckets[2].creation_date_unix_nanos, Env::kDefaultEpochUnixNanos + 2'000'000'000);
  EXPECT_EQ(r.owner.id, OwnerOfAccount("000000000000").id);
  EXPECT_EQ(r.owner.id.size(), 64u);
}

TEST_F(S3BucketTest, DeleteObjectsRemovesKeysAndReportsMissingOnesAsDeleted) {
  Put("a", "1");
  Put("b", "22");
  Put("c", "333");
  std::vector<RemovedKey> removed;
  sim::StatusOr<DeleteObjectsResponse> r = model_.DeleteObjects({"bucket", {"a", "missing", "c"}}, At(1), &removed);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->deleted.size(), 3u);
  EXPECT_EQ(r->deleted[0].key, "a");
  EXPECT_EQ(r->deleted[1].key, "missing");
  EXPECT_EQ(r->deleted[2].key, "c");
  EXPECT_TRUE(r->errors.empty());
  EXPECT_EQ(Keys(), std::vector<std::string>{"b"});
  EXPECT_EQ(model_.Usage("bucket").bytes, 2u);
  EXPECT_EQ(model_.Usage("bucket").objects, 1u);
  ASSERT_EQ(removed.size(), 2u);  // only the keys that existed
  EXPECT_EQ(removed[0].key, "a");
  EXPECT_EQ(removed[0].sequencer, 4u);  // after three PUTs
  EXPECT_EQ(removed[1].key, "c");
  EXPECT_EQ(removed[1].sequencer, 5u);
}

TEST_F(S3BucketTest, DeleteObjectsQuietReturnsOnlyErrors) {
  Put("a", "1");
  sim::StatusOr<DeleteObjectsResponse> r =
      model_.DeleteObjects({"bucket", {"a", "", std::string(1025, 'k')}, /*quiet=*/true}, At(1));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->deleted.empty());
  ASSERT_EQ(r->errors.size(), 2u);
  EXPECT_EQ(r->errors[0].key, "");
  EXPECT_EQ(r->errors[0].code, "InvalidArgument");
  EXPECT_EQ(r->errors[1].code, "KeyTooLongError");
  EXPECT_TRUE(Keys().empty());
}

TEST_F(S3BucketTest, DeleteObjectsReportsPerKeyErrorsAndDeletesTheRest) {
  Put("a", "1");
  sim::StatusOr<DeleteObjectsResponse> r = model_.DeleteObjects({"bucket", {std::string(1025, 'k'), "a"}}, At(1));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->deleted.size(), 1u);
  EXPECT_EQ(r->deleted[0].key, "a");
  ASSERT_EQ(r->errors.size(), 1u);
  EXPECT_EQ(r->errors[0].code, "KeyTooLongError");
  EXPECT_TRUE(Keys().empty());
}

TEST_F(S3BucketTest, DeleteObjectsWithNoKeysOrOverOneThousandIsMalformedXmlAndDeletesNothing) {
  Put("k0", "x");
  std::vector<std::string> keys;
  for (int i = 0; i < 1001; ++i) keys.push_back("k" + std::to_string(i));
  sim::StatusOr<DeleteObjectsResponse> over = model_.DeleteObjects({"bucket", keys}, At(1));
  EXPECT_EQ(over.status().name(), "MalformedXML");
  EXPECT_EQ(HttpStatusOf(over.status()), 400);
  EXPECT_EQ(model_.DeleteObjects({"bucket", {}}, At(1)).status().name(), "MalformedXML");
  EXPECT_EQ(Keys(), std::vector<std::string>{"k0"});
  keys.pop_back();  // exactly 1,000 is fine
  sim::StatusOr<DeleteObjectsResponse> ok = model_.DeleteObjects({"bucket", keys}, At(1));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->deleted.size(), 1000u);
  EXPECT_TRUE(Keys().empty());
  EXPECT_EQ(model_.DeleteObjects({"nope", {"a"}}, At(1)).status().name(), "NoSuchBucket");
}

TEST_F(S3BucketTest, KeysWithSpacesUnicodeEqualsAndSlashesRoundTripInEveryOperation) {
  const std::vector<std::string> keys = {"dir one/a b.txt", "dt=2026-01-01/hr=00/x", "日本語/ファイル 1",
                                         "emoji/\xF0\x9F\x98\x80=ok", "plus+sign/%25"};
  for (const std::string& key : keys) {
    Put(key, "body of " + key, 1);
    sim::StatusOr<GetObjectResponse> got = model_.GetObject({"bucket", key});
    ASSERT_TRUE(got.ok()) << key;
    EXPECT_EQ(got->info.key, key);
    EXPECT_EQ(got->body, "body of " + key);
    sim::StatusOr<ObjectInfo> head = model_.HeadObject({"bucket", key});
    ASSERT_TRUE(head.ok());
    EXPECT_EQ(head->key, key);
    CopyObjectRequest copy;
    copy.source_bucket = "bucket";
    copy.source_key = key;
    copy.bucket = "bucket";
    copy.key = "copy/" + key;
    ASSERT_TRUE(model_.CopyObject(copy, At(1)).ok()) << key;
    EXPECT_EQ(model_.GetObject({"bucket", "copy/" + key})->body, "body of " + key);
    // Multipart: one part, completed.
    sim::StatusOr<CreateMultipartUploadResponse> up = model_.CreateMultipartUpload({"bucket", "mp/" + key}, At(1));
    ASSERT_TRUE(up.ok());
    EXPECT_EQ(up->key, "mp/" + key);
    sim::StatusOr<UploadPartResponse> part =
        model_.UploadPart({"bucket", "mp/" + key, up->upload_id, 1, ObjectBody::FromBytes(key)}, At(1));
    ASSERT_TRUE(part.ok());
    ASSERT_TRUE(model_.CompleteMultipartUpload({"bucket", "mp/" + key, up->upload_id, {{1, part->etag}}}, At(1)).ok());
    EXPECT_EQ(model_.GetObject({"bucket", "mp/" + key})->body, key);
  }
  // Listing returns the raw keys (no encoding asked for).
  ListObjectsV2Request list;
  list.bucket = "bucket";
  list.prefix = "copy/";
  sim::StatusOr<ListObjectsV2Response> listed = model_.ListObjectsV2(list);
  ASSERT_TRUE(listed.ok());
  std::vector<std::string> got;
  for (const ObjectInfo& o : listed->contents) got.push_back(o.key.substr(5));
  std::vector<std::string> sorted = keys;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(got, sorted);
  // DeleteObjects removes them all by their raw names.
  std::vector<std::string> all = Keys();
  sim::StatusOr<DeleteObjectsResponse> deleted = model_.DeleteObjects({"bucket", all}, At(2));
  ASSERT_TRUE(deleted.ok());
  EXPECT_EQ(deleted->deleted.size(), keys.size() * 3);
  EXPECT_TRUE(Keys().empty());
}

}  // namespace
}  // namespace emu::s3
