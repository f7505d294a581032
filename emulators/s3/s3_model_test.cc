#include "emulators/s3/s3_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <set>

#include "emulators/common/aws_error.h"
#include "emulators/s3/s3_errors.h"

namespace emu::s3 {
namespace {

sim::Time At(double seconds) { return sim::Time::Zero() + sim::SecondsF(seconds); }

class S3ModelTest : public ::testing::Test {
 protected:
  S3ModelTest() : cost_(CostMeter::WithDefaultPrices()), model_(cost_) {
    EXPECT_TRUE(model_.CreateBucket({"bucket"}, At(0)).ok());
  }

  sim::StatusOr<PutObjectResponse> Put(const std::string& key, const std::string& bytes, double t = 0,
                                       std::map<std::string, std::string> metadata = {}) {
    PutObjectRequest r;
    r.bucket = "bucket";
    r.key = key;
    r.body = ObjectBody::FromBytes(bytes);
    r.metadata = std::move(metadata);
    return model_.PutObject(r, At(t));
  }

  CostMeter cost_;
  S3Model model_;
};

std::string_view ErrorName(const sim::Status& s) { return s.name(); }

// A large generated body that must never be generated.
class HugeSource : public BodySource {
 public:
  explicit HugeSource(uint64_t size) : size_(size) {}
  uint64_t size() const override { return size_; }
  void Generate(const std::function<void(std::string_view)>&) const override { ++generate_calls; }
  std::string Describe() const override { return "huge"; }
  mutable int generate_calls = 0;

 private:
  uint64_t size_;
};

TEST(S3BucketNames, ValidNamesAreAccepted) {
  for (const char* name : {"abc", "my.bucket-1", "1bucket", "a-b.c-d", "0123456789", "xn-a", "bucket.s3alias"}) {
    EXPECT_TRUE(S3Model::ValidateBucketName(name).ok()) << name;
  }
  EXPECT_TRUE(S3Model::ValidateBucketName(std::string(63, 'a')).ok());
}

TEST(S3BucketNames, EachBrokenRuleIsInvalidBucketName) {
  const std::vector<std::string> invalid = {
      "ab",                  // too short
      std::string(64, 'a'),  // too long
      "MyBucket",            // upper case
      "my_bucket",           // underscore
      "-bucket",             // starts with '-'
      "bucket-",             // ends with '-'
      ".bucket",             // starts with '.'
      "my..bucket",          // adjacent periods
      "192.168.5.4",         // IP address
      "xn--bucket",          // reserved prefix
      "sthree-bucket",       // reserved prefix
      "bucket-s3alias",      // reserved suffix
      "bucket--ol-s3",       // reserved suffix
  };
  CostMeter cost = CostMeter::WithDefaultPrices();
  S3Model model(cost);
  for (const std::string& name : invalid) {
    sim::Status s = model.CreateBucket({name}, At(0));
    EXPECT_EQ(ErrorName(s), "InvalidBucketName") << name;
    EXPECT_EQ(HttpStatusOf(s), 400) << name;
    EXPECT_FALSE(model.BucketExists(name)) << name;
  }
  EXPECT_TRUE(model.BucketNames().empty());
}

TEST_F(S3ModelTest, CreatingYourOwnBucketAgainIsBucketAlreadyOwnedByYou) {
  sim::Status s = model_.CreateBucket({"bucket"}, At(1));
  EXPECT_EQ(ErrorName(s), "BucketAlreadyOwnedByYou");
  EXPECT_EQ(HttpStatusOf(s), 409);
  EXPECT_EQ(model_.BucketNames(), std::vector<std::string>{"bucket"});
}

TEST_F(S3ModelTest, PutThenGetReturnsBytesMetadataAndLastModified) {
  PutObjectRequest r;
  r.bucket = "bucket";
  r.key = "logs/a.json";
  r.body = ObjectBody::FromBytes("hello");
  r.content_type = "application/json";
  r.metadata = {{"Source-Host", "h1"}, {"records", "3"}};
  sim::StatusOr<PutObjectResponse> put = model_.PutObject(r, At(7.5));
  ASSERT_TRUE(put.ok());
  EXPECT_EQ(put->etag, "\"5d41402abc4b2a76b9719d911017c592\"");

  sim::StatusOr<GetObjectResponse> get = model_.GetObject({"bucket", "logs/a.json"});
  ASSERT_TRUE(get.ok());
  EXPECT_EQ(get->body, "hello");
  EXPECT_EQ(get->info.key, "logs/a.json");
  EXPECT_EQ(get->info.size, 5u);
  EXPECT_EQ(get->info.etag, "\"5d41402abc4b2a76b9719d911017c592\"");
  EXPECT_EQ(get->info.content_type, "application/json");
  const std::map<std::string, std::string> lowered = {{"records", "3"}, {"source-host", "h1"}};
  EXPECT_EQ(get->info.metadata, lowered);
  EXPECT_EQ(get->info.last_modified_unix_nanos, Env::kDefaultEpochUnixNanos + 7'500'000'000);
}

TEST_F(S3ModelTest, PutOverwritesTheKeyAndReadsSeeTheNewVersion) {
  ASSERT_TRUE(Put("k", "first", 1).ok());
  ASSERT_TRUE(Put("k", "second!", 2).ok());
  sim::StatusOr<GetObjectResponse> get = model_.GetObject({"bucket", "k"});
  ASSERT_TRUE(get.ok());
  EXPECT_EQ(get->body, "second!");
  EXPECT_EQ(get->info.last_modified_unix_nanos, Env::kDefaultEpochUnixNanos + 2'000'000'000);
  EXPECT_EQ(model_.Usage("bucket").objects, 1u);
  EXPECT_EQ(model_.Usage("bucket").bytes, 7u);
}

TEST_F(S3ModelTest, PutToAMissingBucketIsNoSuchBucket) {
  PutObjectRequest r{"nope", "k", ObjectBody::FromBytes("x")};
  sim::StatusOr<PutObjectResponse> put = model_.PutObject(r, At(0));
  EXPECT_EQ(ErrorName(put.status()), "NoSuchBucket");
  EXPECT_EQ(HttpStatusOf(put.status()), 404);
}

TEST_F(S3ModelTest, KeysAboveOneKibibyteAreKeyTooLongError) {
  EXPECT_TRUE(Put(std::string(1024, 'k'), "x").ok());
  sim::StatusOr<PutObjectResponse> put = Put(std::string(1025, 'k'), "x");
  EXPECT_EQ(ErrorName(put.status()), "KeyTooLongError");
  EXPECT_EQ(HttpStatusOf(put.status()), 400);
  EXPECT_EQ(model_.Usage("bucket").objects, 1u);
}

TEST_F(S3ModelTest, SinglePutAboveFiveGibibytesIsEntityTooLargeWithoutGenerating) {
  auto huge = std::make_shared<HugeSource>((5ull << 30) + 1);
  PutObjectRequest r{"bucket", "big", ObjectBody::FromSource(huge)};
  sim::StatusOr<PutObjectResponse> put = model_.PutObject(r, At(0));
  EXPECT_EQ(ErrorName(put.status()), "EntityTooLarge");
  EXPECT_EQ(huge->generate_calls, 0);
  EXPECT_EQ(model_.FindObject("bucket", "big"), nullptr);
}

TEST_F(S3ModelTest, UserMetadataAboveTwoKilobytesIsMetadataTooLarge) {
  EXPECT_TRUE(Put("ok", "x", 0, {{"k", std::string(2047, 'v')}}).ok());
  sim::StatusOr<PutObjectResponse> put = Put("big", "x", 0, {{"k", std::string(2048, 'v')}});
  EXPECT_EQ(ErrorName(put.status()), "MetadataTooLarge");
  EXPECT_EQ(model_.FindObject("bucket", "big"), nullptr);
}

TEST_F(S3ModelTest, FailedOverwriteLeavesTheOldObjectAndUsage) {
  ASSERT_TRUE(Put("k", "old", 1).ok());
  const uint64_t sequencer = model_.FindObject("bucket", "k")->sequencer;
  sim::StatusOr<PutObjectResponse> put = Put("k", "new", 2, {{"k", std::string(3000, 'v')}});
  EXPECT_EQ(ErrorName(put.status()), "MetadataTooLarge");
  const StoredObject* o = model_.FindObject("bucket", "k");
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->body->Read(), "old");
  EXPECT_EQ(o->sequencer, sequencer);
  EXPECT_EQ(model_.last_sequencer(), sequencer);
  EXPECT_EQ(model_.Usage("bucket").bytes, 3u);
}

TEST_F(S3ModelTest, HeadObjectReturnsInfoAndMissingKeyIsNoSuchKey) {
  ASSERT_TRUE(Put("k", "hello", 3).ok());
  sim::StatusOr<ObjectInfo> head = model_.HeadObject({"bucket", "k"});
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->size, 5u);
  EXPECT_EQ(head->etag, "\"5d41402abc4b2a76b9719d911017c592\"");
  EXPECT_EQ(head->content_type, "binary/octet-stream");
  sim::StatusOr<ObjectInfo> missing = model_.HeadObject({"bucket", "nope"});
  EXPECT_EQ(ErrorName(missing.status()), "NoSuchKey");
  EXPECT_EQ(HttpStatusOf(missing.status()), 404);
  EXPECT_EQ(ErrorName(model_.GetObject({"bucket", "nope"}).status()), "NoSuchKey");
}

TEST_F(S3ModelTest, DeletingAMissingKeySucceeds) {
  EXPECT_TRUE(model_.DeleteObject({"bucket", "never-there"}, At(1)).ok());
  EXPECT_EQ(model_.last_sequencer(), 0u);
  EXPECT_EQ(ErrorName(model_.DeleteObject({"nope", "k"}, At(1))), "NoSuchBucket");
}

TEST_F(S3ModelTest, DeleteRemovesTheObject) {
  ASSERT_TRUE(Put("k", "hello", 1).ok());
  EXPECT_TRUE(model_.DeleteObject({"bucket", "k"}, At(2)).ok());
  EXPECT_EQ(model_.FindObject("bucket", "k"), nullptr);
  EXPECT_EQ(model_.Usage("bucket").objects, 0u);
  EXPECT_EQ(model_.Usage("bucket").bytes, 0u);
  EXPECT_EQ(model_.last_sequencer(), 2u);
}

TEST_F(S3ModelTest, CopyWithCopyDirectiveKeepsMetadataAndSharesTheBody) {
  PutObjectRequest r{"bucket", "src", ObjectBody::FromBytes("hello"), "text/plain", {{"a", "1"}}};
  ASSERT_TRUE(model_.PutObject(r, At(1)).ok());
  ASSERT_TRUE(model_.CreateBucket({"other"}, At(1)).ok());
  CopyObjectRequest c;
  c.source_bucket = "bucket";
  c.source_key = "src";
  c.bucket = "other";
  c.key = "dst";
  c.metadata = {{"ignored", "x"}};
  sim::StatusOr<CopyObjectResponse> copy = model_.CopyObject(c, At(4));
  ASSERT_TRUE(copy.ok());
  EXPECT_EQ(copy->etag, "\"5d41402abc4b2a76b9719d911017c592\"");
  EXPECT_EQ(copy->last_modified_unix_nanos, Env::kDefaultEpochUnixNanos + 4'000'000'000);
  const StoredObject* src = model_.FindObject("bucket", "src");
  const StoredObject* dst = model_.FindObject("other", "dst");
  ASSERT_NE(dst, nullptr);
  EXPECT_EQ(dst->body.get(), src->body.get());  // shared, not copied
  EXPECT_EQ(dst->content_type, "text/plain");
  EXPECT_EQ(dst->metadata, (std::map<std::string, std::string>{{"a", "1"}}));
  EXPECT_EQ(model_.Usage("other").bytes, 5u);
}

TEST_F(S3ModelTest, CopyWithReplaceDirectiveTakesTheRequestMetadata) {
  PutObjectRequest r{"bucket", "src", ObjectBody::FromBytes("hello"), "text/plain", {{"a", "1"}}};
  ASSERT_TRUE(model_.PutObject(r, At(1)).ok());
  CopyObjectRequest c{"bucket", "src", "bucket", "dst", MetadataDirective::kReplace, {{"B", "2"}}, "application/json"};
  ASSERT_TRUE(model_.CopyObject(c, At(2)).ok());
  const StoredObject* dst = model_.FindObject("bucket", "dst");
  ASSERT_NE(dst, nullptr);
  EXPECT_EQ(dst->content_type, "application/json");
  EXPECT_EQ(dst->metadata, (std::map<std::string, std::string>{{"b", "2"}}));
  EXPECT_EQ(dst->etag, "\"5d41402abc4b2a76b9719d911017c592\"");
}

TEST_F(S3ModelTest, CopyOntoItselfNeedsReplace) {
  ASSERT_TRUE(Put("k", "hello", 1).ok());
  CopyObjectRequest same{"bucket", "k", "bucket", "k"};
  sim::StatusOr<CopyObjectResponse> copy = model_.CopyObject(same, At(2));
  EXPECT_EQ(ErrorName(copy.status()), "InvalidRequest");
  EXPECT_EQ(model_.FindObject("bucket", "k")->last_modified_unix_nanos, Env::kDefaultEpochUnixNanos + 1'000'000'000);
  same.metadata_directive = MetadataDirective::kReplace;
  same.metadata = {{"x", "y"}};
  EXPECT_TRUE(model_.CopyObject(same, At(2)).ok());
  EXPECT_EQ(model_.FindObject("bucket", "k")->metadata.at("x"), "y");
  EXPECT_EQ(model_.Usage("bucket").bytes, 5u);
  EXPECT_EQ(model_.Usage("bucket").objects, 1u);
}

TEST_F(S3ModelTest, CopyOfAMissingSourceIsNoSuchKey) {
  CopyObjectRequest c{"bucket", "nope", "bucket", "dst"};
  EXPECT_EQ(ErrorName(model_.CopyObject(c, At(1)).status()), "NoSuchKey");
  c.source_bucket = "nobucket";
  EXPECT_EQ(ErrorName(model_.CopyObject(c, At(1)).status()), "NoSuchBucket");
  EXPECT_EQ(model_.FindObject("bucket", "dst"), nullptr);
}

TEST_F(S3ModelTest, ListObjectsV2PagesVisitEveryKeyOnceInBinaryOrder) {
  // Insert 2,500 keys in a scrambled order.
  std::vector<std::string> keys;
  for (int i = 0; i < 2500; ++i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "logs/%04d.json", (i * 7919) % 2500);
    keys.push_back(buf);
    ASSERT_TRUE(Put(buf, "x").ok());
  }
  ASSERT_TRUE(Put("other/k", "x").ok());  // outside the prefix
  std::sort(keys.begin(), keys.end());

  std::vector<std::string> seen;
  std::vector<int> key_counts;
  std::vector<bool> truncated;
  ListObjectsV2Request req{"bucket", "logs/", 1000, ""};
  while (true) {
    sim::StatusOr<ListObjectsV2Response> page = model_.ListObjectsV2(req);
    ASSERT_TRUE(page.ok());
    for (const ObjectInfo& o : page->contents) seen.push_back(o.key);
    key_counts.push_back(page->key_count);
    truncated.push_back(page->is_truncated);
    if (!page->is_truncated) {
      EXPECT_EQ(page->next_continuation_token, "");
      break;
    }
    req.continuation_token = page->next_continuation_token;
  }
  EXPECT_EQ(key_counts, (std::vector<int>{1000, 1000, 500}));
  EXPECT_EQ(truncated, (std::vector<bool>{true, true, false}));
  EXPECT_EQ(seen, keys);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 2500u);
}

TEST_F(S3ModelTest, ListObjectsV2UsesUtf8BinaryOrder) {
  for (const char* k : {"a/\xC3\xA9", "a/z", "a/Z", "a/~", "a/0"}) ASSERT_TRUE(Put(k, "x").ok());
  sim::StatusOr<ListObjectsV2Response> page = model_.ListObjectsV2({"bucket", "a/", 1000, ""});
  ASSERT_TRUE(page.ok());
  std::vector<std::string> keys;
  for (const ObjectInfo& o : page->contents) keys.push_back(o.key);
  EXPECT_EQ(keys, (std::vector<std::string>{"a/0", "a/Z", "a/z", "a/~", "a/\xC3\xA9"}));
  EXPECT_EQ(page->contents[0].size, 1u);
  EXPECT_EQ(page->contents[0].etag, "\"9dd4e461268c8034f5c8564e155c67a6\"");  // md5("x")
}

TEST_F(S3ModelTest, ListObjectsV2ReturnsAtMostOneThousandKeys) {
  for (int i = 0; i < 1200; ++i) ASSERT_TRUE(Put("k" + std::to_string(i), "x").ok());
  sim::StatusOr<ListObjectsV2Response> page = model_.ListObjectsV2({"bucket", "", 5000, ""});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->key_count, 1000);
  EXPECT_TRUE(page->is_truncated);
}

TEST_F(S3ModelTest, ListObjectsV2RejectsBadTokensAndNegativeMaxKeys) {
  EXPECT_EQ(ErrorName(model_.ListObjectsV2({"bucket", "", 10, "garbage!"}).status()), "InvalidArgument");
  EXPECT_EQ(ErrorName(model_.ListObjectsV2({"bucket", "", -1, ""}).status()), "InvalidArgument");
  EXPECT_EQ(ErrorName(model_.ListObjectsV2({"nope", "", 10, ""}).status()), "NoSuchBucket");
}

TEST_F(S3ModelTest, ListObjectsV2WithZeroMaxKeysReturnsNothingUntruncated) {
  ASSERT_TRUE(Put("k", "x").ok());
  sim::StatusOr<ListObjectsV2Response> page = model_.ListObjectsV2({"bucket", "", 0, ""});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->key_count, 0);
  EXPECT_FALSE(page->is_truncated);
}

TEST_F(S3ModelTest, SequencerGrowsWithEachChangeOfAKey) {
  ASSERT_TRUE(Put("k", "a").ok());
  const uint64_t first = model_.FindObject("bucket", "k")->sequencer;
  ASSERT_TRUE(Put("other", "a").ok());
  ASSERT_TRUE(Put("k", "b").ok());
  EXPECT_GT(model_.FindObject("bucket", "k")->sequencer, first);
  EXPECT_EQ(model_.FindObject("bucket", "k")->sequencer, 3u);
}

TEST_F(S3ModelTest, IntrospectionListsKeysUnderAPrefixAndTotals) {
  ASSERT_TRUE(model_.CreateBucket({"second"}, At(0)).ok());
  ASSERT_TRUE(Put("p/b", "12").ok());
  ASSERT_TRUE(Put("p/a", "1").ok());
  ASSERT_TRUE(Put("q/a", "123").ok());
  ASSERT_TRUE(model_.PutObject({"second", "x", ObjectBody::FromBytes("1234")}, At(0)).ok());
  EXPECT_EQ(model_.KeysWithPrefix("bucket", "p/"), (std::vector<std::string>{"p/a", "p/b"}));
  EXPECT_EQ(model_.KeysWithPrefix("missing", ""), std::vector<std::string>{});
  EXPECT_EQ(model_.Usage("bucket").bytes, 6u);
  EXPECT_EQ(model_.Usage("bucket").objects, 3u);
  EXPECT_EQ(model_.TotalUsage().bytes, 10u);
  EXPECT_EQ(model_.TotalUsage().objects, 4u);
}

TEST_F(S3ModelTest, StorageByteSecondsIntegrateExactly) {
  // 100 B from 10 s to 20 s, 300 B from 20 s to 25 s, nothing after.
  ASSERT_TRUE(Put("k", std::string(100, 'x'), 10).ok());
  EXPECT_EQ(model_.StorageByteSeconds("bucket", At(15)), 500.0);
  ASSERT_TRUE(Put("k", std::string(300, 'x'), 20).ok());
  EXPECT_EQ(model_.StorageByteSeconds("bucket", At(22)), 1600.0);
  ASSERT_TRUE(model_.DeleteObject({"bucket", "k"}, At(25)).ok());
  model_.FlushStorage(At(40));
  EXPECT_EQ(model_.StorageByteSeconds("bucket", At(40)), 2500.0);
  EXPECT_EQ(model_.TotalStorageByteSeconds(), 2500.0);
  EXPECT_DOUBLE_EQ(cost_.units("s3", "storage"), ByteSecondsToGbMonths(2500));
}

TEST_F(S3ModelTest, FlushStorageBillsUpToNow) {
  ASSERT_TRUE(Put("k", std::string(1 << 20, 'x'), 0).ok());
  model_.FlushStorage(At(3600));
  EXPECT_EQ(model_.TotalStorageByteSeconds(), 3600.0 * (1 << 20));
  EXPECT_DOUBLE_EQ(cost_.units("s3", "storage"), 3600.0 / 1024 / (730.0 * 3600));
}

TEST_F(S3ModelTest, NotificationRulesMatchEventsPrefixAndSuffix) {
  PutBucketNotificationConfigurationRequest c;
  c.bucket = "bucket";
  c.rules = {
      {"json", "arn:aws:sqs:us-east-1:000000000000:q", {"s3:ObjectCreated:*"}, "logs/", ".json"},
      {"copies", "arn:aws:sns:us-east-1:000000000000:t", {"s3:ObjectCreated:Copy"}, "copies/", ""},
      {"", "arn:aws:lambda:us-east-1:000000000000:function:f", {"s3:ObjectRemoved:*"}, "", ""},
  };
  ASSERT_TRUE(model_.PutBucketNotificationConfiguration(c).ok());
  auto ids = [&](std::string_view event, std::string_view key) {
    std::vector<std::string> out;
    for (const NotificationRule* r : model_.MatchingRules("bucket", event, key)) out.push_back(r->id);
    return out;
  };
  EXPECT_EQ(ids("ObjectCreated:Put", "logs/a.json"), std::vector<std::string>{"json"});
  EXPECT_EQ(ids("ObjectCreated:Put", "logs/a.csv"), std::vector<std::string>{});
  EXPECT_EQ(ids("ObjectCreated:Put", "other/a.json"), std::vector<std::string>{});
  EXPECT_EQ(ids("ObjectCreated:Copy", "copies/x"), std::vector<std::string>{"copies"});
  EXPECT_EQ(ids("ObjectCreated:Put", "copies/x"), std::vector<std::string>{});
  EXPECT_EQ(ids("ObjectRemoved:Delete", "anything"), std::vector<std::string>{"Notification3"});
}

TEST_F(S3ModelTest, OverlappingRulesAreRejectedAndChangeNothing) {
  PutBucketNotificationConfigurationRequest good{
      "bucket", {{"a", "arn:aws:sqs:us-east-1:000000000000:q", {"s3:ObjectCreated:*"}}}};
  ASSERT_TRUE(model_.PutBucketNotificationConfiguration(good).ok());
  PutBucketNotificationConfigurationRequest overlap{
      "bucket",
      {{"x", "arn:aws:sqs:us-east-1:000000000000:q", {"s3:ObjectCreated:*"}, "logs/", ""},
       {"y", "arn:aws:sns:us-east-1:000000000000:t", {"s3:ObjectCreated:Put"}, "logs/2026/", ".json"}}};
  EXPECT_EQ(ErrorName(model_.PutBucketNotificationConfiguration(overlap)), "InvalidArgument");
  ASSERT_EQ(model_.NotificationRules("bucket").size(), 1u);
  EXPECT_EQ(model_.NotificationRules("bucket")[0].id, "a");
  // Different suffixes, or different event types, do not overlap.
  PutBucketNotificationConfigurationRequest disjoint{
      "bucket",
      {{"x", "arn:aws:sqs:us-east-1:000000000000:q", {"s3:ObjectCreated:*"}, "logs/", ".json"},
       {"y", "arn:aws:sns:us-east-1:000000000000:t", {"s3:ObjectCreated:*"}, "logs/", ".csv"},
       {"z", "arn:aws:sns:us-east-1:000000000000:t", {"s3:ObjectRemoved:*"}, "logs/", ""}}};
  EXPECT_TRUE(model_.PutBucketNotificationConfiguration(disjoint).ok());
  EXPECT_EQ(model_.NotificationRules("bucket").size(), 3u);
}

TEST_F(S3ModelTest, NotificationConfigurationRejectsUnknownEventsAndTargets) {
  PutBucketNotificationConfigurationRequest c{"bucket",
                                              {{"a", "arn:aws:sqs:us-east-1:000000000000:q", {"s3:ObjectMade:*"}}}};
  EXPECT_EQ(ErrorName(model_.PutBucketNotificationConfiguration(c)), "InvalidArgument");
  c.rules[0].events = {"s3:ObjectCreated:Put"};
  c.rules[0].target_arn = "arn:aws:dynamodb:us-east-1:000000000000:table/t";
  EXPECT_EQ(ErrorName(model_.PutBucketNotificationConfiguration(c)), "InvalidArgument");
  c.bucket = "nope";
  EXPECT_EQ(ErrorName(model_.PutBucketNotificationConfiguration(c)), "NoSuchBucket");
  EXPECT_TRUE(model_.NotificationRules("bucket").empty());
}

}  // namespace
}  // namespace emu::s3
