// Exact values of constant expressions: finite sums of rational multiples of square roots of
// distinct square-free integers (q0 + q1*sqrt(2) + q2*sqrt(3)...). Square roots of distinct
// square-free integers are linearly independent over Q, so two values are equal exactly when
// their term maps are equal. Anything outside this field (pi, logs, cube roots that are not
// perfect, complex numbers) is not representable and the caller falls back to numeric checks.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "graders/math/expr.h"
#include "graders/math/rational.h"

namespace reval::graders::math {

struct ExactValue {
  std::map<BigInt, Rational> terms;  // square-free radicand -> coefficient; radicand 1 is the rational part

  bool is_rational() const { return terms.empty() || (terms.size() == 1 && terms.begin()->first.is_one()); }
  Rational rational_part() const;
  double to_double() const;
  friend bool operator==(const ExactValue& a, const ExactValue& b) = default;
};

struct ExactOutcome {
  std::optional<ExactValue> value;  // nullopt: not representable (or a bound was hit)
  bool limit_exceeded = false;      // a size bound stopped the evaluation
};

// Evaluates a constant expression exactly. Symbols, pi, e, i and transcendental functions make
// the result nullopt. Percent signs divide by 100.
ExactOutcome evaluate_exact(const Node& node);

// Renders the value as LaTeX: "3", "-\frac{1}{2}", "2\sqrt{3}+1".
std::string render_exact(const ExactValue& value);

}  // namespace reval::graders::math
