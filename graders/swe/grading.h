// SWE-bench's definition of "resolved": every FAIL_TO_PASS and every PASS_TO_PASS test passed
// (PASSED or XFAIL); a test missing from the log, FAILED or ERROR counts as failed (a SKIPPED test
// counts neither way, as in SWE-bench's grading). Also the per-instance outcome and its report.json.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "graders/swe/instance.h"
#include "graders/swe/log_parsers.h"

namespace reval::graders::swe {

struct TestsStatus {
  std::vector<std::string> f2p_success, f2p_failure, p2p_success, p2p_failure;
};

enum class ResolutionStatus { kFull, kPartial, kNo };
std::string_view resolution_status_name(ResolutionStatus status);  // "RESOLVED_FULL", ...

TestsStatus grade_tests(const SweInstance& instance, const TestStatusMap& statuses);
ResolutionStatus resolution_status(const TestsStatus& tests);

// What happened to one prediction.
enum class Outcome {
  kResolved,
  kUnresolved,   // tests ran; not all passed (or the sandbox stopped them: timeout, limits, leftovers)
  kPatchFailed,  // no fallback could apply the patch, or the patch was unsafe
  kEmptyPatch,   // the prediction had no patch (not run, as in SWE-bench)
  kError,        // infrastructure: repository missing, test patch did not apply, sandbox failure
};
std::string_view outcome_name(Outcome outcome);  // "resolved", "unresolved", "patch_failed", "empty_patch", "error"

struct InstanceResult {
  std::string instance_id;
  std::string model_name_or_path;
  Outcome outcome = Outcome::kError;
  // Why, one word: "resolved", "tests_failed", "timeout", "output_limit", "leftover_processes",
  // "patch_failed", "unsafe_patch", "empty_patch", "no_run_spec", "repo_missing", "work_tree_failed",
  // "test_patch_failed", "sandbox_error".
  std::string reason;
  std::string detail;        // one line for people (the error message, the failing tests)
  bool patch_is_none = false;
  bool patch_exists = false;
  bool patch_applied = false;
  std::string apply_method;  // "git apply -v", "git apply -v --reject", "patch --batch --fuzz=5 -p1"
  TestsStatus tests;
  int test_exit_code = -1;
  int n_leftover_processes = 0;
  // Seconds: whole evaluation; the test command alone (-1 when it did not run); the rest is overhead.
  double total_s = 0;
  double test_s = -1;
  // The one-time import of a bundle into the mirror cache is not per-attempt overhead.
  // sandbox_start: handing the tree to the sandbox uid + spawn until the test command starts;
  // sandbox_stop: test command end until the sandbox is gone; cleanup: removing the work tree.
  double mirror_s = 0, work_tree_s = 0, apply_s = 0, sandbox_start_s = 0, sandbox_stop_s = 0, parse_s = 0,
         cleanup_s = 0;
  double overhead_s() const { return total_s - mirror_s - (test_s >= 0 ? test_s : 0); }
};

// The SWE-bench report.json object {instance_id: {patch_is_None, patch_exists,
// patch_successfully_applied, resolved, tests_status{FAIL_TO_PASS, PASS_TO_PASS, FAIL_TO_FAIL,
// PASS_TO_FAIL}}}, with reval's own fields under "reval".
nlohmann::json instance_report_json(const InstanceResult& result);

}  // namespace reval::graders::swe
