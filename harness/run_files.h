// Reading a finished or partial run folder (docs/run-format.md) for `reval grade` and `reval compare`,
// and writing its problems.jsonl. Errors name the file and line.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "datasets/problem.h"

namespace reval::harness {

// run.json, checked for format_version (newer versions are refused with a hint to upgrade).
Result<nlohmann::json> read_run_json(const std::string& dir);
// summary.json; not_found_error with a hint to run `reval grade DIR` when it is missing.
Result<nlohmann::json> read_summary_json(const std::string& dir);

Status write_problems(const std::string& dir, const std::vector<datasets::Problem>& problems);
Result<std::vector<datasets::Problem>> read_problems(const std::string& dir);

}  // namespace reval::harness
