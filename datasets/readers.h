// Reading dataset files into Problems: JSONL (one object per line), a JSON array of objects, and
// either of them gzip-compressed (detected by the gzip magic bytes, whatever the file is called).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "datasets/field_mapping.h"
#include "datasets/problem.h"

namespace reval::datasets {

enum class TextFormat { kJsonl, kJsonArray };

// A JSON array when the first non-blank character is '[', else JSONL.
TextFormat detect_text_format(std::string_view text);

struct ParseOptions {
  std::string label;            // the file name used in messages: "data/x.jsonl:12: ..."
  FieldMapping mapping;
  std::string id_prefix;        // row-number ids are id_prefix + 1-based row number
  bool skip_bad_rows = false;   // skip malformed rows (counted) instead of failing
};

struct ParseStats {
  std::size_t n_rows = 0;     // rows turned into Problems
  std::size_t n_skipped = 0;  // bad rows skipped (only with skip_bad_rows)
  std::string first_skip_reason;  // the first skipped row's error, for a summary line
};

// Parses dataset text (already decompressed) and appends the Problems to `out`. Errors (invalid_input)
// read "<label>:<line>: <what>" for JSONL and "<label>: row <n>: <what>" for arrays: malformed JSON,
// a row that is not an object, a missing field, a duplicate id (ids must be unique across `out`).
Status parse_problems(std::string_view text, const ParseOptions& options, std::vector<Problem>* out,
                      ParseStats* stats);

// Reads a file (decompressing gzip) into text; errors name the path.
Result<std::string> read_dataset_text(const std::string& path);

// Reads and parses a dataset file.
Status load_problems_from_file(const std::string& path, const ParseOptions& options, std::vector<Problem>* out,
                               ParseStats* stats);

}  // namespace reval::datasets
