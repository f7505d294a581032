#pragma once

// The DynamoDB error catalogue: AWS names and HTTP statuses from the
// DynamoDB API reference ("Common errors" and each operation's Errors
// section). Every client error is HTTP 400 there; InternalServerError is 500.
// Messages are built by the callers (expression parser, item validation,
// capacity model), matching AWS's wording where it is known.

#include "emulators/common/aws_error.h"
#include "emulators/dynamodb/capacity_errors.h"

namespace emu::dynamodb::errors {

using sim::StatusCode;

// Request validation: bad expressions, item too large, bad keys, bad numbers.
inline constexpr AwsErrorType kValidationException =
    MakeAwsError("ValidationException", StatusCode::kInvalidArgument, 400);
// A ConditionExpression evaluated to false.
inline constexpr AwsErrorType kConditionalCheckFailedException =
    MakeAwsError("ConditionalCheckFailedException", StatusCode::kFailedPrecondition, 400);
inline constexpr AwsErrorType kResourceNotFoundException =
    MakeAwsError("ResourceNotFoundException", StatusCode::kNotFound, 400);
inline constexpr AwsErrorType kResourceInUseException =
    MakeAwsError("ResourceInUseException", StatusCode::kFailedPrecondition, 400);
// Throttles are the capacity model's (one object per name, so comparing
// AwsErrorOf(status) pointers works whichever header a caller used).
inline constexpr const AwsErrorType& kProvisionedThroughputExceededException =
    capacity_errors::kProvisionedThroughputExceededException;
inline constexpr const AwsErrorType& kRequestLimitExceeded = capacity_errors::kRequestLimitExceeded;
inline constexpr const AwsErrorType& kThrottlingException = emu::errors::kThrottlingException;
inline constexpr AwsErrorType kLimitExceededException =
    MakeAwsError("LimitExceededException", StatusCode::kResourceExhausted, 400);
// An item collection (LSI tables) over 10 GB.
inline constexpr AwsErrorType kItemCollectionSizeLimitExceededException =
    MakeAwsError("ItemCollectionSizeLimitExceededException", StatusCode::kResourceExhausted, 400);
// Transactions.
inline constexpr AwsErrorType kTransactionCanceledException =
    MakeAwsError("TransactionCanceledException", StatusCode::kAborted, 400);
inline constexpr AwsErrorType kTransactionConflictException =
    MakeAwsError("TransactionConflictException", StatusCode::kAborted, 400);
inline constexpr AwsErrorType kTransactionInProgressException =
    MakeAwsError("TransactionInProgressException", StatusCode::kAborted, 400);
inline constexpr AwsErrorType kIdempotentParameterMismatchException =
    MakeAwsError("IdempotentParameterMismatchException", StatusCode::kInvalidArgument, 400);
inline constexpr AwsErrorType kInternalServerError =
    MakeAwsError("InternalServerError", StatusCode::kInternal, 500, true);

// Shorthands for the most common ones.
inline sim::Status ValidationError(std::string message) { return AwsError(kValidationException, std::move(message)); }
// A ConditionExpression that evaluated to false (DynamoDB's message).
inline sim::Status ConditionalCheckFailed() {
  return AwsError(kConditionalCheckFailedException, "The conditional request failed");
}

// Idempotent; called by the model and facade constructors.
inline void RegisterDynamoDbErrors() {
  capacity_errors::RegisterCapacityErrors();
  RegisterAwsErrors({&kValidationException, &kConditionalCheckFailedException, &kResourceNotFoundException,
                     &kResourceInUseException, &kLimitExceededException, &kItemCollectionSizeLimitExceededException,
                     &kTransactionCanceledException, &kTransactionConflictException, &kTransactionInProgressException,
                     &kIdempotentParameterMismatchException, &kInternalServerError});
}

}  // namespace emu::dynamodb::errors
