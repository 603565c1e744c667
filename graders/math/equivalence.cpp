#include "graders/math/equivalence.h"

#include <cmath>
#include <functional>

#include "graders/math/canonical.h"
#include "graders/math/exact_value.h"
#include "graders/math/internal/compare_impl.h"
#include "graders/math/latex_cleanup.h"
#include "graders/math/matrix_arithmetic.h"
#include "graders/math/numeric_eval.h"
#include "graders/math/parser.h"

namespace reval::graders::math {
namespace internal {
namespace {

constexpr uint32_t kProbes = 6;
constexpr double kRelTol = 1e-9;
// A decimal written with at least this many significant digits may stand for an exact value it
// is correctly rounded from ("2.6667" for 8/3, "4.1231056" for sqrt(17)); shorter ones may not
// ("0.33" is not 1/3, "3.14" is not pi, "2.718" is not e).
constexpr int kMinApproxSignificantDigits = 5;

bool contains_kind(const Node& node, NodeKind kind) {
  if (node.kind == kind) return true;
  for (const auto& child : node.children) {
    if (child && contains_kind(*child, kind)) return true;
  }
  return false;
}

bool contains_infinity(const Node& node) {
  if (node.kind == NodeKind::kConstant && node.name == "inf") return true;
  for (const auto& child : node.children) {
    if (child && contains_infinity(*child)) return true;
  }
  return false;
}

// A written decimal (optionally negated): its value and digits after the point.
const Node* as_decimal_literal(const Node& node, bool& negative) {
  negative = false;
  const Node* n = &node;
  if (n->kind == NodeKind::kNeg) {
    negative = true;
    n = n->children[0].get();
  }
  return n->kind == NodeKind::kNumber && n->n_decimals > 0 ? n : nullptr;
}

int significant_digits(const Rational& value, int n_decimals) {
  // value * 10^n_decimals is the integer of the written digits (trailing zeros count as written).
  auto scale = BigInt::pow(BigInt(10), static_cast<uint64_t>(n_decimals));
  if (!scale) return 0;
  BigInt digits = (value.num().abs() * *scale) / value.den();
  return digits.is_zero() ? 0 : static_cast<int>(digits.n_digits());
}

// Whether `decimal` is `other` rounded or truncated to the decimals written.
bool decimal_approximates(const Node& decimal_side, const Node& other) {
  bool negative = false;
  const Node* literal = as_decimal_literal(decimal_side, negative);
  if (literal == nullptr || literal->n_decimals > 300) return false;
  bool other_negative = false;
  if (as_decimal_literal(other, other_negative) != nullptr) return false;  // two decimals compare exactly
  if (significant_digits(literal->value, literal->n_decimals) < kMinApproxSignificantDigits) return false;
  auto value = evaluate_numeric(other, 0);
  if (!value || std::abs(value->imag()) > 1e-12) return false;
  double d = literal->value.to_double() * (negative ? -1 : 1);
  double half_ulp = 0.5 * std::pow(10.0, -literal->n_decimals);
  return std::abs(d - value->real()) <= half_ulp * (1 + 1e-6) + 1e-15 * std::abs(d);
}

bool compare_constant_scalars(const Node& a, const Node& b, CompareContext& ctx) {
  ExactOutcome ea = evaluate_exact(a);
  ExactOutcome eb = evaluate_exact(b);
  if (ea.value && eb.value) {
    if (*ea.value == *eb.value) return true;
    return decimal_approximates(a, b) || decimal_approximates(b, a);
  }
  auto va = evaluate_numeric(a, 0);
  auto vb = evaluate_numeric(b, 0);
  if (va && vb) {
    if (numbers_close(*va, *vb, kRelTol)) return true;
    return decimal_approximates(a, b) || decimal_approximates(b, a);
  }
  if (ea.limit_exceeded || eb.limit_exceeded) ctx.limit = true;
  // No number on at least one side (infinity, overflow): fall back to the canonical renderings.
  return render_canonical(a) == render_canonical(b);
}

}  // namespace

bool differences_proportional(const Node& a, const Node& b, const Node& c, const Node& d, int sign) {
  double ratio = 0;
  int valid = 0;
  for (uint32_t probe = 0; probe < kProbes; ++probe) {
    auto va = evaluate_numeric(a, probe);
    auto vb = evaluate_numeric(b, probe);
    auto vc = evaluate_numeric(c, probe);
    auto vd = evaluate_numeric(d, probe);
    if (!va || !vb || !vc || !vd) continue;
    Complex left = *va - *vb;
    Complex right = *vc - *vd;
    double scale_left = std::max(std::abs(*va), std::abs(*vb));
    double scale_right = std::max(std::abs(*vc), std::abs(*vd));
    bool left_zero = std::abs(left) <= 1e-10 * std::max(1.0, scale_left);
    bool right_zero = std::abs(right) <= 1e-10 * std::max(1.0, scale_right);
    if (left_zero != right_zero) return false;
    if (left_zero) continue;
    Complex r = left / right;
    if (std::abs(r.imag()) > 1e-8 * std::abs(r)) return false;
    if (valid == 0) {
      ratio = r.real();
      if (sign > 0 && ratio <= 0) return false;
    } else if (std::abs(r.real() - ratio) > 1e-8 * std::abs(ratio)) {
      return false;
    }
    ++valid;
  }
  return valid >= 2;
}

NodePtr expand_plus_minus(const NodePtr& node, bool& limit) {
  if (!node || !contains_kind(*node, NodeKind::kPlusMinus)) return nullptr;
  if (node->kind == NodeKind::kSet || node->kind == NodeKind::kList) {
    // {1 \pm \sqrt5, -2}: each element with a ± becomes its alternatives, in place.
    auto flat = std::make_shared<Node>(*node);
    flat->children.clear();
    for (const auto& child : node->children) {
      NodePtr alternatives = expand_plus_minus(child, limit);
      if (limit) return nullptr;
      if (alternatives) {
        for (const auto& alt : alternatives->children) flat->children.push_back(alt);
      } else {
        flat->children.push_back(child);
      }
    }
    return flat;
  }
  std::vector<NodePtr> alternatives = {node};
  // Replace the first ± in each alternative until none is left.
  for (int round = 0; round < kMaxPlusMinus + 1; ++round) {
    std::vector<NodePtr> next;
    bool any = false;
    for (const auto& alt : alternatives) {
      std::function<NodePtr(const NodePtr&, int)> replace = [&](const NodePtr& n, int sign) -> NodePtr {
        if (!n) return n;
        if (n->kind == NodeKind::kPlusMinus && sign != 0) {
          NodePtr right = sign > 0 ? n->children[1] : make_node(NodeKind::kNeg, {n->children[1]});
          if (!n->children[0]) return right;
          return make_node(NodeKind::kAdd, {n->children[0], right});
        }
        for (size_t i = 0; i < n->children.size(); ++i) {
          if (n->children[i] && contains_kind(*n->children[i], NodeKind::kPlusMinus)) {
            auto copy = std::make_shared<Node>(*n);
            copy->children[i] = replace(n->children[i], sign);
            return copy;
          }
        }
        return n;
      };
      if (contains_kind(*alt, NodeKind::kPlusMinus)) {
        any = true;
        next.push_back(replace(alt, 1));
        next.push_back(replace(alt, -1));
      } else {
        next.push_back(alt);
      }
    }
    if (!any) break;
    if (round == kMaxPlusMinus) {
      limit = true;
      return nullptr;
    }
    alternatives = std::move(next);
  }
  return make_node(NodeKind::kList, std::move(alternatives));
}

bool compare_scalars(const Node& a, const Node& b, CompareContext& ctx) {
  if (a.kind == NodeKind::kText || b.kind == NodeKind::kText) return compare_text(a, b);
  if (a.kind == NodeKind::kPercent || b.kind == NodeKind::kPercent) {
    // 28\% matches 28\%, 28 and 0.28.
    const Node& ia = a.kind == NodeKind::kPercent ? *a.children[0] : a;
    const Node& ib = b.kind == NodeKind::kPercent ? *b.children[0] : b;
    if (compare_scalars(ia, ib, ctx)) return true;
    if (a.kind == b.kind) return false;
    return compare_constant_scalars(a, b, ctx);
  }
  if (contains_infinity(a) || contains_infinity(b)) return render_canonical(a) == render_canonical(b);
  if (!has_symbols(a) && !has_symbols(b)) return compare_constant_scalars(a, b, ctx);
  int valid = 0;
  for (uint32_t probe = 0; probe < kProbes; ++probe) {
    auto va = evaluate_numeric(a, probe);
    auto vb = evaluate_numeric(b, probe);
    if (!va || !vb) continue;
    if (!numbers_close(*va, *vb, kRelTol)) return false;
    ++valid;
  }
  if (valid >= 2) return true;
  return render_canonical(a) == render_canonical(b);
}

bool compare_nodes(const Node& a, const Node& b, CompareContext& ctx) {
  if (--ctx.budget < 0 || ctx.depth > 60) {
    ctx.limit = true;
    return false;
  }
  ++ctx.depth;
  bool result = false;
  if (a.kind == NodeKind::kRelation || b.kind == NodeKind::kRelation) {
    result = compare_relations(a, b, ctx);
  } else if (is_collection(a.kind) || is_collection(b.kind)) {
    result = compare_collections(a, b, ctx);
  } else if (a.kind == NodeKind::kRatio || b.kind == NodeKind::kRatio) {
    if (a.kind == b.kind) {
      result = a.children.size() == b.children.size();
      for (size_t i = 0; result && i < a.children.size(); ++i) {
        result = compare_nodes(*a.children[i], *b.children[i], ctx);
      }
    } else {
      const Node& ratio = a.kind == NodeKind::kRatio ? a : b;
      const Node& other = a.kind == NodeKind::kRatio ? b : a;
      if (ratio.children.size() == 2) {
        NodePtr quotient = make_node(NodeKind::kDiv, {ratio.children[0], ratio.children[1]});
        result = compare_scalars(*quotient, other, ctx);
      }
    }
  } else {
    result = compare_scalars(a, b, ctx);
  }
  --ctx.depth;
  return result;
}

}  // namespace internal

Verdict compare_expressions(const Node& gold, const Node& pred) {
  if (count_nodes(gold) > internal::kMaxNodes || count_nodes(pred) > internal::kMaxNodes) return Verdict::kLimit;
  internal::CompareContext ctx;
  bool limit = false;
  NodePtr gold_ptr = fold_matrix_arithmetic(std::make_shared<Node>(gold));
  NodePtr pred_ptr = fold_matrix_arithmetic(std::make_shared<Node>(pred));
  NodePtr gold_expanded = internal::expand_plus_minus(gold_ptr, limit);
  NodePtr pred_expanded = internal::expand_plus_minus(pred_ptr, limit);
  if (limit) return Verdict::kLimit;
  bool equal = internal::compare_nodes(gold_expanded ? *gold_expanded : *gold_ptr,
                                       pred_expanded ? *pred_expanded : *pred_ptr, ctx);
  if (equal) return Verdict::kEqual;
  return ctx.limit ? Verdict::kLimit : Verdict::kDifferent;
}

EquivalenceResult check_equivalence(std::string_view gold, std::string_view pred) {
  EquivalenceResult result;
  ParseOutcome g = parse_math(gold);
  ParseOutcome p = parse_math(pred);
  result.gold_canonical = g.expr ? render_canonical(*g.expr) : canonical_form(gold);
  result.pred_canonical = p.expr ? render_canonical(*p.expr) : canonical_form(pred);
  if (g.expr && p.expr) {
    Verdict verdict = compare_expressions(*g.expr, *p.expr);
    result.equivalent = verdict == Verdict::kEqual;
    result.reason = verdict == Verdict::kEqual ? "equivalent"
                                               : (verdict == Verdict::kLimit ? "limit_exceeded" : "not_equivalent");
    return result;
  }
  // An answer that does not parse can still match the other one as written.
  result.equivalent = !result.gold_canonical.empty() && result.gold_canonical == result.pred_canonical;
  if (result.equivalent) {
    result.reason = "equivalent";
  } else {
    result.reason = (g.limit_exceeded || p.limit_exceeded) ? "limit_exceeded" : "unparseable";
  }
  return result;
}

}  // namespace reval::graders::math
