// Reading one run folder (docs/run-format.md, format version 1) into plain structs: run.json,
// problems.jsonl, samples.jsonl, grades.jsonl and summary.json. Unknown fields are ignored; a torn
// last line of a JSON Lines file (a crash mid-write) is dropped and counted. Thread-compatible.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace reval::reports {

inline constexpr int kRunFormatVersion = 1;

struct ModelInfo {
  std::string backend;  // "api" or "builtin"
  std::string name;
  std::string base_url;
  std::string file;
  std::string file_sha256;
  std::map<std::string, std::int64_t> quantization;  // tensor type -> tensor count
  std::optional<double> price_input_per_mtok;         // USD per million tokens
  std::optional<double> price_output_per_mtok;
};

struct SamplingInfo {
  std::optional<double> temperature;
  std::optional<double> top_p;
  std::optional<std::int64_t> max_tokens;
  std::optional<std::int64_t> samples;
  std::optional<std::int64_t> seed;
};

struct RunInfo {
  int format_version = 0;
  std::string reval_version;
  std::string run_id;
  std::string suite_name;
  std::string dataset;
  std::string grader;
  std::string retrieval;  // SWE suites: "oracle" (files the gold patch edits shown); "" otherwise
  std::vector<std::string> metrics;  // e.g. {"pass@1", "cons@64", "pass@64"}
  ModelInfo model;
  SamplingInfo sampling;
  std::string started, finished;  // ISO 8601 UTC, "" when absent
  std::string machine_host, machine_cpu;
  std::optional<std::int64_t> machine_threads;
  std::string settings_hash;
};

struct ProblemRecord {
  std::string id;
  std::string problem;
  std::string answer;
};

// A text field of a sample, possibly shortened on read to bound memory: `head` + `tail` keep the start
// and end of the original, `n_chars_omitted` bytes in between were dropped.
struct ClippedText {
  std::string head;
  std::string tail;
  std::size_t n_chars_omitted = 0;
  std::size_t original_size() const { return head.size() + tail.size() + n_chars_omitted; }
};

struct SampleRecord {
  std::string problem_id;
  int sample = 0;
  ClippedText text;
  ClippedText reasoning;
  std::string finish_reason;  // "stop", "length" or "error"
  std::optional<std::int64_t> prompt_tokens, completion_tokens, reasoning_tokens;
  std::optional<double> latency_ms;
  std::string error;  // "" unless finish_reason is "error"
};

struct TestOutcomes {
  std::vector<std::string> success;
  std::vector<std::string> failure;
};

struct SweOutcome {
  bool resolved = false;
  bool patch_applied = false;
  std::string apply_method;
  TestOutcomes fail_to_pass;
  TestOutcomes pass_to_pass;
  std::string outcome;  // "resolved", "unresolved", "patch_failed", "error", "empty_patch" ("" in older runs)
  std::string reason;   // e.g. "tests_failed", "no_diff", "timeout"
};

struct GradeRecord {
  std::string problem_id;
  int sample = 0;
  bool correct = false;
  std::string extracted;
  std::string canonical;
  std::string reason;
  std::string rule;
  std::optional<SweOutcome> swe;
};

struct MetricEstimate {
  double value = 0;
  std::optional<double> stderr_;
  std::optional<double> ci_low, ci_high;
};

// summary.json; every field but the metrics is optional because older or partial runs may lack it.
struct RunSummary {
  std::map<std::string, MetricEstimate> metrics;
  std::optional<std::int64_t> n_problems, n_samples, k;
  std::optional<double> truncated_fraction;
  std::optional<std::int64_t> errors;
  std::optional<double> mean_reasoning_tokens, mean_answer_tokens;
  std::optional<double> wall_time_s;
  std::optional<std::int64_t> completion_tokens;
  std::optional<double> tokens_per_s;
  std::optional<double> cost_usd;
};

struct RunFolder {
  std::string path;
  RunInfo info;
  std::optional<RunSummary> summary;  // absent until the run was graded
  std::vector<ProblemRecord> problems;
  std::vector<SampleRecord> samples;
  std::vector<GradeRecord> grades;
  std::vector<std::string> warnings;  // e.g. "samples.jsonl: dropped a torn last line"
};

struct ReadOptions {
  // Sample texts longer than this keep their first 3/4 and last 1/4 of this many bytes (cut at UTF-8
  // boundaries); 0 keeps everything.
  std::size_t max_text_bytes = 0;
};

// Reads the run folder at `path`. run.json is required; problems.jsonl, samples.jsonl and grades.jsonl
// may be absent (empty); summary.json is optional. Errors name the file and line:
// "runs/x/grades.jsonl:17: field 'correct' must be a boolean".
Result<RunFolder> read_run_folder(const std::string& path, const ReadOptions& options = {});

// The number of lines in the run's samples.jsonl (0 when absent), counted without parsing, so a caller
// can size ReadOptions::max_text_bytes before reading.
std::size_t count_sample_lines(const std::string& path);

// Shortens `text` as ReadOptions::max_text_bytes describes.
ClippedText clip_text(std::string text, std::size_t max_bytes);

}  // namespace reval::reports
