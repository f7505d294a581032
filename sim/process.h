#pragma once

// A process is a spawned root Task plus what interrupting it needs: the one
// leaf wait it is suspended on (a sleep, a promise, a join), if any. Leaf
// awaiters register themselves here when they suspend; Interrupt() cancels
// that wait and resumes the process with an Interrupted status at its await
// point. An interrupt that arrives while the process is running or already
// scheduled to resume is kept and delivered at its next await.

#include <coroutine>
#include <cstdint>
#include <optional>
#include <string>

#include "sim/status.h"
#include "sim/task.h"

namespace sim {

class Scheduler;

struct ProcessId {
  uint64_t value = 0;
  friend bool operator==(ProcessId, ProcessId) = default;
  explicit operator bool() const { return value != 0; }
};

class Process;

// Base of every awaiter a process can be interrupted at.
class WaitNode {
 public:
  // Cancel the underlying wait (timer, waiter list) and remember `reason` as
  // the await's result. The scheduler then resumes `handle`.
  virtual void CancelForInterrupt(Status reason) = 0;

  std::coroutine_handle<> handle;
  Process* process = nullptr;

 protected:
  ~WaitNode() = default;
};

class Process {
 public:
  Process(Scheduler& sched, ProcessId id, std::string name) : sched_(sched), id_(id), name_(std::move(name)) {}
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  Scheduler& scheduler() const { return sched_; }
  ProcessId id() const { return id_; }
  const std::string& name() const { return name_; }

  // Leaf awaiters call these from await_suspend / on completion.
  // BeginWait returns false (do not suspend; *result holds the interrupt)
  // when an interrupt is pending.
  bool BeginWait(WaitNode* node, Status* result);
  void EndWait(WaitNode* node) {
    if (wait_ == node) wait_ = nullptr;
  }
  bool waiting() const { return wait_ != nullptr; }

 private:
  friend class Scheduler;
  friend std::coroutine_handle<> internal::FinishProcess(Process*, std::coroutine_handle<>, std::exception_ptr);

  Scheduler& sched_;
  ProcessId id_;
  std::string name_;
  std::coroutine_handle<> root_;
  WaitNode* wait_ = nullptr;
  std::optional<Status> pending_interrupt_;
};

}  // namespace sim
