#pragma once

// Waiting on several tasks at once. Each task runs as a child process, so
// the children proceed concurrently in simulated time.
//
//   co_await WhenAll(std::move(tasks))      -> StatusOr<vector<T>> (void: Status)
//   co_await WhenAny(std::move(tasks))      -> StatusOr<WhenAnyResult<T>> (void: StatusOr<size_t>)
//   co_await WithTimeout(std::move(t), d)   -> StatusOr<T> (void: Status); DeadlineExceeded
//
// Losers are interrupted: WhenAny interrupts the other children once one
// finishes, WithTimeout interrupts the task when the deadline passes, and
// interrupting the awaiting process interrupts every unfinished child. An
// exception in a child is rethrown in the awaiting process (the first one).

#include <memory>
#include <optional>
#include <vector>

#include "sim/promise.h"
#include "sim/scheduler.h"

namespace sim {

template <class T>
struct WhenAnyResult {
  std::size_t index;
  T value;
};

namespace internal {

enum class JoinMode { kAll, kAny, kTimeout };

template <class T>
struct JoinState {
  using V = PromiseValue<T>;
  JoinMode mode;
  Scheduler* sched = nullptr;
  WaitNode* parent = nullptr;  // null once the parent stopped waiting
  std::vector<ProcessId> children;
  std::vector<std::optional<V>> results;
  std::vector<bool> done;
  std::size_t remaining = 0;
  std::optional<std::size_t> winner;
  std::exception_ptr exception;
  EventId timer;
  Status parent_status;  // set when the parent resumes with an error

  void ResumeParent(Status st) {
    WaitNode* p = std::exchange(parent, nullptr);
    if (!p) return;
    parent_status = std::move(st);
    sched->Cancel(timer);
    p->process->EndWait(p);
    std::coroutine_handle<> h = p->handle;
    sched->ScheduleAt(sched->Now(), [h] { h.resume(); });
  }
  void InterruptUnfinished(const Status& reason) {
    for (std::size_t i = 0; i < children.size(); ++i)
      if (!done[i]) sched->Interrupt(children[i], reason);
  }
};

template <class T>
Task<void> RunJoinChild(Task<T> task, std::shared_ptr<JoinState<T>> st, std::size_t i) {
  try {
    if constexpr (std::is_void_v<T>) {
      co_await std::move(task);
      st->results[i].emplace();
    } else {
      st->results[i].emplace(co_await std::move(task));
    }
  } catch (...) {
    if (!st->exception) st->exception = std::current_exception();
  }
  st->done[i] = true;
  --st->remaining;
  if (!st->parent) co_return;
  if (st->mode == JoinMode::kAll) {
    if (st->remaining == 0) st->ResumeParent(OkStatus());
  } else {
    st->winner = i;
    st->ResumeParent(OkStatus());
    st->InterruptUnfinished(CancelledError("another task finished first"));
  }
}

template <class T>
class JoinAwaiter : public WaitNode {
 public:
  JoinAwaiter(JoinMode mode, std::vector<Task<T>> tasks, Duration timeout)
      : tasks_(std::move(tasks)), timeout_(timeout), st_(std::make_shared<JoinState<T>>()) {
    st_->mode = mode;
  }
  bool await_ready() const noexcept { return tasks_.empty(); }
  template <class P>
  bool await_suspend(std::coroutine_handle<P> h) {
    process = ProcessOf(h);
    Status interrupted;
    if (!process->BeginWait(this, &interrupted)) {
      st_->parent_status = std::move(interrupted);
      return false;
    }
    handle = h;
    Scheduler& sched = process->scheduler();
    st_->sched = &sched;
    st_->parent = this;
    st_->results.resize(tasks_.size());
    st_->done.assign(tasks_.size(), false);
    st_->remaining = tasks_.size();
    for (std::size_t i = 0; i < tasks_.size(); ++i)
      st_->children.push_back(sched.Spawn(RunJoinChild<T>(std::move(tasks_[i]), st_, i), process->name()));
    if (st_->mode == JoinMode::kTimeout) {
      std::weak_ptr<JoinState<T>> weak = st_;
      st_->timer = sched.ScheduleAfter(timeout_, [weak] {
        auto st = weak.lock();
        if (!st || !st->parent) return;
        st->timer = EventId{};
        Status deadline = DeadlineExceededError("task did not finish within its timeout");
        st->InterruptUnfinished(deadline);
        st->ResumeParent(std::move(deadline));
      });
    }
    return true;
  }
  void CancelForInterrupt(Status reason) override {
    st_->parent = nullptr;
    if (st_->sched) st_->sched->Cancel(st_->timer);
    st_->InterruptUnfinished(reason);
    st_->parent_status = std::move(reason);
  }

 protected:
  // Rethrows a child's exception; returns the error the parent resumed with.
  Status Outcome() {
    if (!st_->parent_status.ok()) return st_->parent_status;
    if (st_->exception) std::rethrow_exception(st_->exception);
    return OkStatus();
  }
  std::vector<Task<T>> tasks_;
  Duration timeout_;
  std::shared_ptr<JoinState<T>> st_;
};

template <class T>
class WhenAllAwaiter final : public JoinAwaiter<T> {
 public:
  WhenAllAwaiter(std::vector<Task<T>> tasks) : JoinAwaiter<T>(JoinMode::kAll, std::move(tasks), {}) {}
  auto await_resume() {
    Status s = this->Outcome();
    if constexpr (std::is_void_v<T>) {
      return s;
    } else {
      if (!s.ok()) return StatusOr<std::vector<T>>(std::move(s));
      std::vector<T> out;
      out.reserve(this->st_->results.size());
      for (auto& r : this->st_->results) out.push_back(std::move(*r));
      return StatusOr<std::vector<T>>(std::move(out));
    }
  }
};

template <class T>
class WhenAnyAwaiter final : public JoinAwaiter<T> {
 public:
  WhenAnyAwaiter(std::vector<Task<T>> tasks) : JoinAwaiter<T>(JoinMode::kAny, std::move(tasks), {}) {}
  auto await_resume() {
    Status s = this->tasks_empty_error();
    if (s.ok()) s = this->Outcome();
    if constexpr (std::is_void_v<T>) {
      if (!s.ok()) return StatusOr<std::size_t>(std::move(s));
      return StatusOr<std::size_t>(*this->st_->winner);
    } else {
      using R = StatusOr<WhenAnyResult<T>>;
      if (!s.ok()) return R(std::move(s));
      const std::size_t i = *this->st_->winner;
      return R(WhenAnyResult<T>{i, std::move(*this->st_->results[i])});
    }
  }

 private:
  Status tasks_empty_error() const {
    return this->st_->children.empty() && this->st_->parent_status.ok()
               ? InvalidArgumentError("WhenAny of no tasks")
               : OkStatus();
  }
};

template <class T>
class TimeoutAwaiter final : public JoinAwaiter<T> {
 public:
  TimeoutAwaiter(Task<T> task, Duration timeout) : JoinAwaiter<T>(JoinMode::kTimeout, One(std::move(task)), timeout) {}
  auto await_resume() {
    Status s = this->Outcome();
    if constexpr (std::is_void_v<T>) {
      return s;
    } else {
      if (!s.ok()) return StatusOr<T>(std::move(s));
      return StatusOr<T>(std::move(*this->st_->results[0]));
    }
  }

 private:
  static std::vector<Task<T>> One(Task<T> t) {
    std::vector<Task<T>> v;
    v.push_back(std::move(t));
    return v;
  }
};

}  // namespace internal

template <class T>
internal::WhenAllAwaiter<T> WhenAll(std::vector<Task<T>> tasks) {
  return internal::WhenAllAwaiter<T>(std::move(tasks));
}
template <class T>
internal::WhenAnyAwaiter<T> WhenAny(std::vector<Task<T>> tasks) {
  return internal::WhenAnyAwaiter<T>(std::move(tasks));
}
template <class T>
internal::TimeoutAwaiter<T> WithTimeout(Task<T> task, Duration timeout) {
  return internal::TimeoutAwaiter<T>(std::move(task), timeout);
}

}  // namespace sim
