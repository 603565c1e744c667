#include "graders/math/lexer.h"

#include <cctype>

namespace reval::graders::math {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

size_t count_digits(std::string_view text, size_t i) {
  size_t n = 0;
  while (i + n < text.size() && is_digit(text[i + n])) ++n;
  return n;
}

// Whether `text[i]` (a ',' or ' ') starts a thousands group: exactly three digits follow and
// then no further digit. Inside brackets a single comma group is read as a separator instead,
// so "(1,100)" stays a pair while "(1,000,000)" is one number.
bool is_thousands_group(std::string_view text, size_t i) { return count_digits(text, i + 1) == 3; }

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  std::vector<Token> run() {
    std::vector<Token> tokens;
    bool space = false;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == ' ') {
        space = true;
        ++pos_;
        continue;
      }
      Token token;
      token.begin = pos_;
      token.space_before = space;
      space = false;
      if (is_digit(c) || (c == '.' && pos_ + 1 < text_.size() && is_digit(text_[pos_ + 1]))) {
        lex_number(token);
      } else if (is_alpha(c)) {
        while (pos_ < text_.size() && is_alpha(text_[pos_])) token.text += text_[pos_++];
        token.kind = TokenKind::kWord;
      } else if (c == '\\') {
        lex_command(token);
      } else {
        lex_punct(token);
      }
      token.end = pos_;
      tokens.push_back(std::move(token));
    }
    Token end;
    end.kind = TokenKind::kEnd;
    end.begin = end.end = text_.size();
    tokens.push_back(end);
    return tokens;
  }

 private:
  void lex_number(Token& token) {
    token.kind = TokenKind::kNumber;
    size_t lead = count_digits(text_, pos_);
    token.text.append(text_.substr(pos_, lead));
    pos_ += lead;
    if (lead >= 1 && lead <= 3 && text_[token.begin] != '0') absorb_thousands(token, ',');
    if (lead >= 1 && lead <= 3 && text_[token.begin] != '0' && token.text.size() == lead) {
      absorb_thousands(token, ' ');
    }
    if (pos_ + 1 < text_.size() && text_[pos_] == '.' && is_digit(text_[pos_ + 1])) {
      token.text += '.';
      ++pos_;
      size_t frac = count_digits(text_, pos_);
      token.text.append(text_.substr(pos_, frac));
      pos_ += frac;
    }
    // Scientific notation: 1e5, 2.5E-3 (digits must follow; "2e" alone is 2 times e).
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      size_t j = pos_ + 1;
      if (j < text_.size() && (text_[j] == '+' || text_[j] == '-')) ++j;
      size_t exp_digits = count_digits(text_, j);
      if (exp_digits > 0 && (j + exp_digits >= text_.size() || !is_alpha(text_[j + exp_digits]))) {
        token.text += 'e';
        token.text.append(text_.substr(pos_ + 1, j + exp_digits - pos_ - 1));
        pos_ = j + exp_digits;
      }
    }
  }

  void absorb_thousands(Token& token, char separator) {
    size_t groups = 0;
    size_t probe = pos_;
    while (probe < text_.size() && text_[probe] == separator && is_thousands_group(text_, probe)) {
      ++groups;
      probe += 4;
    }
    if (groups == 0) return;
    bool inside_brackets = bracket_depth() > 0;
    if (separator == ',' && inside_brackets && groups < 2) return;
    for (size_t g = 0; g < groups; ++g) {
      token.text.append(text_.substr(pos_ + 1, 3));
      pos_ += 4;
    }
  }

  int bracket_depth() const {
    int depth = 0;
    for (size_t i = 0; i < pos_; ++i) {
      char c = text_[i];
      if (c == '(' || c == '[' || c == '{') ++depth;
      if ((c == ')' || c == ']' || c == '}') && depth > 0) --depth;
    }
    return depth;
  }

  void lex_command(Token& token) {
    token.kind = TokenKind::kCommand;
    ++pos_;
    if (pos_ >= text_.size()) {
      token.text = "\\";
      return;
    }
    if (is_alpha(text_[pos_])) {
      while (pos_ < text_.size() && is_alpha(text_[pos_])) token.text += text_[pos_++];
    } else {
      token.text = std::string(1, text_[pos_++]);
    }
  }

  void lex_punct(Token& token) {
    token.kind = TokenKind::kPunct;
    char c = text_[pos_];
    char next = pos_ + 1 < text_.size() ? text_[pos_ + 1] : '\0';
    if ((c == '<' || c == '>' || c == '!' || c == '=') && next == '=') {
      token.text = std::string{c, next};
      pos_ += 2;
      return;
    }
    token.text = std::string(1, c);
    ++pos_;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

std::vector<Token> lex_math(std::string_view text) { return Lexer(text).run(); }

}  // namespace reval::graders::math
