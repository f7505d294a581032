#pragma once

// sim::Task<T>: a lazily started coroutine. `co_await task` runs it inside
// the awaiting process and yields its return value (or rethrows its
// exception); `Scheduler::Spawn(task)` makes it the root of a new process
// whose lifetime the scheduler owns. No thread per process: a suspended
// process is its coroutine frames and nothing else.

#include <coroutine>
#include <exception>
#include <optional>
#include <utility>

namespace sim {

class Process;

namespace internal {

// Called when the root coroutine of a process finishes; returns the
// coroutine to transfer to (always noop) after destroying the frame.
std::coroutine_handle<> FinishProcess(Process* process, std::coroutine_handle<> root,
                                      std::exception_ptr exception);

struct PromiseBase {
  std::coroutine_handle<> continuation;
  Process* process = nullptr;
  std::exception_ptr exception;

  struct FinalAwaiter {
    bool await_ready() noexcept { return false; }
    template <class P>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<P> h) noexcept {
      PromiseBase& p = h.promise();
      if (p.continuation) return p.continuation;
      return FinishProcess(p.process, h, p.exception);
    }
    void await_resume() noexcept {}
  };

  std::suspend_always initial_suspend() noexcept { return {}; }
  FinalAwaiter final_suspend() noexcept { return {}; }
  void unhandled_exception() noexcept { exception = std::current_exception(); }
};

template <class T>
struct TaskPromise : PromiseBase {
  std::optional<T> value;
  template <class U>
  void return_value(U&& v) {
    value.emplace(std::forward<U>(v));
  }
};

template <>
struct TaskPromise<void> : PromiseBase {
  void return_void() noexcept {}
};

// The process a coroutine belongs to (every Task promise carries it).
template <class P>
Process* ProcessOf(std::coroutine_handle<P> h) {
  return h.promise().process;
}

}  // namespace internal

template <class T = void>
class [[nodiscard]] Task {
 public:
  struct promise_type : internal::TaskPromise<T> {
    Task get_return_object() { return Task(std::coroutine_handle<promise_type>::from_promise(*this)); }
  };
  using Handle = std::coroutine_handle<promise_type>;

  Task() = default;
  Task(Task&& o) noexcept : h_(std::exchange(o.h_, {})) {}
  Task& operator=(Task&& o) noexcept {
    if (this != &o) {
      if (h_) h_.destroy();
      h_ = std::exchange(o.h_, {});
    }
    return *this;
  }
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task() {
    if (h_) h_.destroy();
  }

  bool valid() const { return static_cast<bool>(h_); }
  // Hands the frame over (to the scheduler, which becomes its owner).
  Handle Release() { return std::exchange(h_, {}); }

  struct Awaiter {
    Handle child;
    bool await_ready() const noexcept { return false; }
    template <class P>
    std::coroutine_handle<> await_suspend(std::coroutine_handle<P> parent) noexcept {
      child.promise().continuation = parent;
      child.promise().process = internal::ProcessOf(parent);
      return child;
    }
    T await_resume() {
      if (child.promise().exception) std::rethrow_exception(child.promise().exception);
      if constexpr (!std::is_void_v<T>) return std::move(*child.promise().value);
    }
  };
  Awaiter operator co_await() && noexcept { return Awaiter{h_}; }

 private:
  explicit Task(Handle h) : h_(h) {}
  Handle h_;
};

}  // namespace sim
