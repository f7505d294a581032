#pragma once

// DynamoDB expressions: ConditionExpression, FilterExpression,
// KeyConditionExpression, UpdateExpression and ProjectionExpression.
//
// Use in three steps, so a table layer can cache the expensive one:
//  1. Parse*(text, names): lex + recursive-descent parse into an AST with
//     every #name already resolved through ExpressionAttributeNames and
//     every :value turned into a slot number. Syntax, reserved-word,
//     undefined-name, function and path-overlap errors come out here. The
//     result is immutable and shared: cache it keyed by (text, names).
//  2. BindValues(expr, values): per request, look each slot up in
//     ExpressionAttributeValues (undefined value errors) and run the checks
//     that depend on the values' types (ADD of a string, BETWEEN bounds, ...).
//     CheckUnusedNamesAndValues covers all expressions of one request.
//  3. Evaluate / ApplyUpdate / Project / Bind a key condition: no parsing,
//     no name lookups; the evaluator walks the AST with pointers into the
//     item and the bound values.
// Every error is a ValidationException whose message matches DynamoDB's
// ("Invalid UpdateExpression: Syntax error; token: \"b\", near: \"a b\"").

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "emulators/dynamodb/attribute_value.h"
#include "sim/status.h"

namespace emu::dynamodb {

using ExpressionAttributeNames = std::map<std::string, std::string, std::less<>>;
using ExpressionAttributeValues = std::map<std::string, AttributeValue, std::less<>>;

enum class ExpressionKind : uint8_t { kCondition, kFilter, kKeyCondition, kUpdate, kProjection };
// "ConditionExpression", "FilterExpression", ... (the prefix of error messages).
std::string_view ExpressionLabel(ExpressionKind kind);

// ---- AST ----

// One step of a document path: a map key / top-level name, or a list index.
struct PathElement {
  std::string name;
  uint32_t index = 0;
  bool is_index = false;
  friend bool operator==(const PathElement&, const PathElement&) = default;
};
struct DocumentPath {
  std::vector<PathElement> elements;  // elements[0] is a top-level attribute name
  // "[a, b, [2]]", as DynamoDB prints paths in messages.
  std::string DebugString() const;
  friend bool operator==(const DocumentPath&, const DocumentPath&) = default;
};

enum class OperandKind : uint8_t { kPath, kValue, kSize, kIfNotExists, kListAppend, kPlus, kMinus };

struct Operand {
  OperandKind kind = OperandKind::kPath;
  DocumentPath path;          // kPath, kSize (its argument), kIfNotExists (its first argument)
  uint32_t slot = 0;          // kValue: index into the expression's value_names()
  std::vector<Operand> args;  // kIfNotExists: {fallback}; kListAppend, kPlus, kMinus: {lhs, rhs}
};

enum class Comparator : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };

enum class ConditionKind : uint8_t {
  kCompare,             // operands[0] cmp operands[1]
  kBetween,             // operands[0] BETWEEN operands[1] AND operands[2]
  kIn,                  // operands[0] IN (operands[1..])
  kAnd,                 // children
  kOr,                  // children
  kNot,                 // children[0]
  kAttributeExists,     // operands[0] (a path)
  kAttributeNotExists,  // operands[0] (a path)
  kAttributeType,       // operands[0], operands[1]
  kBeginsWith,          // operands[0], operands[1]
  kContains,            // operands[0], operands[1]
};

struct Condition {
  ConditionKind kind = ConditionKind::kCompare;
  Comparator cmp = Comparator::kEq;
  std::vector<Operand> operands;
  std::vector<Condition> children;
};

// Common part of every parsed expression.
class ParsedExpression {
 public:
  // A check on a bound value's type, run by BindValues.
  struct ValueCheck {
    enum class Kind : uint8_t { kOperandType, kAdd, kDelete, kAttributeType, kBetween } kind;
    std::string op;  // "+", "-", "list_append", "begins_with" (kOperandType)
    uint32_t slot = 0;
    uint32_t slot2 = 0;  // kBetween upper bound
  };

  ExpressionKind kind() const { return kind_; }
  const std::vector<ValueCheck>& value_checks() const { return value_checks_; }
  // The :value placeholders, in slot order (first use).
  const std::vector<std::string>& value_names() const { return value_names_; }
  // The #name placeholders the expression used (sorted).
  const std::vector<std::string>& used_names() const { return used_names_; }

 protected:
  friend class ExpressionParser;
  ExpressionKind kind_ = ExpressionKind::kCondition;
  std::vector<ValueCheck> value_checks_;
  std::vector<std::string> value_names_;
  std::vector<std::string> used_names_;
};

// A projection tree: the union of several document paths, children keyed
// by name or index, so projecting (and UPDATED_OLD/NEW) is one walk.
struct ProjectionNode {
  bool leaf = false;  // take the whole value here
  std::map<std::string, ProjectionNode, std::less<>> names;
  std::map<uint32_t, ProjectionNode> indexes;
};

class ConditionExpression : public ParsedExpression {
 public:
  const Condition& root() const { return root_; }

 private:
  friend class ExpressionParser;
  Condition root_;
};

struct SetAction {
  DocumentPath path;
  Operand value;
};
struct AddOrDeleteAction {
  DocumentPath path;
  uint32_t slot = 0;
};

class UpdateExpression : public ParsedExpression {
 public:
  const std::vector<SetAction>& set_actions() const { return set_; }
  const std::vector<DocumentPath>& remove_actions() const { return remove_; }
  const std::vector<AddOrDeleteAction>& add_actions() const { return add_; }
  const std::vector<AddOrDeleteAction>& delete_actions() const { return delete_; }
  // Every path an action writes, in expression order.
  const std::vector<DocumentPath>& updated_paths() const { return updated_paths_; }
  // Top-level attribute names the update touches (sorted, unique).
  const std::vector<std::string>& updated_attributes() const { return updated_attributes_; }
  const ProjectionNode& updated_tree() const { return updated_tree_; }

 private:
  friend class ExpressionParser;
  std::vector<SetAction> set_;
  std::vector<DocumentPath> remove_;
  std::vector<AddOrDeleteAction> add_;
  std::vector<AddOrDeleteAction> delete_;
  std::vector<DocumentPath> updated_paths_;
  std::vector<std::string> updated_attributes_;
  ProjectionNode updated_tree_;
};

class ProjectionExpression : public ParsedExpression {
 public:
  const std::vector<DocumentPath>& paths() const { return paths_; }
  const ProjectionNode& tree() const { return tree_; }
  // Top-level attribute names projected (sorted, unique).
  const std::vector<std::string>& top_level_names() const { return top_level_names_; }

 private:
  friend class ExpressionParser;
  std::vector<DocumentPath> paths_;
  ProjectionNode tree_;
  std::vector<std::string> top_level_names_;
};

enum class SortKeyOp : uint8_t { kEq, kLt, kLe, kGt, kGe, kBetween, kBeginsWith };

// One condition of a key condition: `attribute op :v` (or BETWEEN :a AND :b,
// or begins_with(attribute, :p)). Which is the partition key is decided
// against the schema by ValidateKeyCondition / BindKeyCondition.
struct KeyPredicate {
  std::string attribute;
  SortKeyOp op = SortKeyOp::kEq;
  uint32_t slot1 = 0;
  uint32_t slot2 = 0;  // kBetween upper bound
};

class KeyConditionExpression : public ParsedExpression {
 public:
  const std::vector<KeyPredicate>& predicates() const { return predicates_; }  // 1 or 2

 private:
  friend class ExpressionParser;
  std::vector<KeyPredicate> predicates_;
};

// ---- 1. Parsing (names may be null: the request had none) ----

// kind is kCondition or kFilter (only the error label differs).
sim::StatusOr<std::shared_ptr<const ConditionExpression>> ParseConditionExpression(
    std::string_view text, const ExpressionAttributeNames* names, ExpressionKind kind = ExpressionKind::kCondition);
sim::StatusOr<std::shared_ptr<const UpdateExpression>> ParseUpdateExpression(std::string_view text,
                                                                             const ExpressionAttributeNames* names);
sim::StatusOr<std::shared_ptr<const ProjectionExpression>> ParseProjectionExpression(
    std::string_view text, const ExpressionAttributeNames* names);
// Shape only (partition `=` plus an optional sort condition); which names
// are the table's keys is checked by ValidateKeyCondition.
sim::StatusOr<std::shared_ptr<const KeyConditionExpression>> ParseKeyConditionExpression(
    std::string_view text, const ExpressionAttributeNames* names);

// A cache of parsed expressions keyed by (kind, text, ExpressionAttributeNames),
// for the table layer: requests repeat a handful of expressions with new
// values, so each one is parsed once. Only successful parses are kept.
// Bounded: when full it is cleared whole, which is simple, deterministic
// and cheap for the few-expressions workloads it serves.
class ExpressionCache {
 public:
  explicit ExpressionCache(size_t capacity = 4096) : capacity_(capacity) {}

  sim::StatusOr<std::shared_ptr<const ConditionExpression>> Condition(std::string_view text,
                                                                      const ExpressionAttributeNames* names,
                                                                      ExpressionKind kind = ExpressionKind::kCondition);
  sim::StatusOr<std::shared_ptr<const UpdateExpression>> Update(std::string_view text,
                                                                const ExpressionAttributeNames* names);
  sim::StatusOr<std::shared_ptr<const ProjectionExpression>> Projection(std::string_view text,
                                                                        const ExpressionAttributeNames* names);
  sim::StatusOr<std::shared_ptr<const KeyConditionExpression>> KeyCondition(std::string_view text,
                                                                            const ExpressionAttributeNames* names);

  size_t size() const { return entries_.size(); }
  uint64_t hits() const { return hits_; }
  uint64_t misses() const { return misses_; }

 private:
  struct Key {
    ExpressionKind kind;
    std::string text;
    ExpressionAttributeNames names;
  };
  struct KeyView {
    ExpressionKind kind;
    std::string_view text;
    const ExpressionAttributeNames* names;  // null = none
  };
  struct Less {
    using is_transparent = void;
    static int Compare(ExpressionKind ak, std::string_view at, const ExpressionAttributeNames* an, ExpressionKind bk,
                       std::string_view bt, const ExpressionAttributeNames* bn);
    bool operator()(const Key& a, const Key& b) const {
      return Compare(a.kind, a.text, &a.names, b.kind, b.text, &b.names) < 0;
    }
    bool operator()(const Key& a, const KeyView& b) const {
      return Compare(a.kind, a.text, &a.names, b.kind, b.text, b.names) < 0;
    }
    bool operator()(const KeyView& a, const Key& b) const {
      return Compare(a.kind, a.text, a.names, b.kind, b.text, &b.names) < 0;
    }
  };
  template <class T, class ParseFn>
  sim::StatusOr<std::shared_ptr<const T>> Lookup(ExpressionKind kind, std::string_view text,
                                                 const ExpressionAttributeNames* names, ParseFn parse);

  size_t capacity_;
  uint64_t hits_ = 0;
  uint64_t misses_ = 0;
  std::map<Key, std::shared_ptr<const ParsedExpression>, Less> entries_;
};

// ---- 2. Binding ----

// The values of one evaluation, in the expression's slot order. Points into
// the request's ExpressionAttributeValues, which must outlive it.
struct BoundValues {
  std::vector<const AttributeValue*> slots;
  const AttributeValue& operator[](uint32_t slot) const { return *slots[slot]; }
};

// "Invalid <Label>: An expression attribute value used in expression is not
// defined; attribute value: :v", and the value-type checks of `expr`.
sim::StatusOr<BoundValues> BindValues(const ParsedExpression& expr, const ExpressionAttributeValues* values);

// Request-level checks of ExpressionAttributeNames / Values:
//   "ExpressionAttributeNames must not be empty" (a given, empty map)
//   "ExpressionAttributeNames contains invalid key: Syntax error; key: \"a\""
//   "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}"
// and the same for ExpressionAttributeValues. `exprs` are every expression
// of the request (nulls skipped).
sim::Status ValidateAttributeMaps(const ExpressionAttributeNames* names, const ExpressionAttributeValues* values);
sim::Status CheckUnusedNamesAndValues(std::span<const ParsedExpression* const> exprs,
                                      const ExpressionAttributeNames* names, const ExpressionAttributeValues* values);

// ---- 3. Evaluation ----

// Condition / filter on an item; a missing item (null) is an empty one, so
// attribute_not_exists(pk) holds. Type mismatches are false, not errors.
bool EvaluateCondition(const ConditionExpression& expr, const Item* item, const BoundValues& values);

// Applies every action of `expr` to `item` in place, evaluating all
// operands against the item as it was before the update (as DynamoDB does).
// Errors (ValidationException):
//   "The provided expression refers to an attribute that does not exist in the item"
//   "An operand in the update expression has an incorrect data type"
//   "The document path provided in the update expression is invalid for update"
// On error `item` may be partly updated: apply to a copy.
sim::Status ApplyUpdate(const UpdateExpression& expr, const BoundValues& values, Item& item);

// "One or more parameter values were invalid: Cannot update attribute pk.
// This attribute is part of the key" when an action's path starts at a key attribute.
sim::Status CheckUpdateDoesNotTouchKey(const UpdateExpression& expr, const KeySchema& schema);

enum class ReturnValues : uint8_t { kNone, kAllOld, kUpdatedOld, kAllNew, kUpdatedNew };
// "NONE", "ALL_OLD", ... ; otherwise a ValidationException.
sim::StatusOr<ReturnValues> ParseReturnValues(std::string_view text);

// The item UpdateItem returns for `rv` (nullopt for NONE, or when the
// chosen image is empty). `old_item` is null when the item did not exist.
std::optional<Item> UpdateReturnImage(const UpdateExpression& expr, ReturnValues rv, const Item* old_item,
                                      const Item& new_item);

// The projected item (paths that do not exist are skipped; list elements
// keep their relative order).
Item Project(const ProjectionNode& tree, const Item& item);
inline Item Project(const ProjectionExpression& expr, const Item& item) { return Project(expr.tree(), item); }

// Resolves a document path in an item; null when any step is missing or
// of the wrong type.
const AttributeValue* ResolvePath(const Item& item, const DocumentPath& path);

// ---- Key conditions ----

// Checks the expression's names and value types against the key schema:
//   "Query condition missed key schema element: pk"
//   "Query key condition not supported" (a condition on a non-key attribute)
//   "One or more parameter values were invalid: Condition parameter type does not match schema type"
sim::Status ValidateKeyCondition(const KeyConditionExpression& expr, const KeySchema& schema,
                                 const BoundValues& values);

// A bound key condition, what the Query layer range-scans with: the
// partition value, and the sort key range (inclusive/exclusive bounds, or a
// prefix for begins_with).
struct KeyRange {
  const AttributeValue* partition = nullptr;
  SortKeyOp op = SortKeyOp::kEq;
  const AttributeValue* sort1 = nullptr;  // null when there is no sort condition
  const AttributeValue* sort2 = nullptr;  // kBetween upper bound
  bool has_sort_condition() const { return sort1 != nullptr; }
  // Whether a sort key value satisfies the sort condition (true without one).
  bool SortMatches(const AttributeValue& sort_value) const;
};
// Requires ValidateKeyCondition to have passed.
KeyRange BindKeyCondition(const KeyConditionExpression& expr, const KeySchema& schema, const BoundValues& values);

}  // namespace emu::dynamodb
