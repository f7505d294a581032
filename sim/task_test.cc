// Processes: Task, Spawn, Sleep, ThisProcess and Interrupt. Promise and the
// WhenAll/WhenAny/WithTimeout combinators have their own files.

#include "sim/task.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/check.h"
#include "sim/promise.h"
#include "sim/rng.h"
#include "sim/scheduler.h"
#include "sim/when.h"

namespace sim {
namespace {

Time At(Duration d) { return Time::Zero() + d; }
Time AtSeconds(int64_t s) { return At(Seconds(s)); }

// --- Sleep ---

Task<void> SleepSequence(Scheduler& s, std::vector<Time>* times, std::vector<Status>* statuses) {
  times->push_back(s.Now());
  statuses->push_back(co_await s.Sleep(Milliseconds(1500)));
  times->push_back(s.Now());
  statuses->push_back(co_await s.Sleep(Duration::Zero()));
  times->push_back(s.Now());
  statuses->push_back(co_await s.SleepUntil(AtSeconds(10)));
  times->push_back(s.Now());
  statuses->push_back(co_await s.Sleep(Nanoseconds(1)));
  times->push_back(s.Now());
}

TEST(Task, SleepAdvancesSimulatedTimeExactly) {
  Scheduler s;
  std::vector<Time> times;
  std::vector<Status> statuses;
  s.Spawn(SleepSequence(s, &times, &statuses));
  s.Run();
  EXPECT_EQ(times, (std::vector<Time>{Time::Zero(), At(Milliseconds(1500)), At(Milliseconds(1500)), AtSeconds(10),
                                      Time::FromNanos(10'000'000'001)}));
  ASSERT_EQ(statuses.size(), 4u);
  for (const Status& st : statuses) EXPECT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(s.Now(), Time::FromNanos(10'000'000'001));
}

Task<void> Flag(Scheduler& s, std::vector<std::string>* log, std::string name) {
  log->push_back(name + "@" + ToString(s.Now()));
  co_return;
}

TEST(Task, SpawnedProcessStartsOnlyWhenTheSchedulerRuns) {
  Scheduler s;
  std::vector<std::string> log;
  const ProcessId pid = s.Spawn(Flag(s, &log, "p"));
  EXPECT_TRUE(pid);
  EXPECT_TRUE(log.empty());
  EXPECT_TRUE(s.IsAlive(pid));
  EXPECT_EQ(s.LiveProcesses(), 1u);
  EXPECT_EQ(s.PendingRegularEvents(), 1u);  // its start event
  s.Run();
  EXPECT_EQ(log, (std::vector<std::string>{"p@0.000000000s"}));
  EXPECT_FALSE(s.IsAlive(pid));
  EXPECT_EQ(s.LiveProcesses(), 0u);
  EXPECT_EQ(s.stats().processes_spawned, 1u);
}

TEST(Task, SpawnFromACallbackStartsAfterQueuedEventsAtThatTime) {
  Scheduler s;
  std::vector<std::string> log;
  s.ScheduleAt(AtSeconds(2), [&] {
    s.Spawn(Flag(s, &log, "p"));
    log.push_back("spawner-done");
  });
  s.ScheduleAt(AtSeconds(2), [&] { log.push_back("queued"); });
  s.Run();
  EXPECT_EQ(log, (std::vector<std::string>{"spawner-done", "queued", "p@2.000000000s"}));
}

TEST(Task, ProcessIdsAreDistinctAndNonZero) {
  Scheduler s;
  std::vector<std::string> log;
  const ProcessId a = s.Spawn(Flag(s, &log, "a"));
  const ProcessId b = s.Spawn(Flag(s, &log, "b"));
  EXPECT_TRUE(a);
  EXPECT_TRUE(b);
  EXPECT_NE(a.value, b.value);
  s.Run();
  EXPECT_EQ(log, (std::vector<std::string>{"a@0.000000000s", "b@0.000000000s"}));  // spawn order
}

Task<void> WakeAt(Scheduler& s, std::vector<std::string>* log, std::string name, std::vector<Duration> sleeps) {
  for (Duration d : sleeps) {
    auto ignored = co_await s.Sleep(d);
    ignored.IgnoreError();
  }
  log->push_back(name + "@" + ToString(s.Now()));
}

TEST(Task, ProcessesWakingAtTheSameTimeResumeInTheOrderTheySleptIn) {
  Scheduler s;
  std::vector<std::string> log;
  s.Spawn(WakeAt(s, &log, "late-sleeper", {Seconds(3), Seconds(2)}));  // goes to sleep for 5 s at 3 s
  s.Spawn(WakeAt(s, &log, "a", {Seconds(5)}));
  s.Spawn(WakeAt(s, &log, "b", {Seconds(5)}));
  s.Run();
  EXPECT_EQ(log, (std::vector<std::string>{"a@5.000000000s", "b@5.000000000s", "late-sleeper@5.000000000s"}));
}

Task<void> DaemonSleeper(Scheduler& s, Time* woke) {
  {
    auto ignored = co_await s.Sleep(Seconds(10), kDaemon);
    ignored.IgnoreError();
  }
  *woke = s.Now();
}

TEST(Task, DaemonSleepDoesNotKeepRunAlive) {
  Scheduler s;
  Time woke = Time::Max();
  const ProcessId pid = s.Spawn(DaemonSleeper(s, &woke));
  s.Run();
  EXPECT_EQ(woke, Time::Max());
  EXPECT_TRUE(s.IsAlive(pid));
  s.RunUntil(AtSeconds(10));
  EXPECT_EQ(woke, AtSeconds(10));
  EXPECT_FALSE(s.IsAlive(pid));
}

Task<void> SleepUntilPast(Scheduler& s) {
  {
    auto ignored = co_await s.Sleep(Seconds(2));
    ignored.IgnoreError();
  }
  {
    auto ignored = co_await s.SleepUntil(AtSeconds(1));
    ignored.IgnoreError();
  }
}

TEST(Task, SleepUntilThePastIsAnInvariantViolation) {
  Scheduler s;
  s.Spawn(SleepUntilPast(s));
  try {
    s.Run();
    FAIL() << "no InvariantViolation";
  } catch (const InvariantViolation& e) {
    EXPECT_EQ(e.sim_time_ns(), Seconds(2).nanos());
  }
  EXPECT_EQ(s.LiveProcesses(), 0u);
}

struct CaughtPast {
  bool caught = false;
  Status status;
  Time at = Time::Max();
};

Task<void> CatchPastThenSelfInterrupt(Scheduler& s, CaughtPast* out) {
  {
    auto ignored = co_await s.Sleep(Seconds(2));
    ignored.IgnoreError();
  }
  try {
    {
      auto ignored = co_await s.SleepUntil(AtSeconds(1));
      ignored.IgnoreError();
    }
  } catch (const InvariantViolation&) {
    out->caught = true;
  }
  // The failed sleep must not have left the process waiting on it.
  Process* self = co_await ThisProcess{};
  s.Interrupt(self->id());
  out->status = co_await s.Sleep(Seconds(1));
  out->at = s.Now();
}

TEST(Task, SleepUntilThePastThrowsBeforeTheProcessSuspends) {
  Scheduler s;
  CaughtPast out;
  s.Spawn(CatchPastThenSelfInterrupt(s, &out));
  s.Run();
  EXPECT_TRUE(out.caught);
  EXPECT_EQ(out.status.code(), StatusCode::kInterrupted);  // the pending interrupt, at once
  EXPECT_EQ(out.at, AtSeconds(2));
  EXPECT_EQ(s.Now(), AtSeconds(2));
}

Task<void> NegativeSleep(Scheduler& s) {
  {
    auto ignored = co_await s.Sleep(Seconds(-1));
    ignored.IgnoreError();
  }
}

TEST(Task, NegativeSleepIsAnInvariantViolation) {
  Scheduler s;
  s.Spawn(NegativeSleep(s));
  EXPECT_THROW(s.Run(), InvariantViolation);
}

// --- nested tasks ---

Task<int> AddLater(Scheduler& s, int a, int b, Duration d) {
  {
    auto ignored = co_await s.Sleep(d);
    ignored.IgnoreError();
  }
  co_return a + b;
}

Task<int> Combine(Scheduler& s) {
  const int x = co_await AddLater(s, 1, 2, Seconds(1));
  const int y = co_await AddLater(s, x, 10, Seconds(2));
  co_return x* y;
}

Task<void> StoreInt(Task<int> task, Scheduler& s, int* out, Time* at) {
  *out = co_await std::move(task);
  *at = s.Now();
}

TEST(Task, ReturnValuesFlowThroughNestedAwaits) {
  Scheduler s;
  int result = 0;
  Time at;
  s.Spawn(StoreInt(Combine(s), s, &result, &at));
  s.Run();
  EXPECT_EQ(result, 39);  // 3 * 13
  EXPECT_EQ(at, AtSeconds(3));
}

Task<int> Depth(Scheduler& s, int n) {
  if (n == 0) {
    {
      auto ignored = co_await s.Sleep(Seconds(1));
      ignored.IgnoreError();
    }
    co_return 0;
  }
  const int below = co_await Depth(s, n - 1);
  co_return below + 1;
}

TEST(Task, DeeplyNestedTasksReturnValues) {
  Scheduler s;
  int result = 0;
  Time at;
  s.Spawn(StoreInt(Depth(s, 1000), s, &result, &at));
  s.Run();
  EXPECT_EQ(result, 1000);
  EXPECT_EQ(at, AtSeconds(1));
}

Task<std::unique_ptr<std::string>> MakeOwned(Scheduler& s) {
  {
    auto ignored = co_await s.Sleep(Milliseconds(5));
    ignored.IgnoreError();
  }
  co_return std::make_unique<std::string>("owned");
}

Task<void> TakeOwned(Scheduler& s, std::string* out) {
  std::unique_ptr<std::string> p = co_await MakeOwned(s);
  *out = *p;
}

TEST(Task, MoveOnlyReturnValue) {
  Scheduler s;
  std::string out;
  s.Spawn(TakeOwned(s, &out));
  s.Run();
  EXPECT_EQ(out, "owned");
}

TEST(Task, UnstartedTaskIsDestroyedWithoutRunning) {
  Scheduler s;
  std::vector<std::string> log;
  {
    Task<void> t = Flag(s, &log, "never");
    EXPECT_TRUE(t.valid());
    Task<void> moved = std::move(t);
    EXPECT_FALSE(t.valid());  // NOLINT(bugprone-use-after-move)
    EXPECT_TRUE(moved.valid());
  }
  s.Run();
  EXPECT_TRUE(log.empty());
}

// --- scheduler teardown ---

Task<void> HoldWhileSleeping(Scheduler& s, std::shared_ptr<int> token) {
  {
    auto ignored = co_await s.Sleep(Seconds(100));
    ignored.IgnoreError();
  }
  ++*token;
}

Task<int> NestedHold(Scheduler& s, std::shared_ptr<int> token) {
  {
    auto ignored = co_await s.Sleep(Seconds(100));
    ignored.IgnoreError();
  }
  co_return ++*token;
}

Task<void> HoldInNestedTask(Scheduler& s, std::shared_ptr<int> token) { (void)co_await NestedHold(s, token); }

Task<void> HoldWhileWaiting(Promise<int> p, std::shared_ptr<int> token) {
  (void)co_await p.WaitFor(Seconds(100));
  ++*token;
}

Task<void> HoldInWhenAll(Scheduler& s, std::shared_ptr<int> token) {
  std::vector<Task<int>> tasks;
  tasks.push_back(NestedHold(s, token));
  tasks.push_back(NestedHold(s, token));
  (void)co_await WhenAll(std::move(tasks));
}

TEST(Task, DestroyingTheSchedulerDestroysSuspendedProcesses) {
  auto token = std::make_shared<int>(0);
  {
    Scheduler s;
    Promise<int> p(s);
    s.Spawn(HoldWhileSleeping(s, token));
    s.Spawn(HoldInNestedTask(s, token));
    s.Spawn(HoldWhileWaiting(p, token));
    s.Spawn(HoldInWhenAll(s, token));
    s.RunUntil(AtSeconds(1));
    EXPECT_EQ(s.LiveProcesses(), 6u);  // 4 + 2 WhenAll children
    EXPECT_EQ(token.use_count(), 8);   // ours + one per frame holding it
  }
  EXPECT_EQ(token.use_count(), 1);  // every frame was destroyed...
  EXPECT_EQ(*token, 0);             // ...without being resumed
}

// --- exceptions ---

Task<int> ThrowAfter(Scheduler& s, Duration d) {
  {
    auto ignored = co_await s.Sleep(d);
    ignored.IgnoreError();
  }
  throw std::runtime_error("boom");
  co_return 0;
}

Task<void> CatchNested(Scheduler& s, std::string* what, Time* caught_at, Time* finished_at) {
  try {
    (void)co_await ThrowAfter(s, Seconds(2));
  } catch (const std::runtime_error& e) {
    *what = e.what();
    *caught_at = s.Now();
  }
  {
    auto ignored = co_await s.Sleep(Seconds(1));
    ignored.IgnoreError();
  }
  *finished_at = s.Now();
}

TEST(Task, ExceptionInANestedTaskReachesTheAwaitersCatch) {
  Scheduler s;
  std::string what;
  Time caught_at, finished_at;
  s.Spawn(CatchNested(s, &what, &caught_at, &finished_at));
  s.Run();  // nothing escapes the process
  EXPECT_EQ(what, "boom");
  EXPECT_EQ(caught_at, AtSeconds(2));
  EXPECT_EQ(finished_at, AtSeconds(3));
  EXPECT_EQ(s.LiveProcesses(), 0u);
}

Task<void> PassThrough(Scheduler& s) { (void)co_await ThrowAfter(s, Seconds(3)); }

Task<void> SleepFor(Scheduler& s, Duration d, Time* woke) {
  {
    auto ignored = co_await s.Sleep(d);
    ignored.IgnoreError();
  }
  *woke = s.Now();
}

TEST(Task, ExceptionEscapingAProcessIsRethrownFromRun) {
  Scheduler s;
  Time other_woke = Time::Max();
  s.Spawn(PassThrough(s));
  s.Spawn(SleepFor(s, Seconds(5), &other_woke));
  try {
    s.Run();
    FAIL() << "the exception was swallowed";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "boom");
  }
  EXPECT_EQ(s.Now(), AtSeconds(3));
  EXPECT_EQ(s.LiveProcesses(), 1u);  // the failed process is gone
  s.Run();                           // the rest of the model carries on
  EXPECT_EQ(other_woke, AtSeconds(5));
  EXPECT_EQ(s.LiveProcesses(), 0u);
}

TEST(Task, ExceptionEscapingAProcessIsRethrownFromStep) {
  Scheduler s;
  s.Spawn(PassThrough(s));
  EXPECT_TRUE(s.Step());  // start; sleeps until 3 s
  EXPECT_THROW(s.Step(), std::runtime_error);
  EXPECT_EQ(s.Now(), AtSeconds(3));
  EXPECT_FALSE(s.Step());
}

TEST(Task, ExceptionEscapingAProcessIsRethrownFromRunUntil) {
  Scheduler s;
  s.Spawn(PassThrough(s));
  EXPECT_THROW(s.RunUntil(AtSeconds(10)), std::runtime_error);
  EXPECT_EQ(s.Now(), AtSeconds(3));
}

// --- ThisProcess ---

Task<ProcessId> NestedId() {
  Process* p = co_await ThisProcess{};
  co_return p->id();
}

struct Identity {
  ProcessId id, nested_id;
  std::string name;
  Scheduler* scheduler = nullptr;
  uint64_t event_before = 0, event_after = 0;
};

Task<void> WhoAmI(Scheduler& s, Identity* out) {
  out->event_before = s.EventNumber();
  Process* p = co_await ThisProcess{};
  out->event_after = s.EventNumber();
  out->id = p->id();
  out->name = p->name();
  out->scheduler = &p->scheduler();
  out->nested_id = co_await NestedId();
}

TEST(Task, ThisProcessGivesTheRunningProcess) {
  Scheduler s;
  Identity a, b;
  const ProcessId pa = s.Spawn(WhoAmI(s, &a), "worker-a");
  const ProcessId pb = s.Spawn(WhoAmI(s, &b), "worker-b");
  s.Run();
  EXPECT_EQ(a.id, pa);
  EXPECT_EQ(a.nested_id, pa);  // a nested task runs in its awaiter's process
  EXPECT_EQ(a.name, "worker-a");
  EXPECT_EQ(a.scheduler, &s);
  EXPECT_EQ(b.id, pb);
  EXPECT_EQ(b.name, "worker-b");
  EXPECT_EQ(a.event_after, a.event_before);  // did not suspend
}

// --- many processes ---

struct Tally {
  int done = 0;
  int wrong = 0;
  int64_t sum_finish_ns = 0;
  Time max_finish;
};

Task<void> TimedSleeper(Scheduler& s, Duration d, Tally* tally) {
  const Time start = s.Now();
  const Status st = co_await s.Sleep(d);
  if (!st.ok() || s.Now() != start + d) ++tally->wrong;
  tally->sum_finish_ns += s.Now().nanos();
  tally->max_finish = std::max(tally->max_finish, s.Now());
  ++tally->done;
}

TEST(Task, HundredThousandConcurrentProcessesFinishAtTheirTimes) {
  constexpr int kProcs = 100'000;
  Scheduler s;
  Rng rng(2024);
  Tally tally;
  int64_t expected_sum = 0;
  int64_t expected_max = 0;
  for (int i = 0; i < kProcs; ++i) {
    const int64_t d = static_cast<int64_t>(rng.UniformInt(1'000'000'000));
    expected_sum += d;
    expected_max = std::max(expected_max, d);
    s.Spawn(TimedSleeper(s, Nanoseconds(d), &tally));
  }
  EXPECT_EQ(s.LiveProcesses(), static_cast<std::size_t>(kProcs));
  s.Run();
  EXPECT_EQ(tally.done, kProcs);
  EXPECT_EQ(tally.wrong, 0);
  EXPECT_EQ(tally.sum_finish_ns, expected_sum);
  EXPECT_EQ(tally.max_finish, Time::FromNanos(expected_max));
  EXPECT_EQ(s.Now(), Time::FromNanos(expected_max));
  EXPECT_EQ(s.LiveProcesses(), 0u);
  EXPECT_EQ(s.stats().processes_spawned, static_cast<uint64_t>(kProcs));
  EXPECT_EQ(s.stats().peak_pending, static_cast<std::size_t>(kProcs));
}

// --- Interrupt ---

Task<void> SleepTwice(Scheduler& s, Duration first, Duration second, std::vector<Status>* statuses,
                      std::vector<Time>* times) {
  statuses->push_back(co_await s.Sleep(first));
  times->push_back(s.Now());
  statuses->push_back(co_await s.Sleep(second));
  times->push_back(s.Now());
}

TEST(Interrupt, DuringSleepReturnsInterruptedAtTheInterruptTime) {
  Scheduler s;
  std::vector<Status> statuses;
  std::vector<Time> times;
  const ProcessId pid = s.Spawn(SleepTwice(s, Seconds(10), Seconds(1), &statuses, &times));
  bool accepted = false;
  s.ScheduleAt(AtSeconds(3), [&] { accepted = s.Interrupt(pid); });
  s.Run();
  EXPECT_TRUE(accepted);
  ASSERT_EQ(statuses.size(), 2u);
  EXPECT_EQ(statuses[0].code(), StatusCode::kInterrupted);
  EXPECT_EQ(statuses[0].message(), "interrupted");
  EXPECT_TRUE(statuses[1].ok());
  EXPECT_EQ(times, (std::vector<Time>{AtSeconds(3), AtSeconds(4)}));
  // The 10 s wake-up was cancelled: the run ended at 4 s, not 10 s.
  EXPECT_EQ(s.Now(), AtSeconds(4));
  EXPECT_EQ(s.stats().events_cancelled, 1u);
}

TEST(Interrupt, ReasonStatusIsDelivered) {
  static constexpr ErrorDetail kNodeDown{"test", "NodeDown"};
  Scheduler s;
  std::vector<Status> statuses;
  std::vector<Time> times;
  const ProcessId pid = s.Spawn(SleepTwice(s, Seconds(10), Seconds(1), &statuses, &times));
  s.ScheduleAt(AtSeconds(2), [&] { s.Interrupt(pid, Status(StatusCode::kUnavailable, "node down", &kNodeDown)); });
  s.Run();
  ASSERT_FALSE(statuses.empty());
  EXPECT_EQ(statuses[0].code(), StatusCode::kUnavailable);
  EXPECT_EQ(statuses[0].message(), "node down");
  EXPECT_EQ(statuses[0].detail(), &kNodeDown);
  EXPECT_EQ(statuses[0].name(), "NodeDown");
}

TEST(Interrupt, OkReasonBecomesInterrupted) {
  Scheduler s;
  std::vector<Status> statuses;
  std::vector<Time> times;
  const ProcessId pid = s.Spawn(SleepTwice(s, Seconds(10), Seconds(1), &statuses, &times));
  s.ScheduleAt(AtSeconds(2), [&] { s.Interrupt(pid, OkStatus()); });
  s.Run();
  ASSERT_FALSE(statuses.empty());
  EXPECT_EQ(statuses[0].code(), StatusCode::kInterrupted);
}

TEST(Interrupt, OfAFinishedProcessReturnsFalse) {
  Scheduler s;
  std::vector<Status> statuses;
  std::vector<Time> times;
  const ProcessId pid = s.Spawn(SleepTwice(s, Seconds(1), Seconds(1), &statuses, &times));
  s.Run();
  EXPECT_FALSE(s.Interrupt(pid));
  EXPECT_FALSE(s.Interrupt(ProcessId{12345}));
  EXPECT_EQ(s.PendingEvents(), 0u);
}

TEST(Interrupt, BeforeTheProcessStartsIsDeliveredAtItsFirstAwait) {
  Scheduler s;
  std::vector<Status> statuses;
  std::vector<Time> times;
  const ProcessId pid = s.Spawn(SleepTwice(s, Seconds(5), Seconds(5), &statuses, &times));
  EXPECT_TRUE(s.Interrupt(pid, CancelledError("early")));
  s.Run();
  ASSERT_EQ(statuses.size(), 2u);
  EXPECT_EQ(statuses[0].code(), StatusCode::kCancelled);
  EXPECT_EQ(statuses[0].message(), "early");
  EXPECT_TRUE(statuses[1].ok());
  EXPECT_EQ(times, (std::vector<Time>{Time::Zero(), AtSeconds(5)}));  // the first await returned at once
}

struct SelfInterrupt {
  bool accepted = false;
  Status status;
  uint64_t events_during_sleep = 99;
  Time after = Time::Max();
};

Task<void> InterruptSelfThenSleep(Scheduler& s, SelfInterrupt* out) {
  {
    auto ignored = co_await s.Sleep(Seconds(1));
    ignored.IgnoreError();
  }
  Process* self = co_await ThisProcess{};
  out->accepted = s.Interrupt(self->id(), Status(StatusCode::kAborted, "self"));
  const uint64_t before = s.EventNumber();
  out->status = co_await s.Sleep(Seconds(5));
  out->events_during_sleep = s.EventNumber() - before;
  out->after = s.Now();
}

TEST(Interrupt, OfTheRunningProcessIsDeliveredAtItsNextAwait) {
  Scheduler s;
  SelfInterrupt out;
  s.Spawn(InterruptSelfThenSleep(s, &out));
  s.Run();
  EXPECT_TRUE(out.accepted);
  EXPECT_EQ(out.status.code(), StatusCode::kAborted);
  EXPECT_EQ(out.status.message(), "self");
  EXPECT_EQ(out.events_during_sleep, 0u);  // returned without suspending
  EXPECT_EQ(out.after, AtSeconds(1));
}

Task<void> SleepThrice(Scheduler& s, std::vector<Status>* statuses, std::vector<Time>* times) {
  for (int i = 0; i < 3; ++i) {
    statuses->push_back(co_await s.Sleep(Seconds(10)));
    times->push_back(s.Now());
  }
}

TEST(Interrupt, SecondInterruptBeforeResumingIsKeptForTheNextAwait) {
  Scheduler s;
  std::vector<Status> statuses;
  std::vector<Time> times;
  const ProcessId pid = s.Spawn(SleepThrice(s, &statuses, &times));
  s.ScheduleAt(AtSeconds(3), [&] {
    EXPECT_TRUE(s.Interrupt(pid, CancelledError("first")));
    EXPECT_TRUE(s.Interrupt(pid, UnavailableError("second")));  // the process has not resumed yet
  });
  s.Run();
  ASSERT_EQ(statuses.size(), 3u);
  EXPECT_EQ(statuses[0].message(), "first");
  EXPECT_EQ(statuses[1].message(), "second");
  EXPECT_TRUE(statuses[2].ok());
  EXPECT_EQ(times, (std::vector<Time>{AtSeconds(3), AtSeconds(3), AtSeconds(13)}));
}

Task<Status> InnerSleep(Scheduler& s, Duration d) {
  Status st = co_await s.Sleep(d);
  co_return st;
}

Task<void> OuterOfInnerSleep(Scheduler& s, Status* inner_status, Time* at) {
  *inner_status = co_await InnerSleep(s, Seconds(10));
  *at = s.Now();
}

TEST(Interrupt, ReachesTheSleepInsideANestedTask) {
  Scheduler s;
  Status inner_status;
  Time at;
  const ProcessId pid = s.Spawn(OuterOfInnerSleep(s, &inner_status, &at));
  s.ScheduleAt(AtSeconds(2), [&] { s.Interrupt(pid); });
  s.Run();
  EXPECT_EQ(inner_status.code(), StatusCode::kInterrupted);
  EXPECT_EQ(at, AtSeconds(2));
  EXPECT_EQ(s.Now(), AtSeconds(2));
}

TEST(Interrupt, OnlyTheTargetProcessIsInterrupted) {
  Scheduler s;
  std::vector<Status> a_statuses, b_statuses;
  std::vector<Time> a_times, b_times;
  const ProcessId a = s.Spawn(SleepTwice(s, Seconds(10), Seconds(1), &a_statuses, &a_times));
  s.Spawn(SleepTwice(s, Seconds(10), Seconds(1), &b_statuses, &b_times));
  s.ScheduleAt(AtSeconds(2), [&] { s.Interrupt(a); });
  s.Run();
  EXPECT_EQ(a_times, (std::vector<Time>{AtSeconds(2), AtSeconds(3)}));
  EXPECT_EQ(b_times, (std::vector<Time>{AtSeconds(10), AtSeconds(11)}));
  ASSERT_EQ(b_statuses.size(), 2u);
  EXPECT_TRUE(b_statuses[0].ok());
}

}  // namespace
}  // namespace sim
