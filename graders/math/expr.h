// The expression tree the math parser builds from LaTeX or plain text, and small helpers to
// construct and inspect it. Nodes are immutable once built and shared through NodePtr, so trees
// may be read from several threads at once.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "graders/math/rational.h"

namespace reval::graders::math {

enum class NodeKind {
  kNumber,      // value; n_decimals >= 0 when written with a decimal point
  kSymbol,      // name ("x", "\alpha"); children[0] is the subscript when present
  kConstant,    // name: "pi", "e", "i", "inf"
  kAdd,         // children summed
  kMul,         // children multiplied
  kDiv,         // children[0] / children[1]
  kPow,         // children[0] ^ children[1]
  kNeg,         // -children[0]
  kFunction,    // name(children...): sin, log (children[1] = base when given), f, ...
  kFactorial,   // children[0]!
  kAbs,         // |children[0]|
  kPercent,     // children[0] %
  kPlusMinus,   // children[0] ± children[1]  (children[0] may be absent: a unary ±)
  kTuple,       // (a, b, ...) ordered
  kList,        // a, b, ... written without brackets (compared as an unordered collection)
  kSet,         // \{a, b\}
  kInterval,    // children[0], children[1]; left_open / right_open
  kUnion,       // children: intervals or sets
  kIntersection,
  kSetMinus,
  kEmptySet,
  kMatrix,      // n_rows x n_cols entries, row-major
  kRelation,    // chain children[0] ops[0] children[1] ops[1] ...
  kText,        // name holds the text
  kRatio,       // a : b : ...
};

enum class RelOp { kEq, kNe, kLt, kLe, kGt, kGe, kApprox, kIn };

struct Node;
using NodePtr = std::shared_ptr<const Node>;

struct Node {
  NodeKind kind = NodeKind::kNumber;
  Rational value;         // kNumber
  int n_decimals = -1;    // kNumber: digits after the decimal point, -1 for integers and fractions
  int n_digits_written = 0;  // kNumber: digits as written for an integer literal (keeps "05")
  std::string name;       // kSymbol, kConstant, kFunction, kText
  std::vector<NodePtr> children;
  std::vector<RelOp> ops;  // kRelation
  bool left_open = false;  // kInterval
  bool right_open = false;
  bool spaced = true;      // kList: whether any separator had a space after it
  int n_rows = 0;          // kMatrix
  int n_cols = 0;
};

NodePtr make_number(Rational value, int n_decimals = -1);
NodePtr make_symbol(std::string name, NodePtr subscript = nullptr);
NodePtr make_constant(std::string name);
NodePtr make_text(std::string text);
NodePtr make_node(NodeKind kind, std::vector<NodePtr> children);
NodePtr make_function(std::string name, std::vector<NodePtr> args);
NodePtr make_interval(NodePtr lo, NodePtr hi, bool left_open, bool right_open);
NodePtr make_relation(std::vector<NodePtr> parts, std::vector<RelOp> ops);
NodePtr make_matrix(std::vector<NodePtr> entries, int n_rows, int n_cols);

// Number of nodes in the tree (bounded walks use it to refuse huge inputs).
size_t count_nodes(const Node& node);
// Whether the tree contains a free symbol (a variable).
bool has_symbols(const Node& node);
// True for collection-like kinds: tuple, list, set, interval, union, matrix.
bool is_collection(NodeKind kind);
// When `node` is a symbol or a product of plain single-letter symbols ("odd" parsed as o*d*d),
// the letters in order; "" otherwise.
std::string letters_of(const Node& node);
// The relation symbol as it is rendered ("=", "\le", ...).
const char* relop_text(RelOp op);
// The relation with its sides swapped (< becomes >).
RelOp flip(RelOp op);

}  // namespace reval::graders::math
