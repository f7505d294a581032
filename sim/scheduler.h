#pragma once

// The discrete-event scheduler: one simulated clock, a future-event set
// ordered by (time, sequence number stamped at scheduling) so ties run in
// scheduling order, and the process (coroutine) runtime on top of it.
//
// Storage: callbacks live in a slot table of 64-byte slots (stable chunks,
// so a running callback may schedule more events); the heap holds only
// (time, seq, slot). Cancel() frees the slot at once and leaves a stale heap
// entry that is skipped when it surfaces (its seq no longer matches the
// slot's), so cancelling is O(1) even when most events are cancelled (SQS
// visibility timers); when stale entries outnumber live ones the heap is
// compacted.
//
// Daemon events (samplers, periodic timers, idle pollers) do not keep Run()
// alive: it returns when only daemon events remain.

#include <cstdint>
#include <exception>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/callback.h"
#include "sim/check.h"
#include "sim/event_heap.h"
#include "sim/fingerprint.h"
#include "sim/logger.h"
#include "sim/process.h"
#include "sim/task.h"
#include "sim/time.h"

namespace sim {

struct EventId {
  uint64_t seq = 0;
  uint32_t slot = 0;
  explicit operator bool() const { return seq != 0; }
  friend bool operator==(EventId, EventId) = default;
};

struct EventOptions {
  bool daemon = false;
  // A model-defined tag mixed into the fingerprint (and shown in traces).
  uint16_t kind = 0;
};
inline constexpr EventOptions kDaemon{.daemon = true};

struct PeriodicId {
  uint64_t value = 0;
  explicit operator bool() const { return value != 0; }
};

struct SchedulerStats {
  uint64_t events_executed = 0;
  uint64_t events_scheduled = 0;
  uint64_t events_cancelled = 0;
  std::size_t peak_pending = 0;
  uint64_t processes_spawned = 0;
  uint64_t heap_compactions = 0;
};

class Scheduler final : private CheckContext, private Logger::Clock {
 public:
  Scheduler();
  ~Scheduler() override;
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Teardown: destroys every process (its frames) and drops every pending
  // event, before the objects the processes use are destroyed. Afterwards
  // scheduling is ignored. The destructor calls it too.
  void Shutdown();
  bool shut_down() const { return shut_down_; }

  Time Now() const { return now_; }
  // Number of the event running now (1-based); 0 before the first.
  uint64_t EventNumber() const { return event_number_; }

  // Scheduling in the past is a bug (SIM_CHECK). Events at the same time run
  // in the order they were scheduled.
  EventId ScheduleAt(Time t, Callback fn, EventOptions opts = {});
  EventId ScheduleAfter(Duration d, Callback fn, EventOptions opts = {}) {
    return ScheduleAt(now_ + d, std::move(fn), opts);
  }
  // Harmless on fired, cancelled or default ids. Returns whether it cancelled.
  bool Cancel(EventId id);
  bool IsPending(EventId id) const;

  // Calls fn at first, first + period, ... until CancelPeriodic. Periodic
  // timers are daemon unless opts say otherwise.
  PeriodicId SchedulePeriodic(Time first, Duration period, Callback fn, EventOptions opts = kDaemon);
  bool CancelPeriodic(PeriodicId id);

  // Runs one event. Returns false when no event is pending.
  bool Step();
  // Runs every event with time <= t, then sets Now() to t (unless stopped).
  void RunUntil(Time t);
  // Runs until only daemon events remain, or Stop().
  void Run();
  // Makes the running Run()/RunUntil() return after the current event.
  void Stop() { stop_requested_ = true; }
  bool stopped() const { return stop_requested_; }
  // Time of the next live event, if any: an outside driver paces with it.
  std::optional<Time> NextEventTime();

  std::size_t PendingEvents() const { return pending_regular_ + pending_daemon_; }
  std::size_t PendingRegularEvents() const { return pending_regular_; }
  const SchedulerStats& stats() const { return stats_; }
  // Bytes held by the event set (slots + heap), for memory reports.
  std::size_t EventMemoryBytes() const;

  Fingerprint& fingerprint() { return fingerprint_; }
  const Fingerprint& fingerprint() const { return fingerprint_; }
  Logger& log() { return logger_; }

  // --- processes -----------------------------------------------------------
  // Starts `task` as a new process at Now() (after the running event). The
  // scheduler owns its frames; an exception escaping it is rethrown from
  // Step()/Run().
  ProcessId Spawn(Task<void> task, std::string name = {});
  // Interrupts a suspended process: its current await returns an
  // Interrupted status (reason). Returns false if the process has finished.
  bool Interrupt(ProcessId pid, Status reason = InterruptedError("interrupted"));
  bool IsAlive(ProcessId pid) const { return processes_.count(pid.value) != 0; }
  std::size_t LiveProcesses() const { return processes_.size(); }

  class SleepAwaiter;
  SleepAwaiter Sleep(Duration d, EventOptions opts = {});
  SleepAwaiter SleepUntil(Time t, EventOptions opts = {});

 private:
  friend std::coroutine_handle<> internal::FinishProcess(Process*, std::coroutine_handle<>, std::exception_ptr);

  static constexpr uint32_t kDaemonBit = 1u << 16;
  static constexpr uint64_t kDaemonTag = 1ull << 63;
  static constexpr uint64_t kSeqMask = kDaemonTag - 1;
  static constexpr uint32_t kChunkShift = 10;
  static constexpr uint32_t kChunkSize = 1u << kChunkShift;

  struct Slot {
    Callback fn;
    // The event's sequence number, plus kDaemonTag for daemon events; 0 when
    // the slot is free or its event is firing.
    uint64_t tag = 0;
  };
  static_assert(sizeof(Slot) == 64, "one slot per cache line");

  struct Periodic {
    Duration period;
    Callback fn;
    EventOptions opts;
    EventId next;
    bool firing = false;
    bool cancelled = false;
  };

  Slot& SlotAt(uint32_t i) { return chunks_[i >> kChunkShift][i & (kChunkSize - 1)]; }
  const Slot& SlotAt(uint32_t i) const { return chunks_[i >> kChunkShift][i & (kChunkSize - 1)]; }
  uint32_t AllocSlot();
  bool SkipStale();  // pops stale entries off the top; false if empty
  void RunTop();
  void MaybeCompact();
  void FirePeriodic(uint64_t id);
  void RethrowProcessFailure();

  int64_t CheckTimeNanos() const override { return now_.nanos(); }
  uint64_t CheckEventNumber() const override { return event_number_; }
  Time LogTime() const override { return now_; }
  uint64_t LogEventNumber() const override { return event_number_; }

  Time now_;
  uint64_t next_seq_ = 1;
  uint64_t event_number_ = 0;
  EventHeap heap_;
  std::vector<std::unique_ptr<Slot[]>> chunks_;
  std::vector<uint32_t> free_slots_;
  uint32_t slot_count_ = 0;
  std::size_t pending_regular_ = 0;
  std::size_t pending_daemon_ = 0;
  std::size_t stale_ = 0;
  bool stop_requested_ = false;
  bool shut_down_ = false;
  SchedulerStats stats_;
  Fingerprint fingerprint_;
  Logger logger_;

  std::map<uint64_t, Periodic> periodic_;
  uint64_t next_periodic_id_ = 1;

  std::map<uint64_t, std::unique_ptr<Process>> processes_;
  uint64_t next_pid_ = 1;
  std::exception_ptr process_failure_;
};

// co_await sched.Sleep(d): returns OkStatus() after d, or the interrupt's
// status if the process was interrupted first.
class Scheduler::SleepAwaiter final : public WaitNode {
 public:
  SleepAwaiter(Scheduler& s, Time until, EventOptions opts) : sched_(s), until_(until), opts_(opts) {}
  bool await_ready() const noexcept { return false; }
  template <class P>
  bool await_suspend(std::coroutine_handle<P> h) {
    process = internal::ProcessOf(h);
    if (!process->BeginWait(this, &result_)) return false;
    handle = h;
    event_ = sched_.ScheduleAt(until_, [this] {
      process->EndWait(this);
      handle.resume();
    }, opts_);
    return true;
  }
  Status await_resume() noexcept { return std::move(result_); }
  void CancelForInterrupt(Status reason) override {
    sched_.Cancel(event_);
    result_ = std::move(reason);
  }

 private:
  Scheduler& sched_;
  Time until_;
  EventOptions opts_;
  EventId event_;
  Status result_;
};

inline Scheduler::SleepAwaiter Scheduler::Sleep(Duration d, EventOptions opts) {
  SIM_CHECK_MSG(d >= Duration::Zero(), "negative sleep " << ToString(d));
  return SleepAwaiter(*this, now_ + d, opts);
}
inline Scheduler::SleepAwaiter Scheduler::SleepUntil(Time t, EventOptions opts) {
  // Checked here, not in await_suspend: a throw there would leave the process
  // registered as waiting on the dead awaiter.
  SIM_CHECK_MSG(t >= now_, "sleeping until the past: " << ToString(t) << " < now " << ToString(now_));
  return SleepAwaiter(*this, t, opts);
}

// co_await ThisProcess{}: the process the coroutine runs in, without suspending.
struct ThisProcess {
  Process* process = nullptr;
  bool await_ready() const noexcept { return false; }
  template <class P>
  bool await_suspend(std::coroutine_handle<P> h) noexcept {
    process = internal::ProcessOf(h);
    return false;
  }
  Process* await_resume() const noexcept { return process; }
};

}  // namespace sim
