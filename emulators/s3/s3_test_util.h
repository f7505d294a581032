#pragma once

// Helpers shared by the S3 facade tests (header-only, tests only).

#include <optional>
#include <utility>
#include <vector>

#include "emulators/common/aws_error.h"
#include "emulators/common/delivery.h"
#include "sim/check.h"
#include "sim/scheduler.h"
#include "sim/task.h"

namespace emu::s3::test_support {

inline sim::Time At(double seconds) { return sim::Time::Zero() + sim::SecondsF(seconds); }

template <class T>
sim::Task<void> StoreResult(sim::Task<T> task, std::optional<T>* out) {
  T value = co_await std::move(task);
  out->emplace(std::move(value));
}

// Runs one API call as a process and steps the scheduler until it returns
// (later events, such as notifications, stay queued).
template <class T>
T Await(sim::Scheduler& sched, sim::Task<T> task) {
  std::optional<T> out;
  sched.Spawn(StoreResult(std::move(task), &out));
  while (!out.has_value() && sched.Step()) {
  }
  SIM_CHECK(out.has_value());
  return std::move(*out);
}

// Records every delivery with its simulated time.
class RecordingTarget : public DeliveryTarget {
 public:
  explicit RecordingTarget(sim::Scheduler& sched) : sched_(sched) {}
  sim::Status Deliver(const Delivery& d) override {
    received.emplace_back(sched_.Now(), d);
    return sim::OkStatus();
  }
  std::vector<std::pair<sim::Time, Delivery>> received;

 private:
  sim::Scheduler& sched_;
};

}  // namespace emu::s3::test_support
