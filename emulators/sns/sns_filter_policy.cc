#include "emulators/sns/sns_filter_policy.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "emulators/common/aws_error.h"
#include "emulators/sns/sns_errors.h"

namespace emu::sns {

namespace {

using Json = nlohmann::json;

sim::Status Invalid(const std::string& why) { return AwsError(errors::kInvalidParameter, "Invalid parameter: " + why); }
sim::Status InvalidPolicy(const std::string& why) { return Invalid("FilterPolicy: " + why); }
// AWS prefixes the numeric-operand errors with "Attributes Reason:".
sim::Status InvalidNumeric(const std::string& why) { return Invalid("Attributes Reason: FilterPolicy: " + why); }

// A value of a message attribute or a leaf of the message body.
struct Scalar {
  enum class Type { kString, kNumber, kBool, kNull } type = Type::kNull;
  std::string text;
  double number = 0;
  bool flag = false;
};

struct Condition {
  enum class Kind {
    kString,
    kNumber,
    kBool,
    kNull,
    kPrefix,
    kSuffix,
    kEqualsIgnoreCase,
    kAnythingBut,
    kAnythingButPrefix,
    kAnythingButSuffix,
    kNumeric,
    kExists,
    kCidr,
  };
  Kind kind = Kind::kNull;
  std::string text;  // string, prefix, suffix, lower-cased equals-ignore-case
  double number = 0;
  bool flag = false;                                // bool literal, exists
  std::vector<std::string> strings;                 // anything-but
  std::vector<double> numbers;                      // anything-but
  std::vector<std::pair<std::string, double>> ops;  // numeric: (operator, operand)
  uint32_t network = 0;                             // cidr
  uint32_t mask = 0;
};

struct KeyRule {
  std::vector<std::string> path;  // one key for attributes, nested keys for the body
  std::vector<Condition> any_of;
};

struct Node {
  std::vector<KeyRule> all_of;
  std::vector<std::vector<Node>> ors;  // each group: one alternative must match
};

std::string Lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// Numbers compare with five digits after the decimal point (AWS's accuracy).
double Fixed(double x) { return std::round(x * 1e5); }

bool ParseNumber(std::string_view s, double& out) {
  if (s.empty()) return false;
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, out);
  return ec == std::errc() && ptr == end && std::isfinite(out);
}

bool ParseIpv4(std::string_view s, uint32_t& out) {
  out = 0;
  int parts = 0;
  std::size_t i = 0;
  while (parts < 4) {
    std::size_t j = i;
    uint32_t octet = 0;
    while (j < s.size() && s[j] >= '0' && s[j] <= '9' && j - i < 3)
      octet = octet * 10 + static_cast<uint32_t>(s[j++] - '0');
    if (j == i || octet > 255) return false;
    out = (out << 8) | octet;
    ++parts;
    i = j;
    if (parts < 4) {
      if (i >= s.size() || s[i] != '.') return false;
      ++i;
    }
  }
  return i == s.size();
}

sim::Status CheckRange(double x) {
  if (x < -1e9 || x > 1e9) return InvalidPolicy("Numeric values must be between -1000000000 and 1000000000");
  return sim::OkStatus();
}

sim::Status ParseNumeric(const Json& operands, Condition& c) {
  if (!operands.is_array() || operands.empty()) return InvalidNumeric("Invalid member in numeric match: ]");
  std::size_t i = 0;
  while (i < operands.size()) {
    const Json& op = operands[i];
    if (!op.is_string()) return InvalidNumeric("Invalid member in numeric match: " + op.dump());
    const std::string name = op.get<std::string>();
    const bool first = i == 0;
    if (first && name != "<" && name != "<=" && name != "=" && name != ">" && name != ">=") {
      return InvalidNumeric("Unrecognized numeric range operator: " + name);
    }
    if (!first) {
      if (i > 2 || (c.ops[0].first != ">" && c.ops[0].first != ">=")) {
        return InvalidNumeric("Too many elements in numeric expression");
      }
      if (name != "<" && name != "<=") return InvalidNumeric("Bad numeric range operator: " + name);
    }
    if (i + 1 >= operands.size() || !operands[i + 1].is_number()) {
      return InvalidNumeric("Value of " + name + " must be numeric");
    }
    const double v = operands[i + 1].get<double>();
    SIM_RETURN_IF_ERROR(CheckRange(v));
    if (!first && v <= c.ops[0].second) return InvalidNumeric("Bottom must be less than top");
    c.ops.emplace_back(name, v);
    i += 2;
  }
  return sim::OkStatus();
}

sim::Status ParseAnythingBut(const Json& v, Condition& c) {
  c.kind = Condition::Kind::kAnythingBut;
  if (v.is_object()) {
    if (v.size() == 1 && v.contains("prefix") && v["prefix"].is_string()) {
      c.kind = Condition::Kind::kAnythingButPrefix;
      c.text = v["prefix"].get<std::string>();
      return sim::OkStatus();
    }
    if (v.size() == 1 && v.contains("suffix") && v["suffix"].is_string()) {
      c.kind = Condition::Kind::kAnythingButSuffix;
      c.text = v["suffix"].get<std::string>();
      return sim::OkStatus();
    }
    return InvalidPolicy("Unsupported anything-but pattern: " + v.dump());
  }
  const auto add = [&c](const Json& e) -> sim::Status {
    if (e.is_string()) {
      c.strings.push_back(e.get<std::string>());
    } else if (e.is_number()) {
      c.numbers.push_back(e.get<double>());
      SIM_RETURN_IF_ERROR(CheckRange(c.numbers.back()));
    } else {
      return InvalidPolicy("Value of anything-but must be an array or single string/number value.");
    }
    return sim::OkStatus();
  };
  if (v.is_array()) {
    if (v.empty()) return InvalidPolicy("Empty arrays are not allowed");
    for (const Json& e : v) SIM_RETURN_IF_ERROR(add(e));
    return sim::OkStatus();
  }
  return add(v);
}

sim::StatusOr<Condition> ParseCondition(const Json& v) {
  Condition c;
  if (v.is_string()) {
    c.kind = Condition::Kind::kString;
    c.text = v.get<std::string>();
    return c;
  }
  if (v.is_number()) {
    c.kind = Condition::Kind::kNumber;
    c.number = v.get<double>();
    SIM_RETURN_IF_ERROR(CheckRange(c.number));
    return c;
  }
  if (v.is_boolean()) {
    c.kind = Condition::Kind::kBool;
    c.flag = v.get<bool>();
    return c;
  }
  if (v.is_null()) return c;
  if (!v.is_object() || v.size() != 1) {
    return InvalidPolicy("Match value must be String, number, true, false, or null");
  }
  const std::string& op = v.begin().key();
  const Json& operand = v.begin().value();
  if (op == "prefix" || op == "suffix" || op == "equals-ignore-case") {
    if (!operand.is_string()) return InvalidPolicy(op + " match pattern must be a string");
    c.kind = op == "prefix"   ? Condition::Kind::kPrefix
             : op == "suffix" ? Condition::Kind::kSuffix
                              : Condition::Kind::kEqualsIgnoreCase;
    c.text = op == "equals-ignore-case" ? Lower(operand.get<std::string>()) : operand.get<std::string>();
    return c;
  }
  if (op == "exists") {
    if (!operand.is_boolean()) return InvalidPolicy("exists match pattern must be either true or false.");
    c.kind = Condition::Kind::kExists;
    c.flag = operand.get<bool>();
    return c;
  }
  if (op == "numeric") {
    c.kind = Condition::Kind::kNumeric;
    SIM_RETURN_IF_ERROR(ParseNumeric(operand, c));
    return c;
  }
  if (op == "anything-but") {
    SIM_RETURN_IF_ERROR(ParseAnythingBut(operand, c));
    return c;
  }
  if (op == "cidr") {
    const std::string cidr = operand.is_string() ? operand.get<std::string>() : "";
    const std::size_t slash = cidr.find('/');
    if (slash == std::string::npos) return InvalidPolicy("Malformed CIDR, one '/' required");
    int bits = -1;
    const std::string_view len = std::string_view(cidr).substr(slash + 1);
    auto [ptr, ec] = std::from_chars(len.data(), len.data() + len.size(), bits);
    if (!ParseIpv4(std::string_view(cidr).substr(0, slash), c.network) || ec != std::errc() ||
        ptr != len.data() + len.size() || bits < 0 || bits > 32) {
      return InvalidPolicy("Nonstandard IP address: " + cidr);
    }
    c.kind = Condition::Kind::kCidr;
    c.mask = bits == 0 ? 0 : ~uint32_t{0} << (32 - bits);
    c.network &= c.mask;
    return c;
  }
  return InvalidPolicy("Unrecognized match type " + op);
}

uint64_t SaturatingMul(uint64_t a, uint64_t b) {
  if (a != 0 && b > UINT64_MAX / a) return UINT64_MAX;
  return a * b;
}

// Compiles one object level. `combinations` is multiplied, per AWS's rule,
// by (values x nesting depth) of each array; "$or" adds its alternatives.
sim::Status Compile(const Json& object, const std::vector<std::string>& prefix, uint64_t depth, FilterPolicyScope scope,
                    Node& out, uint64_t& combinations) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    const std::string& key = it.key();
    const Json& value = it.value();
    if (key == "$or") {
      if (!value.is_array() || value.size() < 2) return InvalidPolicy("$or must be an array of at least 2 objects");
      std::vector<Node> alternatives;
      uint64_t sum = 0;
      for (const Json& alt : value) {
        if (!alt.is_object()) return InvalidPolicy("$or must be an array of at least 2 objects");
        Node node;
        uint64_t alt_combinations = 1;
        SIM_RETURN_IF_ERROR(Compile(alt, prefix, depth, scope, node, alt_combinations));
        sum = std::min<uint64_t>(UINT64_MAX / 2, sum + alt_combinations);
        alternatives.push_back(std::move(node));
      }
      combinations = SaturatingMul(combinations, sum);
      out.ors.push_back(std::move(alternatives));
      continue;
    }
    std::vector<std::string> path = prefix;
    path.push_back(key);
    if (value.is_object()) {
      if (scope == FilterPolicyScope::kMessageAttributes) {
        return Invalid("Filter policy scope MessageAttributes does not support nested filter policy");
      }
      SIM_RETURN_IF_ERROR(Compile(value, path, depth + 1, scope, out, combinations));
    } else if (value.is_array()) {
      if (value.empty()) return InvalidPolicy("Empty arrays are not allowed");
      KeyRule rule;
      rule.path = std::move(path);
      for (const Json& v : value) {
        SIM_ASSIGN_OR_RETURN(Condition c, ParseCondition(v));
        rule.any_of.push_back(std::move(c));
      }
      combinations = SaturatingMul(combinations, SaturatingMul(value.size(), depth));
      out.all_of.push_back(std::move(rule));
    } else {
      return InvalidPolicy("\"" + key + "\" must be an object or an array");
    }
  }
  return sim::OkStatus();
}

bool ToScalar(const Json& j, Scalar& s) {
  if (j.is_string()) {
    s.type = Scalar::Type::kString;
    s.text = j.get<std::string>();
  } else if (j.is_number()) {
    s.type = Scalar::Type::kNumber;
    s.number = j.get<double>();
  } else if (j.is_boolean()) {
    s.type = Scalar::Type::kBool;
    s.flag = j.get<bool>();
  } else if (j.is_null()) {
    s.type = Scalar::Type::kNull;
  } else {
    return false;
  }
  return true;
}

// Leaves at `path` below `j`; arrays on the way and at the leaf fan out.
void CollectBody(const Json& j, const std::vector<std::string>& path, std::size_t at, std::vector<Scalar>& out) {
  if (j.is_array()) {
    for (const Json& e : j) CollectBody(e, path, at, out);
    return;
  }
  if (at == path.size()) {
    Scalar s;
    if (ToScalar(j, s)) out.push_back(std::move(s));
    return;
  }
  if (!j.is_object()) return;
  auto it = j.find(path[at]);
  if (it != j.end()) CollectBody(*it, path, at + 1, out);
}

bool InList(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

bool MatchesScalar(const Condition& c, const Scalar& s) {
  using K = Condition::Kind;
  using T = Scalar::Type;
  const bool is_string = s.type == T::kString;
  const bool is_number = s.type == T::kNumber;
  switch (c.kind) {
    case K::kString:
      return is_string && s.text == c.text;
    case K::kNumber:
      return is_number && Fixed(s.number) == Fixed(c.number);
    case K::kBool:
      return s.type == T::kBool && s.flag == c.flag;
    case K::kNull:
      return s.type == T::kNull;
    case K::kPrefix:
      return is_string && s.text.starts_with(c.text);
    case K::kSuffix:
      return is_string && s.text.ends_with(c.text);
    case K::kEqualsIgnoreCase:
      return is_string && Lower(s.text) == c.text;
    case K::kAnythingBut:
      if (is_string) return !InList(c.strings, s.text);
      if (is_number) {
        for (const double n : c.numbers)
          if (Fixed(n) == Fixed(s.number)) return false;
      }
      return true;
    case K::kAnythingButPrefix:
      return is_string && !s.text.starts_with(c.text);
    case K::kAnythingButSuffix:
      return is_string && !s.text.ends_with(c.text);
    case K::kNumeric:
      if (!is_number) return false;
      for (const auto& [op, operand] : c.ops) {
        const double a = Fixed(s.number);
        const double b = Fixed(operand);
        const bool ok = op == "=" ? a == b : op == "<" ? a < b : op == "<=" ? a <= b : op == ">" ? a > b : a >= b;
        if (!ok) return false;
      }
      return true;
    case K::kCidr: {
      uint32_t ip = 0;
      return is_string && ParseIpv4(s.text, ip) && (ip & c.mask) == c.network;
    }
    case K::kExists:
      return false;  // decided per key in MatchesRule
  }
  return false;
}

bool MatchesRule(const KeyRule& rule, const std::vector<Scalar>& values) {
  const bool present = !values.empty();
  for (const Condition& c : rule.any_of) {
    if (c.kind == Condition::Kind::kExists) {
      if (c.flag == present) return true;
      continue;
    }
    for (const Scalar& s : values)
      if (MatchesScalar(c, s)) return true;
  }
  return false;
}

// `lookup(path)` returns the values at a key path.
template <typename Lookup>
bool MatchesNode(const Node& node, const Lookup& lookup) {
  for (const KeyRule& rule : node.all_of) {
    if (!MatchesRule(rule, lookup(rule.path))) return false;
  }
  for (const std::vector<Node>& group : node.ors) {
    bool any = false;
    for (const Node& alt : group) {
      if (MatchesNode(alt, lookup)) {
        any = true;
        break;
      }
    }
    if (!any) return false;
  }
  return true;
}

}  // namespace

struct FilterPolicy::Compiled {
  Node root;
};

sim::StatusOr<FilterPolicyScope> ParseFilterPolicyScope(std::string_view value) {
  if (value == "MessageAttributes") return FilterPolicyScope::kMessageAttributes;
  if (value == "MessageBody") return FilterPolicyScope::kMessageBody;
  return Invalid("Attributes Reason: FilterPolicyScope: Invalid value [" + std::string(value) +
                 "]. Please use either MessageBody or MessageAttributes");
}

std::string_view FilterPolicyScopeName(FilterPolicyScope scope) {
  return scope == FilterPolicyScope::kMessageBody ? "MessageBody" : "MessageAttributes";
}

sim::StatusOr<FilterPolicy> FilterPolicy::Parse(std::string_view json, FilterPolicyScope scope) {
  if (json.size() > kMaxFilterPolicyBytes) {
    return InvalidPolicy("Filter policy must be at most " + std::to_string(kMaxFilterPolicyBytes) + " bytes");
  }
  const Json policy = Json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (policy.is_discarded()) return InvalidPolicy("failed to parse JSON.");
  if (!policy.is_object()) return InvalidPolicy("Filter policy must be a JSON object");
  if (policy.size() > kMaxFilterPolicyKeys) return InvalidPolicy("Filter policy can not have more than 5 keys");
  auto compiled = std::make_shared<Compiled>();
  uint64_t combinations = 1;
  SIM_RETURN_IF_ERROR(Compile(policy, {}, 1, scope, compiled->root, combinations));
  if (combinations > kMaxFilterPolicyCombinations) return InvalidPolicy("Filter policy is too complex");
  FilterPolicy out;
  out.scope_ = scope;
  out.compiled_ = std::move(compiled);
  return out;
}

bool FilterPolicy::MatchesAttributes(const std::map<std::string, std::string>& values,
                                     const std::map<std::string, std::string>& types) const {
  const auto lookup = [&values, &types](const std::vector<std::string>& path) {
    std::vector<Scalar> out;
    auto it = values.find(path.front());
    if (path.size() != 1 || it == values.end()) return out;
    auto t = types.find(path.front());
    const std::string type = t == types.end() ? "String" : t->second;
    if (type == "String.Array") {
      const Json array = Json::parse(it->second, nullptr, /*allow_exceptions=*/false);
      if (!array.is_array()) return out;
      for (const Json& e : array) {
        Scalar s;
        if (ToScalar(e, s)) out.push_back(std::move(s));
      }
    } else if (type == "Number" || type.starts_with("Number.")) {
      Scalar s;
      s.type = Scalar::Type::kNumber;
      if (ParseNumber(it->second, s.number)) out.push_back(std::move(s));
    } else if (type == "String" || type.starts_with("String.")) {
      Scalar s;
      s.type = Scalar::Type::kString;
      s.text = it->second;
      out.push_back(std::move(s));
    }
    return out;  // Binary: never compared
  };
  return MatchesNode(compiled_->root, lookup);
}

bool FilterPolicy::MatchesBody(std::string_view body) const {
  const Json j = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return false;
  const auto lookup = [&j](const std::vector<std::string>& path) {
    std::vector<Scalar> out;
    CollectBody(j, path, 0, out);
    return out;
  };
  return MatchesNode(compiled_->root, lookup);
}

}  // namespace emu::sns
