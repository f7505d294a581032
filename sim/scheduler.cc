#include "sim/scheduler.h"

#include <algorithm>

namespace sim {

namespace {
// Installs the scheduler as the context SIM_CHECK reports from, for the
// duration of a Run/Step call (restoring the outer one for nested runs).
class ContextGuard {
 public:
  explicit ContextGuard(const CheckContext* ctx) : saved_(CurrentCheckContext()) { SetCurrentCheckContext(ctx); }
  ~ContextGuard() { SetCurrentCheckContext(saved_); }

 private:
  const CheckContext* saved_;
};
}  // namespace

Process::~Process() {
  if (root_) root_.destroy();
}

bool Process::BeginWait(WaitNode* node, Status* result) {
  if (pending_interrupt_) {
    *result = std::move(*pending_interrupt_);
    pending_interrupt_.reset();
    return false;
  }
  wait_ = node;
  return true;
}

Scheduler::Scheduler() : logger_(*this) {}

Scheduler::~Scheduler() { Shutdown(); }

void Scheduler::Shutdown() {
  if (shut_down_) return;
  ContextGuard guard(this);
  // Frames first: their destructors may still cancel events.
  processes_.clear();
  shut_down_ = true;
  periodic_.clear();
  chunks_.clear();
  free_slots_.clear();
  heap_ = EventHeap();
  slot_count_ = 0;
  pending_regular_ = pending_daemon_ = stale_ = 0;
}

uint32_t Scheduler::AllocSlot() {
  if (!free_slots_.empty()) {
    uint32_t s = free_slots_.back();
    free_slots_.pop_back();
    return s;
  }
  if ((slot_count_ & (kChunkSize - 1)) == 0) chunks_.push_back(std::make_unique<Slot[]>(kChunkSize));
  return slot_count_++;
}

EventId Scheduler::ScheduleAt(Time t, Callback fn, EventOptions opts) {
  if (shut_down_) return EventId{};
  if (t < now_) [[unlikely]] {
    // Between runs no context is installed; report this scheduler's clock.
    ContextGuard guard(this);
    SIM_CHECK_MSG(t >= now_, "scheduling in the past: at " << ToString(t) << " while now is " << ToString(now_));
  }
  const uint32_t slot = AllocSlot();
  const uint64_t seq = next_seq_++;
  Slot& s = SlotAt(slot);
  s.fn = std::move(fn);
  uint32_t meta = opts.kind;
  if (opts.daemon) {
    meta |= kDaemonBit;
    s.tag = seq | kDaemonTag;
    ++pending_daemon_;
  } else {
    s.tag = seq;
    ++pending_regular_;
  }
  heap_.push(HeapEntry{t.nanos(), seq, slot, meta});
  ++stats_.events_scheduled;
  const std::size_t pending = pending_regular_ + pending_daemon_;
  if (pending > stats_.peak_pending) stats_.peak_pending = pending;
  return EventId{seq, slot};
}

bool Scheduler::IsPending(EventId id) const {
  return id.seq != 0 && id.slot < slot_count_ && (SlotAt(id.slot).tag & kSeqMask) == id.seq;
}

bool Scheduler::Cancel(EventId id) {
  if (!IsPending(id)) return false;
  Slot& s = SlotAt(id.slot);
  s.fn.Reset();
  free_slots_.push_back(id.slot);
  if (s.tag & kDaemonTag) {
    --pending_daemon_;
  } else {
    --pending_regular_;
  }
  s.tag = 0;
  ++stale_;
  ++stats_.events_cancelled;
  MaybeCompact();
  return true;
}

void Scheduler::MaybeCompact() {
  if (stale_ < 4096 || stale_ * 2 < heap_.size()) return;
  heap_.Filter([this](const HeapEntry& e) { return (SlotAt(e.slot).tag & kSeqMask) == e.seq; });
  stale_ = 0;
  ++stats_.heap_compactions;
}

bool Scheduler::SkipStale() {
  while (!heap_.empty()) {
    const HeapEntry& e = heap_.top();
    if ((SlotAt(e.slot).tag & kSeqMask) == e.seq) return true;
    heap_.pop();
    --stale_;
  }
  return false;
}

void Scheduler::RunTop() {
  const HeapEntry e = heap_.top();
  heap_.pop();
  Slot& s = SlotAt(e.slot);
  s.tag = 0;  // firing: Cancel() of its own id is now a no-op
  now_ = Time::FromNanos(e.time);
  ++event_number_;
  if (e.meta & kDaemonBit) {
    --pending_daemon_;
  } else {
    --pending_regular_;
  }
  // meta (kind + daemon bit, 17 bits) shares a word with seq (< 2^40 in
  // any run that fits in memory): two mixes per event.
  fingerprint_.Add(static_cast<uint64_t>(e.time));
  fingerprint_.Add(e.seq ^ (static_cast<uint64_t>(e.meta) << 40));
  struct Release {
    Scheduler* self;
    Slot* slot;
    uint32_t index;
    ~Release() {
      slot->fn.Reset();
      self->free_slots_.push_back(index);
    }
  } release{this, &s, e.slot};
  s.fn();
  ++stats_.events_executed;
}

void Scheduler::RethrowProcessFailure() {
  if (process_failure_) {
    std::exception_ptr e = std::exchange(process_failure_, nullptr);
    std::rethrow_exception(e);
  }
}

bool Scheduler::Step() {
  ContextGuard guard(this);
  if (!SkipStale()) return false;
  RunTop();
  RethrowProcessFailure();
  return true;
}

void Scheduler::RunUntil(Time t) {
  ContextGuard guard(this);
  SIM_CHECK_MSG(t >= now_, "RunUntil into the past: " << ToString(t) << " < now " << ToString(now_));
  stop_requested_ = false;
  while (!stop_requested_ && SkipStale() && heap_.top().time <= t.nanos()) {
    RunTop();
    RethrowProcessFailure();
  }
  if (!stop_requested_) now_ = t;
}

void Scheduler::Run() {
  ContextGuard guard(this);
  stop_requested_ = false;
  while (!stop_requested_ && pending_regular_ > 0 && SkipStale()) {
    RunTop();
    RethrowProcessFailure();
  }
}

std::optional<Time> Scheduler::NextEventTime() {
  if (!SkipStale()) return std::nullopt;
  return Time::FromNanos(heap_.top().time);
}

std::size_t Scheduler::EventMemoryBytes() const {
  return chunks_.size() * kChunkSize * sizeof(Slot) + heap_.capacity_bytes() +
         free_slots_.capacity() * sizeof(uint32_t);
}

PeriodicId Scheduler::SchedulePeriodic(Time first, Duration period, Callback fn, EventOptions opts) {
  SIM_CHECK_MSG(period > Duration::Zero(), "periodic timer needs a positive period");
  const uint64_t id = next_periodic_id_++;
  Periodic& p = periodic_[id];
  p.period = period;
  p.fn = std::move(fn);
  p.opts = opts;
  p.next = ScheduleAt(first, [this, id] { FirePeriodic(id); }, opts);
  return PeriodicId{id};
}

void Scheduler::FirePeriodic(uint64_t id) {
  auto it = periodic_.find(id);
  if (it == periodic_.end()) return;
  Periodic& p = it->second;
  p.next = ScheduleAt(now_ + p.period, [this, id] { FirePeriodic(id); }, p.opts);
  p.firing = true;
  p.fn();
  p.firing = false;
  if (p.cancelled) periodic_.erase(it);
}

bool Scheduler::CancelPeriodic(PeriodicId id) {
  auto it = periodic_.find(id.value);
  if (it == periodic_.end() || it->second.cancelled) return false;
  Cancel(it->second.next);
  if (it->second.firing) {
    it->second.cancelled = true;  // erased once its callback returns
  } else {
    periodic_.erase(it);
  }
  return true;
}

ProcessId Scheduler::Spawn(Task<void> task, std::string name) {
  if (shut_down_) return ProcessId{};
  SIM_CHECK_MSG(task.valid(), "spawning an empty task");
  const ProcessId pid{next_pid_++};
  auto proc = std::make_unique<Process>(*this, pid, std::move(name));
  auto h = task.Release();
  h.promise().process = proc.get();
  proc->root_ = h;
  processes_.emplace(pid.value, std::move(proc));
  ++stats_.processes_spawned;
  ScheduleAt(now_, [h] { h.resume(); });
  return pid;
}

bool Scheduler::Interrupt(ProcessId pid, Status reason) {
  auto it = processes_.find(pid.value);
  if (it == processes_.end()) return false;
  Process& p = *it->second;
  if (reason.ok()) reason = InterruptedError("interrupted");
  if (p.wait_ == nullptr) {
    // Running, or already scheduled to resume: deliver at its next await.
    if (!p.pending_interrupt_) p.pending_interrupt_ = std::move(reason);
    return true;
  }
  WaitNode* node = std::exchange(p.wait_, nullptr);
  node->CancelForInterrupt(std::move(reason));
  std::coroutine_handle<> h = node->handle;
  ScheduleAt(now_, [h] { h.resume(); });
  return true;
}

namespace internal {
std::coroutine_handle<> FinishProcess(Process* process, std::coroutine_handle<> root, std::exception_ptr exception) {
  SIM_CHECK_MSG(process != nullptr, "a Task finished that was neither awaited nor spawned");
  Scheduler& s = process->sched_;
  process->root_ = nullptr;
  if (exception && !s.process_failure_) s.process_failure_ = exception;
  s.processes_.erase(process->id_.value);
  root.destroy();
  return std::noop_coroutine();
}
}  // namespace internal

}  // namespace sim
