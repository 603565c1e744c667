// Canonical rendering of parsed answers: equal answers should render equally (used to group
// answers for majority voting and shown in reports). Constant scalars render as their exact
// value ("\frac{1}{2}", "2\sqrt{3}"), commutative operands and unordered collections are sorted,
// and the output is itself parseable LaTeX. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "graders/math/expr.h"

namespace reval::graders::math {

std::string render_canonical(const Node& node);

// Parses `answer` and renders it; when it does not parse, the cleaned text with spaces removed.
std::string canonical_form(std::string_view answer);

}  // namespace reval::graders::math
