#pragma once

// Lambda's AWS error catalogue (names and HTTP statuses as the Lambda API
// returns them, https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html
// and API_CreateFunction.html). A function error is not an API error: Invoke
// returns 200 with FunctionError "Unhandled" (see lambda_api.h).

#include "emulators/common/aws_error.h"

namespace emu::lambda::errors {

using sim::StatusCode;
// The function (or event source mapping) does not exist.
inline constexpr AwsErrorType kResourceNotFoundException =
    MakeAwsError("ResourceNotFoundException", StatusCode::kNotFound, 404);
// A function of that name exists already.
inline constexpr AwsErrorType kResourceConflictException =
    MakeAwsError("ResourceConflictException", StatusCode::kAlreadyExists, 409);
// A parameter is out of range or inconsistent (memory, timeout, batch size,
// reserved concurrency above what the account can give...).
inline constexpr AwsErrorType kInvalidParameterValueException =
    MakeAwsError("InvalidParameterValueException", StatusCode::kInvalidArgument, 400);
// The request body is not valid JSON.
inline constexpr AwsErrorType kInvalidRequestContentException =
    MakeAwsError("InvalidRequestContentException", StatusCode::kInvalidArgument, 400);
// The resource is being changed (an event source mapping still draining).
inline constexpr AwsErrorType kResourceInUseException =
    MakeAwsError("ResourceInUseException", StatusCode::kFailedPrecondition, 400);
// The payload is above 6 MB (synchronous) or 1 MB (asynchronous).
inline constexpr AwsErrorType kRequestTooLargeException =
    MakeAwsError("RequestTooLargeException", StatusCode::kInvalidArgument, 413);
// Concurrency (account, or the function's reserved concurrency) is used up.
inline constexpr AwsErrorType kTooManyRequestsException =
    MakeAwsError("TooManyRequestsException", StatusCode::kResourceExhausted, 429, /*retryable=*/true,
                 /*throttling=*/true);
inline constexpr AwsErrorType kServiceException =
    MakeAwsError("ServiceException", StatusCode::kInternal, 500, /*retryable=*/true);

}  // namespace emu::lambda::errors
