#include "graders/swe/grading.h"

namespace reval::graders::swe {
namespace {

bool test_passed(const std::string& test, const TestStatusMap& statuses) {
  auto it = statuses.find(test);
  return it != statuses.end() && (it->second == TestStatus::kPassed || it->second == TestStatus::kXfail);
}

bool test_failed(const std::string& test, const TestStatusMap& statuses) {
  auto it = statuses.find(test);
  return it == statuses.end() || it->second == TestStatus::kFailed || it->second == TestStatus::kError;
}

// SWE-bench's rate: successes over decided tests, 1 when none was decided.
double rate(std::size_t n_success, std::size_t n_failure) {
  std::size_t total = n_success + n_failure;
  return total == 0 ? 1.0 : static_cast<double>(n_success) / static_cast<double>(total);
}

}  // namespace

std::string_view resolution_status_name(ResolutionStatus status) {
  switch (status) {
    case ResolutionStatus::kFull: return "RESOLVED_FULL";
    case ResolutionStatus::kPartial: return "RESOLVED_PARTIAL";
    case ResolutionStatus::kNo: return "RESOLVED_NO";
  }
  return "?";
}

std::string_view outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::kResolved: return "resolved";
    case Outcome::kUnresolved: return "unresolved";
    case Outcome::kPatchFailed: return "patch_failed";
    case Outcome::kEmptyPatch: return "empty_patch";
    case Outcome::kError: return "error";
  }
  return "?";
}

TestsStatus grade_tests(const SweInstance& instance, const TestStatusMap& statuses) {
  TestsStatus tests;
  for (const std::string& test : instance.fail_to_pass) {
    if (test_passed(test, statuses)) {
      tests.f2p_success.push_back(test);
    } else if (test_failed(test, statuses)) {
      tests.f2p_failure.push_back(test);
    }
  }
  for (const std::string& test : instance.pass_to_pass) {
    if (test_passed(test, statuses)) {
      tests.p2p_success.push_back(test);
    } else if (test_failed(test, statuses)) {
      tests.p2p_failure.push_back(test);
    }
  }
  return tests;
}

ResolutionStatus resolution_status(const TestsStatus& tests) {
  double f2p = rate(tests.f2p_success.size(), tests.f2p_failure.size());
  double p2p = rate(tests.p2p_success.size(), tests.p2p_failure.size());
  if (f2p == 1.0 && p2p == 1.0) return ResolutionStatus::kFull;
  if (f2p < 1.0 && f2p > 0.0 && p2p == 1.0) return ResolutionStatus::kPartial;
  return ResolutionStatus::kNo;
}

nlohmann::json instance_report_json(const InstanceResult& r) {
  using nlohmann::json;
  auto pair = [](const std::vector<std::string>& success, const std::vector<std::string>& failure) {
    return json{{"success", success}, {"failure", failure}};
  };
  json body = {
      {"patch_is_None", r.patch_is_none},
      {"patch_exists", r.patch_exists},
      {"patch_successfully_applied", r.patch_applied},
      {"resolved", r.outcome == Outcome::kResolved},
  };
  if (r.test_s >= 0) {
    body["tests_status"] = {
        {"FAIL_TO_PASS", pair(r.tests.f2p_success, r.tests.f2p_failure)},
        {"PASS_TO_PASS", pair(r.tests.p2p_success, r.tests.p2p_failure)},
        {"FAIL_TO_FAIL", pair({}, {})},
        {"PASS_TO_FAIL", pair({}, {})},
    };
  }
  auto round_ms = [](double s) { return s < 0 ? -1.0 : static_cast<double>(static_cast<long long>(s * 1e6)) / 1e3; };
  body["reval"] = {
      {"outcome", outcome_name(r.outcome)},
      {"reason", r.reason},
      {"detail", r.detail},
      {"model_name_or_path", r.model_name_or_path},
      {"apply_method", r.apply_method},
      {"test_exit_code", r.test_exit_code},
      {"leftover_processes", r.n_leftover_processes},
      {"timings_ms",
       {{"total", round_ms(r.total_s)},
        {"tests", round_ms(r.test_s)},
        {"overhead", round_ms(r.overhead_s())},
        {"mirror_import", round_ms(r.mirror_s)},
        {"work_tree", round_ms(r.work_tree_s)},
        {"apply", round_ms(r.apply_s)},
        {"sandbox_start", round_ms(r.sandbox_start_s)},
        {"sandbox_stop", round_ms(r.sandbox_stop_s)},
        {"cleanup", round_ms(r.cleanup_s)},
        {"parse", round_ms(r.parse_s)}}},
  };
  return json{{r.instance_id, body}};
}

}  // namespace reval::graders::swe
