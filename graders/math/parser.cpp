#include "graders/math/parser.h"

#include "graders/math/internal/parser_impl.h"
#include "graders/math/latex_cleanup.h"

namespace reval::graders::math {
namespace internal {

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

NodePtr Parser::parse_all() {
  // A trailing full stop or comma ends a sentence, not the answer.
  while (tokens_.size() > 1) {
    const Token& last = tokens_[tokens_.size() - 2];
    if (last.kind == TokenKind::kPunct && (last.text == "." || last.text == "," || last.text == ";")) {
      tokens_.erase(tokens_.end() - 2);
    } else {
      break;
    }
  }
  if (at_end()) return fail("empty answer");
  NodePtr node = parse_list({});
  if (!node) return nullptr;
  if (!at_end()) return fail("unexpected '" + peek().text + "'");
  return node;
}

NodePtr Parser::parse_list(const std::vector<std::string>& closers) {
  if (!enter()) return nullptr;
  std::vector<NodePtr> items;
  std::vector<bool> semicolon_after;  // per item: whether a ';' separated it from the next
  bool spaced = false;
  auto at_closer = [&] {
    if (at_end()) return true;
    for (const auto& c : closers) {
      if (at_punct(c) || at_command(c)) return true;
    }
    return false;
  };
  while (true) {
    while (size_t n = separator_length()) {  // leading or repeated separators ("and and")
      if (items.empty() && n == 1 && (at_punct(",") || at_punct(";"))) break;
      for (size_t i = 0; i < n; ++i) advance();
      spaced = true;
    }
    if (at_closer() && !items.empty()) break;
    NodePtr item = parse_relation();
    if (!item) {
      leave();
      return nullptr;
    }
    items.push_back(item);
    size_t n = separator_length();
    if (n == 0) break;
    semicolon_after.resize(items.size(), false);
    semicolon_after.back() = at_punct(";") || (peek().kind != TokenKind::kPunct && n >= 1);
    if (peek(n).space_before || n > 1 || peek().kind != TokenKind::kPunct) spaced = true;
    for (size_t i = 0; i < n; ++i) advance();
    if (at_closer()) break;
  }
  leave();
  if (items.size() == 1) return items[0];
  semicolon_after.resize(items.size(), false);
  bool any_semicolon = false;
  bool any_comma = false;
  for (size_t i = 0; i + 1 < items.size(); ++i) (semicolon_after[i] ? any_semicolon : any_comma) = true;
  // Groups must all have the same size above one ("1, 2 and 3" stays a list of three).
  size_t group_size = 0;
  bool uniform = true;
  for (size_t i = 0, run = 0; i < items.size(); ++i) {
    ++run;
    if (semicolon_after[i] || i + 1 == items.size()) {
      if (group_size == 0) group_size = run;
      uniform = uniform && run == group_size;
      run = 0;
    }
  }
  if (any_semicolon && any_comma && uniform && group_size > 1) {
    // "p=5, q=2; p=7, q=2": semicolons separate solutions, commas the parts of one solution.
    std::vector<NodePtr> groups;
    std::vector<NodePtr> group;
    for (size_t i = 0; i < items.size(); ++i) {
      group.push_back(items[i]);
      if (semicolon_after[i] || i + 1 == items.size()) {
        groups.push_back(group.size() == 1 ? group[0] : make_node(NodeKind::kTuple, group));
        group.clear();
      }
    }
    items = std::move(groups);
    if (items.size() == 1) return items[0];
  }
  auto list = std::make_shared<Node>();
  list->kind = NodeKind::kList;
  list->children = std::move(items);
  list->spaced = spaced;
  return list;
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

NodePtr Parser::parse_relation() {
  if (!enter()) return nullptr;
  std::vector<NodePtr> parts;
  std::vector<RelOp> ops;
  NodePtr first = parse_ratio();
  if (!first) {
    leave();
    return nullptr;
  }
  parts.push_back(first);
  RelOp op{};
  while (take_relop(op)) {
    NodePtr next = parse_ratio();
    if (!next) {
      leave();
      return nullptr;
    }
    ops.push_back(op);
    parts.push_back(next);
  }
  leave();
  if (ops.empty()) return first;
  return make_relation(std::move(parts), std::move(ops));
}

NodePtr Parser::parse_ratio() {
  NodePtr first = parse_set_expr();
  if (!first || !at_punct(":")) return first;
  std::vector<NodePtr> parts{first};
  while (at_punct(":")) {
    advance();
    NodePtr next = parse_set_expr();
    if (!next) return nullptr;
    parts.push_back(next);
  }
  return make_node(NodeKind::kRatio, std::move(parts));
}

NodePtr Parser::parse_set_expr() {
  NodePtr left = parse_additive();
  if (!left) return nullptr;
  while (at_command("cup") || at_command("cap") || at_command("setminus") || at_punct("U")) {
    NodeKind kind = at_command("cap") ? NodeKind::kIntersection
                                      : (at_command("setminus") ? NodeKind::kSetMinus : NodeKind::kUnion);
    advance();
    NodePtr right = parse_additive();
    if (!right) return nullptr;
    if (left->kind == kind && kind == NodeKind::kUnion) {
      auto merged = std::make_shared<Node>(*left);
      merged->children.push_back(right);
      left = merged;
    } else {
      left = make_node(kind, {left, right});
    }
  }
  return left;
}

NodePtr Parser::parse_additive() {
  if (!enter()) return nullptr;
  std::vector<NodePtr> terms;
  NodePtr first = parse_term();
  if (!first) {
    leave();
    return nullptr;
  }
  terms.push_back(first);
  while (true) {
    bool minus = at_punct("-");
    bool pm = at_command("pm") || at_command("mp");
    if (!minus && !at_punct("+") && !pm) break;
    advance();
    NodePtr term = parse_term();
    if (!term) {
      leave();
      return nullptr;
    }
    if (pm) {
      NodePtr sum = terms.size() == 1 ? terms[0] : make_node(NodeKind::kAdd, terms);
      terms = {make_node(NodeKind::kPlusMinus, {sum, term})};
    } else {
      terms.push_back(minus ? make_node(NodeKind::kNeg, {term}) : term);
    }
  }
  leave();
  return terms.size() == 1 ? terms[0] : make_node(NodeKind::kAdd, std::move(terms));
}

bool Parser::at_end_of_item(size_t ahead) const {
  const Token& t = peek(ahead);
  if (t.kind == TokenKind::kEnd) return true;
  if (t.kind == TokenKind::kPunct) {
    return t.text == "," || t.text == ";" || t.text == ")" || t.text == "]" || t.text == "}" || t.text == "=" ||
           t.text == "<" || t.text == ">" || t.text == "." || t.text == "&";
  }
  return t.kind == TokenKind::kWord && is_connector_word(t.text);
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

NodePtr Parser::parse_term() {
  if (!enter()) return nullptr;
  NodePtr product = parse_unary();
  std::vector<NodePtr> factors;
  if (product) factors.push_back(product);
  auto current = [&]() { return factors.size() == 1 ? factors[0] : make_node(NodeKind::kMul, factors); };
  while (product) {
    if (at_punct("*") || at_command("cdot") || at_command("times") || at_command("ast")) {
      advance();
      NodePtr next = parse_unary();
      if (!next) break;
      factors.push_back(next);
    } else if (at_punct("/") || at_command("div") || at_command("over")) {
      advance();
      NodePtr next = parse_unary();
      if (!next) break;
      factors = {make_node(NodeKind::kDiv, {current(), next})};
    } else if (peek().kind == TokenKind::kWord && is_unit_word(peek().text) && is_quantity(factors) &&
               (peek().text.size() > 1 || at_end_of_item(1) || at_punct("^", 1))) {
      // A unit after a quantity ("1000.99 m^2", "35 cm") is dropped.
      advance();
      if (at_punct("^") && peek(1).kind == TokenKind::kNumber) {
        advance();
        advance();
      }
    } else if (separator_length() == 0 && peek().kind == TokenKind::kCommand &&
               (peek().text == "text" || peek().text == "mbox" || peek().text == "textnormal" ||
                peek().text == "textbf" || peek().text == "textrm" || peek().text == "textit" ||
                (peek().text == "mathrm" && is_unit_word(peek(2).text))) &&
               at_punct("{", 1) && peek(2).kind == TokenKind::kWord) {
      // "\frac{1}{3}\text{ meters}", "15\mbox{ cm}^2": words after a quantity are units.
      advance();
      std::string ignored;
      if (!read_raw_group(ignored)) break;
      if (at_punct("^") && (peek(1).kind == TokenKind::kNumber)) {
        advance();
        advance();
      }
    } else if (starts_implicit_factor()) {
      // A number after a number is not a product ("2 3" is malformed, not 6).
      if (peek().kind == TokenKind::kNumber && factors.back()->kind == NodeKind::kNumber) break;
      bool mixed_candidate = factors.size() == 1 && at_command("frac");
      NodePtr next = parse_postfix();
      if (!next) break;
      if (mixed_candidate) {
        if (NodePtr mixed = mixed_number(*factors[0], *next)) {
          factors[0] = mixed;
          continue;
        }
      }
      factors.push_back(next);
    } else {
      break;
    }
  }
  leave();
  if (!error_.empty()) return nullptr;
  return current();
}

NodePtr Parser::parse_unary() {
  if (!enter()) return nullptr;
  NodePtr result;
  if (at_punct("-")) {
    advance();
    NodePtr operand = parse_unary();
    if (operand) result = make_node(NodeKind::kNeg, {operand});
  } else if (at_punct("+")) {
    advance();
    result = parse_unary();
  } else if (at_command("pm") || at_command("mp")) {
    advance();
    NodePtr operand = parse_unary();
    if (operand) result = make_node(NodeKind::kPlusMinus, {nullptr, operand});
  } else {
    result = parse_postfix();
  }
  leave();
  return result;
}

NodePtr Parser::parse_postfix() {
  if (!enter()) return nullptr;
  NodePtr base = parse_primary();
  while (base) {
    if (at_punct("^")) {
      advance();
      NodePtr exponent;
      if (at_punct("-") || at_punct("+")) {
        bool negative = at_punct("-");
        advance();
        exponent = parse_argument();
        if (exponent && negative) exponent = make_node(NodeKind::kNeg, {exponent});
      } else {
        exponent = parse_argument();
      }
      if (!exponent) {
        base = nullptr;
        break;
      }
      base = make_node(NodeKind::kPow, {base, exponent});
    } else if (at_punct("!") && !at_punct("=", 1)) {
      advance();
      base = make_node(NodeKind::kFactorial, {base});
    } else if (at_punct("%") || at_command("%") || at_word("percent") || at_word("pct") ||
               at_word("percentage")) {
      advance();
      base = make_node(NodeKind::kPercent, {base});
    } else if (at_punct("'") && base->kind == NodeKind::kSymbol) {
      advance();
      auto primed = std::make_shared<Node>(*base);
      primed->name += "'";
      base = primed;
    } else {
      break;
    }
  }
  leave();
  return base;
}

NodePtr Parser::parse_primary() {
  if (!enter()) return nullptr;
  NodePtr result;
  const Token& t = peek();
  switch (t.kind) {
    case TokenKind::kNumber: {
      int decimals = 0;
      auto value = Rational::from_decimal(t.text, &decimals);
      if (!value) {
        limit_exceeded_ = true;
        result = fail("number too large");
        break;
      }
      bool has_point = t.text.find('.') != std::string::npos || t.text.find('e') != std::string::npos;
      const size_t n_written = t.text.size();
      advance();
      auto number = std::make_shared<Node>();
      number->kind = NodeKind::kNumber;
      number->value = *value;
      number->n_decimals = has_point ? decimals : -1;
      number->n_digits_written = has_point ? 0 : static_cast<int>(n_written);
      result = number;
      if (at_punct("_") && !has_point) result = parse_subscript_base(result);
      break;
    }
    case TokenKind::kWord:
      result = parse_word();
      break;
    case TokenKind::kCommand:
      result = parse_command();
      break;
    case TokenKind::kPunct:
      if (t.text == "(" || t.text == "[") {
        result = parse_bracket();
      } else if (t.text == "{") {
        result = parse_braced_group();
      } else if (t.text == "|" && abs_depth_ == 0) {
        advance();
        ++abs_depth_;
        NodePtr inner = parse_additive();
        --abs_depth_;
        if (inner && expect_punct("|")) result = make_node(NodeKind::kAbs, {inner});
      } else {
        result = fail("unexpected '" + t.text + "'");
      }
      break;
    case TokenKind::kEnd:
      result = fail("unexpected end of answer");
      break;
  }
  leave();
  return result;
}

}  // namespace internal

ParseOutcome parse_math(std::string_view text) {
  ParseOutcome outcome;
  if (text.size() > kMaxInputBytes) {
    outcome.error = "answer longer than " + std::to_string(kMaxInputBytes) + " bytes";
    outcome.limit_exceeded = true;
    return outcome;
  }
  std::string cleaned = cleanup_latex(text);
  internal::Parser parser(cleaned, lex_math(cleaned));
  outcome.expr = parser.parse_all();
  if (!outcome.expr) {
    outcome.error = parser.error().empty() ? "unparseable" : parser.error();
    outcome.limit_exceeded = parser.limit_exceeded();
  }
  return outcome;
}

}  // namespace reval::graders::math
