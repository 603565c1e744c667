// SWE-bench task instances and predictions: the upstream schema (instance_id, repo, base_commit,
// patch, test_patch, version, FAIL_TO_PASS/PASS_TO_PASS as JSON-encoded lists, ...), loaded from
// JSONL, gzip-compressed JSONL or a JSON array; predictions in SWE-bench's format.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace reval::graders::swe {

struct SweInstance {
  std::string instance_id;
  std::string repo;  // "owner/name"
  std::string base_commit;
  std::string patch;       // the gold patch (non-test files)
  std::string test_patch;  // the tests that decide FAIL_TO_PASS / PASS_TO_PASS
  std::string problem_statement;
  std::string hints_text;
  std::string version;
  std::string environment_setup_commit;
  std::string created_at;
  std::vector<std::string> fail_to_pass;
  std::vector<std::string> pass_to_pass;
  // Optional fields some datasets carry (swe-real, reval samples): they override or complete the
  // run spec when present.
  std::optional<std::string> test_cmd;
  std::optional<std::string> log_parser;
  std::optional<std::vector<std::string>> test_directives;
  std::optional<std::string> bundle_ref;  // e.g. refs/heads/swe/<instance_id>
  nlohmann::json extra = nlohmann::json::object();  // every other field, kept for reports
};

// Parses one row; errors name the field ("FAIL_TO_PASS: not a JSON-encoded list of strings").
Result<SweInstance> parse_instance(const nlohmann::json& row);

// Reads `.jsonl`, `.jsonl.gz` / `.gz` (gzip JSONL) or `.json` (an array). Errors carry
// "path:line: field: problem". Duplicate instance_ids are an error.
Result<std::vector<SweInstance>> load_instances(const std::string& path);

// Reads a whole file, transparently gunzipping when it starts with the gzip magic bytes.
Result<std::string> read_maybe_gzip(const std::string& path);

// One prediction in SWE-bench's format.
struct Prediction {
  std::string instance_id;
  std::string model_name_or_path;
  std::string model_patch;  // "" = the model produced no patch
  bool patch_is_none = false;  // model_patch was null
};

// Predictions from a .jsonl file, a .json array, or a .json object keyed by instance_id.
Result<std::map<std::string, Prediction>> load_predictions(const std::string& path);

// "gold" (each instance's own patch, model name "gold") or "empty" (an empty patch for each).
std::map<std::string, Prediction> builtin_predictions(const std::vector<SweInstance>& instances,
                                                      const std::string& kind);

}  // namespace reval::graders::swe
