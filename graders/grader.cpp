// make_grader: the registry of graders by name.
#include "graders/grader.h"

#include "common/status.h"
#include "graders/integer_grader.h"
#include "graders/math_grader.h"

namespace reval::graders {

Result<std::unique_ptr<Grader>> make_grader(std::string_view name) {
  if (name == "math") return std::unique_ptr<Grader>(std::make_unique<MathGrader>());
  if (name == "integer") return std::unique_ptr<Grader>(std::make_unique<IntegerGrader>());
  return not_found_error("unknown grader '" + std::string(name) + "' (known: math, integer)");
}

}  // namespace reval::graders
