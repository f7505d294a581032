#pragma once

// SIM_CHECK guards invariants whose failure means a bug in adpsim itself. It
// throws InvariantViolation carrying the simulated time and event number of
// the running scheduler; the CLI flushes what it has and exits 3.

#include <cstdint>
#include <sstream>
#include <stdexcept>
#include <string>

namespace sim {

class InvariantViolation : public std::logic_error {
 public:
  InvariantViolation(const std::string& what, int64_t sim_time_ns, uint64_t event_number)
      : std::logic_error(what), sim_time_ns_(sim_time_ns), event_number_(event_number) {}
  int64_t sim_time_ns() const { return sim_time_ns_; }
  uint64_t event_number() const { return event_number_; }

 private:
  int64_t sim_time_ns_;
  uint64_t event_number_;
};

// Where a failing check reads "now" from: the scheduler that is running on
// this thread (set by Scheduler::Run/Step), if any.
class CheckContext {
 public:
  virtual ~CheckContext() = default;
  virtual int64_t CheckTimeNanos() const = 0;
  virtual uint64_t CheckEventNumber() const = 0;
};
const CheckContext* CurrentCheckContext();
void SetCurrentCheckContext(const CheckContext* ctx);

[[noreturn]] void FailCheck(const char* file, int line, const char* condition, const std::string& message);

}  // namespace sim

#define SIM_CHECK(cond)                                                   \
  do {                                                                    \
    if (!(cond)) [[unlikely]]                                             \
      ::sim::FailCheck(__FILE__, __LINE__, #cond, std::string());         \
  } while (0)

#define SIM_CHECK_MSG(cond, stream_expr)                                  \
  do {                                                                    \
    if (!(cond)) [[unlikely]] {                                           \
      std::ostringstream sim_check_os_;                                   \
      sim_check_os_ << stream_expr;                                       \
      ::sim::FailCheck(__FILE__, __LINE__, #cond, sim_check_os_.str());   \
    }                                                                     \
  } while (0)
