// SWE-bench's "oracle" retrieval setting for patch generation: the model sees the problem statement and
// the full contents, at base_commit, of the files the gold patch edits (read from the repository with
// git, never reconstructed from the patch). Files the gold patch creates are not shown (they do not
// exist at base_commit), as in SWE-bench's oracle file list; deleted and renamed files show their
// contents before the change. Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "graders/swe/instance.h"

namespace reval::graders::swe {

// What the report and run.json call this retrieval setting.
inline constexpr const char* kOracleRetrieval = "oracle";

struct OracleFile {
  std::string path;     // relative to the repository root, as the gold patch names it before the change
  std::string content;  // the file at base_commit
  bool binary = false;  // holds NUL bytes: shown as a note, not its contents
  bool too_large = false;  // over kMaxOracleFileBytes: shown as a note
};

inline constexpr std::size_t kMaxOracleFileBytes = 1 << 20;

// The files of `instance.patch` that exist at base_commit (deduplicated, in patch order), read from the
// bare repository `mirror`. invalid_input_error naming the path when git cannot read one (a row whose
// patch does not fit its base_commit); an empty list when the gold patch only creates files.
Result<std::vector<OracleFile>> read_oracle_files(const SweInstance& instance, const std::string& mirror);

// The files as the prompt shows them: "[start of PATH]\n" + numbered lines ("1 first line") +
// "[end of PATH]\n" per file, the layout of SWE-bench's text inputs.
std::string render_oracle_files(const std::vector<OracleFile>& files);

// The user message: `user_template` with "{problem}" (problem statement), "{files}"
// (render_oracle_files), "{repo}" (owner/name) and "{instance_id}" replaced in one pass, so text
// inside the problem or the files is never substituted again.
std::string render_oracle_prompt(const std::string& user_template, const SweInstance& instance,
                                 const std::vector<OracleFile>& files);

}  // namespace reval::graders::swe
