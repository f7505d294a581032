#pragma once

// SNS's AWS error catalogue (Query API error codes and HTTP statuses).
// InternalError is the shared one from aws_error.h.

#include "emulators/common/aws_error.h"

namespace emu::sns::errors {

using sim::StatusCode;
inline constexpr AwsErrorType kNotFound = MakeAwsError("NotFound", StatusCode::kNotFound, 404);
inline constexpr AwsErrorType kInvalidParameter = MakeAwsError("InvalidParameter", StatusCode::kInvalidArgument, 400);
inline constexpr AwsErrorType kAuthorizationError =
    MakeAwsError("AuthorizationError", StatusCode::kPermissionDenied, 403);
inline constexpr AwsErrorType kThrottled =
    MakeAwsError("Throttled", StatusCode::kResourceExhausted, 429, /*retryable=*/true, /*throttling=*/true);
inline constexpr AwsErrorType kTopicLimitExceeded =
    MakeAwsError("TopicLimitExceeded", StatusCode::kResourceExhausted, 403);
inline constexpr AwsErrorType kSubscriptionLimitExceeded =
    MakeAwsError("SubscriptionLimitExceeded", StatusCode::kResourceExhausted, 403);
// PublishBatch request errors.
inline constexpr AwsErrorType kEmptyBatchRequest = MakeAwsError("EmptyBatchRequest", StatusCode::kInvalidArgument, 400);
inline constexpr AwsErrorType kTooManyEntriesInBatchRequest =
    MakeAwsError("TooManyEntriesInBatchRequest", StatusCode::kInvalidArgument, 400);
inline constexpr AwsErrorType kBatchEntryIdsNotDistinct =
    MakeAwsError("BatchEntryIdsNotDistinct", StatusCode::kInvalidArgument, 400);
inline constexpr AwsErrorType kInvalidBatchEntryId =
    MakeAwsError("InvalidBatchEntryId", StatusCode::kInvalidArgument, 400);
inline constexpr AwsErrorType kBatchRequestTooLong =
    MakeAwsError("BatchRequestTooLong", StatusCode::kInvalidArgument, 400);
using emu::errors::kInternalError;

}  // namespace emu::sns::errors
