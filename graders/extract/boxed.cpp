#include "graders/extract/boxed.h"

#include <cctype>

namespace reval::graders::extract {
namespace {

// A gap between two answers joins them when it holds at most this many words: "\boxed{1} and
// \boxed{2}" or "\boxed{1} papers and \boxed{2} bins" list answers; a sentence between boxes
// separates them.
constexpr int kMaxGapWords = 4;
constexpr size_t kMaxGapBytes = 80;

bool is_alpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

// Reads a balanced {...} group starting at text[i] == '{'; returns the index after '}', or npos.
size_t skip_group(std::string_view text, size_t i) {
  int depth = 0;
  for (size_t j = i; j < text.size(); ++j) {
    if (text[j] == '\\' && j + 1 < text.size()) {
      ++j;  // \{ and \} do not count
      continue;
    }
    if (text[j] == '{') ++depth;
    if (text[j] == '}' && --depth == 0) return j + 1;
  }
  return std::string_view::npos;
}

// Words in a gap between answers, ignoring LaTeX commands, delimiters and punctuation.
bool gap_is_small(std::string_view gap, bool only_connectors) {
  if (gap.size() > kMaxGapBytes) return false;
  int words = 0;
  size_t i = 0;
  while (i < gap.size()) {
    char c = gap[i];
    if (c == '\\') {
      size_t j = i + 1;
      while (j < gap.size() && is_alpha(gap[j])) ++j;
      std::string_view command = gap.substr(i + 1, j - i - 1);
      if (command != "text" && command != "quad" && command != "qquad" && command != "textnormal" &&
          command != "mbox" && command != "textbf" && !command.empty()) {
        // \( \) \[ \] and spacing commands are fine; others (a \frac) mean math sits between.
        if (command != "," && command != "!" && command != "left" && command != "right") return false;
      }
      i = command.empty() ? i + 2 : j;
      continue;
    }
    if (is_alpha(c)) {
      size_t j = i;
      while (j < gap.size() && is_alpha(gap[j])) ++j;
      std::string_view word = gap.substr(i, j - i);
      if (only_connectors && word != "and" && word != "or") return false;
      ++words;
      i = j;
      continue;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) != 0 && only_connectors) return false;
    if (c == '\n' && i + 1 < gap.size() && gap[i + 1] == '\n') return false;  // a paragraph break
    if (c == '.' && i + 1 < gap.size() && (gap[i + 1] == ' ' || gap[i + 1] == '\n')) return false;  // a sentence end
    ++i;
  }
  return words <= kMaxGapWords;
}

}  // namespace

std::vector<Span> find_boxes(std::string_view text) {
  std::vector<Span> boxes;
  size_t i = 0;
  while ((i = text.find('\\', i)) != std::string_view::npos) {
    size_t name_len = 0;
    if (text.compare(i + 1, 5, "boxed") == 0) name_len = 5;
    if (text.compare(i + 1, 4, "fbox") == 0) name_len = 4;
    if (name_len == 0) {
      ++i;
      continue;
    }
    size_t j = i + 1 + name_len;
    if (j < text.size() && is_alpha(text[j])) {
      i = j;
      continue;
    }
    while (j < text.size() && text[j] == ' ' && j + 1 < text.size() && text[j + 1] == '{') ++j;
    Span span;
    span.begin = i;
    if (j < text.size() && text[j] == '{') {
      size_t end = skip_group(text, j);
      if (end == std::string_view::npos) {
        i = j;
        continue;
      }
      span.end = end;
      span.content = std::string(text.substr(j + 1, end - j - 2));
    } else if (j < text.size() && text[j] == ' ') {
      // "\boxed 5": the argument runs to the next space or math delimiter.
      size_t k = j + 1;
      while (k < text.size() && text[k] != ' ' && text[k] != '$' && text[k] != '\n') ++k;
      span.end = k;
      span.content = std::string(text.substr(j + 1, k - j - 1));
    } else {
      i = j;
      continue;
    }
    boxes.push_back(span);
    i = span.end;
  }
  return boxes;
}

std::vector<Span> find_math_segments(std::string_view text) {
  std::vector<Span> segments;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    std::string_view close;
    size_t open_len = 0;
    bool inline_math = false;
    if (c == '\\' && i + 1 < text.size() && (text[i + 1] == '(' || text[i + 1] == '[')) {
      close = text[i + 1] == '(' ? "\\)" : "\\]";
      inline_math = text[i + 1] == '(';
      open_len = 2;
    } else if (c == '\\') {
      i += 2;  // an escaped character (\$) never opens math
      continue;
    } else if (c == '$') {
      bool display = i + 1 < text.size() && text[i + 1] == '$';
      close = display ? "$$" : "$";
      open_len = display ? 2 : 1;
      inline_math = !display;
    } else {
      ++i;
      continue;
    }
    size_t start = i + open_len;
    size_t j = start;
    size_t found = std::string_view::npos;
    while (j < text.size()) {
      if (text[j] == '\\' && close[0] == '$') {
        j += 2;
        continue;
      }
      if (text.compare(j, close.size(), close) == 0) {
        found = j;
        break;
      }
      if (inline_math && text[j] == '\n') break;  // inline math stays on one line
      ++j;
    }
    if (found == std::string_view::npos) {
      i = start;
      continue;
    }
    Span span{i, found + close.size(), std::string(text.substr(start, found - start))};
    segments.push_back(span);
    i = span.end;
  }
  return segments;
}

std::string join_trailing_group(std::string_view text, const std::vector<Span>& spans, bool only_connectors) {
  if (spans.empty()) return "";
  size_t first = spans.size() - 1;
  while (first > 0) {
    const Span& prev = spans[first - 1];
    const Span& next = spans[first];
    if (prev.end > next.begin) break;
    if (!gap_is_small(text.substr(prev.end, next.begin - prev.end), only_connectors)) break;
    --first;
  }
  std::string out;
  for (size_t k = first; k < spans.size(); ++k) {
    if (!out.empty()) out += ", ";
    out += spans[k].content;
  }
  return out;
}

}  // namespace reval::graders::extract
