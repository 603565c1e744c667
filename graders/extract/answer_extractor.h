// Answer extraction: from a model response (or a solution text) to the answer string, recording
// which rule fired. Rules, in order: the last \boxed{} (with the boxes listed just before it),
// "final answer is ...", "answer: ...", the last $...$ math, and finally the last number.
// Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace reval::graders::extract {

struct Extraction {
  bool found = false;
  std::string answer;
  // "boxed", "final_answer_is", "answer_colon", "last_math", "last_number", "last_integer",
  // "whole_text" (the text is short and is the answer itself), "" when nothing was found.
  std::string rule;
};

// The part of a response after the last </think>; `open` is set when a <think> is never closed.
std::string_view strip_thinking(std::string_view text, bool& open);

// Math answers (MATH-500 style).
Extraction extract_math_answer(std::string_view text);

// A multiple-choice option written as an answer: "B", "(B)", "\text{(B)}", "B.", "(D) Alina",
// "C Cecile". '\0' when `answer` is not in that form.
char choice_letter(std::string_view answer);

// Integer answers (AIME): like the math rules, then the last integer in the text.
Extraction extract_integer_answer(std::string_view text);

}  // namespace reval::graders::extract
