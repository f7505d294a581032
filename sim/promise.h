#pragma once

// sim::Promise<T>: a one-shot event that one component completes (Set or
// Fail) and any number of processes await. Waiters resume in the order they
// started waiting, each through its own event at the completion time, so the
// completer finishes its event first (no re-entrancy). Copies share state.
//
//   Promise<int> p(sched);
//   StatusOr<int> v = co_await p.Wait();                 // value, failure or interrupt
//   StatusOr<int> w = co_await p.WaitFor(Seconds(5));    // ... or DeadlineExceeded

#include <memory>
#include <optional>
#include <type_traits>

#include "sim/scheduler.h"

namespace sim {

namespace internal {
struct Unit {};
template <class T>
using PromiseValue = std::conditional_t<std::is_void_v<T>, Unit, T>;
}  // namespace internal

template <class T = void>
class Promise {
  using V = internal::PromiseValue<T>;
  using Result = std::conditional_t<std::is_void_v<T>, Status, StatusOr<T>>;

  class Waiter;
  struct State {
    Scheduler* sched;
    std::optional<StatusOr<V>> outcome;
    Waiter* head = nullptr;
    Waiter* tail = nullptr;

    void Link(Waiter* w) {
      w->prev = tail;
      w->next = nullptr;
      (tail ? tail->next : head) = w;
      tail = w;
      w->linked = true;
    }
    void Unlink(Waiter* w) {
      (w->prev ? w->prev->next : head) = w->next;
      (w->next ? w->next->prev : tail) = w->prev;
      w->prev = w->next = nullptr;
      w->linked = false;
    }
  };

  class Waiter final : public WaitNode {
   public:
    Waiter(std::shared_ptr<State> st, std::optional<Duration> timeout) : st_(std::move(st)), timeout_(timeout) {}
    // A frame destroyed while suspended here (scheduler teardown) must not
    // leave a dangling entry in a promise that outlives it.
    ~Waiter() {
      if (linked) st_->Unlink(this);
    }
    bool await_ready() const noexcept { return st_->outcome.has_value(); }
    template <class P>
    bool await_suspend(std::coroutine_handle<P> h) {
      process = internal::ProcessOf(h);
      Status interrupted;
      if (!process->BeginWait(this, &interrupted)) {
        result_ = std::move(interrupted);
        return false;
      }
      handle = h;
      st_->Link(this);
      if (timeout_) {
        timer_ = st_->sched->ScheduleAfter(*timeout_, [this] {
          st_->Unlink(this);
          process->EndWait(this);
          result_ = DeadlineExceededError("wait timed out");
          handle.resume();
        });
      }
      return true;
    }
    Result await_resume() {
      if (!result_) result_ = *st_->outcome;  // ready without suspending
      return Convert(std::move(*result_));
    }
    void CancelForInterrupt(Status reason) override {
      st_->Unlink(this);
      st_->sched->Cancel(timer_);
      result_ = std::move(reason);
    }
    // Called by Promise::Complete.
    void Complete(const StatusOr<V>& outcome) {
      st_->sched->Cancel(timer_);
      process->EndWait(this);
      result_ = outcome;
      std::coroutine_handle<> h = handle;
      st_->sched->ScheduleAt(st_->sched->Now(), [h] { h.resume(); });
    }

    Waiter* prev = nullptr;
    Waiter* next = nullptr;
    bool linked = false;

   private:
    static Result Convert(StatusOr<V> r) {
      if constexpr (std::is_void_v<T>) {
        return r.ok() ? OkStatus() : std::move(r).status();
      } else {
        return r;
      }
    }
    std::shared_ptr<State> st_;
    std::optional<Duration> timeout_;
    EventId timer_;
    std::optional<StatusOr<V>> result_;
  };

 public:
  explicit Promise(Scheduler& sched) : st_(std::make_shared<State>()) { st_->sched = &sched; }

  bool IsDone() const { return st_->outcome.has_value(); }
  std::size_t waiter_count() const {
    std::size_t n = 0;
    for (Waiter* w = st_->head; w; w = w->next) ++n;
    return n;
  }

  // Completing twice is a bug.
  template <class U = V>
    requires(!std::is_void_v<T>)
  void Set(U&& value) {
    Complete(StatusOr<V>(V(std::forward<U>(value))));
  }
  void Set()
    requires std::is_void_v<T>
  {
    Complete(StatusOr<V>(V{}));
  }
  void Fail(Status status) {
    SIM_CHECK_MSG(!status.ok(), "Promise::Fail needs an error status");
    Complete(StatusOr<V>(std::move(status)));
  }

  Waiter Wait() const { return Waiter(st_, std::nullopt); }
  Waiter WaitFor(Duration timeout) const { return Waiter(st_, timeout); }

 private:
  void Complete(StatusOr<V> outcome) {
    SIM_CHECK_MSG(!st_->outcome, "promise completed twice");
    st_->outcome = std::move(outcome);
    while (Waiter* w = st_->head) {
      st_->Unlink(w);
      w->Complete(*st_->outcome);
    }
  }

  std::shared_ptr<State> st_;
};

}  // namespace sim
