// LaTeX commands, words, brackets and environments for the math parser (see parser_impl.h).
#include <algorithm>
#include <array>
#include <cctype>

#include "graders/math/internal/parser_impl.h"

namespace reval::graders::math::internal {
namespace {

constexpr std::array<std::string_view, 31> kFunctions = {
    "sin",  "cos",  "tan",  "sec",    "csc",    "cot",    "arcsin", "arccos", "arctan", "arcsec", "arccsc",
    "arccot", "sinh", "cosh", "tanh", "ln",   "log",    "lg",     "exp",    "sqrt",   "abs",    "floor",
    "ceil", "gcd",  "lcm",  "max",    "min",    "det",    "asin",   "acos",   "atan"};

constexpr std::array<std::string_view, 72> kUnits = {
    "cm",      "mm",      "km",     "m",      "s",       "sec",     "second", "seconds", "minute", "minutes",
    "min",     "mins",    "hour",   "hours",  "hr",      "hrs",     "day",    "days",    "week",   "weeks",
    "month",   "months",  "year",   "years",  "kg",      "grams",   "gram",   "mg",      "lb",     "lbs",
    "pound",   "pounds",  "ounce",  "ounces", "oz",      "inch",    "inches", "ft",      "foot",   "feet",
    "yard",    "yards",   "yd",     "mile",   "miles",   "mph",     "meter",  "meters",  "metre",  "metres",
    "liter",   "liters",  "litre",  "litres", "ml",      "cent",    "cents",  "dollar",  "dollars", "yuan",
    "euro",    "euros",   "degree", "degrees", "radian", "radians", "units",  "unit",    "sq",     "square",
    "cubic",   "mL"};

constexpr std::array<std::string_view, 24> kGreek = {
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta",   "theta", "vartheta", "iota", "kappa",
    "lambda", "mu",  "nu",    "xi",    "rho",     "sigma",      "tau",  "phi",   "varphi", "chi",     "psi",  "omega"};

template <size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

std::string trim_copy(std::string_view text) {
  size_t b = 0;
  size_t e = text.size();
  while (b < e && std::isspace(static_cast<unsigned char>(text[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(text[e - 1]))) --e;
  std::string out;
  bool space = false;
  for (size_t i = b; i < e; ++i) {
    if (std::isspace(static_cast<unsigned char>(text[i]))) {
      space = true;
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += text[i];
  }
  return out;
}

}  // namespace

bool is_function_name(std::string_view name) { return contains(kFunctions, name); }
bool is_unit_word(std::string_view word) { return contains(kUnits, word); }
bool is_connector_word(std::string_view word) { return word == "and" || word == "or"; }

bool Parser::is_quantity(const std::vector<NodePtr>& factors) {
  for (const auto& f : factors) {
    if (has_symbols(*f) || f->kind == NodeKind::kText) return false;
  }
  return !factors.empty();
}

bool Parser::read_raw_group(std::string& out) {
  if (!at_punct("{")) {
    fail("expected '{'");
    return false;
  }
  size_t open = pos_;
  int depth = 0;
  for (size_t i = pos_; i < tokens_.size(); ++i) {
    const Token& t = tokens_[i];
    if (t.kind == TokenKind::kEnd) break;
    if (t.kind != TokenKind::kPunct) continue;
    if (t.text == "{") ++depth;
    if (t.text == "}" && --depth == 0) {
      out = text_.substr(tokens_[open].end, t.begin - tokens_[open].end);
      pos_ = i;
      advance();
      return true;
    }
  }
  fail("unbalanced '{'");
  return false;
}

bool Parser::read_subscript_text(std::string& out) {
  advance();  // '_'
  if (at_punct("{")) {
    std::string raw;
    if (!read_raw_group(raw)) return false;
    for (char c : raw) {
      if (c != ' ') out += c;
    }
    return !out.empty() || (fail("empty subscript"), false);
  }
  Token& t = tokens_[pos_];
  if (t.kind == TokenKind::kNumber || t.kind == TokenKind::kWord) {
    out = t.text.substr(0, 1);
    if (t.text.size() > 1) {
      t.text.erase(0, 1);  // TeX takes one character: "x_12" is x_1 times 2
      if (t.kind == TokenKind::kNumber && t.text[0] == '.') t.text.insert(0, "0");
    } else {
      advance();
    }
    return true;
  }
  if (t.kind == TokenKind::kCommand) {
    out = "\\" + t.text;
    advance();
    return true;
  }
  fail("bad subscript");
  return false;
}

NodePtr Parser::parse_subscript_base(NodePtr number) {
  std::string base_text;
  if (!read_subscript_text(base_text)) return nullptr;
  int64_t base = 0;
  for (char c : base_text) {
    if (c < '0' || c > '9' || base > 100) return number;
    base = base * 10 + (c - '0');
  }
  if (base < 2 || base > 10 || !number->value.is_integer() || number->value.sign() < 0) return number;
  // Digits of the number as written in base 10, reread in `base`.
  std::string digits = number->value.num().to_string();
  BigInt value(0);
  for (char c : digits) {
    if (c - '0' >= base) return number;
    value = value * BigInt(base) + BigInt(c - '0');
  }
  return make_number(Rational(value));
}

NodePtr Parser::parse_argument() {
  if (at_punct("{")) return parse_braced_group();
  Token& t = tokens_[pos_];
  if ((t.kind == TokenKind::kNumber || t.kind == TokenKind::kWord) && t.text.size() > 1) {
    std::string first = t.text.substr(0, 1);
    t.text.erase(0, 1);
    if (t.kind == TokenKind::kNumber && t.text[0] == '.') t.text.insert(0, "0");
    if (t.kind == TokenKind::kNumber) return make_number(Rational(first[0] - '0'));
    if (first == "e") return make_constant("e");
    return make_symbol(first);
  }
  return parse_primary();
}

NodePtr Parser::parse_braced_group() {
  advance();  // '{'
  if (at_punct("}")) return fail("empty group");
  NodePtr inner = parse_list({"}"});
  if (!inner || !expect_punct("}")) return nullptr;
  return inner;
}

NodePtr Parser::parse_bracket() {
  bool open_round = at_punct("(");
  advance();
  if (at_punct(")") || at_punct("]")) return fail("empty brackets");
  NodePtr inner = parse_list({")", "]"});
  if (!inner) return nullptr;
  if (!at_punct(")") && !at_punct("]")) return fail("unclosed bracket");
  bool close_round = at_punct(")");
  advance();
  if (inner->kind != NodeKind::kList) {
    if (open_round != close_round) return fail("mismatched brackets");
    return inner;
  }
  if (inner->children.size() == 2 && !(open_round && close_round)) {
    return make_interval(inner->children[0], inner->children[1], open_round, close_round);
  }
  if (open_round != close_round) return fail("mismatched brackets");
  return make_node(NodeKind::kTuple, inner->children);
}

NodePtr Parser::parse_word() {
  std::string word = peek().text;
  if (is_function_name(word)) {
    advance();
    return parse_function(word);
  }
  if (word == "pi") {
    advance();
    return make_constant("pi");
  }
  if (word == "infty" || word == "infinity" || word == "inf") {
    advance();
    return make_constant("inf");
  }
  if (is_connector_word(word)) return fail("unexpected '" + word + "'");
  advance();
  // A letter run is a product of single-letter symbols ("xy", "odd"); a subscript binds to the last.
  std::vector<NodePtr> letters;
  for (size_t i = 0; i < word.size(); ++i) {
    std::string name(1, word[i]);
    bool last = i + 1 == word.size();
    if (last && at_punct("_")) {
      std::string sub;
      if (!read_subscript_text(sub)) return nullptr;
      letters.push_back(make_symbol(name + "_{" + sub + "}"));
    } else if (name == "e" || name == "i") {
      letters.push_back(make_constant(name));
    } else {
      letters.push_back(make_symbol(name));
    }
  }
  return letters.size() == 1 ? letters[0] : make_node(NodeKind::kMul, std::move(letters));
}

NodePtr Parser::parse_function_argument() {
  std::vector<NodePtr> factors;
  NodePtr first = parse_postfix();
  if (!first) return nullptr;
  factors.push_back(first);
  // "\sin 2x" is sin(2x); "\sin b \cos a" stops at the next function.
  while (peek().kind == TokenKind::kNumber || (peek().kind == TokenKind::kWord && !is_connector_word(peek().text) &&
                                                !is_function_name(peek().text) && !is_unit_word(peek().text))) {
    if (peek().kind == TokenKind::kNumber && factors.back()->kind == NodeKind::kNumber) break;
    NodePtr next = parse_postfix();
    if (!next) return nullptr;
    factors.push_back(next);
  }
  return factors.size() == 1 ? factors[0] : make_node(NodeKind::kMul, std::move(factors));
}

NodePtr Parser::parse_function(std::string name) {
  if (name == "asin" || name == "acos" || name == "atan") name = "arc" + name.substr(1);
  NodePtr power;
  NodePtr base;
  for (int round = 0; round < 2; ++round) {
    if (at_punct("^")) {
      advance();
      if ((at_punct("{") && at_punct("-", 1) && peek(2).text == "1" && at_punct("}", 3)) ||
          (at_punct("-") && peek(1).text == "1")) {
        pos_ += at_punct("{") ? 4 : 2;
        name = "arc" + name;  // \sin^{-1} is the inverse function
      } else {
        power = parse_argument();
        if (!power) return nullptr;
      }
    } else if (at_punct("_") && (name == "log")) {
      advance();
      base = parse_argument();
      if (!base) return nullptr;
    }
  }
  std::vector<NodePtr> args;
  if (at_punct("(")) {
    advance();
    NodePtr inner = parse_list({")"});
    if (!inner || !expect_punct(")")) return nullptr;
    if (inner->kind == NodeKind::kList) {
      args = inner->children;
    } else {
      args.push_back(inner);
    }
  } else {
    NodePtr arg = parse_function_argument();
    if (!arg) return nullptr;
    args.push_back(arg);
  }
  if (base) args.push_back(base);
  NodePtr call = make_function(name == "lg" ? "log10" : name, std::move(args));
  return power ? make_node(NodeKind::kPow, {call, power}) : call;
}

NodePtr Parser::parse_frac(bool binomial) {
  NodePtr top = parse_argument();
  if (!top) return nullptr;
  NodePtr bottom = parse_argument();
  if (!bottom) return nullptr;
  if (binomial) return make_function("binom", {top, bottom});
  return make_node(NodeKind::kDiv, {top, bottom});
}

NodePtr Parser::parse_sqrt() {
  NodePtr index;
  if (at_punct("[")) {
    advance();
    index = parse_additive();
    if (!index || !expect_punct("]")) return nullptr;
  }
  NodePtr radicand = parse_argument();
  if (!radicand) return nullptr;
  NodePtr exponent = index ? make_node(NodeKind::kDiv, {make_number(1), index}) : make_number(*Rational::make(1, 2));
  return make_node(NodeKind::kPow, {radicand, exponent});
}

NodePtr Parser::parse_text_command(const std::string& command) {
  std::string raw;
  if (!read_raw_group(raw)) return nullptr;
  std::string content = trim_copy(raw);
  if (content.empty()) return fail("empty \\" + command);
  bool digits = std::all_of(content.begin(), content.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (digits && content.size() < 400) return make_number(*Rational::from_decimal(content));
  return make_text(content);
}

NodePtr Parser::parse_environment() {
  std::string env;
  if (!read_raw_group(env)) return nullptr;
  static const char* const kMatrices[] = {"pmatrix", "bmatrix", "Bmatrix", "vmatrix", "Vmatrix",
                                          "matrix",  "smallmatrix", "array"};
  bool known = false;
  for (const char* m : kMatrices) known = known || env == m;
  if (!known) return fail("unsupported environment " + env);
  if (env == "array" && at_punct("{")) {
    std::string spec;
    if (!read_raw_group(spec)) return nullptr;
  }
  std::vector<std::vector<NodePtr>> rows(1);
  while (!at_command("end")) {
    if (at_end()) return fail("unclosed " + env);
    if (at_command("\\")) {
      advance();
      rows.emplace_back();
      continue;
    }
    NodePtr entry = parse_relation();
    if (!entry) return nullptr;
    rows.back().push_back(entry);
    if (at_punct("&")) {
      advance();
      if (at_command("\\") || at_command("end")) return fail("empty matrix entry");
    }
  }
  advance();  // \end
  std::string end_env;
  if (!read_raw_group(end_env)) return nullptr;
  if (end_env != env) return fail("\\end{" + end_env + "} closes \\begin{" + env + "}");
  while (!rows.empty() && rows.back().empty()) rows.pop_back();
  if (rows.empty()) return fail("empty matrix");
  size_t n_cols = rows[0].size();
  std::vector<NodePtr> entries;
  for (const auto& row : rows) {
    if (row.size() != n_cols) return fail("ragged matrix");
    entries.insert(entries.end(), row.begin(), row.end());
  }
  return make_matrix(std::move(entries), static_cast<int>(rows.size()), static_cast<int>(n_cols));
}

NodePtr Parser::parse_command() {
  const std::string name = peek().text;
  advance();
  if (name == "frac" || name == "over") return parse_frac(false);
  if (name == "binom" || name == "dbinom" || name == "tbinom") return parse_frac(true);
  if (name == "sqrt") return parse_sqrt();
  if (name == "pi") return make_constant("pi");
  if (name == "infty" || name == "inf") return make_constant("inf");
  if (name == "emptyset" || name == "varnothing") return make_node(NodeKind::kEmptySet, {});
  if (contains(kGreek, name)) {
    if (at_punct("_")) {
      std::string sub;
      if (!read_subscript_text(sub)) return nullptr;
      return make_symbol("\\" + name + "_{" + sub + "}");
    }
    return make_symbol("\\" + name);
  }
  if (is_function_name(name)) return parse_function(name);
  if (name == "text" || name == "textbf" || name == "textit" || name == "textrm" || name == "mbox" ||
      name == "textnormal" || name == "textsf" || name == "texttt" || name == "emph" || name == "hbox") {
    return parse_text_command(name);
  }
  if (name == "operatorname") {
    std::string fn;
    if (!read_raw_group(fn)) return nullptr;
    return parse_function(trim_copy(fn));
  }
  if (name == "mathrm" || name == "mathbf" || name == "mathit" || name == "mathsf" || name == "boldsymbol" ||
      name == "mathbb" || name == "mathcal" || name == "boxed" || name == "fbox" || name == "framebox" ||
      name == "overline" || name == "bar" || name == "vec" || name == "hat" || name == "widehat" ||
      name == "overrightarrow" || name == "underline" || name == "tilde" || name == "widetilde" || name == "bm") {
    return parse_argument();
  }
  if (name == "angle" || name == "measuredangle" || name == "triangle") return parse_postfix();
  if (name == "{") {
    if (at_command("}")) {
      advance();
      return make_node(NodeKind::kEmptySet, {});
    }
    NodePtr inner = parse_list({"}"});
    if (!inner) return nullptr;
    if (!at_command("}")) return fail("unclosed \\{");
    advance();
    if (inner->kind == NodeKind::kList) return make_node(NodeKind::kSet, inner->children);
    return make_node(NodeKind::kSet, {inner});
  }
  if (name == "lvert" || name == "vert" || name == "|") {
    NodePtr inner = parse_additive();
    if (!inner) return nullptr;
    if (!(at_command("rvert") || at_command("vert") || at_command("|"))) return fail("unclosed |");
    advance();
    return make_node(NodeKind::kAbs, {inner});
  }
  if (name == "lfloor" || name == "lceil") {
    NodePtr inner = parse_additive();
    if (!inner) return nullptr;
    if (!(at_command("rfloor") || at_command("rceil"))) return fail("unclosed " + name);
    advance();
    return make_function(name == "lfloor" ? "floor" : "ceil", {inner});
  }
  if (name == "begin") return parse_environment();
  // An unknown alphabetic command without arguments names something (\zeta_0, \ell, \hbar):
  // a symbol. Commands taking arguments or punctuation commands are not guessed at.
  static const char* const kUnsupported[] = {"sum", "prod", "int", "lim", "dots", "ldots", "cdots", "end",
                                             "iint", "oint", "partial", "nabla", "forall", "exists", "right"};
  bool unsupported = !std::isalpha(static_cast<unsigned char>(name[0])) || at_punct("{");
  for (const char* u : kUnsupported) unsupported = unsupported || name == u;
  if (unsupported) return fail("unsupported command \\" + name);
  return make_symbol("\\" + name);
}

}  // namespace reval::graders::math::internal
