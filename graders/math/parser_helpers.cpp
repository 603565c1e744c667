// Token-level helpers of the math parser: lookahead, separators, relation operators, the start of
// implicit factors and mixed numbers (see internal/parser_impl.h).
#include "graders/math/internal/parser_impl.h"
#include "graders/math/parser.h"

namespace reval::graders::math::internal {

const Token& Parser::peek(size_t ahead) const {
  size_t i = pos_ + ahead;
  return i < tokens_.size() ? tokens_[i] : tokens_.back();
}

bool Parser::at_punct(std::string_view text, size_t ahead) const {
  const Token& t = peek(ahead);
  return t.kind == TokenKind::kPunct && t.text == text;
}

bool Parser::at_command(std::string_view name, size_t ahead) const {
  const Token& t = peek(ahead);
  return t.kind == TokenKind::kCommand && t.text == name;
}

bool Parser::at_word(std::string_view word, size_t ahead) const {
  const Token& t = peek(ahead);
  return t.kind == TokenKind::kWord && t.text == word;
}

bool Parser::expect_punct(std::string_view text) {
  if (!at_punct(text)) {
    fail("expected '" + std::string(text) + "'");
    return false;
  }
  advance();
  return true;
}

NodePtr Parser::fail(std::string message) {
  if (error_.empty()) {
    const Token& t = peek();
    error_ = message + " at offset " + std::to_string(t.begin);
  }
  return nullptr;
}

bool Parser::enter() {
  if (++depth_ > kMaxDepth) {
    limit_exceeded_ = true;
    fail("nesting deeper than " + std::to_string(kMaxDepth));
    return false;
  }
  return true;
}

size_t Parser::separator_length() const {
  const Token& t = peek();
  if (t.kind == TokenKind::kPunct && (t.text == "," || t.text == ";")) {
    // ", and" / ", or" count as one separator.
    return (at_word("and", 1) || at_word("or", 1)) ? 2 : 1;
  }
  if (t.kind == TokenKind::kWord && is_connector_word(t.text)) return 1;
  if (t.kind == TokenKind::kCommand && t.text == "\\") return 1;
  if (t.kind == TokenKind::kCommand && (t.text == "text" || t.text == "mbox" || t.text == "textnormal" ||
                                        t.text == "textrm" || t.text == "textbf")) {
    // \text{ and } spans: command, '{', words..., '}'.
    if (!at_punct("{", 1)) return 0;
    size_t i = 2;
    bool saw_connector = false;
    while (peek(i).kind == TokenKind::kWord || at_punct(",", i)) {
      if (peek(i).kind == TokenKind::kWord) {
        if (!is_connector_word(peek(i).text)) return 0;
        saw_connector = true;
      }
      ++i;
    }
    if (!at_punct("}", i)) return 0;
    return saw_connector || i > 2 ? i + 1 : 0;
  }
  return 0;
}

bool Parser::take_relop(RelOp& op) {
  const Token& t = peek();
  if (t.kind == TokenKind::kPunct) {
    if (t.text == "=" || t.text == "==") op = RelOp::kEq;
    else if (t.text == "<") op = RelOp::kLt;
    else if (t.text == ">") op = RelOp::kGt;
    else if (t.text == "<=") op = RelOp::kLe;
    else if (t.text == ">=") op = RelOp::kGe;
    else if (t.text == "!=") op = RelOp::kNe;
    else return false;
  } else if (t.kind == TokenKind::kCommand) {
    const std::string& n = t.text;
    if (n == "le" || n == "leq" || n == "leqslant" || n == "leqq") op = RelOp::kLe;
    else if (n == "ge" || n == "geq" || n == "geqslant" || n == "geqq") op = RelOp::kGe;
    else if (n == "lt") op = RelOp::kLt;
    else if (n == "gt") op = RelOp::kGt;
    else if (n == "ne" || n == "neq") op = RelOp::kNe;
    else if (n == "approx" || n == "simeq" || n == "thickapprox") op = RelOp::kApprox;
    else if (n == "in") op = RelOp::kIn;
    else return false;
  } else {
    return false;
  }
  advance();
  return true;
}

NodePtr Parser::mixed_number(const Node& whole, const Node& fraction) {
  // "3\frac12" is 3 + 1/2 and "-3\frac12" is -(3 + 1/2): an integer followed directly by a fraction
  // of integer literals is a mixed number, not a product.
  bool negative = whole.kind == NodeKind::kNeg;
  const Node& integer = negative ? *whole.children[0] : whole;
  auto plain_integer = [](const Node& n) {
    return n.kind == NodeKind::kNumber && n.n_decimals < 0 && n.value.is_integer() && n.value.sign() >= 0;
  };
  if (!plain_integer(integer) || fraction.kind != NodeKind::kDiv || !plain_integer(*fraction.children[0]) ||
      !plain_integer(*fraction.children[1]) || fraction.children[1]->value.is_zero()) {
    return nullptr;
  }
  auto part = div(fraction.children[0]->value, fraction.children[1]->value);
  if (!part) return nullptr;
  auto total = add(integer.value, *part);
  if (!total) return nullptr;
  return make_number(negative ? -*total : *total);
}

bool Parser::starts_implicit_factor() const {
  const Token& t = peek();
  switch (t.kind) {
    case TokenKind::kNumber:
      return true;
    case TokenKind::kWord:
      return !is_connector_word(t.text);
    case TokenKind::kCommand: {
      static const char* const kStarters[] = {"frac", "sqrt", "pi", "binom", "dbinom", "tbinom", "infty",
                                              "left", "lvert", "vert", "lfloor", "lceil", "mathrm", "operatorname",
                                              "alpha", "beta", "gamma", "delta", "theta", "phi", "omega", "lambda",
                                              "mu", "sigma", "tau", "rho", "epsilon", "varepsilon", "varphi", "psi",
                                              "chi", "eta", "zeta", "xi", "nu", "kappa", "overline", "vec", "mathbf",
                                              "hat", "bar", "overrightarrow", "widehat", "angle", "triangle", "begin",
                                              "exp"};
      for (const char* s : kStarters) {
        if (t.text == s) return true;
      }
      return is_function_name(t.text);
    }
    case TokenKind::kPunct:
      return t.text == "(" || (t.text == "|" && abs_depth_ == 0);
    case TokenKind::kEnd:
      return false;
  }
  return false;
}

}  // namespace reval::graders::math::internal
