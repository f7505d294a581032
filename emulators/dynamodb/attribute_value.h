#pragma once

// DynamoDB attribute values (S N B BOOL NULL M L SS NS BS) and items.
//
// An AttributeValue is a std::variant: one small tagged value, copied by
// value like the JSON it models. Maps are ordered (std::map) so every
// iteration, debug print and size computation is deterministic. Sets are
// kept sorted and duplicate-free (NS by numeric value, SS/BS by bytes):
// equality of sets is then equality of vectors, and the order DynamoDB
// leaves unspecified becomes a fixed one. Values built through the checked
// factories (MakeStringSet, ...) satisfy DynamoDB's rules (non-empty sets,
// no duplicates); the unchecked constructors are for trusted internal use.

#include <compare>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "emulators/dynamodb/decimal.h"
#include "sim/status.h"

namespace emu::dynamodb {

enum class AttrType : uint8_t { kS, kN, kB, kBool, kNull, kM, kL, kSS, kNS, kBS };

// "S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS".
std::string_view AttrTypeName(AttrType type);
// The inverse; false for anything else (case-sensitive, as AWS).
bool ParseAttrTypeName(std::string_view name, AttrType* type);

class AttributeValue;
using AttributeMap = std::map<std::string, AttributeValue, std::less<>>;
using AttributeList = std::vector<AttributeValue>;
// An item: top-level attribute name -> value.
using Item = AttributeMap;

struct Binary {
  std::string bytes;  // raw bytes (not base64)
  friend bool operator==(const Binary&, const Binary&) = default;
};
struct NullValue {
  friend bool operator==(const NullValue&, const NullValue&) = default;
};
struct StringSet {
  std::vector<std::string> values;  // sorted by bytes, unique, non-empty
  friend bool operator==(const StringSet&, const StringSet&) = default;
};
struct NumberSet {
  std::vector<Decimal> values;  // sorted numerically, unique, non-empty
  friend bool operator==(const NumberSet&, const NumberSet&) = default;
};
struct BinarySet {
  std::vector<std::string> values;  // sorted by bytes, unique, non-empty
  friend bool operator==(const BinarySet&, const BinarySet&) = default;
};

class AttributeValue {
 public:
  // Alternatives in AttrType order.
  using Variant = std::variant<std::string, Decimal, Binary, bool, NullValue, AttributeMap, AttributeList, StringSet,
                               NumberSet, BinarySet>;

  AttributeValue() : v_(NullValue{}) {}

  static AttributeValue S(std::string s) { return AttributeValue(Variant(std::in_place_index<0>, std::move(s))); }
  static AttributeValue N(Decimal n) { return AttributeValue(Variant(std::in_place_index<1>, n)); }
  // Trusted number text (tests, constants): SIM_CHECKs that it parses.
  static AttributeValue N(std::string_view text);
  static AttributeValue N(int64_t n) { return N(Decimal::FromInt(n)); }
  static AttributeValue B(std::string bytes) { return AttributeValue(Variant(Binary{std::move(bytes)})); }
  static AttributeValue Bool(bool b) { return AttributeValue(Variant(b)); }
  static AttributeValue Null() { return AttributeValue(); }
  static AttributeValue M(AttributeMap m) { return AttributeValue(Variant(std::move(m))); }
  static AttributeValue L(AttributeList l) { return AttributeValue(Variant(std::move(l))); }
  // Unchecked set constructors: sort and deduplicate; SIM_CHECK non-empty.
  static AttributeValue SS(std::vector<std::string> values);
  static AttributeValue NS(std::vector<Decimal> values);
  static AttributeValue BS(std::vector<std::string> values);

  AttrType type() const { return static_cast<AttrType>(v_.index()); }
  bool Is(AttrType t) const { return type() == t; }
  bool IsSet() const { return type() == AttrType::kSS || type() == AttrType::kNS || type() == AttrType::kBS; }

  // Typed access; SIM_CHECK on the wrong type (a programming error).
  const std::string& s() const { return Get<0>(); }
  const Decimal& n() const { return Get<1>(); }
  const std::string& b() const { return Get<2>().bytes; }
  bool boolean() const { return Get<3>(); }
  const AttributeMap& m() const { return Get<5>(); }
  AttributeMap& mutable_m() { return GetMutable<5>(); }
  const AttributeList& l() const { return Get<6>(); }
  AttributeList& mutable_l() { return GetMutable<6>(); }
  const std::vector<std::string>& ss() const { return Get<7>().values; }
  const std::vector<Decimal>& ns() const { return Get<8>().values; }
  const std::vector<std::string>& bs() const { return Get<9>().values; }

  const Variant& variant() const { return v_; }

  // Deep equality; numbers compare by value (1.0 == 1), sets as sets.
  friend bool operator==(const AttributeValue& a, const AttributeValue& b) { return a.v_ == b.v_; }

  // DynamoDB JSON, deterministic: {"S":"x"}, {"N":"1.5"}, {"B":"<base64>"},
  // {"M":{"a":{"N":"1"}}}, {"SS":["a","b"]}.
  std::string DebugString() const;

 private:
  explicit AttributeValue(Variant v) : v_(std::move(v)) {}
  template <size_t I>
  const std::variant_alternative_t<I, Variant>& Get() const {
    CheckType(static_cast<AttrType>(I));
    return *std::get_if<I>(&v_);
  }
  template <size_t I>
  std::variant_alternative_t<I, Variant>& GetMutable() {
    CheckType(static_cast<AttrType>(I));
    return *std::get_if<I>(&v_);
  }
  void CheckType(AttrType expected) const;

  Variant v_;
};

std::string DebugString(const Item& item);
std::string Base64Encode(std::string_view bytes);

// ---- Checked construction (request validation) ----
// Messages as DynamoDB's, e.g.
//   "One or more parameter values were invalid: An string set  may not be empty"
//   "One or more parameter values were invalid: Input collection [a, a] contains duplicates."
//   "Input collection contains duplicates" (NS)
sim::StatusOr<AttributeValue> MakeStringSet(std::vector<std::string> values);
sim::StatusOr<AttributeValue> MakeNumberSet(const std::vector<std::string>& values);
sim::StatusOr<AttributeValue> MakeBinarySet(std::vector<std::string> values);
sim::StatusOr<AttributeValue> MakeNumber(std::string_view text);

// Documents nest at most 32 levels (each M or L is a level):
// ValidationException "Nesting Levels have exceeded supported limits".
inline constexpr int kMaxNestingLevels = 32;
sim::Status CheckNestingDepth(const Item& item);

// ---- Keys ----
struct KeyElement {
  std::string name;
  AttrType type = AttrType::kS;  // S, N or B only
};
struct KeySchema {
  KeyElement partition;
  std::optional<KeyElement> sort;
};

inline constexpr size_t kMaxPartitionKeyBytes = 2048;
inline constexpr size_t kMaxSortKeyBytes = 1024;

// Key attribute types are S, N and B.
bool IsKeyType(AttrType type);
// Bytes a key value counts against the key limits: UTF-8 bytes for S, raw
// bytes for B, the number's stored size for N.
size_t KeyValueBytes(const AttributeValue& value);
// Orders two key values of the same key type as DynamoDB sorts them: N by
// numeric value, S by UTF-8 bytes, B by unsigned bytes. SIM_CHECKs the types.
std::strong_ordering CompareKeyValues(const AttributeValue& a, const AttributeValue& b);
// Orders two values of the same scalar type for comparators (< <= > >=):
// N, S, B only; false when types differ or are not scalars.
bool LessThan(const AttributeValue& a, const AttributeValue& b);

// Validates the key attributes of an item being written (PutItem):
//   "One or more parameter values were invalid: Missing the key pk in the item"
//   "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N"
//   "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty
//    string value. Key: pk"
//   "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of 2048 bytes"
//   "One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of
//    1024 bytes"
sim::Status ValidateItemKey(const KeySchema& schema, const Item& item);
// Validates a Key parameter (GetItem, UpdateItem, DeleteItem): exactly the
// key attributes, of the right types; otherwise
//   "The provided key element does not match the schema"
// (plus the empty-value and size messages above).
sim::Status ValidateKey(const KeySchema& schema, const Item& key);
// The key attributes of an item (the item must carry them).
Item ExtractKey(const KeySchema& schema, const Item& item);

}  // namespace emu::dynamodb
