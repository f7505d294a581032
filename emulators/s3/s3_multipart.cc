// S3Model: multipart upload (CreateMultipartUpload .. ListMultipartUploads).
// Parts are stored bodies shared with the request (never copied); a
// completed object is the concatenation of its parts (ObjectBody::Concat),
// so generated parts stay virtual. Parts count in the bucket's storage
// from upload to completion or abort, as AWS bills them.

#include <algorithm>
#include <cstdio>

#include "emulators/common/aws_error.h"
#include "emulators/common/hashing.h"
#include "emulators/s3/s3_errors.h"
#include "emulators/s3/s3_model.h"
#include "emulators/s3/s3_range.h"
#include "emulators/s3/s3_validation.h"
#include "sim/check.h"

namespace emu::s3 {

namespace {

sim::Status NoSuchUpload(const std::string& upload_id) {
  return AwsError(errors::kNoSuchUpload,
                  "The specified upload does not exist. The upload ID may be invalid, or the upload may have been "
                  "aborted or completed: " +
                      upload_id);
}

sim::Status ValidatePartNumber(int part_number) {
  if (part_number < 1 || part_number > kMaxPartNumber) {
    return AwsError(errors::kInvalidArgument, "Part number must be an integer between 1 and 10000, inclusive (got " +
                                                  std::to_string(part_number) + ")");
  }
  return sim::OkStatus();
}

std::string StripQuotes(std::string_view etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') etag = etag.substr(1, etag.size() - 2);
  return std::string(etag);
}

}  // namespace

sim::StatusOr<MultipartUpload*> S3Model::GetUpload(Bucket& bucket, const std::string& key,
                                                   const std::string& upload_id) {
  auto it = bucket.uploads.find(std::make_pair(key, upload_id));
  if (it == bucket.uploads.end()) return NoSuchUpload(upload_id);
  return &it->second;
}

void S3Model::StorePart(Bucket& bucket, MultipartUpload& upload, int part_number, UploadedPart part, sim::Time now) {
  Integrate(bucket, now);
  const uint64_t size = part.body->size();
  auto [it, inserted] = upload.parts.try_emplace(part_number);
  if (inserted) {
    ++bucket.parts;
    ++total_parts_;
  } else {
    const uint64_t old = it->second.body->size();
    upload.bytes -= old;
    bucket.part_bytes -= old;
    total_part_bytes_ -= old;
  }
  upload.bytes += size;
  bucket.part_bytes += size;
  total_part_bytes_ += size;
  it->second = std::move(part);
}

void S3Model::DropUpload(Bucket& bucket, std::map<std::pair<std::string, std::string>, MultipartUpload>::iterator it,
                         sim::Time now) {
  Integrate(bucket, now);
  bucket.part_bytes -= it->second.bytes;
  total_part_bytes_ -= it->second.bytes;
  bucket.parts -= it->second.parts.size();
  total_parts_ -= it->second.parts.size();
  bucket.uploads.erase(it);
}

sim::StatusOr<CreateMultipartUploadResponse> S3Model::CreateMultipartUpload(const CreateMultipartUploadRequest& request,
                                                                            sim::Time now) {
  SIM_ASSIGN_OR_RETURN(Bucket * bucket, GetBucket(request.bucket));
  SIM_RETURN_IF_ERROR(ValidateKey(request.key));
  SIM_ASSIGN_OR_RETURN(auto metadata, NormaliseMetadata(request.metadata));
  // Opaque to clients; a fixed-width creation counter first, so string order
  // is initiation order (ListMultipartUploads' two documented orders
  // agree), then 56 characters drawn from the generator.
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._";
  char counter[9];
  std::snprintf(counter, sizeof counter, "%08llX", static_cast<unsigned long long>(++uploads_created_));
  std::string upload_id = counter;
  for (int i = 0; i < 56; ++i) upload_id += kAlphabet[upload_id_rng_.UniformInt(sizeof kAlphabet - 1)];

  MultipartUpload upload;
  upload.key = request.key;
  upload.upload_id = upload_id;
  upload.content_type = request.content_type.empty() ? kDefaultContentType : request.content_type;
  upload.metadata = std::move(metadata);
  upload.initiated_unix_nanos = epoch_unix_nanos_ + now.nanos();
  bucket->uploads.emplace(std::make_pair(request.key, upload_id), std::move(upload));
  return CreateMultipartUploadResponse{request.bucket, request.key, upload_id};
}

sim::StatusOr<UploadPartResponse> S3Model::UploadPart(const UploadPartRequest& request, sim::Time now) {
  SIM_ASSIGN_OR_RETURN(Bucket * bucket, GetBucket(request.bucket));
  SIM_RETURN_IF_ERROR(ValidateKey(request.key));
  SIM_ASSIGN_OR_RETURN(MultipartUpload * upload, GetUpload(*bucket, request.key, request.upload_id));
  SIM_RETURN_IF_ERROR(ValidatePartNumber(request.part_number));
  std::shared_ptr<const ObjectBody> body = request.body ? request.body : ObjectBody::FromBytes("");
  if (body->size() > kMaxPartBytes) {
    return AwsError(errors::kEntityTooLarge,
                    "Your proposed upload exceeds the maximum allowed size: " + std::to_string(body->size()) + " > " +
                        std::to_string(kMaxPartBytes) + " bytes");
  }
  UploadedPart part;
  part.md5 = body->Md5();
  part.etag = body->ETag();
  part.body = std::move(body);
  part.last_modified_unix_nanos = epoch_unix_nanos_ + now.nanos();
  UploadPartResponse response{part.etag};
  StorePart(*bucket, *upload, request.part_number, std::move(part), now);
  return response;
}

sim::StatusOr<UploadPartCopyResponse> S3Model::UploadPartCopy(const UploadPartCopyRequest& request, sim::Time now) {
  SIM_ASSIGN_OR_RETURN(const Bucket* source_bucket, GetBucket(request.source_bucket));
  SIM_RETURN_IF_ERROR(ValidateKey(request.source_key));
  auto src = source_bucket->objects.find(request.source_key);
  if (src == source_bucket->objects.end()) {
    return AwsError(errors::kNoSuchKey, "The specified key does not exist: " + request.source_key);
  }
  const std::shared_ptr<const ObjectBody> source = src->second.body;
  SIM_ASSIGN_OR_RETURN(Bucket * bucket, GetBucket(request.bucket));
  SIM_RETURN_IF_ERROR(ValidateKey(request.key));
  SIM_ASSIGN_OR_RETURN(MultipartUpload * upload, GetUpload(*bucket, request.key, request.upload_id));
  SIM_RETURN_IF_ERROR(ValidatePartNumber(request.part_number));
  ResolvedRange range{0, source->size()};
  if (!request.copy_source_range.empty()) {
    SIM_ASSIGN_OR_RETURN(range, ParseCopySourceRange(request.copy_source_range, source->size()));
  }
  if (range.length > kMaxCopySourceBytes) {
    return AwsError(errors::kInvalidRequest,
                    "The specified copy source is larger than the maximum allowable size for a copy source: " +
                        std::to_string(kMaxCopySourceBytes));
  }
  UploadedPart part;
  part.body = ObjectBody::Slice(source, range.offset, range.length);
  part.md5 = part.body->Md5();
  part.etag = part.body->ETag();
  part.last_modified_unix_nanos = epoch_unix_nanos_ + now.nanos();
  UploadPartCopyResponse response{part.etag, part.last_modified_unix_nanos};
  StorePart(*bucket, *upload, request.part_number, std::move(part), now);
  return response;
}

sim::StatusOr<CompleteMultipartUploadResponse> S3Model::CompleteMultipartUpload(
    const CompleteMultipartUploadRequest& request, sim::Time now) {
  SIM_ASSIGN_OR_RETURN(Bucket * bucket, GetBucket(request.bucket));
  SIM_RETURN_IF_ERROR(ValidateKey(request.key));
  auto upload_it = bucket->uploads.find(std::make_pair(request.key, request.upload_id));
  if (upload_it == bucket->uploads.end()) return NoSuchUpload(request.upload_id);
  const MultipartUpload& upload = upload_it->second;
  if (request.parts.empty()) {
    return AwsError(errors::kMalformedXML,
                    "The XML you provided was not well-formed or did not validate against our published schema (no "
                    "parts)");
  }
  for (std::size_t i = 1; i < request.parts.size(); ++i) {
    if (request.parts[i].part_number <= request.parts[i - 1].part_number) {
      return AwsError(errors::kInvalidPartOrder,
                      "The list of parts was not in ascending order. The parts list must be specified in order by "
                      "part number.");
    }
  }
  std::vector<const UploadedPart*> parts;
  parts.reserve(request.parts.size());
  for (const CompletedPart& p : request.parts) {
    auto it = upload.parts.find(p.part_number);
    if (it == upload.parts.end() || StripQuotes(it->second.etag) != StripQuotes(p.etag)) {
      return AwsError(errors::kInvalidPart,
                      "One or more of the specified parts could not be found. The part may not have been uploaded, "
                      "or the specified entity tag may not match the part's entity tag (part " +
                          std::to_string(p.part_number) + ")");
    }
    parts.push_back(&it->second);
  }
  uint64_t total = 0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const uint64_t size = parts[i]->body->size();
    if (i + 1 < parts.size() && size < kMinPartBytes) {
      return AwsError(errors::kEntityTooSmall, "Your proposed upload is smaller than the minimum allowed size (part " +
                                                   std::to_string(request.parts[i].part_number) + ": " +
                                                   std::to_string(size) + " bytes, " + std::to_string(kMinPartBytes) +
                                                   " minimum)");
    }
    total += size;
  }
  if (total > kMaxObjectBytes) {
    return AwsError(errors::kEntityTooLarge, "Your proposed upload exceeds the maximum allowed object size: " +
                                                 std::to_string(total) + " bytes");
  }
  // ETag as S3 forms it: MD5 of the concatenated binary part MD5s, "-N".
  std::string digests;
  digests.reserve(parts.size() * 16);
  std::vector<std::shared_ptr<const ObjectBody>> bodies;
  bodies.reserve(parts.size());
  for (const UploadedPart* p : parts) {
    digests.append(reinterpret_cast<const char*>(p->md5.data()), p->md5.size());
    bodies.push_back(p->body);
  }
  StoredObject object;
  object.etag = "\"" + Md5Hex(digests) + "-" + std::to_string(parts.size()) + "\"";
  object.body = ObjectBody::Concat(std::move(bodies));
  object.content_type = upload.content_type;
  object.metadata = upload.metadata;
  object.last_modified_unix_nanos = upload.initiated_unix_nanos;
  CompleteMultipartUploadResponse response{request.bucket, request.key, object.etag,
                                           "https://" + request.bucket + ".s3.amazonaws.com/" + request.key};
  DropUpload(*bucket, upload_it, now);  // `upload` and `parts` dangle from here
  Store(*bucket, request.key, std::move(object), now);
  return response;
}

sim::Status S3Model::AbortMultipartUpload(const AbortMultipartUploadRequest& request, sim::Time now) {
  SIM_ASSIGN_OR_RETURN(Bucket * bucket, GetBucket(request.bucket));
  SIM_RETURN_IF_ERROR(ValidateKey(request.key));
  auto it = bucket->uploads.find(std::make_pair(request.key, request.upload_id));
  if (it == bucket->uploads.end()) return NoSuchUpload(request.upload_id);
  DropUpload(*bucket, it, now);
  return sim::OkStatus();
}

sim::StatusOr<ListPartsResponse> S3Model::ListParts(const ListPartsRequest& request) const {
  SIM_ASSIGN_OR_RETURN(const Bucket* bucket, GetBucket(request.bucket));
  SIM_RETURN_IF_ERROR(ValidateKey(request.key));
  auto it = bucket->uploads.find(std::make_pair(request.key, request.upload_id));
  if (it == bucket->uploads.end()) return NoSuchUpload(request.upload_id);
  if (request.max_parts < 0) return AwsError(errors::kInvalidArgument, "max-parts must be non-negative");
  if (request.part_number_marker < 0) {
    return AwsError(errors::kInvalidArgument, "part-number-marker must be non-negative");
  }
  ListPartsResponse response;
  response.max_parts = std::min(request.max_parts, kMaxListParts);
  response.part_number_marker = request.part_number_marker;
  const auto& parts = it->second.parts;
  auto p = parts.upper_bound(request.part_number_marker);
  for (; p != parts.end() && static_cast<int>(response.parts.size()) < response.max_parts; ++p) {
    response.parts.push_back(
        PartInfo{p->first, p->second.etag, p->second.body->size(), p->second.last_modified_unix_nanos});
  }
  response.is_truncated = !response.parts.empty() && p != parts.end();
  if (!response.parts.empty()) response.next_part_number_marker = response.parts.back().part_number;
  return response;
}

sim::StatusOr<ListMultipartUploadsResponse> S3Model::ListMultipartUploads(
    const ListMultipartUploadsRequest& request) const {
  SIM_ASSIGN_OR_RETURN(const Bucket* bucket, GetBucket(request.bucket));
  if (request.max_uploads < 0) return AwsError(errors::kInvalidArgument, "max-uploads must be non-negative");
  const int max_uploads = std::min(request.max_uploads, kMaxListUploads);
  const auto& uploads = bucket->uploads;
  auto it = uploads.lower_bound(std::make_pair(request.prefix, std::string()));
  if (!request.key_marker.empty()) {
    // Without an upload id marker: keys after key_marker. With one: also
    // the uploads of key_marker after that id.
    auto resume = request.upload_id_marker.empty()
                      ? uploads.lower_bound(std::make_pair(request.key_marker + '\0', std::string()))
                      : uploads.upper_bound(std::make_pair(request.key_marker, request.upload_id_marker));
    if (resume == uploads.end() || (it != uploads.end() && resume->first > it->first)) it = resume;
  }
  ListMultipartUploadsResponse response;
  for (; it != uploads.end() && it->first.first.starts_with(request.prefix) &&
         static_cast<int>(response.uploads.size()) < max_uploads;
       ++it) {
    response.uploads.push_back(
        MultipartUploadInfo{it->second.key, it->second.upload_id, it->second.initiated_unix_nanos});
  }
  response.is_truncated =
      !response.uploads.empty() && it != uploads.end() && it->first.first.starts_with(request.prefix);
  if (response.is_truncated) {
    response.next_key_marker = response.uploads.back().key;
    response.next_upload_id_marker = response.uploads.back().upload_id;
  }
  return response;
}

}  // namespace emu::s3
