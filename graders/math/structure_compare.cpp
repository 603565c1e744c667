// Structure-aware comparison: collections, relations and text (see internal/compare_impl.h).
#include <algorithm>
#include <cctype>

#include "graders/math/internal/compare_impl.h"

namespace reval::graders::math::internal {
namespace {

constexpr size_t kMaxCollection = 64;

std::string lower_alnum(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c))) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// "(B)", "B", "B)", "(D) Alina", "\text{(C)}": the option letter, or '\0'.
char choice_letter(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && text[i] == ' ') ++i;
  bool paren = i < text.size() && text[i] == '(';
  if (paren) ++i;
  if (i >= text.size() || text[i] < 'A' || text[i] > 'Z') return '\0';
  char letter = text[i++];
  if (paren) {
    if (i >= text.size() || text[i] != ')') return '\0';
    ++i;
  } else if (i < text.size() && text[i] == ')') {
    ++i;
  }
  if (i < text.size() && text[i] != ' ' && text[i] != '.') return '\0';
  return letter;
}

std::string node_text(const Node& node) {
  if (node.kind == NodeKind::kText) return node.name;
  return letters_of(node);
}

// Relation parts with trailing approximations dropped: "x = 1/3 \approx 0.33" keeps x = 1/3.
void equation_ends(const Node& relation, const Node*& first, const Node*& last) {
  size_t n = relation.children.size();
  bool seen_eq = false;
  for (size_t i = 0; i < relation.ops.size(); ++i) {
    if (relation.ops[i] == RelOp::kApprox && seen_eq) {
      n = i + 1;
      break;
    }
    if (relation.ops[i] == RelOp::kEq) seen_eq = true;
  }
  first = relation.children[0].get();
  last = relation.children[n - 1].get();
}

bool is_equation(const Node& node) {
  if (node.kind != NodeKind::kRelation) return false;
  return std::all_of(node.ops.begin(), node.ops.end(), [](RelOp op) { return op == RelOp::kEq || op == RelOp::kApprox; });
}

bool is_inequality(const Node& node) {
  if (node.kind != NodeKind::kRelation) return false;
  return std::all_of(node.ops.begin(), node.ops.end(), [](RelOp op) {
    return op == RelOp::kLt || op == RelOp::kLe || op == RelOp::kGt || op == RelOp::kGe;
  });
}

NodePtr infinity(bool negative) {
  NodePtr inf = make_constant("inf");
  return negative ? make_node(NodeKind::kNeg, {inf}) : inf;
}

// "a < x <= b", "x > 5", "5 >= x" with a name in the middle: the interval of x; null otherwise.
NodePtr inequality_to_interval(const Node& node) {
  if (!is_inequality(node)) return nullptr;
  auto is_less = [](RelOp op) { return op == RelOp::kLt || op == RelOp::kLe; };
  if (node.ops.size() == 2 && is_name_like(*node.children[1]) && is_less(node.ops[0]) == is_less(node.ops[1])) {
    bool less = is_less(node.ops[0]);
    const NodePtr& lo = less ? node.children[0] : node.children[2];
    const NodePtr& hi = less ? node.children[2] : node.children[0];
    bool lo_open = less ? node.ops[0] == RelOp::kLt : node.ops[1] == RelOp::kGt;
    bool hi_open = less ? node.ops[1] == RelOp::kLt : node.ops[0] == RelOp::kGt;
    return make_interval(lo, hi, lo_open, hi_open);
  }
  if (node.ops.size() != 1) return nullptr;
  RelOp op = node.ops[0];
  const NodePtr* bound = nullptr;
  if (is_name_like(*node.children[0]) && !has_symbols(*node.children[1])) {
    bound = &node.children[1];
  } else if (is_name_like(*node.children[1]) && !has_symbols(*node.children[0])) {
    bound = &node.children[0];
    op = flip(op);
  } else {
    return nullptr;
  }
  bool open = op == RelOp::kLt || op == RelOp::kGt;
  if (is_less(op)) return make_interval(infinity(true), *bound, true, open);
  return make_interval(*bound, infinity(false), open, true);
}

// L op R -> (smaller side, larger side, strict) so that "smaller < larger" holds.
bool oriented_inequality(const Node& node, const Node*& small, const Node*& large, bool& strict) {
  if (!is_inequality(node) || node.ops.size() != 1) return false;
  RelOp op = node.ops[0];
  bool less = op == RelOp::kLt || op == RelOp::kLe;
  small = less ? node.children[0].get() : node.children[1].get();
  large = less ? node.children[1].get() : node.children[0].get();
  strict = op == RelOp::kLt || op == RelOp::kGt;
  return true;
}

bool compare_ordered(const std::vector<NodePtr>& a, const std::vector<NodePtr>& b, CompareContext& ctx) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!compare_nodes(*a[i], *b[i], ctx)) return false;
  }
  return true;
}

// Unordered: a perfect matching found greedily, duplicates on one side ignored.
bool compare_unordered(const std::vector<NodePtr>& a, const std::vector<NodePtr>& b, CompareContext& ctx) {
  if (a.size() > kMaxCollection || b.size() > kMaxCollection) {
    ctx.limit = true;
    return false;
  }
  auto covers = [&](const std::vector<NodePtr>& from, const std::vector<NodePtr>& to) {
    for (const auto& x : from) {
      bool found = false;
      for (const auto& y : to) {
        if (compare_nodes(*x, *y, ctx)) {
          found = true;
          break;
        }
      }
      if (!found) return false;
    }
    return true;
  };
  return covers(a, b) && covers(b, a);
}

// "1,5" written without a space after the comma: a decimal comma.
NodePtr decimal_comma_value(const Node& list) {
  if (list.kind != NodeKind::kList || list.spaced || list.children.size() != 2) return nullptr;
  const Node& whole = *list.children[0];
  const Node& frac = *list.children[1];
  if (whole.kind != NodeKind::kNumber || frac.kind != NodeKind::kNumber || whole.n_decimals >= 0 ||
      frac.n_decimals >= 0 || whole.value.sign() < 0 || !whole.value.is_integer() || frac.n_digits_written <= 0) {
    return nullptr;
  }
  std::string digits = frac.value.num().to_string();
  digits.insert(0, static_cast<size_t>(frac.n_digits_written) - std::min(digits.size(), static_cast<size_t>(frac.n_digits_written)), '0');
  int decimals = 0;
  auto value = Rational::from_decimal(whole.value.num().to_string() + "." + digits, &decimals);
  if (!value) return nullptr;
  return make_number(*value, decimals);
}

std::vector<NodePtr> vector_entries(const Node& node) {
  if (node.kind == NodeKind::kMatrix && (node.n_rows == 1 || node.n_cols == 1)) return node.children;
  if (node.kind == NodeKind::kTuple || node.kind == NodeKind::kList) return node.children;
  return {};
}

}  // namespace

bool is_name_like(const Node& node) {
  switch (node.kind) {
    case NodeKind::kSymbol:
      return true;
    case NodeKind::kFunction:
    case NodeKind::kAbs:
    case NodeKind::kMul:
    case NodeKind::kDiv:
    case NodeKind::kRatio:
    case NodeKind::kTuple:
      return std::all_of(node.children.begin(), node.children.end(), [](const NodePtr& c) {
        return c && (is_name_like(*c) || c->kind == NodeKind::kConstant);
      }) && has_symbols(node);
    default:
      return false;
  }
}

bool compare_text(const Node& a, const Node& b) {
  std::string ta = node_text(a);
  std::string tb = node_text(b);
  if (ta.empty() || tb.empty()) return false;
  char ca = choice_letter(ta);
  char cb = choice_letter(tb);
  if (ca != '\0' && cb != '\0') return ca == cb;
  // Single letters are case-sensitive (E is not e); words are not (Even is even).
  if (ta.size() == 1 || tb.size() == 1) return ta == tb;
  return lower_alnum(ta) == lower_alnum(tb) && !lower_alnum(ta).empty();
}

bool compare_relations(const Node& a, const Node& b, CompareContext& ctx) {
  // x \in S stands for S.
  if (a.kind == NodeKind::kRelation && a.ops.size() == 1 && a.ops[0] == RelOp::kIn) {
    return compare_nodes(*a.children[1], b, ctx);
  }
  if (b.kind == NodeKind::kRelation && b.ops.size() == 1 && b.ops[0] == RelOp::kIn) {
    return compare_nodes(a, *b.children[1], ctx);
  }
  if (is_equation(a) && is_equation(b)) {
    const Node *la, *ra, *lb, *rb;
    equation_ends(a, la, ra);
    equation_ends(b, lb, rb);
    if (compare_nodes(*la, *lb, ctx) && compare_nodes(*ra, *rb, ctx)) return true;
    if (compare_nodes(*la, *rb, ctx) && compare_nodes(*ra, *lb, ctx)) return true;
    // Equations of curves and planes: equal when one is a nonzero multiple of the other.
    bool collections = is_collection(la->kind) || is_collection(ra->kind) || is_collection(lb->kind) ||
                       is_collection(rb->kind);
    if (!collections && (has_symbols(*la) || has_symbols(*ra)) && !(is_name_like(*la) && is_name_like(*lb))) {
      return differences_proportional(*la, *ra, *lb, *rb, 0);
    }
    return false;
  }
  if (is_equation(a) != is_equation(b) && (a.kind != NodeKind::kRelation || b.kind != NodeKind::kRelation)) {
    // "x = 5" against "5": the value after a name ("k = 1/3", "f(x) = 1", "(p,q) = (3,2)").
    const Node& eq = is_equation(a) ? a : b;
    const Node& other = is_equation(a) ? b : a;
    const Node *first, *last;
    equation_ends(eq, first, last);
    size_t n = eq.children.size();
    // A constant left side ("2+3 = 5") states a computation whose result is the answer.
    bool computation = !has_symbols(*first) && !has_symbols(*last);
    bool named = is_name_like(*first) || computation || (n >= 3 && is_name_like(*eq.children[n - 2]));
    if (named && compare_nodes(*last, other, ctx)) return true;
    // "\frac{9.5}{3.14159} \approx 3.01": the exact value stands before the first approximation.
    for (size_t i = 0; i < eq.ops.size(); ++i) {
      if (eq.ops[i] != RelOp::kApprox) continue;
      const Node& exact = *eq.children[i];
      return (is_name_like(*first) || !has_symbols(exact)) && !is_name_like(exact) && compare_nodes(exact, other, ctx);
    }
    return false;
  }
  if (is_inequality(a) || is_inequality(b)) {
    NodePtr ia = is_inequality(a) ? inequality_to_interval(a) : nullptr;
    NodePtr ib = is_inequality(b) ? inequality_to_interval(b) : nullptr;
    if (is_inequality(a) && is_inequality(b)) {
      if (ia && ib) return compare_nodes(*ia, *ib, ctx);
      const Node *sa, *la, *sb, *lb;
      bool strict_a = false;
      bool strict_b = false;
      if (oriented_inequality(a, sa, la, strict_a) && oriented_inequality(b, sb, lb, strict_b)) {
        return strict_a == strict_b && differences_proportional(*la, *sa, *lb, *sb, 1);
      }
      // Chains ("f(2) < f(1) < f(4)"): the same order side by side, or read backwards.
      if (a.ops == b.ops && compare_ordered(a.children, b.children, ctx)) return true;
      if (a.ops.size() == b.ops.size()) {
        for (size_t i = 0; i < a.ops.size(); ++i) {
          if (a.ops[i] != flip(b.ops[b.ops.size() - 1 - i])) return false;
        }
        std::vector<NodePtr> reversed(b.children.rbegin(), b.children.rend());
        return compare_ordered(a.children, reversed, ctx);
      }
      return false;
    }
    if (a.kind == NodeKind::kRelation && b.kind == NodeKind::kRelation) return false;
    if (ia) return compare_nodes(*ia, b, ctx);
    if (ib) return compare_nodes(a, *ib, ctx);
    return false;
  }
  if (a.kind == NodeKind::kRelation && b.kind == NodeKind::kRelation && a.ops == b.ops) {
    // \ne and mixed chains: side by side, or with every side swapped.
    if (a.ops.size() == 1 && a.ops[0] == RelOp::kNe) {
      return differences_proportional(*a.children[0], *a.children[1], *b.children[0], *b.children[1], 0) ||
             (compare_nodes(*a.children[0], *b.children[0], ctx) && compare_nodes(*a.children[1], *b.children[1], ctx));
    }
    return compare_ordered(a.children, b.children, ctx);
  }
  return false;
}

bool compare_collections(const Node& a, const Node& b, CompareContext& ctx) {
  // A one-element list is its element.
  if (a.kind == NodeKind::kList && a.children.size() == 1) return compare_nodes(*a.children[0], b, ctx);
  if (b.kind == NodeKind::kList && b.children.size() == 1) return compare_nodes(a, *b.children[0], ctx);
  if (!is_collection(a.kind) || !is_collection(b.kind)) {
    const Node& list = is_collection(a.kind) ? a : b;
    const Node& other = is_collection(a.kind) ? b : a;
    NodePtr decimal = decimal_comma_value(list);
    return decimal && other.kind == NodeKind::kNumber && compare_scalars(*decimal, other, ctx);
  }
  NodeKind ka = a.kind;
  NodeKind kb = b.kind;
  auto either = [&](NodeKind x, NodeKind y) { return (ka == x && kb == y) || (ka == y && kb == x); };
  if (ka == NodeKind::kEmptySet || kb == NodeKind::kEmptySet) {
    const Node& other = ka == NodeKind::kEmptySet ? b : a;
    return other.kind == NodeKind::kEmptySet || (other.kind == NodeKind::kSet && other.children.empty());
  }
  if (ka == NodeKind::kInterval && kb == NodeKind::kInterval) {
    return a.left_open == b.left_open && a.right_open == b.right_open && compare_ordered(a.children, b.children, ctx);
  }
  if (either(NodeKind::kInterval, NodeKind::kTuple)) {
    // (a, b) written with round brackets is both a pair and an open interval.
    const Node& interval = ka == NodeKind::kInterval ? a : b;
    const Node& tuple = ka == NodeKind::kInterval ? b : a;
    return interval.left_open && interval.right_open && compare_ordered(interval.children, tuple.children, ctx);
  }
  if (ka == NodeKind::kMatrix && kb == NodeKind::kMatrix) {
    return a.n_rows == b.n_rows && a.n_cols == b.n_cols && compare_ordered(a.children, b.children, ctx);
  }
  if (ka == NodeKind::kMatrix || kb == NodeKind::kMatrix) {
    std::vector<NodePtr> va = vector_entries(a);
    std::vector<NodePtr> vb = vector_entries(b);
    return !va.empty() && !vb.empty() && (ka == NodeKind::kTuple || kb == NodeKind::kTuple) &&
           compare_ordered(va, vb, ctx);
  }
  if (ka == NodeKind::kTuple && kb == NodeKind::kTuple) return compare_ordered(a.children, b.children, ctx);
  if (either(NodeKind::kTuple, NodeKind::kList)) {
    if (compare_ordered(a.children, b.children, ctx)) return true;
    // A list of one tuple's worth of values written bare, or a list of tuples vs one tuple.
    return false;
  }
  bool unordered_a = ka == NodeKind::kSet || ka == NodeKind::kList;
  bool unordered_b = kb == NodeKind::kSet || kb == NodeKind::kList;
  if (unordered_a && unordered_b) return compare_unordered(a.children, b.children, ctx);
  if ((ka == NodeKind::kUnion && kb == NodeKind::kUnion) || (ka == NodeKind::kIntersection && kb == ka)) {
    return compare_unordered(a.children, b.children, ctx);
  }
  if (ka == NodeKind::kSetMinus && kb == NodeKind::kSetMinus) return compare_ordered(a.children, b.children, ctx);
  return false;
}

}  // namespace reval::graders::math::internal
