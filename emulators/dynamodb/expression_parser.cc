// Recursive-descent parsers for the five expression kinds. Syntax errors
// stop the parse at once; semantic errors (reserved words, undefined names,
// unknown or misused functions, operand counts, overlapping paths) are
// collected by category and the highest-priority one is reported after a
// clean parse, which is the order DynamoDB (and dynalite) report them in.

#include <algorithm>
#include <array>
#include <set>

#include "emulators/dynamodb/dynamodb_errors.h"
#include "emulators/dynamodb/expression.h"
#include "emulators/dynamodb/expression_lexer.h"
#include "emulators/dynamodb/reserved_words.h"

namespace emu::dynamodb {

std::string_view ExpressionLabel(ExpressionKind kind) {
  switch (kind) {
    case ExpressionKind::kCondition:
      return "ConditionExpression";
    case ExpressionKind::kFilter:
      return "FilterExpression";
    case ExpressionKind::kKeyCondition:
      return "KeyConditionExpression";
    case ExpressionKind::kUpdate:
      return "UpdateExpression";
    case ExpressionKind::kProjection:
      return "ProjectionExpression";
  }
  return "";
}

std::string DocumentPath::DebugString() const {
  std::string out = "[";
  for (size_t i = 0; i < elements.size(); ++i) {
    if (i) out += ", ";
    if (elements[i].is_index) {
      out += "[" + std::to_string(elements[i].index) + "]";
    } else {
      out += elements[i].name;
    }
  }
  return out + "]";
}

namespace {

constexpr size_t kMaxInOperands = 100;
constexpr size_t kMaxExpressionBytes = 4096;  // "Expression parameters" limit: 4 KB per expression string

bool IsConditionFunction(std::string_view n) {
  return n == "attribute_exists" || n == "attribute_not_exists" || n == "attribute_type" || n == "begins_with" ||
         n == "contains";
}
bool IsUpdateFunction(std::string_view n) { return n == "if_not_exists" || n == "list_append"; }

void AddToTree(ProjectionNode& root, const DocumentPath& path) {
  ProjectionNode* node = &root;
  for (const auto& e : path.elements) {
    if (node->leaf) return;  // already whole
    node = e.is_index ? &node->indexes[e.index] : &node->names[e.name];
  }
  node->leaf = true;
  node->names.clear();
  node->indexes.clear();
}

}  // namespace

class ExpressionParser {
 public:
  ExpressionParser(std::string_view text, const ExpressionAttributeNames* names, ExpressionKind kind)
      : text_(text), names_(names), kind_(kind), tokens_(Tokenize(text)) {}

  sim::StatusOr<std::shared_ptr<const ConditionExpression>> ParseCondition() {
    auto expr = std::make_shared<ConditionExpression>();
    SIM_RETURN_IF_ERROR(CheckNotEmpty());
    if (!ParseOr(&expr->root_) || !ExpectEof()) return SyntaxStatus();
    SIM_RETURN_IF_ERROR(DeferredStatus());
    Finish(*expr);
    return std::shared_ptr<const ConditionExpression>(std::move(expr));
  }

  sim::StatusOr<std::shared_ptr<const KeyConditionExpression>> ParseKeyCondition() {
    auto expr = std::make_shared<KeyConditionExpression>();
    SIM_RETURN_IF_ERROR(CheckNotEmpty());
    Condition root;
    if (!ParseOr(&root) || !ExpectEof()) return SyntaxStatus();
    SIM_RETURN_IF_ERROR(DeferredStatus());
    std::vector<const Condition*> leaves;
    SIM_RETURN_IF_ERROR(FlattenKeyCondition(root, &leaves));
    if (leaves.size() > 2) return Error("Conditions can be of length 1 or 2 only");
    for (const Condition* c : leaves) {
      KeyPredicate p;
      SIM_RETURN_IF_ERROR(ToKeyPredicate(*c, &p));
      expr->predicates_.push_back(std::move(p));
    }
    if (expr->predicates_.size() == 2 && expr->predicates_[0].attribute == expr->predicates_[1].attribute) {
      return Error("Query key condition not supported");
    }
    Finish(*expr);
    return std::shared_ptr<const KeyConditionExpression>(std::move(expr));
  }

  sim::StatusOr<std::shared_ptr<const ProjectionExpression>> ParseProjection() {
    auto expr = std::make_shared<ProjectionExpression>();
    SIM_RETURN_IF_ERROR(CheckNotEmpty());
    do {
      DocumentPath path;
      if (!ParsePath(&path)) return SyntaxStatus();
      expr->paths_.push_back(std::move(path));
    } while (Accept(TokenKind::kComma));
    if (!ExpectEof()) return SyntaxStatus();
    CheckOverlaps(expr->paths_);
    SIM_RETURN_IF_ERROR(DeferredStatus());
    std::set<std::string> tops;
    for (const auto& p : expr->paths_) {
      AddToTree(expr->tree_, p);
      tops.insert(p.elements[0].name);
    }
    expr->top_level_names_.assign(tops.begin(), tops.end());
    Finish(*expr);
    return std::shared_ptr<const ProjectionExpression>(std::move(expr));
  }

  sim::StatusOr<std::shared_ptr<const UpdateExpression>> ParseUpdate() {
    auto expr = std::make_shared<UpdateExpression>();
    SIM_RETURN_IF_ERROR(CheckNotEmpty());
    std::array<bool, 4> seen{};
    static constexpr std::array<std::string_view, 4> kClauses = {"SET", "REMOVE", "ADD", "DELETE"};
    while (Peek().kind != TokenKind::kEof) {
      size_t clause = kClauses.size();
      if (Peek().kind == TokenKind::kName) {
        for (size_t i = 0; i < kClauses.size(); ++i) {
          if (EqualsIgnoreCase(Peek().text, kClauses[i])) clause = i;
        }
      }
      if (clause == kClauses.size()) {
        Syntax(pos_);
        return SyntaxStatus();
      }
      Next();
      if (seen[clause]) {
        Defer(kSection,
              "The \"" + std::string(kClauses[clause]) + "\" section can only be used once in an update expression;");
      }
      seen[clause] = true;
      do {
        DocumentPath path;
        if (!ParsePath(&path)) return SyntaxStatus();
        expr->updated_paths_.push_back(path);
        if (clause == 0) {
          if (!Expect(TokenKind::kEq)) return SyntaxStatus();
          Operand value;
          if (!ParseSetValue(&value, expr.get())) return SyntaxStatus();
          expr->set_.push_back(SetAction{std::move(path), std::move(value)});
        } else if (clause == 1) {
          expr->remove_.push_back(std::move(path));
        } else {
          if (Peek().kind != TokenKind::kValuePlaceholder) {
            Syntax(pos_);
            return SyntaxStatus();
          }
          uint32_t slot = SlotFor(Next().text);
          auto kind =
              clause == 2 ? ParsedExpression::ValueCheck::Kind::kAdd : ParsedExpression::ValueCheck::Kind::kDelete;
          value_checks_.push_back({kind, "", slot, 0});
          (clause == 2 ? expr->add_ : expr->delete_).push_back(AddOrDeleteAction{std::move(path), slot});
        }
      } while (Accept(TokenKind::kComma));
    }
    CheckOverlaps(expr->updated_paths_);
    SIM_RETURN_IF_ERROR(DeferredStatus());
    std::set<std::string> tops;
    for (const auto& p : expr->updated_paths_) {
      AddToTree(expr->updated_tree_, p);
      tops.insert(p.elements[0].name);
    }
    expr->updated_attributes_.assign(tops.begin(), tops.end());
    Finish(*expr);
    return std::shared_ptr<const UpdateExpression>(std::move(expr));
  }

 private:
  // Deferred error categories (reporting order: DeferredStatus).
  enum Category {
    kSection,
    kUnknownFunction,
    kMisusedFunction,
    kReserved,
    kAttrName,
    kOperandCount,
    kDistinct,
    kFunction,
    kOverlap,
    kConflict,
    kCategories
  };

  // ---- tokens ----
  const Token& Peek(size_t ahead = 0) const { return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)]; }
  const Token& Next() {
    const Token& t = tokens_[pos_];
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return t;
  }
  bool Accept(TokenKind kind) {
    if (Peek().kind != kind) return false;
    Next();
    return true;
  }
  bool Expect(TokenKind kind) {
    if (Accept(kind)) return true;
    return Syntax(pos_);
  }
  bool ExpectEof() { return Peek().kind == TokenKind::kEof || Syntax(pos_); }
  bool IsKeyword(const Token& t, std::string_view word) const {
    return t.kind == TokenKind::kName && EqualsIgnoreCase(t.text, word);
  }
  // Words that are syntax in this kind of expression, never attribute names.
  bool IsSyntaxWord(const Token& t) const {
    if (t.kind != TokenKind::kName) return false;
    static constexpr std::string_view kCondition[] = {"AND", "OR", "NOT", "BETWEEN", "IN"};
    static constexpr std::string_view kUpdate[] = {"SET", "REMOVE", "ADD", "DELETE"};
    if (kind_ == ExpressionKind::kUpdate) {
      for (auto w : kUpdate) {
        if (EqualsIgnoreCase(t.text, w)) return true;
      }
      return false;
    }
    if (kind_ == ExpressionKind::kProjection) return false;
    for (auto w : kCondition) {
      if (EqualsIgnoreCase(t.text, w)) return true;
    }
    return false;
  }
  static bool IsComparator(TokenKind k) {
    return k == TokenKind::kEq || k == TokenKind::kNe || k == TokenKind::kLt || k == TokenKind::kLe ||
           k == TokenKind::kGt || k == TokenKind::kGe;
  }

  // ---- errors ----
  sim::Status Error(std::string_view message) const {
    return errors::ValidationError("Invalid " + std::string(ExpressionLabel(kind_)) + ": " + std::string(message));
  }
  sim::Status CheckNotEmpty() const {
    if (tokens_.size() == 1) return Error("The expression can not be empty;");
    if (text_.size() > kMaxExpressionBytes) {
      return Error("Expression size has exceeded the maximum allowed size; expression size: " +
                   std::to_string(text_.size()));
    }
    return sim::OkStatus();
  }
  // Records a syntax error at token i (first one wins); always false.
  bool Syntax(size_t i) {
    if (syntax_error_) return false;
    const Token& t = tokens_[i];
    size_t start = i > 0 ? tokens_[i - 1].offset : t.offset;
    size_t end = t.kind == TokenKind::kEof ? text_.size() : t.offset + t.text.size();
    std::string_view near = text_.substr(start, end - start);
    while (!near.empty() && (near.back() == ' ' || near.back() == '\t' || near.back() == '\n' || near.back() == '\r')) {
      near.remove_suffix(1);
    }
    std::string token = t.kind == TokenKind::kEof ? "<EOF>" : std::string(t.text);
    syntax_error_ = "Syntax error; token: \"" + token + "\", near: \"" + std::string(near) + "\"";
    return false;
  }
  sim::Status SyntaxStatus() const { return Error(syntax_error_ ? *syntax_error_ : std::string("Syntax error")); }
  void Defer(Category c, std::string message) {
    if (!deferred_[c]) deferred_[c] = std::move(message);
  }
  // Which error DynamoDB reports when several apply (from dynalite's
  // parsers and tests, which are checked against DynamoDB).
  sim::Status DeferredStatus() const {
    static constexpr Category kUpdateOrder[] = {kUnknownFunction, kMisusedFunction, kReserved, kSection,
                                                kAttrName,        kOverlap,         kConflict, kOperandCount,
                                                kDistinct,        kFunction};
    static constexpr Category kOtherOrder[] = {kUnknownFunction, kMisusedFunction, kReserved, kAttrName, kOperandCount,
                                               kDistinct,        kFunction,        kOverlap,  kConflict};
    if (kind_ == ExpressionKind::kUpdate) {
      for (Category c : kUpdateOrder) {
        if (deferred_[c]) return Error(*deferred_[c]);
      }
    } else {
      for (Category c : kOtherOrder) {
        if (deferred_[c]) return Error(*deferred_[c]);
      }
    }
    return sim::OkStatus();
  }

  void Finish(ParsedExpression& expr) {
    expr.kind_ = kind_;
    expr.value_names_ = std::move(value_names_);
    expr.value_checks_ = std::move(value_checks_);
    expr.used_names_.assign(used_names_.begin(), used_names_.end());
  }

  uint32_t SlotFor(std::string_view name) {
    for (size_t i = 0; i < value_names_.size(); ++i) {
      if (value_names_[i] == name) return static_cast<uint32_t>(i);
    }
    value_names_.emplace_back(name);
    return static_cast<uint32_t>(value_names_.size() - 1);
  }

  // ---- paths ----
  bool ParseNameElement(DocumentPath* path) {
    const Token& t = Peek();
    if (t.kind == TokenKind::kName && !IsSyntaxWord(t)) {
      if (IsReservedWord(t.text))
        Defer(kReserved, "Attribute name is a reserved keyword; reserved keyword: " + std::string(t.text));
      path->elements.push_back(PathElement{std::string(t.text), 0, false});
      Next();
      return true;
    }
    if (t.kind == TokenKind::kNamePlaceholder) {
      std::string placeholder(t.text);
      Next();
      const std::string* resolved = nullptr;
      if (names_ != nullptr) {
        auto it = names_->find(placeholder);
        if (it != names_->end()) resolved = &it->second;
      }
      if (resolved == nullptr) {
        Defer(kAttrName,
              "An expression attribute name used in the document path is not defined; attribute name: " + placeholder);
        path->elements.push_back(PathElement{placeholder, 0, false});
      } else {
        used_names_.insert(placeholder);
        path->elements.push_back(PathElement{*resolved, 0, false});
      }
      return true;
    }
    return Syntax(pos_);
  }

  bool ParsePath(DocumentPath* path) {
    if (!ParseNameElement(path)) return false;
    while (true) {
      if (Accept(TokenKind::kDot)) {
        if (!ParseNameElement(path)) return false;
      } else if (Peek().kind == TokenKind::kLBracket) {
        Next();
        if (Peek().kind != TokenKind::kNumber) return Syntax(pos_);
        const Token& n = Next();
        uint64_t index = 0;
        for (char c : n.text) index = std::min<uint64_t>(index * 10 + static_cast<uint64_t>(c - '0'), UINT32_MAX);
        if (!Expect(TokenKind::kRBracket)) return false;
        path->elements.push_back(PathElement{"", static_cast<uint32_t>(index), true});
      } else {
        return true;
      }
    }
  }

  // Paths that are equal or where one is a prefix of the other overlap;
  // paths that agree up to a step where one has a name and the other an
  // index conflict.
  void CheckOverlaps(const std::vector<DocumentPath>& paths) {
    for (size_t j = 1; j < paths.size(); ++j) {
      for (size_t i = 0; i < j; ++i) {
        const auto& a = paths[i].elements;
        const auto& b = paths[j].elements;
        size_t n = std::min(a.size(), b.size());
        bool diverged = false;
        for (size_t k = 0; k < n && !diverged; ++k) {
          if (a[k].is_index != b[k].is_index) {
            Defer(kConflict,
                  "Two document paths conflict with each other; must remove or rewrite one of these paths; "
                  "path one: " +
                      paths[i].DebugString() + ", path two: " + paths[j].DebugString());
            diverged = true;
          } else if (!(a[k] == b[k])) {
            diverged = true;
          }
        }
        if (!diverged) {
          Defer(kOverlap,
                "Two document paths overlap with each other; must remove or rewrite one of these paths; "
                "path one: " +
                    paths[i].DebugString() + ", path two: " + paths[j].DebugString());
        }
      }
    }
  }

  // ---- function calls ----
  // At `name (`: parses the arguments with `parse_arg`.
  template <class ParseArg>
  bool ParseCallArgs(std::vector<Operand>* args, ParseArg parse_arg) {
    Next();  // name
    if (!Expect(TokenKind::kLParen)) return false;
    do {
      Operand arg;
      if (!parse_arg(&arg)) return false;
      args->push_back(std::move(arg));
    } while (Accept(TokenKind::kComma));
    return Expect(TokenKind::kRParen);
  }
  void CheckArity(std::string_view name, size_t got, size_t want) {
    if (got != want) {
      Defer(kOperandCount, "Incorrect number of operands for operator or function; operator or function: " +
                               std::string(name) + ", number of operands: " + std::to_string(got));
    }
  }
  void RequirePath(std::string_view name, const Operand& op) {
    if (op.kind != OperandKind::kPath) {
      Defer(kFunction, "Operator or function requires a document path; operator or function: " + std::string(name));
    }
  }
  void CheckDistinct(std::string_view op, const Operand& a, const Operand& b) {
    if (a.kind == OperandKind::kPath && b.kind == OperandKind::kPath && a.path == b.path) {
      Defer(kDistinct,
            "The first operand must be distinct from the remaining operands for this operator or function; "
            "operator: " +
                std::string(op) + ", first operand: " + a.path.DebugString());
    }
  }

  // ---- conditions ----
  bool ParseOr(Condition* out) {
    Condition first;
    if (!ParseAnd(&first)) return false;
    if (!IsKeyword(Peek(), "OR")) {
      *out = std::move(first);
      return true;
    }
    out->kind = ConditionKind::kOr;
    out->children.push_back(std::move(first));
    while (IsKeyword(Peek(), "OR")) {
      Next();
      Condition next;
      if (!ParseAnd(&next)) return false;
      out->children.push_back(std::move(next));
    }
    return true;
  }

  bool ParseAnd(Condition* out) {
    Condition first;
    if (!ParseNot(&first)) return false;
    if (!IsKeyword(Peek(), "AND")) {
      *out = std::move(first);
      return true;
    }
    out->kind = ConditionKind::kAnd;
    out->children.push_back(std::move(first));
    while (IsKeyword(Peek(), "AND")) {
      Next();
      Condition next;
      if (!ParseNot(&next)) return false;
      out->children.push_back(std::move(next));
    }
    return true;
  }

  bool ParseNot(Condition* out) {
    if (IsKeyword(Peek(), "NOT")) {
      Next();
      Condition child;
      if (!ParseNot(&child)) return false;
      out->kind = ConditionKind::kNot;
      out->children.push_back(std::move(child));
      return true;
    }
    return ParsePrimary(out);
  }

  // At '(': whether the parenthesis opens a condition (rather than an
  // operand such as "(a) = :v"): look past the matching ')'.
  bool ParenOpensCondition() const {
    int depth = 0;
    for (size_t i = pos_; i < tokens_.size(); ++i) {
      if (tokens_[i].kind == TokenKind::kLParen) ++depth;
      if (tokens_[i].kind == TokenKind::kRParen && --depth == 0) {
        const Token& after = tokens_[std::min(i + 1, tokens_.size() - 1)];
        return !(IsComparator(after.kind) || IsKeyword(after, "BETWEEN") || IsKeyword(after, "IN"));
      }
    }
    return true;
  }

  bool ParsePrimary(Condition* out) {
    if (Peek().kind == TokenKind::kLParen && ParenOpensCondition()) {
      Next();
      if (!ParseOr(out)) return false;
      return Expect(TokenKind::kRParen);
    }
    if (Peek().kind == TokenKind::kName && Peek(1).kind == TokenKind::kLParen && IsConditionFunction(Peek().text)) {
      std::string name(Peek().text);
      if (!ParseFunctionCondition(name, out)) return false;
      if (IsComparator(Peek().kind) || IsKeyword(Peek(), "BETWEEN") || IsKeyword(Peek(), "IN")) {
        Defer(kMisusedFunction, "The function is not allowed to be used this way in an expression; function: " + name);
        Condition dummy;
        Operand lhs;
        return ParseComparisonTail(std::move(lhs), &dummy);
      }
      return true;
    }
    Operand lhs;
    last_call_.clear();
    if (!ParseConditionOperand(&lhs)) return false;
    if (!last_call_.empty() && !IsComparator(Peek().kind) && !IsKeyword(Peek(), "BETWEEN") &&
        !IsKeyword(Peek(), "IN")) {
      // A call standing as a condition: size() is misused there; any other
      // name already has its error deferred (unknown or not allowed).
      if (last_call_ == "size") {
        Defer(kMisusedFunction, "The function is not allowed to be used this way in an expression; function: size");
      }
      return true;
    }
    return ParseComparisonTail(std::move(lhs), out);
  }

  bool ParseComparisonTail(Operand lhs, Condition* out) {
    const Token& t = Peek();
    if (IsComparator(t.kind)) {
      std::string op(t.text);
      Next();
      out->kind = ConditionKind::kCompare;
      switch (t.kind) {
        case TokenKind::kEq:
          out->cmp = Comparator::kEq;
          break;
        case TokenKind::kNe:
          out->cmp = Comparator::kNe;
          break;
        case TokenKind::kLt:
          out->cmp = Comparator::kLt;
          break;
        case TokenKind::kLe:
          out->cmp = Comparator::kLe;
          break;
        case TokenKind::kGt:
          out->cmp = Comparator::kGt;
          break;
        default:
          out->cmp = Comparator::kGe;
          break;
      }
      Operand rhs;
      if (!ParseConditionOperand(&rhs)) return false;
      CheckDistinct(op, lhs, rhs);
      out->operands.push_back(std::move(lhs));
      out->operands.push_back(std::move(rhs));
      return true;
    }
    if (IsKeyword(t, "BETWEEN")) {
      Next();
      Operand lo, hi;
      if (!ParseConditionOperand(&lo)) return false;
      if (!IsKeyword(Peek(), "AND")) return Syntax(pos_);
      Next();
      if (!ParseConditionOperand(&hi)) return false;
      if (lo.kind == OperandKind::kValue && hi.kind == OperandKind::kValue) {
        value_checks_.push_back({ParsedExpression::ValueCheck::Kind::kBetween, "BETWEEN", lo.slot, hi.slot});
      }
      out->kind = ConditionKind::kBetween;
      out->operands = {std::move(lhs), std::move(lo), std::move(hi)};
      return true;
    }
    if (IsKeyword(t, "IN")) {
      Next();
      if (!Expect(TokenKind::kLParen)) return false;
      out->kind = ConditionKind::kIn;
      out->operands.push_back(std::move(lhs));
      do {
        Operand v;
        if (!ParseConditionOperand(&v)) return false;
        out->operands.push_back(std::move(v));
      } while (Accept(TokenKind::kComma));
      if (!Expect(TokenKind::kRParen)) return false;
      if (out->operands.size() - 1 > kMaxInOperands) {
        Defer(kOperandCount,
              "Too many operands for operator or function; operator or function: IN, number of "
              "operands: " +
                  std::to_string(out->operands.size() - 1) + ", maximum: 100");
      }
      return true;
    }
    return Syntax(pos_);
  }

  bool ParseFunctionCondition(const std::string& name, Condition* out) {
    std::vector<Operand> args;
    if (!ParseCallArgs(&args, [this](Operand* a) { return ParseConditionOperand(a); })) return false;
    if (name == "attribute_exists" || name == "attribute_not_exists") {
      CheckArity(name, args.size(), 1);
      if (!args.empty()) RequirePath(name, args[0]);
      out->kind = name == "attribute_exists" ? ConditionKind::kAttributeExists : ConditionKind::kAttributeNotExists;
    } else {
      CheckArity(name, args.size(), 2);
      if (args.size() == 2) CheckDistinct(name, args[0], args[1]);
      if (name == "attribute_type") {
        out->kind = ConditionKind::kAttributeType;
        if (args.size() == 2 && args[1].kind == OperandKind::kValue) {
          value_checks_.push_back({ParsedExpression::ValueCheck::Kind::kAttributeType, name, args[1].slot, 0});
        }
      } else if (name == "begins_with") {
        out->kind = ConditionKind::kBeginsWith;
        for (const auto& a : args) {
          if (a.kind == OperandKind::kValue) {
            value_checks_.push_back({ParsedExpression::ValueCheck::Kind::kOperandType, name, a.slot, 0});
          }
        }
      } else {
        out->kind = ConditionKind::kContains;
      }
    }
    out->operands = std::move(args);
    return true;
  }

  bool ParseConditionOperand(Operand* out) {
    const Token& t = Peek();
    if (t.kind == TokenKind::kLParen) {
      Next();
      if (!ParseConditionOperand(out)) return false;
      return Expect(TokenKind::kRParen);
    }
    if (t.kind == TokenKind::kValuePlaceholder) {
      out->kind = OperandKind::kValue;
      out->slot = SlotFor(Next().text);
      return true;
    }
    if (t.kind == TokenKind::kName && Peek(1).kind == TokenKind::kLParen && !IsSyntaxWord(t)) {
      std::string name(t.text);
      std::vector<Operand> args;
      if (!ParseCallArgs(&args, [this](Operand* a) { return ParseConditionOperand(a); })) return false;
      last_call_ = name;
      if (name == "size") {
        CheckArity(name, args.size(), 1);
        if (!args.empty()) RequirePath(name, args[0]);
        out->kind = OperandKind::kSize;
        if (!args.empty()) out->path = std::move(args[0].path);
      } else if (IsConditionFunction(name)) {
        Defer(kMisusedFunction, "The function is not allowed to be used this way in an expression; function: " + name);
      } else if (IsUpdateFunction(name)) {
        Defer(kUnknownFunction, "The function is not allowed in a condition expression; function: " + name);
      } else {
        Defer(kUnknownFunction, "Invalid function name; function: " + name);
      }
      return true;
    }
    out->kind = OperandKind::kPath;
    return ParsePath(&out->path);
  }

  // ---- key conditions ----
  sim::Status FlattenKeyCondition(const Condition& c, std::vector<const Condition*>* leaves) {
    switch (c.kind) {
      case ConditionKind::kAnd:
        for (const auto& child : c.children) SIM_RETURN_IF_ERROR(FlattenKeyCondition(child, leaves));
        return sim::OkStatus();
      case ConditionKind::kOr:
        return Error("Invalid operator used in KeyConditionExpression: OR");
      case ConditionKind::kNot:
        return Error("Invalid operator used in KeyConditionExpression: NOT");
      case ConditionKind::kIn:
        return Error("Invalid operator used in KeyConditionExpression: IN");
      case ConditionKind::kAttributeExists:
        return Error("Invalid operator used in KeyConditionExpression: attribute_exists");
      case ConditionKind::kAttributeNotExists:
        return Error("Invalid operator used in KeyConditionExpression: attribute_not_exists");
      case ConditionKind::kAttributeType:
        return Error("Invalid operator used in KeyConditionExpression: attribute_type");
      case ConditionKind::kContains:
        return Error("Invalid operator used in KeyConditionExpression: contains");
      default:
        leaves->push_back(&c);
        return sim::OkStatus();
    }
  }

  sim::Status ToKeyPredicate(const Condition& c, KeyPredicate* p) {
    auto top_path = [](const Operand& o) {
      return o.kind == OperandKind::kPath && o.path.elements.size() == 1 && !o.path.elements[0].is_index;
    };
    auto not_supported = [this] { return Error("Query key condition not supported"); };
    const auto& ops = c.operands;
    if (c.kind == ConditionKind::kCompare) {
      const Operand* path = &ops[0];
      const Operand* value = &ops[1];
      Comparator cmp = c.cmp;
      if (!top_path(*path) && top_path(*value)) {  // ":v < sk" reads as "sk > :v"
        std::swap(path, value);
        switch (cmp) {
          case Comparator::kLt:
            cmp = Comparator::kGt;
            break;
          case Comparator::kLe:
            cmp = Comparator::kGe;
            break;
          case Comparator::kGt:
            cmp = Comparator::kLt;
            break;
          case Comparator::kGe:
            cmp = Comparator::kLe;
            break;
          default:
            break;
        }
      }
      if (!top_path(*path) || value->kind != OperandKind::kValue) return not_supported();
      if (cmp == Comparator::kNe) return Error("Unsupported operator on KeyConditionExpression: operator: <>");
      static constexpr SortKeyOp kOps[] = {SortKeyOp::kEq, SortKeyOp::kEq, SortKeyOp::kLt,
                                           SortKeyOp::kLe, SortKeyOp::kGt, SortKeyOp::kGe};
      *p = KeyPredicate{path->path.elements[0].name, kOps[static_cast<size_t>(cmp)], value->slot, 0};
      return sim::OkStatus();
    }
    if (c.kind == ConditionKind::kBetween) {
      if (!top_path(ops[0]) || ops[1].kind != OperandKind::kValue || ops[2].kind != OperandKind::kValue) {
        return not_supported();
      }
      *p = KeyPredicate{ops[0].path.elements[0].name, SortKeyOp::kBetween, ops[1].slot, ops[2].slot};
      return sim::OkStatus();
    }
    // begins_with
    if (ops.size() != 2 || !top_path(ops[0]) || ops[1].kind != OperandKind::kValue) return not_supported();
    *p = KeyPredicate{ops[0].path.elements[0].name, SortKeyOp::kBeginsWith, ops[1].slot, 0};
    return sim::OkStatus();
  }

  // ---- updates ----
  bool ParseSetValue(Operand* out, UpdateExpression* expr) {
    Operand lhs;
    if (!ParseUpdateTerm(&lhs, expr)) return false;
    if (Peek().kind != TokenKind::kPlus && Peek().kind != TokenKind::kMinus) {
      *out = std::move(lhs);
      return true;
    }
    bool plus = Next().kind == TokenKind::kPlus;
    Operand rhs;
    if (!ParseUpdateTerm(&rhs, expr)) return false;
    for (const Operand* o : {&lhs, &rhs}) {
      if (o->kind == OperandKind::kValue) {
        value_checks_.push_back({ParsedExpression::ValueCheck::Kind::kOperandType, plus ? "+" : "-", o->slot, 0});
      }
    }
    out->kind = plus ? OperandKind::kPlus : OperandKind::kMinus;
    out->args.push_back(std::move(lhs));
    out->args.push_back(std::move(rhs));
    return true;
  }

  bool ParseUpdateTerm(Operand* out, UpdateExpression* expr) {
    const Token& t = Peek();
    if (t.kind == TokenKind::kLParen) {
      Next();
      if (!ParseSetValue(out, expr)) return false;
      return Expect(TokenKind::kRParen);
    }
    if (t.kind == TokenKind::kValuePlaceholder) {
      out->kind = OperandKind::kValue;
      out->slot = SlotFor(Next().text);
      return true;
    }
    if (t.kind == TokenKind::kName && Peek(1).kind == TokenKind::kLParen && !IsSyntaxWord(t)) {
      std::string name(t.text);
      std::vector<Operand> args;
      if (!ParseCallArgs(&args, [this, expr](Operand* a) { return ParseUpdateTerm(a, expr); })) return false;
      if (name == "if_not_exists") {
        CheckArity(name, args.size(), 2);
        if (!args.empty()) RequirePath(name, args[0]);
        out->kind = OperandKind::kIfNotExists;
        if (args.size() == 2) {
          out->path = std::move(args[0].path);
          out->args.push_back(std::move(args[1]));
        }
      } else if (name == "list_append") {
        CheckArity(name, args.size(), 2);
        for (const auto& a : args) {
          if (a.kind == OperandKind::kValue) {
            value_checks_.push_back({ParsedExpression::ValueCheck::Kind::kOperandType, name, a.slot, 0});
          }
        }
        out->kind = OperandKind::kListAppend;
        if (args.size() == 2) out->args = std::move(args);
      } else if (IsConditionFunction(name) || name == "size") {
        Defer(kUnknownFunction, "The function is not allowed in an update expression; function: " + name);
      } else {
        Defer(kUnknownFunction, "Invalid function name; function: " + name);
      }
      return true;
    }
    out->kind = OperandKind::kPath;
    return ParsePath(&out->path);
  }

  std::string_view text_;
  const ExpressionAttributeNames* names_;
  ExpressionKind kind_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  std::optional<std::string> syntax_error_;
  std::array<std::optional<std::string>, kCategories> deferred_;
  std::vector<std::string> value_names_;
  std::vector<ParsedExpression::ValueCheck> value_checks_;
  std::set<std::string> used_names_;
  std::string last_call_;  // the function the last condition operand called, if any
};

sim::StatusOr<std::shared_ptr<const ConditionExpression>> ParseConditionExpression(
    std::string_view text, const ExpressionAttributeNames* names, ExpressionKind kind) {
  return ExpressionParser(text, names, kind).ParseCondition();
}

sim::StatusOr<std::shared_ptr<const UpdateExpression>> ParseUpdateExpression(std::string_view text,
                                                                             const ExpressionAttributeNames* names) {
  return ExpressionParser(text, names, ExpressionKind::kUpdate).ParseUpdate();
}

sim::StatusOr<std::shared_ptr<const ProjectionExpression>> ParseProjectionExpression(
    std::string_view text, const ExpressionAttributeNames* names) {
  return ExpressionParser(text, names, ExpressionKind::kProjection).ParseProjection();
}

sim::StatusOr<std::shared_ptr<const KeyConditionExpression>> ParseKeyConditionExpression(
    std::string_view text, const ExpressionAttributeNames* names) {
  return ExpressionParser(text, names, ExpressionKind::kKeyCondition).ParseKeyCondition();
}

}  // namespace emu::dynamodb
