#include "graders/math/matrix_arithmetic.h"

namespace reval::graders::math {
namespace {

bool is_matrix(const NodePtr& n) { return n && n->kind == NodeKind::kMatrix; }

NodePtr entry(const Node& m, int r, int c) { return m.children[static_cast<size_t>(r * m.n_cols + c)]; }

NodePtr elementwise(const Node& m, const std::function<NodePtr(const NodePtr&)>& f) {
  std::vector<NodePtr> entries;
  for (const auto& e : m.children) entries.push_back(f(e));
  return make_matrix(std::move(entries), m.n_rows, m.n_cols);
}

NodePtr add_matrices(const Node& a, const Node& b) {
  if (a.n_rows != b.n_rows || a.n_cols != b.n_cols) return nullptr;
  std::vector<NodePtr> entries;
  for (size_t i = 0; i < a.children.size(); ++i) {
    entries.push_back(make_node(NodeKind::kAdd, {a.children[i], b.children[i]}));
  }
  return make_matrix(std::move(entries), a.n_rows, a.n_cols);
}

NodePtr multiply_matrices(const Node& a, const Node& b) {
  if (a.n_cols != b.n_rows) return nullptr;
  std::vector<NodePtr> entries;
  for (int r = 0; r < a.n_rows; ++r) {
    for (int c = 0; c < b.n_cols; ++c) {
      std::vector<NodePtr> terms;
      for (int k = 0; k < a.n_cols; ++k) terms.push_back(make_node(NodeKind::kMul, {entry(a, r, k), entry(b, k, c)}));
      entries.push_back(terms.size() == 1 ? terms[0] : make_node(NodeKind::kAdd, std::move(terms)));
    }
  }
  return make_matrix(std::move(entries), a.n_rows, b.n_cols);
}

bool small_enough(const Node& m) { return m.n_rows <= kMaxFoldDimension && m.n_cols <= kMaxFoldDimension; }

}  // namespace

NodePtr fold_matrix_arithmetic(const NodePtr& node) {
  if (!node) return node;
  if (node->kind != NodeKind::kAdd && node->kind != NodeKind::kMul && node->kind != NodeKind::kNeg) return node;
  std::vector<NodePtr> children;
  bool any_matrix = false;
  for (const auto& child : node->children) {
    children.push_back(fold_matrix_arithmetic(child));
    any_matrix = any_matrix || is_matrix(children.back());
  }
  if (!any_matrix) return node;
  for (const auto& child : children) {
    if (is_matrix(child) && !small_enough(*child)) return node;
  }
  if (node->kind == NodeKind::kNeg) {
    return elementwise(*children[0], [](const NodePtr& e) { return make_node(NodeKind::kNeg, {e}); });
  }
  if (node->kind == NodeKind::kAdd) {
    // A sum mixing matrices and scalars has no meaning here: leave it.
    NodePtr sum = children[0];
    for (size_t i = 1; i < children.size(); ++i) {
      if (!is_matrix(sum) || !is_matrix(children[i])) return node;
      sum = add_matrices(*sum, *children[i]);
      if (!sum) return node;
    }
    return sum;
  }
  // Products: scalars scale, matrices multiply in order.
  NodePtr product;
  std::vector<NodePtr> scalars;
  for (const auto& child : children) {
    if (!is_matrix(child)) {
      scalars.push_back(child);
    } else if (!product) {
      product = child;
    } else {
      product = multiply_matrices(*product, *child);
      if (!product || !small_enough(*product)) return node;
    }
  }
  if (scalars.empty()) return product;
  NodePtr scale = scalars.size() == 1 ? scalars[0] : make_node(NodeKind::kMul, scalars);
  return elementwise(*product, [&](const NodePtr& e) { return make_node(NodeKind::kMul, {scale, e}); });
}

}  // namespace reval::graders::math
