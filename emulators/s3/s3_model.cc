#include "emulators/s3/s3_model.h"

#include <algorithm>
#include <array>

#include "emulators/common/account.h"
#include "emulators/common/hashing.h"
#include "emulators/s3/s3_errors.h"
#include "emulators/s3/s3_notification.h"
#include "emulators/s3/s3_range.h"
#include "emulators/s3/s3_validation.h"
#include "sim/check.h"

namespace emu::s3 {

namespace {

constexpr std::string_view kTokenPrefix = "adpsim-v1:";

// Concrete event types a configuration may name (after "s3:"); the
// wildcard forms expand to these.
constexpr std::array<std::string_view, 6> kConcreteEvents = {
    "ObjectCreated:Put",    "ObjectCreated:Post",
    "ObjectCreated:Copy",   "ObjectCreated:CompleteMultipartUpload",
    "ObjectRemoved:Delete", "ObjectRemoved:DeleteMarkerCreated",
};

bool IsKnownEventPattern(std::string_view pattern) {
  if (pattern == "s3:ObjectCreated:*" || pattern == "s3:ObjectRemoved:*") return true;
  if (!pattern.starts_with("s3:")) return false;
  return std::find(kConcreteEvents.begin(), kConcreteEvents.end(), pattern.substr(3)) != kConcreteEvents.end();
}

bool EventsOverlap(const NotificationRule& a, const NotificationRule& b) {
  for (std::string_view e : kConcreteEvents) {
    bool in_a = false, in_b = false;
    for (const std::string& p : a.events) in_a = in_a || S3Model::EventPatternMatches(p, e);
    for (const std::string& p : b.events) in_b = in_b || S3Model::EventPatternMatches(p, e);
    if (in_a && in_b) return true;
  }
  return false;
}

bool IsIpFormatted(std::string_view name) {
  int parts = 0;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = name.find('.', start);
    const std::string_view part = name.substr(start, dot == std::string_view::npos ? name.npos : dot - start);
    if (part.empty() || !std::all_of(part.begin(), part.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts == 4;
}

}  // namespace

sim::Status ValidateKey(std::string_view key) {
  if (key.empty()) return AwsError(errors::kInvalidArgument, "object key must not be empty");
  if (key.size() > kMaxKeyBytes) {
    return AwsError(errors::kKeyTooLongError, "Your key is too long: " + std::to_string(key.size()) +
                                                  " bytes, the maximum is " + std::to_string(kMaxKeyBytes));
  }
  return sim::OkStatus();
}

// Lower-cases the names (HTTP headers are case-insensitive; S3 returns
// them in lower case) and checks the 2 KB limit.
sim::StatusOr<std::map<std::string, std::string>> NormaliseMetadata(const std::map<std::string, std::string>& in) {
  std::map<std::string, std::string> out;
  std::size_t bytes = 0;
  for (const auto& [name, value] : in) {
    std::string lower = name;
    for (char& c : lower)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    bytes += name.size() + value.size();
    out[std::move(lower)] = value;
  }
  if (bytes > kMaxUserMetadataBytes) {
    return AwsError(errors::kMetadataTooLarge,
                    "Your metadata headers exceed the maximum allowed metadata size: " + std::to_string(bytes) + " > " +
                        std::to_string(kMaxUserMetadataBytes) + " bytes");
  }
  return out;
}

Owner OwnerOfAccount(std::string_view account_id) {
  return Owner{Sha256Hex("adpsim canonical user " + std::string(account_id)), "adpsim-" + std::string(account_id)};
}

S3Model::S3Model(CostMeter& cost, int64_t epoch_unix_nanos)
    : cost_(cost), epoch_unix_nanos_(epoch_unix_nanos), owner_(OwnerOfAccount("000000000000")) {}

// --- validation --------------------------------------------------------------

sim::Status S3Model::ValidateBucketName(std::string_view name) {
  auto bad = [&](const std::string& why) {
    return AwsError(errors::kInvalidBucketName,
                    "The specified bucket is not valid: '" + std::string(name) + "' " + why);
  };
  if (name.size() < 3 || name.size() > 63) return bad("(must be 3 to 63 characters long)");
  for (const char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-'))
      return bad("(only lower-case letters, digits, '.' and '-')");
  }
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!alnum(name.front()) || !alnum(name.back())) return bad("(must begin and end with a letter or digit)");
  if (name.find("..") != std::string_view::npos) return bad("(no two adjacent periods)");
  if (IsIpFormatted(name)) return bad("(must not be formatted as an IP address)");
  for (std::string_view p : {"xn--", "sthree-", "amzn-s3-demo-"})
    if (name.starts_with(p)) return bad("(reserved prefix " + std::string(p) + ")");
  for (std::string_view s : {"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"})
    if (name.ends_with(s)) return bad("(reserved suffix " + std::string(s) + ")");
  return sim::OkStatus();
}

bool S3Model::EventPatternMatches(std::string_view pattern, std::string_view event_name) {
  if (!pattern.starts_with("s3:")) return false;
  pattern.remove_prefix(3);
  if (pattern.ends_with('*')) return event_name.starts_with(pattern.substr(0, pattern.size() - 1));
  return pattern == event_name;
}

// --- buckets -------------------------------------------------------------------

S3Model::Bucket* S3Model::FindBucket(std::string_view name) {
  auto it = buckets_.find(name);
  return it == buckets_.end() ? nullptr : &it->second;
}

const S3Model::Bucket* S3Model::FindBucket(std::string_view name) const {
  auto it = buckets_.find(name);
  return it == buckets_.end() ? nullptr : &it->second;
}

sim::StatusOr<S3Model::Bucket*> S3Model::GetBucket(std::string_view name) {
  Bucket* b = FindBucket(name);
  if (b == nullptr) return AwsError(errors::kNoSuchBucket, "The specified bucket does not exist: " + std::string(name));
  return b;
}

sim::StatusOr<const S3Model::Bucket*> S3Model::GetBucket(std::string_view name) const {
  const Bucket* b = FindBucket(name);
  if (b == nullptr) return AwsError(errors::kNoSuchBucket, "The specified bucket does not exist: " + std::string(name));
  return b;
}

sim::Status S3Model::CreateBucket(const CreateBucketRequest& request, sim::Time now) {
  SIM_RETURN_IF_ERROR(ValidateBucketName(request.bucket));
  if (FindBucket(request.bucket) != nullptr) {
    return AwsError(
        errors::kBucketAlreadyOwnedByYou,
        "Your previous request to create the named bucket succeeded and you already own it: " + request.bucket);
  }
  Bucket& b = buckets_[request.bucket];
  b.integrated_until = now;
  b.created_unix_nanos = epoch_unix_nanos_ + now.nanos();
  return sim::OkStatus();
}

sim::Status S3Model::HeadBucket(const HeadBucketRequest& request) const {
  SIM_ASSIGN_OR_RETURN(const Bucket* bucket, GetBucket(request.bucket));
  (void)bucket;
  return sim::OkStatus();
}

sim::Status S3Model::DeleteBucket(const DeleteBucketRequest& request, sim::Time now) {
  SIM_ASSIGN_OR_RETURN(Bucket * bucket, GetBucket(request.bucket));
  if (!bucket->objects.empty()) {
    return AwsError(errors::kBucketNotEmpty, "The bucket you tried to delete is not empty: " + request.bucket);
  }
  // Storage up to now stays billed (and in the total); uploads in progress
  // go with the bucket.
  Integrate(*bucket, now);
  total_part_bytes_ -= bucket->part_bytes;
  total_parts_ -= bucket->parts;
  buckets_.erase(buckets_.find(request.bucket));
  return sim::OkStatus();
}

ListBucketsResponse S3Model::ListBuckets() const {
  ListBucketsResponse response;
  response.owner = owner_;
  for (const auto& [name, b] : buckets_) response.buckets.push_back(BucketInfo{name, b.created_unix_nanos});
  return response;
}

// --- objects -------------------------------------------------------------------

void S3Model::Integrate(Bucket& bucket, sim::Time now) {
  SIM_CHECK_MSG(now >= bucket.integrated_until, "S3 storage integrated backwards in time");
  const sim::Uint128 delta = static_cast<sim::Uint128>(bucket.bytes + bucket.part_bytes) *
                             static_cast<sim::Uint128>((now - bucket.integrated_until).nanos());
  bucket.integrated_until = now;
  if (delta == 0) return;
  bucket.byte_nanos += delta;
  total_byte_nanos_ += delta;
  // Bill the difference of the exact running total, so rounding never
  // accumulates over many small increments.
  const double gb_months = ByteSecondsToGbMonths(TotalStorageByteSeconds());
  cost_.Add("s3", "storage", gb_months - billed_gb_months_);
  billed_gb_months_ = gb_months;
}

void S3Model::Store(Bucket& bucket, const std::string& key, StoredObject object, sim::Time now) {
  Integrate(bucket, now);
  object.sequencer = ++sequencer_;
  const uint64_t size = object.size();
  auto [it, inserted] = bucket.objects.try_emplace(key);
  if (inserted) {
    ++total_objects_;
  } else {
    bucket.bytes -= it->second.size();
    total_bytes_ -= it->second.size();
    AccountPrefixes(bucket, key, it->second.size(), -1);
  }
  bucket.bytes += size;
  total_bytes_ += size;
  AccountPrefixes(bucket, key, size, +1);
  it->second = std::move(object);
}

void S3Model::Erase(Bucket& bucket, std::map<std::string, StoredObject, std::less<>>::iterator it, sim::Time now) {
  Integrate(bucket, now);
  bucket.bytes -= it->second.size();
  total_bytes_ -= it->second.size();
  --total_objects_;
  AccountPrefixes(bucket, it->first, it->second.size(), -1);
  bucket.objects.erase(it);
}

void S3Model::AccountPrefixes(Bucket& bucket, std::string_view key, uint64_t bytes, int sign) {
  const auto apply = [&](std::string_view prefix) {
    auto p = bucket.prefix_usage.find(prefix);
    if (p == bucket.prefix_usage.end()) p = bucket.prefix_usage.emplace(std::string(prefix), PrefixUsage{}).first;
    if (sign > 0) {
      p->second.bytes += bytes;
      ++p->second.objects;
    } else {
      p->second.bytes -= bytes;
      --p->second.objects;
    }
  };
  if (bucket.tracked_prefixes.empty()) {
    const std::size_t slash = key.find('/');
    apply(slash == std::string_view::npos ? std::string_view() : key.substr(0, slash + 1));
    return;
  }
  for (const std::string& prefix : bucket.tracked_prefixes) {
    if (key.starts_with(prefix)) apply(prefix);
  }
}

sim::Status S3Model::SetTrackedPrefixes(std::string_view name, std::vector<std::string> prefixes) {
  SIM_ASSIGN_OR_RETURN(Bucket * bucket, GetBucket(name));
  std::sort(prefixes.begin(), prefixes.end());
  prefixes.erase(std::unique(prefixes.begin(), prefixes.end()), prefixes.end());
  bucket->tracked_prefixes = std::move(prefixes);
  bucket->prefix_usage.clear();
  for (const std::string& prefix : bucket->tracked_prefixes) bucket->prefix_usage[prefix];  // listed at 0
  for (const auto& [key, object] : bucket->objects) AccountPrefixes(*bucket, key, object.size(), +1);
  return sim::OkStatus();
}

std::map<std::string, PrefixUsage> S3Model::PrefixUsages(std::string_view name) const {
  const Bucket* bucket = FindBucket(name);
  if (bucket == nullptr) return {};
  return {bucket->prefix_usage.begin(), bucket->prefix_usage.end()};
}

ObjectInfo S3Model::InfoOf(const std::string& key, const StoredObject& o) const {
  return ObjectInfo{key, o.size(), o.etag, o.content_type, o.metadata, o.last_modified_unix_nanos};
}

sim::StatusOr<PutObjectResponse> S3Model::PutObject(const PutObjectRequest& request, sim::Time now) {
  SIM_ASSIGN_OR_RETURN(Bucket * bucket, GetBucket(request.bucket));
  SIM_RETURN_IF_ERROR(ValidateKey(request.key));
  std::shared_ptr<const ObjectBody> body = request.body ? request.body : ObjectBody::FromBytes("");
  if (body->size() > kMaxSinglePutBytes) {
    return AwsError(errors::kEntityTooLarge,
                    "Your proposed upload exceeds the maximum allowed size: " + std::to_string(body->size()) + " > " +
                        std::to_string(kMaxSinglePutBytes) + " bytes");
  }
  SIM_ASSIGN_OR_RETURN(auto metadata, NormaliseMetadata(request.metadata));
  StoredObject object;
  object.etag = body->ETag();
  object.body = std::move(body);
  object.content_type = request.content_type.empty() ? kDefaultContentType : request.content_type;
  object.metadata = std::move(metadata);
  object.last_modified_unix_nanos = epoch_unix_nanos_ + now.nanos();
  PutObjectResponse response{object.etag};
  Store(*bucket, request.key, std::move(object), now);
  return response;
}

sim::StatusOr<GetObjectResponse> S3Model::GetObject(const GetObjectRequest& request) const {
  SIM_ASSIGN_OR_RETURN(const Bucket* bucket, GetBucket(request.bucket));
  SIM_RETURN_IF_ERROR(ValidateKey(request.key));
  auto it = bucket->objects.find(request.key);
  if (it == bucket->objects.end()) {
    return AwsError(errors::kNoSuchKey, "The specified key does not exist: " + request.key);
  }
  const StoredObject& o = it->second;
  std::optional<ByteRangeSpec> spec;
  if (!request.range.empty()) spec = ParseRangeHeader(request.range);
  if (!spec) return GetObjectResponse{InfoOf(it->first, o), o.body->Read()};
  SIM_ASSIGN_OR_RETURN(ResolvedRange r, ResolveRange(*spec, o.size()));
  GetObjectResponse response{InfoOf(it->first, o), o.body->ReadRange(r.offset, r.length)};
  response.http_status = 206;
  response.content_range = ContentRange(r, o.size());
  return response;
}

sim::StatusOr<ObjectInfo> S3Model::HeadObject(const HeadObjectRequest& request) const {
  SIM_ASSIGN_OR_RETURN(const Bucket* bucket, GetBucket(request.bucket));
  SIM_RETURN_IF_ERROR(ValidateKey(request.key));
  auto it = bucket->objects.find(request.key);
  if (it == bucket->objects.end()) {
    return AwsError(errors::kNoSuchKey, "The specified key does not exist: " + request.key);
  }
  return InfoOf(it->first, it->second);
}

sim::Status S3Model::DeleteObject(const DeleteObjectRequest& request, sim::Time now) {
  SIM_ASSIGN_OR_RETURN(Bucket * bucket, GetBucket(request.bucket));
  SIM_RETURN_IF_ERROR(ValidateKey(request.key));
  auto it = bucket->objects.find(request.key);
  if (it == bucket->objects.end()) return sim::OkStatus();  // S3: 204 for a missing key too
  Erase(*bucket, it, now);
  ++sequencer_;
  return sim::OkStatus();
}

sim::StatusOr<DeleteObjectsResponse> S3Model::DeleteObjects(const DeleteObjectsRequest& request, sim::Time now,
                                                            std::vector<RemovedKey>* removed) {
  SIM_ASSIGN_OR_RETURN(Bucket * bucket, GetBucket(request.bucket));
  if (request.keys.empty() || request.keys.size() > kMaxDeleteObjectsKeys) {
    return AwsError(errors::kMalformedXML,
                    "The XML you provided was not well-formed or did not validate against our published schema (" +
                        std::to_string(request.keys.size()) + " keys; 1 to 1000 allowed)");
  }
  DeleteObjectsResponse response;
  for (const std::string& key : request.keys) {
    if (sim::Status valid = ValidateKey(key); !valid.ok()) {
      response.errors.push_back(DeleteError{key, std::string(valid.name()), std::string(valid.message())});
      continue;
    }
    auto it = bucket->objects.find(key);
    if (it != bucket->objects.end()) {
      Erase(*bucket, it, now);
      ++sequencer_;
      if (removed != nullptr) removed->push_back(RemovedKey{key, sequencer_});
    }
    if (!request.quiet) response.deleted.push_back(DeletedObject{key});
  }
  return response;
}

sim::StatusOr<CopyObjectResponse> S3Model::CopyObject(const CopyObjectRequest& request, sim::Time now) {
  SIM_ASSIGN_OR_RETURN(const Bucket* source_bucket, GetBucket(request.source_bucket));
  SIM_RETURN_IF_ERROR(ValidateKey(request.source_key));
  auto src = source_bucket->objects.find(request.source_key);
  if (src == source_bucket->objects.end()) {
    return AwsError(errors::kNoSuchKey, "The specified key does not exist: " + request.source_key);
  }
  SIM_ASSIGN_OR_RETURN(Bucket * bucket, GetBucket(request.bucket));
  SIM_RETURN_IF_ERROR(ValidateKey(request.key));
  const StoredObject& source = src->second;
  if (request.source_bucket == request.bucket && request.source_key == request.key &&
      request.metadata_directive == MetadataDirective::kCopy) {
    return AwsError(errors::kInvalidRequest,
                    "This copy request is illegal because it is trying to copy an object to itself without changing "
                    "the object's metadata, storage class, website redirect location or encryption attributes.");
  }
  if (source.size() > kMaxCopySourceBytes) {
    return AwsError(errors::kInvalidRequest,
                    "The specified copy source is larger than the maximum allowable size for a copy source: " +
                        std::to_string(kMaxCopySourceBytes));
  }
  StoredObject copy;
  copy.body = source.body;  // shared, never copied
  copy.etag = source.etag;
  if (request.metadata_directive == MetadataDirective::kCopy) {
    copy.content_type = source.content_type;
    copy.metadata = source.metadata;
  } else {
    SIM_ASSIGN_OR_RETURN(copy.metadata, NormaliseMetadata(request.metadata));
    copy.content_type = request.content_type.value_or(kDefaultContentType);
  }
  copy.last_modified_unix_nanos = epoch_unix_nanos_ + now.nanos();
  CopyObjectResponse response{copy.etag, copy.last_modified_unix_nanos};
  Store(*bucket, request.key, std::move(copy), now);
  return response;
}

namespace {

// The first string above every string that starts with `prefix` ("" if
// there is none: the prefix is all 0xff bytes).
std::string PrefixEnd(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty() && static_cast<unsigned char>(end.back()) == 0xff) end.pop_back();
  if (!end.empty()) end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
  return end;
}

sim::Status ValidateEncodingType(const std::string& encoding_type) {
  if (encoding_type.empty() || encoding_type == "url") return sim::OkStatus();
  return AwsError(errors::kInvalidArgument, "Invalid Encoding Method specified in Request: " + encoding_type);
}

// EncodingType=url: the form encoding S3 uses for listings, '/' kept
// (measured on S3: "a b" -> "a+b", "a+b" -> "a%2Bb").
std::string MaybeEncode(const std::string& encoding_type, const std::string& value) {
  return encoding_type == "url" ? UrlEncodeEventKey(value) : value;
}

}  // namespace

S3Model::ListPage S3Model::Walk(const Bucket& bucket, std::string_view prefix, std::string_view delimiter,
                                const std::string* after, int max_keys, bool with_owner) const {
  ListPage page;
  if (max_keys <= 0) return page;  // nothing, and not truncated: a paging loop cannot spin
  const auto& objects = bucket.objects;
  auto it = objects.lower_bound(prefix);
  if (after != nullptr) {
    auto resume = objects.upper_bound(*after);
    if (resume == objects.end() || (it != objects.end() && resume->first > it->first)) it = resume;
  }
  int count = 0;
  while (it != objects.end() && it->first.starts_with(prefix)) {
    const std::string& key = it->first;
    const std::size_t pos = delimiter.empty() ? std::string::npos : key.find(delimiter, prefix.size());
    if (pos != std::string::npos) {
      // Rolled up into a common prefix, listed once where its first key is.
      std::string common = key.substr(0, pos + delimiter.size());
      const std::string group_end = PrefixEnd(common);
      if (after == nullptr || common > *after) {
        if (count == max_keys) {
          page.truncated = true;
          break;
        }
        page.last = common;
        page.common_prefixes.push_back(std::move(common));
        ++count;
      }
      // else the group began at or before the marker: already listed.
      it = group_end.empty() ? objects.end() : objects.lower_bound(group_end);
      continue;
    }
    if (count == max_keys) {
      page.truncated = true;
      break;
    }
    ObjectInfo info{key, it->second.size(), it->second.etag, "", {}, it->second.last_modified_unix_nanos};
    if (with_owner) info.owner = owner_;
    page.contents.push_back(std::move(info));
    page.last = key;
    ++count;
    ++it;
  }
  return page;
}

sim::StatusOr<ListObjectsV2Response> S3Model::ListObjectsV2(const ListObjectsV2Request& request) const {
  SIM_ASSIGN_OR_RETURN(const Bucket* bucket, GetBucket(request.bucket));
  if (request.max_keys < 0) return AwsError(errors::kInvalidArgument, "max-keys must be non-negative");
  SIM_RETURN_IF_ERROR(ValidateEncodingType(request.encoding_type));
  const int max_keys = std::min(request.max_keys, kMaxListKeys);
  // The token names the last entry returned; it takes precedence over
  // StartAfter (which only a first request uses).
  std::string after;
  const std::string* after_ptr = nullptr;
  if (!request.continuation_token.empty()) {
    std::optional<std::string> decoded = Base64Decode(request.continuation_token);
    if (!decoded || !decoded->starts_with(kTokenPrefix)) {
      return AwsError(errors::kInvalidArgument, "The continuation token provided is incorrect");
    }
    after = decoded->substr(kTokenPrefix.size());
    after_ptr = &after;
  } else if (!request.start_after.empty()) {
    after = request.start_after;
    after_ptr = &after;
  }
  ListPage page = Walk(*bucket, request.prefix, request.delimiter, after_ptr, max_keys, request.fetch_owner);
  ListObjectsV2Response response;
  const std::string& enc = request.encoding_type;
  response.key_count = static_cast<int>(page.contents.size() + page.common_prefixes.size());
  response.is_truncated = page.truncated;
  if (page.truncated) response.next_continuation_token = Base64Encode(std::string(kTokenPrefix) + page.last);
  response.contents = std::move(page.contents);
  response.common_prefixes = std::move(page.common_prefixes);
  if (enc == "url") {
    for (ObjectInfo& o : response.contents) o.key = UrlEncodeEventKey(o.key);
    for (std::string& p : response.common_prefixes) p = UrlEncodeEventKey(p);
  }
  response.prefix = MaybeEncode(enc, request.prefix);
  response.delimiter = MaybeEncode(enc, request.delimiter);
  response.start_after = MaybeEncode(enc, request.start_after);
  response.continuation_token = request.continuation_token;
  response.max_keys = max_keys;
  response.encoding_type = enc;
  return response;
}

sim::StatusOr<ListObjectsResponse> S3Model::ListObjects(const ListObjectsRequest& request) const {
  SIM_ASSIGN_OR_RETURN(const Bucket* bucket, GetBucket(request.bucket));
  if (request.max_keys < 0) return AwsError(errors::kInvalidArgument, "max-keys must be non-negative");
  SIM_RETURN_IF_ERROR(ValidateEncodingType(request.encoding_type));
  const int max_keys = std::min(request.max_keys, kMaxListKeys);
  ListPage page = Walk(*bucket, request.prefix, request.delimiter, request.marker.empty() ? nullptr : &request.marker,
                       max_keys, /*with_owner=*/true);
  ListObjectsResponse response;
  const std::string& enc = request.encoding_type;
  response.is_truncated = page.truncated;
  if (page.truncated && !request.delimiter.empty()) response.next_marker = MaybeEncode(enc, page.last);
  response.contents = std::move(page.contents);
  response.common_prefixes = std::move(page.common_prefixes);
  if (enc == "url") {
    for (ObjectInfo& o : response.contents) o.key = UrlEncodeEventKey(o.key);
    for (std::string& p : response.common_prefixes) p = UrlEncodeEventKey(p);
  }
  response.prefix = MaybeEncode(enc, request.prefix);
  response.delimiter = MaybeEncode(enc, request.delimiter);
  response.marker = MaybeEncode(enc, request.marker);
  response.max_keys = max_keys;
  response.encoding_type = enc;
  return response;
}

sim::Status S3Model::PutBucketNotificationConfiguration(const PutBucketNotificationConfigurationRequest& request) {
  SIM_ASSIGN_OR_RETURN(Bucket * bucket, GetBucket(request.bucket));
  std::vector<NotificationRule> rules = request.rules;
  for (std::size_t i = 0; i < rules.size(); ++i) {
    NotificationRule& r = rules[i];
    if (r.id.empty()) r.id = "Notification" + std::to_string(i + 1);
    if (r.events.empty()) return AwsError(errors::kInvalidArgument, "rule " + r.id + " has no events");
    for (const std::string& e : r.events) {
      if (!IsKnownEventPattern(e)) {
        return AwsError(errors::kInvalidArgument, "The event is not supported for notifications: " + e);
      }
    }
    const std::optional<ParsedArn> arn = Account::ParseArn(r.target_arn);
    if (!arn || (arn->service != "sns" && arn->service != "sqs" && arn->service != "lambda")) {
      return AwsError(errors::kInvalidArgument,
                      "Unable to validate the following destination configurations: " + r.target_arn);
    }
    // S3 cannot notify FIFO topics or queues (NotificationHowTo: "Amazon
    // SNS FIFO topics are not supported"; SQS FIFO neither).
    if (arn->service != "lambda" && arn->resource.ends_with(".fifo")) {
      return AwsError(errors::kInvalidArgument, "Unable to validate the following destination configurations: " +
                                                    r.target_arn + " (FIFO destinations are not supported)");
    }
  }
  for (std::size_t i = 0; i < rules.size(); ++i) {
    for (std::size_t j = i + 1; j < rules.size(); ++j) {
      const NotificationRule& a = rules[i];
      const NotificationRule& b = rules[j];
      const bool prefixes = a.prefix.starts_with(b.prefix) || b.prefix.starts_with(a.prefix);
      const bool suffixes = a.suffix.ends_with(b.suffix) || b.suffix.ends_with(a.suffix);
      if (prefixes && suffixes && EventsOverlap(a, b)) {
        return AwsError(errors::kInvalidArgument,
                        "Configuration is ambiguously defined. Cannot have overlapping suffixes in two rules if the "
                        "prefixes are overlapping for the same event type (" +
                            a.id + ", " + b.id + ")");
      }
    }
  }
  bucket->rules = std::move(rules);
  return sim::OkStatus();
}

// --- introspection --------------------------------------------------------------

bool S3Model::BucketExists(std::string_view bucket) const { return FindBucket(bucket) != nullptr; }

std::vector<std::string> S3Model::BucketNames() const {
  std::vector<std::string> names;
  for (const auto& [name, b] : buckets_) names.push_back(name);
  return names;
}

const StoredObject* S3Model::FindObject(std::string_view bucket, std::string_view key) const {
  const Bucket* b = FindBucket(bucket);
  if (b == nullptr) return nullptr;
  auto it = b->objects.find(key);
  return it == b->objects.end() ? nullptr : &it->second;
}

void S3Model::ForEachObject(std::string_view bucket, std::string_view prefix,
                            const std::function<void(const std::string&, const StoredObject&)>& fn) const {
  const Bucket* b = FindBucket(bucket);
  if (b == nullptr) return;
  for (auto it = b->objects.lower_bound(prefix); it != b->objects.end() && it->first.starts_with(prefix); ++it) {
    fn(it->first, it->second);
  }
}

std::vector<std::string> S3Model::KeysWithPrefix(std::string_view bucket, std::string_view prefix) const {
  std::vector<std::string> keys;
  ForEachObject(bucket, prefix, [&](const std::string& key, const StoredObject&) { keys.push_back(key); });
  return keys;
}

BucketUsage S3Model::Usage(std::string_view bucket) const {
  const Bucket* b = FindBucket(bucket);
  if (b == nullptr) return {};
  return BucketUsage{b->bytes, b->objects.size(), b->part_bytes, b->parts};
}

BucketUsage S3Model::TotalUsage() const {
  return BucketUsage{total_bytes_, total_objects_, total_part_bytes_, total_parts_};
}

const MultipartUpload* S3Model::FindUpload(std::string_view bucket, std::string_view key,
                                           std::string_view upload_id) const {
  const Bucket* b = FindBucket(bucket);
  if (b == nullptr) return nullptr;
  auto it = b->uploads.find(std::make_pair(std::string(key), std::string(upload_id)));
  return it == b->uploads.end() ? nullptr : &it->second;
}

const std::vector<NotificationRule>& S3Model::NotificationRules(std::string_view bucket) const {
  static const std::vector<NotificationRule> kNone;
  const Bucket* b = FindBucket(bucket);
  return b == nullptr ? kNone : b->rules;
}

std::vector<const NotificationRule*> S3Model::MatchingRules(std::string_view bucket, std::string_view event_name,
                                                            std::string_view key) const {
  std::vector<const NotificationRule*> out;
  const Bucket* b = FindBucket(bucket);
  if (b == nullptr) return out;
  for (const NotificationRule& r : b->rules) {
    if (!key.starts_with(r.prefix) || !key.ends_with(r.suffix)) continue;
    const bool event = std::any_of(r.events.begin(), r.events.end(),
                                   [&](const std::string& p) { return EventPatternMatches(p, event_name); });
    if (event) out.push_back(&r);
  }
  return out;
}

// --- storage ---------------------------------------------------------------------

double S3Model::StorageByteSeconds(std::string_view bucket, sim::Time now) const {
  const Bucket* b = FindBucket(bucket);
  if (b == nullptr) return 0;
  SIM_CHECK(now >= b->integrated_until);
  const sim::Uint128 total = b->byte_nanos + static_cast<sim::Uint128>(b->bytes + b->part_bytes) *
                                                 static_cast<sim::Uint128>((now - b->integrated_until).nanos());
  return static_cast<double>(total) / 1e9;
}

double S3Model::TotalStorageByteSeconds() const { return static_cast<double>(total_byte_nanos_) / 1e9; }

void S3Model::FlushStorage(sim::Time now) {
  for (auto& [name, b] : buckets_) Integrate(b, now);
}

}  // namespace emu::s3
