#include "emulators/lambda/event_filter.h"

#include <algorithm>
#include <cctype>

#include "emulators/lambda/lambda_errors.h"

namespace emu::lambda {

namespace {

using nlohmann::json;

sim::Status Invalid(const std::string& why) {
  return AwsError(errors::kInvalidParameterValueException, "Invalid filter pattern definition. " + why);
}

sim::Status ValidatePattern(const json& p);

sim::Status ValidateMatcher(const json& m) {
  if (m.is_primitive()) return sim::OkStatus();
  if (!m.is_object() || m.size() != 1) return Invalid("A matcher is a value or an object with one operator.");
  const auto first = m.begin();
  const std::string& op = first.key();
  const json& arg = first.value();
  if (op == "prefix" || op == "suffix" || op == "equals-ignore-case") {
    if (!arg.is_string()) return Invalid("'" + op + "' takes a string.");
  } else if (op == "exists") {
    if (!arg.is_boolean()) return Invalid("'exists' takes true or false.");
  } else if (op == "anything-but") {
    if (arg.is_object() && !(arg.size() == 1 && arg.contains("prefix") && arg["prefix"].is_string())) {
      return Invalid("'anything-but' takes a value, a list or {\"prefix\": ...}.");
    }
  } else if (op == "numeric") {
    if (!arg.is_array() || arg.empty() || arg.size() % 2 != 0 || arg.size() > 4) {
      return Invalid("'numeric' takes [op, number] or [op, number, op, number].");
    }
    for (std::size_t i = 0; i < arg.size(); i += 2) {
      const json& o = arg[i];
      if (!o.is_string() || !arg[i + 1].is_number()) return Invalid("'numeric' takes [op, number, ...].");
      const std::string s = o.get<std::string>();
      if (s != "=" && s != "<" && s != "<=" && s != ">" && s != ">=") return Invalid("Unknown numeric operator " + s);
    }
  } else {
    return Invalid("Unknown operator '" + op + "'.");
  }
  return sim::OkStatus();
}

sim::Status ValidatePattern(const json& p) {
  if (!p.is_object() || p.empty()) return Invalid("A pattern is a non-empty JSON object.");
  for (const auto& [key, value] : p.items()) {
    if (value.is_object()) {
      SIM_RETURN_IF_ERROR(ValidatePattern(value));
    } else if (value.is_array()) {
      if (value.empty()) return Invalid("Empty array for '" + key + "'.");
      for (const json& m : value) SIM_RETURN_IF_ERROR(ValidateMatcher(m));
    } else {
      return Invalid("The value of '" + key + "' must be an object or an array.");
    }
  }
  return sim::OkStatus();
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool NumericHolds(const json& spec, double v) {
  for (std::size_t i = 0; i < spec.size(); i += 2) {
    const std::string op = spec[i].get<std::string>();
    const double n = spec[i + 1].get<double>();
    const bool ok = op == "=" ? v == n : op == "<" ? v < n : op == "<=" ? v <= n : op == ">" ? v > n : v >= n;
    if (!ok) return false;
  }
  return true;
}

bool ScalarEquals(const json& m, const json& v) {
  if (m.is_number() && v.is_number()) return m.get<double>() == v.get<double>();
  return m == v;
}

// One matcher against one present scalar value.
bool MatchScalar(const json& m, const json& v) {
  if (m.is_primitive()) return ScalarEquals(m, v);
  const auto first = m.begin();
  const std::string& op = first.key();
  const json& arg = first.value();
  if (op == "exists") return arg.get<bool>();
  if (op == "prefix") return v.is_string() && v.get<std::string>().starts_with(arg.get<std::string>());
  if (op == "suffix") return v.is_string() && v.get<std::string>().ends_with(arg.get<std::string>());
  if (op == "equals-ignore-case") return v.is_string() && Lower(v.get<std::string>()) == Lower(arg.get<std::string>());
  if (op == "numeric") return v.is_number() && NumericHolds(arg, v.get<double>());
  // anything-but
  if (arg.is_array()) {
    return std::none_of(arg.begin(), arg.end(), [&v](const json& a) { return ScalarEquals(a, v); });
  }
  if (arg.is_object()) return !(v.is_string() && v.get<std::string>().starts_with(arg["prefix"].get<std::string>()));
  return !ScalarEquals(arg, v);
}

bool MatchLeaf(const json& matchers, const json* value) {
  for (const json& m : matchers) {
    if (value == nullptr) {
      if (m.is_object() && m.contains("exists") && !m["exists"].get<bool>()) return true;
      continue;
    }
    if (m.is_object() && m.contains("exists")) {
      if (m["exists"].get<bool>()) return true;
      continue;
    }
    if (value->is_array()) {
      for (const json& e : *value)
        if (!e.is_structured() && MatchScalar(m, e)) return true;
    } else if (!value->is_structured() && MatchScalar(m, *value)) {
      return true;
    }
  }
  return false;
}

bool MatchObject(const json& pattern, const json& event) {
  for (const auto& [key, p] : pattern.items()) {
    const json* value = nullptr;
    if (event.is_object()) {
      auto it = event.find(key);
      if (it != event.end()) value = &*it;
    }
    if (p.is_object()) {
      if (value == nullptr || !value->is_object() || !MatchObject(p, *value)) return false;
    } else if (!MatchLeaf(p, value)) {
      return false;
    }
  }
  return true;
}

}  // namespace

sim::StatusOr<EventFilter> EventFilter::Parse(const std::string& pattern) {
  json p = json::parse(pattern, nullptr, false);
  if (p.is_discarded()) return Invalid("The pattern is not valid JSON: " + pattern);
  SIM_RETURN_IF_ERROR(ValidatePattern(p));
  return EventFilter(std::move(p));
}

bool EventFilter::Matches(const json& record) const { return MatchObject(pattern_, record); }

bool AnyFilterMatches(const std::vector<EventFilter>& filters, const json& record) {
  if (filters.empty()) return true;
  return std::any_of(filters.begin(), filters.end(), [&record](const EventFilter& f) { return f.Matches(record); });
}

}  // namespace emu::lambda
