#pragma once

// S3 facade: buckets, objects (ranged GET, DeleteObjects), listings (V2 and
// v1) and multipart upload. Requests are validated, pass the behaviour
// layer (latency, faults, throttling), then act on the model at their
// completion time. At that time each data-plane request is also admitted
// by its bucket's request-rate model (s3_partitions.h) on its key (the
// Prefix for listings): a refused request is 503 SlowDown and changes
// nothing. ObjectCreated/ObjectRemoved notifications go to the configured
// targets (SNS topic, SQS queue, Lambda function) by ARN through the
// account, after a heavy-tailed delivery delay, possibly twice (at least
// once, unordered); putting a configuration can send s3:TestEvent to each
// destination (settings.send_test_events). Storage per bucket and prefix is
// sampled as time series.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "emulators/common/behaviour.h"
#include "emulators/common/env.h"
#include "emulators/s3/object_body.h"
#include "emulators/s3/s3_partitions.h"
#include "sim/task.h"

namespace emu::s3 {

class S3Model;

// Every member of the request and response structs has a default
// initializer, so partial brace-initialisation compiles cleanly under -Wextra.

struct CreateBucketRequest {
  std::string bucket{};
};
struct HeadBucketRequest {
  std::string bucket{};
};
struct DeleteBucketRequest {
  std::string bucket{};
};
// The bucket owner (the account's canonical user).
struct Owner {
  std::string id{};  // 64 hex digits
  std::string display_name{};
};
struct BucketInfo {
  std::string name{};
  int64_t creation_date_unix_nanos = 0;
};
struct ListBucketsResponse {
  std::vector<BucketInfo> buckets{};  // by name (UTF-8 binary order)
  Owner owner{};
};

struct PutObjectRequest {
  std::string bucket{};
  std::string key{};
  std::shared_ptr<const ObjectBody> body{};
  std::string content_type = "binary/octet-stream";
  std::map<std::string, std::string> metadata{};  // x-amz-meta-*
};
struct PutObjectResponse {
  std::string etag{};
};

struct GetObjectRequest {
  std::string bucket{};
  std::string key{};
  // HTTP Range header: "bytes=a-b", "bytes=a-" or "bytes=-n"; empty = the
  // whole object. A header that does not parse as one such range (several
  // ranges, b < a, not "bytes=") is ignored, as S3 does: 200 with the whole
  // object.
  std::string range{};
};
struct ObjectInfo {
  std::string key{};
  uint64_t size = 0;
  std::string etag{};
  std::string content_type{};
  std::map<std::string, std::string> metadata{};
  int64_t last_modified_unix_nanos = 0;
  std::optional<Owner> owner{};  // listings: ListObjects always, V2 with FetchOwner
};
struct GetObjectResponse {
  ObjectInfo info{};            // info.size is the whole object's size
  std::string body{};           // materialised bytes (of the range if one applied)
  int http_status = 200;        // 206 when a range applied
  std::string content_range{};  // "bytes a-b/size" with 206, else empty
};

struct HeadObjectRequest {
  std::string bucket{};
  std::string key{};
};

struct DeleteObjectRequest {
  std::string bucket{};
  std::string key{};
};

enum class MetadataDirective { kCopy, kReplace };
struct CopyObjectRequest {
  std::string source_bucket{};
  std::string source_key{};
  std::string bucket{};
  std::string key{};
  MetadataDirective metadata_directive = MetadataDirective::kCopy;
  std::map<std::string, std::string> metadata{};  // with kReplace
  std::optional<std::string> content_type{};      // with kReplace
};
struct CopyObjectResponse {
  std::string etag{};
  int64_t last_modified_unix_nanos = 0;
};

struct DeleteObjectsRequest {
  std::string bucket{};
  std::vector<std::string> keys{};  // 1..1,000
  bool quiet = false;               // Quiet: report errors only
};
struct DeletedObject {
  std::string key{};
};
struct DeleteError {
  std::string key{};
  std::string code{};  // AWS error name
  std::string message{};
};
struct DeleteObjectsResponse {
  std::vector<DeletedObject> deleted{};  // empty in quiet mode
  std::vector<DeleteError> errors{};
};

// ListObjectsV2 and ListObjects (v1) share the listing rules: entries are
// keys and, with a delimiter, common prefixes (each counted once against
// MaxKeys and KeyCount), in UTF-8 binary order; StartAfter / Marker /
// the continuation token return only entries after them.
struct ListObjectsV2Request {
  std::string bucket{};
  std::string prefix{};
  int max_keys = 1000;
  std::string continuation_token{};  // takes precedence over start_after
  std::string delimiter{};
  std::string start_after{};
  std::string encoding_type{};  // "" or "url"
  bool fetch_owner = false;
};
struct ListObjectsV2Response {
  std::vector<ObjectInfo> contents{};
  std::vector<std::string> common_prefixes{};
  int key_count = 0;  // contents + common prefixes
  bool is_truncated = false;
  std::string next_continuation_token{};
  // Echoed request values (url-encoded with encoding_type "url").
  std::string prefix{};
  std::string delimiter{};
  std::string start_after{};
  std::string continuation_token{};
  int max_keys = 1000;
  std::string encoding_type{};
};

struct ListObjectsRequest {
  std::string bucket{};
  std::string prefix{};
  std::string delimiter{};
  std::string marker{};
  int max_keys = 1000;
  std::string encoding_type{};  // "" or "url"
};
struct ListObjectsResponse {
  std::vector<ObjectInfo> contents{};  // with owner
  std::vector<std::string> common_prefixes{};
  bool is_truncated = false;
  // Only with a delimiter (as S3): the last key or common prefix returned.
  // Without one, page on with the last key of `contents`.
  std::string next_marker{};
  std::string prefix{};
  std::string delimiter{};
  std::string marker{};
  int max_keys = 1000;
  std::string encoding_type{};
};

// --- multipart upload ------------------------------------------------------
struct CreateMultipartUploadRequest {
  std::string bucket{};
  std::string key{};
  std::string content_type = "binary/octet-stream";
  std::map<std::string, std::string> metadata{};
};
struct CreateMultipartUploadResponse {
  std::string bucket{};
  std::string key{};
  std::string upload_id{};
};
struct UploadPartRequest {
  std::string bucket{};
  std::string key{};
  std::string upload_id{};
  int part_number = 0;  // 1..10,000
  std::shared_ptr<const ObjectBody> body{};
};
struct UploadPartResponse {
  std::string etag{};  // quoted MD5 of the part
};
struct UploadPartCopyRequest {
  std::string source_bucket{};
  std::string source_key{};
  std::string copy_source_range{};  // "bytes=first-last" or empty (whole source)
  std::string bucket{};
  std::string key{};
  std::string upload_id{};
  int part_number = 0;
};
struct UploadPartCopyResponse {
  std::string etag{};
  int64_t last_modified_unix_nanos = 0;
};
struct CompletedPart {
  int part_number = 0;
  std::string etag{};  // quoted or not
};
struct CompleteMultipartUploadRequest {
  std::string bucket{};
  std::string key{};
  std::string upload_id{};
  std::vector<CompletedPart> parts{};
};
struct CompleteMultipartUploadResponse {
  std::string bucket{};
  std::string key{};
  std::string etag{};  // "\"<md5 of the part MD5s>-<N>\""
  std::string location{};
};
struct AbortMultipartUploadRequest {
  std::string bucket{};
  std::string key{};
  std::string upload_id{};
};
struct ListPartsRequest {
  std::string bucket{};
  std::string key{};
  std::string upload_id{};
  int max_parts = 1000;
  int part_number_marker = 0;  // parts after this number
};
struct PartInfo {
  int part_number = 0;
  std::string etag{};
  uint64_t size = 0;
  int64_t last_modified_unix_nanos = 0;
};
struct ListPartsResponse {
  std::vector<PartInfo> parts{};
  bool is_truncated = false;
  int part_number_marker = 0;
  int next_part_number_marker = 0;  // last part returned
  int max_parts = 1000;
};
struct ListMultipartUploadsRequest {
  std::string bucket{};
  std::string prefix{};
  std::string key_marker{};
  std::string upload_id_marker{};  // ignored without key_marker
  int max_uploads = 1000;
};
struct MultipartUploadInfo {
  std::string key{};
  std::string upload_id{};
  int64_t initiated_unix_nanos = 0;
};
struct ListMultipartUploadsResponse {
  std::vector<MultipartUploadInfo> uploads{};  // by key, then initiation
  bool is_truncated = false;
  std::string next_key_marker{};
  std::string next_upload_id_marker{};
};

// One entry of a bucket's notification configuration (Topic/Queue/Lambda
// configurations, told apart by the target ARN's service).
struct NotificationRule {
  std::string id{};
  std::string target_arn{};
  std::vector<std::string> events = {"s3:ObjectCreated:*"};
  std::string prefix{};  // filter rules
  std::string suffix{};
};
struct PutBucketNotificationConfigurationRequest {
  std::string bucket{};
  std::vector<NotificationRule> rules{};
};

// One event notification leaving S3, reported when its delivery is tried
// (S3Api::on_notification): tests and traces see what went where, when.
struct NotificationDelivery {
  sim::Time event_time{};     // when the object changed
  sim::Time delivery_time{};  // event_time + the drawn notification delay
  std::string bucket{};
  std::string key{};
  std::string event_name{};  // "ObjectCreated:Put"
  std::string configuration_id{};
  std::string target_arn{};
  std::string body{};      // the S3 event JSON
  sim::Status status{};    // OK, NotFound (no such target) or the target's error
  bool duplicate = false;  // the second delivery of a duplicated notification
};

// Settings of the request-rate model, notification duplicates and storage
// accounting. Read when a bucket is created (rate model, tracked prefixes)
// or when a notification is sent (duplicates): set them before CreateBucket.
struct S3Settings {
  // Per-partition rates, burst, split delay; `rate.enabled = false` admits
  // everything.
  PartitionSettings rate{};
  // Initial partition boundaries per bucket (a scenario's pre-partitioned
  // prefixes): bucket name -> split keys. Absent: one partition.
  std::map<std::string, std::vector<std::string>> split_points{};
  // Probability that a notification is delivered a second time, after its
  // own delay draw (S3 delivers at least once; duplicates are rare, AWS
  // gives no rate: 0 here, scenarios studying idempotence set e.g. 0.01).
  double notification_duplicate_probability = 0;
  // Send s3:TestEvent to each destination when a configuration is put, as
  // AWS does (the pipeline ignores them: ParseS3Notification gives an empty
  // list). Off: tests that count deliveries exactly.
  bool send_test_events = true;
  // Storage accounting per prefix: bucket -> tracked prefixes (a key counts
  // in every tracked prefix it starts with). A bucket not listed is tracked
  // by the first path segment of its keys ("raw/", or "" for keys without
  // '/').
  std::map<std::string, std::vector<std::string>> tracked_prefixes{};
  // Period of the storage time series (s3.storage.*); zero: none.
  sim::Duration storage_sample_interval = sim::Seconds(60);
};

class S3Api {
 public:
  explicit S3Api(Env& env);
  ~S3Api();

  sim::Task<sim::Status> CreateBucket(CreateBucketRequest request);
  sim::Task<sim::Status> HeadBucket(HeadBucketRequest request);
  sim::Task<sim::Status> DeleteBucket(DeleteBucketRequest request);
  sim::Task<sim::StatusOr<ListBucketsResponse>> ListBuckets();
  sim::Task<sim::StatusOr<PutObjectResponse>> PutObject(PutObjectRequest request);
  sim::Task<sim::StatusOr<GetObjectResponse>> GetObject(GetObjectRequest request);
  sim::Task<sim::StatusOr<ObjectInfo>> HeadObject(HeadObjectRequest request);
  sim::Task<sim::Status> DeleteObject(DeleteObjectRequest request);
  sim::Task<sim::StatusOr<CopyObjectResponse>> CopyObject(CopyObjectRequest request);
  // ObjectRemoved:Delete for every key that existed.
  sim::Task<sim::StatusOr<DeleteObjectsResponse>> DeleteObjects(DeleteObjectsRequest request);
  sim::Task<sim::StatusOr<ListObjectsV2Response>> ListObjectsV2(ListObjectsV2Request request);
  sim::Task<sim::StatusOr<ListObjectsResponse>> ListObjects(ListObjectsRequest request);
  sim::Task<sim::StatusOr<CreateMultipartUploadResponse>> CreateMultipartUpload(CreateMultipartUploadRequest request);
  sim::Task<sim::StatusOr<UploadPartResponse>> UploadPart(UploadPartRequest request);
  sim::Task<sim::StatusOr<UploadPartCopyResponse>> UploadPartCopy(UploadPartCopyRequest request);
  // ObjectCreated:CompleteMultipartUpload.
  sim::Task<sim::StatusOr<CompleteMultipartUploadResponse>> CompleteMultipartUpload(
      CompleteMultipartUploadRequest request);
  sim::Task<sim::Status> AbortMultipartUpload(AbortMultipartUploadRequest request);
  sim::Task<sim::StatusOr<ListPartsResponse>> ListParts(ListPartsRequest request);
  sim::Task<sim::StatusOr<ListMultipartUploadsResponse>> ListMultipartUploads(ListMultipartUploadsRequest request);
  sim::Task<sim::Status> PutBucketNotificationConfiguration(PutBucketNotificationConfigurationRequest request);

  // Delay between an object's creation and the notification's delivery.
  // AWS: "typically ... in seconds but can sometimes take a minute or
  // longer" (NotificationHowTo). Default: lognormal body of mean 1 s (sd
  // 0.5 s); 1% of events take the Pareto tail from 30 s (shape 1.5: half of
  // those above 48 s, P(> 60 s) = 0.35%).
  LatencySpec notification_delay = LatencySpec::HeavyTail(1.0, 0.5, 0.01, 30, 1.5);
  S3Settings settings{};

  // Called for every notification at its delivery time, delivered or not.
  std::function<void(const NotificationDelivery&)> on_notification;

  // Integrates storage up to Now() and bills it (call at the end of a run).
  void FlushStorage();

  // The rate model of a bucket; null if it does not exist.
  BucketPartitions* partitions(const std::string& bucket);

  S3Model& model() { return *model_; }
  const S3Model& model() const { return *model_; }
  ServiceBehaviour& behaviour() { return behaviour_; }

 private:
  // Schedules the notifications of one change for every matching rule.
  // `removed_sequencer`: the sequencer of a deletion (the object is gone).
  void Notify(const std::string& bucket, const std::string& key, const std::string& event_name,
              uint64_t removed_sequencer = 0);
  void DeliverNotification(uint64_t id);
  // Schedules one delivery of `n` after `delay` (a duplicate is another).
  void Schedule(NotificationDelivery n, sim::Duration delay);
  // s3:TestEvent to every destination of a new configuration.
  void SendTestEvents(const PutBucketNotificationConfigurationRequest& request);
  // Admits a data-plane request on its key's partition: OK or SlowDown.
  sim::Status Admit(const std::string& bucket, std::string_view key, RequestClass cls);
  // Counts a request of `op` on `bucket` by price class
  // (s3.bucket.<b>.requests.<class>).
  enum class PriceClass { kPut, kGet, kDelete };
  void CountRequest(const std::string& bucket, PriceClass price_class);
  // Request id and host id (x-amz-request-id, x-amz-id-2) of one request.
  std::pair<std::string, std::string> NewRequestIds();
  void SampleStorage();
  void RecordUsage(const std::string& bucket);
  // Multipart operations only (PutObject stays at two gauges).
  void RecordPartUsage(const std::string& bucket);

  Env& env_;
  ServiceBehaviour behaviour_;
  std::unique_ptr<S3Model> model_;
  sim::Rng notification_rng_;
  sim::Rng request_id_rng_;
  sim::Rng duplicate_rng_;
  // Per-bucket state of the facade: the rate model and request counters by
  // price class (s3.bucket.<b>.requests.{put,get,delete}_request).
  struct BucketState {
    std::unique_ptr<BucketPartitions> partitions;
    sim::Counter* requests[3] = {nullptr, nullptr, nullptr};
    sim::Gauge* bytes = nullptr;  // s3.bucket.<b>.bytes, .objects
    sim::Gauge* objects = nullptr;
  };
  std::map<std::string, BucketState, std::less<>> buckets_;
  bool storage_sampling_ = false;
  // Notifications waiting for their delivery time, by id (the event
  // callback carries only the id).
  std::map<uint64_t, NotificationDelivery> pending_;
  uint64_t next_pending_id_ = 1;
};

}  // namespace emu::s3
