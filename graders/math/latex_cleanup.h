// String-level cleanup applied before lexing: spacing and sizing commands, fraction variants,
// thousands-separator spellings, degree signs, dollar signs and common Unicode math symbols are
// rewritten into the one spelling the lexer knows. Pure function; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace reval::graders::math {

// Returns the cleaned text. Never fails; unknown constructs are left in place for the parser.
std::string cleanup_latex(std::string_view text);

}  // namespace reval::graders::math
