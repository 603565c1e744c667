// The recursive-descent parser shared by parser.cpp (operators and grammar) and
// parser_commands.cpp (LaTeX commands: \frac, \sqrt, \text, functions, matrices).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "graders/math/expr.h"
#include "graders/math/lexer.h"

namespace reval::graders::math::internal {

class Parser {
 public:
  Parser(std::string_view text, std::vector<Token> tokens) : text_(text), tokens_(std::move(tokens)) {}

  // The whole input; null with error() set on failure.
  NodePtr parse_all();
  const std::string& error() const { return error_; }
  bool limit_exceeded() const { return limit_exceeded_; }

  // Grammar levels, loosest first.
  NodePtr parse_list(const std::vector<std::string>& closers);
  NodePtr parse_relation();
  NodePtr parse_ratio();
  NodePtr parse_set_expr();
  NodePtr parse_additive();
  NodePtr parse_term();
  NodePtr parse_unary();
  NodePtr parse_postfix();
  NodePtr parse_primary();

  // parser_commands.cpp
  NodePtr parse_command();
  NodePtr parse_frac(bool binomial);
  NodePtr parse_sqrt();
  NodePtr parse_function(std::string name);
  NodePtr parse_function_argument();
  NodePtr parse_text_command(const std::string& command);
  NodePtr parse_environment();
  NodePtr parse_word();
  NodePtr parse_bracket();
  NodePtr parse_braced_group();
  // One TeX argument: a braced group or a single character ("\frac12").
  NodePtr parse_argument();
  // The raw text inside the braces at the cursor, which must be '{'; "" with an error otherwise.
  bool read_raw_group(std::string& out);
  NodePtr parse_subscript();
  // "204_5": a number written in another base; the plain number when the digits do not fit.
  NodePtr parse_subscript_base(NodePtr number);
  // The raw text of a subscript ("_{n-1}" -> "n-1") for symbol names.
  bool read_subscript_text(std::string& out);
  // Whether every factor so far is a plain quantity (units may follow it).
  static bool is_quantity(const std::vector<NodePtr>& factors);

  // Token helpers.
  const Token& peek(size_t ahead = 0) const;
  bool at_punct(std::string_view text, size_t ahead = 0) const;
  bool at_command(std::string_view name, size_t ahead = 0) const;
  bool at_word(std::string_view word, size_t ahead = 0) const;
  void advance() { if (pos_ + 1 < tokens_.size()) ++pos_; }
  bool expect_punct(std::string_view text);
  NodePtr fail(std::string message);
  bool at_end() const { return peek().kind == TokenKind::kEnd; }
  // Number of tokens a list separator at the cursor spans (0 when none): ',', ';', "and", "or",
  // \text{and}, "\\".
  size_t separator_length() const;
  // Whether the token at the cursor can start an implicit factor ("2x", "3\sqrt2", "x(x+1)").
  bool starts_implicit_factor() const;
  // Relation operator at the cursor, if any; advances past it.
  bool take_relop(RelOp& op);
  // Whether the token `ahead` ends a list item (separator, closer, relation or the end).
  bool at_end_of_item(size_t ahead) const;
  // An integer followed by a fraction of integers as a mixed number; null when it is not one.
  static NodePtr mixed_number(const Node& whole, const Node& fraction);
  bool enter();  // depth guard; false (with the limit flag set) when nested too deep
  void leave() { --depth_; }

  std::string_view text_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
  int abs_depth_ = 0;  // inside |...|: a '|' closes instead of opening
  std::string error_;
  bool limit_exceeded_ = false;
};

// Known names: functions the evaluator understands, unit words dropped after numbers.
bool is_function_name(std::string_view name);
bool is_unit_word(std::string_view word);
bool is_connector_word(std::string_view word);

}  // namespace reval::graders::math::internal
