#pragma once

// Test helpers: short value constructors and one-call parse + bind +
// evaluate wrappers over the expression API.

#include <string>

#include "emulators/common/aws_error.h"
#include "emulators/dynamodb/expression.h"

namespace emu::dynamodb::testutil {

inline AttributeValue S(std::string s) { return AttributeValue::S(std::move(s)); }
inline AttributeValue N(std::string_view n) { return AttributeValue::N(n); }
inline AttributeValue B(std::string b) { return AttributeValue::B(std::move(b)); }
inline AttributeValue SS(std::vector<std::string> v) { return AttributeValue::SS(std::move(v)); }
inline AttributeValue NS(std::vector<std::string> v) {
  std::vector<Decimal> d;
  for (const auto& s : v) d.push_back(*Decimal::Parse(s));
  return AttributeValue::NS(std::move(d));
}
inline AttributeValue L(AttributeList l) { return AttributeValue::L(std::move(l)); }
inline AttributeValue M(AttributeMap m) { return AttributeValue::M(std::move(m)); }

// "ValidationException: <message>" for an error, "OK" otherwise.
inline std::string Describe(const sim::Status& s) {
  if (s.ok()) return "OK";
  const AwsErrorType* t = AwsErrorOf(s);
  return std::string(t ? t->name : "?") + ": " + std::string(s.message());
}
template <class T>
std::string Describe(const sim::StatusOr<T>& s) {
  return Describe(s.status());
}

inline sim::StatusOr<bool> Check(std::string_view text, const Item* item, const ExpressionAttributeValues& values = {},
                                 const ExpressionAttributeNames* names = nullptr) {
  SIM_ASSIGN_OR_RETURN(auto expr, ParseConditionExpression(text, names));
  SIM_ASSIGN_OR_RETURN(BoundValues bound, BindValues(*expr, &values));
  return EvaluateCondition(*expr, item, bound);
}

inline sim::StatusOr<Item> Update(std::string_view text, Item item, const ExpressionAttributeValues& values = {},
                                  const ExpressionAttributeNames* names = nullptr) {
  SIM_ASSIGN_OR_RETURN(auto expr, ParseUpdateExpression(text, names));
  SIM_ASSIGN_OR_RETURN(BoundValues bound, BindValues(*expr, &values));
  SIM_RETURN_IF_ERROR(ApplyUpdate(*expr, bound, item));
  return item;
}

// Parse (and bind, when values are given) errors of a condition / update.
inline std::string ConditionError(std::string_view text, const ExpressionAttributeValues* values = nullptr,
                                  const ExpressionAttributeNames* names = nullptr) {
  auto expr = ParseConditionExpression(text, names);
  if (!expr.ok()) return Describe(expr);
  if (values == nullptr) return "OK";
  return Describe(BindValues(**expr, values));
}
inline std::string UpdateError(std::string_view text, const ExpressionAttributeValues* values = nullptr,
                               const ExpressionAttributeNames* names = nullptr) {
  auto expr = ParseUpdateExpression(text, names);
  if (!expr.ok()) return Describe(expr);
  if (values == nullptr) return "OK";
  return Describe(BindValues(**expr, values));
}

}  // namespace emu::dynamodb::testutil
