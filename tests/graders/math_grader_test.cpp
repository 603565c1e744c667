#include <catch2/catch.hpp>

#include "graders/grader.h"
#include "graders/math_grader.h"

namespace reval::graders {
namespace {

Grade grade_text(const Grader& grader, const char* gold, const char* text, bool reasoning_open = false) {
  Response response;
  response.text = text;
  response.reasoning_open = reasoning_open;
  return grader.grade(gold, response);
}

TEST_CASE("make_grader knows math and integer and names them on a typo", "[graders]") {
  CHECK(make_grader("math").ok());
  CHECK(make_grader("integer").ok());
  auto missing = make_grader("maths");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().message().find("math, integer") != std::string::npos);
}

TEST_CASE("the math grader extracts, compares and records the rule and canonical form", "[graders][math]") {
  auto grader = make_grader("math").value();
  Grade right = grade_text(*grader, "\\frac{14}{3}", "so the answer is $\\boxed{\\dfrac{14}{3}}$.");
  CHECK(right.correct);
  CHECK(right.reason == "equivalent");
  CHECK(right.rule == "boxed");
  CHECK(right.extracted == "\\dfrac{14}{3}");
  CHECK(right.canonical == "\\frac{14}{3}");
  Grade wrong = grade_text(*grader, "\\frac{14}{3}", "\\boxed{4.67}");
  CHECK_FALSE(wrong.correct);
  CHECK(wrong.reason == "not_equivalent");
}

TEST_CASE("a response that never closes its thinking is truncated, not graded from its thoughts", "[graders][math]") {
  auto grader = make_grader("math").value();
  Grade truncated = grade_text(*grader, "5", "<think>I guess \\boxed{5} maybe");
  CHECK_FALSE(truncated.correct);
  CHECK(truncated.reason == "truncated");
  Grade open_api = grade_text(*grader, "5", "", true);
  CHECK(open_api.reason == "truncated");
  Grade closed = grade_text(*grader, "5", "<think>maybe 4</think>The answer is \\boxed{5}.");
  CHECK(closed.correct);
  Grade none = grade_text(*grader, "5", "I do not know.");
  CHECK(none.reason == "no_answer");
}

TEST_CASE("equal answers get equal canonical forms for majority voting", "[graders][math]") {
  auto grader = make_grader("math").value();
  CHECK(grade_text(*grader, "1", "\\boxed{\\frac{2}{4}}").canonical == grade_text(*grader, "1", "\\boxed{0.5}").canonical);
  CHECK(grade_text(*grader, "1", "\\boxed{\\sqrt{12}}").canonical ==
        grade_text(*grader, "1", "\\boxed{2\\sqrt{3}}").canonical);
  CHECK(grader->canonical_gold("\\dfrac{1}{2}") == "\\frac{1}{2}");
}

TEST_CASE("compare_answers reads full texts on either side", "[graders][math]") {
  AnswerComparison c = compare_answers("Thus the answer is $\\boxed{12}$.", "I found \\boxed{12}.", true, true);
  CHECK(c.equivalent);
  CHECK(c.gold_extracted == "12");
  AnswerComparison letters = compare_answers("(D) Alina", "The answer is D.", true, true);
  CHECK(letters.equivalent);
}

}  // namespace
}  // namespace reval::graders
