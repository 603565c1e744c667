#include "graders/extract/answer_extractor.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include "graders/extract/boxed.h"

namespace reval::graders::extract {
namespace {

// Answers shorter than this with no delimiters are taken whole ("7,425,000", "x = 5").
constexpr size_t kMaxBareAnswerBytes = 48;

std::string trim(std::string_view text) {
  size_t b = 0;
  size_t e = text.size();
  while (b < e && std::isspace(static_cast<unsigned char>(text[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(text[e - 1]))) --e;
  return std::string(text.substr(b, e - b));
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string last_number(std::string_view text, bool integers_only, size_t* at);

// The first number in the text, with the same shapes as last_number.
std::string first_number(std::string_view text, size_t* at) {
  for (size_t i = 0; i < text.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(text[i])) == 0) continue;
    size_t end = i;
    while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) != 0 || text[end] == ',' ||
                                 text[end] == '.' || text[end] == '/' || text[end] == '%')) {
      ++end;
    }
    return last_number(text.substr(i > 0 && text[i - 1] == '-' ? i - 1 : i, end - i + (i > 0 && text[i - 1] == '-' ? 1 : 0)), false, at);
  }
  return "";
}

// Number of plain words (two or more letters, not a LaTeX command name) in `text`.
int count_prose_words(std::string_view text) {
  int words = 0;
  size_t i = 0;
  while (i < text.size()) {
    if (std::isalpha(static_cast<unsigned char>(text[i])) == 0) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < text.size() && std::isalpha(static_cast<unsigned char>(text[j])) != 0) ++j;
    bool command = i > 0 && text[i - 1] == '\\';
    std::string_view word = text.substr(i, j - i);
    if (!command && j - i >= 2 && word != "and" && word != "or") ++words;
    i = j;
  }
  return words;
}

// The answer stated after a phrase: the rest of its line up to a sentence end. Math in $..$ or a
// number, whichever comes last, wins over surrounding words ("The volume of $V$ is 120.").
std::string answer_after(std::string_view text, size_t start) {
  // "The answer is\n(C) Cecile": the answer may start on the next line.
  while (start < text.size() && (text[start] == ' ' || text[start] == ':' || text[start] == '\n')) ++start;
  std::string_view rest = text.substr(start);
  // The statement ends at the first sentence end or line break outside math.
  std::vector<Span> spans = find_math_segments(rest);
  size_t cut = rest.size();
  size_t span_index = 0;
  for (size_t i = 0; i < rest.size(); ++i) {
    while (span_index < spans.size() && spans[span_index].end <= i) ++span_index;
    bool inside = span_index < spans.size() && spans[span_index].begin <= i && i < spans[span_index].end;
    if (inside) continue;
    if (rest[i] == '\n' || (rest[i] == '.' && (i + 1 == rest.size() || rest[i + 1] == ' ' || rest[i + 1] == '\n'))) {
      cut = i;
      break;
    }
  }
  rest = rest.substr(0, cut);
  std::vector<Span> math = find_math_segments(rest);
  size_t number_at = std::string_view::npos;
  std::string number = last_number(rest, false, &number_at);
  if (!math.empty() && (number.empty() || number_at < math.back().end)) {
    return trim(join_trailing_group(rest, math, true));
  }
  // Up to ". " (a sentence end), keeping decimal points.
  for (size_t i = 0; i + 1 < rest.size(); ++i) {
    if (rest[i] == '.' && (rest[i + 1] == ' ' || rest[i + 1] == '\n')) {
      rest = rest.substr(0, i);
      break;
    }
  }
  std::string out = trim(rest);
  while (!out.empty() && (out.back() == '.' || out.back() == ',')) out.pop_back();
  while (!out.empty() && (out.front() == ':' || out.front() == ' ')) out.erase(0, 1);
  out = trim(out);
  if (count_prose_words(out) >= 1) {
    // In a sentence, the first number stated is the answer ("Sphere 3 hours ago").
    size_t first_at = 0;
    std::string first = first_number(out, &first_at);
    if (!first.empty()) return first;
    // "for sure D, it can't be A or B": the first option letter named.
    for (size_t i = 0; i < out.size(); ++i) {
      bool standalone = out[i] >= 'A' && out[i] <= 'Z' && (i == 0 || std::isalpha(static_cast<unsigned char>(out[i - 1])) == 0) &&
                        (i + 1 == out.size() || std::isalpha(static_cast<unsigned char>(out[i + 1])) == 0);
      if (standalone) return std::string(1, out[i]);
    }
  }
  if (std::any_of(out.begin(), out.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) {
    // Math inside prose in another script: the last ASCII run holding a digit or a command.
    std::string best;
    std::string run;
    for (size_t i = 0; i <= out.size(); ++i) {
      if (i == out.size() || static_cast<unsigned char>(out[i]) >= 0x80) {
        std::string candidate = trim(run);
        if (candidate.find_first_of("0123456789\\") != std::string::npos) best = candidate;
        run.clear();
      } else {
        run += out[i];
      }
    }
    if (!best.empty()) out = best;
  }
  return out;
}

// The last occurrence of any phrase (case-insensitive); npos when none. `length` gets its size.
size_t find_last_phrase(const std::string& lowered, const std::vector<std::string_view>& phrases, size_t& length) {
  size_t best = std::string::npos;
  for (std::string_view phrase : phrases) {
    size_t at = lowered.rfind(phrase);
    if (at != std::string::npos && (best == std::string::npos || at > best)) {
      best = at;
      length = phrase.size();
    }
  }
  return best;
}

// The last number in the text ("1,000.5", "-3", "13/28", "25%"), thousands separators kept;
// `at` receives where it starts.
std::string last_number(std::string_view text, bool integers_only, size_t* at) {
  std::string best;
  auto digit = [&](size_t k) { return k < text.size() && std::isdigit(static_cast<unsigned char>(text[k])) != 0; };
  size_t i = 0;
  while (i < text.size()) {
    if (!digit(i)) {
      ++i;
      continue;
    }
    size_t b = i;
    if (b > 0 && text[b - 1] == '-') --b;
    size_t j = i;
    while (digit(j) || (!integers_only && j < text.size() && text[j] == ',' && digit(j + 1) && digit(j + 2) && digit(j + 3) && !digit(j + 4))) {
      j += digit(j) ? 1 : 4;
    }
    if (!integers_only && j + 1 < text.size() && text[j] == ',' && digit(j + 1) && j - i <= 3) {
      // "2,74": a decimal comma (a thousands group would have had exactly three digits).
      size_t k = j + 1;
      while (digit(k)) ++k;
      if (k < text.size() && text[k] == ',') {
        // a list "1,22,5": leave it
      } else {
        j = k;
      }
    }
    if (j + 1 < text.size() && text[j] == '.' && digit(j + 1)) {
      ++j;
      while (digit(j)) ++j;
    } else if (!integers_only && j + 1 < text.size() && text[j] == '/' && digit(j + 1)) {
      ++j;
      while (digit(j)) ++j;
    }
    if (!integers_only && j < text.size() && text[j] == '%') ++j;
    best = std::string(text.substr(b, j - b));
    if (at != nullptr) *at = b;
    i = j;
  }
  return best;
}

bool has_math_markup(std::string_view text) {
  return text.find('$') != std::string_view::npos || text.find("\\(") != std::string_view::npos ||
         text.find("\\[") != std::string_view::npos;
}

Extraction from_phrases(std::string_view text, size_t* at_out) {
  std::string lowered = lower(text);
  size_t length = 0;
  // "final answer" statements outrank a later passing "the answer is" (in a note, a recap).
  size_t at = find_last_phrase(lowered, {"final answer is", "final answer:"}, length);
  if (at == std::string::npos) {
    at = find_last_phrase(lowered, {"the answer is", "answer is", "r\xC3\xA9ponse est"}, length);
  }
  if (at != std::string::npos) {
    std::string answer = answer_after(text, at + length);
    if (at_out != nullptr) *at_out = at;
    if (!answer.empty()) return {true, answer, "final_answer_is"};
  }
  at = find_last_phrase(lowered, {"answer:", "answer :", "r\xC3\xA9ponse:", "r\xC3\xA9ponse :",
                                  "\xE7\xAD\x94\xE6\xA1\x88\xEF\xBC\x9A", "\xE7\xAD\x94\xE6\xA1\x88:"}, length);
  if (at != std::string::npos) {
    std::string answer = answer_after(text, at + length);
    if (at_out != nullptr) *at_out = at;
    if (!answer.empty()) return {true, answer, "answer_colon"};
  }
  return {};
}

// "A. Because ...", "B。不是 A": a leading option letter followed by punctuation; otherwise the
// last capital letter standing alone ("it's B"). '\0' when there is none.
char option_letter_in_prose(std::string_view text) {
  std::string t = trim(text);
  auto alpha = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; };
  if (t.size() >= 2 && t[0] >= 'A' && t[0] <= 'Z' &&
      (t[1] == '.' || t[1] == ')' || t[1] == ':' || static_cast<unsigned char>(t[1]) >= 0x80)) {
    return t[0];
  }
  for (size_t i = t.size(); i-- > 0;) {
    if (t[i] >= 'A' && t[i] <= 'Z' && (i == 0 || !alpha(t[i - 1])) && (i + 1 == t.size() || !alpha(t[i + 1])) &&
        !(t[i] == 'I' && i + 1 < t.size() && t[i + 1] == ' ')) {
      return t[i];
    }
  }
  return '\0';
}

}  // namespace

char choice_letter(std::string_view answer) {
  std::string t = trim(answer);
  auto strip = [&](std::string_view prefix, char close) {
    if (t.compare(0, prefix.size(), prefix) == 0 && !t.empty() && t.back() == close) {
      t = trim(std::string_view(t).substr(prefix.size(), t.size() - prefix.size() - 1));
    }
  };
  strip("$", '$');
  strip("\\text{", '}');
  strip("\\textbf{", '}');
  strip("\\mathrm{", '}');
  size_t i = 0;
  bool paren = !t.empty() && t[0] == '(';
  if (paren) ++i;
  if (i >= t.size() || t[i] < 'A' || t[i] > 'Z') return '\0';
  char letter = t[i++];
  if (paren) {
    if (i >= t.size() || t[i] != ')') return '\0';
    ++i;
  }
  if (i == t.size()) return letter;
  if (t[i] == '.' || t[i] == ')' || t[i] == ':') return letter;
  if (t[i] == ' ' && i + 1 < t.size() && std::isalpha(static_cast<unsigned char>(t[i + 1])) != 0 &&
      std::isupper(static_cast<unsigned char>(t[i + 1])) != 0) {
    return letter;  // "(D) Alina", "C Cecile": the option followed by its text
  }
  return '\0';
}

std::string_view strip_thinking(std::string_view text, bool& open) {
  open = false;
  size_t close = text.rfind("</think>");
  if (close != std::string_view::npos) return text.substr(close + 8);
  size_t start = text.find("<think>");
  if (start != std::string_view::npos) {
    open = true;
    return text.substr(0, start);
  }
  return text;
}

Extraction extract_math_answer(std::string_view text) {
  std::vector<Span> boxes = find_boxes(text);
  size_t phrase_at = 0;
  Extraction phrase = from_phrases(text, &phrase_at);
  // A stated final answer after the last box overrides it (the box held an intermediate result).
  if (!boxes.empty() && !(phrase.found && phrase_at > boxes.back().end)) {
    std::string answer = trim(join_trailing_group(text, boxes, false));
    if (!answer.empty()) return {true, answer, "boxed"};
  }
  if (phrase.found) return phrase;
  std::string whole = trim(text);
  bool ascii = std::all_of(whole.begin(), whole.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (!whole.empty() && whole.size() <= kMaxBareAnswerBytes && !has_math_markup(whole) && ascii &&
      std::count(whole.begin(), whole.end(), ' ') <= 3 && count_prose_words(whole) <= 1) {
    return {true, whole, "whole_text"};
  }
  std::vector<Span> math = find_math_segments(text);
  size_t number_at = 0;
  std::string number = last_number(text, false, &number_at);
  // The later of the last math segment and the last plain number: "... $d = 90/n$ ... so there
  // are 12 sequences." answers 12.
  if (!math.empty() && (number.empty() || number_at < math.back().end)) {
    std::string answer = trim(join_trailing_group(text, math, true));
    if (!answer.empty()) return {true, answer, "last_math"};
  }
  if (!number.empty()) return {true, number, "last_number"};
  char letter = option_letter_in_prose(text);
  if (letter != '\0') return {true, std::string(1, letter), "choice_letter"};
  return {};
}

Extraction extract_integer_answer(std::string_view text) {
  std::vector<Span> boxes = find_boxes(text);
  if (!boxes.empty()) return {true, trim(boxes.back().content), "boxed"};
  Extraction phrase = from_phrases(text, nullptr);
  if (phrase.found) return phrase;
  std::string number = last_number(text, true, nullptr);
  if (!number.empty()) return {true, number, "last_integer"};
  return {};
}

}  // namespace reval::graders::extract
