#pragma once

// SNS subscription filter policies
// (https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html).
// Parse validates a FilterPolicy JSON for a FilterPolicyScope and compiles it;
// errors are InvalidParameter with AWS's messages. A compiled policy matches
// either a message's typed attributes (scope MessageAttributes) or the keys of
// its JSON body, nested keys included (scope MessageBody). Supported: exact
// strings, numbers, true/false/null, prefix, suffix, equals-ignore-case,
// anything-but (values, prefix, suffix), numeric (=, <, <=, >, >= and ranges),
// exists, IPv4 cidr, OR of the values of a key, AND across keys, "$or".
// The compiled form lives in the .cc (the JSON library stays private); a
// FilterPolicy is a cheap, copyable handle to it.

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "sim/status.h"

namespace emu::sns {

inline constexpr std::size_t kMaxFilterPolicyBytes = 256 * 1024;
inline constexpr std::size_t kMaxFilterPolicyKeys = 5;
inline constexpr std::size_t kMaxFilterPolicyCombinations = 150;

enum class FilterPolicyScope { kMessageAttributes, kMessageBody };

// "MessageAttributes" / "MessageBody"; InvalidParameter otherwise.
sim::StatusOr<FilterPolicyScope> ParseFilterPolicyScope(std::string_view value);
std::string_view FilterPolicyScopeName(FilterPolicyScope scope);

class FilterPolicy {
 public:
  struct Compiled;

  // InvalidParameter: bad JSON, not an object, > 256 KiB, > 5 keys, > 150
  // combinations, nested keys under scope MessageAttributes, unknown
  // operators, malformed operands.
  static sim::StatusOr<FilterPolicy> Parse(std::string_view json, FilterPolicyScope scope);

  // values: attribute name -> value; types: name -> DataType ("String" when
  // absent; "Number", "String.Array", "Binary", optionally with a custom
  // ".suffix"). Binary attributes are never compared.
  bool MatchesAttributes(const std::map<std::string, std::string>& values,
                         const std::map<std::string, std::string>& types) const;
  // A body that is not a JSON object matches nothing.
  bool MatchesBody(std::string_view body) const;

  FilterPolicyScope scope() const { return scope_; }

 private:
  FilterPolicyScope scope_ = FilterPolicyScope::kMessageAttributes;
  std::shared_ptr<const Compiled> compiled_;
};

}  // namespace emu::sns
