// Equivalence of two math answers (gold, predicted): parse both, then compare structurally
// (sets unordered, tuples ordered, intervals with openness, matrices by shape and entries,
// equations and inequalities by meaning) and numerically (exact rationals and square-root
// radicals first; seeded numeric probing for expressions with variables). Every comparison is
// bounded; hitting a bound yields reason "limit_exceeded". Pure, deterministic, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "graders/math/expr.h"

namespace reval::graders::math {

struct EquivalenceResult {
  bool equivalent = false;
  // "equivalent", "not_equivalent", "unparseable" (an answer did not parse and the texts
  // differ), "limit_exceeded" (a size/time bound stopped the comparison).
  std::string reason;
  std::string gold_canonical;
  std::string pred_canonical;
};

// Compares two answer strings (already extracted: no surrounding prose).
EquivalenceResult check_equivalence(std::string_view gold, std::string_view pred);

enum class Verdict { kEqual, kDifferent, kLimit };

// Compares two parsed answers.
Verdict compare_expressions(const Node& gold, const Node& pred);

}  // namespace reval::graders::math
