#include "graders/math_grader.h"

#include "graders/extract/answer_extractor.h"
#include "graders/math/canonical.h"
#include "graders/math/equivalence.h"

namespace reval::graders {

std::string_view answer_text(const Response& response, bool& truncated) {
  bool open = false;
  std::string_view text = extract::strip_thinking(response.text, open);
  truncated = open || (response.reasoning_open && text.find_first_not_of(" \t\r\n") == std::string_view::npos);
  return text;
}

Grade MathGrader::grade(std::string_view gold, const Response& response) const {
  Grade grade;
  bool truncated = false;
  std::string_view text = answer_text(response, truncated);
  extract::Extraction extraction = extract::extract_math_answer(text);
  if (!extraction.found) {
    // A response cut off while thinking is not graded from its thoughts.
    grade.reason = truncated ? "truncated" : "no_answer";
    return grade;
  }
  grade.extracted = extraction.answer;
  grade.rule = extraction.rule;
  math::EquivalenceResult result = math::check_equivalence(gold, extraction.answer);
  grade.correct = result.equivalent;
  grade.canonical = result.pred_canonical;
  grade.reason = result.reason;
  return grade;
}

AnswerComparison compare_answers(std::string_view gold, std::string_view pred, bool gold_fulltext,
                                 bool pred_fulltext) {
  AnswerComparison out;
  out.gold_extracted = std::string(gold);
  if (gold_fulltext) {
    bool open = false;
    extract::Extraction g = extract::extract_math_answer(extract::strip_thinking(gold, open));
    if (g.found) out.gold_extracted = g.answer;
  }
  out.pred_extracted = std::string(pred);
  out.pred_rule = "given";
  if (pred_fulltext) {
    Response response;
    response.text = std::string(pred);
    bool truncated = false;
    std::string_view text = answer_text(response, truncated);
    extract::Extraction p = extract::extract_math_answer(text);
    if (!p.found) {
      out.reason = truncated ? "truncated" : "no_answer";
      out.pred_extracted.clear();
      out.pred_rule.clear();
      out.gold_canonical = math::canonical_form(out.gold_extracted);
      return out;
    }
    out.pred_extracted = p.answer;
    out.pred_rule = p.rule;
  }
  char gold_letter = extract::choice_letter(out.gold_extracted);
  char pred_letter = extract::choice_letter(out.pred_extracted);
  if (gold_letter != '\0' && pred_letter != '\0') {
    // Multiple choice: the option letters decide ("(D) Alina" is D).
    out.equivalent = gold_letter == pred_letter;
    out.reason = out.equivalent ? "equivalent" : "not_equivalent";
    out.gold_canonical = std::string(1, gold_letter);
    out.pred_canonical = std::string(1, pred_letter);
    return out;
  }
  math::EquivalenceResult result = math::check_equivalence(out.gold_extracted, out.pred_extracted);
  out.equivalent = result.equivalent;
  out.reason = result.reason;
  out.gold_canonical = result.gold_canonical;
  out.pred_canonical = result.pred_canonical;
  return out;
}

std::string MathGrader::canonical_gold(std::string_view gold) const { return math::canonical_form(gold); }

}  // namespace reval::graders
