#include "sim/check.h"

#include "sim/time.h"

namespace sim {

namespace {
thread_local const CheckContext* g_context = nullptr;
}

const CheckContext* CurrentCheckContext() { return g_context; }
void SetCurrentCheckContext(const CheckContext* ctx) { g_context = ctx; }

void FailCheck(const char* file, int line, const char* condition, const std::string& message) {
  int64_t t = 0;
  uint64_t ev = 0;
  if (g_context) {
    t = g_context->CheckTimeNanos();
    ev = g_context->CheckEventNumber();
  }
  std::string what = "invariant violated at t=" + ToString(Time::FromNanos(t)) + " event #" +
                     std::to_string(ev) + " (" + file + ":" + std::to_string(line) + "): " + condition;
  if (!message.empty()) what += ": " + message;
  throw InvariantViolation(what, t, ev);
}

}  // namespace sim
