// Grading a model's response on an SWE instance (`reval run --suite swe-...`): the unified diff is
// taken out of the response (graders/swe/diff_extract.h: fenced ```diff blocks or raw, hunk counts
// repaired), then evaluated exactly as `reval swe eval` evaluates a prediction. Thread-safe for
// distinct slots.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "graders/swe/diff_extract.h"
#include "graders/swe/evaluator.h"

namespace reval::graders::swe {

struct ResponseVerdict {
  ExtractedDiff extracted;
  InstanceResult result;
};

// A response without a diff is kEmptyPatch with reason "no_diff" (nothing to apply, as an empty
// prediction in SWE-bench); one whose hunk headers cannot be read is kPatchFailed, "malformed_hunk".
// Everything else goes through evaluate_instance (never fails; see evaluator.h).
ResponseVerdict grade_response(const SweInstance& instance, std::string_view response,
                               const std::string& model_name, const EvalOptions& options, int slot);

// The verdict as a JSON object (the "swe" field of a grades.jsonl row and of swe_results.jsonl,
// docs/run-format.md): outcome, reason, detail, resolved, patch_applied, apply_method, diff_source,
// n_hunks_repaired, FAIL_TO_PASS / PASS_TO_PASS {success, failure}, timings_ms.
nlohmann::json verdict_json(const ResponseVerdict& verdict);

}  // namespace reval::graders::swe
