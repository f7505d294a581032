#pragma once

// S3 state: buckets, objects (key -> shared immutable body + metadata),
// notification configurations, and storage accounting. Passive: every
// operation takes `now` and nothing here reads a clock or schedules an
// event; the facade (s3_api.h) adds latency, faults and notification
// delivery. Errors are AWS-named statuses (s3_errors.h) and a failed
// operation changes nothing.
//
// Objects of a bucket are a std::map keyed by the key bytes: std::string
// compares as unsigned bytes, which is UTF-8 binary order, the order
// ListObjectsV2 returns. Storage is integrated exactly, as integer
// byte-nanoseconds, at every change of a bucket's size, and the increase is
// billed at once as "s3"/"storage" GB-months; FlushStorage(now) brings every
// bucket up to `now` (call it at the end of a run).

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "emulators/common/cost_meter.h"
#include "emulators/common/env.h"
#include "emulators/s3/object_body.h"
#include "emulators/s3/s3_api.h"
#include "sim/status.h"
#include "sim/time.h"
#include "sim/uint128.h"

namespace emu::s3 {

// S3 limits (https://docs.aws.amazon.com/AmazonS3/latest/userguide/).
inline constexpr uint64_t kMaxSinglePutBytes = 5ull << 30;  // 5 GiB
inline constexpr uint64_t kMaxCopySourceBytes = 5ull << 30;
inline constexpr std::size_t kMaxKeyBytes = 1024;
inline constexpr std::size_t kMaxUserMetadataBytes = 2048;
inline constexpr int kMaxListKeys = 1000;

struct StoredObject {
  std::shared_ptr<const ObjectBody> body;
  std::string etag;  // with the quotes
  std::string content_type;
  std::map<std::string, std::string> metadata;  // keys lower-cased, as S3 stores them
  int64_t last_modified_unix_nanos = 0;
  // Grows with every change of any key (PUT, COPY, DELETE), so it orders the
  // changes of one key: the event notification's "sequencer".
  uint64_t sequencer = 0;
  uint64_t size() const { return body->size(); }
};

struct BucketUsage {
  uint64_t bytes = 0;
  uint64_t objects = 0;
};

class S3Model {
 public:
  // `cost` receives storage GB-months; `epoch_unix_nanos` maps sim time to
  // the dates S3 shows (LastModified).
  explicit S3Model(CostMeter& cost, int64_t epoch_unix_nanos = Env::kDefaultEpochUnixNanos);

  // --- operations (AWS names) -------------------------------------------
  // InvalidBucketName, BucketAlreadyOwnedByYou.
  sim::Status CreateBucket(const CreateBucketRequest& request, sim::Time now);
  // Overwrites; strong read-after-write. NoSuchBucket, KeyTooLongError,
  // InvalidArgument (empty key), EntityTooLarge, MetadataTooLarge.
  sim::StatusOr<PutObjectResponse> PutObject(const PutObjectRequest& request, sim::Time now);
  // Materialises the body. NoSuchBucket, NoSuchKey.
  sim::StatusOr<GetObjectResponse> GetObject(const GetObjectRequest& request) const;
  sim::StatusOr<ObjectInfo> HeadObject(const HeadObjectRequest& request) const;
  // Deleting a missing key succeeds, as in S3. NoSuchBucket.
  sim::Status DeleteObject(const DeleteObjectRequest& request, sim::Time now);
  // Shares the source's body (same ETag). NoSuchBucket, NoSuchKey,
  // InvalidRequest (onto itself with COPY, source above 5 GiB).
  sim::StatusOr<CopyObjectResponse> CopyObject(const CopyObjectRequest& request, sim::Time now);
  // UTF-8 binary order; MaxKeys above 1,000 is taken as 1,000; the token
  // resumes after the last key returned, so paging visits every key once.
  // Contents carry key, size, ETag and LastModified (as S3's listing).
  // NoSuchBucket, InvalidArgument (MaxKeys < 0, bad token).
  sim::StatusOr<ListObjectsV2Response> ListObjectsV2(const ListObjectsV2Request& request) const;
  // Replaces the bucket's configuration. Rules without an id get one.
  // Checks event names, target ARN services (sns, sqs, lambda) and rule
  // overlap; whether the targets exist is the facade's check.
  // NoSuchBucket, InvalidArgument.
  sim::Status PutBucketNotificationConfiguration(const PutBucketNotificationConfigurationRequest& request);

  // --- introspection (pipeline checks, tests) --------------------------
  bool BucketExists(std::string_view bucket) const;
  std::vector<std::string> BucketNames() const;
  // Null if the bucket or key does not exist. Valid until the next change.
  const StoredObject* FindObject(std::string_view bucket, std::string_view key) const;
  // Every key starting with `prefix`, in UTF-8 binary order.
  std::vector<std::string> KeysWithPrefix(std::string_view bucket, std::string_view prefix) const;
  void ForEachObject(std::string_view bucket, std::string_view prefix,
                     const std::function<void(const std::string& key, const StoredObject&)>& fn) const;
  BucketUsage Usage(std::string_view bucket) const;  // zero if no such bucket
  BucketUsage TotalUsage() const;
  const std::vector<NotificationRule>& NotificationRules(std::string_view bucket) const;
  // Rules of the bucket whose events and filters match an event
  // ("ObjectCreated:Put") on `key`, in configuration order.
  std::vector<const NotificationRule*> MatchingRules(std::string_view bucket, std::string_view event_name,
                                                     std::string_view key) const;
  // The sequencer of the last change (the one a DELETE just made).
  uint64_t last_sequencer() const { return sequencer_; }

  // --- storage accounting ----------------------------------------------
  // Byte-seconds stored by the bucket from its creation up to `now`
  // (exact: computed from integer byte-nanoseconds).
  double StorageByteSeconds(std::string_view bucket, sim::Time now) const;
  double TotalStorageByteSeconds() const;  // integrated so far, all buckets
  // Integrates every bucket up to `now` and bills the increase.
  void FlushStorage(sim::Time now);

  // Bucket naming rules (3-63 chars of a-z 0-9 . -, alphanumeric at both
  // ends, no "..", not an IP address, no reserved prefix or suffix).
  static sim::Status ValidateBucketName(std::string_view name);
  // "s3:ObjectCreated:*" matches "ObjectCreated:Put"; exact names match
  // themselves.
  static bool EventPatternMatches(std::string_view pattern, std::string_view event_name);

 private:
  struct Bucket {
    std::map<std::string, StoredObject, std::less<>> objects;
    std::vector<NotificationRule> rules;
    uint64_t bytes = 0;
    sim::Time integrated_until;
    sim::Uint128 byte_nanos = 0;
  };

  Bucket* FindBucket(std::string_view name);
  const Bucket* FindBucket(std::string_view name) const;
  sim::StatusOr<Bucket*> GetBucket(std::string_view name);
  sim::StatusOr<const Bucket*> GetBucket(std::string_view name) const;
  // Integrates the bucket's bytes from its last change up to `now`, bills.
  void Integrate(Bucket& bucket, sim::Time now);
  // Stores `object` under `key` (replacing any), keeping usage current.
  void Store(Bucket& bucket, const std::string& key, StoredObject object, sim::Time now);
  ObjectInfo InfoOf(const std::string& key, const StoredObject& object) const;

  CostMeter& cost_;
  int64_t epoch_unix_nanos_;
  std::map<std::string, Bucket, std::less<>> buckets_;
  uint64_t sequencer_ = 0;
  uint64_t total_objects_ = 0;
  uint64_t total_bytes_ = 0;
  sim::Uint128 total_byte_nanos_ = 0;
  double billed_gb_months_ = 0;
};

}  // namespace emu::s3
