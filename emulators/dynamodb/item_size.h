#pragma once

// Item size as the "DynamoDB item sizes and formats" page defines it:
// the sum of attribute name lengths (UTF-8 bytes) and value sizes, where
//   S      UTF-8 bytes            B     raw bytes
//   N      1 byte per two significant digits + 1 byte
//   BOOL / NULL  1 byte
//   M / L  3 bytes + per element 1 byte + the element (map keys count too)
//   SS / NS / BS  the sum of the element sizes
// The capacity model rounds these up to 1 KB (writes) / 4 KB (reads).

#include <cstddef>

#include "emulators/dynamodb/attribute_value.h"
#include "sim/status.h"

namespace emu::dynamodb {

inline constexpr size_t kMaxItemSizeBytes = 400 * 1024;

// Size of a number: ceil(significant digits / 2) + 1 (zero counts as one
// digit). The doc calls this approximate; it is what we model.
size_t NumberSize(const Decimal& n);
// Size of a value without its attribute name.
size_t AttributeValueSize(const AttributeValue& value);
// Size of one top-level attribute: name bytes + value size.
size_t AttributeSize(std::string_view name, const AttributeValue& value);
size_t ItemSize(const Item& item);

// ValidationException "Item size has exceeded the maximum allowed size" above 400 KB.
sim::Status CheckItemSize(const Item& item);
// UpdateItem's wording: "Item size to update has exceeded the maximum allowed size".
sim::Status CheckUpdatedItemSize(const Item& item);

}  // namespace emu::dynamodb
