// The "math" grader: extracts the answer from the response (after the last </think>) and checks
// it against the gold answer with math::check_equivalence. Reasons: "equivalent",
// "not_equivalent", "unparseable", "limit_exceeded", "no_answer", "truncated". Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "graders/grader.h"

namespace reval::graders {

class MathGrader : public Grader {
 public:
  Grade grade(std::string_view gold, const Response& response) const override;
  std::string canonical_gold(std::string_view gold) const override;
};

// The text a grader reads from a response, and whether it was cut off mid-thought: the answer
// part after the last </think>, or "" with `truncated` set when thinking never closed.
std::string_view answer_text(const Response& response, bool& truncated);

// One (gold, pred) comparison as `reval equiv` and the conformance tests run it: either side may
// be a full text (extraction runs first) or an already extracted answer.
struct AnswerComparison {
  bool equivalent = false;
  std::string reason;  // as MathGrader's reasons
  std::string gold_extracted;
  std::string pred_extracted;
  std::string pred_rule;
  std::string gold_canonical;
  std::string pred_canonical;
};
AnswerComparison compare_answers(std::string_view gold, std::string_view pred, bool gold_fulltext,
                                 bool pred_fulltext);

}  // namespace reval::graders
