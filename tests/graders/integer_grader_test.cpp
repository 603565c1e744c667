#include <catch2/catch.hpp>

#include "graders/grader.h"
#include "graders/integer_grader.h"

namespace reval::graders {
namespace {

Grade grade_text(const char* gold, const char* text) {
  auto grader = make_grader("integer").value();
  Response response;
  response.text = text;
  return grader->grade(gold, response);
}

TEST_CASE("AIME answers accept leading zeros and a zero fraction", "[graders][integer]") {
  CHECK(grade_text("025", "\\boxed{25}").correct);
  CHECK(grade_text("25", "\\boxed{025}").correct);
  CHECK(grade_text("33", "\\boxed{33.0}").correct);
  CHECK(grade_text("33", "\\boxed{\\text{33}}").correct);
  CHECK(grade_text("204", "so the result is 204").correct);
  CHECK(grade_text("0", "\\boxed{0}").correct);
}

TEST_CASE("AIME answers reject non-integers, out-of-range values and other numbers", "[graders][integer]") {
  Grade half = grade_text("33", "\\boxed{33.5}");
  CHECK_FALSE(half.correct);
  CHECK(half.reason == "unparseable");
  Grade big = grade_text("1", "\\boxed{1000}");
  CHECK_FALSE(big.correct);
  CHECK(big.reason == "out_of_range");
  CHECK_FALSE(grade_text("12", "\\boxed{\\frac{24}{2}}").correct);
  CHECK_FALSE(grade_text("12", "\\boxed{13}").correct);
  CHECK_FALSE(grade_text("12", "\\boxed{-12}").correct);
  CHECK(grade_text("12", "nothing here").reason == "no_answer");
}

TEST_CASE("parse_integer_answer reads only plain integers", "[graders][integer]") {
  CHECK(parse_integer_answer("073") == 73);
  CHECK(parse_integer_answer("$7$") == 7);
  CHECK(parse_integer_answer("7.") == 7);
  CHECK(parse_integer_answer("7.000") == 7);
  CHECK_FALSE(parse_integer_answer("7.01").has_value());
  CHECK_FALSE(parse_integer_answer("seven").has_value());
  CHECK_FALSE(parse_integer_answer("1e3").has_value());
}

}  // namespace
}  // namespace reval::graders
