#include "graders/math/expr.h"

namespace reval::graders::math {

NodePtr make_number(Rational value, int n_decimals) {
  auto node = std::make_shared<Node>();
  node->kind = NodeKind::kNumber;
  node->value = std::move(value);
  node->n_decimals = n_decimals;
  return node;
}

NodePtr make_symbol(std::string name, NodePtr subscript) {
  auto node = std::make_shared<Node>();
  node->kind = NodeKind::kSymbol;
  node->name = std::move(name);
  if (subscript) node->children.push_back(std::move(subscript));
  return node;
}

NodePtr make_constant(std::string name) {
  auto node = std::make_shared<Node>();
  node->kind = NodeKind::kConstant;
  node->name = std::move(name);
  return node;
}

NodePtr make_text(std::string text) {
  auto node = std::make_shared<Node>();
  node->kind = NodeKind::kText;
  node->name = std::move(text);
  return node;
}

NodePtr make_node(NodeKind kind, std::vector<NodePtr> children) {
  auto node = std::make_shared<Node>();
  node->kind = kind;
  node->children = std::move(children);
  return node;
}

NodePtr make_function(std::string name, std::vector<NodePtr> args) {
  auto node = std::make_shared<Node>();
  node->kind = NodeKind::kFunction;
  node->name = std::move(name);
  node->children = std::move(args);
  return node;
}

NodePtr make_interval(NodePtr lo, NodePtr hi, bool left_open, bool right_open) {
  auto node = std::make_shared<Node>();
  node->kind = NodeKind::kInterval;
  node->children = {std::move(lo), std::move(hi)};
  node->left_open = left_open;
  node->right_open = right_open;
  return node;
}

NodePtr make_relation(std::vector<NodePtr> parts, std::vector<RelOp> ops) {
  auto node = std::make_shared<Node>();
  node->kind = NodeKind::kRelation;
  node->children = std::move(parts);
  node->ops = std::move(ops);
  return node;
}

NodePtr make_matrix(std::vector<NodePtr> entries, int n_rows, int n_cols) {
  auto node = std::make_shared<Node>();
  node->kind = NodeKind::kMatrix;
  node->children = std::move(entries);
  node->n_rows = n_rows;
  node->n_cols = n_cols;
  return node;
}

size_t count_nodes(const Node& node) {
  size_t n = 1;
  for (const auto& child : node.children) {
    if (child) n += count_nodes(*child);
  }
  return n;
}

bool has_symbols(const Node& node) {
  if (node.kind == NodeKind::kSymbol) return true;
  for (const auto& child : node.children) {
    if (child && has_symbols(*child)) return true;
  }
  // An unknown function applied to constants still varies with the function.
  return node.kind == NodeKind::kFunction && node.children.empty();
}

bool is_collection(NodeKind kind) {
  switch (kind) {
    case NodeKind::kTuple:
    case NodeKind::kList:
    case NodeKind::kSet:
    case NodeKind::kInterval:
    case NodeKind::kUnion:
    case NodeKind::kIntersection:
    case NodeKind::kSetMinus:
    case NodeKind::kEmptySet:
    case NodeKind::kMatrix:
      return true;
    default:
      return false;
  }
}

std::string letters_of(const Node& node) {
  if (node.kind == NodeKind::kSymbol && node.children.empty() && node.name.size() == 1) return node.name;
  if (node.kind == NodeKind::kConstant && (node.name == "e" || node.name == "i")) return node.name;
  if (node.kind != NodeKind::kMul) return "";
  std::string out;
  for (const auto& child : node.children) {
    std::string part = letters_of(*child);
    if (part.empty()) return "";
    out += part;
  }
  return out;
}

const char* relop_text(RelOp op) {
  switch (op) {
    case RelOp::kEq: return "=";
    case RelOp::kNe: return "\\ne";
    case RelOp::kLt: return "<";
    case RelOp::kLe: return "\\le";
    case RelOp::kGt: return ">";
    case RelOp::kGe: return "\\ge";
    case RelOp::kApprox: return "\\approx";
    case RelOp::kIn: return "\\in";
  }
  return "?";
}

RelOp flip(RelOp op) {
  switch (op) {
    case RelOp::kLt: return RelOp::kGt;
    case RelOp::kLe: return RelOp::kGe;
    case RelOp::kGt: return RelOp::kLt;
    case RelOp::kGe: return RelOp::kLe;
    default: return op;
  }
}

}  // namespace reval::graders::math
