// Folding matrix arithmetic written in an answer ("A + B", "A B", "2A") into one matrix of
// entry expressions, so it compares with the matrix it equals. Pure; thread-safe.
#pragma once

#include <functional>

#include "graders/math/expr.h"

namespace reval::graders::math {

// Largest matrix dimension folded; bigger products are left as written.
inline constexpr int kMaxFoldDimension = 12;

// The tree with sums, products and negations of matrices replaced by their result; `node`
// itself when there is nothing to fold (or shapes do not match).
NodePtr fold_matrix_arithmetic(const NodePtr& node);

}  // namespace reval::graders::math
