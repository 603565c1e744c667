// Reading unified diffs (git-style or plain): which files a patch touches, and whether its paths are
// safe to hand to `patch` (no absolute paths, no "..", nothing under .git/). Pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace reval::graders::swe {

struct PatchFile {
  std::string old_path;  // "" when the file is created (--- /dev/null)
  std::string new_path;  // "" when the file is deleted (+++ /dev/null)
  // The path the file has after the patch (or had, when deleted).
  const std::string& path() const { return new_path.empty() ? old_path : new_path; }
};

// Files in `patch`, in order, from "diff --git a/X b/Y" headers and/or "--- a/X" / "+++ b/Y" pairs
// (the a/ and b/ prefixes are dropped; a trailing tab and timestamp is ignored).
std::vector<PatchFile> patch_files(std::string_view patch);

// invalid_input_error naming the first unsafe path: absolute, with a ".." component, or with a
// ".git" component (writing there would let a patch plant git hooks or config that run on the host).
Status check_patch_paths(std::string_view patch);

// True when the patch has no file changes at all (empty or whitespace-only text counts too).
bool patch_is_empty(std::string_view patch);

}  // namespace reval::graders::swe
