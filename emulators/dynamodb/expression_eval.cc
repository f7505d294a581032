// Evaluation of parsed expressions: conditions and filters, update actions,
// projections. The evaluator never parses and never looks names up: paths
// hold resolved names and values are slot pointers (see expression.h).

#include <algorithm>

#include "emulators/dynamodb/dynamodb_errors.h"
#include "emulators/dynamodb/expression.h"
#include "sim/check.h"

namespace emu::dynamodb {
namespace {

constexpr std::string_view kMissingAttribute =
    "The provided expression refers to an attribute that does not exist in the item";
constexpr std::string_view kIncorrectType = "An operand in the update expression has an incorrect data type";
constexpr std::string_view kInvalidPath = "The document path provided in the update expression is invalid for update";

const AttributeValue* Step(const AttributeValue* v, const PathElement& e) {
  if (e.is_index) {
    if (!v->Is(AttrType::kL) || e.index >= v->l().size()) return nullptr;
    return &v->l()[e.index];
  }
  if (!v->Is(AttrType::kM)) return nullptr;
  auto it = v->m().find(e.name);
  return it == v->m().end() ? nullptr : &it->second;
}

// Resolves the first `n` elements of `path` for writing.
AttributeValue* ResolveMutable(Item& item, const DocumentPath& path, size_t n) {
  auto it = item.find(path.elements[0].name);
  if (it == item.end()) return nullptr;
  AttributeValue* v = &it->second;
  for (size_t i = 1; i < n; ++i) {
    const PathElement& e = path.elements[i];
    if (e.is_index) {
      if (!v->Is(AttrType::kL) || e.index >= v->l().size()) return nullptr;
      v = &v->mutable_l()[e.index];
    } else {
      if (!v->Is(AttrType::kM)) return nullptr;
      auto m = v->mutable_m().find(e.name);
      if (m == v->mutable_m().end()) return nullptr;
      v = &m->second;
    }
  }
  return v;
}

// ---- conditions ----

// An operand's value: a pointer into the item or the bound values, or a
// computed number (size()).
struct OperandValue {
  const AttributeValue* ptr = nullptr;
  AttributeValue computed;
  const AttributeValue* get() const { return ptr; }
};

void EvalConditionOperand(const Operand& op, const Item* item, const BoundValues& values, OperandValue* out) {
  switch (op.kind) {
    case OperandKind::kValue:
      out->ptr = &values[op.slot];
      return;
    case OperandKind::kPath:
      out->ptr = item ? ResolvePath(*item, op.path) : nullptr;
      return;
    case OperandKind::kSize: {
      const AttributeValue* v = item ? ResolvePath(*item, op.path) : nullptr;
      out->ptr = nullptr;
      if (v == nullptr) return;
      int64_t size = 0;
      switch (v->type()) {
        case AttrType::kS:
          size = static_cast<int64_t>(v->s().size());
          break;
        case AttrType::kB:
          size = static_cast<int64_t>(v->b().size());
          break;
        case AttrType::kSS:
          size = static_cast<int64_t>(v->ss().size());
          break;
        case AttrType::kNS:
          size = static_cast<int64_t>(v->ns().size());
          break;
        case AttrType::kBS:
          size = static_cast<int64_t>(v->bs().size());
          break;
        case AttrType::kM:
          size = static_cast<int64_t>(v->m().size());
          break;
        case AttrType::kL:
          size = static_cast<int64_t>(v->l().size());
          break;
        default:
          return;  // N, BOOL, NULL have no size: the comparison is false
      }
      out->computed = AttributeValue::N(size);
      out->ptr = &out->computed;
      return;
    }
    default:
      out->ptr = nullptr;
      return;  // update-only operands never reach a condition
  }
}

bool Compare(Comparator cmp, const AttributeValue* a, const AttributeValue* b) {
  if (cmp == Comparator::kNe) return a == nullptr || b == nullptr || !(*a == *b);
  if (a == nullptr || b == nullptr) return false;
  switch (cmp) {
    case Comparator::kEq:
      return *a == *b;
    case Comparator::kLt:
      return LessThan(*a, *b);
    case Comparator::kLe:
      return LessThan(*a, *b) || (IsKeyType(a->type()) && *a == *b);
    case Comparator::kGt:
      return LessThan(*b, *a);
    case Comparator::kGe:
      return LessThan(*b, *a) || (IsKeyType(a->type()) && *a == *b);
    default:
      return false;
  }
}

bool Contains(const AttributeValue& haystack, const AttributeValue& needle) {
  switch (haystack.type()) {
    case AttrType::kS:
      return needle.Is(AttrType::kS) && haystack.s().find(needle.s()) != std::string::npos;
    case AttrType::kB:
      return needle.Is(AttrType::kB) && haystack.b().find(needle.b()) != std::string::npos;
    case AttrType::kSS:
      return needle.Is(AttrType::kS) && std::binary_search(haystack.ss().begin(), haystack.ss().end(), needle.s());
    case AttrType::kNS:
      return needle.Is(AttrType::kN) && std::binary_search(haystack.ns().begin(), haystack.ns().end(), needle.n());
    case AttrType::kBS:
      return needle.Is(AttrType::kB) && std::binary_search(haystack.bs().begin(), haystack.bs().end(), needle.b());
    case AttrType::kL:
      return std::find(haystack.l().begin(), haystack.l().end(), needle) != haystack.l().end();
    default:
      return false;
  }
}

bool Eval(const Condition& c, const Item* item, const BoundValues& values) {
  switch (c.kind) {
    case ConditionKind::kAnd:
      for (const auto& child : c.children) {
        if (!Eval(child, item, values)) return false;
      }
      return true;
    case ConditionKind::kOr:
      for (const auto& child : c.children) {
        if (Eval(child, item, values)) return true;
      }
      return false;
    case ConditionKind::kNot:
      return !Eval(c.children[0], item, values);
    case ConditionKind::kAttributeExists:
      return item != nullptr && ResolvePath(*item, c.operands[0].path) != nullptr;
    case ConditionKind::kAttributeNotExists:
      return item == nullptr || ResolvePath(*item, c.operands[0].path) == nullptr;
    default:
      break;
  }
  OperandValue a;
  EvalConditionOperand(c.operands[0], item, values, &a);
  switch (c.kind) {
    case ConditionKind::kCompare: {
      OperandValue b;
      EvalConditionOperand(c.operands[1], item, values, &b);
      return Compare(c.cmp, a.get(), b.get());
    }
    case ConditionKind::kBetween: {
      OperandValue lo, hi;
      EvalConditionOperand(c.operands[1], item, values, &lo);
      EvalConditionOperand(c.operands[2], item, values, &hi);
      return Compare(Comparator::kGe, a.get(), lo.get()) && Compare(Comparator::kLe, a.get(), hi.get());
    }
    case ConditionKind::kIn: {
      if (a.get() == nullptr) return false;
      for (size_t i = 1; i < c.operands.size(); ++i) {
        OperandValue v;
        EvalConditionOperand(c.operands[i], item, values, &v);
        if (v.get() != nullptr && *a.get() == *v.get()) return true;
      }
      return false;
    }
    case ConditionKind::kAttributeType: {
      OperandValue t;
      EvalConditionOperand(c.operands[1], item, values, &t);
      AttrType type;
      return a.get() != nullptr && t.get() != nullptr && t.get()->Is(AttrType::kS) &&
             ParseAttrTypeName(t.get()->s(), &type) && a.get()->type() == type;
    }
    case ConditionKind::kBeginsWith: {
      OperandValue p;
      EvalConditionOperand(c.operands[1], item, values, &p);
      if (a.get() == nullptr || p.get() == nullptr || a.get()->type() != p.get()->type()) return false;
      if (a.get()->Is(AttrType::kS)) return a.get()->s().starts_with(p.get()->s());
      if (a.get()->Is(AttrType::kB)) return a.get()->b().starts_with(p.get()->b());
      return false;
    }
    case ConditionKind::kContains: {
      OperandValue n;
      EvalConditionOperand(c.operands[1], item, values, &n);
      return a.get() != nullptr && n.get() != nullptr && Contains(*a.get(), *n.get());
    }
    default:
      return false;
  }
}

// ---- updates ----

sim::Status EvalUpdateOperand(const Operand& op, const Item& item, const BoundValues& values, AttributeValue* out) {
  switch (op.kind) {
    case OperandKind::kValue:
      *out = values[op.slot];
      return sim::OkStatus();
    case OperandKind::kPath: {
      const AttributeValue* v = ResolvePath(item, op.path);
      if (v == nullptr) return errors::ValidationError(std::string(kMissingAttribute));
      *out = *v;
      return sim::OkStatus();
    }
    case OperandKind::kIfNotExists: {
      const AttributeValue* v = ResolvePath(item, op.path);
      if (v != nullptr) {
        *out = *v;
        return sim::OkStatus();
      }
      return EvalUpdateOperand(op.args[0], item, values, out);
    }
    case OperandKind::kListAppend: {
      AttributeValue a, b;
      SIM_RETURN_IF_ERROR(EvalUpdateOperand(op.args[0], item, values, &a));
      SIM_RETURN_IF_ERROR(EvalUpdateOperand(op.args[1], item, values, &b));
      if (!a.Is(AttrType::kL) || !b.Is(AttrType::kL)) return errors::ValidationError(std::string(kIncorrectType));
      AttributeList joined = a.l();
      joined.insert(joined.end(), b.l().begin(), b.l().end());
      *out = AttributeValue::L(std::move(joined));
      return sim::OkStatus();
    }
    case OperandKind::kPlus:
    case OperandKind::kMinus: {
      AttributeValue a, b;
      SIM_RETURN_IF_ERROR(EvalUpdateOperand(op.args[0], item, values, &a));
      SIM_RETURN_IF_ERROR(EvalUpdateOperand(op.args[1], item, values, &b));
      if (!a.Is(AttrType::kN) || !b.Is(AttrType::kN)) return errors::ValidationError(std::string(kIncorrectType));
      auto r = op.kind == OperandKind::kPlus ? Decimal::Add(a.n(), b.n()) : Decimal::Subtract(a.n(), b.n());
      if (!r.ok()) return r.status();
      *out = AttributeValue::N(*r);
      return sim::OkStatus();
    }
    case OperandKind::kSize:
      break;
  }
  return errors::ValidationError(std::string(kIncorrectType));
}

sim::Status SetPath(Item& item, const DocumentPath& path, AttributeValue value) {
  if (path.elements.size() == 1) {
    item.insert_or_assign(path.elements[0].name, std::move(value));
    return sim::OkStatus();
  }
  AttributeValue* parent = ResolveMutable(item, path, path.elements.size() - 1);
  if (parent == nullptr) return errors::ValidationError(std::string(kInvalidPath));
  const PathElement& last = path.elements.back();
  if (last.is_index) {
    if (!parent->Is(AttrType::kL)) return errors::ValidationError(std::string(kInvalidPath));
    AttributeList& l = parent->mutable_l();
    if (last.index < l.size()) {
      l[last.index] = std::move(value);
    } else {
      l.push_back(std::move(value));  // past the end: appended, as DynamoDB does
    }
    return sim::OkStatus();
  }
  if (!parent->Is(AttrType::kM)) return errors::ValidationError(std::string(kInvalidPath));
  parent->mutable_m().insert_or_assign(last.name, std::move(value));
  return sim::OkStatus();
}

sim::Status RemovePath(Item& item, const DocumentPath& path) {
  if (path.elements.size() == 1) {
    item.erase(path.elements[0].name);
    return sim::OkStatus();
  }
  AttributeValue* parent = ResolveMutable(item, path, path.elements.size() - 1);
  if (parent == nullptr) return errors::ValidationError(std::string(kInvalidPath));
  const PathElement& last = path.elements.back();
  if (last.is_index) {
    if (!parent->Is(AttrType::kL)) return errors::ValidationError(std::string(kInvalidPath));
    AttributeList& l = parent->mutable_l();
    if (last.index < l.size()) l.erase(l.begin() + last.index);
    return sim::OkStatus();
  }
  if (!parent->Is(AttrType::kM)) return errors::ValidationError(std::string(kInvalidPath));
  parent->mutable_m().erase(last.name);
  return sim::OkStatus();
}

// Paths in descending order, so removing a list element never shifts
// another element still to be removed.
bool PathGreater(const DocumentPath& a, const DocumentPath& b) {
  size_t n = std::min(a.elements.size(), b.elements.size());
  for (size_t i = 0; i < n; ++i) {
    const auto& x = a.elements[i];
    const auto& y = b.elements[i];
    if (x.is_index != y.is_index) return x.is_index;
    if (x.is_index && x.index != y.index) return x.index > y.index;
    if (!x.is_index && x.name != y.name) return x.name > y.name;
  }
  return a.elements.size() > b.elements.size();
}

template <class T>
std::vector<T> SetUnion(const std::vector<T>& a, const std::vector<T>& b) {
  std::vector<T> out;
  out.reserve(a.size() + b.size());
  std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}
template <class T>
std::vector<T> SetDifference(const std::vector<T>& a, const std::vector<T>& b) {
  std::vector<T> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
  return out;
}

sim::Status ApplyAdd(Item& item, const DocumentPath& path, const AttributeValue& v) {
  AttributeValue* existing = ResolveMutable(item, path, path.elements.size());
  if (existing == nullptr) return SetPath(item, path, v);
  if (existing->type() != v.type()) return errors::ValidationError(std::string(kIncorrectType));
  switch (v.type()) {
    case AttrType::kN: {
      auto sum = Decimal::Add(existing->n(), v.n());
      if (!sum.ok()) return sum.status();
      *existing = AttributeValue::N(*sum);
      return sim::OkStatus();
    }
    case AttrType::kSS:
      *existing = AttributeValue::SS(SetUnion(existing->ss(), v.ss()));
      return sim::OkStatus();
    case AttrType::kNS:
      *existing = AttributeValue::NS(SetUnion(existing->ns(), v.ns()));
      return sim::OkStatus();
    case AttrType::kBS:
      *existing = AttributeValue::BS(SetUnion(existing->bs(), v.bs()));
      return sim::OkStatus();
    default:
      return errors::ValidationError(std::string(kIncorrectType));
  }
}

sim::Status ApplyDelete(Item& item, const DocumentPath& path, const AttributeValue& v) {
  AttributeValue* existing = ResolveMutable(item, path, path.elements.size());
  if (existing == nullptr) return sim::OkStatus();
  if (existing->type() != v.type()) return errors::ValidationError(std::string(kIncorrectType));
  bool empty = false;
  switch (v.type()) {
    case AttrType::kSS: {
      auto rest = SetDifference(existing->ss(), v.ss());
      empty = rest.empty();
      if (!empty) *existing = AttributeValue::SS(std::move(rest));
      break;
    }
    case AttrType::kNS: {
      auto rest = SetDifference(existing->ns(), v.ns());
      empty = rest.empty();
      if (!empty) *existing = AttributeValue::NS(std::move(rest));
      break;
    }
    case AttrType::kBS: {
      auto rest = SetDifference(existing->bs(), v.bs());
      empty = rest.empty();
      if (!empty) *existing = AttributeValue::BS(std::move(rest));
      break;
    }
    default:
      return errors::ValidationError(std::string(kIncorrectType));
  }
  // A set cannot be empty: deleting its last element removes the attribute.
  if (empty) return RemovePath(item, path);
  return sim::OkStatus();
}

std::optional<AttributeValue> ProjectValue(const ProjectionNode& node, const AttributeValue& v) {
  if (node.leaf) return v;
  if (!node.names.empty() && v.Is(AttrType::kM)) {
    AttributeMap out;
    for (const auto& [name, child] : node.names) {
      auto it = v.m().find(name);
      if (it == v.m().end()) continue;
      auto projected = ProjectValue(child, it->second);
      if (projected) out.emplace(name, std::move(*projected));
    }
    if (out.empty()) return std::nullopt;
    return AttributeValue::M(std::move(out));
  }
  if (!node.indexes.empty() && v.Is(AttrType::kL)) {
    AttributeList out;
    for (const auto& [index, child] : node.indexes) {
      if (index >= v.l().size()) break;
      auto projected = ProjectValue(child, v.l()[index]);
      if (projected) out.push_back(std::move(*projected));
    }
    if (out.empty()) return std::nullopt;
    return AttributeValue::L(std::move(out));
  }
  return std::nullopt;
}

}  // namespace

const AttributeValue* ResolvePath(const Item& item, const DocumentPath& path) {
  auto it = item.find(path.elements[0].name);
  if (it == item.end()) return nullptr;
  const AttributeValue* v = &it->second;
  for (size_t i = 1; i < path.elements.size() && v != nullptr; ++i) v = Step(v, path.elements[i]);
  return v;
}

bool EvaluateCondition(const ConditionExpression& expr, const Item* item, const BoundValues& values) {
  return Eval(expr.root(), item, values);
}

sim::Status ApplyUpdate(const UpdateExpression& expr, const BoundValues& values, Item& item) {
  // Every SET operand reads the item as it was before the update.
  const auto& sets = expr.set_actions();
  if (sets.size() == 1) {
    AttributeValue v;
    SIM_RETURN_IF_ERROR(EvalUpdateOperand(sets[0].value, item, values, &v));
    SIM_RETURN_IF_ERROR(SetPath(item, sets[0].path, std::move(v)));
  } else if (!sets.empty()) {
    std::vector<AttributeValue> computed(sets.size());
    for (size_t i = 0; i < sets.size(); ++i) {
      SIM_RETURN_IF_ERROR(EvalUpdateOperand(sets[i].value, item, values, &computed[i]));
    }
    for (size_t i = 0; i < sets.size(); ++i) SIM_RETURN_IF_ERROR(SetPath(item, sets[i].path, std::move(computed[i])));
  }
  const auto& removes = expr.remove_actions();
  if (removes.size() == 1) {
    SIM_RETURN_IF_ERROR(RemovePath(item, removes[0]));
  } else if (!removes.empty()) {
    std::vector<const DocumentPath*> order;
    for (const auto& p : removes) order.push_back(&p);
    std::sort(order.begin(), order.end(),
              [](const DocumentPath* a, const DocumentPath* b) { return PathGreater(*a, *b); });
    for (const DocumentPath* p : order) SIM_RETURN_IF_ERROR(RemovePath(item, *p));
  }
  for (const auto& a : expr.add_actions()) SIM_RETURN_IF_ERROR(ApplyAdd(item, a.path, values[a.slot]));
  for (const auto& d : expr.delete_actions()) SIM_RETURN_IF_ERROR(ApplyDelete(item, d.path, values[d.slot]));
  return sim::OkStatus();
}

sim::Status CheckUpdateDoesNotTouchKey(const UpdateExpression& expr, const KeySchema& schema) {
  for (const auto& p : expr.updated_paths()) {
    const std::string& top = p.elements[0].name;
    if (top == schema.partition.name || (schema.sort && top == schema.sort->name)) {
      return errors::ValidationError("One or more parameter values were invalid: Cannot update attribute " + top +
                                     ". This attribute is part of the key");
    }
  }
  return sim::OkStatus();
}

Item Project(const ProjectionNode& tree, const Item& item) {
  Item out;
  for (const auto& [name, node] : tree.names) {
    auto it = item.find(name);
    if (it == item.end()) continue;
    auto projected = ProjectValue(node, it->second);
    if (projected) out.emplace(name, std::move(*projected));
  }
  return out;
}

std::optional<Item> UpdateReturnImage(const UpdateExpression& expr, ReturnValues rv, const Item* old_item,
                                      const Item& new_item) {
  std::optional<Item> out;
  switch (rv) {
    case ReturnValues::kNone:
      return std::nullopt;
    case ReturnValues::kAllOld:
      if (old_item != nullptr) out = *old_item;
      break;
    case ReturnValues::kAllNew:
      out = new_item;
      break;
    case ReturnValues::kUpdatedOld:
      if (old_item != nullptr) out = Project(expr.updated_tree(), *old_item);
      break;
    case ReturnValues::kUpdatedNew:
      out = Project(expr.updated_tree(), new_item);
      break;
  }
  if (out && out->empty()) return std::nullopt;
  return out;
}

bool KeyRange::SortMatches(const AttributeValue& v) const {
  if (sort1 == nullptr) return true;
  if (v.type() != sort1->type()) return false;
  switch (op) {
    case SortKeyOp::kEq:
      return CompareKeyValues(v, *sort1) == 0;
    case SortKeyOp::kLt:
      return CompareKeyValues(v, *sort1) < 0;
    case SortKeyOp::kLe:
      return CompareKeyValues(v, *sort1) <= 0;
    case SortKeyOp::kGt:
      return CompareKeyValues(v, *sort1) > 0;
    case SortKeyOp::kGe:
      return CompareKeyValues(v, *sort1) >= 0;
    case SortKeyOp::kBetween:
      return CompareKeyValues(v, *sort1) >= 0 && CompareKeyValues(v, *sort2) <= 0;
    case SortKeyOp::kBeginsWith:
      if (v.Is(AttrType::kS)) return v.s().starts_with(sort1->s());
      if (v.Is(AttrType::kB)) return v.b().starts_with(sort1->b());
      return false;
  }
  return false;
}

}  // namespace emu::dynamodb
