#include "emulators/dynamodb/attribute_value.h"

#include <algorithm>

#include "emulators/dynamodb/dynamodb_errors.h"
#include "emulators/dynamodb/item_size.h"
#include "emulators/dynamodb/str_cat.h"
#include "sim/check.h"

namespace emu::dynamodb {
namespace {

constexpr std::string_view kTypeNames[] = {"S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"};

void AppendJsonString(std::string& out, std::string_view s) {
  out += '"';
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out += kHex[(c >> 4) & 0xf];
          out += kHex[c & 0xf];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

void AppendDebug(std::string& out, const AttributeValue& v);

void AppendMap(std::string& out, const AttributeMap& m) {
  out += '{';
  bool first = true;
  for (const auto& [k, v] : m) {
    if (!first) out += ',';
    first = false;
    AppendJsonString(out, k);
    out += ':';
    AppendDebug(out, v);
  }
  out += '}';
}

void AppendDebug(std::string& out, const AttributeValue& v) {
  out += "{\"";
  out += AttrTypeName(v.type());
  out += "\":";
  switch (v.type()) {
    case AttrType::kS:
      AppendJsonString(out, v.s());
      break;
    case AttrType::kN:
      AppendJsonString(out, v.n().ToString());
      break;
    case AttrType::kB:
      AppendJsonString(out, Base64Encode(v.b()));
      break;
    case AttrType::kBool:
      out += v.boolean() ? "true" : "false";
      break;
    case AttrType::kNull:
      out += "true";
      break;
    case AttrType::kM:
      AppendMap(out, v.m());
      break;
    case AttrType::kL: {
      out += '[';
      for (size_t i = 0; i < v.l().size(); ++i) {
        if (i) out += ',';
        AppendDebug(out, v.l()[i]);
      }
      out += ']';
      break;
    }
    case AttrType::kSS:
    case AttrType::kBS: {
      const auto& vals = v.type() == AttrType::kSS ? v.ss() : v.bs();
      out += '[';
      for (size_t i = 0; i < vals.size(); ++i) {
        if (i) out += ',';
        AppendJsonString(out, v.type() == AttrType::kSS ? vals[i] : Base64Encode(vals[i]));
      }
      out += ']';
      break;
    }
    case AttrType::kNS: {
      out += '[';
      for (size_t i = 0; i < v.ns().size(); ++i) {
        if (i) out += ',';
        AppendJsonString(out, v.ns()[i].ToString());
      }
      out += ']';
      break;
    }
  }
  out += '}';
}

template <class T>
bool SortUnique(std::vector<T>& values) {
  std::sort(values.begin(), values.end());
  auto end = std::unique(values.begin(), values.end());
  bool had_duplicates = end != values.end();
  values.erase(end, values.end());
  return had_duplicates;
}

std::string JoinForMessage(const std::vector<std::string>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ", ";
    out += values[i];
  }
  return out + "]";
}

sim::Status Invalid(std::string_view detail) {
  return errors::ValidationError(StrCat("One or more parameter values were invalid: ", detail));
}

}  // namespace

std::string_view AttrTypeName(AttrType type) { return kTypeNames[static_cast<size_t>(type)]; }

bool ParseAttrTypeName(std::string_view name, AttrType* type) {
  for (size_t i = 0; i < std::size(kTypeNames); ++i) {
    if (kTypeNames[i] == name) {
      *type = static_cast<AttrType>(i);
      return true;
    }
  }
  return false;
}

AttributeValue AttributeValue::N(std::string_view text) {
  auto d = Decimal::Parse(text);
  SIM_CHECK_MSG(d.ok(), "bad number literal " << text);
  return N(*d);
}

AttributeValue AttributeValue::SS(std::vector<std::string> values) {
  SIM_CHECK(!values.empty());
  SortUnique(values);
  return AttributeValue(Variant(std::in_place_index<7>, StringSet{std::move(values)}));
}
AttributeValue AttributeValue::NS(std::vector<Decimal> values) {
  SIM_CHECK(!values.empty());
  SortUnique(values);
  return AttributeValue(Variant(std::in_place_index<8>, NumberSet{std::move(values)}));
}
AttributeValue AttributeValue::BS(std::vector<std::string> values) {
  SIM_CHECK(!values.empty());
  SortUnique(values);
  return AttributeValue(Variant(std::in_place_index<9>, BinarySet{std::move(values)}));
}

void AttributeValue::CheckType(AttrType expected) const {
  SIM_CHECK_MSG(type() == expected,
                "AttributeValue is " << AttrTypeName(type()) << ", accessed as " << AttrTypeName(expected));
}

std::string AttributeValue::DebugString() const {
  std::string out;
  AppendDebug(out, *this);
  return out;
}

std::string DebugString(const Item& item) {
  std::string out;
  AppendMap(out, item);
  return out;
}

std::string Base64Encode(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t n = (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8) |
                 static_cast<uint8_t>(bytes[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i + 1 == bytes.size()) {
    uint32_t n = static_cast<uint8_t>(bytes[i]) << 16;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    uint32_t n = (static_cast<uint8_t>(bytes[i]) << 16) | (static_cast<uint8_t>(bytes[i + 1]) << 8);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

sim::StatusOr<AttributeValue> MakeStringSet(std::vector<std::string> values) {
  if (values.empty()) return Invalid("An string set  may not be empty");
  std::vector<std::string> sorted = values;
  if (SortUnique(sorted)) return Invalid(StrCat("Input collection ", JoinForMessage(values), " contains duplicates."));
  return AttributeValue::SS(std::move(sorted));
}

sim::StatusOr<AttributeValue> MakeBinarySet(std::vector<std::string> values) {
  if (values.empty()) return Invalid("Binary sets should not be empty");
  std::vector<std::string> sorted = values;
  if (SortUnique(sorted)) {
    std::vector<std::string> encoded;
    for (const auto& v : values) encoded.push_back(Base64Encode(v));
    return Invalid(StrCat("Input collection ", JoinForMessage(encoded), "of type BS contains duplicates."));
  }
  return AttributeValue::BS(std::move(sorted));
}

sim::StatusOr<AttributeValue> MakeNumberSet(const std::vector<std::string>& values) {
  if (values.empty()) return Invalid("An number set  may not be empty");
  std::vector<Decimal> numbers;
  numbers.reserve(values.size());
  for (const auto& text : values) {
    SIM_ASSIGN_OR_RETURN(Decimal d, Decimal::Parse(text));
    numbers.push_back(d);
  }
  if (SortUnique(numbers)) return errors::ValidationError("Input collection contains duplicates");
  return AttributeValue::NS(std::move(numbers));
}

sim::StatusOr<AttributeValue> MakeNumber(std::string_view text) {
  SIM_ASSIGN_OR_RETURN(Decimal d, Decimal::Parse(text));
  return AttributeValue::N(d);
}

namespace {

int NestingDepth(const AttributeValue& v) {
  int deepest = 0;
  if (v.Is(AttrType::kM)) {
    for (const auto& [k, child] : v.m()) deepest = std::max(deepest, NestingDepth(child));
  } else if (v.Is(AttrType::kL)) {
    for (const auto& child : v.l()) deepest = std::max(deepest, NestingDepth(child));
  } else {
    return 0;
  }
  return deepest + 1;
}

}  // namespace

sim::Status CheckNestingDepth(const Item& item) {
  for (const auto& [k, v] : item) {
    if (NestingDepth(v) > kMaxNestingLevels) {
      return errors::ValidationError("Nesting Levels have exceeded supported limits");
    }
  }
  return sim::OkStatus();
}

bool IsKeyType(AttrType type) { return type == AttrType::kS || type == AttrType::kN || type == AttrType::kB; }

size_t KeyValueBytes(const AttributeValue& value) {
  switch (value.type()) {
    case AttrType::kS:
      return value.s().size();
    case AttrType::kB:
      return value.b().size();
    case AttrType::kN:
      return NumberSize(value.n());
    default:
      return AttributeValueSize(value);
  }
}

std::strong_ordering CompareKeyValues(const AttributeValue& a, const AttributeValue& b) {
  SIM_CHECK(a.type() == b.type() && IsKeyType(a.type()));
  switch (a.type()) {
    case AttrType::kN:
      return a.n() <=> b.n();
    case AttrType::kS:
      return a.s().compare(b.s()) <=> 0;  // std::string compares as unsigned char
    default:
      return a.b().compare(b.b()) <=> 0;
  }
}

bool LessThan(const AttributeValue& a, const AttributeValue& b) {
  if (a.type() != b.type() || !IsKeyType(a.type())) return false;
  return CompareKeyValues(a, b) < 0;
}

namespace {

sim::Status CheckKeyValue(const KeyElement& element, const AttributeValue& v, bool partition) {
  if (v.type() != element.type) {
    return Invalid(StrCat("Type mismatch for key ", element.name, " expected: ", AttrTypeName(element.type),
                          " actual: ", AttrTypeName(v.type())));
  }
  if ((v.Is(AttrType::kS) && v.s().empty()) || (v.Is(AttrType::kB) && v.b().empty())) {
    return errors::ValidationError(
        StrCat("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an "
               "empty ",
               v.Is(AttrType::kS) ? "string" : "binary", " value. Key: ", element.name));
  }
  size_t bytes = KeyValueBytes(v);
  if (partition && bytes > kMaxPartitionKeyBytes) {
    return Invalid("Size of hashkey has exceeded the maximum size limit of 2048 bytes");
  }
  if (!partition && bytes > kMaxSortKeyBytes) {
    return Invalid("Aggregated size of all range keys has exceeded the size limit of 1024 bytes");
  }
  return sim::OkStatus();
}

}  // namespace

sim::Status ValidateItemKey(const KeySchema& schema, const Item& item) {
  auto p = item.find(schema.partition.name);
  if (p == item.end()) return Invalid(StrCat("Missing the key ", schema.partition.name, " in the item"));
  SIM_RETURN_IF_ERROR(CheckKeyValue(schema.partition, p->second, true));
  if (schema.sort) {
    auto s = item.find(schema.sort->name);
    if (s == item.end()) return Invalid(StrCat("Missing the key ", schema.sort->name, " in the item"));
    SIM_RETURN_IF_ERROR(CheckKeyValue(*schema.sort, s->second, false));
  }
  return sim::OkStatus();
}

sim::Status ValidateKey(const KeySchema& schema, const Item& key) {
  const size_t expected = schema.sort ? 2 : 1;
  auto mismatch = [] { return errors::ValidationError("The provided key element does not match the schema"); };
  if (key.size() != expected) return mismatch();
  auto p = key.find(schema.partition.name);
  if (p == key.end() || p->second.type() != schema.partition.type) return mismatch();
  SIM_RETURN_IF_ERROR(CheckKeyValue(schema.partition, p->second, true));
  if (schema.sort) {
    auto s = key.find(schema.sort->name);
    if (s == key.end() || s->second.type() != schema.sort->type) return mismatch();
    SIM_RETURN_IF_ERROR(CheckKeyValue(*schema.sort, s->second, false));
  }
  return sim::OkStatus();
}

Item ExtractKey(const KeySchema& schema, const Item& item) {
  Item key;
  auto p = item.find(schema.partition.name);
  SIM_CHECK(p != item.end());
  key.emplace(p->first, p->second);
  if (schema.sort) {
    auto s = item.find(schema.sort->name);
    SIM_CHECK(s != item.end());
    key.emplace(s->first, s->second);
  }
  return key;
}

}  // namespace emu::dynamodb
