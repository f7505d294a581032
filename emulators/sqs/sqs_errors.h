#pragma once

// The SQS error catalogue, AWS names and HTTP statuses from the SQS API
// reference (every SQS client error is HTTP 400 there). Two names differ
// between the SQS wire protocols; we keep the JSON-protocol name of the
// error and note the code the query-compatible SDKs see:
//   QueueDoesNotExist   -> "AWS.SimpleQueueService.NonExistentQueue"
//   QueueAlreadyExists  -> "QueueAlreadyExists" (JSON protocol: QueueNameExists)
// InvalidParameterValue is the shared emu::errors entry (one name, one type).

#include "emulators/common/aws_error.h"

namespace emu::sqs::errors {

using sim::StatusCode;

inline constexpr AwsErrorType kQueueDoesNotExist = MakeAwsError("QueueDoesNotExist", StatusCode::kNotFound, 400);
inline constexpr AwsErrorType kQueueAlreadyExists = MakeAwsError("QueueAlreadyExists", StatusCode::kAlreadyExists, 400);
inline constexpr AwsErrorType kReceiptHandleIsInvalid =
    MakeAwsError("ReceiptHandleIsInvalid", StatusCode::kInvalidArgument, 400);
inline constexpr const AwsErrorType& kInvalidParameterValue = emu::errors::kInvalidParameterValue;
inline constexpr AwsErrorType kMissingParameter = MakeAwsError("MissingParameter", StatusCode::kInvalidArgument, 400);
inline constexpr AwsErrorType kInvalidAttributeName =
    MakeAwsError("InvalidAttributeName", StatusCode::kInvalidArgument, 400);
inline constexpr AwsErrorType kInvalidAttributeValue =
    MakeAwsError("InvalidAttributeValue", StatusCode::kInvalidArgument, 400);
inline constexpr AwsErrorType kMessageNotInflight =
    MakeAwsError("MessageNotInflight", StatusCode::kFailedPrecondition, 400);
inline constexpr AwsErrorType kInvalidMessageContents =
    MakeAwsError("InvalidMessageContents", StatusCode::kInvalidArgument, 400);
// ReceiveMessage on a standard queue with ~120,000 messages in flight (short
// polls only; a long poll waits instead).
inline constexpr AwsErrorType kOverLimit = MakeAwsError("OverLimit", StatusCode::kResourceExhausted, 400);
inline constexpr AwsErrorType kPurgeQueueInProgress =
    MakeAwsError("PurgeQueueInProgress", StatusCode::kFailedPrecondition, 400);

// CreateQueue of a name deleted less than 60 s ago.
inline constexpr AwsErrorType kQueueDeletedRecently =
    MakeAwsError("QueueDeletedRecently", StatusCode::kFailedPrecondition, 400);
// Message move tasks: an unknown ARN or task handle; a second running task.
inline constexpr AwsErrorType kResourceNotFoundException =
    MakeAwsError("ResourceNotFoundException", StatusCode::kNotFound, 400);
inline constexpr AwsErrorType kUnsupportedOperation =
    MakeAwsError("UnsupportedOperation", StatusCode::kFailedPrecondition, 400);

// Batch requests (SendMessageBatch, DeleteMessageBatch, ChangeMessageVisibilityBatch).
inline constexpr AwsErrorType kEmptyBatchRequest = MakeAwsError("EmptyBatchRequest", StatusCode::kInvalidArgument, 400);
inline constexpr AwsErrorType kTooManyEntriesInBatchRequest =
    MakeAwsError("TooManyEntriesInBatchRequest", StatusCode::kInvalidArgument, 400);
inline constexpr AwsErrorType kBatchEntryIdsNotDistinct =
    MakeAwsError("BatchEntryIdsNotDistinct", StatusCode::kInvalidArgument, 400);
inline constexpr AwsErrorType kInvalidBatchEntryId =
    MakeAwsError("InvalidBatchEntryId", StatusCode::kInvalidArgument, 400);
inline constexpr AwsErrorType kBatchRequestTooLong =
    MakeAwsError("BatchRequestTooLong", StatusCode::kInvalidArgument, 400);

// Idempotent; called by the model and the facade constructors.
inline void RegisterSqsErrors() {
  RegisterAwsErrors({&kQueueDoesNotExist, &kQueueAlreadyExists, &kReceiptHandleIsInvalid, &kMissingParameter,
                     &kInvalidAttributeName, &kInvalidAttributeValue, &kMessageNotInflight, &kInvalidMessageContents,
                     &kOverLimit, &kPurgeQueueInProgress, &kEmptyBatchRequest, &kTooManyEntriesInBatchRequest,
                     &kBatchEntryIdsNotDistinct, &kInvalidBatchEntryId, &kBatchRequestTooLong, &kQueueDeletedRecently,
                     &kResourceNotFoundException, &kUnsupportedOperation});
}

}  // namespace emu::sqs::errors
