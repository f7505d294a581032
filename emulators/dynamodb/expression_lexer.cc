#include "emulators/dynamodb/expression_lexer.h"

namespace emu::dynamodb {
namespace {

bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsNamePart(char c) { return IsNameStart(c) || IsDigit(c); }

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'a' && a[i] <= 'z' ? static_cast<char>(a[i] - 32) : a[i];
    char y = b[i] >= 'a' && b[i] <= 'z' ? static_cast<char>(b[i] - 32) : b[i];
    if (x != y) return false;
  }
  return true;
}

std::vector<Token> Tokenize(std::string_view text) {
  std::vector<Token> out;
  size_t i = 0;
  while (true) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n')) ++i;
    if (i >= text.size()) break;
    size_t start = i;
    char c = text[i];
    auto emit = [&](TokenKind kind, size_t len) {
      out.push_back(Token{kind, text.substr(start, len), start});
      i = start + len;
    };
    if (IsNameStart(c)) {
      size_t j = i + 1;
      while (j < text.size() && IsNamePart(text[j])) ++j;
      emit(TokenKind::kName, j - i);
    } else if (c == '#' || c == ':') {
      size_t j = i + 1;
      while (j < text.size() && IsNamePart(text[j])) ++j;
      emit(c == '#' ? TokenKind::kNamePlaceholder : TokenKind::kValuePlaceholder, j - i);
    } else if (IsDigit(c)) {
      size_t j = i + 1;
      while (j < text.size() && IsDigit(text[j])) ++j;
      emit(TokenKind::kNumber, j - i);
    } else if (c == '<') {
      if (i + 1 < text.size() && text[i + 1] == '>') {
        emit(TokenKind::kNe, 2);
      } else if (i + 1 < text.size() && text[i + 1] == '=') {
        emit(TokenKind::kLe, 2);
      } else {
        emit(TokenKind::kLt, 1);
      }
    } else if (c == '>') {
      if (i + 1 < text.size() && text[i + 1] == '=') {
        emit(TokenKind::kGe, 2);
      } else {
        emit(TokenKind::kGt, 1);
      }
    } else {
      TokenKind kind = TokenKind::kInvalid;
      switch (c) {
        case '=':
          kind = TokenKind::kEq;
          break;
        case '(':
          kind = TokenKind::kLParen;
          break;
        case ')':
          kind = TokenKind::kRParen;
          break;
        case '[':
          kind = TokenKind::kLBracket;
          break;
        case ']':
          kind = TokenKind::kRBracket;
          break;
        case ',':
          kind = TokenKind::kComma;
          break;
        case '.':
          kind = TokenKind::kDot;
          break;
        case '+':
          kind = TokenKind::kPlus;
          break;
        case '-':
          kind = TokenKind::kMinus;
          break;
        default:
          break;
      }
      // A multi-byte UTF-8 character is one invalid token.
      size_t len = 1;
      if (kind == TokenKind::kInvalid) {
        while (start + len < text.size() && (static_cast<unsigned char>(text[start + len]) & 0xC0) == 0x80) ++len;
      }
      emit(kind, len);
    }
  }
  out.push_back(Token{TokenKind::kEof, std::string_view(), text.size()});
  return out;
}

}  // namespace emu::dynamodb
