// One line of samples.jsonl <-> Completion (docs/run-format.md), and the reader that turns a
// samples.jsonl file into the run's samples: torn last line dropped, retried errors superseded.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "harness/backend.h"

namespace reval::harness {

nlohmann::json completion_to_json(const Completion& completion);
// invalid_input_error naming the missing or mistyped field.
Result<Completion> completion_from_json(const nlohmann::json& line);

struct SamplesFile {
  // One entry per (problem, sample), in order of first appearance: the last successful line for the pair,
  // or its last error line when it never succeeded.
  std::vector<Completion> samples;
  std::size_t n_lines = 0;           // complete, valid lines read
  std::size_t n_superseded = 0;      // lines replaced by a later line for the same pair
  std::size_t valid_bytes = 0;       // length of the prefix made of complete, valid lines
  bool dropped_torn_line = false;    // the file ended in a partial line (a crash mid-write)
};

// Parses the contents of samples.jsonl. A last line without its newline, or a last line that is not
// valid JSON, is a torn write and dropped; an invalid line before the last is an error
// "samples.jsonl:LINE: ..." (the file was edited or corrupted, not torn).
Result<SamplesFile> parse_samples(std::string_view contents, const std::string& path);
// Reads and parses a samples.jsonl file; a missing file is an empty run.
Result<SamplesFile> read_samples(const std::string& path);

}  // namespace reval::harness
