#include "emulators/common/aws_error.h"

#include <map>

namespace emu {

namespace {
std::map<std::string_view, const AwsErrorType*>& Registry() {
  static std::map<std::string_view, const AwsErrorType*> r = {
      {errors::kInternalError.name, &errors::kInternalError},
      {errors::kServiceUnavailable.name, &errors::kServiceUnavailable},
      {errors::kThrottlingException.name, &errors::kThrottlingException},
      {errors::kRequestTimeout.name, &errors::kRequestTimeout},
      {errors::kValidationError.name, &errors::kValidationError},
      {errors::kInvalidParameterValue.name, &errors::kInvalidParameterValue},
      {errors::kAccessDenied.name, &errors::kAccessDenied},
  };
  return r;
}
}  // namespace

sim::Status AwsError(const AwsErrorType& type, std::string message) {
  return sim::Status(type.code, std::move(message), &type);
}

const AwsErrorType* AwsErrorOf(const sim::Status& status) {
  const sim::ErrorDetail* d = status.detail();
  if (d == nullptr || d->domain != kAwsDomain) return nullptr;
  return static_cast<const AwsErrorType*>(d);
}

bool IsRetryableError(const sim::Status& status) {
  if (status.ok()) return false;
  if (const AwsErrorType* t = AwsErrorOf(status)) return t->retryable;
  // Kernel-level failures of a call (timeouts, unavailability) are transient.
  return status.code() == sim::StatusCode::kUnavailable || status.code() == sim::StatusCode::kDeadlineExceeded;
}

bool IsThrottlingError(const sim::Status& status) {
  const AwsErrorType* t = AwsErrorOf(status);
  return t != nullptr && t->throttling;
}

bool IsTransientError(const sim::Status& status) { return IsRetryableError(status) && !IsThrottlingError(status); }

int HttpStatusOf(const sim::Status& status) {
  if (status.ok()) return 200;
  if (const AwsErrorType* t = AwsErrorOf(status)) return t->http_status;
  return 500;
}

const AwsErrorType* FindAwsError(std::string_view name) {
  auto& r = Registry();
  auto it = r.find(name);
  return it == r.end() ? nullptr : it->second;
}

void RegisterAwsErrors(std::initializer_list<const AwsErrorType*> errs) {
  auto& r = Registry();
  for (const AwsErrorType* e : errs) r.emplace(e->name, e);
}

}  // namespace emu
