#include "emulators/common/behaviour.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "sim/distributions.h"

namespace emu {

sim::Duration LatencySpec::Sample(sim::Rng& rng) const {
  double s = 0;
  switch (kind) {
    case Kind::kZero: return sim::Duration::Zero();
    case Kind::kConstant: s = a; break;
    case Kind::kUniform: s = sim::UniformDist{a, b}.Sample(rng); break;
    case Kind::kExponential: s = sim::ExponentialDist{a}.Sample(rng); break;
    case Kind::kLogNormal: s = sim::LogNormalDist::FromMeanStddev(a, b).Sample(rng); break;
    case Kind::kHeavyTail:
      s = rng.NextDouble() < c ? sim::ParetoDist{d, e}.Sample(rng)
                               : sim::LogNormalDist::FromMeanStddev(a, b).Sample(rng);
      break;
  }
  return sim::SecondsF(std::max(0.0, s));
}

sim::StatusOr<LatencySpec> LatencySpec::Parse(std::string_view text) {
  const std::string t(text);
  if (t == "zero") return Zero();
  const std::size_t open = t.find('(');
  if (open == std::string::npos || t.back() != ')') {
    return sim::InvalidArgumentError("latency '" + t + "': expected zero, constant(s), uniform(lo,hi), "
                                     "exponential(mean), lognormal(mean,stddev) or "
                                     "heavytail(mean,stddev,tail_probability,tail_scale,tail_shape)");
  }
  const std::string kind = t.substr(0, open);
  const std::string args = t.substr(open + 1, t.size() - open - 2);
  double x = 0, y = 0, p = 0, scale = 0, shape = 0;
  const int n = std::sscanf(args.c_str(), "%lf,%lf,%lf,%lf,%lf", &x, &y, &p, &scale, &shape);
  auto bad = [&](const char* why) { return sim::InvalidArgumentError("latency '" + t + "': " + why); };
  if (n < 1 || x < 0 || y < 0) return bad("arguments must be non-negative seconds");
  if (kind == "heavytail" && n == 5) {
    if (x <= 0) return bad("heavytail needs a positive mean");
    if (p < 0 || p > 1) return bad("heavytail's tail probability must be in [0, 1]");
    if (scale <= 0 || shape <= 0) return bad("heavytail's tail scale and shape must be positive");
    return HeavyTail(x, y, p, scale, shape);
  }
  if (n > 2) return bad("unknown kind or wrong number of arguments");
  if (kind == "constant" && n == 1) return Constant(x);
  if (kind == "exponential" && n == 1) return Exponential(x);
  if (kind == "uniform" && n == 2) {
    if (y < x) return bad("uniform needs lo <= hi");
    return Uniform(x, y);
  }
  if (kind == "lognormal" && n == 2) {
    if (x <= 0) return bad("lognormal needs a positive mean");
    return LogNormal(x, y);
  }
  return bad("unknown kind or wrong number of arguments");
}

std::string LatencySpec::ToString() const {
  char buf[160];
  switch (kind) {
    case Kind::kZero: return "zero";
    case Kind::kConstant: std::snprintf(buf, sizeof buf, "constant(%g)", a); break;
    case Kind::kUniform: std::snprintf(buf, sizeof buf, "uniform(%g,%g)", a, b); break;
    case Kind::kExponential: std::snprintf(buf, sizeof buf, "exponential(%g)", a); break;
    case Kind::kLogNormal: std::snprintf(buf, sizeof buf, "lognormal(%g,%g)", a, b); break;
    case Kind::kHeavyTail: std::snprintf(buf, sizeof buf, "heavytail(%g,%g,%g,%g,%g)", a, b, c, d, e); break;
  }
  return buf;
}

Operation::Operation(Env& env, std::string service, std::string name, std::string price_item)
    : env_(env),
      service_(std::move(service)),
      name_(std::move(name)),
      price_item_(std::move(price_item)),
      latency_rng_(env.Stream(service_ + "." + name_ + ".latency")),
      fault_rng_(env.Stream(service_ + "." + name_ + ".faults")),
      requests_(env.metrics().GetCounter(service_ + "." + name_ + ".requests")),
      errors_(env.metrics().GetCounter(service_ + "." + name_ + ".errors")),
      throttles_(env.metrics().GetCounter(service_ + "." + name_ + ".throttles")),
      latency_ns_(env.metrics().GetHistogram(service_ + "." + name_ + ".latency_ns")) {
  if (!price_item_.empty()) billed_requests_ = &env.cost().UsageSlot(service_, price_item_);
}

Operation::Draw Operation::Begin() {
  ++calls_;
  requests_.Add();
  if (billed_requests_) *billed_requests_ += 1;
  Draw d;
  if (!env_.zero_latency()) d.latency = latency.Sample(latency_rng_);
  const sim::Time now = env_.Now();
  for (const FaultSpec& f : faults) {
    const bool nth = std::binary_search(f.fail_calls.begin(), f.fail_calls.end(), calls_);
    const bool in_window = now >= f.from && now < f.until;
    // Draw only when a rate applies, so adding a window elsewhere in time
    // does not shift this operation's draws.
    if (nth || (in_window && f.error_rate > 0 && fault_rng_.NextDouble() < f.error_rate)) {
      d.error = AwsError(*f.error, "injected fault in " + service_ + "." + name_);
      return d;
    }
  }
  if (throttle) d.error = throttle();
  return d;
}

void Operation::End(const sim::Status& result, sim::Duration latency) {
  latency_ns_.Record(latency.nanos());
  if (!result.ok()) {
    errors_.Add();
    if (IsThrottlingError(result)) throttles_.Add();
  }
}

Operation& ServiceBehaviour::Declare(const std::string& op, const std::string& price_item) {
  auto& slot = ops_[op];
  SIM_CHECK_MSG(!slot, "operation declared twice: " << service_ << "." << op);
  slot = std::make_unique<Operation>(env_, service_, op, price_item);
  return *slot;
}

Operation* ServiceBehaviour::Find(const std::string& op) {
  auto it = ops_.find(op);
  return it == ops_.end() ? nullptr : it->second.get();
}

Operation& ServiceBehaviour::Get(const std::string& op) {
  Operation* o = Find(op);
  SIM_CHECK_MSG(o != nullptr, "unknown operation " << service_ << "." << op);
  return *o;
}

std::vector<std::string> ServiceBehaviour::OperationNames() const {
  std::vector<std::string> names;
  for (const auto& [name, op] : ops_) names.push_back(name);
  return names;
}

void ServiceBehaviour::SetLatency(const LatencySpec& spec) {
  for (auto& [name, op] : ops_) op->latency = spec;
}

}  // namespace emu
