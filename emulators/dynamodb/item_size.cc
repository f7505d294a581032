#include "emulators/dynamodb/item_size.h"

#include "emulators/dynamodb/dynamodb_errors.h"

namespace emu::dynamodb {

size_t NumberSize(const Decimal& n) {
  size_t digits = n.IsZero() ? 1 : static_cast<size_t>(n.Digits());
  return (digits + 1) / 2 + 1;
}

size_t AttributeValueSize(const AttributeValue& value) {
  switch (value.type()) {
    case AttrType::kS:
      return value.s().size();
    case AttrType::kN:
      return NumberSize(value.n());
    case AttrType::kB:
      return value.b().size();
    case AttrType::kBool:
    case AttrType::kNull:
      return 1;
    case AttrType::kM: {
      size_t size = 3;
      for (const auto& [k, v] : value.m()) size += 1 + k.size() + AttributeValueSize(v);
      return size;
    }
    case AttrType::kL: {
      size_t size = 3;
      for (const auto& v : value.l()) size += 1 + AttributeValueSize(v);
      return size;
    }
    case AttrType::kSS: {
      size_t size = 0;
      for (const auto& s : value.ss()) size += s.size();
      return size;
    }
    case AttrType::kNS: {
      size_t size = 0;
      for (const auto& n : value.ns()) size += NumberSize(n);
      return size;
    }
    case AttrType::kBS: {
      size_t size = 0;
      for (const auto& b : value.bs()) size += b.size();
      return size;
    }
  }
  return 0;
}

size_t AttributeSize(std::string_view name, const AttributeValue& value) {
  return name.size() + AttributeValueSize(value);
}

size_t ItemSize(const Item& item) {
  size_t size = 0;
  for (const auto& [k, v] : item) size += AttributeSize(k, v);
  return size;
}

sim::Status CheckItemSize(const Item& item) {
  if (ItemSize(item) > kMaxItemSizeBytes) {
    return errors::ValidationError("Item size has exceeded the maximum allowed size");
  }
  return sim::OkStatus();
}

sim::Status CheckUpdatedItemSize(const Item& item) {
  if (ItemSize(item) > kMaxItemSizeBytes) {
    return errors::ValidationError("Item size to update has exceeded the maximum allowed size");
  }
  return sim::OkStatus();
}

}  // namespace emu::dynamodb
