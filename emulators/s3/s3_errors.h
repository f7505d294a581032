#pragma once

// S3's AWS error catalogue (names and HTTP statuses as the S3 REST API
// returns them). InternalError is the shared one from aws_error.h.

#include "emulators/common/aws_error.h"

namespace emu::s3::errors {

using sim::StatusCode;
inline constexpr AwsErrorType kNoSuchBucket = MakeAwsError("NoSuchBucket", StatusCode::kNotFound, 404);
inline constexpr AwsErrorType kNoSuchKey = MakeAwsError("NoSuchKey", StatusCode::kNotFound, 404);
inline constexpr AwsErrorType kBucketAlreadyOwnedByYou =
    MakeAwsError("BucketAlreadyOwnedByYou", StatusCode::kAlreadyExists, 409);
inline constexpr AwsErrorType kBucketAlreadyExists =
    MakeAwsError("BucketAlreadyExists", StatusCode::kAlreadyExists, 409);
inline constexpr AwsErrorType kInvalidBucketName = MakeAwsError("InvalidBucketName", StatusCode::kInvalidArgument, 400);
// A single PUT above 5 GiB (multipart upload is needed beyond).
inline constexpr AwsErrorType kEntityTooLarge = MakeAwsError("EntityTooLarge", StatusCode::kInvalidArgument, 400);
// Keys above 1,024 bytes of UTF-8.
inline constexpr AwsErrorType kKeyTooLongError = MakeAwsError("KeyTooLongError", StatusCode::kInvalidArgument, 400);
// User metadata above 2 KB (keys + values, UTF-8 bytes).
inline constexpr AwsErrorType kMetadataTooLarge = MakeAwsError("MetadataTooLarge", StatusCode::kInvalidArgument, 400);
inline constexpr AwsErrorType kInvalidArgument = MakeAwsError("InvalidArgument", StatusCode::kInvalidArgument, 400);
// A request that is well formed but not allowed (copy onto itself without
// a change, copy source above 5 GiB).
inline constexpr AwsErrorType kInvalidRequest = MakeAwsError("InvalidRequest", StatusCode::kInvalidArgument, 400);
// GetObject Range starting at or beyond the object's size (or any range of
// an empty object).
inline constexpr AwsErrorType kInvalidRange = MakeAwsError("InvalidRange", StatusCode::kOutOfRange, 416);
// DeleteBucket on a bucket that still holds objects.
inline constexpr AwsErrorType kBucketNotEmpty = MakeAwsError("BucketNotEmpty", StatusCode::kFailedPrecondition, 409);
// DeleteObjects with no keys or more than 1,000; CompleteMultipartUpload
// without parts.
inline constexpr AwsErrorType kMalformedXML = MakeAwsError("MalformedXML", StatusCode::kInvalidArgument, 400);
// Multipart upload errors.
inline constexpr AwsErrorType kNoSuchUpload = MakeAwsError("NoSuchUpload", StatusCode::kNotFound, 404);
inline constexpr AwsErrorType kInvalidPart = MakeAwsError("InvalidPart", StatusCode::kInvalidArgument, 400);
inline constexpr AwsErrorType kInvalidPartOrder = MakeAwsError("InvalidPartOrder", StatusCode::kInvalidArgument, 400);
// A part other than the last below 5 MiB (checked at completion).
inline constexpr AwsErrorType kEntityTooSmall = MakeAwsError("EntityTooSmall", StatusCode::kInvalidArgument, 400);
// 503 Slow Down: the request rate of a prefix is above what S3 has scaled to.
inline constexpr AwsErrorType kSlowDown =
    MakeAwsError("SlowDown", StatusCode::kResourceExhausted, 503, /*retryable=*/true, /*throttling=*/true);
using emu::errors::kInternalError;

}  // namespace emu::s3::errors
