#include "sim/scheduler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "sim/check.h"
#include "sim/rng.h"

namespace sim {
namespace {

Time At(Duration d) { return Time::Zero() + d; }
Time AtSeconds(int64_t s) { return At(Seconds(s)); }

TEST(Scheduler, StartsEmptyAtTimeZero) {
  Scheduler s;
  EXPECT_EQ(s.Now(), Time::Zero());
  EXPECT_EQ(s.EventNumber(), 0u);
  EXPECT_EQ(s.PendingEvents(), 0u);
  EXPECT_FALSE(s.NextEventTime().has_value());
  EXPECT_FALSE(s.Step());
  s.Run();
  EXPECT_EQ(s.Now(), Time::Zero());
}

TEST(Scheduler, RunsEventsInTimeOrder) {
  Scheduler s;
  std::vector<std::pair<int, Time>> ran;
  for (int sec : {5, 1, 3, 4, 2}) s.ScheduleAt(AtSeconds(sec), [&, sec] { ran.emplace_back(sec, s.Now()); });
  s.Run();
  ASSERT_EQ(ran.size(), 5u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(ran[static_cast<std::size_t>(i)].first, i + 1);
    EXPECT_EQ(ran[static_cast<std::size_t>(i)].second, AtSeconds(i + 1));
  }
  EXPECT_EQ(s.Now(), AtSeconds(5));
}

TEST(Scheduler, TiesRunInSchedulingOrder) {
  Scheduler s;
  std::vector<int> order;
  for (int i = 0; i < 100; ++i) s.ScheduleAt(AtSeconds(7), [&order, i] { order.push_back(i); });
  s.Run();
  std::vector<int> expected(100);
  std::iota(expected.begin(), expected.end(), 0);
  EXPECT_EQ(order, expected);
}

TEST(Scheduler, TiesInterleavedWithOtherTimesKeepSchedulingOrder) {
  Scheduler s;
  std::vector<int> order;
  s.ScheduleAt(AtSeconds(2), [&] { order.push_back(20); });
  s.ScheduleAt(AtSeconds(1), [&] { order.push_back(10); });
  s.ScheduleAt(AtSeconds(2), [&] { order.push_back(21); });
  s.ScheduleAt(AtSeconds(1), [&] { order.push_back(11); });
  s.ScheduleAt(AtSeconds(2), [&] { order.push_back(22); });
  s.Run();
  EXPECT_EQ(order, (std::vector<int>{10, 11, 20, 21, 22}));
}

TEST(Scheduler, ScheduleAfterIsRelativeToNow) {
  Scheduler s;
  Time inner;
  s.ScheduleAt(AtSeconds(10), [&] { s.ScheduleAfter(Milliseconds(250), [&] { inner = s.Now(); }); });
  s.Run();
  EXPECT_EQ(inner, At(Milliseconds(10'250)));
}

TEST(Scheduler, EventsScheduledFromCallbacksRun) {
  Scheduler s;
  int hops = 0;
  std::function<void()> hop = [&] {
    if (++hops < 1000) s.ScheduleAfter(Milliseconds(1), hop);
  };
  s.ScheduleAt(Time::Zero(), hop);
  s.Run();
  EXPECT_EQ(hops, 1000);
  EXPECT_EQ(s.Now(), At(Milliseconds(999)));
  EXPECT_EQ(s.EventNumber(), 1000u);
  EXPECT_EQ(s.stats().events_executed, 1000u);
  EXPECT_EQ(s.stats().events_scheduled, 1000u);
  EXPECT_EQ(s.stats().peak_pending, 1u);
}

TEST(Scheduler, SameTimeEventFromCallbackRunsAfterQueuedSameTimeEvents) {
  Scheduler s;
  std::vector<std::string> order;
  s.ScheduleAt(AtSeconds(1), [&] {
    order.push_back("a");
    s.ScheduleAt(s.Now(), [&] { order.push_back("a-child"); });
    s.ScheduleAfter(Duration::Zero(), [&] { order.push_back("a-child2"); });
  });
  s.ScheduleAt(AtSeconds(1), [&] { order.push_back("b"); });
  s.ScheduleAt(AtSeconds(1), [&] { order.push_back("c"); });
  s.ScheduleAt(AtSeconds(2), [&] { order.push_back("d"); });
  s.Run();
  EXPECT_EQ(order, (std::vector<std::string>{"a", "b", "c", "a-child", "a-child2", "d"}));
}

TEST(Scheduler, EventNumberCountsFromOne) {
  Scheduler s;
  std::vector<uint64_t> numbers;
  for (int i = 0; i < 3; ++i) s.ScheduleAt(AtSeconds(i), [&] { numbers.push_back(s.EventNumber()); });
  s.Run();
  EXPECT_EQ(numbers, (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_EQ(s.EventNumber(), 3u);
}

TEST(Scheduler, StepRunsOneEventAtATime) {
  Scheduler s;
  int ran = 0;
  s.ScheduleAt(AtSeconds(1), [&] { ++ran; });
  s.ScheduleAt(AtSeconds(2), [&] { ++ran; });
  EXPECT_TRUE(s.Step());
  EXPECT_EQ(ran, 1);
  EXPECT_EQ(s.Now(), AtSeconds(1));
  EXPECT_TRUE(s.Step());
  EXPECT_EQ(ran, 2);
  EXPECT_EQ(s.Now(), AtSeconds(2));
  EXPECT_FALSE(s.Step());
  EXPECT_EQ(s.Now(), AtSeconds(2));
}

TEST(Scheduler, RunUntilRunsEventsAtExactlyTAndNotAfter) {
  Scheduler s;
  std::vector<Time> ran;
  for (int64_t ns : {int64_t{1'000'000'000}, int64_t{2'000'000'000}, int64_t{2'000'000'000}, int64_t{2'000'000'001},
                     int64_t{3'000'000'000}})
    s.ScheduleAt(Time::FromNanos(ns), [&] { ran.push_back(s.Now()); });
  s.RunUntil(AtSeconds(2));
  EXPECT_EQ(ran, (std::vector<Time>{AtSeconds(1), AtSeconds(2), AtSeconds(2)}));
  EXPECT_EQ(s.Now(), AtSeconds(2));
  EXPECT_EQ(s.PendingEvents(), 2u);
  EXPECT_EQ(s.NextEventTime(), std::optional<Time>(Time::FromNanos(2'000'000'001)));
}

TEST(Scheduler, RunUntilAdvancesTheClockPastTheLastEvent) {
  Scheduler s;
  bool ran = false;
  s.ScheduleAt(AtSeconds(1), [&] { ran = true; });
  s.RunUntil(AtSeconds(7));
  EXPECT_TRUE(ran);
  EXPECT_EQ(s.Now(), AtSeconds(7));
  s.RunUntil(AtSeconds(7));  // the same horizon again is fine
  EXPECT_EQ(s.Now(), AtSeconds(7));
}

TEST(Scheduler, RunUntilContinuesFromWhereItStopped) {
  Scheduler s;
  std::vector<int> ran;
  for (int i = 1; i <= 6; ++i) s.ScheduleAt(AtSeconds(i), [&ran, i] { ran.push_back(i); });
  s.RunUntil(AtSeconds(2));
  EXPECT_EQ(ran, (std::vector<int>{1, 2}));
  s.RunUntil(AtSeconds(4));
  EXPECT_EQ(ran, (std::vector<int>{1, 2, 3, 4}));
  s.ScheduleAfter(Milliseconds(500), [&ran] { ran.push_back(45); });  // relative to Now() == 4 s
  s.Run();
  EXPECT_EQ(ran, (std::vector<int>{1, 2, 3, 4, 45, 5, 6}));
}

TEST(Scheduler, RunUntilIntoThePastThrowsWithTheSchedulersTime) {
  Scheduler s;
  s.RunUntil(AtSeconds(5));
  try {
    s.RunUntil(AtSeconds(4));
    FAIL() << "no InvariantViolation";
  } catch (const InvariantViolation& e) {
    EXPECT_EQ(e.sim_time_ns(), Seconds(5).nanos());
  }
  EXPECT_EQ(s.Now(), AtSeconds(5));
}

TEST(Scheduler, CancelBeforeFiringMeansItNeverRuns) {
  Scheduler s;
  int ran = 0;
  const EventId id = s.ScheduleAt(AtSeconds(1), [&] { ran += 1; });
  s.ScheduleAt(AtSeconds(2), [&] { ran += 10; });
  EXPECT_TRUE(id);
  EXPECT_TRUE(s.Cancel(id));
  EXPECT_EQ(s.PendingEvents(), 1u);
  s.Run();
  EXPECT_EQ(ran, 10);
  EXPECT_EQ(s.stats().events_cancelled, 1u);
  EXPECT_EQ(s.stats().events_executed, 1u);
  EXPECT_EQ(s.EventNumber(), 1u);  // cancelled events are not numbered
}

TEST(Scheduler, CancelAfterFiringIsHarmlessAndReturnsFalse) {
  Scheduler s;
  int ran = 0;
  const EventId id = s.ScheduleAt(AtSeconds(1), [&] { ++ran; });
  s.Run();
  EXPECT_FALSE(s.Cancel(id));
  EXPECT_EQ(ran, 1);
  EXPECT_EQ(s.stats().events_cancelled, 0u);
}

TEST(Scheduler, CancelTwiceReturnsFalseTheSecondTime) {
  Scheduler s;
  const EventId id = s.ScheduleAt(AtSeconds(1), [] {});
  EXPECT_TRUE(s.Cancel(id));
  EXPECT_FALSE(s.Cancel(id));
  EXPECT_EQ(s.stats().events_cancelled, 1u);
}

TEST(Scheduler, CancelOfDefaultEventIdReturnsFalse) {
  Scheduler s;
  int ran = 0;
  s.ScheduleAt(AtSeconds(1), [&] { ++ran; });  // occupies slot 0
  const EventId none;
  EXPECT_FALSE(none);
  EXPECT_FALSE(s.IsPending(none));
  EXPECT_FALSE(s.Cancel(none));
  s.Run();
  EXPECT_EQ(ran, 1);
}

TEST(Scheduler, CancelOwnEventFromItsCallbackReturnsFalse) {
  Scheduler s;
  EventId self;
  bool cancelled = true;
  bool pending_inside = true;
  self = s.ScheduleAt(AtSeconds(1), [&] {
    pending_inside = s.IsPending(self);
    cancelled = s.Cancel(self);
  });
  s.Run();
  EXPECT_FALSE(pending_inside);
  EXPECT_FALSE(cancelled);
}

TEST(Scheduler, CancelFromAnotherCallbackAtTheSameTime) {
  Scheduler s;
  bool second_ran = false;
  EventId second;
  s.ScheduleAt(AtSeconds(1), [&] { EXPECT_TRUE(s.Cancel(second)); });
  second = s.ScheduleAt(AtSeconds(1), [&] { second_ran = true; });
  s.Run();
  EXPECT_FALSE(second_ran);
}

TEST(Scheduler, ReusedSlotDoesNotConfuseAnOldId) {
  Scheduler s;
  int ran = 0;
  const EventId old_id = s.ScheduleAt(AtSeconds(1), [&] { ran += 1; });
  ASSERT_TRUE(s.Cancel(old_id));
  const EventId new_id = s.ScheduleAt(AtSeconds(2), [&] { ran += 10; });
  ASSERT_EQ(new_id.slot, old_id.slot);  // the freed slot was reused
  EXPECT_FALSE(s.IsPending(old_id));
  EXPECT_FALSE(s.Cancel(old_id));
  EXPECT_TRUE(s.IsPending(new_id));
  s.Run();
  EXPECT_EQ(ran, 10);
}

TEST(Scheduler, IsPendingFollowsTheEventsLife) {
  Scheduler s;
  const EventId a = s.ScheduleAt(AtSeconds(1), [] {});
  const EventId b = s.ScheduleAt(AtSeconds(2), [] {});
  EXPECT_TRUE(s.IsPending(a));
  EXPECT_TRUE(s.IsPending(b));
  s.Cancel(b);
  EXPECT_FALSE(s.IsPending(b));
  s.Run();
  EXPECT_FALSE(s.IsPending(a));
}

TEST(Scheduler, CancelReleasesTheCaptureAtOnce) {
  Scheduler s;
  auto token = std::make_shared<int>(0);
  const EventId id = s.ScheduleAt(AtSeconds(1), [token] { ++*token; });
  EXPECT_EQ(token.use_count(), 2);
  s.Cancel(id);
  EXPECT_EQ(token.use_count(), 1);
}

TEST(Scheduler, FiredEventReleasesItsCapture) {
  Scheduler s;
  auto token = std::make_shared<int>(0);
  s.ScheduleAt(AtSeconds(1), [token] { ++*token; });
  s.Run();
  EXPECT_EQ(*token, 1);
  EXPECT_EQ(token.use_count(), 1);
}

TEST(Scheduler, DestructorReleasesPendingCaptures) {
  auto token = std::make_shared<int>(0);
  {
    Scheduler s;
    s.ScheduleAt(AtSeconds(1), [token] { ++*token; });
    std::array<int64_t, 8> big{};
    s.ScheduleAt(AtSeconds(1), [token, big] { *token += static_cast<int>(big[0]); });  // heap fallback
    EXPECT_EQ(token.use_count(), 3);
  }
  EXPECT_EQ(token.use_count(), 1);
  EXPECT_EQ(*token, 0);
}

TEST(Scheduler, CancellingMostEventsRunsExactlyTheRestInOrder) {
  constexpr int kEvents = 100'000;
  Scheduler s;
  Rng rng(99);
  std::vector<EventId> ids;
  std::vector<std::tuple<int64_t, int>> scheduled;  // (time, index): the expected order
  std::vector<std::tuple<int64_t, int>> ran;
  ids.reserve(kEvents);
  for (int i = 0; i < kEvents; ++i) {
    const int64_t t = static_cast<int64_t>(rng.UniformInt(1'000'000));  // many ties
    ids.push_back(s.ScheduleAt(Time::FromNanos(t), [&ran, &s, i] { ran.emplace_back(s.Now().nanos(), i); }));
    scheduled.emplace_back(t, i);
  }
  std::vector<std::tuple<int64_t, int>> expected;
  for (int i = 0; i < kEvents; ++i) {
    if (rng.UniformInt(5) != 0) {
      ASSERT_TRUE(s.Cancel(ids[static_cast<std::size_t>(i)]));
    } else {
      expected.push_back(scheduled[static_cast<std::size_t>(i)]);
    }
  }
  std::sort(expected.begin(), expected.end());  // by time, then scheduling order
  EXPECT_EQ(s.PendingEvents(), expected.size());
  EXPECT_GT(s.stats().heap_compactions, 0u);
  s.Run();
  EXPECT_EQ(ran, expected);
  EXPECT_NEAR(static_cast<double>(expected.size()), kEvents * 0.2, kEvents * 0.01);
  EXPECT_EQ(s.stats().events_executed, expected.size());
  EXPECT_EQ(s.stats().events_cancelled, kEvents - expected.size());
  EXPECT_EQ(s.PendingEvents(), 0u);
}

TEST(Scheduler, CancellingFromCallbacksCompactsAndKeepsOrder) {
  // Cancels interleaved with firing (SQS visibility timers): each of the
  // first 10k events cancels four far-future ones, so stale entries pile up
  // in the heap until it is compacted.
  Scheduler s;
  constexpr int kRunners = 10'000;
  constexpr int kEvents = 5 * kRunners;
  std::vector<EventId> ids;
  std::vector<int> ran;
  ids.reserve(kEvents);
  for (int i = 0; i < kEvents; ++i) {
    ids.push_back(s.ScheduleAt(Time::FromNanos(i), [&, i] {
      ran.push_back(i);
      if (i >= kRunners) return;
      for (int k = 0; k < 4; ++k) EXPECT_TRUE(s.Cancel(ids[static_cast<std::size_t>(kRunners + 4 * i + k)]));
    }));
  }
  s.Run();
  ASSERT_EQ(ran.size(), static_cast<std::size_t>(kRunners));
  for (int k = 0; k < kRunners; ++k) ASSERT_EQ(ran[static_cast<std::size_t>(k)], k);
  EXPECT_GT(s.stats().heap_compactions, 0u);
  EXPECT_EQ(s.Now(), Time::FromNanos(kRunners - 1));
}

TEST(Scheduler, DaemonEventsDoNotKeepRunAlive) {
  Scheduler s;
  bool ran = false;
  s.ScheduleAt(
      AtSeconds(10), [&] { ran = true; }, kDaemon);
  EXPECT_EQ(s.PendingEvents(), 1u);
  EXPECT_EQ(s.PendingRegularEvents(), 0u);
  s.Run();
  EXPECT_FALSE(ran);
  EXPECT_EQ(s.Now(), Time::Zero());
  EXPECT_EQ(s.PendingEvents(), 1u);
}

TEST(Scheduler, DaemonEventsBeforeTheLastRegularEventRun) {
  Scheduler s;
  std::vector<std::string> order;
  s.ScheduleAt(
      AtSeconds(1), [&] { order.push_back("daemon@1"); }, kDaemon);
  s.ScheduleAt(AtSeconds(2), [&] { order.push_back("regular@2"); });
  s.ScheduleAt(
      AtSeconds(3), [&] { order.push_back("daemon@3"); }, kDaemon);
  s.ScheduleAt(AtSeconds(4), [&] { order.push_back("regular@4"); });
  s.ScheduleAt(
      AtSeconds(5), [&] { order.push_back("daemon@5"); }, kDaemon);
  s.Run();
  EXPECT_EQ(order, (std::vector<std::string>{"daemon@1", "regular@2", "daemon@3", "regular@4"}));
  EXPECT_EQ(s.Now(), AtSeconds(4));
  EXPECT_EQ(s.PendingEvents(), 1u);
  EXPECT_EQ(s.PendingRegularEvents(), 0u);
}

TEST(Scheduler, DaemonCanScheduleRegularWorkThatKeepsRunAlive) {
  Scheduler s;
  std::vector<Time> ran;
  s.ScheduleAt(
      AtSeconds(1), [&] { s.ScheduleAfter(Seconds(5), [&] { ran.push_back(s.Now()); }); }, kDaemon);
  s.ScheduleAt(AtSeconds(2), [&] { ran.push_back(s.Now()); });
  s.Run();
  EXPECT_EQ(ran, (std::vector<Time>{AtSeconds(2), AtSeconds(6)}));
}

TEST(Scheduler, DaemonEventAtTheTimeOfTheLastRegularEventButQueuedAfterItDoesNotRun) {
  Scheduler s;
  std::vector<std::string> order;
  s.ScheduleAt(
      AtSeconds(1), [&] { order.push_back("daemon-before"); }, kDaemon);
  s.ScheduleAt(AtSeconds(1), [&] { order.push_back("regular"); });
  s.ScheduleAt(
      AtSeconds(1), [&] { order.push_back("daemon-after"); }, kDaemon);
  s.Run();
  EXPECT_EQ(order, (std::vector<std::string>{"daemon-before", "regular"}));
}

TEST(Scheduler, CancelledRegularEventNoLongerKeepsRunAlive) {
  Scheduler s;
  bool daemon_ran = false;
  const EventId regular = s.ScheduleAt(AtSeconds(5), [] {});
  s.ScheduleAt(
      AtSeconds(1), [&] { daemon_ran = true; }, kDaemon);
  s.Cancel(regular);
  s.Run();
  EXPECT_FALSE(daemon_ran);
  EXPECT_EQ(s.Now(), Time::Zero());
}

TEST(Scheduler, RunUntilRunsDaemonEvents) {
  Scheduler s;
  int daemon_runs = 0;
  s.ScheduleAt(
      AtSeconds(1), [&] { ++daemon_runs; }, kDaemon);
  s.ScheduleAt(
      AtSeconds(2), [&] { ++daemon_runs; }, kDaemon);
  s.RunUntil(AtSeconds(2));
  EXPECT_EQ(daemon_runs, 2);
  EXPECT_EQ(s.Now(), AtSeconds(2));
}

TEST(Scheduler, StopInsideACallbackEndsRunAfterThatEvent) {
  Scheduler s;
  std::vector<int> ran;
  s.ScheduleAt(AtSeconds(1), [&] { ran.push_back(1); });
  s.ScheduleAt(AtSeconds(2), [&] {
    ran.push_back(2);
    s.Stop();
  });
  s.ScheduleAt(AtSeconds(2), [&] { ran.push_back(22); });
  s.ScheduleAt(AtSeconds(3), [&] { ran.push_back(3); });
  s.Run();
  EXPECT_EQ(ran, (std::vector<int>{1, 2}));
  EXPECT_TRUE(s.stopped());
  EXPECT_EQ(s.Now(), AtSeconds(2));
  EXPECT_EQ(s.PendingEvents(), 2u);
  s.Run();  // a new Run resumes where it stopped
  EXPECT_FALSE(s.stopped());
  EXPECT_EQ(ran, (std::vector<int>{1, 2, 22, 3}));
}

TEST(Scheduler, StopInsideRunUntilLeavesNowAtTheStoppingEvent) {
  Scheduler s;
  s.ScheduleAt(AtSeconds(2), [&] { s.Stop(); });
  s.ScheduleAt(AtSeconds(3), [] {});
  s.RunUntil(AtSeconds(10));
  EXPECT_EQ(s.Now(), AtSeconds(2));
  EXPECT_TRUE(s.stopped());
  s.RunUntil(AtSeconds(10));
  EXPECT_EQ(s.Now(), AtSeconds(10));
}

TEST(Scheduler, NextEventTimeSkipsCancelledEvents) {
  Scheduler s;
  const EventId a = s.ScheduleAt(AtSeconds(1), [] {});
  const EventId b = s.ScheduleAt(AtSeconds(2), [] {});
  s.ScheduleAt(AtSeconds(3), [] {});
  EXPECT_EQ(s.NextEventTime(), std::optional<Time>(AtSeconds(1)));
  s.Cancel(a);
  s.Cancel(b);
  EXPECT_EQ(s.NextEventTime(), std::optional<Time>(AtSeconds(3)));
}

TEST(Scheduler, NextEventTimeIsEmptyWhenAllCancelled) {
  Scheduler s;
  const EventId a = s.ScheduleAt(AtSeconds(1), [] {});
  s.Cancel(a);
  EXPECT_EQ(s.NextEventTime(), std::nullopt);
  EXPECT_FALSE(s.Step());
}

TEST(Scheduler, NextEventTimeIncludesDaemonEvents) {
  Scheduler s;
  s.ScheduleAt(
      AtSeconds(4), [] {}, kDaemon);
  EXPECT_EQ(s.NextEventTime(), std::optional<Time>(AtSeconds(4)));
}

TEST(Scheduler, PeriodicFiresAtFirstThenEveryPeriod) {
  Scheduler s;
  std::vector<Time> fired;
  s.SchedulePeriodic(AtSeconds(1), Seconds(2), [&] { fired.push_back(s.Now()); });
  s.RunUntil(AtSeconds(9));
  EXPECT_EQ(fired, (std::vector<Time>{AtSeconds(1), AtSeconds(3), AtSeconds(5), AtSeconds(7), AtSeconds(9)}));
}

TEST(Scheduler, PeriodicIsDaemonByDefault) {
  Scheduler s;
  int fired = 0;
  s.SchedulePeriodic(AtSeconds(1), Seconds(1), [&] { ++fired; });
  s.Run();
  EXPECT_EQ(fired, 0);
  EXPECT_EQ(s.Now(), Time::Zero());
}

TEST(Scheduler, CancelPeriodicStopsIt) {
  Scheduler s;
  std::vector<Time> fired;
  const PeriodicId id = s.SchedulePeriodic(AtSeconds(1), Seconds(2), [&] { fired.push_back(s.Now()); });
  EXPECT_TRUE(id);
  bool first_cancel = false, second_cancel = true;
  s.ScheduleAt(AtSeconds(4), [&] {
    first_cancel = s.CancelPeriodic(id);
    second_cancel = s.CancelPeriodic(id);
  });
  s.RunUntil(AtSeconds(20));
  EXPECT_TRUE(first_cancel);
  EXPECT_FALSE(second_cancel);
  EXPECT_EQ(fired, (std::vector<Time>{AtSeconds(1), AtSeconds(3)}));
  EXPECT_EQ(s.PendingEvents(), 0u);
}

TEST(Scheduler, CancelPeriodicFromItsOwnCallback) {
  Scheduler s;
  std::vector<Time> fired;
  PeriodicId id;
  bool cancel_result = false;
  id = s.SchedulePeriodic(AtSeconds(1), Seconds(2), [&] {
    fired.push_back(s.Now());
    if (fired.size() == 3) {
      cancel_result = s.CancelPeriodic(id);
      EXPECT_FALSE(s.CancelPeriodic(id));  // already cancelled
    }
  });
  s.RunUntil(AtSeconds(20));
  EXPECT_TRUE(cancel_result);
  EXPECT_EQ(fired, (std::vector<Time>{AtSeconds(1), AtSeconds(3), AtSeconds(5)}));
  EXPECT_EQ(s.PendingEvents(), 0u);
  EXPECT_FALSE(s.CancelPeriodic(id));
}

TEST(Scheduler, RegularPeriodicKeepsRunAliveUntilCancelled) {
  Scheduler s;
  std::vector<Time> fired;
  PeriodicId id;
  id = s.SchedulePeriodic(
      AtSeconds(1), Seconds(1),
      [&] {
        fired.push_back(s.Now());
        if (fired.size() == 4) s.CancelPeriodic(id);
      },
      EventOptions{});
  s.Run();
  EXPECT_EQ(fired.size(), 4u);
  EXPECT_EQ(s.Now(), AtSeconds(4));
}

TEST(Scheduler, CancelUnknownPeriodicReturnsFalse) {
  Scheduler s;
  EXPECT_FALSE(s.CancelPeriodic(PeriodicId{}));
  EXPECT_FALSE(s.CancelPeriodic(PeriodicId{12345}));
}

TEST(Scheduler, PeriodicNeedsPositivePeriod) {
  Scheduler s;
  EXPECT_THROW(s.SchedulePeriodic(AtSeconds(1), Duration::Zero(), [] {}), InvariantViolation);
}

TEST(Scheduler, SchedulingInThePastThrowsWithTheSchedulersTimeAndEventNumber) {
  Scheduler s;
  s.ScheduleAt(AtSeconds(1), [] {});
  s.ScheduleAt(AtSeconds(5), [&] { s.ScheduleAt(AtSeconds(4), [] {}); });
  try {
    s.Run();
    FAIL() << "no InvariantViolation";
  } catch (const InvariantViolation& e) {
    EXPECT_EQ(e.sim_time_ns(), Seconds(5).nanos());
    EXPECT_EQ(e.event_number(), 2u);
    EXPECT_NE(std::string(e.what()).find("t=5.000000000s event #2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("scheduling in the past"), std::string::npos) << e.what();
  }
}

TEST(Scheduler, SchedulingInThePastBetweenRunsReportsTheSchedulersTime) {
  Scheduler s;
  s.ScheduleAt(AtSeconds(3), [] {});
  s.RunUntil(AtSeconds(5));
  try {
    s.ScheduleAt(AtSeconds(4), [] {});
    FAIL() << "no InvariantViolation";
  } catch (const InvariantViolation& e) {
    EXPECT_EQ(e.sim_time_ns(), Seconds(5).nanos());
    EXPECT_EQ(e.event_number(), 1u);
  }
  EXPECT_EQ(s.PendingEvents(), 0u);
}

TEST(Scheduler, CheckContextIsRestoredAfterRun) {
  {
    Scheduler s;
    s.ScheduleAt(AtSeconds(1), [] {});
    s.Run();
  }
  EXPECT_EQ(CurrentCheckContext(), nullptr);
}

TEST(Scheduler, ExceptionFromACallbackPropagatesAndTheSchedulerContinues) {
  Scheduler s;
  std::vector<int> ran;
  s.ScheduleAt(AtSeconds(1), [] { throw std::runtime_error("model bug"); });
  s.ScheduleAt(AtSeconds(2), [&] { ran.push_back(2); });
  EXPECT_THROW(s.Run(), std::runtime_error);
  EXPECT_EQ(s.Now(), AtSeconds(1));
  s.Run();
  EXPECT_EQ(ran, (std::vector<int>{2}));
  EXPECT_EQ(CurrentCheckContext(), nullptr);
}

// A small model: each of 50 workers repeatedly waits a random delay from its
// own stream, 200 times.
uint64_t RunSeededModel(uint64_t seed, uint16_t kind = 0) {
  Scheduler s;
  RngStreams streams(seed);
  std::vector<Rng> rngs;
  for (int w = 0; w < 50; ++w) rngs.push_back(streams.Stream("worker-" + std::to_string(w)));
  std::vector<int> remaining(50, 200);
  std::function<void(int)> step = [&](int w) {
    if (--remaining[static_cast<std::size_t>(w)] == 0) return;
    const Duration d = Microseconds(static_cast<int64_t>(rngs[static_cast<std::size_t>(w)].UniformInt(1000)));
    s.ScheduleAfter(
        d, [&step, w] { step(w); }, EventOptions{.kind = kind});
  };
  for (int w = 0; w < 50; ++w) s.ScheduleAt(Time::Zero(), [&step, w] { step(w); });
  s.Run();
  return s.fingerprint().value();
}

TEST(Scheduler, FingerprintIsEqualForIdenticalRuns) { EXPECT_EQ(RunSeededModel(1), RunSeededModel(1)); }

TEST(Scheduler, FingerprintDiffersForAnotherSeed) { EXPECT_NE(RunSeededModel(1), RunSeededModel(2)); }

TEST(Scheduler, FingerprintDiffersForAnotherEventKind) { EXPECT_NE(RunSeededModel(1, 0), RunSeededModel(1, 7)); }

TEST(Scheduler, FingerprintOfEmptyRunIsTheInitialValue) {
  Scheduler s;
  s.Run();
  EXPECT_EQ(s.fingerprint().value(), Fingerprint().value());
  EXPECT_EQ(s.fingerprint().Hex(), "243f6a8885a308d3");
}

TEST(Scheduler, CallbackCaptureLargerThanInlineStorageWorks) {
  Scheduler s;
  std::array<int64_t, 16> big{};
  std::iota(big.begin(), big.end(), 1);
  int64_t sum = 0;
  auto fn = [big, &sum, &s] { sum = std::accumulate(big.begin(), big.end(), int64_t{0}) + s.Now().nanos(); };
  static_assert(sizeof(fn) > Callback::kInlineBytes);
  s.ScheduleAt(Time::FromNanos(1000), std::move(fn));
  s.Run();
  EXPECT_EQ(sum, 136 + 1000);
}

TEST(Scheduler, StatsCountScheduledExecutedCancelledAndPeak) {
  Scheduler s;
  std::vector<EventId> ids;
  for (int i = 0; i < 10; ++i) ids.push_back(s.ScheduleAt(AtSeconds(i), [] {}));
  s.Cancel(ids[3]);
  s.Cancel(ids[7]);
  s.Run();
  EXPECT_EQ(s.stats().events_scheduled, 10u);
  EXPECT_EQ(s.stats().events_cancelled, 2u);
  EXPECT_EQ(s.stats().events_executed, 8u);
  EXPECT_EQ(s.stats().peak_pending, 10u);
  EXPECT_GT(s.EventMemoryBytes(), 0u);
}

}  // namespace
}  // namespace sim
