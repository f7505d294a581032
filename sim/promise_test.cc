#include "sim/promise.h"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/check.h"
#include "sim/scheduler.h"

namespace sim {
namespace {

Time At(Duration d) { return Time::Zero() + d; }
Time AtSeconds(int64_t s) { return At(Seconds(s)); }

struct WaitRecord {
  std::string who;
  Time at;
  StatusOr<int> result = InternalError("not resumed");
};

Task<void> WaitAfter(Scheduler& s, Promise<int> p, Duration delay, std::string who, std::vector<WaitRecord>* log) {
  {
    auto ignored = co_await s.Sleep(delay);
    ignored.IgnoreError();
  }
  StatusOr<int> r = co_await p.Wait();
  log->push_back(WaitRecord{who, s.Now(), std::move(r)});
}

TEST(Promise, SetWakesAllWaitersInWaitOrderAtTheSetTime) {
  Scheduler s;
  Promise<int> p(s);
  std::vector<WaitRecord> log;
  // Spawn order differs from wait order.
  s.Spawn(WaitAfter(s, p, Seconds(2), "third", &log));
  s.Spawn(WaitAfter(s, p, Seconds(0), "first", &log));
  s.Spawn(WaitAfter(s, p, Seconds(1), "second", &log));
  s.ScheduleAt(AtSeconds(5), [&] {
    EXPECT_EQ(p.waiter_count(), 3u);
    p.Set(42);
  });
  s.Run();
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0].who, "first");
  EXPECT_EQ(log[1].who, "second");
  EXPECT_EQ(log[2].who, "third");
  for (const WaitRecord& r : log) {
    EXPECT_EQ(r.at, AtSeconds(5));
    ASSERT_TRUE(r.result.ok());
    EXPECT_EQ(*r.result, 42);
  }
  EXPECT_TRUE(p.IsDone());
  EXPECT_EQ(p.waiter_count(), 0u);
}

TEST(Promise, SetterFinishesItsEventBeforeWaitersResume) {
  Scheduler s;
  Promise<int> p(s);
  std::vector<WaitRecord> log;
  s.Spawn(WaitAfter(s, p, Seconds(0), "waiter", &log));
  bool waiter_ran_during_set = true;
  s.ScheduleAt(AtSeconds(1), [&] {
    p.Set(7);
    waiter_ran_during_set = !log.empty();
  });
  s.Run();
  EXPECT_FALSE(waiter_ran_during_set);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0].at, AtSeconds(1));
}

TEST(Promise, FailDeliversTheStatusToEveryWaiter) {
  Scheduler s;
  Promise<int> p(s);
  std::vector<WaitRecord> log;
  s.Spawn(WaitAfter(s, p, Seconds(0), "a", &log));
  s.Spawn(WaitAfter(s, p, Seconds(0), "b", &log));
  s.ScheduleAt(AtSeconds(3), [&] { p.Fail(NotFoundError("no such item")); });
  s.Run();
  ASSERT_EQ(log.size(), 2u);
  for (const WaitRecord& r : log) {
    EXPECT_EQ(r.at, AtSeconds(3));
    EXPECT_EQ(r.result.status().code(), StatusCode::kNotFound);
    EXPECT_EQ(r.result.status().message(), "no such item");
  }
}

struct ImmediateWait {
  StatusOr<int> result = InternalError("not resumed");
  Time at;
  uint64_t events_during_wait = 99;
};

Task<void> WaitAt(Scheduler& s, Promise<int> p, Time when, ImmediateWait* out) {
  {
    auto ignored = co_await s.SleepUntil(when);
    ignored.IgnoreError();
  }
  const uint64_t before = s.EventNumber();
  out->result = co_await p.Wait();
  out->events_during_wait = s.EventNumber() - before;
  out->at = s.Now();
}

TEST(Promise, WaitOnACompletedPromiseReturnsImmediately) {
  Scheduler s;
  Promise<int> p(s);
  p.Set(5);
  ImmediateWait out;
  s.Spawn(WaitAt(s, p, AtSeconds(3), &out));
  s.Run();
  ASSERT_TRUE(out.result.ok());
  EXPECT_EQ(*out.result, 5);
  EXPECT_EQ(out.at, AtSeconds(3));
  EXPECT_EQ(out.events_during_wait, 0u);  // no suspension, no event
}

TEST(Promise, WaitOnAFailedPromiseReturnsTheStatusImmediately) {
  Scheduler s;
  Promise<int> p(s);
  p.Fail(UnavailableError("down"));
  ImmediateWait out;
  s.Spawn(WaitAt(s, p, AtSeconds(1), &out));
  s.Run();
  EXPECT_EQ(out.result.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(out.at, AtSeconds(1));
  EXPECT_EQ(out.events_during_wait, 0u);
}

struct TimedWait {
  StatusOr<int> result = InternalError("not resumed");
  Time at;
  int resumes = 0;
};

Task<void> WaitForAfter(Scheduler& s, Promise<int> p, Duration delay, Duration timeout, TimedWait* out) {
  {
    auto ignored = co_await s.Sleep(delay);
    ignored.IgnoreError();
  }
  out->result = co_await p.WaitFor(timeout);
  ++out->resumes;
  out->at = s.Now();
}

TEST(Promise, WaitForTimesOutAtExactlyTheTimeout) {
  Scheduler s;
  Promise<int> p(s);
  TimedWait out;
  s.Spawn(WaitForAfter(s, p, Seconds(1), Seconds(2), &out));
  std::size_t waiters_after_timeout = 99;
  s.ScheduleAt(At(Milliseconds(3001)), [&] { waiters_after_timeout = p.waiter_count(); });
  s.ScheduleAt(AtSeconds(10), [&] { p.Set(1); });
  s.Run();
  EXPECT_EQ(out.result.status().code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(out.at, AtSeconds(3));
  EXPECT_EQ(out.resumes, 1);  // the later Set did not resume it again
  EXPECT_EQ(waiters_after_timeout, 0u);
}

TEST(Promise, WaitForSucceedsWhenSetBeforeTheTimeout) {
  Scheduler s;
  Promise<int> p(s);
  TimedWait out;
  s.Spawn(WaitForAfter(s, p, Seconds(0), Seconds(5), &out));
  s.ScheduleAt(AtSeconds(2), [&] { p.Set(77); });
  s.Run();
  ASSERT_TRUE(out.result.ok());
  EXPECT_EQ(*out.result, 77);
  EXPECT_EQ(out.at, AtSeconds(2));
  // The timeout timer was cancelled: the run did not go on to 5 s.
  EXPECT_EQ(s.Now(), AtSeconds(2));
  EXPECT_EQ(s.PendingEvents(), 0u);
}

TEST(Promise, WaitForOnACompletedPromiseReturnsImmediately) {
  Scheduler s;
  Promise<int> p(s);
  p.Set(3);
  TimedWait out;
  s.Spawn(WaitForAfter(s, p, Seconds(1), Seconds(5), &out));
  s.Run();
  ASSERT_TRUE(out.result.ok());
  EXPECT_EQ(*out.result, 3);
  EXPECT_EQ(s.Now(), AtSeconds(1));
}

Task<void> WaitVoid(Scheduler& s, Promise<> p, std::vector<Status>* statuses, std::vector<Time>* times) {
  statuses->push_back(co_await p.Wait());
  times->push_back(s.Now());
}

TEST(Promise, VoidPromiseSetWakesWaiters) {
  Scheduler s;
  Promise<> p(s);
  std::vector<Status> statuses;
  std::vector<Time> times;
  s.Spawn(WaitVoid(s, p, &statuses, &times));
  s.Spawn(WaitVoid(s, p, &statuses, &times));
  s.ScheduleAt(AtSeconds(4), [&] { p.Set(); });
  s.Run();
  ASSERT_EQ(statuses.size(), 2u);
  EXPECT_TRUE(statuses[0].ok());
  EXPECT_TRUE(statuses[1].ok());
  EXPECT_EQ(times, (std::vector<Time>{AtSeconds(4), AtSeconds(4)}));
}

TEST(Promise, VoidPromiseFailDeliversTheStatus) {
  Scheduler s;
  Promise<> p(s);
  std::vector<Status> statuses;
  std::vector<Time> times;
  s.Spawn(WaitVoid(s, p, &statuses, &times));
  s.ScheduleAt(AtSeconds(4), [&] { p.Fail(ResourceExhaustedError("throttled")); });
  s.Run();
  ASSERT_EQ(statuses.size(), 1u);
  EXPECT_EQ(statuses[0].code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(statuses[0].message(), "throttled");
}

Task<void> WaitForVoid(Scheduler& s, Promise<> p, Duration timeout, Status* status, Time* at) {
  *status = co_await p.WaitFor(timeout);
  *at = s.Now();
}

TEST(Promise, VoidPromiseWaitForTimesOut) {
  Scheduler s;
  Promise<> p(s);
  Status status;
  Time at;
  s.Spawn(WaitForVoid(s, p, Milliseconds(1500), &status, &at));
  s.Run();
  EXPECT_EQ(status.code(), StatusCode::kDeadlineExceeded);
  EXPECT_EQ(at, At(Milliseconds(1500)));
  EXPECT_FALSE(p.IsDone());
}

TEST(Promise, CopiesShareState) {
  Scheduler s;
  Promise<int> p(s);
  Promise<int> copy = p;
  std::vector<WaitRecord> log;
  s.Spawn(WaitAfter(s, p, Seconds(0), "waiter", &log));
  s.ScheduleAt(AtSeconds(1), [&] { copy.Set(9); });
  s.Run();
  EXPECT_TRUE(p.IsDone());
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(*log[0].result, 9);
}

TEST(Promise, IsDoneAndWaiterCount) {
  Scheduler s;
  Promise<int> p(s);
  std::vector<WaitRecord> log;
  EXPECT_FALSE(p.IsDone());
  s.Spawn(WaitAfter(s, p, Seconds(0), "a", &log));
  s.Spawn(WaitAfter(s, p, Seconds(0), "b", &log));
  EXPECT_EQ(p.waiter_count(), 0u);  // not started yet
  s.RunUntil(AtSeconds(1));
  EXPECT_EQ(p.waiter_count(), 2u);
  EXPECT_FALSE(p.IsDone());
  p.Set(1);
  EXPECT_TRUE(p.IsDone());
  EXPECT_EQ(p.waiter_count(), 0u);
  s.Run();
  EXPECT_EQ(log.size(), 2u);
}

TEST(Promise, CompletingTwiceIsAnInvariantViolation) {
  Scheduler s;
  Promise<int> p(s);
  p.Set(1);
  EXPECT_THROW(p.Set(2), InvariantViolation);
  EXPECT_THROW(p.Fail(InternalError("late")), InvariantViolation);
}

TEST(Promise, FailWithOkStatusIsAnInvariantViolation) {
  Scheduler s;
  Promise<int> p(s);
  EXPECT_THROW(p.Fail(OkStatus()), InvariantViolation);
  EXPECT_FALSE(p.IsDone());
}

Task<void> WaitForever(Promise<int> p) { (void)co_await p.Wait(); }

TEST(Promise, OutlivesTheSchedulerThatDestroyedItsWaiters) {
  auto sched = std::make_unique<Scheduler>();
  std::optional<Promise<int>> p;
  p.emplace(*sched);
  sched->Spawn(WaitForever(*p));
  sched->Spawn(WaitForever(*p));
  sched->RunUntil(AtSeconds(1));
  ASSERT_EQ(p->waiter_count(), 2u);
  sched.reset();  // destroys both suspended frames
  EXPECT_EQ(p->waiter_count(), 0u);
  p->Fail(CancelledError("teardown"));  // e.g. a model failing what is outstanding
  EXPECT_TRUE(p->IsDone());
}

// --- interrupts at promise waits ---

Task<void> WaitThenLongSleep(Scheduler& s, Promise<int> p, TimedWait* out) {
  out->result = co_await p.Wait();
  ++out->resumes;
  out->at = s.Now();
  {
    auto ignored = co_await s.Sleep(Seconds(10));
    ignored.IgnoreError();
  }  // still asleep when the promise is set
  out->at = s.Now();
}

TEST(Promise, InterruptDuringWaitRemovesTheWaiter) {
  Scheduler s;
  Promise<int> p(s);
  TimedWait out;
  const ProcessId pid = s.Spawn(WaitThenLongSleep(s, p, &out));
  std::size_t waiters_after_interrupt = 99;
  s.ScheduleAt(AtSeconds(2), [&] {
    s.Interrupt(pid);
    waiters_after_interrupt = p.waiter_count();
  });
  s.ScheduleAt(AtSeconds(5), [&] { p.Set(1); });
  s.Run();
  EXPECT_EQ(out.result.status().code(), StatusCode::kInterrupted);
  EXPECT_EQ(out.resumes, 1);
  EXPECT_EQ(waiters_after_interrupt, 0u);
  EXPECT_EQ(out.at, AtSeconds(12));  // the sleep after the interrupt ran its full length
}

TEST(Promise, InterruptDuringWaitForCancelsTheTimer) {
  Scheduler s;
  Promise<int> p(s);
  TimedWait out;
  const ProcessId pid = s.Spawn(WaitForAfter(s, p, Seconds(0), Seconds(10), &out));
  s.ScheduleAt(AtSeconds(2), [&] { s.Interrupt(pid, CancelledError("shutdown")); });
  s.Run();
  EXPECT_EQ(out.result.status().code(), StatusCode::kCancelled);
  EXPECT_EQ(out.result.status().message(), "shutdown");
  EXPECT_EQ(out.at, AtSeconds(2));
  EXPECT_EQ(out.resumes, 1);
  // No DeadlineExceeded timer left: the run ended at the interrupt.
  EXPECT_EQ(s.Now(), AtSeconds(2));
  EXPECT_EQ(p.waiter_count(), 0u);
}

struct SetThenInterrupt {
  StatusOr<int> wait_result = InternalError("not resumed");
  Status sleep_status;
  Time wait_at, sleep_at;
};

Task<void> WaitThenSleep(Scheduler& s, Promise<int> p, SetThenInterrupt* out) {
  out->wait_result = co_await p.Wait();
  out->wait_at = s.Now();
  out->sleep_status = co_await s.Sleep(Seconds(10));
  out->sleep_at = s.Now();
}

TEST(Promise, InterruptAfterSetButBeforeResumingIsDeliveredAtTheNextAwait) {
  Scheduler s;
  Promise<int> p(s);
  SetThenInterrupt out;
  const ProcessId pid = s.Spawn(WaitThenSleep(s, p, &out));
  s.ScheduleAt(AtSeconds(1), [&] {
    p.Set(8);          // the waiter is now scheduled to resume...
    s.Interrupt(pid);  // ...so the interrupt is kept for its next await
  });
  s.Run();
  ASSERT_TRUE(out.wait_result.ok());
  EXPECT_EQ(*out.wait_result, 8);
  EXPECT_EQ(out.wait_at, AtSeconds(1));
  EXPECT_EQ(out.sleep_status.code(), StatusCode::kInterrupted);
  EXPECT_EQ(out.sleep_at, AtSeconds(1));
}

Task<void> WaitForNow(Scheduler& s, Promise<int> p, Duration timeout, TimedWait* out) {
  out->result = co_await p.WaitFor(timeout);
  ++out->resumes;
  out->at = s.Now();
}

TEST(Promise, PendingInterruptIsDeliveredAtAWait) {
  Scheduler s;
  Promise<int> p(s);
  TimedWait out;
  const ProcessId pid = s.Spawn(WaitForNow(s, p, Seconds(10), &out));
  s.Interrupt(pid);  // before it starts
  s.Run();
  EXPECT_EQ(out.result.status().code(), StatusCode::kInterrupted);
  EXPECT_EQ(out.at, Time::Zero());
  EXPECT_EQ(p.waiter_count(), 0u);
  EXPECT_EQ(s.Now(), Time::Zero());
}

}  // namespace
}  // namespace sim
