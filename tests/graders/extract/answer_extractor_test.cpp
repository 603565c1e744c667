#include <catch2/catch.hpp>

#include "graders/extract/answer_extractor.h"
#include "graders/extract/boxed.h"

namespace reval::graders::extract {
namespace {

TEST_CASE("the last boxed answer wins and nested braces are matched", "[graders][extract]") {
  Extraction e = extract_math_answer("First \\boxed{1}. Then we get $\\boxed{\\frac{1}{\\sqrt{2}}}$ as the result.");
  CHECK(e.found);
  CHECK(e.rule == "boxed");
  CHECK(e.answer == "\\frac{1}{\\sqrt{2}}");
  CHECK(extract_math_answer("\\fbox{7}").answer == "7");
  CHECK(extract_math_answer("so \\boxed 5 is it").answer == "5");
  CHECK(extract_math_answer("unclosed \\boxed{3 and $4$").answer == "4");
}

TEST_CASE("boxes listed together form one answer, boxes apart do not", "[graders][extract]") {
  CHECK(extract_math_answer("\\boxed{1} and \\boxed{2} and \\boxed{3}").answer == "1, 2, 3");
  CHECK(extract_math_answer("\\boxed{1} no no no no no \\boxed{2}").answer == "2");
  CHECK(extract_math_answer("Step one gives \\boxed{4}.\n\nLater, after much more work, we find \\boxed{9}.").answer ==
        "9");
}

TEST_CASE("fallbacks fire in order: final answer, answer colon, last math, last number", "[graders][extract]") {
  Extraction phrase = extract_math_answer("We compute things. The final answer is $42$. I hope it is correct.");
  CHECK(phrase.rule == "final_answer_is");
  CHECK(phrase.answer == "42");
  Extraction colon = extract_math_answer("Work.\nAnswer: 17");
  CHECK(colon.rule == "answer_colon");
  CHECK(colon.answer == "17");
  Extraction math = extract_math_answer("Thus we have $x = 3$ in the end, so that is $y=4$");
  CHECK(math.rule == "last_math");
  CHECK(math.answer == "y=4");
  Extraction number = extract_math_answer("after all that the count is 1,234 items total here");
  CHECK(number.rule == "last_number");
  CHECK(number.answer == "1,234");
  CHECK_FALSE(extract_math_answer("no digits or math here at all, sorry").found);
}

TEST_CASE("a stated final answer after the last box overrides the box", "[graders][extract]") {
  CHECK(extract_math_answer("so \\boxed{255} dollars. Final Answer: The final answer is $10,455$.").answer == "10,455");
}

TEST_CASE("escaped dollars do not delimit math", "[graders][extract]") {
  CHECK(extract_math_answer("Answer $ \\frac{1}{2} \\$ = \\frac{10}{9} $").answer == "\\frac{1}{2} \\$ = \\frac{10}{9}");
}

TEST_CASE("thinking is stripped and an unclosed think block is flagged", "[graders][extract]") {
  bool open = false;
  CHECK(strip_thinking("<think>hmm \\boxed{1}</think> so \\boxed{2}", open) == " so \\boxed{2}");
  CHECK_FALSE(open);
  CHECK(strip_thinking("<think>still thinking \\boxed{1}", open).empty());
  CHECK(open);
}

TEST_CASE("integer extraction falls back to the last integer", "[graders][extract]") {
  CHECK(extract_integer_answer("The total is \\boxed{025}.").answer == "025");
  Extraction e = extract_integer_answer("we get 12 then 3.5 and finally 204");
  CHECK(e.rule == "last_integer");
  CHECK(e.answer == "204");
}

TEST_CASE("multiple-choice letters are recognized in their usual spellings", "[graders][extract]") {
  CHECK(choice_letter("B") == 'B');
  CHECK(choice_letter("(B)") == 'B');
  CHECK(choice_letter("\\text{(C)}") == 'C');
  CHECK(choice_letter("(D) Alina") == 'D');
  CHECK(choice_letter("C = 5") == '\0');
  CHECK(choice_letter("x") == '\0');
  CHECK(choice_letter("AB") == '\0');
  CHECK(extract_math_answer("It's not A because of that, therefore I think it's B").answer == "B");
}

}  // namespace
}  // namespace reval::graders::extract
