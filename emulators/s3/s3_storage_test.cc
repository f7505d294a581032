// Storage accounting: objects and bytes per bucket and per prefix over
// simulated time, and request counts by price class per bucket.

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "emulators/common/env.h"
#include "emulators/s3/s3_api.h"
#include "emulators/s3/s3_model.h"
#include "emulators/s3/s3_test_util.h"
#include "sim/scheduler.h"

namespace emu::s3 {
namespace {

using test_support::At;
using test_support::Await;

class S3StorageTest : public ::testing::Test {
 protected:
  S3StorageTest() : env_(sched_, 3), api_(env_) {}
  void Create(const std::string& bucket) { ASSERT_TRUE(Await(sched_, api_.CreateBucket({bucket})).ok()); }
  void Put(const std::string& bucket, const std::string& key, std::size_t size) {
    ASSERT_TRUE(Await(sched_, api_.PutObject({bucket, key, ObjectBody::FromBytes(std::string(size, 'x'))})).ok());
  }
  std::map<std::string, std::pair<uint64_t, uint64_t>> Prefixes(const std::string& bucket) {
    std::map<std::string, std::pair<uint64_t, uint64_t>> out;
    for (const auto& [prefix, u] : api_.model().PrefixUsages(bucket)) out[prefix] = {u.objects, u.bytes};
    return out;
  }
  std::vector<std::pair<double, double>> Series(const std::string& name) {
    std::vector<std::pair<double, double>> out;
    for (const auto& p : env_.metrics().GetTimeSeries(name).points()) out.emplace_back(p.t.ToSeconds(), p.value);
    return out;
  }

  sim::Scheduler sched_;
  Env env_;
  S3Api api_;
};

using Usage = std::map<std::string, std::pair<uint64_t, uint64_t>>;  // prefix -> (objects, bytes)

TEST_F(S3StorageTest, ObjectsAndBytesAreAccountedByFirstPathSegment) {
  Create("bkt");
  Put("bkt", "raw/dt=1/a", 10);
  Put("bkt", "raw/dt=2/b", 20);
  Put("bkt", "clean/c", 5);
  Put("bkt", "top", 1);
  Put("bkt", "raw/dt=1/a", 30);  // overwrite
  ASSERT_TRUE(Await(sched_, api_.DeleteObject({"bkt", "clean/c"})).ok());
  ASSERT_TRUE(Await(sched_, api_.CopyObject({"bkt", "top", "bkt", "copies/top"})).ok());
  EXPECT_EQ(Prefixes("bkt"), (Usage{{"", {1, 1}}, {"clean/", {0, 0}}, {"copies/", {1, 1}}, {"raw/", {2, 50}}}));
  ASSERT_TRUE(Await(sched_, api_.DeleteObjects({"bkt", {"raw/dt=2/b", "missing"}})).ok());
  EXPECT_EQ(Prefixes("bkt")["raw/"], (std::pair<uint64_t, uint64_t>{1, 30}));
}

TEST_F(S3StorageTest, TrackedPrefixesCountEveryPrefixAKeyStartsWith) {
  api_.settings.tracked_prefixes["bkt"] = {"raw/", "raw/dt=1/", "clean/"};
  Create("bkt");
  Put("bkt", "raw/dt=1/a", 10);
  Put("bkt", "raw/dt=2/b", 20);
  Put("bkt", "other/c", 5);  // in no tracked prefix
  EXPECT_EQ(Prefixes("bkt"), (Usage{{"clean/", {0, 0}}, {"raw/", {2, 30}}, {"raw/dt=1/", {1, 10}}}));
  EXPECT_EQ(api_.model().Usage("bkt").bytes, 35u);
  // Changing the list recomputes from the stored objects.
  ASSERT_TRUE(api_.model().SetTrackedPrefixes("bkt", {"other/"}).ok());
  EXPECT_EQ(Prefixes("bkt"), (Usage{{"other/", {1, 5}}}));
  EXPECT_EQ(api_.model().SetTrackedPrefixes("nope", {}).name(), "NoSuchBucket");
}

TEST_F(S3StorageTest, StorageIsSampledPerBucketAndPrefixOverSimulatedTime) {
  Create("bkt");  // at t=0: sampling starts, every 60 s by default
  sched_.RunUntil(At(30));
  Put("bkt", "raw/a", 100);
  sched_.RunUntil(At(90));
  Put("bkt", "clean/a", 7);
  Put("bkt", "raw/b", 50);
  sched_.RunUntil(At(150));
  ASSERT_TRUE(Await(sched_, api_.DeleteObject({"bkt", "raw/a"})).ok());
  sched_.RunUntil(At(180));
  using Points = std::vector<std::pair<double, double>>;
  EXPECT_EQ(Series("s3.storage.bkt.bytes"), (Points{{0, 0}, {60, 100}, {120, 157}, {180, 57}}));
  EXPECT_EQ(Series("s3.storage.bkt.objects"), (Points{{0, 0}, {60, 1}, {120, 3}, {180, 2}}));
  EXPECT_EQ(Series("s3.storage.bkt.prefix.raw/.bytes"), (Points{{60, 100}, {120, 150}, {180, 50}}));
  EXPECT_EQ(Series("s3.storage.bkt.prefix.clean/.objects"), (Points{{120, 1}, {180, 1}}));
  // The integral behind the bucket's GB-months: 100 B x 60 s + 157 B x 60 s + 57 B x 30 s.
  EXPECT_EQ(api_.model().StorageByteSeconds("bkt", At(180)), 100.0 * 60 + 157.0 * 60 + 57.0 * 30);
}

TEST_F(S3StorageTest, RequestsAreCountedPerBucketByPriceClass) {
  Create("aaa");
  Create("bkt");
  Put("aaa", "k", 1);
  Put("aaa", "k2", 1);
  ASSERT_TRUE(Await(sched_, api_.GetObject({"aaa", "k"})).ok());
  ASSERT_TRUE(Await(sched_, api_.HeadObject({"aaa", "k"})).ok());
  ASSERT_TRUE(Await(sched_, api_.ListObjectsV2({"aaa"})).ok());
  ASSERT_TRUE(Await(sched_, api_.DeleteObject({"aaa", "k"})).ok());
  EXPECT_EQ(Await(sched_, api_.GetObject({"aaa", "k"})).status().name(), "NoSuchKey");  // billed too
  Put("bkt", "k", 1);
  const auto count = [&](const std::string& name) { return env_.metrics().GetCounter(name).value(); };
  EXPECT_EQ(count("s3.bucket.aaa.requests.put_request"), 3);  // 2 PUT + 1 LIST
  EXPECT_EQ(count("s3.bucket.aaa.requests.get_request"), 3);
  EXPECT_EQ(count("s3.bucket.aaa.requests.delete_request"), 1);
  EXPECT_EQ(count("s3.bucket.bkt.requests.put_request"), 1);
  EXPECT_EQ(count("s3.bucket.bkt.requests.get_request"), 0);
}

}  // namespace
}  // namespace emu::s3
