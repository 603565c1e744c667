// Finding \boxed{...} / \fbox{...} / "\boxed x" answers and $...$ / \(...\) / \[...\] math
// segments in a model response. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace reval::graders::extract {

struct Span {
  size_t begin = 0;  // the whole construct, e.g. "\boxed{...}"
  size_t end = 0;
  std::string content;  // what is inside
};

// Every \boxed / \fbox in order; braces are matched with nesting. An unclosed box is skipped.
std::vector<Span> find_boxes(std::string_view text);

// Every math segment in order: $$...$$, $...$ (not crossing a blank line... nor a newline for
// inline math), \(...\), \[...\]. Escaped dollars (\$) do not delimit.
std::vector<Span> find_math_segments(std::string_view text);

// The last span together with the spans before it that are separated from it only by short
// connector text (", ", " and ", "\quad", at most a few words), joined with ", ".
// `only_connectors`: the gap may hold only connector words (and/or), not other short words.
std::string join_trailing_group(std::string_view text, const std::vector<Span>& spans, bool only_connectors);

}  // namespace reval::graders::extract
