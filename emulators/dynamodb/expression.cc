// Binding of ExpressionAttributeValues, request-level placeholder checks,
// ReturnValues, and key conditions against a key schema.

#include "emulators/dynamodb/expression.h"

#include <set>

#include "emulators/dynamodb/dynamodb_errors.h"

namespace emu::dynamodb {
namespace {

std::string_view LongTypeName(AttrType t) {
  switch (t) {
    case AttrType::kS:
      return "STRING";
    case AttrType::kN:
      return "NUMBER";
    case AttrType::kB:
      return "BINARY";
    case AttrType::kBool:
      return "BOOLEAN";
    case AttrType::kNull:
      return "NULL";
    case AttrType::kM:
      return "MAP";
    case AttrType::kL:
      return "LIST";
    case AttrType::kSS:
      return "STRING_SET";
    case AttrType::kNS:
      return "NUMBER_SET";
    case AttrType::kBS:
      return "BINARY_SET";
  }
  return "";
}

// "{N:9}" / "{S:a}", as DynamoDB prints a value in BETWEEN messages.
std::string ShortValue(const AttributeValue& v) {
  std::string out = "{" + std::string(AttrTypeName(v.type())) + ":";
  switch (v.type()) {
    case AttrType::kS:
      out += v.s();
      break;
    case AttrType::kN:
      out += v.n().ToString();
      break;
    case AttrType::kB:
      out += Base64Encode(v.b());
      break;
    default:
      out += v.DebugString();
      break;
  }
  return out + "}";
}

bool ValidPlaceholder(std::string_view key, char sigil) {
  if (key.size() < 2 || key[0] != sigil) return false;
  for (size_t i = 1; i < key.size(); ++i) {
    char c = key[i];
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

std::string JoinKeys(const std::vector<std::string>& keys) {
  std::string out = "{";
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i) out += ", ";
    out += keys[i];
  }
  return out + "}";
}

}  // namespace

sim::StatusOr<BoundValues> BindValues(const ParsedExpression& expr, const ExpressionAttributeValues* values) {
  auto error = [&](const std::string& message) {
    return errors::ValidationError("Invalid " + std::string(ExpressionLabel(expr.kind())) + ": " + message);
  };
  BoundValues bound;
  bound.slots.reserve(expr.value_names().size());
  for (const auto& name : expr.value_names()) {
    const AttributeValue* v = nullptr;
    if (values != nullptr) {
      auto it = values->find(name);
      if (it != values->end()) v = &it->second;
    }
    if (v == nullptr)
      return error("An expression attribute value used in expression is not defined; attribute value: " + name);
    bound.slots.push_back(v);
  }
  using Kind = ParsedExpression::ValueCheck::Kind;
  for (const auto& check : expr.value_checks()) {
    const AttributeValue& v = bound[check.slot];
    AttrType t = v.type();
    switch (check.kind) {
      case Kind::kOperandType: {
        bool ok = (check.op == "+" || check.op == "-") ? t == AttrType::kN
                  : check.op == "list_append"          ? t == AttrType::kL
                                                       : (t == AttrType::kS || t == AttrType::kB);  // begins_with
        if (!ok) {
          return error("Incorrect operand type for operator or function; operator or function: " + check.op +
                       ", operand type: " + std::string(AttrTypeName(t)));
        }
        break;
      }
      case Kind::kAdd:
        if (!(t == AttrType::kN || v.IsSet())) {
          return error("Incorrect operand type for operator or function; operator: ADD, operand type: " +
                       std::string(LongTypeName(t)));
        }
        break;
      case Kind::kDelete:
        if (!v.IsSet()) {
          return error("Incorrect operand type for operator or function; operator: DELETE, operand type: " +
                       std::string(LongTypeName(t)));
        }
        break;
      case Kind::kAttributeType: {
        AttrType parsed;
        if (t != AttrType::kS) {
          return error(
              "Incorrect operand type for operator or function; operator or function: attribute_type, "
              "operand type: " +
              std::string(AttrTypeName(t)));
        }
        if (!ParseAttrTypeName(v.s(), &parsed)) {
          return error("Invalid attribute type name found; type: " + v.s() +
                       ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
        }
        break;
      }
      case Kind::kBetween: {
        const AttributeValue& hi = bound[check.slot2];
        if (hi.type() != t) {
          return error(
              "The BETWEEN operator requires same data type for lower and upper bounds; lower bound "
              "operand: AttributeValue: " +
              ShortValue(v) + ", upper bound operand: AttributeValue: " + ShortValue(hi));
        }
        if (LessThan(hi, v)) {
          return error(
              "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower "
              "bound operand: AttributeValue: " +
              ShortValue(v) + ", upper bound operand: AttributeValue: " + ShortValue(hi));
        }
        break;
      }
    }
  }
  return bound;
}

sim::Status ValidateAttributeMaps(const ExpressionAttributeNames* names, const ExpressionAttributeValues* values) {
  if (names != nullptr) {
    if (names->empty()) return errors::ValidationError("ExpressionAttributeNames must not be empty");
    for (const auto& [k, v] : *names) {
      if (!ValidPlaceholder(k, '#')) {
        return errors::ValidationError("ExpressionAttributeNames contains invalid key: Syntax error; key: \"" + k +
                                       "\"");
      }
    }
  }
  if (values != nullptr) {
    if (values->empty()) return errors::ValidationError("ExpressionAttributeValues must not be empty");
    for (const auto& [k, v] : *values) {
      if (!ValidPlaceholder(k, ':')) {
        return errors::ValidationError("ExpressionAttributeValues contains invalid key: Syntax error; key: \"" + k +
                                       "\"");
      }
    }
  }
  return sim::OkStatus();
}

sim::Status CheckUnusedNamesAndValues(std::span<const ParsedExpression* const> exprs,
                                      const ExpressionAttributeNames* names, const ExpressionAttributeValues* values) {
  std::set<std::string, std::less<>> used_names, used_values;
  for (const ParsedExpression* e : exprs) {
    if (e == nullptr) continue;
    used_names.insert(e->used_names().begin(), e->used_names().end());
    used_values.insert(e->value_names().begin(), e->value_names().end());
  }
  if (names != nullptr) {
    std::vector<std::string> unused;
    for (const auto& [k, v] : *names) {
      if (!used_names.contains(k)) unused.push_back(k);
    }
    if (!unused.empty()) {
      return errors::ValidationError("Value provided in ExpressionAttributeNames unused in expressions: keys: " +
                                     JoinKeys(unused));
    }
  }
  if (values != nullptr) {
    std::vector<std::string> unused;
    for (const auto& [k, v] : *values) {
      if (!used_values.contains(k)) unused.push_back(k);
    }
    if (!unused.empty()) {
      return errors::ValidationError("Value provided in ExpressionAttributeValues unused in expressions: keys: " +
                                     JoinKeys(unused));
    }
  }
  return sim::OkStatus();
}

sim::StatusOr<ReturnValues> ParseReturnValues(std::string_view text) {
  if (text == "NONE") return ReturnValues::kNone;
  if (text == "ALL_OLD") return ReturnValues::kAllOld;
  if (text == "UPDATED_OLD") return ReturnValues::kUpdatedOld;
  if (text == "ALL_NEW") return ReturnValues::kAllNew;
  if (text == "UPDATED_NEW") return ReturnValues::kUpdatedNew;
  return errors::ValidationError("1 validation error detected: Value '" + std::string(text) +
                                 "' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value "
                                 "set: [UPDATED_NEW, UPDATED_OLD, ALL_NEW, ALL_OLD, NONE]");
}

namespace {

const KeyPredicate* FindPredicate(const KeyConditionExpression& expr, std::string_view name) {
  for (const auto& p : expr.predicates()) {
    if (p.attribute == name) return &p;
  }
  return nullptr;
}

}  // namespace

sim::Status ValidateKeyCondition(const KeyConditionExpression& expr, const KeySchema& schema,
                                 const BoundValues& values) {
  const KeyPredicate* partition = FindPredicate(expr, schema.partition.name);
  if (partition == nullptr) {
    return errors::ValidationError("Query condition missed key schema element: " + schema.partition.name);
  }
  if (partition->op != SortKeyOp::kEq) return errors::ValidationError("Query key condition not supported");
  auto type_mismatch = [] {
    return errors::ValidationError(
        "One or more parameter values were invalid: Condition parameter type does not match schema type");
  };
  if (values[partition->slot1].type() != schema.partition.type) return type_mismatch();
  for (const auto& p : expr.predicates()) {
    if (&p == partition) continue;
    if (!schema.sort || p.attribute != schema.sort->name) {
      return errors::ValidationError("Query condition missed key schema element: " +
                                     (schema.sort ? schema.sort->name : p.attribute));
    }
    if (values[p.slot1].type() != schema.sort->type ||
        (p.op == SortKeyOp::kBetween && values[p.slot2].type() != schema.sort->type)) {
      return type_mismatch();
    }
    if (p.op == SortKeyOp::kBeginsWith && schema.sort->type == AttrType::kN) {
      return errors::ValidationError(
          "Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: "
          "begins_with, operand type: N");
    }
  }
  return sim::OkStatus();
}

KeyRange BindKeyCondition(const KeyConditionExpression& expr, const KeySchema& schema, const BoundValues& values) {
  KeyRange range;
  for (const auto& p : expr.predicates()) {
    if (p.attribute == schema.partition.name) {
      range.partition = &values[p.slot1];
    } else {
      range.op = p.op;
      range.sort1 = &values[p.slot1];
      if (p.op == SortKeyOp::kBetween) range.sort2 = &values[p.slot2];
    }
  }
  return range;
}

}  // namespace emu::dynamodb

namespace emu::dynamodb {

int ExpressionCache::Less::Compare(ExpressionKind ak, std::string_view at, const ExpressionAttributeNames* an,
                                   ExpressionKind bk, std::string_view bt, const ExpressionAttributeNames* bn) {
  if (ak != bk) return ak < bk ? -1 : 1;
  if (int c = at.compare(bt); c != 0) return c;
  static const ExpressionAttributeNames kNone;
  const ExpressionAttributeNames& x = an ? *an : kNone;
  const ExpressionAttributeNames& y = bn ? *bn : kNone;
  auto xi = x.begin(), yi = y.begin();
  for (; xi != x.end() && yi != y.end(); ++xi, ++yi) {
    if (int c = xi->first.compare(yi->first); c != 0) return c;
    if (int c = xi->second.compare(yi->second); c != 0) return c;
  }
  if (xi != x.end()) return 1;
  if (yi != y.end()) return -1;
  return 0;
}

template <class T, class ParseFn>
sim::StatusOr<std::shared_ptr<const T>> ExpressionCache::Lookup(ExpressionKind kind, std::string_view text,
                                                                const ExpressionAttributeNames* names, ParseFn parse) {
  auto it = entries_.find(KeyView{kind, text, names});
  if (it != entries_.end()) {
    ++hits_;
    return std::static_pointer_cast<const T>(it->second);
  }
  ++misses_;
  sim::StatusOr<std::shared_ptr<const T>> parsed = parse();
  if (!parsed.ok()) return parsed;
  if (entries_.size() >= capacity_) entries_.clear();
  entries_.emplace(Key{kind, std::string(text), names ? *names : ExpressionAttributeNames{}}, *parsed);
  return parsed;
}

sim::StatusOr<std::shared_ptr<const ConditionExpression>> ExpressionCache::Condition(
    std::string_view text, const ExpressionAttributeNames* names, ExpressionKind kind) {
  return Lookup<ConditionExpression>(kind, text, names, [&] { return ParseConditionExpression(text, names, kind); });
}

sim::StatusOr<std::shared_ptr<const UpdateExpression>> ExpressionCache::Update(std::string_view text,
                                                                               const ExpressionAttributeNames* names) {
  return Lookup<UpdateExpression>(ExpressionKind::kUpdate, text, names,
                                  [&] { return ParseUpdateExpression(text, names); });
}

sim::StatusOr<std::shared_ptr<const ProjectionExpression>> ExpressionCache::Projection(
    std::string_view text, const ExpressionAttributeNames* names) {
  return Lookup<ProjectionExpression>(ExpressionKind::kProjection, text, names,
                                      [&] { return ParseProjectionExpression(text, names); });
}

sim::StatusOr<std::shared_ptr<const KeyConditionExpression>> ExpressionCache::KeyCondition(
    std::string_view text, const ExpressionAttributeNames* names) {
  return Lookup<KeyConditionExpression>(ExpressionKind::kKeyCondition, text, names,
                                        [&] { return ParseKeyConditionExpression(text, names); });
}

}  // namespace emu::dynamodb
