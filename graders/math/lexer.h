// Lexer for the math answer language (a LaTeX subset plus plain text): numbers with their
// separators resolved, letter runs, backslash commands and punctuation. Input is the output of
// cleanup_latex(). Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace reval::graders::math {

enum class TokenKind {
  kNumber,   // text: digits, optional '.', optional exponent "e-3"; separators already removed
  kWord,     // a run of ASCII letters
  kCommand,  // text: the name after the backslash ("frac", "{", "\\")
  kPunct,    // text: one character, or "<=", ">=", "!=", "=="
  kEnd,
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;
  size_t begin = 0;  // byte offsets into the lexed text
  size_t end = 0;
  bool space_before = false;  // whitespace precedes the token
};

// Splits `text` into tokens ending with one kEnd token. Bytes the lexer does not know become
// single-character kPunct tokens (the parser rejects them).
std::vector<Token> lex_math(std::string_view text);

}  // namespace reval::graders::math
