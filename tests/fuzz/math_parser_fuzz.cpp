// libFuzzer target for the math answer pipeline: the parser, canonical rendering, equivalence and
// extraction must never crash, hang or read out of bounds on any input. The input is split at
// the first newline into (gold, pred); both are also used as full responses.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "graders/extract/answer_extractor.h"
#include "graders/math/canonical.h"
#include "graders/math/equivalence.h"
#include "graders/math/parser.h"
#include "graders/math_grader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace reval::graders;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t split = input.find('\n');
  std::string_view gold = split == std::string_view::npos ? input : input.substr(0, split);
  std::string_view pred = split == std::string_view::npos ? input : input.substr(split + 1);

  math::ParseOutcome parsed = math::parse_math(gold);
  if (parsed.expr) {
    std::string canonical = math::render_canonical(*parsed.expr);
    // Rendering is deterministic.
    if (canonical != math::render_canonical(*parsed.expr)) __builtin_trap();
  }
  math::EquivalenceResult first = math::check_equivalence(gold, pred);
  math::EquivalenceResult again = math::check_equivalence(gold, pred);
  if (first.equivalent != again.equivalent || first.reason != again.reason) __builtin_trap();
  extract::Extraction extraction = extract::extract_math_answer(input);
  (void)extraction;
  extract::Extraction integer = extract::extract_integer_answer(input);
  (void)integer;
  AnswerComparison comparison = compare_answers(gold, pred, true, true);
  (void)comparison;
  return 0;
}
