#pragma once

// Tokens of the DynamoDB expression languages (condition, filter, key
// condition, update, projection). Keywords (AND, SET, BETWEEN, ...) come
// out as kName tokens; the parsers match them case-insensitively, because
// whether a word is a keyword depends on where it appears.

#include <string>
#include <string_view>
#include <vector>

namespace emu::dynamodb {

enum class TokenKind : uint8_t {
  kName,              // attribute name or keyword or function name
  kNamePlaceholder,   // #name
  kValuePlaceholder,  // :value
  kNumber,            // digits (list indexes)
  kEq,
  kNe,
  kLt,
  kLe,
  kGt,
  kGe,
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kComma,
  kDot,
  kPlus,
  kMinus,
  kInvalid,  // a character no expression may contain
  kEof,
};

struct Token {
  TokenKind kind;
  std::string_view text;  // a view into the expression
  size_t offset;          // byte offset in the expression
};

// Never fails: an unknown character becomes a kInvalid token that the
// parser reports as a syntax error. The last token is kEof.
std::vector<Token> Tokenize(std::string_view text);

bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace emu::dynamodb
