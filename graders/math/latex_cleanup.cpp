#include "graders/math/latex_cleanup.h"

#include <array>
#include <cctype>
#include <utility>

namespace reval::graders::math {
namespace {

// Unicode spellings seen in model answers, mapped to the LaTeX the parser reads.
constexpr std::array<std::pair<std::string_view, std::string_view>, 22> kUnicode = {{
    {"\xE2\x88\x92", "-"},          // − minus sign
    {"\xC3\x97", "\\times "},       // ×
    {"\xC3\xB7", "\\div "},         // ÷
    {"\xC2\xB7", "\\cdot "},        // ·
    {"\xE2\x8B\x85", "\\cdot "},    // ⋅
    {"\xCF\x80", "\\pi "},          // π
    {"\xE2\x88\x9E", "\\infty "},   // ∞
    {"\xC2\xB1", "\\pm "},          // ±
    {"\xE2\x89\xA4", "\\le "},      // ≤
    {"\xE2\x89\xA5", "\\ge "},      // ≥
    {"\xE2\x89\xA0", "\\ne "},      // ≠
    {"\xE2\x89\x88", "\\approx "},  // ≈
    {"\xE2\x88\xAA", "\\cup "},     // ∪
    {"\xE2\x88\xA9", "\\cap "},     // ∩
    {"\xE2\x88\x88", "\\in "},      // ∈
    {"\xE2\x88\x9A", "\\sqrt "},    // √
    {"\xC2\xB0", ""},               // ° degree sign: angles are compared as plain numbers
    {"\xC2\xB2", "^2"},             // ²
    {"\xC2\xB3", "^3"},             // ³
    {"\xE2\x82\xAC", ""},           // € currency
    {"\xC2\xA0", " "},              // no-break space
    {"\xE2\x80\x89", " "},          // thin space
}};

// Commands dropped outright: spacing, sizing and display style carry no value.
constexpr std::array<std::string_view, 24> kDropped = {
    "\\left",  "\\right", "\\bigl",  "\\bigr",  "\\Bigl",  "\\Bigr",         "\\biggl",        "\\biggr",
    "\\big",   "\\Big",   "\\bigg",  "\\Bigg",  "\\!",     "\\displaystyle", "\\textstyle",    "\\scriptstyle",
    "\\limits", "\\nolimits", "\\middle", "\\mathstrut", "\\phantom", "\\hfill", "\\noindent", "\\empty"};

constexpr std::array<std::string_view, 8> kSpaces = {"\\qquad", "\\quad", "\\,", "\\;", "\\:", "\\ ", "\\enspace",
                                                     "\\thinspace"};

// Commands that, preceded by a doubled backslash, can only be a doubly escaped command.
constexpr std::array<std::string_view, 28> kDoublyEscaped = {
    "frac", "dfrac", "tfrac", "left", "right", "sqrt", "pi", "le", "leq", "ge", "geq", "cdot", "times", "boxed",
    "text", "infty", "in", "cup", "pm", "mathrm", "begin", "end", "neq", "ne", "quad", "circ", "lt", "gt"};

bool starts_with_command(std::string_view text, size_t i, std::string_view command) {
  if (text.compare(i, command.size(), command) != 0) return false;
  // "\left" must not match "\leftarrow": a letter after an alphabetic command continues its name.
  size_t end = i + command.size();
  bool alphabetic = std::isalpha(static_cast<unsigned char>(command.back())) != 0;
  return !alphabetic || end >= text.size() || std::isalpha(static_cast<unsigned char>(text[end])) == 0;
}

}  // namespace

std::string cleanup_latex(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    bool matched = false;
    if (c == '\\' && i + 1 < text.size() && text[i + 1] == '\\') {
      // "\\frac" is a doubly escaped "\frac" (JSON written twice); "\\" before anything else is a
      // line break, kept whole so its second backslash is not read as a command.
      size_t j = i + 2;
      while (j < text.size() && std::isalpha(static_cast<unsigned char>(text[j]))) ++j;
      std::string_view name = text.substr(i + 2, j - i - 2);
      bool escaped = false;
      for (std::string_view known : kDoublyEscaped) escaped = escaped || name == known;
      if (escaped) {
        i += 1;
      } else {
        out += "\\\\";
        i += 2;
      }
      continue;
    }
    if (c == '\\') {
      // ",\!" and "{,}" are thousands separators: keep the comma, drop the spacing after it.
      for (std::string_view command : kDropped) {
        if (starts_with_command(text, i, command)) {
          i += command.size();
          matched = true;
          break;
        }
      }
      if (matched) {
        if (!out.empty() && out.back() == ',') {
          while (i < text.size() && text[i] == ' ') ++i;
        }
        continue;
      }
      for (std::string_view command : kSpaces) {
        // "\quadx" (no space after \quad) is still a quad: answers are often written that way.
        bool quad = command == "\\quad" || command == "\\qquad";
        if (quad ? text.compare(i, command.size(), command) == 0 : starts_with_command(text, i, command)) {
          out += ' ';
          i += command.size();
          matched = true;
          break;
        }
      }
      if (matched) continue;
      for (std::string_view frac : {std::string_view("\\dfrac"), std::string_view("\\tfrac"),
                                    std::string_view("\\cfrac")}) {
        if (starts_with_command(text, i, frac)) {
          out += "\\frac";
          i += frac.size();
          matched = true;
          break;
        }
      }
      if (matched) continue;
      if (text.compare(i, 2, "\\$") == 0) {
        i += 2;  // a dollar amount: the number is the answer
        continue;
      }
      for (std::string_view degree : {std::string_view("^\\circ"), std::string_view("\\circ"),
                                      std::string_view("\\degree")}) {
        if (starts_with_command(text, i, degree)) {
          i += degree.size();
          matched = true;
          break;
        }
      }
      if (matched) continue;
    }
    if (c == '^') {
      for (std::string_view degree : {std::string_view("^\\circ"), std::string_view("^{\\circ}"),
                                      std::string_view("^ \\circ"), std::string_view("^{ \\circ }")}) {
        if (text.compare(i, degree.size(), degree) == 0) {
          i += degree.size();
          matched = true;
          break;
        }
      }
      if (matched) continue;
    }
    if (c == '{') {
      // "{,}" (also written "{, }") is a thousands separator; spaces around it go too.
      size_t j = i + 1;
      while (j < text.size() && text[j] == ' ') ++j;
      if (j < text.size() && text[j] == ',') {
        size_t k = j + 1;
        while (k < text.size() && text[k] == ' ') ++k;
        if (k < text.size() && text[k] == '}') {
          while (!out.empty() && out.back() == ' ') out.pop_back();
          out += ',';
          i = k + 1;
          while (i < text.size() && text[i] == ' ') ++i;
          continue;
        }
      }
    }
    if (c == '$') {
      ++i;
      continue;
    }
    if (c == '~' || c == '\t' || c == '\n' || c == '\r') {
      out += ' ';
      ++i;
      continue;
    }
    if (static_cast<unsigned char>(c) >= 0x80) {
      for (const auto& [from, to] : kUnicode) {
        if (text.compare(i, from.size(), from) == 0) {
          out += to;
          i += from.size();
          matched = true;
          break;
        }
      }
      if (matched) continue;
    }
    out += c;
    ++i;
  }
  return out;
}

}  // namespace reval::graders::math
