#include "sim/status.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sim/check.h"
#include "sim/scheduler.h"

namespace sim {
namespace {

constexpr ErrorDetail kNoSuchKey{"s3", "NoSuchKey"};
constexpr ErrorDetail kNoSuchBucket{"s3", "NoSuchBucket"};

TEST(Status, DefaultIsOk) {
  const Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kOk);
  EXPECT_EQ(s.message(), "");
  EXPECT_EQ(s.detail(), nullptr);
  EXPECT_EQ(s.name(), "OK");
  EXPECT_EQ(s.ToString(), "OK");
  EXPECT_TRUE(OkStatus().ok());
}

TEST(Status, ErrorCarriesCodeAndMessage) {
  const Status s = NotFoundError("no such queue");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "no such queue");
  EXPECT_EQ(s.detail(), nullptr);
  EXPECT_EQ(s.name(), "NOT_FOUND");
}

TEST(Status, OkCodeIgnoresMessage) {
  const Status s(StatusCode::kOk, "ignored");
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.message(), "");
  EXPECT_EQ(s, OkStatus());
}

TEST(Status, FactoriesSetTheirCodes) {
  const std::vector<std::pair<Status, StatusCode>> cases = {
      {CancelledError("m"), StatusCode::kCancelled},
      {InvalidArgumentError("m"), StatusCode::kInvalidArgument},
      {DeadlineExceededError("m"), StatusCode::kDeadlineExceeded},
      {NotFoundError("m"), StatusCode::kNotFound},
      {AlreadyExistsError("m"), StatusCode::kAlreadyExists},
      {ResourceExhaustedError("m"), StatusCode::kResourceExhausted},
      {FailedPreconditionError("m"), StatusCode::kFailedPrecondition},
      {OutOfRangeError("m"), StatusCode::kOutOfRange},
      {InternalError("m"), StatusCode::kInternal},
      {UnavailableError("m"), StatusCode::kUnavailable},
      {InterruptedError("m"), StatusCode::kInterrupted},
  };
  for (const auto& [status, code] : cases) {
    EXPECT_EQ(status.code(), code) << StatusCodeName(code);
    EXPECT_EQ(status.message(), "m");
    EXPECT_FALSE(status.ok());
  }
}

TEST(Status, CodeNames) {
  EXPECT_EQ(StatusCodeName(StatusCode::kOk), "OK");
  EXPECT_EQ(StatusCodeName(StatusCode::kCancelled), "CANCELLED");
  EXPECT_EQ(StatusCodeName(StatusCode::kUnknown), "UNKNOWN");
  EXPECT_EQ(StatusCodeName(StatusCode::kInvalidArgument), "INVALID_ARGUMENT");
  EXPECT_EQ(StatusCodeName(StatusCode::kDeadlineExceeded), "DEADLINE_EXCEEDED");
  EXPECT_EQ(StatusCodeName(StatusCode::kNotFound), "NOT_FOUND");
  EXPECT_EQ(StatusCodeName(StatusCode::kAlreadyExists), "ALREADY_EXISTS");
  EXPECT_EQ(StatusCodeName(StatusCode::kPermissionDenied), "PERMISSION_DENIED");
  EXPECT_EQ(StatusCodeName(StatusCode::kResourceExhausted), "RESOURCE_EXHAUSTED");
  EXPECT_EQ(StatusCodeName(StatusCode::kFailedPrecondition), "FAILED_PRECONDITION");
  EXPECT_EQ(StatusCodeName(StatusCode::kAborted), "ABORTED");
  EXPECT_EQ(StatusCodeName(StatusCode::kOutOfRange), "OUT_OF_RANGE");
  EXPECT_EQ(StatusCodeName(StatusCode::kUnimplemented), "UNIMPLEMENTED");
  EXPECT_EQ(StatusCodeName(StatusCode::kInternal), "INTERNAL");
  EXPECT_EQ(StatusCodeName(StatusCode::kUnavailable), "UNAVAILABLE");
  EXPECT_EQ(StatusCodeName(StatusCode::kDataLoss), "DATA_LOSS");
  EXPECT_EQ(StatusCodeName(StatusCode::kUnauthenticated), "UNAUTHENTICATED");
  EXPECT_EQ(StatusCodeName(StatusCode::kInterrupted), "INTERRUPTED");
}

TEST(Status, ToStringIsNameColonMessage) {
  EXPECT_EQ(NotFoundError("no key").ToString(), "NOT_FOUND: no key");
  EXPECT_EQ(Status(StatusCode::kAborted, "").ToString(), "ABORTED");
  EXPECT_EQ(InterruptedError("shutdown").ToString(), "INTERRUPTED: shutdown");
}

TEST(Status, ErrorDetailNameReplacesCodeName) {
  const Status s(StatusCode::kNotFound, "key a/b", &kNoSuchKey);
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.detail(), &kNoSuchKey);
  EXPECT_EQ(s.detail()->domain, "s3");
  EXPECT_EQ(s.name(), "NoSuchKey");
  EXPECT_EQ(s.ToString(), "NoSuchKey: key a/b");
}

TEST(Status, CopyIsIndependentAndEqual) {
  Status original(StatusCode::kNotFound, "key", &kNoSuchKey);
  const Status copy = original;
  EXPECT_EQ(copy, original);
  EXPECT_EQ(copy.detail(), &kNoSuchKey);
  original = UnavailableError("later");
  EXPECT_EQ(copy.code(), StatusCode::kNotFound);
  EXPECT_EQ(copy.message(), "key");
  EXPECT_EQ(original.code(), StatusCode::kUnavailable);
}

TEST(Status, CopyAssignment) {
  Status a = NotFoundError("a");
  const Status b = InternalError("b");
  a = b;
  EXPECT_EQ(a, b);
  a = OkStatus();
  EXPECT_TRUE(a.ok());
  Status& alias = a;
  a = b;
  a = alias;  // self-assignment keeps the value
  EXPECT_EQ(a.ToString(), "INTERNAL: b");
}

TEST(Status, MoveTransfersError) {
  Status a = DeadlineExceededError("slow");
  const Status b = std::move(a);
  EXPECT_EQ(b.code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(b.message(), "slow");
}

TEST(Status, EqualityComparesCodeDetailAndMessage) {
  EXPECT_EQ(NotFoundError("x"), NotFoundError("x"));
  EXPECT_FALSE(NotFoundError("x") == NotFoundError("y"));
  EXPECT_FALSE(NotFoundError("x") == InternalError("x"));
  EXPECT_FALSE(Status(StatusCode::kNotFound, "x", &kNoSuchKey) == Status(StatusCode::kNotFound, "x", &kNoSuchBucket));
  EXPECT_FALSE(Status(StatusCode::kNotFound, "x", &kNoSuchKey) == NotFoundError("x"));
  EXPECT_EQ(OkStatus(), Status());
}

TEST(StatusOr, HoldsValue) {
  StatusOr<int> v = 42;
  EXPECT_TRUE(v.ok());
  EXPECT_TRUE(v.status().ok());
  EXPECT_EQ(v.value(), 42);
  EXPECT_EQ(*v, 42);
  *v = 43;
  EXPECT_EQ(v.value(), 43);
}

TEST(StatusOr, ArrowReachesMembers) {
  StatusOr<std::string> v = std::string("hello");
  EXPECT_EQ(v->size(), 5u);
  const StatusOr<std::string>& cv = v;
  EXPECT_EQ(cv->substr(1, 2), "el");
}

TEST(StatusOr, ConvertsFromConstructibleValue) {
  const StatusOr<std::string> v = "literal";
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, "literal");
}

TEST(StatusOr, HoldsError) {
  const StatusOr<int> v = NotFoundError("gone");
  EXPECT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(v.status().message(), "gone");
}

TEST(StatusOr, BuiltFromOkStatusBecomesInternalError) {
  const StatusOr<int> v = OkStatus();
  EXPECT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), StatusCode::kInternal);
}

TEST(StatusOr, ValueOfErrorThrowsInvariantViolationNamingTheStatus) {
  const StatusOr<int> v = UnavailableError("down");
  try {
    (void)v.value();
    FAIL() << "value() on an error did not throw";
  } catch (const InvariantViolation& e) {
    EXPECT_NE(std::string(e.what()).find("UNAVAILABLE: down"), std::string::npos) << e.what();
  }
  StatusOr<int> w = UnavailableError("down");
  EXPECT_THROW((void)*w, InvariantViolation);
  EXPECT_THROW((void)std::move(w).value(), InvariantViolation);
}

TEST(StatusOr, MoveOnlyValue) {
  StatusOr<std::unique_ptr<int>> v = std::make_unique<int>(7);
  ASSERT_TRUE(v.ok());
  std::unique_ptr<int> p = std::move(v).value();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(*p, 7);
}

TEST(StatusOr, StatusCanBeMovedOut) {
  StatusOr<int> v = AlreadyExistsError("dup");
  const Status s = std::move(v).status();
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(s.message(), "dup");
}

// --- macros ---

Status Check(bool good, int* reached) {
  if (!good) return FailedPreconditionError("bad input");
  ++*reached;
  return OkStatus();
}

Status TwoChecks(bool first, bool second, int* reached) {
  SIM_RETURN_IF_ERROR(Check(first, reached));
  SIM_RETURN_IF_ERROR(Check(second, reached));
  *reached += 10;
  return OkStatus();
}

TEST(StatusMacros, ReturnIfErrorContinuesOnOk) {
  int reached = 0;
  EXPECT_TRUE(TwoChecks(true, true, &reached).ok());
  EXPECT_EQ(reached, 12);
}

TEST(StatusMacros, ReturnIfErrorReturnsTheError) {
  int reached = 0;
  const Status s = TwoChecks(true, false, &reached);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(), "bad input");
  EXPECT_EQ(reached, 1);  // the second check failed before the +10
}

StatusOr<int> Parse(int x) {
  if (x < 0) return OutOfRangeError("negative");
  return x * 2;
}

StatusOr<int> SumOfParsed(int a, int b) {
  SIM_ASSIGN_OR_RETURN(int pa, Parse(a));
  SIM_ASSIGN_OR_RETURN(const int pb, Parse(b));  // a second use in one scope
  return pa + pb;
}

TEST(StatusMacros, AssignOrReturnAssigns) {
  const StatusOr<int> v = SumOfParsed(3, 4);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, 14);
}

TEST(StatusMacros, AssignOrReturnReturnsTheError) {
  const StatusOr<int> v = SumOfParsed(3, -1);
  EXPECT_EQ(v.status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(v.status().message(), "negative");
}

StatusOr<std::unique_ptr<int>> MakeBox(int x) {
  if (x < 0) return NotFoundError("none");
  return std::make_unique<int>(x);
}

Status AssignIntoExisting(int x, std::unique_ptr<int>* out) {
  SIM_ASSIGN_OR_RETURN(*out, MakeBox(x));
  return OkStatus();
}

TEST(StatusMacros, AssignOrReturnMovesIntoExistingLvalue) {
  std::unique_ptr<int> out;
  ASSERT_TRUE(AssignIntoExisting(5, &out).ok());
  ASSERT_NE(out, nullptr);
  EXPECT_EQ(*out, 5);
  EXPECT_EQ(AssignIntoExisting(-1, &out).code(), StatusCode::kNotFound);
  EXPECT_EQ(*out, 5);  // untouched on error
}

// Coroutine flavours inside a process.
Task<StatusOr<int>> CoSum(Scheduler& s, int a, int b) {
  {
    auto ignored = co_await s.Sleep(Seconds(1));
    ignored.IgnoreError();
  }
  SIM_CO_ASSIGN_OR_RETURN(int pa, Parse(a));
  SIM_CO_RETURN_IF_ERROR(Check(b >= 0, &pa));
  co_return pa + b;
}

Task<void> CoDriver(Scheduler& s, std::vector<StatusOr<int>>* out) {
  out->push_back(co_await CoSum(s, 2, 5));
  out->push_back(co_await CoSum(s, -2, 5));
  out->push_back(co_await CoSum(s, 2, -5));
}

TEST(StatusMacros, CoroutineVariantsReturnThroughTask) {
  Scheduler s;
  std::vector<StatusOr<int>> out;
  s.Spawn(CoDriver(s, &out));
  s.Run();
  ASSERT_EQ(out.size(), 3u);
  ASSERT_TRUE(out[0].ok());
  EXPECT_EQ(*out[0], 10);  // 2*2 + 1 (Check bumped pa) + 5
  EXPECT_EQ(out[1].status().code(), StatusCode::kOutOfRange);
  EXPECT_EQ(out[2].status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.Now(), Time::Zero() + Seconds(3));
}

}  // namespace
}  // namespace sim
