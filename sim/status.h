#pragma once

// Expected failures are values (Status / StatusOr<T>), never exceptions: an
// emulated AWS error or an interrupted wait is something the caller handles.
// The OK path is one null pointer. Upper layers attach a static ErrorDetail
// (the AWS error catalogue lives in emulators/common) without sim knowing it.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace sim {

enum class StatusCode : uint8_t {
  kOk = 0,
  kCancelled,
  kUnknown,
  kInvalidArgument,
  kDeadlineExceeded,
  kNotFound,
  kAlreadyExists,
  kPermissionDenied,
  kResourceExhausted,
  kFailedPrecondition,
  kAborted,
  kOutOfRange,
  kUnimplemented,
  kInternal,
  kUnavailable,
  kDataLoss,
  kUnauthenticated,
  kInterrupted,  // a suspended process was interrupted at its await point
};

std::string_view StatusCodeName(StatusCode code);

// A statically allocated description of a domain-specific error (for
// example an AWS error code). `domain` tells which layer defined it, so the
// layer can safely downcast to its own richer type.
struct ErrorDetail {
  std::string_view domain;
  std::string_view name;
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message, const ErrorDetail* detail = nullptr);
  Status(const Status& o) : rep_(o.rep_ ? std::make_unique<Rep>(*o.rep_) : nullptr) {}
  Status& operator=(const Status& o) {
    if (this != &o) rep_ = o.rep_ ? std::make_unique<Rep>(*o.rep_) : nullptr;
    return *this;
  }
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const { return rep_ ? rep_->code : StatusCode::kOk; }
  std::string_view message() const { return rep_ ? std::string_view(rep_->message) : std::string_view(); }
  const ErrorDetail* detail() const { return rep_ ? rep_->detail : nullptr; }
  // The detail's name when there is one ("NoSuchKey"), else the code's name.
  std::string_view name() const;
  std::string ToString() const;
  void IgnoreError() const {}

  friend bool operator==(const Status& a, const Status& b) {
    return a.code() == b.code() && a.detail() == b.detail() && a.message() == b.message();
  }

 private:
  struct Rep {
    StatusCode code;
    std::string message;
    const ErrorDetail* detail;
  };
  std::unique_ptr<Rep> rep_;
};

inline Status OkStatus() { return Status(); }
Status CancelledError(std::string msg);
Status InvalidArgumentError(std::string msg);
Status DeadlineExceededError(std::string msg);
Status NotFoundError(std::string msg);
Status AlreadyExistsError(std::string msg);
Status ResourceExhaustedError(std::string msg);
Status FailedPreconditionError(std::string msg);
Status OutOfRangeError(std::string msg);
Status InternalError(std::string msg);
Status UnavailableError(std::string msg);
Status InterruptedError(std::string msg);

[[noreturn]] void FailStatusOrAccess(const Status& status);

template <class T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(T value) : value_(std::move(value)) {}  // NOLINT: implicit like absl
  StatusOr(Status status) : status_(std::move(status)) {  // NOLINT
    if (status_.ok()) status_ = InternalError("StatusOr built from an OK status without a value");
  }
  template <class U>
    requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::decay_t<U>, T> &&
             !std::is_same_v<std::decay_t<U>, Status> && !std::is_same_v<std::decay_t<U>, StatusOr>)
  StatusOr(U&& v) : value_(std::forward<U>(v)) {}  // NOLINT

  bool ok() const { return status_.ok(); }
  const Status& status() const& { return status_; }
  Status status() && { return std::move(status_); }

  const T& value() const& {
    if (!ok()) FailStatusOrAccess(status_);
    return *value_;
  }
  T& value() & {
    if (!ok()) FailStatusOrAccess(status_);
    return *value_;
  }
  T&& value() && {
    if (!ok()) FailStatusOrAccess(status_);
    return std::move(*value_);
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  void IgnoreError() const {}

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace sim

#define SIM_STATUS_CONCAT_INNER(a, b) a##b
#define SIM_STATUS_CONCAT(a, b) SIM_STATUS_CONCAT_INNER(a, b)

#define SIM_RETURN_IF_ERROR(expr)                  \
  do {                                             \
    ::sim::Status sim_status_ = (expr);            \
    if (!sim_status_.ok()) return sim_status_;     \
  } while (0)

#define SIM_ASSIGN_OR_RETURN(lhs, expr) \
  SIM_ASSIGN_OR_RETURN_IMPL(SIM_STATUS_CONCAT(sim_statusor_, __LINE__), lhs, expr, return)

// Coroutine flavours: a sim::Task body must use co_return.
#define SIM_CO_RETURN_IF_ERROR(expr)                  \
  do {                                                \
    ::sim::Status sim_status_ = (expr);               \
    if (!sim_status_.ok()) co_return sim_status_;     \
  } while (0)

#define SIM_CO_ASSIGN_OR_RETURN(lhs, expr) \
  SIM_ASSIGN_OR_RETURN_IMPL(SIM_STATUS_CONCAT(sim_statusor_, __LINE__), lhs, expr, co_return)

#define SIM_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr, ret) \
  auto tmp = (expr);                                   \
  if (!tmp.ok()) ret std::move(tmp).status();          \
  lhs = std::move(tmp).value()
