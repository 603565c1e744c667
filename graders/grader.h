// The grader interface the harness calls: a pure, deterministic, thread-safe function of
// (gold answer, model response) -> Grade. Implementations: "math" (extraction + equivalence),
// "integer" (AIME, 0-999); the SWE grader has its own entry point (graders/swe/).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"
#include "graders/grade.h"

namespace reval::graders {

// What the model produced, split as the run store keeps it.
struct Response {
  std::string text;         // the answer part (after the last </think>, or the API's content)
  std::string reasoning;    // the thinking part ("" when none)
  bool reasoning_open = false;  // the response opened <think> (or had reasoning_content) and never closed it
  std::string finish_reason;    // "stop", "length", "error"
};

class Grader {
 public:
  virtual ~Grader() = default;
  // Grades `response` against `gold`. Never fails: an unparseable answer is a Grade with a reason.
  virtual Grade grade(std::string_view gold, const Response& response) const = 0;
  // Canonical form of a gold answer (for grouping and reports).
  virtual std::string canonical_gold(std::string_view gold) const = 0;
};

// "math" or "integer"; not_found_error naming the known graders otherwise.
Result<std::unique_ptr<Grader>> make_grader(std::string_view name);

}  // namespace reval::graders
