#pragma once

// Event filtering of an event source mapping (FilterCriteria,
// https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html):
// a filter is an EventBridge-style pattern, a JSON object whose leaves are
// arrays of matchers; a record passes when every key of the pattern
// matches. Matchers: literal strings, numbers, booleans and null; objects
// with "prefix", "suffix", "equals-ignore-case", "anything-but" (a value, a
// list, or {"prefix": ...}), "numeric" ([op, n, op, n]) and "exists". An
// array value in the record matches when any element does. An SQS record is
// filtered as {"messageId", "body" (parsed when it is JSON, else the string),
// "attributes", "messageAttributes" ({name: {"stringValue", "dataType"}}),
// "eventSource": "aws:sqs", "eventSourceARN"}.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/status.h"

namespace emu::lambda {

class EventFilter {
 public:
  // InvalidParameterValueException for a pattern that is not a JSON object
  // or whose leaves are not arrays of known matchers.
  static sim::StatusOr<EventFilter> Parse(const std::string& pattern);
  bool Matches(const nlohmann::json& record) const;

 private:
  explicit EventFilter(nlohmann::json pattern) : pattern_(std::move(pattern)) {}
  nlohmann::json pattern_;
};

// Any filter matches (none configured: everything matches).
bool AnyFilterMatches(const std::vector<EventFilter>& filters, const nlohmann::json& record);

}  // namespace emu::lambda
