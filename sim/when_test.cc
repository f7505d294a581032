#include "sim/when.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "sim/scheduler.h"

namespace sim {
namespace {

Time At(Duration d) { return Time::Zero() + d; }
Time AtSeconds(int64_t s) { return At(Seconds(s)); }

using Log = std::vector<std::string>;

// Sleeps d, logs how its sleep ended, returns value.
Task<int> Child(Scheduler& s, std::string name, int value, Duration d, Log* log) {
  const Status st = co_await s.Sleep(d);
  log->push_back(name + " " + st.ToString() + " @" + ToString(s.Now()));
  co_return value;
}

Task<void> VoidChild(Scheduler& s, std::string name, Duration d, Log* log) {
  const Status st = co_await s.Sleep(d);
  log->push_back(name + " " + st.ToString() + " @" + ToString(s.Now()));
}

Task<int> ThrowingChild(Scheduler& s, Duration d) {
  {
    auto ignored = co_await s.Sleep(d);
    ignored.IgnoreError();
  }
  throw std::runtime_error("child failed");
  co_return 0;
}

std::vector<Task<int>> ThreeChildren(Scheduler& s, Log* log) {
  std::vector<Task<int>> tasks;
  tasks.push_back(Child(s, "a", 10, Seconds(3), log));
  tasks.push_back(Child(s, "b", 20, Seconds(1), log));
  tasks.push_back(Child(s, "c", 30, Seconds(2), log));
  return tasks;
}

template <class R>
struct Outcome {
  R result;
  Time at = Time::Max();
  uint64_t events_during_wait = 99;
};

Task<void> AllOf(Scheduler& s, std::vector<Task<int>> tasks, Outcome<StatusOr<std::vector<int>>>* out) {
  const uint64_t before = s.EventNumber();
  out->result = co_await WhenAll(std::move(tasks));
  out->events_during_wait = s.EventNumber() - before;
  out->at = s.Now();
}

Task<void> AllOfVoid(Scheduler& s, std::vector<Task<void>> tasks, Outcome<Status>* out) {
  out->result = co_await WhenAll(std::move(tasks));
  out->at = s.Now();
}

Task<void> AnyOf(Scheduler& s, std::vector<Task<int>> tasks, Outcome<StatusOr<WhenAnyResult<int>>>* out) {
  out->result = co_await WhenAny(std::move(tasks));
  out->at = s.Now();
}

Task<void> AnyOfVoid(Scheduler& s, std::vector<Task<void>> tasks, Outcome<StatusOr<std::size_t>>* out) {
  out->result = co_await WhenAny(std::move(tasks));
  out->at = s.Now();
}

Task<void> Timed(Scheduler& s, Task<int> task, Duration timeout, Outcome<StatusOr<int>>* out) {
  out->result = co_await WithTimeout(std::move(task), timeout);
  out->at = s.Now();
}

Task<void> TimedVoid(Scheduler& s, Task<void> task, Duration timeout, Outcome<Status>* out) {
  out->result = co_await WithTimeout(std::move(task), timeout);
  out->at = s.Now();
}

// --- WhenAll ---

TEST(WhenAll, CollectsResultsInIndexOrderAtTheSlowestTime) {
  Scheduler s;
  Log log;
  Outcome<StatusOr<std::vector<int>>> out{InternalError("unset")};
  s.Spawn(AllOf(s, ThreeChildren(s, &log), &out));
  s.Run();
  ASSERT_TRUE(out.result.ok()) << out.result.status().ToString();
  EXPECT_EQ(*out.result, (std::vector<int>{10, 20, 30}));
  EXPECT_EQ(out.at, AtSeconds(3));  // concurrent: the max, not the sum
  EXPECT_EQ(log, (Log{"b OK @1.000000000s", "c OK @2.000000000s", "a OK @3.000000000s"}));
  EXPECT_EQ(s.LiveProcesses(), 0u);
}

TEST(WhenAll, VoidReturnsOkAtTheSlowestTime) {
  Scheduler s;
  Log log;
  std::vector<Task<void>> tasks;
  tasks.push_back(VoidChild(s, "x", Seconds(2), &log));
  tasks.push_back(VoidChild(s, "y", Seconds(5), &log));
  tasks.push_back(VoidChild(s, "z", Seconds(1), &log));
  Outcome<Status> out{InternalError("unset")};
  s.Spawn(AllOfVoid(s, std::move(tasks), &out));
  s.Run();
  EXPECT_TRUE(out.result.ok()) << out.result.ToString();
  EXPECT_EQ(out.at, AtSeconds(5));
  EXPECT_EQ(log, (Log{"z OK @1.000000000s", "x OK @2.000000000s", "y OK @5.000000000s"}));
}

TEST(WhenAll, OfNoTasksReturnsAnEmptyResultImmediately) {
  Scheduler s;
  Outcome<StatusOr<std::vector<int>>> out{InternalError("unset")};
  s.Spawn(AllOf(s, {}, &out));
  s.Run();
  ASSERT_TRUE(out.result.ok());
  EXPECT_TRUE(out.result->empty());
  EXPECT_EQ(out.at, Time::Zero());
  EXPECT_EQ(out.events_during_wait, 0u);
}

Task<void> CatchFromWhenAll(Scheduler& s, std::vector<Task<int>> tasks, std::string* what, Time* at) {
  try {
    (void)co_await WhenAll(std::move(tasks));
  } catch (const std::runtime_error& e) {
    *what = e.what();
    *at = s.Now();
  }
}

TEST(WhenAll, ExceptionInAChildIsRethrownInTheAwaiterOnceAllFinish) {
  Scheduler s;
  Log log;
  std::vector<Task<int>> tasks;
  tasks.push_back(ThrowingChild(s, Seconds(1)));
  tasks.push_back(Child(s, "slow", 2, Seconds(4), &log));
  std::string what;
  Time at = Time::Max();
  s.Spawn(CatchFromWhenAll(s, std::move(tasks), &what, &at));
  s.Run();  // the exception does not escape the awaiting process
  EXPECT_EQ(what, "child failed");
  EXPECT_EQ(at, AtSeconds(4));  // the other child is not interrupted
  EXPECT_EQ(log, (Log{"slow OK @4.000000000s"}));
}

Task<int> ReportProcess(ProcessId* id, std::string* name) {
  Process* p = co_await ThisProcess{};
  *id = p->id();
  *name = p->name();
  co_return 0;
}

Task<void> ParentOfReporters(std::vector<Task<int>> tasks, ProcessId* parent) {
  Process* self = co_await ThisProcess{};
  *parent = self->id();
  {
    auto ignored = co_await WhenAll(std::move(tasks));
    ignored.IgnoreError();
  }
}

TEST(WhenAll, ChildrenAreSeparateProcessesNamedLikeTheParent) {
  Scheduler s;
  ProcessId parent, c0, c1;
  std::string n0, n1;
  std::vector<Task<int>> tasks;
  tasks.push_back(ReportProcess(&c0, &n0));
  tasks.push_back(ReportProcess(&c1, &n1));
  const ProcessId spawned = s.Spawn(ParentOfReporters(std::move(tasks), &parent), "uploader");
  s.Run();
  EXPECT_EQ(parent, spawned);
  EXPECT_TRUE(c0);
  EXPECT_NE(c0, parent);
  EXPECT_NE(c1, parent);
  EXPECT_NE(c0, c1);
  EXPECT_EQ(n0, "uploader");
  EXPECT_EQ(n1, "uploader");
}

Task<StatusOr<int>> Bounded(Scheduler& s, std::string name, int value, Duration d, Duration timeout, Log* log) {
  co_return co_await WithTimeout(Child(s, std::move(name), value, d, log), timeout);
}

Task<void> AllBounded(Scheduler& s, std::vector<Task<StatusOr<int>>> tasks,
                      Outcome<StatusOr<std::vector<StatusOr<int>>>>* out) {
  out->result = co_await WhenAll(std::move(tasks));
  out->at = s.Now();
}

TEST(WhenAll, OfTasksWithTimeouts) {
  Scheduler s;
  Log log;
  std::vector<Task<StatusOr<int>>> tasks;
  tasks.push_back(Bounded(s, "fast", 1, Seconds(1), Seconds(2), &log));
  tasks.push_back(Bounded(s, "slow", 2, Seconds(5), Seconds(2), &log));
  Outcome<StatusOr<std::vector<StatusOr<int>>>> out{InternalError("unset")};
  s.Spawn(AllBounded(s, std::move(tasks), &out));
  s.Run();
  ASSERT_TRUE(out.result.ok());
  ASSERT_EQ(out.result->size(), 2u);
  ASSERT_TRUE((*out.result)[0].ok());
  EXPECT_EQ(*(*out.result)[0], 1);
  EXPECT_EQ((*out.result)[1].status().code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(out.at, AtSeconds(2));
  EXPECT_EQ(s.Now(), AtSeconds(2));
  EXPECT_EQ(log, (Log{"fast OK @1.000000000s",
                      "slow DEADLINE_EXCEEDED: task did not finish within its timeout @2.000000000s"}));
}

// --- WhenAny ---

TEST(WhenAny, ReturnsIndexAndValueOfTheFirstToFinish) {
  Scheduler s;
  Log log;
  Outcome<StatusOr<WhenAnyResult<int>>> out{InternalError("unset")};
  s.Spawn(AnyOf(s, ThreeChildren(s, &log), &out));
  s.Run();
  ASSERT_TRUE(out.result.ok()) << out.result.status().ToString();
  EXPECT_EQ(out.result->index, 1u);
  EXPECT_EQ(out.result->value, 20);
  EXPECT_EQ(out.at, AtSeconds(1));
}

TEST(WhenAny, InterruptsTheLosers) {
  Scheduler s;
  Log log;
  Outcome<StatusOr<WhenAnyResult<int>>> out{InternalError("unset")};
  s.Spawn(AnyOf(s, ThreeChildren(s, &log), &out));
  s.Run();
  EXPECT_EQ(log, (Log{"b OK @1.000000000s", "a CANCELLED: another task finished first @1.000000000s",
                      "c CANCELLED: another task finished first @1.000000000s"}));
  // The losers' wake-ups were cancelled: nothing ran after 1 s.
  EXPECT_EQ(s.Now(), AtSeconds(1));
  EXPECT_EQ(s.LiveProcesses(), 0u);
}

TEST(WhenAny, VoidReturnsTheIndex) {
  Scheduler s;
  Log log;
  std::vector<Task<void>> tasks;
  tasks.push_back(VoidChild(s, "x", Seconds(4), &log));
  tasks.push_back(VoidChild(s, "y", Seconds(3), &log));
  Outcome<StatusOr<std::size_t>> out{InternalError("unset")};
  s.Spawn(AnyOfVoid(s, std::move(tasks), &out));
  s.Run();
  ASSERT_TRUE(out.result.ok());
  EXPECT_EQ(*out.result, 1u);
  EXPECT_EQ(out.at, AtSeconds(3));
  EXPECT_EQ(log, (Log{"y OK @3.000000000s", "x CANCELLED: another task finished first @3.000000000s"}));
}

TEST(WhenAny, OfNoTasksIsInvalidArgument) {
  Scheduler s;
  Outcome<StatusOr<WhenAnyResult<int>>> out{InternalError("unset")};
  s.Spawn(AnyOf(s, {}, &out));
  s.Run();
  EXPECT_EQ(out.result.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(out.at, Time::Zero());
}

TEST(WhenAny, TieGoesToTheLowerIndex) {
  Scheduler s;
  Log log;
  std::vector<Task<int>> tasks;
  tasks.push_back(Child(s, "first", 1, Seconds(2), &log));
  tasks.push_back(Child(s, "second", 2, Seconds(2), &log));
  Outcome<StatusOr<WhenAnyResult<int>>> out{InternalError("unset")};
  s.Spawn(AnyOf(s, std::move(tasks), &out));
  s.Run();
  ASSERT_TRUE(out.result.ok());
  EXPECT_EQ(out.result->index, 0u);
  EXPECT_EQ(out.result->value, 1);
}

// --- WithTimeout ---

TEST(WithTimeout, ReturnsTheValueWhenInTime) {
  Scheduler s;
  Log log;
  Outcome<StatusOr<int>> out{InternalError("unset")};
  s.Spawn(Timed(s, Child(s, "t", 99, Seconds(2), &log), Seconds(5), &out));
  s.Run();
  ASSERT_TRUE(out.result.ok());
  EXPECT_EQ(*out.result, 99);
  EXPECT_EQ(out.at, AtSeconds(2));
  EXPECT_EQ(s.Now(), AtSeconds(2));  // the deadline timer was cancelled
  EXPECT_EQ(s.PendingEvents(), 0u);
}

TEST(WithTimeout, DeadlineExceededAtExactlyTheDeadline) {
  Scheduler s;
  Log log;
  Outcome<StatusOr<int>> out{InternalError("unset")};
  s.Spawn(Timed(s, Child(s, "t", 99, Seconds(10), &log), Milliseconds(3250), &out));
  s.Run();
  EXPECT_EQ(out.result.status().code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(out.at, At(Milliseconds(3250)));
  // The task saw the deadline as an interrupt at its sleep.
  EXPECT_EQ(log, (Log{"t DEADLINE_EXCEEDED: task did not finish within its timeout @3.250000000s"}));
  EXPECT_EQ(s.Now(), At(Milliseconds(3250)));
  EXPECT_EQ(s.LiveProcesses(), 0u);
}

TEST(WithTimeout, VoidTaskInTimeAndLate) {
  Scheduler s;
  Log log;
  Outcome<Status> in_time{InternalError("unset")}, late{InternalError("unset")};
  s.Spawn(TimedVoid(s, VoidChild(s, "in-time", Seconds(1), &log), Seconds(2), &in_time));
  s.Spawn(TimedVoid(s, VoidChild(s, "late", Seconds(3), &log), Seconds(2), &late));
  s.Run();
  EXPECT_TRUE(in_time.result.ok());
  EXPECT_EQ(in_time.at, AtSeconds(1));
  EXPECT_EQ(late.result.code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(late.at, AtSeconds(2));
}

// --- interrupting the awaiting process ---

TEST(Interrupt, DuringWhenAllInterruptsTheChildren) {
  Scheduler s;
  Log log;
  std::vector<Task<int>> tasks;
  tasks.push_back(Child(s, "a", 1, Seconds(10), &log));
  tasks.push_back(Child(s, "b", 2, Seconds(20), &log));
  Outcome<StatusOr<std::vector<int>>> out{InternalError("unset")};
  const ProcessId pid = s.Spawn(AllOf(s, std::move(tasks), &out));
  s.ScheduleAt(AtSeconds(2), [&] { EXPECT_TRUE(s.Interrupt(pid, CancelledError("stop"))); });
  s.Run();
  EXPECT_EQ(out.result.status().code(), StatusCode::kCancelled);
  EXPECT_EQ(out.result.status().message(), "stop");
  EXPECT_EQ(out.at, AtSeconds(2));
  EXPECT_EQ(log, (Log{"a CANCELLED: stop @2.000000000s", "b CANCELLED: stop @2.000000000s"}));
  EXPECT_EQ(s.Now(), AtSeconds(2));
  EXPECT_EQ(s.LiveProcesses(), 0u);
}

TEST(Interrupt, DuringWhenAnyInterruptsTheChildren) {
  Scheduler s;
  Log log;
  Outcome<StatusOr<WhenAnyResult<int>>> out{InternalError("unset")};
  const ProcessId pid = s.Spawn(AnyOf(s, ThreeChildren(s, &log), &out));
  s.ScheduleAt(At(Milliseconds(500)), [&] { s.Interrupt(pid); });
  s.Run();
  EXPECT_EQ(out.result.status().code(), StatusCode::kInterrupted);
  EXPECT_EQ(out.at, At(Milliseconds(500)));
  EXPECT_EQ(log.size(), 3u);
  for (const std::string& line : log)
    EXPECT_NE(line.find("INTERRUPTED: interrupted @0.500000000s"), std::string::npos) << line;
  EXPECT_EQ(s.Now(), At(Milliseconds(500)));
}

TEST(Interrupt, DuringWithTimeoutInterruptsTheTaskAndCancelsTheDeadline) {
  Scheduler s;
  Log log;
  Outcome<StatusOr<int>> out{InternalError("unset")};
  const ProcessId pid = s.Spawn(Timed(s, Child(s, "t", 5, Seconds(10), &log), Seconds(5), &out));
  s.ScheduleAt(AtSeconds(1), [&] { s.Interrupt(pid); });
  s.Run();
  EXPECT_EQ(out.result.status().code(), StatusCode::kInterrupted);
  EXPECT_EQ(out.at, AtSeconds(1));
  EXPECT_EQ(log, (Log{"t INTERRUPTED: interrupted @1.000000000s"}));
  EXPECT_EQ(s.Now(), AtSeconds(1));  // no deadline timer left at 5 s
}

TEST(Interrupt, PendingInterruptMeansWhenAllNeverStartsItsChildren) {
  Scheduler s;
  Log log;
  Outcome<StatusOr<std::vector<int>>> out{InternalError("unset")};
  const ProcessId pid = s.Spawn(AllOf(s, ThreeChildren(s, &log), &out));
  s.Interrupt(pid);
  s.Run();
  EXPECT_EQ(out.result.status().code(), StatusCode::kInterrupted);
  EXPECT_EQ(out.at, Time::Zero());
  EXPECT_TRUE(log.empty());
  EXPECT_EQ(s.stats().processes_spawned, 1u);
  EXPECT_EQ(s.LiveProcesses(), 0u);
}

}  // namespace
}  // namespace sim
