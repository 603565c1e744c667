// Inputs found by the libFuzzer target (tests/fuzz/math_parser_fuzz.cpp) that once crashed, hung or
// tripped a sanitizer. Each must now run the whole pipeline quietly.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "graders/extract/answer_extractor.h"
#include "graders/math/canonical.h"
#include "graders/math/equivalence.h"
#include "graders/math/parser.h"
#include "graders/math_grader.h"

namespace reval::graders {
namespace {

void run_pipeline(const std::string& input) {
  size_t split = input.find('\n');
  std::string gold = split == std::string::npos ? input : input.substr(0, split);
  std::string pred = split == std::string::npos ? input : input.substr(split + 1);
  math::ParseOutcome parsed = math::parse_math(gold);
  if (parsed.expr) (void)math::render_canonical(*parsed.expr);
  (void)math::check_equivalence(gold, pred);
  (void)extract::extract_math_answer(input);
  (void)extract::extract_integer_answer(input);
  (void)compare_answers(gold, pred, true, true);
}

TEST_CASE("inputs found by fuzzing run through the whole pipeline", "[graders][fuzz]") {
  std::vector<std::string> crashers = {
      // Fuzzer find: a number at the very end of the text made last_number() read one byte past it.
      std::string("x \\in [-2,7]\n-2\\le x\\le 7"),
      // Hand-written edge cases kept with the fuzzer finds.
      std::string("\\frac"), std::string("\\sqrt["), std::string("x_"), std::string("\\boxed{"),
      std::string("$$$$$"), std::string("1,\n"), std::string("\\begin{pmatrix}\\end{pmatrix}"),
      std::string("\\left(\\right)"), std::string(1, '\0'), std::string("\\\\\\\\"), std::string("|||"),
  };
  for (const std::string& input : crashers) {
    INFO(input);
    run_pipeline(input);
  }
  SUCCEED();
}

}  // namespace
}  // namespace reval::graders
