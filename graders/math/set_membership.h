// Comparing a relation in one variable ("1 \le |z| \le 3/2", "x^2 < 4") with a set of reals written
// as intervals ("[-3/2,-1] \cup [1,3/2]") by testing membership at the set's endpoints, just beside
// them, between them and far out. Pure; thread-safe.
#pragma once

#include "graders/math/expr.h"

namespace reval::graders::math {

// True when `relation` (a chain of <, <=, >, >=, = over one free symbol) holds exactly at the
// test points inside `set` (an interval, an open pair, or a union of those). False when either
// side is not of that shape.
bool relation_matches_set(const Node& relation, const Node& set);

}  // namespace reval::graders::math
