#include "emulators/lambda/lambda_model.h"

#include <algorithm>

#include "emulators/common/account.h"
#include "emulators/common/uuid.h"
#include "emulators/lambda/lambda_errors.h"
#include "sim/check.h"

namespace emu::lambda {

namespace {

bool ValidFunctionName(const std::string& name) {
  if (name.empty() || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

sim::Status Invalid(std::string message) {
  return AwsError(errors::kInvalidParameterValueException, std::move(message));
}

}  // namespace

LambdaModel::LambdaModel(Env& env)
    : env_(env),
      concurrent_gauge_(env.metrics().GetGauge("lambda.concurrent_executions")),
      request_id_rng_(env.Stream("lambda.request_ids")),
      mapping_id_rng_(env.Stream("lambda.event_source_mapping_ids")) {}

sim::Status LambdaModel::ValidateConfig(const FunctionConfig& c) {
  if (!ValidFunctionName(c.function_name)) {
    return Invalid("1 validation error detected: Value '" + c.function_name +
                   "' at 'functionName' failed to satisfy constraint: Member must have length 1..64 and match "
                   "[a-zA-Z0-9-_]+");
  }
  if (c.memory_mb < 128 || c.memory_mb > 10240) {
    return Invalid("1 validation error detected: Value '" + std::to_string(c.memory_mb) +
                   "' at 'memorySize' failed to satisfy constraint: Member must be between 128 and 10240 MB");
  }
  if (c.timeout < sim::Seconds(1) || c.timeout > sim::Seconds(900) ||
      c.timeout % sim::Seconds(1) != sim::Duration::Zero()) {
    return Invalid("1 validation error detected: Value '" + sim::ToString(c.timeout) +
                   "' at 'timeout' failed to satisfy constraint: Member must be a whole number of seconds in 1..900");
  }
  if (c.architecture != "x86_64" && c.architecture != "arm64") {
    return Invalid("1 validation error detected: Value '" + c.architecture +
                   "' at 'architectures' failed to satisfy constraint: Member must be x86_64 or arm64");
  }
  if (c.reserved_concurrency && *c.reserved_concurrency < 0) {
    return Invalid("ReservedConcurrentExecutions must be >= 0");
  }
  if (c.ephemeral_storage_mb < 512 || c.ephemeral_storage_mb > 10240) {
    return Invalid("1 validation error detected: Value '" + std::to_string(c.ephemeral_storage_mb) +
                   "' at 'ephemeralStorage.size' failed to satisfy constraint: Member must have value between 512 "
                   "and 10240");
  }
  if (!c.dead_letter_target_arn.empty()) {
    const std::optional<ParsedArn> arn = Account::ParseArn(c.dead_letter_target_arn);
    if (!arn || (arn->service != "sqs" && arn->service != "sns")) {
      return Invalid("The dead-letter target must be an SQS queue or an SNS topic: " + c.dead_letter_target_arn);
    }
  }
  if (c.idle_reap_after <= sim::Duration::Zero()) return Invalid("idle_reap_after must be positive");
  const ComputeProfile& p = c.compute;
  if (p.ns_per_record < 0 || p.ns_per_byte < 0 || p.fixed_ns < 0) return Invalid("compute costs must be >= 0");
  if (p.parallelism < 1) return Invalid("compute parallelism must be >= 1");
  return sim::OkStatus();
}

sim::StatusOr<Function*> LambdaModel::CreateFunction(FunctionConfig config, Handler handler, int account_limit,
                                                     int unreserved_minimum) {
  SIM_RETURN_IF_ERROR(ValidateConfig(config));
  if (!handler) return Invalid("a function needs a handler");
  if (functions_.count(config.function_name) != 0) {
    return AwsError(errors::kResourceConflictException, "Function already exist: " + config.function_name);
  }
  if (config.reserved_concurrency) {
    const int unreserved_after = account_limit - reserved_total_ - *config.reserved_concurrency;
    if (unreserved_after < unreserved_minimum) {
      return Invalid(
          "Specified ReservedConcurrentExecutions for function decreases account's "
          "UnreservedConcurrentExecution below its minimum value of [" +
          std::to_string(unreserved_minimum) + "].");
    }
  }
  auto fn = std::make_unique<Function>();
  const std::string name = config.function_name;
  const std::string prefix = "lambda." + name + ".";
  fn->arn = env_.account().FunctionArn(name);
  fn->cold_start_rng = env_.Stream(prefix + "cold_start");
  fn->invocations = &env_.metrics().GetCounter(prefix + "invocations");
  fn->errors = &env_.metrics().GetCounter(prefix + "errors");
  fn->timeouts = &env_.metrics().GetCounter(prefix + "timeouts");
  fn->throttles = &env_.metrics().GetCounter(prefix + "throttles");
  fn->cold_starts = &env_.metrics().GetCounter(prefix + "cold_starts");
  fn->async_events_dropped = &env_.metrics().GetCounter(prefix + "async_events_dropped");
  fn->async_events_failed = &env_.metrics().GetCounter(prefix + "async_events_failed");
  fn->async_retries = &env_.metrics().GetCounter(prefix + "async_retries");
  fn->scaling_throttles = &env_.metrics().GetCounter(prefix + "scaling_throttles");
  fn->cold_start_ratio = &env_.metrics().GetGauge(prefix + "cold_start_ratio");
  fn->duration_ns = &env_.metrics().GetHistogram(prefix + "duration_ns");
  fn->concurrent = &env_.metrics().GetGauge(prefix + "concurrent");
  if (config.reserved_concurrency) reserved_total_ += *config.reserved_concurrency;
  fn->config = std::move(config);
  fn->handler = std::move(handler);
  Snapshot(*fn);
  fn->shared_handler = std::make_shared<const Handler>(fn->handler);
  fn->process_name = "lambda:" + name;
  Function* raw = fn.get();
  functions_.emplace(name, std::move(fn));
  return raw;
}

sim::StatusOr<Function*> LambdaModel::GetFunction(const std::string& name) {
  Function* fn = Find(name);
  if (fn == nullptr) {
    return AwsError(errors::kResourceNotFoundException, "Function not found: " + env_.account().FunctionArn(name));
  }
  return fn;
}

Function* LambdaModel::Find(const std::string& name) {
  auto it = functions_.find(name);
  return it == functions_.end() ? nullptr : it->second.get();
}

const Function* LambdaModel::Find(const std::string& name) const {
  auto it = functions_.find(name);
  return it == functions_.end() ? nullptr : it->second.get();
}

sim::Status LambdaModel::AcquireConcurrency(Function& fn, int account_limit) {
  SIM_RETURN_IF_ERROR(CheckConcurrency(fn, account_limit));
  if (!fn.config.reserved_concurrency) {
    ++unreserved_in_use_;
    ++fn.unreserved_held;
  }
  ++concurrent_executions_;
  ++fn.stats.concurrent;
  fn.stats.peak_concurrent = std::max(fn.stats.peak_concurrent, fn.stats.concurrent);
  fn.concurrent->Set(fn.stats.concurrent);
  concurrent_gauge_.Set(concurrent_executions_);
  return sim::OkStatus();
}

sim::Status LambdaModel::CheckConcurrency(Function& fn, int account_limit) {
  const std::optional<int>& reserved = fn.config.reserved_concurrency;
  const bool full = reserved ? fn.stats.concurrent >= *reserved : unreserved_in_use_ >= UnreservedPool(account_limit);
  if (full) {
    ++fn.stats.throttles;
    fn.throttles->Add();
    return AwsError(errors::kTooManyRequestsException,
                    reserved ? "Rate Exceeded. (ReservedFunctionConcurrentInvocationLimitExceeded)"
                             : "Rate Exceeded. (ConcurrentInvocationLimitExceeded)");
  }
  return sim::OkStatus();
}

void LambdaModel::ReleaseConcurrency(Function& fn) {
  SIM_CHECK_MSG(fn.stats.concurrent > 0, "concurrency released twice for " << fn.config.function_name);
  if (fn.unreserved_held > 0) {
    --unreserved_in_use_;
    --fn.unreserved_held;
  }
  --concurrent_executions_;
  --fn.stats.concurrent;
  fn.concurrent->Set(fn.stats.concurrent);
  concurrent_gauge_.Set(concurrent_executions_);
}

sim::Status LambdaModel::UpdateFunctionConfiguration(Function& fn, const UpdateFunctionConfigurationRequest& r) {
  FunctionConfig c = fn.config;
  if (r.memory_mb) c.memory_mb = *r.memory_mb;
  if (r.timeout) c.timeout = *r.timeout;
  if (r.ephemeral_storage_mb) c.ephemeral_storage_mb = *r.ephemeral_storage_mb;
  if (r.dead_letter_target_arn) c.dead_letter_target_arn = *r.dead_letter_target_arn;
  if (r.compute) c.compute = *r.compute;
  if (r.cold_start) c.cold_start = *r.cold_start;
  if (r.idle_reap_after) c.idle_reap_after = *r.idle_reap_after;
  SIM_RETURN_IF_ERROR(ValidateConfig(c));
  fn.config = std::move(c);
  Snapshot(fn);
  fn.first_current_environment_id = fn.next_environment_id;
  return sim::OkStatus();
}

sim::Status LambdaModel::PutFunctionConcurrency(Function& fn, std::optional<int> reserved, int account_limit,
                                                int unreserved_minimum) {
  const int old = fn.config.reserved_concurrency.value_or(0);
  if (reserved) {
    if (*reserved < 0) return Invalid("ReservedConcurrentExecutions must be >= 0");
    const int unreserved_after = account_limit - (reserved_total_ - old) - *reserved;
    if (unreserved_after < unreserved_minimum) {
      return Invalid(
          "Specified ReservedConcurrentExecutions for function decreases account's "
          "UnreservedConcurrentExecution below its minimum value of [" +
          std::to_string(unreserved_minimum) + "].");
    }
  }
  reserved_total_ += reserved.value_or(0) - old;
  fn.config.reserved_concurrency = reserved;
  Snapshot(fn);
  return sim::OkStatus();
}

std::unique_ptr<Function> LambdaModel::DeleteFunction(const std::string& name) {
  auto it = functions_.find(name);
  if (it == functions_.end()) return nullptr;
  std::unique_ptr<Function> fn = std::move(it->second);
  functions_.erase(it);
  reserved_total_ -= fn->config.reserved_concurrency.value_or(0);
  fn->deleted = true;
  return fn;
}

bool LambdaModel::TakeScalingToken(Function& fn, sim::Time now, int rate, sim::Duration window) {
  if (!HasScalingToken(fn, now, rate, window)) return false;
  fn.bucket_level -= window / rate;
  return true;
}

bool LambdaModel::HasScalingToken(Function& fn, sim::Time now, int rate, sim::Duration window) {
  if (rate <= 0) return false;
  if (fn.bucket_level == sim::Duration::Max()) {
    fn.bucket_level = window;  // full at the first use
  } else {
    fn.bucket_level = std::min(window, fn.bucket_level + (now - fn.bucket_at));
  }
  fn.bucket_at = now;
  return fn.bucket_level >= window / rate;
}

sim::StatusOr<LambdaModel::Lease> LambdaModel::Admit(Function& fn, int account_limit, sim::Time now, int rate,
                                                     sim::Duration window) {
  const bool needs_new = fn.idle.empty();
  const bool token = !needs_new || HasScalingToken(fn, now, rate, window);
  SIM_RETURN_IF_ERROR(CheckConcurrency(fn, account_limit));
  if (!token) {
    ++fn.stats.throttles;
    ++fn.stats.scaling_throttles;
    fn.throttles->Add();
    fn.scaling_throttles->Add();
    return AwsError(errors::kTooManyRequestsException,
                    "Rate Exceeded. (the function's scaling rate of new execution environments)");
  }
  if (needs_new) fn.bucket_level -= window / rate;
  SIM_RETURN_IF_ERROR(AcquireConcurrency(fn, account_limit));
  return AcquireEnvironment(fn);
}

LambdaModel::Lease LambdaModel::AcquireEnvironment(Function& fn) {
  Lease lease;
  ++fn.busy_environments;
  if (!fn.idle.empty()) {
    lease.environment_id = fn.idle.back().id;
    lease.reap_timer = fn.idle.back().reap_timer;
    fn.idle.pop_back();
    return lease;
  }
  lease.environment_id = fn.next_environment_id++;
  lease.cold = true;
  return lease;
}

ExecutionEnvironment* LambdaModel::ReleaseEnvironment(Function& fn, uint64_t environment_id, sim::Time now) {
  SIM_CHECK(fn.busy_environments > 0);
  --fn.busy_environments;
  if (environment_id < fn.first_current_environment_id || fn.deleted) return nullptr;  // outdated: gone
  fn.idle.push_back(ExecutionEnvironment{environment_id, now, sim::EventId{}});
  return &fn.idle.back();
}

void LambdaModel::DiscardEnvironment(Function& fn, uint64_t /*environment_id*/) {
  SIM_CHECK(fn.busy_environments > 0);
  --fn.busy_environments;
}

bool LambdaModel::ReapEnvironment(Function& fn, uint64_t environment_id) {
  auto it = std::find_if(fn.idle.begin(), fn.idle.end(),
                         [environment_id](const ExecutionEnvironment& e) { return e.id == environment_id; });
  if (it == fn.idle.end()) return false;
  fn.idle.erase(it);
  return true;
}

sim::Duration LambdaModel::BilledDuration(sim::Duration d) {
  const int64_t ms = sim::Milliseconds(1).nanos();
  if (d <= sim::Duration::Zero()) return sim::Duration::Zero();
  return sim::Duration::FromNanos((d.nanos() + ms - 1) / ms * ms);
}

double LambdaModel::GbSeconds(int memory_mb, sim::Duration billed) {
  return static_cast<double>(memory_mb) / 1024.0 * (static_cast<double>(billed.WholeMillis()) / 1000.0);
}

double LambdaModel::Bill(Function& fn, sim::Duration billed) {
  const double gbs = GbSeconds(fn.config.memory_mb, billed);
  if (fn.request_units == nullptr) {
    fn.request_units = &env_.cost().UsageSlot("lambda", "request");
    fn.compute_units =
        &env_.cost().UsageSlot("lambda", fn.config.architecture == "arm64" ? "compute_arm64" : "compute_x86");
  }
  *fn.request_units += 1;
  *fn.compute_units += gbs;
  fn.stats.billed_gb_seconds += gbs;
  return gbs;
}

std::string LambdaModel::MakeUuid(sim::Rng& rng) { return NewUuidV4(rng); }

}  // namespace emu::lambda
