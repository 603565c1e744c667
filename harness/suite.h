// Suite specs (suites/<name>.json; data, not code): which dataset, which grader, the prompt template,
// the default sampling and the metrics of one evaluation. Format:
//   {"name": "aime24", "description": "...", "dataset": "aime24", "grader": "integer",
//    "prompt": {"system": null, "user": "{problem}\nPlease reason step by step, ..."},
//    "sampling": {"temperature": 0.6, "top_p": 0.95, "max_tokens": 32768, "samples": 64},
//    "metrics": ["pass@1", "cons@64", "pass@64"], "fields": {"answer": "solution"} (optional)}
// SWE suites (grader "swe", harness/swe_suite.h) may add "swe": {"repos": "DIR"} (the default --repos,
// relative to the suite file); their dataset may start with "{repos}" (replaced by the --repos folder),
// and their prompt may also use "{files}", "{repo}" and "{instance_id}".
// "{problem}" in a prompt is replaced by the problem statement; nothing else is substituted, so LaTeX
// braces such as "\boxed{}" pass through unchanged.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "harness/backend.h"

namespace reval::harness {

struct SuiteSpec {
  std::string name;
  std::string description;
  std::string dataset;  // registry id or a path (relative paths are relative to the suite file)
  std::string grader;   // "integer", "math"
  std::optional<std::string> system_prompt;
  std::string user_template;
  SamplingParams sampling;
  int samples = 1;  // k: completions per problem
  std::vector<std::string> metrics;            // "pass@1", "pass@K", "cons@K"
  std::map<std::string, std::string> fields;   // dataset field mapping overrides
  std::string swe_repos;                       // SWE suites: default repository folder ("" = none)
  std::string source_path;                     // the file it was read from
};

// A metric name split: "cons@64" -> {"cons", 64}.
struct MetricName {
  std::string kind;  // "pass" or "cons"
  int k = 1;
};
// invalid_input_error for anything but pass@K / cons@K with K >= 1.
Result<MetricName> parse_metric(const std::string& name);

// Parses a suite spec; errors read "<path>: field \"sampling.temperature\": expected a number".
Result<SuiteSpec> parse_suite(const nlohmann::json& spec, const std::string& path);

// Folders searched for suites by name, in order: $REVAL_SUITES_DIR, ./suites, the source tree's suites/.
std::vector<std::string> suite_search_dirs();
// `name_or_path` is a path to a .json file or a suite name found in suite_search_dirs().
// not_found_error listing the known suites (with a did-you-mean) otherwise.
Result<SuiteSpec> load_suite(const std::string& name_or_path);

// The suite as recorded in run.json "suite" (name, dataset, grader, prompt, metrics).
nlohmann::json suite_to_json(const SuiteSpec& suite);

}  // namespace reval::harness
