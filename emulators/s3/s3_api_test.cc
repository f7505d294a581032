#include "emulators/s3/s3_api.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <utility>
#include <vector>

#include "emulators/common/aws_error.h"
#include "emulators/s3/s3_errors.h"
#include "emulators/s3/s3_model.h"
#include "sim/scheduler.h"

namespace emu::s3 {
namespace {

sim::Time At(double seconds) { return sim::Time::Zero() + sim::SecondsF(seconds); }

template <class T>
sim::Task<void> StoreResult(sim::Task<T> task, std::optional<T>* out) {
  T value = co_await std::move(task);
  out->emplace(std::move(value));
}

// Runs one API call as a process and steps the scheduler until it returns
// (later events, such as notifications, stay queued).
template <class T>
T Await(sim::Scheduler& sched, sim::Task<T> task) {
  std::optional<T> out;
  sched.Spawn(StoreResult(std::move(task), &out));
  while (!out.has_value() && sched.Step()) {
  }
  SIM_CHECK(out.has_value());
  return std::move(*out);
}

// Records every delivery with its simulated time; fails the first
// `failures` deliveries.
class FakeTarget : public DeliveryTarget {
 public:
  explicit FakeTarget(sim::Scheduler& sched) : sched_(sched) {}
  sim::Status Deliver(const Delivery& d) override {
    received.emplace_back(sched_.Now(), d);
    if (failures > 0) {
      --failures;
      return AwsError(emu::errors::kServiceUnavailable, "fake target down");
    }
    return sim::OkStatus();
  }
  std::vector<std::pair<sim::Time, Delivery>> received;
  int failures = 0;

 private:
  sim::Scheduler& sched_;
};

constexpr const char* kQueueArn = "arn:aws:sqs:us-east-1:000000000000:events";
constexpr const char* kOtherArn = "arn:aws:sqs:us-east-1:000000000000:other";

class S3ApiTest : public ::testing::Test {
 protected:
  S3ApiTest() : env_(sched_, 42), api_(env_), queue_(sched_), other_(sched_) {
    env_.account().RegisterTarget(kQueueArn, &queue_);
    env_.account().RegisterTarget(kOtherArn, &other_);
    api_.notification_delay = LatencySpec::Constant(2.5);
    api_.settings.send_test_events = true;  // Configure() delivers and forgets them
    EXPECT_TRUE(Await(sched_, api_.CreateBucket({"bucket"})).ok());
  }

  sim::StatusOr<PutObjectResponse> Put(const std::string& key, const std::string& bytes) {
    return Await(sched_, api_.PutObject({"bucket", key, ObjectBody::FromBytes(bytes)}));
  }
  // Puts the configuration, delivers its s3:TestEvents (at once) and forgets
  // them, so tests see only the object events.
  void Configure(std::vector<NotificationRule> rules) {
    ASSERT_TRUE(Await(sched_, api_.PutBucketNotificationConfiguration({"bucket", std::move(rules)})).ok());
    sched_.RunUntil(sched_.Now());
    queue_.received.clear();
    other_.received.clear();
  }
  int64_t Counter(const std::string& name) { return env_.metrics().GetCounter(name).value(); }

  sim::Scheduler sched_;
  Env env_;
  S3Api api_;
  FakeTarget queue_;
  FakeTarget other_;
};

TEST_F(S3ApiTest, PutThenGetRoundTripsThroughTheFacade) {
  sim::StatusOr<PutObjectResponse> put = Put("a/b.txt", "hello");
  ASSERT_TRUE(put.ok());
  EXPECT_EQ(put->etag, "\"5d41402abc4b2a76b9719d911017c592\"");
  sim::StatusOr<GetObjectResponse> get = Await(sched_, api_.GetObject({"bucket", "a/b.txt"}));
  ASSERT_TRUE(get.ok());
  EXPECT_EQ(get->body, "hello");
  EXPECT_EQ(Counter("s3.PutObject.requests"), 1);
  EXPECT_EQ(Counter("s3.GetObject.requests"), 1);
}

TEST_F(S3ApiTest, RequestsAreBilledByPriceClass) {
  ASSERT_TRUE(Put("k", "hello").ok());                                                // put
  ASSERT_TRUE(Await(sched_, api_.CopyObject({"bucket", "k", "bucket", "k2"})).ok());  // put
  ASSERT_TRUE(Await(sched_, api_.ListObjectsV2({"bucket"})).ok());                    // put
  ASSERT_TRUE(Await(sched_, api_.GetObject({"bucket", "k"})).ok());                   // get
  ASSERT_TRUE(Await(sched_, api_.HeadObject({"bucket", "k"})).ok());                  // get
  ASSERT_TRUE(Await(sched_, api_.DeleteObject({"bucket", "k"})).ok());                // delete
  // CreateBucket in the fixture is a put request too.
  EXPECT_EQ(env_.cost().units("s3", "put_request"), 4);
  EXPECT_EQ(env_.cost().units("s3", "get_request"), 2);
  EXPECT_EQ(env_.cost().units("s3", "delete_request"), 1);
}

TEST_F(S3ApiTest, ErrorsCarryAwsNamesAndChangeNothing) {
  ASSERT_TRUE(Put("k", "hello").ok());
  sim::StatusOr<PutObjectResponse> put =
      Await(sched_, api_.PutObject({"bucket", std::string(1025, 'k'), ObjectBody::FromBytes("x")}));
  EXPECT_EQ(put.status().name(), "KeyTooLongError");
  sim::StatusOr<GetObjectResponse> get = Await(sched_, api_.GetObject({"nobucket", "k"}));
  EXPECT_EQ(get.status().name(), "NoSuchBucket");
  EXPECT_EQ(HttpStatusOf(get.status()), 404);
  EXPECT_EQ(Counter("s3.PutObject.errors"), 1);
  EXPECT_EQ(Counter("s3.GetObject.errors"), 1);
  EXPECT_EQ(api_.model().TotalUsage().objects, 1u);
  EXPECT_EQ(api_.model().last_sequencer(), 1u);
}

TEST_F(S3ApiTest, NotificationArrivesAfterTheDrawnDelayWithTheEventBody) {
  Configure({{"to-queue", kQueueArn, {"s3:ObjectCreated:*"}}});
  sched_.RunUntil(At(10));
  ASSERT_TRUE(Put("logs/dt=2026-01-01/a b.json", "hello").ok());
  EXPECT_TRUE(queue_.received.empty());
  sched_.Run();
  ASSERT_EQ(queue_.received.size(), 1u);
  EXPECT_EQ(queue_.received[0].first, At(12.5));
  const Delivery& d = queue_.received[0].second;
  EXPECT_EQ(d.source_arn, "arn:aws:s3:::bucket");
  const nlohmann::json event = nlohmann::json::parse(d.body);
  const nlohmann::json& r = event["Records"][0];
  EXPECT_EQ(r["eventName"], "ObjectCreated:Put");
  EXPECT_EQ(r["eventTime"], "2026-01-01T00:00:10.000Z");
  EXPECT_EQ(r["s3"]["configurationId"], "to-queue");
  EXPECT_EQ(r["s3"]["bucket"]["name"], "bucket");
  EXPECT_EQ(r["s3"]["object"]["key"], "logs/dt%3D2026-01-01/a+b.json");
  EXPECT_EQ(r["s3"]["object"]["size"], 5);
  EXPECT_EQ(r["s3"]["object"]["eTag"], "5d41402abc4b2a76b9719d911017c592");
  EXPECT_EQ(r["s3"]["object"]["sequencer"], "0000000000000001");
  EXPECT_EQ(r["responseElements"]["x-amz-request-id"].get<std::string>().size(), 16u);
  EXPECT_EQ(Counter("s3.notifications.delivered"), 1);
  EXPECT_EQ(Counter("s3.notifications.failed"), 0);
}

TEST_F(S3ApiTest, NotificationHookSeesEventAndDeliveryTimes) {
  Configure({{"to-queue", kQueueArn, {"s3:ObjectCreated:Put"}}});
  api_.notification_delay = LatencySpec::Uniform(1, 3);
  std::vector<NotificationDelivery> seen;
  api_.on_notification = [&](const NotificationDelivery& n) {
    EXPECT_EQ(sched_.Now(), n.delivery_time);
    seen.push_back(n);
  };
  sched_.RunUntil(At(5));
  ASSERT_TRUE(Put("k", "x").ok());
  sched_.Run();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].event_time, At(5));
  EXPECT_GE(seen[0].delivery_time, At(6));
  EXPECT_LE(seen[0].delivery_time, At(8));
  EXPECT_EQ(seen[0].delivery_time, queue_.received.at(0).first);
  EXPECT_EQ(seen[0].target_arn, kQueueArn);
  EXPECT_TRUE(seen[0].status.ok());
  EXPECT_EQ(env_.metrics().GetHistogram("s3.notifications.delay_ns").count(), 1u);
}

TEST_F(S3ApiTest, NotificationsFollowPrefixAndSuffixFilters) {
  Configure({{"json", kQueueArn, {"s3:ObjectCreated:*"}, "logs/", ".json"},
             {"csv", kOtherArn, {"s3:ObjectCreated:*"}, "logs/", ".csv"}});
  ASSERT_TRUE(Put("logs/a.json", "1").ok());
  ASSERT_TRUE(Put("logs/b.csv", "2").ok());
  ASSERT_TRUE(Put("logs/c.txt", "3").ok());
  ASSERT_TRUE(Put("raw/d.json", "4").ok());
  sched_.Run();
  ASSERT_EQ(queue_.received.size(), 1u);
  ASSERT_EQ(other_.received.size(), 1u);
  EXPECT_NE(queue_.received[0].second.body.find(R"("key":"logs/a.json")"), std::string::npos);
  EXPECT_NE(other_.received[0].second.body.find(R"("key":"logs/b.csv")"), std::string::npos);
}

TEST_F(S3ApiTest, CopyNotifiesObjectCreatedCopy) {
  Configure({{"copies", kQueueArn, {"s3:ObjectCreated:Copy"}}});
  ASSERT_TRUE(Put("src", "hello").ok());  // Put does not match the rule
  ASSERT_TRUE(Await(sched_, api_.CopyObject({"bucket", "src", "bucket", "dst"})).ok());
  sched_.Run();
  ASSERT_EQ(queue_.received.size(), 1u);
  const nlohmann::json r = nlohmann::json::parse(queue_.received[0].second.body)["Records"][0];
  EXPECT_EQ(r["eventName"], "ObjectCreated:Copy");
  EXPECT_EQ(r["s3"]["object"]["key"], "dst");
  EXPECT_EQ(r["s3"]["object"]["eTag"], "5d41402abc4b2a76b9719d911017c592");
}

TEST_F(S3ApiTest, DeleteOfAnExistingObjectNotifiesObjectRemoved) {
  Configure({{"removed", kQueueArn, {"s3:ObjectRemoved:*"}}});
  ASSERT_TRUE(Put("k", "hello").ok());
  ASSERT_TRUE(Await(sched_, api_.DeleteObject({"bucket", "k"})).ok());
  ASSERT_TRUE(Await(sched_, api_.DeleteObject({"bucket", "never"})).ok());
  sched_.Run();
  ASSERT_EQ(queue_.received.size(), 1u);
  const nlohmann::json r = nlohmann::json::parse(queue_.received[0].second.body)["Records"][0];
  EXPECT_EQ(r["eventName"], "ObjectRemoved:Delete");
  EXPECT_EQ(r["s3"]["object"]["sequencer"], "0000000000000002");
  EXPECT_FALSE(r["s3"]["object"].contains("size"));
}

TEST_F(S3ApiTest, CompleteMultipartUploadNotifiesObjectCreatedCompleteMultipartUpload) {
  Configure({{"created", kQueueArn, {"s3:ObjectCreated:CompleteMultipartUpload"}}});
  sim::StatusOr<CreateMultipartUploadResponse> up =
      Await(sched_, api_.CreateMultipartUpload({"bucket", "dt=1/big file"}));
  ASSERT_TRUE(up.ok());
  sim::StatusOr<UploadPartResponse> part =
      Await(sched_, api_.UploadPart({"bucket", "dt=1/big file", up->upload_id, 1, ObjectBody::FromBytes("hello")}));
  ASSERT_TRUE(part.ok());
  EXPECT_EQ(env_.metrics().GetGauge("s3.bucket.bucket.part_bytes").value(), 5);
  sim::StatusOr<CompleteMultipartUploadResponse> done =
      Await(sched_, api_.CompleteMultipartUpload({"bucket", "dt=1/big file", up->upload_id, {{1, part->etag}}}));
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(env_.metrics().GetGauge("s3.bucket.bucket.part_bytes").value(), 0);
  EXPECT_EQ(env_.metrics().GetGauge("s3.bucket.bucket.bytes").value(), 5);
  ASSERT_TRUE(Put("plain", "x").ok());  // ObjectCreated:Put is not configured
  sched_.Run();
  ASSERT_EQ(queue_.received.size(), 1u);
  const nlohmann::json r = nlohmann::json::parse(queue_.received[0].second.body)["Records"][0];
  EXPECT_EQ(r["eventName"], "ObjectCreated:CompleteMultipartUpload");
  EXPECT_EQ(r["s3"]["object"]["key"], "dt%3D1/big+file");
  EXPECT_EQ(r["s3"]["object"]["size"], 5);
  EXPECT_EQ(r["s3"]["object"]["eTag"], done->etag.substr(1, done->etag.size() - 2));
  EXPECT_TRUE(done->etag.ends_with("-1\""));
}

TEST_F(S3ApiTest, DeleteObjectsNotifiesObjectRemovedForEachExistingKey) {
  Configure({{"removed", kQueueArn, {"s3:ObjectRemoved:*"}}});
  ASSERT_TRUE(Put("a", "1").ok());
  ASSERT_TRUE(Put("b", "2").ok());
  sim::StatusOr<DeleteObjectsResponse> r = Await(sched_, api_.DeleteObjects({"bucket", {"a", "missing", "b"}}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->deleted.size(), 3u);
  EXPECT_EQ(env_.metrics().GetGauge("s3.bucket.bucket.objects").value(), 0);
  sched_.Run();
  ASSERT_EQ(queue_.received.size(), 2u);
  const nlohmann::json first = nlohmann::json::parse(queue_.received[0].second.body)["Records"][0];
  const nlohmann::json second = nlohmann::json::parse(queue_.received[1].second.body)["Records"][0];
  EXPECT_EQ(first["eventName"], "ObjectRemoved:Delete");
  EXPECT_EQ(first["s3"]["object"]["key"], "a");
  EXPECT_EQ(first["s3"]["object"]["sequencer"], "0000000000000003");
  EXPECT_EQ(second["s3"]["object"]["key"], "b");
  EXPECT_EQ(second["s3"]["object"]["sequencer"], "0000000000000004");
  EXPECT_EQ(queue_.received[0].first, At(2.5));
}

TEST_F(S3ApiTest, NewOperationsAreBilledByPriceClass) {
  const double put0 = env_.cost().units("s3", "put_request");     // CreateBucket
  ASSERT_TRUE(Await(sched_, api_.HeadBucket({"bucket"})).ok());   // get
  ASSERT_TRUE(Await(sched_, api_.ListBuckets()).ok());            // put (LIST)
  ASSERT_TRUE(Await(sched_, api_.ListObjects({"bucket"})).ok());  // put (LIST)
  sim::StatusOr<CreateMultipartUploadResponse> up = Await(sched_, api_.CreateMultipartUpload({"bucket", "k"}));
  ASSERT_TRUE(up.ok());  // put
  ASSERT_TRUE(Await(sched_, api_.UploadPart({"bucket", "k", up->upload_id, 1, ObjectBody::FromBytes("x")})).ok());
  ASSERT_TRUE(Await(sched_, api_.ListParts({"bucket", "k", up->upload_id})).ok());             // put
  ASSERT_TRUE(Await(sched_, api_.ListMultipartUploads({"bucket"})).ok());                      // put
  ASSERT_TRUE(Await(sched_, api_.AbortMultipartUpload({"bucket", "k", up->upload_id})).ok());  // delete
  ASSERT_TRUE(Await(sched_, api_.DeleteObjects({"bucket", {"k"}})).ok());                      // delete
  ASSERT_TRUE(Await(sched_, api_.DeleteBucket({"bucket"})).ok());                              // delete
  EXPECT_EQ(env_.cost().units("s3", "put_request") - put0, 6);
  EXPECT_EQ(env_.cost().units("s3", "get_request"), 1);
  EXPECT_EQ(env_.cost().units("s3", "delete_request"), 3);
  sim::StatusOr<ListBucketsResponse> none = Await(sched_, api_.ListBuckets());
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->buckets.empty());
  EXPECT_EQ(none->owner.id, OwnerOfAccount(env_.account().account_id()).id);
}

TEST_F(S3ApiTest, RangedGetThroughTheFacadeIsPartialContent) {
  ASSERT_TRUE(Put("k", "0123456789").ok());
  sim::StatusOr<GetObjectResponse> r = Await(sched_, api_.GetObject({"bucket", "k", "bytes=-4"}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->http_status, 206);
  EXPECT_EQ(r->body, "6789");
  EXPECT_EQ(r->content_range, "bytes 6-9/10");
  sim::StatusOr<GetObjectResponse> bad = Await(sched_, api_.GetObject({"bucket", "k", "bytes=10-"}));
  EXPECT_EQ(bad.status().name(), "InvalidRange");
  EXPECT_EQ(HttpStatusOf(bad.status()), 416);
  EXPECT_EQ(Counter("s3.GetObject.errors"), 1);
}

TEST_F(S3ApiTest, MultipartUploadWithACopiedPartThroughTheFacade) {
  ASSERT_TRUE(Put("src", "0123456789").ok());
  sim::StatusOr<CreateMultipartUploadResponse> up = Await(sched_, api_.CreateMultipartUpload({"bucket", "dst"}));
  ASSERT_TRUE(up.ok());
  sim::StatusOr<UploadPartResponse> first = Await(
      sched_,
      api_.UploadPart({"bucket", "dst", up->upload_id, 1, ObjectBody::FromBytes(std::string(kMinPartBytes, 'a'))}));
  ASSERT_TRUE(first.ok());
  sim::StatusOr<UploadPartCopyResponse> copied =
      Await(sched_, api_.UploadPartCopy({"bucket", "src", "bytes=7-9", "bucket", "dst", up->upload_id, 2}));
  ASSERT_TRUE(copied.ok());
  sim::StatusOr<ListPartsResponse> parts = Await(sched_, api_.ListParts({"bucket", "dst", up->upload_id}));
  ASSERT_TRUE(parts.ok());
  ASSERT_EQ(parts->parts.size(), 2u);
  EXPECT_EQ(parts->parts[1].size, 3u);
  sim::StatusOr<ListMultipartUploadsResponse> uploads = Await(sched_, api_.ListMultipartUploads({"bucket"}));
  ASSERT_TRUE(uploads.ok());
  ASSERT_EQ(uploads->uploads.size(), 1u);
  EXPECT_EQ(uploads->uploads[0].upload_id, up->upload_id);
  sim::StatusOr<CompleteMultipartUploadResponse> done = Await(
      sched_, api_.CompleteMultipartUpload({"bucket", "dst", up->upload_id, {{1, first->etag}, {2, copied->etag}}}));
  ASSERT_TRUE(done.ok());
  sim::StatusOr<GetObjectResponse> tail = Await(sched_, api_.GetObject({"bucket", "dst", "bytes=-4"}));
  ASSERT_TRUE(tail.ok());
  EXPECT_EQ(tail->body, "a789");
  sim::StatusOr<ListObjectsResponse> listed = Await(sched_, api_.ListObjects({"bucket"}));
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->contents.size(), 2u);
  EXPECT_EQ(listed->contents[0].key, "dst");
  EXPECT_EQ(listed->contents[0].etag, done->etag);
}

TEST_F(S3ApiTest, UndeliverableNotificationsAreCountedAsFailed) {
  Configure({{"a", kQueueArn, {"s3:ObjectCreated:*"}, "a/"}, {"b", kOtherArn, {"s3:ObjectCreated:*"}, "b/"}});
  other_.failures = 1;
  ASSERT_TRUE(Put("a/1", "x").ok());
  ASSERT_TRUE(Put("b/1", "x").ok());
  env_.account().UnregisterTarget(kQueueArn);  // the queue is deleted before delivery
  std::vector<std::string> statuses;
  api_.on_notification = [&](const NotificationDelivery& n) { statuses.emplace_back(n.status.name()); };
  sched_.Run();
  EXPECT_EQ(statuses, (std::vector<std::string>{"NOT_FOUND", "ServiceUnavailable"}));
  EXPECT_EQ(Counter("s3.notifications.failed"), 2);
  EXPECT_EQ(Counter("s3.notifications.delivered"), 0);
  EXPECT_TRUE(queue_.received.empty());
}

TEST_F(S3ApiTest, ConfigurationNamingAnUnknownTargetIsInvalidArgument) {
  sim::Status s =
      Await(sched_,
            api_.PutBucketNotificationConfiguration({"bucket", {{"x", "arn:aws:sqs:us-east-1:000000000000:missing"}}}));
  EXPECT_EQ(s.name(), "InvalidArgument");
  EXPECT_TRUE(api_.model().NotificationRules("bucket").empty());
}

TEST_F(S3ApiTest, OperationLatencyDelaysTheChangeAndItsNotification) {
  Configure({{"to-queue", kQueueArn}});
  api_.behaviour().Get("PutObject").latency = LatencySpec::Constant(0.2);
  ASSERT_TRUE(Put("k", "x").ok());
  EXPECT_EQ(sched_.Now(), At(0.2));
  EXPECT_EQ(api_.model().FindObject("bucket", "k")->last_modified_unix_nanos,
            Env::kDefaultEpochUnixNanos + 200'000'000);
  sched_.Run();
  ASSERT_EQ(queue_.received.size(), 1u);
  EXPECT_EQ(queue_.received[0].first, At(2.7));
}

TEST_F(S3ApiTest, UsageGaugesAndStorageFlushFollowTheBucket) {
  sched_.RunUntil(At(100));
  ASSERT_TRUE(Put("k", std::string(1000, 'x')).ok());
  EXPECT_EQ(env_.metrics().GetGauge("s3.bucket.bucket.bytes").value(), 1000);
  EXPECT_EQ(env_.metrics().GetGauge("s3.bucket.bucket.objects").value(), 1);
  sched_.RunUntil(At(200));
  api_.FlushStorage();
  EXPECT_EQ(api_.model().StorageByteSeconds("bucket", At(200)), 100'000.0);
  EXPECT_DOUBLE_EQ(env_.cost().units("s3", "storage"), ByteSecondsToGbMonths(100'000));
}

TEST_F(S3ApiTest, InjectedSlowDownFailsTheCallAndIsAThrottle) {
  FaultSpec f;
  f.error = &errors::kSlowDown;
  f.fail_calls = {1};
  api_.behaviour().Get("PutObject").faults = {f};
  sim::StatusOr<PutObjectResponse> put = Put("k", "x");
  EXPECT_EQ(put.status().name(), "SlowDown");
  EXPECT_EQ(HttpStatusOf(put.status()), 503);
  EXPECT_TRUE(IsThrottlingError(put.status()));
  EXPECT_EQ(api_.model().FindObject("bucket", "k"), nullptr);
  EXPECT_TRUE(Put("k", "x").ok());
}

}  // namespace
}  // namespace emu::s3
