#include "graders/math/set_membership.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "graders/math/numeric_eval.h"

namespace reval::graders::math {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr size_t kMaxPieces = 16;

struct Piece {
  double lo = 0;
  double hi = 0;
  bool lo_open = true;
  bool hi_open = true;
};

bool near(double a, double b) {
  if (!std::isfinite(a) || !std::isfinite(b)) return a == b;
  return std::abs(a - b) <= 1e-10 * std::max(1.0, std::max(std::abs(a), std::abs(b)));
}

// An endpoint: a number, or +-infinity.
bool endpoint_value(const Node& node, double& out) {
  if (node.kind == NodeKind::kConstant && node.name == "inf") {
    out = kInf;
    return true;
  }
  if (node.kind == NodeKind::kNeg && node.children[0]->kind == NodeKind::kConstant && node.children[0]->name == "inf") {
    out = -kInf;
    return true;
  }
  if (has_symbols(node)) return false;
  auto v = evaluate_numeric(node, 0);
  if (!v || std::abs(v->imag()) > 1e-12) return false;
  out = v->real();
  return true;
}

bool collect_pieces(const Node& node, std::vector<Piece>& pieces) {
  if (pieces.size() > kMaxPieces) return false;
  if (node.kind == NodeKind::kUnion) {
    for (const auto& child : node.children) {
      if (!collect_pieces(*child, pieces)) return false;
    }
    return true;
  }
  bool interval = node.kind == NodeKind::kInterval || (node.kind == NodeKind::kTuple && node.children.size() == 2);
  if (!interval) return false;
  Piece piece;
  if (!endpoint_value(*node.children[0], piece.lo) || !endpoint_value(*node.children[1], piece.hi)) return false;
  piece.lo_open = node.kind == NodeKind::kTuple || node.left_open;
  piece.hi_open = node.kind == NodeKind::kTuple || node.right_open;
  if (!(piece.lo <= piece.hi)) return false;
  pieces.push_back(piece);
  return true;
}

bool in_pieces(const std::vector<Piece>& pieces, double t) {
  for (const Piece& p : pieces) {
    bool above = near(t, p.lo) ? !p.lo_open : t > p.lo;
    bool below = near(t, p.hi) ? !p.hi_open : t < p.hi;
    if (above && below) return true;
  }
  return false;
}

void collect_symbols(const Node& node, std::set<std::string>& names) {
  if (node.kind == NodeKind::kSymbol) names.insert(node.name);
  for (const auto& child : node.children) {
    if (child) collect_symbols(*child, names);
  }
}

// The chain evaluated at x = t: 1 holds, 0 fails, -1 undefined there.
int relation_holds(const Node& relation, const std::string& name, double t) {
  std::vector<double> values;
  for (const auto& part : relation.children) {
    auto v = evaluate_at(*part, name, t);
    if (!v || std::abs(v->imag()) > 1e-9 * std::max(1.0, std::abs(v->real()))) return -1;
    values.push_back(v->real());
  }
  for (size_t i = 0; i < relation.ops.size(); ++i) {
    double a = values[i];
    double b = values[i + 1];
    bool equal = near(a, b);
    bool ok = false;
    switch (relation.ops[i]) {
      case RelOp::kLt: ok = !equal && a < b; break;
      case RelOp::kLe: ok = equal || a < b; break;
      case RelOp::kGt: ok = !equal && a > b; break;
      case RelOp::kGe: ok = equal || a > b; break;
      case RelOp::kEq: ok = equal; break;
      default: return -1;
    }
    if (!ok) return 0;
  }
  return 1;
}

}  // namespace

bool relation_matches_set(const Node& relation, const Node& set) {
  if (relation.kind != NodeKind::kRelation) return false;
  std::set<std::string> names;
  collect_symbols(relation, names);
  if (names.size() != 1) return false;
  std::vector<Piece> pieces;
  if (!collect_pieces(set, pieces) || pieces.empty()) return false;
  // Test points: every finite endpoint, points just beside it, midpoints and far points.
  std::vector<double> marks;
  for (const Piece& p : pieces) {
    for (double e : {p.lo, p.hi}) {
      if (std::isfinite(e)) marks.push_back(e);
    }
  }
  std::sort(marks.begin(), marks.end());
  std::vector<double> points;
  for (size_t i = 0; i < marks.size(); ++i) {
    double e = marks[i];
    double step = 1e-6 * std::max(1.0, std::abs(e));
    points.insert(points.end(), {e, e - step, e + step});
    if (i + 1 < marks.size()) points.push_back((e + marks[i + 1]) / 2);
  }
  double far = marks.empty() ? 1e3 : std::max(std::abs(marks.front()), std::abs(marks.back())) * 2 + 10;
  points.insert(points.end(), {-far, far, 0.0, 0.5, -0.5});
  // The relation's own boundaries are unknown: mirror the marks (|z| and z^2 are symmetric) and
  // sweep a grid across the whole range.
  for (double e : marks) points.insert(points.end(), {-e, -e * (1 - 1e-6), -e * (1 + 1e-6)});
  for (int k = -40; k <= 40; ++k) points.push_back(far * (k + 0.37) / 40.0);
  const std::string& name = *names.begin();
  int defined = 0;
  for (double t : points) {
    int holds = relation_holds(relation, name, t);
    if (holds < 0) continue;
    ++defined;
    if ((holds == 1) != in_pieces(pieces, t)) return false;
  }
  return defined >= 3;
}

}  // namespace reval::graders::math
