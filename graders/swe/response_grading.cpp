#include "graders/swe/response_grading.h"

#include <cmath>

namespace reval::graders::swe {
namespace {

using nlohmann::json;

json tests_json(const std::vector<std::string>& success, const std::vector<std::string>& failure) {
  return {{"success", success}, {"failure", failure}};
}

double ms(double seconds) { return std::round(seconds * 10000.0) / 10.0; }

}  // namespace

ResponseVerdict grade_response(const SweInstance& instance, std::string_view response, const std::string& model_name,
                               const EvalOptions& options, int slot) {
  ResponseVerdict verdict;
  verdict.extracted = extract_diff(response);
  InstanceResult& r = verdict.result;
  r.instance_id = instance.instance_id;
  r.model_name_or_path = model_name;
  if (!verdict.extracted.found) {
    // Nothing was applied and no test ran: the same fields an unusable prediction gets from the evaluator.
    if (verdict.extracted.reason == "malformed_hunk") {
      r.outcome = Outcome::kPatchFailed;
      r.reason = "malformed_hunk";
      r.detail = "a hunk header of the diff in the response cannot be read";
      r.patch_exists = true;
    } else {
      r.outcome = Outcome::kEmptyPatch;
      r.reason = "no_diff";
      r.detail = "the response holds no unified diff";
    }
    return verdict;
  }
  Prediction prediction;
  prediction.instance_id = instance.instance_id;
  prediction.model_name_or_path = model_name;
  prediction.model_patch = verdict.extracted.diff;
  verdict.result = evaluate_instance(instance, prediction, options, slot);
  return verdict;
}

json verdict_json(const ResponseVerdict& verdict) {
  const InstanceResult& r = verdict.result;
  return {{"outcome", std::string(outcome_name(r.outcome))},
          {"reason", r.reason},
          {"detail", r.detail},
          {"resolved", r.outcome == Outcome::kResolved},
          {"patch_applied", r.patch_applied},
          {"apply_method", r.apply_method},
          {"diff_source", verdict.extracted.source},
          {"n_hunks_repaired", verdict.extracted.n_hunks_repaired},
          {"FAIL_TO_PASS", tests_json(r.tests.f2p_success, r.tests.f2p_failure)},
          {"PASS_TO_PASS", tests_json(r.tests.p2p_success, r.tests.p2p_failure)},
          {"timings_ms", {{"total", ms(r.total_s)}, {"tests", r.test_s >= 0 ? ms(r.test_s) : -1.0},
                          {"overhead", ms(r.overhead_s())}}}};
}

}  // namespace reval::graders::swe
