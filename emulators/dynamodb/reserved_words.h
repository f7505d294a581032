#pragma once

// DynamoDB's reserved words: an expression that names an attribute with one
// of them (in any case) must use an ExpressionAttributeNames alias instead.

#include <span>
#include <string_view>

namespace emu::dynamodb {

// Case-insensitive.
bool IsReservedWord(std::string_view word);
// The full list, upper case, sorted.
std::span<const std::string_view> ReservedWords();

}  // namespace emu::dynamodb
