#include "emulators/lambda/lambda_api.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <nlohmann/json.hpp>

#include "emulators/common/account.h"
#include "emulators/lambda/event_source_mapping.h"
#include "emulators/lambda/lambda_errors.h"
#include "emulators/lambda/lambda_model.h"
#include "sim/check.h"
#include "sim/promise.h"

namespace emu::lambda {

namespace {

// Throttled asynchronous events go back to the queue; the queue's head is
// retried after 1 s, doubling to 5 min (invocation-async-error-handling.html).
constexpr sim::Duration kAsyncFirstBackoff = sim::Seconds(1);
constexpr sim::Duration kAsyncMaxBackoff = sim::Minutes(5);
// Waits before the function-error retries: 1 min, then 2 min.
constexpr sim::Duration kAsyncRetryDelays[] = {sim::Minutes(1), sim::Minutes(2)};

// One running handler: what the handler's references point into. Shared by
// the invocation and the handler's process, so it lives until both are done
// (an interrupted handler may unwind after the invocation has returned).
struct HandlerCall {
  HandlerCall(Env& env, std::shared_ptr<const FunctionConfig> cfg, std::shared_ptr<const Handler> h,
              std::string request_id, sim::Time deadline, InvocationInput in)
      : config(std::move(cfg)),
        handler(std::move(h)),
        input(std::move(in)),
        ctx(env, *config, std::move(request_id), deadline),
        done(env.sched()) {}

  // Shared with the function (a snapshot: a later update makes a new one).
  std::shared_ptr<const FunctionConfig> config;
  std::shared_ptr<const Handler> handler;
  InvocationInput input;
  InvocationContext ctx;  // refers to *config: declared after it
  sim::Promise<void> done;
  std::optional<sim::StatusOr<InvocationResult>> result;
  bool threw = false;
};

// The handler's process. An exception escaping the handler is a function
// error, except an invariant violation (a bug), which stops the run.
sim::Task<void> RunHandler(std::shared_ptr<HandlerCall> call) {
  std::string what;
  try {
    sim::Task<sim::StatusOr<InvocationResult>> task = (*call->handler)(call->ctx, call->input);
    sim::StatusOr<InvocationResult> r = co_await std::move(task);
    call->result.emplace(std::move(r));
  } catch (const sim::InvariantViolation&) {
    throw;
  } catch (const std::exception& e) {
    call->threw = true;
    what = e.what();
  } catch (...) {
    call->threw = true;
    what = "unknown exception";
  }
  if (call->threw) call->result.emplace(sim::Status(sim::StatusCode::kUnknown, what));
  call->done.Set();
}

std::string TimeoutMessage(const std::string& request_id, sim::Duration timeout) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "Task timed out after %.2f seconds", timeout.ToSeconds());
  return "RequestId: " + request_id + " Error: " + buf;
}

std::string ErrorPayload(const InvocationOutcome& out) {
  nlohmann::json doc = {{"errorMessage", out.error_message}, {"errorType", out.error_type}};
  return doc.dump();
}

sim::Status Invalid(std::string message) {
  return AwsError(errors::kInvalidParameterValueException, std::move(message));
}

}  // namespace

// --- InvocationContext -------------------------------------------------------

int InvocationContext::Vcpus(int memory_mb) {
  const int v = static_cast<int>(std::ceil(static_cast<double>(memory_mb) / kMemoryMbPerVcpu));
  return std::clamp(v, 1, kMaxVcpus);
}

double InvocationContext::CpuShare(int memory_mb, int parallelism) {
  const double share = static_cast<double>(memory_mb) / kMemoryMbPerVcpu;
  return std::min({share, static_cast<double>(std::max(parallelism, 1)), static_cast<double>(Vcpus(memory_mb))});
}

sim::Duration InvocationContext::ComputeTime(uint64_t records, uint64_t bytes) const {
  const ComputeProfile& p = config_.compute;
  const double cpu_share = CpuShare(config_.memory_mb, p.parallelism);
  const double ns =
      (p.fixed_ns + p.ns_per_record * static_cast<double>(records) + p.ns_per_byte * static_cast<double>(bytes)) /
      cpu_share;
  return sim::Duration::FromNanos(static_cast<int64_t>(std::llround(ns)));
}

sim::Task<sim::Status> InvocationContext::Compute(uint64_t records, uint64_t bytes) {
  if (env_.Now() >= deadline_) co_return sim::DeadlineExceededError("the invocation has timed out");
  sim::Status slept = co_await env_.sched().Sleep(ComputeTime(records, bytes));
  co_return slept;
}

// --- the function as a delivery target ---------------------------------------

// S3 / SNS deliveries are asynchronous invocations with the body as payload.
class LambdaApi::FunctionTarget final : public DeliveryTarget {
 public:
  FunctionTarget(LambdaApi& api, Function& fn) : api_(api), fn_(fn) {}
  sim::Status Deliver(const Delivery& delivery) override {
    return api_.EnqueueAsync(fn_, delivery.body, api_.model_->NextRequestId());
  }

 private:
  LambdaApi& api_;
  Function& fn_;
};

struct LambdaApi::Accepted {
  Function* fn = nullptr;
  std::string request_id;
  uint64_t environment_id = 0;
  bool cold = false;
};

// --- LambdaApi -----------------------------------------------------------------

LambdaApi::LambdaApi(Env& env, sqs::SqsApi* sqs)
    : env_(env), sqs_(sqs), behaviour_(env, "lambda"), model_(std::make_unique<LambdaModel>(env)) {
  RegisterAwsErrors({&errors::kResourceNotFoundException, &errors::kResourceConflictException,
                     &errors::kInvalidParameterValueException, &errors::kInvalidRequestContentException,
                     &errors::kResourceInUseException, &errors::kRequestTooLargeException,
                     &errors::kTooManyRequestsException, &errors::kServiceException});
  behaviour_.Declare("CreateFunction", "");
  behaviour_.Declare("GetFunction", "");
  behaviour_.Declare("UpdateFunctionConfiguration", "");
  behaviour_.Declare("DeleteFunction", "");
  behaviour_.Declare("PutFunctionConcurrency", "");
  behaviour_.Declare("DeleteFunctionConcurrency", "");
  behaviour_.Declare("PutFunctionEventInvokeConfig", "");
  // Requests are billed per invocation that runs (throttled calls are not),
  // so Invoke has no per-call price.
  behaviour_.Declare("Invoke", "");
  behaviour_.Declare("CreateEventSourceMapping", "");
}

LambdaApi::~LambdaApi() {
  // Timers point at this object; pollers and running invocations do too, so
  // the owner stops mappings (StopEventSourceMappings) and does not run the
  // scheduler after this object is gone.
  for (const auto& fn : deleted_) {
    for (const auto& [key, timer] : fn->async_retry_timers) env_.sched().Cancel(timer);
  }
  for (const auto& [name, fn] : model_->functions()) {
    for (const ExecutionEnvironment& e : fn->idle) env_.sched().Cancel(e.reap_timer);
    env_.sched().Cancel(fn->async_retry_timer);
    for (const auto& [key, timer] : fn->async_retry_timers) env_.sched().Cancel(timer);
    auto t = targets_.find(name);
    if (t != targets_.end() && env_.account().ResolveTarget(fn->arn) == t->second.get()) {
      env_.account().UnregisterTarget(fn->arn);
    }
  }
}

sim::Task<sim::Status> LambdaApi::CreateFunction(FunctionConfig config, Handler handler) {
  Operation& op = behaviour_.Get("CreateFunction");
  sim::Status created = co_await RunOperationStatus(op, [this, &config, &handler]() -> sim::Status {
    const std::string name = config.function_name;
    sim::StatusOr<Function*> fn = model_->CreateFunction(std::move(config), std::move(handler),
                                                         account_concurrency_limit, unreserved_concurrency_minimum);
    if (!fn.ok()) return fn.status();
    auto target = std::make_unique<FunctionTarget>(*this, **fn);
    env_.account().RegisterTarget((*fn)->arn, target.get());
    targets_[name] = std::move(target);
    return sim::OkStatus();
  });
  co_return created;
}

sim::Task<sim::StatusOr<GetFunctionResponse>> LambdaApi::GetFunction(std::string function_name) {
  Operation& op = behaviour_.Get("GetFunction");
  sim::StatusOr<GetFunctionResponse> got =
      co_await RunOperation<GetFunctionResponse>(op, [this, &function_name]() -> sim::StatusOr<GetFunctionResponse> {
        SIM_ASSIGN_OR_RETURN(Function * fn, model_->GetFunction(function_name));
        GetFunctionResponse r;
        r.configuration = fn->config;
        r.function_arn = fn->arn;
        r.reserved_concurrency = fn->config.reserved_concurrency;
        return r;
      });
  co_return got;
}

sim::Task<sim::Status> LambdaApi::UpdateFunctionConfiguration(UpdateFunctionConfigurationRequest request) {
  Operation& op = behaviour_.Get("UpdateFunctionConfiguration");
  sim::Status updated = co_await RunOperationStatus(op, [this, &request]() -> sim::Status {
    SIM_ASSIGN_OR_RETURN(Function * fn, model_->GetFunction(request.function_name));
    SIM_RETURN_IF_ERROR(model_->UpdateFunctionConfiguration(*fn, request));
    DiscardIdleEnvironments(*fn);
    return sim::OkStatus();
  });
  co_return updated;
}

sim::Task<sim::Status> LambdaApi::DeleteFunction(std::string function_name) {
  Operation& op = behaviour_.Get("DeleteFunction");
  sim::Status deleted = co_await RunOperationStatus(op, [this, &function_name]() -> sim::Status {
    SIM_RETURN_IF_ERROR(model_->GetFunction(function_name).status());
    std::unique_ptr<Function> fn = model_->DeleteFunction(function_name);
    DiscardIdleEnvironments(*fn);
    env_.sched().Cancel(fn->async_retry_timer);
    for (const auto& [key, timer] : fn->async_retry_timers) env_.sched().Cancel(timer);
    fn->async_retry_timers.clear();
    fn->stats.async_events_dropped += fn->async_queue.size();
    fn->async_queue.clear();
    auto t = targets_.find(function_name);
    if (t != targets_.end()) {
      if (env_.account().ResolveTarget(fn->arn) == t->second.get()) env_.account().UnregisterTarget(fn->arn);
      targets_.erase(t);
    }
    deleted_.push_back(std::move(fn));
    return sim::OkStatus();
  });
  co_return deleted;
}

sim::Task<sim::Status> LambdaApi::PutFunctionConcurrency(std::string function_name,
                                                         int reserved_concurrent_executions) {
  Operation& op = behaviour_.Get("PutFunctionConcurrency");
  sim::Status put = co_await RunOperationStatus(op, [this, &function_name, reserved_concurrent_executions]() {
    sim::StatusOr<Function*> fn = model_->GetFunction(function_name);
    if (!fn.ok()) return fn.status();
    return model_->PutFunctionConcurrency(**fn, reserved_concurrent_executions, account_concurrency_limit,
                                          unreserved_concurrency_minimum);
  });
  co_return put;
}

sim::Task<sim::Status> LambdaApi::DeleteFunctionConcurrency(std::string function_name) {
  Operation& op = behaviour_.Get("DeleteFunctionConcurrency");
  sim::Status removed = co_await RunOperationStatus(op, [this, &function_name]() {
    sim::StatusOr<Function*> fn = model_->GetFunction(function_name);
    if (!fn.ok()) return fn.status();
    return model_->PutFunctionConcurrency(**fn, std::nullopt, account_concurrency_limit,
                                          unreserved_concurrency_minimum);
  });
  co_return removed;
}

sim::Task<sim::Status> LambdaApi::PutFunctionEventInvokeConfig(std::string function_name, EventInvokeConfig config) {
  Operation& op = behaviour_.Get("PutFunctionEventInvokeConfig");
  sim::Status put = co_await RunOperationStatus(op, [this, &function_name, &config]() -> sim::Status {
    SIM_ASSIGN_OR_RETURN(Function * fn, model_->GetFunction(function_name));
    if (config.maximum_retry_attempts < 0 || config.maximum_retry_attempts > 2) {
      return Invalid("1 validation error detected: Value '" + std::to_string(config.maximum_retry_attempts) +
                     "' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or "
                     "equal to 2");
    }
    const sim::Duration age = config.maximum_event_age;
    if (age < sim::Seconds(60) || age > sim::Hours(6) || age % sim::Seconds(1) != sim::Duration::Zero()) {
      return Invalid("1 validation error detected: Value '" + sim::ToString(age) +
                     "' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must be a whole number "
                     "of seconds in 60..21600");
    }
    for (const std::string* d : {&config.on_success_destination, &config.on_failure_destination}) {
      if (d->empty()) continue;
      const std::optional<ParsedArn> arn = Account::ParseArn(*d);
      if (!arn || (arn->service != "sqs" && arn->service != "sns" && arn->service != "lambda")) {
        return Invalid("The destination ARN " + *d + " is invalid (SQS queue, SNS topic or Lambda function)");
      }
    }
    fn->event_invoke_config = config;
    return sim::OkStatus();
  });
  co_return put;
}

sim::StatusOr<LambdaApi::Accepted> LambdaApi::AcceptInvoke(const InvokeRequest& request) {
  SIM_ASSIGN_OR_RETURN(Function * fn, model_->GetFunction(request.function_name));
  Accepted a{fn, model_->NextRequestId()};
  if (request.invocation_type == InvocationType::kEvent) {
    SIM_RETURN_IF_ERROR(EnqueueAsync(*fn, request.payload, a.request_id));
    return a;
  }
  if (request.payload.size() > kMaxSyncPayloadBytes) {
    return AwsError(errors::kRequestTooLargeException, "Request must be smaller than " +
                                                           std::to_string(kMaxSyncPayloadBytes) +
                                                           " bytes for the InvokeFunction operation");
  }
  SIM_RETURN_IF_ERROR(Admit(*fn, &a.environment_id, &a.cold));
  return a;
}

sim::Status LambdaApi::Admit(Function& fn, uint64_t* environment_id, bool* cold) {
  SIM_ASSIGN_OR_RETURN(LambdaModel::Lease lease, model_->Admit(fn, account_concurrency_limit, env_.Now(),
                                                               scaling_rate_environments, scaling_rate_window));
  env_.sched().Cancel(lease.reap_timer);
  *environment_id = lease.environment_id;
  *cold = lease.cold;
  return sim::OkStatus();
}

sim::Task<sim::StatusOr<InvokeResponse>> LambdaApi::Invoke(InvokeRequest request) {
  Operation& op = behaviour_.Get("Invoke");
  sim::StatusOr<Accepted> accepted =
      co_await RunOperation<Accepted>(op, [this, &request] { return AcceptInvoke(request); });
  if (!accepted.ok()) co_return accepted.status();
  InvokeResponse response;
  response.request_id = accepted->request_id;
  if (request.invocation_type == InvocationType::kEvent) {
    response.status_code = 202;
    co_return response;
  }
  InvocationInput input;
  input.payload = std::move(request.payload);
  InvocationOutcome out =
      co_await Execute(accepted->fn, accepted->environment_id, accepted->cold, std::move(input), accepted->request_id);
  if (!out.status.ok()) co_return out.status;
  if (out.function_error) {
    response.function_error = "Unhandled";
    response.payload = ErrorPayload(out);
  } else {
    response.payload = std::move(out.result.payload);
  }
  co_return response;
}

sim::Task<InvocationOutcome> LambdaApi::InvokeFunction(std::string function_name, InvocationInput input) {
  InvocationOutcome out;
  Function* fn = model_->Find(function_name);
  if (fn == nullptr) {
    out.status = model_->GetFunction(function_name).status();
    co_return out;
  }
  out.request_id = model_->NextRequestId();
  uint64_t environment_id = 0;
  bool cold = false;
  out.status = Admit(*fn, &environment_id, &cold);
  if (!out.status.ok()) co_return out;
  InvocationOutcome ran = co_await Execute(fn, environment_id, cold, std::move(input), out.request_id);
  co_return ran;
}

sim::Task<InvocationOutcome> LambdaApi::Execute(Function* fn, uint64_t environment_id, bool cold, InvocationInput input,
                                                std::string request_id) {
  sim::Scheduler& sched = env_.sched();
  InvocationOutcome out;
  out.request_id = request_id;
  ++fn->stats.invocations;
  fn->invocations->Add();

  if (cold) {
    out.cold_start = true;
    ++fn->stats.cold_starts;
    fn->cold_starts->Add();
    out.init_duration = fn->config.cold_start.Sample(fn->cold_start_rng);
    if (out.init_duration > sim::Duration::Zero()) {
      sim::Status slept = co_await sched.Sleep(out.init_duration);
      if (!slept.ok()) {
        // The caller was interrupted during init: the handler never ran.
        model_->DiscardEnvironment(*fn, environment_id);
        model_->ReleaseConcurrency(*fn);
        out.status = std::move(slept);
        co_return out;
      }
    }
  }

  // The handler runs as its own process so a timeout (or the caller being
  // interrupted) can interrupt it at whatever await it is suspended on, and
  // the two cases stay distinguishable.
  const sim::Time start = sched.Now();
  const sim::Time deadline = start + fn->config.timeout;
  auto call = std::make_shared<HandlerCall>(env_, fn->config_snapshot, fn->shared_handler, request_id, deadline,
                                            std::move(input));
  const sim::ProcessId pid = sched.Spawn(RunHandler(call), fn->process_name);
  sim::Status waited = co_await call->done.WaitFor(fn->config.timeout);
  const sim::Time end = sched.Now();
  out.duration = end - start;

  bool reset = false;
  if (call->done.IsDone()) {
    sim::StatusOr<InvocationResult>& r = *call->result;
    if (r.ok()) {
      out.result = std::move(r).value();
    } else {
      out.function_error = true;
      out.error_type = call->threw ? "Exception" : std::string(r.status().name());
      out.error_message = std::string(r.status().message());
    }
  } else if (waited.code() == sim::StatusCode::kDeadlineExceeded && end >= deadline) {
    out.function_error = true;
    out.timed_out = true;
    out.error_type = "Sandbox.Timedout";
    out.error_message = TimeoutMessage(request_id, fn->config.timeout);
    sched.Interrupt(pid, sim::InterruptedError(out.error_message));
    reset = true;
  } else {
    // The caller was interrupted (an event source mapping stopping, a client
    // giving up): the handler is interrupted too and its outcome is lost.
    sched.Interrupt(pid, waited);
    out.status = std::move(waited);
    reset = true;
  }

  out.billed_duration = LambdaModel::BilledDuration(out.duration);
  if (bill_init_duration) out.billed_duration = LambdaModel::BilledDuration(out.duration + out.init_duration);
  model_->Bill(*fn, out.billed_duration);
  fn->duration_ns->Record(out.duration.nanos());
  if (out.function_error) {
    ++fn->stats.errors;
    fn->errors->Add();
  }
  if (out.timed_out) {
    ++fn->stats.timeouts;
    fn->timeouts->Add();
  }
  fn->cold_start_ratio->Set(fn->stats.ColdStartRatio());
  if (reset) {
    model_->DiscardEnvironment(*fn, environment_id);
  } else {
    ReleaseEnvironment(*fn, environment_id);
  }
  model_->ReleaseConcurrency(*fn);
  co_return out;
}

void LambdaApi::ReleaseEnvironment(Function& fn, uint64_t environment_id) {
  if (model_->ReleaseEnvironment(fn, environment_id, env_.Now()) != nullptr) ScheduleReap(fn, environment_id);
}

void LambdaApi::ScheduleReap(Function& fn, uint64_t environment_id) {
  Function* f = &fn;
  // Daemon: an idle environment waiting to be reaped keeps no run alive.
  fn.idle.back().reap_timer = env_.sched().ScheduleAfter(
      fn.config.idle_reap_after, [this, f, environment_id] { model_->ReapEnvironment(*f, environment_id); },
      sim::kDaemon);
}

void LambdaApi::DiscardIdleEnvironments(Function& fn) {
  for (const ExecutionEnvironment& e : fn.idle) env_.sched().Cancel(e.reap_timer);
  fn.idle.clear();
}

sim::Status LambdaApi::PrewarmEnvironments(const std::string& function_name, int count) {
  SIM_ASSIGN_OR_RETURN(Function * fn, model_->GetFunction(function_name));
  for (int i = 0; i < count; ++i) {
    const uint64_t id = fn->next_environment_id++;
    fn->idle.push_back(ExecutionEnvironment{id, env_.Now(), sim::EventId{}});
    ScheduleReap(*fn, id);
  }
  return sim::OkStatus();
}

// --- asynchronous invocation ---------------------------------------------------

sim::Status LambdaApi::EnqueueAsync(Function& fn, std::string payload, std::string request_id) {
  if (payload.size() > kMaxAsyncPayloadBytes) {
    return AwsError(errors::kRequestTooLargeException, "Request must be smaller than " +
                                                           std::to_string(kMaxAsyncPayloadBytes) +
                                                           " bytes for the InvokeFunction operation (Event)");
  }
  AsyncEvent ev;
  ev.payload = std::move(payload);
  ev.request_id = std::move(request_id);
  ev.enqueued_at = env_.Now();
  fn.async_queue.push_back(std::move(ev));
  // While the head is backing off after a throttle, the rest waits for it.
  if (!env_.sched().IsPending(fn.async_retry_timer)) DispatchAsync(fn);
  return sim::OkStatus();
}

void LambdaApi::ScheduleAsyncDispatch(Function& fn, sim::Duration after) {
  if (env_.sched().IsPending(fn.async_retry_timer)) return;
  Function* f = &fn;
  // Regular (not daemon): queued work keeps the run going until it runs or
  // ages out.
  fn.async_retry_timer = env_.sched().ScheduleAfter(after, [this, f] {
    f->async_retry_timer = sim::EventId{};
    DispatchAsync(*f);
  });
}

void LambdaApi::DispatchAsync(Function& fn) {
  const sim::Time now = env_.Now();
  while (!fn.async_queue.empty()) {
    AsyncEvent& head = fn.async_queue.front();
    if (now - head.enqueued_at > fn.event_invoke_config.maximum_event_age) {
      AsyncEvent ev = std::move(head);
      fn.async_queue.pop_front();
      SendAsyncRecord(fn, ev, "EventAgeExceeded", nullptr);
      continue;
    }
    uint64_t environment_id = 0;
    bool cold = false;
    if (!Admit(fn, &environment_id, &cold).ok()) {
      ScheduleAsyncDispatch(fn, fn.async_backoff);
      fn.async_backoff = std::min(fn.async_backoff * 2, kAsyncMaxBackoff);
      return;
    }
    fn.async_backoff = kAsyncFirstBackoff;
    AsyncEvent ev = std::move(head);
    fn.async_queue.pop_front();
    env_.sched().Spawn(RunAsync(&fn, environment_id, cold, std::move(ev)),
                       "lambda:" + fn.config.function_name + ":async");
  }
}

sim::Task<void> LambdaApi::RunAsync(Function* fn, uint64_t environment_id, bool cold, AsyncEvent event) {
  InvocationInput input;
  input.payload = event.payload;
  InvocationOutcome out = co_await Execute(fn, environment_id, cold, std::move(input), event.request_id);
  if (!out.status.ok()) {
    // Did not run to an outcome (a system error): back to the queue's head.
    if (fn->deleted) co_return;
    fn->async_queue.push_front(std::move(event));
    ScheduleAsyncDispatch(*fn, fn->async_backoff);
    co_return;
  }
  ++event.attempts;
  if (!out.function_error) {
    ++fn->stats.async_events_succeeded;
    SendAsyncRecord(*fn, event, "Success", &out);
    co_return;
  }
  event.last_error_payload = ErrorPayload(out);
  if (event.attempts <= fn->event_invoke_config.maximum_retry_attempts && !fn->deleted) {
    ++fn->stats.async_retries;
    fn->async_retries->Add();
    const sim::Duration delay = kAsyncRetryDelays[std::min(event.attempts, 2) - 1];
    const uint64_t key = fn->next_async_retry++;
    fn->async_retry_timers[key] = env_.sched().ScheduleAfter(delay, [this, fn, key, ev = std::move(event)]() mutable {
      fn->async_retry_timers.erase(key);
      fn->async_queue.push_back(std::move(ev));
      if (!env_.sched().IsPending(fn->async_retry_timer)) DispatchAsync(*fn);
    });
    co_return;
  }
  SendAsyncRecord(*fn, event, "RetriesExhausted", &out);
}

void LambdaApi::SendAsyncRecord(Function& fn, const AsyncEvent& event, const std::string& condition,
                                const InvocationOutcome* out) {
  const bool success = condition == "Success";
  const std::string& destination =
      success ? fn.event_invoke_config.on_success_destination : fn.event_invoke_config.on_failure_destination;
  Delivery delivery;
  delivery.source_arn = fn.arn;
  if (destination.empty()) {
    if (success) return;
    if (fn.config.dead_letter_target_arn.empty()) {
      ++fn.stats.async_events_dropped;
      fn.async_events_dropped->Add();
      return;
    }
    // Function DLQ: the event's payload, with the error as attributes.
    std::string message = condition == "EventAgeExceeded" ? "Event age exceeded" : "Retries exhausted";
    if (!event.last_error_payload.empty()) {
      nlohmann::json err = nlohmann::json::parse(event.last_error_payload, nullptr, false);
      if (err.is_object() && err.contains("errorMessage")) message = err["errorMessage"].get<std::string>();
    }
    if (message.size() > 1024) message.resize(1024);
    delivery.body = event.payload;
    delivery.attributes = {{"RequestID", event.request_id}, {"ErrorCode", "200"}, {"ErrorMessage", message}};
    DeliverRecord(fn, fn.config.dead_letter_target_arn, delivery, true);
    return;
  }
  // The invocation record (invocation-async-retain-records.html).
  nlohmann::ordered_json record;
  record["version"] = "1.0";
  record["timestamp"] = sim::FormatIso8601(env_.UnixNanos(env_.Now()));
  record["requestContext"] = {{"requestId", event.request_id},
                              {"functionArn", fn.arn + ":$LATEST"},
                              {"condition", condition},
                              {"approximateInvokeCount", event.attempts}};
  nlohmann::ordered_json request_payload = nlohmann::ordered_json::parse(event.payload, nullptr, false);
  record["requestPayload"] = request_payload.is_discarded() ? nlohmann::ordered_json(event.payload) : request_payload;
  if (event.attempts > 0) {
    nlohmann::ordered_json response_context = {{"statusCode", 200}, {"executedVersion", "$LATEST"}};
    std::string response = success && out != nullptr ? out->result.payload : event.last_error_payload;
    if (!success) response_context["functionError"] = "Unhandled";
    record["responseContext"] = response_context;
    nlohmann::ordered_json response_payload = nlohmann::ordered_json::parse(response, nullptr, false);
    record["responsePayload"] = response_payload.is_discarded() ? nlohmann::ordered_json(response) : response_payload;
  }
  delivery.body = record.dump();
  DeliverRecord(fn, destination, delivery, !success);
}

void LambdaApi::DeliverRecord(Function& fn, const std::string& arn, const Delivery& delivery, bool failure) {
  DeliveryTarget* target = env_.account().ResolveTarget(arn);
  const bool delivered = target != nullptr && target->Deliver(delivery).ok();
  if (!delivered) {
    ++fn.stats.destination_delivery_failures;
    return;
  }
  if (failure) {
    ++fn.stats.async_events_failed;
    fn.async_events_failed->Add();
  }
}

// --- event source mappings -----------------------------------------------------

sim::Task<sim::StatusOr<std::string>> LambdaApi::CreateEventSourceMapping(EventSourceMappingConfig config) {
  Operation& op = behaviour_.Get("CreateEventSourceMapping");
  sim::StatusOr<std::string> queue_url =
      co_await RunOperation<std::string>(op, [this, &config]() -> sim::StatusOr<std::string> {
        if (sqs_ == nullptr) return Invalid("no SQS service is configured for event source mappings");
        SIM_RETURN_IF_ERROR(model_->GetFunction(config.function_name).status());
        return EventSourceMapping::Validate(config, env_.account());
      });
  if (!queue_url.ok()) co_return queue_url.status();

  // The queue must exist, and its visibility timeout must cover the
  // function's timeout (services-sqs-configure.html).
  sqs::GetQueueAttributesRequest attributes_request;
  attributes_request.queue_url = *queue_url;
  attributes_request.attribute_names = {"VisibilityTimeout"};
  sim::StatusOr<sqs::GetQueueAttributesResponse> attributes =
      co_await sqs_->GetQueueAttributes(std::move(attributes_request));
  if (!attributes.ok()) {
    co_return Invalid(
        "Error occurred while ReceiveMessage. SQS Error Code: " + std::string(attributes.status().name()) +
        ". SQS Error Message: " + std::string(attributes.status().message()));
  }
  const Function* fn = model_->Find(config.function_name);
  auto vt = attributes->attributes.find("VisibilityTimeout");
  if (vt != attributes->attributes.end()) {
    const int64_t visibility_s = std::stoll(vt->second);
    if (fn->config.timeout > sim::Seconds(visibility_s)) {
      co_return Invalid("Queue visibility timeout: " + vt->second + " seconds is less than Function timeout: " +
                        std::to_string(fn->config.timeout.WholeSeconds()) + " seconds");
    }
  }
  auto mapping =
      std::make_unique<EventSourceMapping>(env_, *this, *sqs_, std::move(config), model_->NextMappingId(), *queue_url);
  if (mapping->config().enabled) mapping->Start();
  std::string uuid = mapping->uuid();
  mappings_.push_back(std::move(mapping));
  co_return uuid;
}

EventSourceMapping* LambdaApi::FindEventSourceMapping(const std::string& uuid) {
  for (const auto& m : mappings_)
    if (m->uuid() == uuid) return m.get();
  return nullptr;
}

sim::Status LambdaApi::DisableEventSourceMapping(const std::string& uuid) {
  EventSourceMapping* m = FindEventSourceMapping(uuid);
  if (m == nullptr) return AwsError(errors::kResourceNotFoundException, "Event source mapping not found: " + uuid);
  m->Disable();
  return sim::OkStatus();
}

sim::Status LambdaApi::EnableEventSourceMapping(const std::string& uuid) {
  EventSourceMapping* m = FindEventSourceMapping(uuid);
  if (m == nullptr) return AwsError(errors::kResourceNotFoundException, "Event source mapping not found: " + uuid);
  if (m->enabled()) return sim::OkStatus();
  if (m->live_pollers() > 0) {
    return AwsError(errors::kResourceInUseException,
                    "Cannot update the event source mapping because it is in use (pollers still draining)");
  }
  m->Start();
  return sim::OkStatus();
}

void LambdaApi::StopEventSourceMappings() {
  for (const auto& m : mappings_) m->Stop();
}

// --- queries ---------------------------------------------------------------------

const FunctionStats* LambdaApi::Stats(const std::string& function_name) const {
  const Function* fn = model_->Find(function_name);
  return fn == nullptr ? nullptr : &fn->stats;
}

int LambdaApi::Environments(const std::string& function_name) const {
  const Function* fn = model_->Find(function_name);
  return fn == nullptr ? 0 : LambdaModel::Environments(*fn);
}

int LambdaApi::IdleEnvironments(const std::string& function_name) const {
  const Function* fn = model_->Find(function_name);
  return fn == nullptr ? 0 : static_cast<int>(fn->idle.size());
}

}  // namespace emu::lambda
