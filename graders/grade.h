// Grade: the verdict of a grader on one completion. A wrong answer is data, not an error.
#pragma once

#include <string>

namespace reval::graders {

struct Grade {
  bool correct = false;
  std::string extracted;  // the answer string taken from the response ("" when none)
  std::string canonical;  // a canonical form: equal answers have equal canonical forms (majority voting)
  // Why: "equivalent", "not_equivalent", "unparseable", "truncated", "no_answer", "limit_exceeded",
  // "patch_failed", "timeout", ... (graders document the reasons they emit).
  std::string reason;
  std::string rule;  // which extraction rule fired: "boxed", "final_answer_is", "answer_colon", "last_math", "last_integer", ...
};

}  // namespace reval::graders
