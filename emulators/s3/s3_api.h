#pragma once

// S3 facade (first operations; the S3 issue completes it). Requests are
// validated, pass the behaviour layer (latency, faults, throttling), then
// act on the model at their completion time. ObjectCreated notifications go
// to the configured targets (SNS topic, SQS queue, Lambda function) by ARN
// through the account, after a modelled delivery delay.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "emulators/common/behaviour.h"
#include "emulators/common/env.h"
#include "emulators/s3/object_body.h"
#include "sim/task.h"

namespace emu::s3 {

class S3Model;

// Every member of the request and response structs has a default
// initializer, so partial brace-initialisation compiles cleanly under -Wextra.

struct CreateBucketRequest {
  std::string bucket{};
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
};
struct ObjectInfo {
  std::string key{};
  uint64_t size = 0;
  std::string etag{};
  std::string content_type{};
  std::map<std::string, std::string> metadata{};
  int64_t last_modified_unix_nanos = 0;
};
struct GetObjectResponse {
  ObjectInfo info{};
  std::string body{};  // materialised bytes
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

struct ListObjectsV2Request {
  std::string bucket{};
  std::string prefix{};
  int max_keys = 1000;
  std::string continuation_token{};
};
struct ListObjectsV2Response {
  std::vector<ObjectInfo> contents{};
  int key_count = 0;
  bool is_truncated = false;
  std::string next_continuation_token{};
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
  std::string body{};    // the S3 event JSON
  sim::Status status{};  // OK, NotFound (no such target) or the target's error
};

class S3Api {
 public:
  explicit S3Api(Env& env);
  ~S3Api();

  sim::Task<sim::Status> CreateBucket(CreateBucketRequest request);
  sim::Task<sim::StatusOr<PutObjectResponse>> PutObject(PutObjectRequest request);
  sim::Task<sim::StatusOr<GetObjectResponse>> GetObject(GetObjectRequest request);
  sim::Task<sim::StatusOr<ObjectInfo>> HeadObject(HeadObjectRequest request);
  sim::Task<sim::Status> DeleteObject(DeleteObjectRequest request);
  sim::Task<sim::StatusOr<CopyObjectResponse>> CopyObject(CopyObjectRequest request);
  sim::Task<sim::StatusOr<ListObjectsV2Response>> ListObjectsV2(ListObjectsV2Request request);
  sim::Task<sim::Status> PutBucketNotificationConfiguration(PutBucketNotificationConfigurationRequest request);

  // Delay between an object's creation and the notification's delivery
  // (AWS: typically seconds, sometimes a minute or more).
  LatencySpec notification_delay = LatencySpec::Constant(0.5);

  // Called for every notification at its delivery time, delivered or not.
  std::function<void(const NotificationDelivery&)> on_notification;

  // Integrates storage up to Now() and bills it (call at the end of a run).
  void FlushStorage();

  S3Model& model() { return *model_; }
  const S3Model& model() const { return *model_; }
  ServiceBehaviour& behaviour() { return behaviour_; }

 private:
  // Schedules the notifications of one change for every matching rule.
  void Notify(const std::string& bucket, const std::string& key, const std::string& event_name);
  void DeliverNotification(uint64_t id);
  void RecordUsage(const std::string& bucket);

  Env& env_;
  ServiceBehaviour behaviour_;
  std::unique_ptr<S3Model> model_;
  sim::Rng notification_rng_;
  sim::Rng request_id_rng_;
  // Notifications waiting for their delivery time, by id (the event
  // callback carries only the id).
  std::map<uint64_t, NotificationDelivery> pending_;
  uint64_t next_pending_id_ = 1;
};

}  // namespace emu::s3
