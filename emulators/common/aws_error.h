#pragma once

// The AWS error catalogue: each error is a static AwsErrorType (name, HTTP
// status, retryable, throttling) attached to a sim::Status, so callers react
// to the AWS code exactly as SDK code does. Services add their own
// catalogues (s3_errors.h, sqs_errors.h, ...) built the same way.

#include <string>
#include <string_view>

#include "sim/status.h"

namespace emu {

inline constexpr std::string_view kAwsDomain = "aws";

struct AwsErrorType : sim::ErrorDetail {
  sim::StatusCode code;
  int http_status;
  bool retryable;   // the SDKs' default retry policy retries it
  bool throttling;  // counts as a throttle (adaptive retry, metrics)
};

constexpr AwsErrorType MakeAwsError(std::string_view name, sim::StatusCode code, int http, bool retryable = false,
                                    bool throttling = false) {
  return AwsErrorType{{kAwsDomain, name}, code, http, retryable, throttling};
}

sim::Status AwsError(const AwsErrorType& type, std::string message);
// The AWS error carried by a status, or null (OK, or not an AWS error).
const AwsErrorType* AwsErrorOf(const sim::Status& status);
bool IsRetryableError(const sim::Status& status);
bool IsThrottlingError(const sim::Status& status);
// Transient: connection-level failures and 5xx the SDKs retry (not throttles).
bool IsTransientError(const sim::Status& status);
int HttpStatusOf(const sim::Status& status);

// Errors shared by several services.
namespace errors {
using sim::StatusCode;
inline constexpr AwsErrorType kInternalError = MakeAwsError("InternalError", StatusCode::kInternal, 500, true);
inline constexpr AwsErrorType kServiceUnavailable =
    MakeAwsError("ServiceUnavailable", StatusCode::kUnavailable, 503, true);
inline constexpr AwsErrorType kThrottlingException =
    MakeAwsError("ThrottlingException", StatusCode::kResourceExhausted, 400, true, true);
inline constexpr AwsErrorType kRequestTimeout = MakeAwsError("RequestTimeout", StatusCode::kDeadlineExceeded, 400, true);
inline constexpr AwsErrorType kValidationError =
    MakeAwsError("ValidationError", StatusCode::kInvalidArgument, 400);
inline constexpr AwsErrorType kInvalidParameterValue =
    MakeAwsError("InvalidParameterValue", StatusCode::kInvalidArgument, 400);
inline constexpr AwsErrorType kAccessDenied = MakeAwsError("AccessDenied", StatusCode::kPermissionDenied, 403);
}  // namespace errors

// Looks an error up by name among every catalogue registered so far (used
// by scenario files that name an error to inject). Null if unknown.
const AwsErrorType* FindAwsError(std::string_view name);
// Services register their catalogues once (static initialisation order is
// not relied on: registration happens in each service's constructor).
void RegisterAwsErrors(std::initializer_list<const AwsErrorType*> errors);

}  // namespace emu
