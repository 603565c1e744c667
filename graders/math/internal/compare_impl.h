// Shared between equivalence.cpp (scalars, entry point) and structure_compare.cpp (collections,
// relations, text): the comparison context with its work budget.
#pragma once

#include "graders/math/equivalence.h"
#include "graders/math/expr.h"

namespace reval::graders::math::internal {

// Pairwise comparisons allowed for one (gold, pred) pair; large sets of tuples stay bounded.
inline constexpr int kCompareBudget = 4000;
inline constexpr size_t kMaxNodes = 3000;
inline constexpr int kMaxPlusMinus = 4;  // ± signs expanded into 2^n alternatives

struct CompareContext {
  int budget = kCompareBudget;
  bool limit = false;
  int depth = 0;
};

// Any two nodes (dispatches on kind).
bool compare_nodes(const Node& a, const Node& b, CompareContext& ctx);
// Two scalar expressions (numbers, symbols, functions, ...).
bool compare_scalars(const Node& a, const Node& b, CompareContext& ctx);
// Text answers, multiple-choice letters and words.
bool compare_text(const Node& a, const Node& b);
// Relations (equations, inequalities, membership) against anything.
bool compare_relations(const Node& a, const Node& b, CompareContext& ctx);
// Collections (tuples, sets, lists, intervals, unions, matrices) against anything.
bool compare_collections(const Node& a, const Node& b, CompareContext& ctx);
// Whether (a - b) and (c - d) are proportional with a constant factor of the required sign
// (sign > 0: positive factor, 0: any nonzero factor), checked by numeric probing.
bool differences_proportional(const Node& a, const Node& b, const Node& c, const Node& d, int sign);
// Replaces each ± by both signs; null when there is no ±; a kList of alternatives otherwise.
NodePtr expand_plus_minus(const NodePtr& node, bool& limit);
// A name standing for a quantity: x, f(x), |AB|, NO/BO, A:B, (p,q,r).
bool is_name_like(const Node& node);

}  // namespace reval::graders::math::internal
