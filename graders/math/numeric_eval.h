// Floating-point evaluation of an expression in complex doubles, with every free symbol bound
// to a value drawn from a fixed-seed generator keyed by (symbol name, probe index). Unknown
// functions (f(x), g(t)) become fixed pseudo-random smooth functions of their arguments, so
// f(x) = f(x) but f(x) != f(y). Deterministic and thread-safe.
#pragma once

#include <complex>
#include <cstdint>
#include <optional>

#include "graders/math/expr.h"

namespace reval::graders::math {

using Complex = std::complex<double>;

// The value at probe `probe` (0, 1, 2, ...); nullopt when the expression has no numeric value
// (a set, a relation, text) or the result is not finite there.
std::optional<Complex> evaluate_numeric(const Node& node, uint32_t probe);

// Whether two probe results agree to a relative tolerance of `rel_tol` (absolute near zero).
bool numbers_close(Complex a, Complex b, double rel_tol = 1e-9);

}  // namespace reval::graders::math
