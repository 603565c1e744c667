// Taking a unified diff out of a model response (for `reval run --suite swe-...`): fenced ```diff
// blocks, other fenced blocks that hold a diff, or a raw diff in the text; hunk headers whose line
// counts disagree with their bodies are repaired. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace reval::graders::swe {

struct ExtractedDiff {
  bool found = false;        // false: no diff in the response (grade it patch_failed, reason below)
  std::string diff;          // the diff, ending in '\n' (after repair)
  std::string source;        // "fenced_diff", "fenced", "raw" or "" when not found
  int n_hunks_repaired = 0;  // hunk headers whose counts were rewritten
  std::string reason;        // why not found: "no_diff", "malformed_hunk"
};

// Finds the diff in `response`. All ```diff (or ```patch) blocks are joined in order; else the
// first fenced block that looks like a diff; else the text from the first diff header on.
ExtractedDiff extract_diff(std::string_view response);

// Recounts each hunk's old/new line counts from its body (context ' ', removal '-', addition '+';
// an empty line inside a hunk is taken as an empty context line, which models often emit) and
// rewrites headers that disagree. Safe: start lines and content are never changed. Returns the
// repaired text and sets *n_repaired; sets *malformed when a hunk header cannot be read.
std::string repair_hunk_counts(std::string_view diff, int* n_repaired, bool* malformed);

}  // namespace reval::graders::swe
