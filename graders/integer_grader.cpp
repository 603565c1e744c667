#include "graders/integer_grader.h"

#include <cctype>
#include <string>

#include "graders/extract/answer_extractor.h"
#include "graders/math_grader.h"

namespace reval::graders {
namespace {

constexpr long long kMaxAnswer = 999;

// Removes wrappers that do not change the number: $, \text{...}, \mathrm{...}, spaces, a final '.'.
std::string unwrap(std::string_view answer) {
  std::string out;
  size_t i = 0;
  while (i < answer.size()) {
    char c = answer[i];
    if (c == '\\') {
      size_t j = i + 1;
      while (j < answer.size() && std::isalpha(static_cast<unsigned char>(answer[j])) != 0) ++j;
      std::string_view command = answer.substr(i + 1, j - i - 1);
      if (command == "text" || command == "mathrm" || command == "textbf" || command == "boxed" ||
          command == "mathbf" || command == "displaystyle") {
        i = j;
        continue;
      }
      if (command.empty() && j < answer.size() && (answer[j] == '!' || answer[j] == ',')) {
        i = j + 1;  // \! and \, spacing
        continue;
      }
      return "";  // any other command: not a plain integer
    }
    if (c == '$' || c == ' ' || c == '{' || c == '}') {
      ++i;
      continue;
    }
    out += c;
    ++i;
  }
  while (!out.empty() && out.back() == '.') out.pop_back();
  return out;
}

}  // namespace

std::optional<long long> parse_integer_answer(std::string_view answer) {
  std::string text = unwrap(answer);
  if (text.empty()) return std::nullopt;
  bool negative = text[0] == '-';
  size_t i = (text[0] == '-' || text[0] == '+') ? 1 : 0;
  size_t digits_begin = i;
  long long value = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) != 0) {
    if (value > 1000000000000LL) return std::nullopt;
    value = value * 10 + (text[i] - '0');
    ++i;
  }
  if (i == digits_begin) return std::nullopt;
  if (i < text.size() && text[i] == '.') {
    ++i;  // "33.0", "33.00": a zero fractional part only
    if (i == text.size()) return std::nullopt;
    while (i < text.size() && text[i] == '0') ++i;
  }
  if (i != text.size()) return std::nullopt;
  return negative ? -value : value;
}

Grade IntegerGrader::grade(std::string_view gold, const Response& response) const {
  Grade grade;
  bool truncated = false;
  std::string_view text = answer_text(response, truncated);
  extract::Extraction extraction = extract::extract_integer_answer(text);
  if (!extraction.found) {
    grade.reason = truncated ? "truncated" : "no_answer";
    return grade;
  }
  grade.extracted = extraction.answer;
  grade.rule = extraction.rule;
  std::optional<long long> predicted = parse_integer_answer(extraction.answer);
  std::optional<long long> expected = parse_integer_answer(gold);
  if (!predicted) {
    grade.reason = "unparseable";
    grade.canonical = extraction.answer;
    return grade;
  }
  grade.canonical = std::to_string(*predicted);
  if (*predicted < 0 || *predicted > kMaxAnswer) {
    grade.reason = "out_of_range";
    return grade;
  }
  grade.correct = expected.has_value() && *expected == *predicted;
  grade.reason = grade.correct ? "equivalent" : "not_equivalent";
  return grade;
}

std::string IntegerGrader::canonical_gold(std::string_view gold) const {
  std::optional<long long> value = parse_integer_answer(gold);
  return value ? std::to_string(*value) : std::string(gold);
}

}  // namespace reval::graders
