// Parser from the math answer language (LaTeX subset and plain text) to the expression tree.
// Bounded: inputs longer than kMaxInputBytes or nested deeper than kMaxDepth are refused with
// `limit_exceeded` set. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "graders/math/expr.h"

namespace reval::graders::math {

inline constexpr size_t kMaxInputBytes = 4096;
inline constexpr int kMaxDepth = 120;

struct ParseOutcome {
  NodePtr expr;               // null on failure
  std::string error;          // why parsing failed ("" on success)
  bool limit_exceeded = false;  // failed because of a size or depth bound
};

// Parses one answer. The text is cleaned with cleanup_latex() first.
ParseOutcome parse_math(std::string_view text);

}  // namespace reval::graders::math
