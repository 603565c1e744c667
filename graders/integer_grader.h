// The "integer" grader (AIME): the answer is an integer 0-999. Leading zeros ("025") and a zero
// fractional part ("33.0") are accepted; anything else (fractions, 1000, "33.5", words) is wrong.
// Reasons: "equivalent", "not_equivalent", "unparseable", "out_of_range", "no_answer",
// "truncated". Thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include "graders/grader.h"

namespace reval::graders {

// The integer an AIME answer string denotes ("025" -> 25, "\text{33.0}" -> 33, "$7$" -> 7);
// nullopt when it is not a plain integer written in decimal.
std::optional<long long> parse_integer_answer(std::string_view answer);

class IntegerGrader : public Grader {
 public:
  Grade grade(std::string_view gold, const Response& response) const override;
  std::string canonical_gold(std::string_view gold) const override;
};

}  // namespace reval::graders
