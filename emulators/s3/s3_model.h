#pragma once

// S3 state: buckets, objects (key -> shared immutable body + metadata),
// multipart uploads in progress, notification configurations, and storage
// accounting. Passive: every
// operation takes `now` and nothing here reads a clock or schedules an
// event; the facade (s3_api.h) adds latency, faults and notification
// delivery. Errors are AWS-named statuses (s3_errors.h) and a failed
// operation changes nothing.
//
// Objects of a bucket are a std::map keyed by the key bytes: std::string
// compares as unsigned bytes, which is UTF-8 binary order, the order
// ListObjectsV2 returns; a listing walks it once, skipping each rolled-up
// common prefix's keys with one lower_bound. Storage (objects plus parts of
// uploads in progress) is integrated exactly, as integer byte-nanoseconds,
// at every change of a bucket's size, and the increase is
// billed at once as "s3"/"storage" GB-months; FlushStorage(now) brings every
// bucket up to `now` (call it at the end of a run).

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "emulators/common/cost_meter.h"
#include "emulators/common/env.h"
#include "emulators/s3/object_body.h"
#include "emulators/s3/s3_api.h"
#include "sim/rng.h"
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
inline constexpr std::size_t kMaxDeleteObjectsKeys = 1000;
inline constexpr int kMaxPartNumber = 10000;
inline constexpr uint64_t kMinPartBytes = 5ull << 20;    // 5 MiB, all parts but the last
inline constexpr uint64_t kMaxPartBytes = 5ull << 30;    // 5 GiB
inline constexpr uint64_t kMaxObjectBytes = 5ull << 40;  // 5 TiB
inline constexpr int kMaxListParts = 1000;
inline constexpr int kMaxListUploads = 1000;

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
  uint64_t bytes = 0;  // of objects
  uint64_t objects = 0;
  // Parts of multipart uploads not completed or aborted yet: stored and
  // billed as AWS bills them, but not objects.
  uint64_t part_bytes = 0;
  uint64_t parts = 0;
};

// Objects stored under one prefix of a bucket (storage accounting).
struct PrefixUsage {
  uint64_t bytes = 0;
  uint64_t objects = 0;
};

struct UploadedPart {
  std::shared_ptr<const ObjectBody> body;
  std::string etag;  // quoted MD5
  Md5Digest md5{};
  int64_t last_modified_unix_nanos = 0;
};

struct MultipartUpload {
  std::string key;
  std::string upload_id;
  std::string content_type;
  std::map<std::string, std::string> metadata;
  int64_t initiated_unix_nanos = 0;
  std::map<int, UploadedPart> parts;  // by part number
  uint64_t bytes = 0;                 // sum of the parts
};

// A key a DeleteObjects call removed, with the sequencer of its removal.
struct RemovedKey {
  std::string key;
  uint64_t sequencer = 0;
};

// The canonical user of an account as listings show it: 64 hex digits
// derived from the account id (stable across runs), display name
// "adpsim-<account>".
Owner OwnerOfAccount(std::string_view account_id);

class S3Model {
 public:
  // `cost` receives storage GB-months; `epoch_unix_nanos` maps sim time to
  // the dates S3 shows (LastModified).
  explicit S3Model(CostMeter& cost, int64_t epoch_unix_nanos = Env::kDefaultEpochUnixNanos);

  // --- operations (AWS names) -------------------------------------------
  // InvalidBucketName, BucketAlreadyOwnedByYou.
  sim::Status CreateBucket(const CreateBucketRequest& request, sim::Time now);
  // NoSuchBucket.
  sim::Status HeadBucket(const HeadBucketRequest& request) const;
  // BucketNotEmpty while any object remains. Multipart uploads in progress
  // do not block it (as in S3): they are discarded with the bucket.
  // NoSuchBucket.
  sim::Status DeleteBucket(const DeleteBucketRequest& request, sim::Time now);
  ListBucketsResponse ListBuckets() const;
  // Overwrites; strong read-after-write. NoSuchBucket, KeyTooLongError,
  // InvalidArgument (empty key), EntityTooLarge, MetadataTooLarge.
  sim::StatusOr<PutObjectResponse> PutObject(const PutObjectRequest& request, sim::Time now);
  // Materialises the body, or only the requested range (generated bodies
  // generate only up to its end). NoSuchBucket, NoSuchKey, InvalidRange.
  sim::StatusOr<GetObjectResponse> GetObject(const GetObjectRequest& request) const;
  sim::StatusOr<ObjectInfo> HeadObject(const HeadObjectRequest& request) const;
  // Deleting a missing key succeeds, as in S3. NoSuchBucket.
  sim::Status DeleteObject(const DeleteObjectRequest& request, sim::Time now);
  // Shares the source's body (same ETag). NoSuchBucket, NoSuchKey,
  // InvalidRequest (onto itself with COPY, source above 5 GiB).
  sim::StatusOr<CopyObjectResponse> CopyObject(const CopyObjectRequest& request, sim::Time now);
  // Keys in request order; a missing key is reported Deleted (as S3); an
  // invalid key is a per-key error. `removed` (optional) receives the keys
  // that existed. NoSuchBucket, MalformedXML (no keys or over 1,000).
  sim::StatusOr<DeleteObjectsResponse> DeleteObjects(const DeleteObjectsRequest& request, sim::Time now,
                                                     std::vector<RemovedKey>* removed = nullptr);
  // Entries are keys and, with a delimiter, common prefixes (each counted
  // once against MaxKeys), in UTF-8 binary order, after StartAfter or the
  // token (which wins); MaxKeys above 1,000 is taken as 1,000; the token
  // names the last entry returned, so paging visits every entry once.
  // Contents carry key, size, ETag, LastModified (and Owner with
  // FetchOwner). NoSuchBucket, InvalidArgument (MaxKeys < 0, bad token,
  // EncodingType other than "url").
  sim::StatusOr<ListObjectsV2Response> ListObjectsV2(const ListObjectsV2Request& request) const;
  // Version 1: Marker instead of a token; owners always; NextMarker only
  // with a delimiter. NoSuchBucket, InvalidArgument.
  sim::StatusOr<ListObjectsResponse> ListObjects(const ListObjectsRequest& request) const;

  // --- multipart upload (s3_multipart.cc) --------------------------------
  // UploadId: opaque, from the model's upload-id generator; string order is
  // initiation order. NoSuchBucket, KeyTooLongError, InvalidArgument,
  // MetadataTooLarge.
  sim::StatusOr<CreateMultipartUploadResponse> CreateMultipartUpload(const CreateMultipartUploadRequest& request,
                                                                     sim::Time now);
  // Replaces a part of the same number. NoSuchUpload, InvalidArgument (part
  // number outside 1..10,000), EntityTooLarge (above 5 GiB).
  sim::StatusOr<UploadPartResponse> UploadPart(const UploadPartRequest& request, sim::Time now);
  // The part shares the source body (or a slice of it). NoSuchKey,
  // NoSuchUpload, InvalidArgument (bad range), InvalidRequest (above 5 GiB).
  sim::StatusOr<UploadPartCopyResponse> UploadPartCopy(const UploadPartCopyRequest& request, sim::Time now);
  // Checks in order: NoSuchUpload, MalformedXML (no parts), InvalidPartOrder
  // (not strictly ascending), InvalidPart (missing or ETag differs),
  // EntityTooSmall (a part but the last below 5 MiB), EntityTooLarge. The
  // object's body is the concatenation of the parts (shared, not copied);
  // LastModified is the initiation time, as S3 shows it. Parts not listed
  // are discarded.
  sim::StatusOr<CompleteMultipartUploadResponse> CompleteMultipartUpload(const CompleteMultipartUploadRequest& request,
                                                                         sim::Time now);
  // Frees the parts. NoSuchUpload.
  sim::Status AbortMultipartUpload(const AbortMultipartUploadRequest& request, sim::Time now);
  // Parts after part_number_marker, ascending; max_parts capped at 1,000.
  // NoSuchUpload, InvalidArgument.
  sim::StatusOr<ListPartsResponse> ListParts(const ListPartsRequest& request) const;
  // By key then initiation; key_marker: keys after it, or with
  // upload_id_marker uploads of that key after that id too. NoSuchBucket,
  // InvalidArgument.
  sim::StatusOr<ListMultipartUploadsResponse> ListMultipartUploads(const ListMultipartUploadsRequest& request) const;
  // The generator of upload ids (the facade passes stream "s3.upload_ids").
  void SetUploadIdRng(sim::Rng rng) { upload_id_rng_ = rng; }
  // The owner listings report (the facade derives it from the account).
  void SetOwner(Owner owner) { owner_ = std::move(owner); }
  const Owner& owner() const { return owner_; }
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
  // Null if the bucket or upload does not exist.
  const MultipartUpload* FindUpload(std::string_view bucket, std::string_view key, std::string_view upload_id) const;
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
  // Which prefixes of `bucket` are accounted: a key counts in every
  // tracked prefix it starts with; with none (the default) in its first
  // path segment (up to and including the first '/', "" without one).
  // Recomputed from the stored objects. NoSuchBucket.
  sim::Status SetTrackedPrefixes(std::string_view bucket, std::vector<std::string> prefixes);
  // Objects and bytes per accounted prefix (prefixes emptied stay, at 0);
  // empty if no such bucket.
  std::map<std::string, PrefixUsage> PrefixUsages(std::string_view bucket) const;

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
    // Uploads in progress by (key, upload id): key order, then initiation.
    std::map<std::pair<std::string, std::string>, MultipartUpload> uploads;
    int64_t created_unix_nanos = 0;
    uint64_t bytes = 0;       // of objects
    uint64_t part_bytes = 0;  // of parts of uploads in progress
    uint64_t parts = 0;
    sim::Time integrated_until;
    sim::Uint128 byte_nanos = 0;
    std::vector<std::string> tracked_prefixes;  // empty: first path segment
    std::map<std::string, PrefixUsage, std::less<>> prefix_usage;
  };

  Bucket* FindBucket(std::string_view name);
  const Bucket* FindBucket(std::string_view name) const;
  sim::StatusOr<Bucket*> GetBucket(std::string_view name);
  sim::StatusOr<const Bucket*> GetBucket(std::string_view name) const;
  // Integrates the bucket's bytes from its last change up to `now`, bills.
  void Integrate(Bucket& bucket, sim::Time now);
  // Stores `object` under `key` (replacing any), keeping usage current.
  void Store(Bucket& bucket, const std::string& key, StoredObject object, sim::Time now);
  // Removes the object at `it`, keeping usage current (the caller bumps the
  // sequencer).
  void Erase(Bucket& bucket, std::map<std::string, StoredObject, std::less<>>::iterator it, sim::Time now);
  // Adds an object's bytes (sign = +1) or removes them (-1) from the
  // accounted prefixes of `key`.
  static void AccountPrefixes(Bucket& bucket, std::string_view key, uint64_t bytes, int sign);
  ObjectInfo InfoOf(const std::string& key, const StoredObject& object) const;
  // One page of a listing: keys and common prefixes after `after`.
  struct ListPage {
    std::vector<ObjectInfo> contents;
    std::vector<std::string> common_prefixes;
    bool truncated = false;
    std::string last;  // the last entry returned
  };
  ListPage Walk(const Bucket& bucket, std::string_view prefix, std::string_view delimiter, const std::string* after,
                int max_keys, bool with_owner) const;
  sim::StatusOr<MultipartUpload*> GetUpload(Bucket& bucket, const std::string& key, const std::string& upload_id);
  // Removes an upload, freeing its parts' storage.
  void DropUpload(Bucket& bucket, std::map<std::pair<std::string, std::string>, MultipartUpload>::iterator it,
                  sim::Time now);
  // Adds or replaces a part, keeping the storage accounting current.
  void StorePart(Bucket& bucket, MultipartUpload& upload, int part_number, UploadedPart part, sim::Time now);

  CostMeter& cost_;
  int64_t epoch_unix_nanos_;
  std::map<std::string, Bucket, std::less<>> buckets_;
  uint64_t sequencer_ = 0;
  uint64_t total_objects_ = 0;
  uint64_t total_bytes_ = 0;
  uint64_t total_part_bytes_ = 0;
  uint64_t total_parts_ = 0;
  uint64_t uploads_created_ = 0;
  sim::Rng upload_id_rng_{0x5350'4c4f'4144ull};
  Owner owner_;
  sim::Uint128 total_byte_nanos_ = 0;
  double billed_gb_months_ = 0;
};

}  // namespace emu::s3
